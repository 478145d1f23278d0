"""Routing: who wrote, in which program, answering which of our emails."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import Session, contains_eager

from mentormail.inbound.reading import Reading
from mentormail.inbound.types import Context
from mentormail.service.models import OutboundMessage, Participant, Program, ReplyToken
from mentormail.service.tokens import token_hash

REPLY_ADDRESS = re.compile(r"reply\+([0-9a-f]{16,64})@", re.IGNORECASE)
ROUTING_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to")


@dataclass
class Route:
    """Who wrote, in which program, answering what."""

    program: Program | None
    participant: Participant | None
    context: Context
    token: ReplyToken | None = None
    # --- security: the token was in a recipient address (reply+<token>@), not merely found by
    # In-Reply-To/References, whose Message-IDs anyone who saw or was forwarded the mail knows
    proven: bool = False


def route_message(session: Session, reading: Reading) -> Route:
    """Reply token first, then In-Reply-To/References, then the sender's address."""
    addressed = _token_from_addresses(session, reading)
    found = addressed or _token_from_thread(session, reading)
    if found is not None:
        token, owner = found
        return Route(owner.program, owner, Context(token.context), token, addressed is not None)
    program = _program_addressed(session, reading)
    sender = (reading.parsed.from_addr or "").lower()
    query = select(Participant).where(Participant.email == sender)
    if program is not None:
        query = query.where(Participant.program_id == program.id)
    # someone who left is still known: they must not be told "how to join", nor mailed at all
    active_first = case((Participant.status == "active", 0), else_=1)
    person = session.scalars(query.order_by(active_first, Participant.id)).first()
    return Route(program or (person.program if person else None), person, Context.GENERAL)


# built once: a reply token with its owner and their program, in one query
_TOKEN_WITH_OWNER = (
    select(ReplyToken, Participant)
    .join(Participant, Participant.id == ReplyToken.participant_id)
    .join(Participant.program)
    .options(contains_eager(Participant.program))
    .where(ReplyToken.token_hash == bindparam("token_hash"))
)


def _find_token(session: Session, token: str) -> tuple[ReplyToken, Participant] | None:
    """The reply token behind an address's token part and its owner (their program loaded
    with them), or None."""
    row = session.execute(_TOKEN_WITH_OWNER, {"token_hash": token_hash(token)}).first()
    return (row[0], row[1]) if row is not None else None


def recipients(reading: Reading) -> list[str]:
    """Every address the message was sent to, as far as headers tell."""
    values = [v for k, v in reading.parsed.headers if k.lower() in ROUTING_HEADERS]
    return [addr.lower() for _, addr in getaddresses(values) if addr]


def _token_from_addresses(
    session: Session, reading: Reading
) -> tuple[ReplyToken, Participant] | None:
    """A reply token in any recipient address, and its owner."""
    for address in recipients(reading):
        match = REPLY_ADDRESS.search(address)
        if match:
            token = _find_token(session, match.group(1).lower())
            if token is not None:
                return token
    return None


def _token_from_thread(session: Session, reading: Reading) -> tuple[ReplyToken, Participant] | None:
    """The token (and its owner) of the newest of our messages this one answers."""
    ids = [i for i in [reading.parsed.in_reply_to, *reversed(reading.parsed.references)] if i]
    if not ids:
        return None
    rows = session.execute(
        select(OutboundMessage.message_id, OutboundMessage.reply_to).where(
            OutboundMessage.message_id.in_(ids[:50])
        )
    )
    reply_to_of: dict[str, str] = {message_id: reply_to for message_id, reply_to in rows}
    for message_id in ids:  # In-Reply-To first, then the newest reference
        match = REPLY_ADDRESS.search(reply_to_of.get(message_id, ""))
        if match:
            return _find_token(session, match.group(1).lower())
    return None


def _program_addressed(session: Session, reading: Reading) -> Program | None:
    """The program whose address the mail was sent to."""
    addresses = recipients(reading)
    if not addresses:
        return None
    return session.scalars(select(Program).where(Program.address.in_(addresses))).first()


def sender_matches(reading: Reading, person: Participant) -> bool:
    """Only the participant a reply token was issued to (or an address they confirmed) acts."""
    sender = (reading.parsed.from_addr or "").lower()
    return sender == person.email.lower() or sender in (person.other_emails or [])
