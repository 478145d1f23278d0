"""Inbound mail, step by step: store, deduplicate, classify, route, extract, understand, act.

Raw bytes are stored before anything else happens (``ingest``); processing
(``process``) runs in a worker and may run twice without acting twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentormail.inbound.reading import Reading, read_message, understand_safely
from mentormail.inbound.types import Context, Intent, MailKind, Understanding
from mentormail.service import matching, outbox
from mentormail.service.context import PROCESS_JOB, Services, queue_after_commit
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.models import (
    InboundMessage,
    MentorshipRequest,
    OutboundMessage,
    Participant,
    Program,
    ReplyToken,
    Suppression,
)
from mentormail.service.outbox import Draft
from mentormail.service.tokens import LinkSpec, find_reply_token
from mentormail.workflows import availability, request, search

log = logging.getLogger(__name__)
REPLY_ADDRESS = re.compile(r"reply\+([0-9a-f]{16,64})@", re.IGNORECASE)
DELAYED = re.compile(r"^Action:\s*delayed", re.IGNORECASE | re.MULTILINE)
QUOTED_MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
ROUTING_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to")


@dataclass(frozen=True)
class IngestResult:
    """The stored row's id, and whether it was already there."""

    inbound_id: int
    duplicate: bool


def ingest(services: Services, raw: bytes, source: str) -> IngestResult:
    """Store raw mail first, once per Message-ID (or content hash), then queue it."""
    envelope = _envelope(raw)
    key = envelope.dedupe_key
    with services.sessions() as session:
        found = session.scalar(select(InboundMessage.id).where(InboundMessage.dedupe_key == key))
        if found is not None:
            return IngestResult(found, duplicate=True)
        too_big = len(raw) > services.config.inbound_max_bytes
        row = InboundMessage(
            dedupe_key=key,
            raw=raw,
            size=len(raw),
            source=source,
            received_at=services.now(),
            status="quarantined" if too_big else "received",
            error=f"larger than {services.config.inbound_max_bytes} bytes" if too_big else None,
            from_addr=envelope.from_addr,
            subject=envelope.subject,
            reasons=[],
            attempts=0,
        )
        session.add(row)
        if too_big:
            session.flush()
            matching.flag(
                session,
                services,
                None,
                f"mail of {len(raw)} bytes from {envelope.from_addr} is over the size limit; kept",
                envelope.subject or "",
                inbound_id=row.id,
            )
        try:
            session.commit()
        except IntegrityError:  # another door stored the same message a moment ago
            session.rollback()
            existing = session.scalar(
                select(InboundMessage.id).where(InboundMessage.dedupe_key == key)
            )
            return IngestResult(int(existing or 0), duplicate=True)
        inbound_id = row.id
    if not too_big:
        services.enqueue_safely("inbound", PROCESS_JOB, inbound_id)
    return IngestResult(inbound_id, duplicate=False)


def storable(text: str) -> str:
    """Header text as every database accepts it: raw 8-bit bytes read as UTF-8, no NUL."""
    raw = text.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace").replace("\x00", "")


@dataclass(frozen=True)
class Envelope:
    """What ingest reads from the headers alone: enough to deduplicate and to list the mail."""

    dedupe_key: str
    from_addr: str | None
    subject: str | None


def _envelope(raw: bytes) -> Envelope:
    """The Message-ID (else a hash of the bytes), sender and subject, from the headers only."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
        message_id = storable(" ".join(str(headers.get("Message-ID", "") or "").split()))
        senders = getaddresses([storable(str(headers.get("From", "") or ""))])
        sender = senders[0][1].lower()[:320] if senders and senders[0][1] else None
        subject = storable(str(headers.get("Subject", "") or ""))[:1000] or None
    except Exception:  # unreadable headers: the hash still identifies the bytes
        message_id, sender, subject = "", None, None
    if message_id and len(message_id) < 280:
        return Envelope(f"mid:{message_id}", sender, subject)
    return Envelope(f"sha256:{hashlib.sha256(raw).hexdigest()}", sender, subject)


# --- processing -------------------------------------------------------------------------------


def process(services: Services, inbound_id: int) -> str:
    """Process one stored message; a message that keeps failing is set aside for a person."""
    if not _claim(services, inbound_id):
        return "skipped"
    try:
        with services.unit_of_work() as session:
            message = session.get_one(InboundMessage, inbound_id)
            status = _process(session, services, message)
            message.status, message.processed_at = status, services.now()
            return status
    except Exception as error:
        log.exception("processing inbound %s failed", inbound_id)
        return _record_failure(services, inbound_id, error)


def _claim(services: Services, inbound_id: int) -> bool:
    """Count an attempt before trying, so a crash still counts; False if nothing to do."""
    with services.sessions() as session, session.begin():
        claimed = session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.id == inbound_id,
                InboundMessage.status.in_(("received", "error")),
                InboundMessage.attempts < services.config.inbound_max_attempts,
            )
            .values(attempts=InboundMessage.attempts + 1)
        )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _record_failure(services: Services, inbound_id: int, error: Exception) -> str:
    """Keep the error; after the last attempt, put the message on the attention list."""
    with services.sessions() as session, session.begin():
        message = session.get_one(InboundMessage, inbound_id)
        message.error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= services.config.inbound_max_attempts:
            message.status = "set_aside"
            matching.flag(
                session,
                services,
                None,
                "inbound mail failed processing; set aside",
                message.error,
                inbound_id=inbound_id,
            )
        else:
            message.status = "error"
        return message.status


def _process(session: Session, services: Services, message: InboundMessage) -> str:
    """Classify, route, understand and act; returns the message's final status."""
    reading = read_message(message.raw, with_intent=False)
    parsed = reading.parsed
    message.kind = reading.kind
    message.reasons = list(reading.classification.reasons) + list(reading.problems)
    message.from_addr = parsed.from_addr
    message.subject = parsed.subject[:1000]
    message.reply_text = reading.reply[:20000]
    if reading.kind is not MailKind.HUMAN:
        return _handle_automatic(session, services, message, reading)
    route = route_message(session, reading)
    if route.participant is None:
        return _unknown_sender(session, services, message, reading, route.program)
    message.participant_id = route.participant.id
    if route.participant.status != "active":
        return _from_former_participant(session, services, message, reading, route)
    if route.token is not None and not _sender_matches(reading, route.participant):
        return _hold_for_sender_check(session, services, message, reading, route.participant)
    understanding = _understand(message, reading, route)
    _act(session, services, message, route, reading, understanding)
    return "processed"


def _understand(message: InboundMessage, reading: Reading, route: Route) -> Understanding:
    """Read the intent once, in the context routing found; a failure reads as unclear."""
    problems: list[str] = []
    understanding = understand_safely(reading.reply, route.context, problems)
    message.context, message.intent = route.context, understanding.intent
    message.reasons = [*message.reasons, *problems]
    return understanding


def _handle_automatic(
    session: Session, services: Services, message: InboundMessage, reading: Reading
) -> str:
    """Never answer a machine; a hard bounce suppresses the address and tells the coordinator."""
    bounce = reading.classification.bounce
    if bounce is not None and bounce.recipient:
        recipient = bounce.recipient.lower()
        if bounce.type == "hard":
            suppress(session, services, recipient, f"hard bounce {bounce.status or ''}".strip())
            matching.flag(
                session,
                services,
                _program_of_address(session, recipient),
                f"mail to {recipient} bounced for good; address suppressed",
                bounce.diagnostic or "",
                inbound_id=message.id,
            )
        else:
            _retry_soft_bounce(session, services, reading, recipient)
    return "ignored"


def suppress(session: Session, services: Services, address: str, reason: str) -> None:
    """Never mail this address again (until a person lifts it)."""
    if session.get(Suppression, address) is None:
        session.add(Suppression(email=address, reason=reason, created_at=services.now()))


def _retry_soft_bounce(
    session: Session, services: Services, reading: Reading, address: str
) -> None:
    """A soft failure: the very message that failed is sent again later.

    A "delayed" notice means the sending server is still trying, so nothing is
    resent (that would deliver twice); nor is anything when the report does not
    say which of our messages failed.
    """
    if _is_delay_notice(reading):
        return
    failed = session.scalar(
        select(OutboundMessage).where(
            OutboundMessage.message_id.in_(_quoted_message_ids(reading)[:20]),
            OutboundMessage.to_addr == address,
            OutboundMessage.status.in_(("sent", "delivered")),
        )
    )
    if failed is not None and failed.attempts < services.config.send_max_attempts:
        failed.status = "retry"
        failed.next_attempt_at = services.now() + timedelta(hours=1)


def _is_delay_notice(reading: Reading) -> bool:
    """Whether a bounce only reports a delay (RFC 3464 ``Action: delayed`` or a Delay subject)."""
    reports = "\n".join(text for _, text in reading.parsed.report_parts)
    return bool(DELAYED.search(reports)) or "delay" in reading.parsed.subject.lower()


def _quoted_message_ids(reading: Reading) -> list[str]:
    """Message-IDs quoted in a bounce's returned headers or text: which mail failed."""
    texts = [text for _, text in reading.parsed.report_parts] + [reading.parsed.text or ""]
    own = reading.parsed.message_id
    found = [m for text in texts for m in QUOTED_MESSAGE_ID.findall(text[:200_000])]
    return [m for m in dict.fromkeys(found) if m != own]


def _program_of_address(session: Session, address: str) -> int | None:
    """The program of the first participant with this address, if any."""
    person = session.scalar(select(Participant).where(Participant.email == address))
    return person.program_id if person else None


# --- routing ---------------------------------------------------------------------------------


@dataclass
class Route:
    """Who wrote, in which program, answering what."""

    program: Program | None
    participant: Participant | None
    context: Context
    token: ReplyToken | None = None


def route_message(session: Session, reading: Reading) -> Route:
    """Reply token first, then In-Reply-To/References, then the sender's address."""
    token = _token_from_addresses(session, reading) or _token_from_thread(session, reading)
    if token is not None:
        owner = session.get_one(Participant, token.participant_id)
        return Route(owner.program, owner, Context(token.context), token)
    program = _program_addressed(session, reading)
    sender = (reading.parsed.from_addr or "").lower()
    query = select(Participant).where(Participant.email == sender)
    if program is not None:
        query = query.where(Participant.program_id == program.id)
    # someone who left is still known: they must not be told "how to join", nor mailed at all
    active_first = case((Participant.status == "active", 0), else_=1)
    person = session.scalars(query.order_by(active_first, Participant.id)).first()
    return Route(program or (person.program if person else None), person, Context.GENERAL)


def _recipients(reading: Reading) -> list[str]:
    """Every address the message was sent to, as far as headers tell."""
    values = [v for k, v in reading.parsed.headers if k.lower() in ROUTING_HEADERS]
    return [addr.lower() for _, addr in getaddresses(values) if addr]


def _token_from_addresses(session: Session, reading: Reading) -> ReplyToken | None:
    """A reply token in any recipient address."""
    for address in _recipients(reading):
        match = REPLY_ADDRESS.search(address)
        if match:
            token = find_reply_token(session, match.group(1).lower())
            if token is not None:
                return token
    return None


def _token_from_thread(session: Session, reading: Reading) -> ReplyToken | None:
    """The token of the newest of our messages this one answers, found in one query."""
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
            return find_reply_token(session, match.group(1).lower())
    return None


def _program_addressed(session: Session, reading: Reading) -> Program | None:
    """The program whose address the mail was sent to."""
    addresses = _recipients(reading)
    if not addresses:
        return None
    return session.scalars(select(Program).where(Program.address.in_(addresses))).first()


def _sender_matches(reading: Reading, person: Participant) -> bool:
    """Only the participant a reply token was issued to (or an address they confirmed) acts."""
    sender = (reading.parsed.from_addr or "").lower()
    return sender == person.email.lower() or sender in (person.other_emails or [])


def _hold_for_sender_check(
    session: Session,
    services: Services,
    message: InboundMessage,
    reading: Reading,
    person: Participant,
) -> str:
    """Nothing acts; a person sees it; the participant may confirm the address is theirs."""
    sender = (reading.parsed.from_addr or "").lower()
    matching.flag(
        session,
        services,
        person.program_id,
        f"reply for {person.email} came from {sender}; nothing done",
        reading.reply[:2000],
        inbound_id=message.id,
    )
    if sender and "@" in sender and not _is_participant(session, person.program_id, sender):
        outbox.write(
            session,
            services,
            Draft(
                program=person.program,
                template="confirm_address",
                key=f"confirm:{person.id}:{sender}",
                to=person,
                context={"other_address": sender, "reply_text": reading.reply[:2000]},
                actions={
                    "confirm": LinkSpec("confirm_address", person.id, target_id=message.id)
                },
            ),
        )
    return "held"


def _is_participant(session: Session, program_id: int, address: str) -> bool:
    """Whether the address belongs to someone in the program (never told to anyone else)."""
    found = session.scalar(
        select(Participant.id).where(
            Participant.program_id == program_id, Participant.email == address
        )
    )
    return found is not None


def release_held(services: Services, session: Session, inbound_id: int) -> None:
    """Let a held message be processed again (its sender was confirmed)."""
    message = session.get_one(InboundMessage, inbound_id)
    if message.status == "held":
        message.status, message.attempts, message.error = "received", 0, None
        queue_after_commit(session, "inbound", PROCESS_JOB, inbound_id)


# --- acting ----------------------------------------------------------------------------------


def _from_former_participant(
    session: Session, services: Services, message: InboundMessage, reading: Reading, route: Route
) -> str:
    """Mail from someone who left: never mailed again, nothing acts; a person may read it."""
    person = route.participant
    assert person is not None
    said = _understand(message, reading, route)
    if reading.reply.strip() and said.intent is not Intent.STOP:
        matching.flag(
            session,
            services,
            person.program_id,
            f"mail from {person.email}, who has left the program; nothing done",
            reading.reply[:2000],
            inbound_id=message.id,
        )
    return "held"


def _unknown_sender(
    session: Session,
    services: Services,
    message: InboundMessage,
    reading: Reading,
    program: Program | None,
) -> str:
    """Mail from someone we don't know: at most one polite "how to join" a day, nothing else."""
    sender = (reading.parsed.from_addr or "").lower()
    if program is None or not sender or "@" not in sender:
        return "ignored"
    outbox.write(
        session,
        services,
        Draft(
            program=program,
            template="unknown_sender",
            key=f"unknown:{program.id}:{sender}:{services.now():%Y-%m-%d}",
            to_addr=sender,
        ),
    )
    return "unknown_sender"


def _act(
    session: Session,
    services: Services,
    message: InboundMessage,
    route: Route,
    reading: Reading,
    understanding: Understanding,
) -> None:
    """Do what the person clearly asked; otherwise ask them, or pass it to a person."""
    person = route.participant
    assert person is not None
    cause = f"in{message.id}"
    if understanding.clear and _act_anywhere(session, services, person, understanding, cause):
        return
    if route.context is Context.SEARCH and person.role == "mentee":
        _answer_to_list(session, services, person, route, reading, understanding, cause)
    elif route.context is Context.REQUEST and route.token and route.token.request_id:
        req = session.get_one(MentorshipRequest, route.token.request_id)
        _answer_to_request(session, services, person, req, reading, understanding, cause)
    elif person.role == "mentee" and not _matched(session, person):
        query = understanding.comment or reading.reply  # without greeting and sign-off
        matching.send_mentor_list(session, services, person, query, cause)
    else:
        _could_not_read(session, services, person, reading, message)


def _act_anywhere(
    session: Session,
    services: Services,
    person: Participant,
    understanding: Understanding,
    cause: str,
) -> bool:
    """Stop, pause, available, report a problem: valid in any context. True if handled."""
    kind = understanding.intent
    if kind is Intent.STOP:
        matching.leave_program(session, services, person, cause)
    elif kind in (Intent.PAUSE, Intent.AVAILABLE) and person.role == "mentor":
        event = availability.event_named(kind)
        matching.change_availability(session, services, person, event, cause)
    elif kind is Intent.REPORT_PROBLEM:
        _report_problem(session, services, person, understanding, cause)
    else:
        return False
    return True


def _answer_to_list(
    session: Session,
    services: Services,
    mentee: Participant,
    route: Route,
    reading: Reading,
    understanding: Understanding,
    cause: str,
) -> None:
    """A number picks a mentor; a doubtful pick is asked about; other words are a new search."""
    assert route.token is not None
    offered = [
        found
        for mentor_id in route.token.payload.get("mentor_ids", [])
        if (found := session.get(Participant, mentor_id)) is not None
    ]
    query = str(route.token.payload.get("query", ""))
    choice = understanding.choice
    picked = understanding.intent is Intent.CHOOSE and understanding.clear
    if picked and choice and 1 <= choice <= len(offered):
        matching.ask_mentor(session, services, mentee, offered[choice - 1], query, cause)
        return
    named = _mentors_named(offered, reading.reply) or _mentors_numbered(offered, reading.reply)
    doubtful_pick = not understanding.clear and Intent.CHOOSE in understanding.candidates
    if named or (doubtful_pick and re.search(r"\d", reading.reply)):
        matching.ask_which_mentor(session, services, mentee, named or offered, query, cause)
        return
    if _matched(session, mentee):
        _could_not_read(session, services, mentee, reading, None)
        return
    words = understanding.comment or reading.reply
    if search.keywords(words):  # "thanks!" needs no answer
        matching.send_mentor_list(session, services, mentee, words, cause)


def _mentors_numbered(offered: list[Participant], text: str) -> list[Participant]:
    """The offered mentors whose numbers the reply mentions ("#1 and #3 both look good")."""
    numbers = {int(n) for n in re.findall(r"\b\d{1,2}\b", text[:2000])}
    return [m for n, m in enumerate(offered, start=1) if n in numbers]


def _mentors_named(offered: list[Participant], text: str) -> list[Participant]:
    """The offered mentors whose first name the reply mentions ("I'd like Ana")."""
    words = set(re.findall(r"[^\W\d_]+", text.lower()))
    return [m for m in offered if matching.first_name(m).lower() in words]


def _answer_to_request(
    session: Session,
    services: Services,
    person: Participant,
    req: MentorshipRequest,
    reading: Reading,
    understanding: Understanding,
    cause: str,
) -> None:
    """A mentor's yes or no acts; anything unclear is asked about; a mentee's words relay."""
    if person.id == req.mentee_id:
        if req.state == request.RequestState.PENDING:
            matching.relay_to_mentor(session, services, req, reading.reply, cause)
        return
    event: request.RequestEvent
    if understanding.clear and understanding.intent is Intent.ACCEPT:
        event = request.MentorAccepted()
    elif understanding.clear and understanding.intent is Intent.DECLINE:
        event = request.MentorDeclined()
    else:
        event = request.MentorUnclear(question=understanding.question)
    try:
        matching.apply_request_event(session, services, req, event, cause, reply_text=reading.reply)
    except InvalidTransition:
        _request_closed(session, services, person, req, cause)


def _request_closed(
    session: Session, services: Services, mentor: Participant, req: MentorshipRequest, cause: str
) -> None:
    """An answer to a request that is no longer open: say where it stands."""
    outbox.write(
        session,
        services,
        Draft(
            program=mentor.program,
            template="request_already_closed",
            key=f"request:{req.id}:closed:{cause}",
            to=mentor,
            context={"mentee": matching.person_view(req.mentee), "state": req.state},
        ),
    )


def _report_problem(
    session: Session,
    services: Services,
    person: Participant,
    understanding: Understanding,
    cause: str,
) -> None:
    """A reported problem goes to the coordinators at once; the reporter hears so."""
    matching.flag(
        session,
        services,
        person.program_id,
        f"{person.name} reported a problem",
        understanding.comment,
    )
    outbox.write(
        session,
        services,
        Draft(
            program=person.program,
            template="problem_reported",
            key=f"problem:{person.id}:{cause}",
            to=person,
        ),
    )


def _could_not_read(
    session: Session,
    services: Services,
    person: Participant,
    reading: Reading,
    message: InboundMessage | None,
) -> None:
    """Pass the words to the coordinators; tell the writer, at most once a day."""
    matching.flag(
        session,
        services,
        person.program_id,
        f"message from {person.name} needs a person",
        reading.reply[:4000],
        inbound_id=message.id if message else None,
    )
    outbox.write(
        session,
        services,
        Draft(
            program=person.program,
            template="could_not_read",
            key=f"could_not_read:{person.email}:{services.now():%Y-%m-%d}",
            to=person,
        ),
    )


def _matched(session: Session, mentee: Participant) -> bool:
    """Whether a mentee already has an active match."""
    return matching.mentee_matches(session, mentee.id) > 0
