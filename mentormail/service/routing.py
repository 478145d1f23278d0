"""Routing: who wrote, in which program, answering which of our emails."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import getaddresses
from functools import lru_cache

from sqlalchemy import BindParameter, ColumnElement, String, bindparam, case, cast, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from mentormail.inbound.reading import Reading
from mentormail.inbound.types import Context
from mentormail.service.models import (
    CheckIn,
    CoordinatorToken,
    Match,
    MentorshipRequest,
    OutboundMessage,
    Participant,
    Program,
    ReplyToken,
)
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
    if person is None and sender:
        person = _confirmed_by(session, sender, program, active_first)
    return Route(program or (person.program if person else None), person, Context.GENERAL)


def _confirmed_by(
    session: Session, sender: str, program: Program | None, order: ColumnElement[int]
) -> Participant | None:
    """The participant who confirmed the sender's address as theirs by link (they are known
    by it as by their own), or None."""
    query = select(Participant).where(
        cast(Participant.other_emails, String).contains(f'"{sender}"', autoescape=True)
    )
    if program is not None:
        query = query.where(Participant.program_id == program.id)
    found = session.scalars(query.order_by(order, Participant.id))
    return next((p for p in found if sender in (p.other_emails or [])), None)


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
    hashed = token_hash(token)
    known = batch_known(session)
    if known is not None and hashed in known.hashes:  # read with the batch's other replies
        return known.reply_tokens.get(hashed)
    row = session.execute(_TOKEN_WITH_OWNER, {"token_hash": hashed}).first()
    return (row[0], row[1]) if row is not None else None


# --- a batch's look-ups, read together ---------------------------------------------------------

BATCH_KNOWN = "routing.batch_known"  # the session.info key of a batch's ``Known``


@dataclass
class Known:
    """What a batch's replies are addressed to, read for all of them in a few queries: the
    reply tokens (with owner and program) and digest tokens of their recipient addresses, by
    hash (a hash looked up and absent is no token of either kind), and the pairs, check-ins
    and requests those reply tokens name, held (the session keeps rows only weakly)."""

    hashes: frozenset[str]
    reply_tokens: dict[str, tuple[ReplyToken, Participant]]
    digest_tokens: dict[str, tuple[int, datetime]]
    rows: list[object] = field(default_factory=list)


def batch_known(session: Session) -> Known | None:
    """The batch's look-ups, when the session is processing a batch."""
    known = session.info.get(BATCH_KNOWN)
    return known if isinstance(known, Known) else None


def addressed_hashes(reading: Reading) -> list[str]:
    """The stored form of every token in the message's recipient addresses (reply+<token>@),
    as reply and digest tokens are both looked up."""
    found = (REPLY_ADDRESS.search(address) for address in recipients(reading))
    return [token_hash(match.group(1).lower()) for match in found if match]


def load_batch(session: Session, readings: Iterable[Reading]) -> Known:
    """Read what a batch's replies are addressed to in one query a kind, instead of a few
    queries a reply, in the batch's transaction; kept on the session until it closes.

    The rows are read when the batch starts instead of when each reply's turn comes, in the
    same transaction: rows a reply reads were never fresher than its batch's commit (the
    decisions that must see other transactions' latest rows read them again under locks)."""
    hashes = frozenset(h for reading in readings for h in addressed_hashes(reading))
    known = Known(hashes, {}, {})
    if hashes:
        for token, owner in session.execute(_TOKENS_WITH_OWNERS, {"hashes": sorted(hashes)}):
            known.reply_tokens[token.token_hash] = (token, owner)
        for row in session.execute(_DIGEST_TOKENS, {"hashes": sorted(hashes)}):
            known.digest_tokens[row.token_hash] = (int(row.id), row.expires_at)
        known.rows = _named_rows(session, [token for token, _ in known.reply_tokens.values()])
    session.info[BATCH_KNOWN] = known
    return known


def _named_rows(session: Session, tokens: list[ReplyToken]) -> list[object]:
    """The pairs (with both people), check-ins and requests (with both people) the tokens
    name, one query a kind."""
    match_ids = {t.payload.get("match_id") for t in tokens} - {None}
    checkin_ids = {t.payload.get("checkin_id") for t in tokens} - {None}
    request_ids = {t.request_id for t in tokens} - {None}
    rows: list[object] = []
    for query, ids in ((_MATCHES, match_ids), (_CHECKINS, checkin_ids), (_REQUESTS, request_ids)):
        wanted = sorted(i for i in ids if isinstance(i, int))
        if wanted:
            rows.extend(session.scalars(query, {"ids": wanted}).unique())
    return rows


def known_digest_token(session: Session, hashed: str) -> tuple[bool, tuple[int, datetime] | None]:
    """Whether the batch read this digest token's hash, and the token (id, expiry) if so."""
    known = batch_known(session)
    if known is None or hashed not in known.hashes:
        return False, None
    return True, known.digest_tokens.get(hashed)


_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_TOKENS_WITH_OWNERS = (
    select(ReplyToken, Participant)
    .join(Participant, Participant.id == ReplyToken.participant_id)
    .join(Participant.program)
    .options(contains_eager(Participant.program))
    .where(ReplyToken.token_hash.in_(bindparam("hashes", expanding=True)))
)
_DIGEST_TOKENS = select(
    CoordinatorToken.id, CoordinatorToken.token_hash, CoordinatorToken.expires_at
).where(CoordinatorToken.token_hash.in_(bindparam("hashes", expanding=True)))
_MATCHES = (
    select(Match)
    .where(Match.id.in_(_IDS))
    .options(joinedload(Match.mentor), joinedload(Match.mentee))
)
_CHECKINS = select(CheckIn).where(CheckIn.id.in_(_IDS))
_REQUESTS = (
    select(MentorshipRequest)
    .where(MentorshipRequest.id.in_(_IDS))
    .options(joinedload(MentorshipRequest.mentor), joinedload(MentorshipRequest.mentee))
)


def recipients(reading: Reading) -> list[str]:
    """Every address the message was sent to, as far as headers tell."""
    return list(_recipients_in(reading.parsed.headers))


@lru_cache(maxsize=64)
def _recipients_in(headers: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The recipient addresses of these headers, parsed once a message: the digest check,
    routing and the batch's look-ups each ask (the stdlib's address parser is slow)."""
    values = [v for k, v in headers if k.lower() in ROUTING_HEADERS]
    return tuple(addr.lower() for _, addr in getaddresses(values) if addr)


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


def addressed_route(session: Session, reading: Reading) -> Route | None:
    """The route ``route_message`` finds for a reply addressed to a reply token its batch read,
    from what the batch read; None when routing would have to query (or it is no batch)."""
    known = batch_known(session)
    if known is None:
        return None
    for address in recipients(reading):
        match = REPLY_ADDRESS.search(address)
        if match:
            hashed = token_hash(match.group(1).lower())
            if hashed not in known.hashes:
                return None
            found = known.reply_tokens.get(hashed)
            if found is not None:
                token, owner = found
                return Route(owner.program, owner, Context(token.context), token, True)
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
