"""Inbound mail, step by step: store, deduplicate, classify, route, check the sender,
extract, understand, then hand the reply to the reply table (``replies``).

Raw bytes are stored before anything else happens (``ingest``); processing
(``process``) runs in a worker and may run twice without acting twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    bindparam,
    case,
    delete,
    exists,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import identity_key

from mentormail.inbound.intent_options import quoted_options
from mentormail.inbound.mime import single_sender
from mentormail.inbound.reading import (
    Reading,
    asked_since_in,
    names_of,
    read_message,
    understand_safely,
)
from mentormail.inbound.types import Context, Intent, MailKind, Option, Understanding
from mentormail.service import (
    authresults,
    automatic,
    coordinators,
    digest,
    held,
    holders,
    loops,
    outbox,
    replies,
)
from mentormail.service.conflicts import is_conflict, once_more_on_conflict
from mentormail.service.context import (
    AFTER_COMMIT,
    PROCESS_JOB,
    Services,
    Unit,
    committed_ids,
    queue_after_commit,
)
from mentormail.service.db import PreparedRead, insert_on_conflict, savepoints_kept, write_changes
from mentormail.service.keys import idempotency_key, limited_key
from mentormail.service.models import (
    InboundClaim,
    InboundMessage,
    Match,
    MentorshipRequest,
    Participant,
    Program,
    ReplyToken,
)
from mentormail.service.outbox import Draft
from mentormail.service.people import named
from mentormail.service.routing import (
    Route,
    addressed_route,
    load_batch,
    route_message,
    sender_matches,
)
from mentormail.service.tokens import PENDING, LinkSpec, NewTokens, pending
from mentormail.service.transports.headers import header_safe_address
from mentormail.workflows.conversation import Limit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    """The stored row's id, and whether it was already there."""

    inbound_id: int
    duplicate: bool


def ingest(services: Services, raw: bytes, source: str) -> IngestResult:
    """Store raw mail first, once per Message-ID (or content hash), then queue it."""
    headers = _headers(raw)
    envelope = _envelope(raw, headers)
    too_big = len(raw) > services.config.inbound_max_bytes
    # a mail over the limit is stored and flagged in one transaction; other mail is one
    # INSERT (or reads, then one INSERT), which commits by itself: no BEGIN, no COMMIT
    storing = services.unit if too_big else services.single_writes
    try:
        with storing() as uow:
            stored = _store(uow, raw, source, envelope, too_big, legacy_keys(raw, headers))
            if stored.duplicate:
                return stored
            inbound_id = stored.inbound_id
    except IntegrityError:  # another door stored the same message a moment ago
        with services.sessions() as session:
            existing = session.scalar(
                select(InboundMessage.id).where(InboundMessage.dedupe_key == envelope.dedupe_key)
            )
        return IngestResult(int(existing or 0), duplicate=True)
    if not too_big:
        services.enqueue_safely("inbound", PROCESS_JOB, inbound_id)
    return IngestResult(inbound_id, duplicate=False)


def _already_stored(
    session: Session, raw: bytes, envelope: Envelope, legacy: list[str]
) -> int | None:
    """The row this mail is already stored as: under today's key, or under the key it had
    before the upgrade (``mid:<Message-ID>``, else ``sha256:<hash of the bytes>``), when that
    row's own bytes give today's key too (a different mail reusing a Message-ID is kept) or
    were removed (``raw_mail_days``: then the Message-ID decides, as it did then)."""
    keys = [envelope.dedupe_key, *legacy]  # one query for today's key and the old
    found = session.connection().execute(_STORED_UNDER, {"keys": keys}).all()
    for row_id, key in found:
        if key == envelope.dedupe_key:
            return int(row_id)
    for row_id, _ in found:
        old_raw = session.scalar(select(InboundMessage.raw).where(InboundMessage.id == row_id))
        if not old_raw or _envelope(old_raw, _headers(old_raw)).dedupe_key == envelope.dedupe_key:
            return int(row_id)
    return None


_STORED_UNDER = select(InboundMessage.id, InboundMessage.dedupe_key).where(
    InboundMessage.dedupe_key.in_(bindparam("keys", expanding=True))
)


def legacy_keys(raw: bytes, headers: Message | None) -> list[str]:
    """The dedupe keys mail was stored under before keys carried a digest (the format of
    migrations up to 0004): the Message-ID alone, else a hash of the raw bytes."""
    try:
        message_id = storable(" ".join(str(_header(headers, "Message-ID")).split()))
    except Exception:  # unreadable headers: only the hash could have been the key
        message_id = ""
    if message_id and len(message_id) < 280:
        return [f"mid:{message_id}"]
    return [f"sha256:{hashlib.sha256(raw).hexdigest()}"]


def _header(headers: Message | None, name: str) -> object:
    """One header's value ("" when absent); raises when the headers could not be read."""
    return _header_block(headers).get(name, "") or ""


def _header_block(headers: Message | None) -> Message:
    """The parsed headers; raises when they could not be read (callers fall back on a hash)."""
    if headers is None:
        raise ValueError("unreadable headers")
    return headers


def _headers(raw: bytes) -> Message | None:
    """The mail's headers, parsed once for the key and the listing; None if unreadable."""
    try:
        return BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
    except Exception:
        return None


def _store(
    uow: Unit, raw: bytes, source: str, envelope: Envelope, too_big: bool, legacy: list[str]
) -> IngestResult:
    """The stored row; mail over the size limit is kept, quarantined and flagged. New mail,
    with no row under today's key nor an old one (``legacy``), is stored by one statement;
    otherwise ``_already_stored`` says whether a row holds this mail already."""
    limit = uow.services.config.inbound_max_bytes
    row = {
        "dedupe_key": envelope.dedupe_key,
        "raw": raw,
        "size": len(raw),
        "source": source,
        "received_at": uow.now,
        "status": "quarantined" if too_big else "received",
        "error": f"larger than {limit} bytes" if too_big else None,
        "from_addr": envelope.from_addr,
        "subject": envelope.subject,
        "reasons": [],
        "attempts": 0,
    }
    connection = uow.session.connection()
    stored = connection.execute(_STORE_NEW, {**row, "keys": [envelope.dedupe_key, *legacy]})
    inbound_id = stored.scalar()
    if inbound_id is None:  # a row is under one of its keys: this mail, or another
        found = _already_stored(uow.session, raw, envelope, legacy)
        if found is not None:
            return IngestResult(found, duplicate=True)
        inbound_id = connection.execute(_STORE, row).scalar_one()
    if too_big:
        coordinators.flag(
            uow,
            None,
            f"mail of {len(raw)} bytes from {envelope.from_addr} is over the size limit; kept",
            envelope.subject or "",
            inbound_id=inbound_id,
        )
    return IngestResult(int(inbound_id), duplicate=False)


_STORE = insert(InboundMessage).returning(InboundMessage.id)
_STORED_COLUMNS = (
    "dedupe_key", "raw", "size", "source", "received_at", "status", "error", "from_addr",
    "subject", "reasons", "attempts",
)  # fmt: skip
_COLUMNS = InboundMessage.__table__.c
# the same INSERT, of nothing when a row is under one of the keys (today's and the old)
_STORE_NEW = (
    insert(InboundMessage)
    .from_select(
        _STORED_COLUMNS,
        select(*(bindparam(name, type_=_COLUMNS[name].type) for name in _STORED_COLUMNS)).where(
            ~exists().where(InboundMessage.dedupe_key.in_(bindparam("keys", expanding=True)))
        ),
    )
    .returning(InboundMessage.id)
)


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


def _envelope(raw: bytes, headers: Message | None) -> Envelope:
    """The dedupe key (Message-ID and a digest of the stable parts), sender and subject, from
    the headers (as ``_headers`` parsed them) and body text alone."""
    try:
        message_id = storable(" ".join(str(_header(headers, "Message-ID")).split()))
        found = single_sender(storable(str(_header(headers, "From"))))
        sender = found[1][:320] if found else None
        sender = sender if sender and header_safe_address(sender) else None  # outbound: 10.4
        subject = storable(str(_header(headers, "Subject")))[:1000] or None
        digest = _stable_digest(raw, _header_block(headers))
    except Exception:  # unreadable headers: the hash still identifies the bytes
        message_id, sender, subject = "", None, None
        digest = hashlib.sha256(raw).hexdigest()[:32]
    if message_id and len(message_id) < 250:
        return Envelope(f"mid:{message_id}:{digest}", sender, subject)
    return Envelope(f"digest:{digest}", sender, subject)


STABLE_HEADERS = ("from", "to", "date", "subject")


def _stable_digest(raw: bytes, headers: Message) -> str:
    """A digest of what stays the same whichever door the mail came by (From, To, Date,
    Subject, body; not the Received/Delivered-To lines each hop adds, nor line endings): the
    same mail by IMAP, webhook and drop folder is one message; another reusing its
    Message-ID is another."""
    parts = [" ".join(str(headers.get(name, "") or "").split()) for name in STABLE_HEADERS]
    _, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    lines = b"\n".join(line.rstrip() for line in body.strip().split(b"\n"))
    stable = "\n".join(parts).encode("utf-8", "surrogateescape") + b"\n\n" + lines
    return hashlib.sha256(stable).hexdigest()[:32]


# --- processing -------------------------------------------------------------------------------


def process(services: Services, inbound_id: int) -> str:
    """Process one stored message, and with it up to ``BATCH - 1`` other fresh ones (their own
    jobs then find them done); a message that keeps failing is set aside for a person.

    The rows are claimed first (a state and a lease), so two workers never act on one message;
    every error ends in a retry or a setting aside, never in limbo.
    """
    if not _may_be_open(services, inbound_id):
        return "skipped"  # done already, most often by another job's batch
    claimed = _claim(services, inbound_id, BATCH)
    if not claimed:
        return "skipped"
    if len(claimed) > 1:
        try:
            return _process_together(services, claimed)[inbound_id]
        except Exception:  # nothing of the batch was committed: each one on its own, as below
            log.warning(
                "a batch of %d inbound mails failed; one by one", len(claimed), exc_info=True
            )
    return {i: _process_alone(services, i) for i in claimed}[inbound_id]


def _may_be_open(services: Services, inbound_id: int) -> bool:
    """Whether the row may still be claimed, read without a transaction: the claim decides,
    this only spares a write for the jobs whose rows a batch has done."""
    row = _STATUS.first(services.engine(), {"inbound_id": inbound_id})  # no session
    status = row[0] if row is not None else None
    return status in CLAIMABLE or status == "processing"  # processing: its lease may be over


def _process_alone(services: Services, inbound_id: int) -> str:
    """Process one claimed message in its own transaction; a failure is recorded."""
    try:
        return once_more_on_conflict(lambda: _process_once(services, inbound_id), "an inbound mail")
    except Exception as error:
        log.exception("processing inbound %s failed", inbound_id)
        return _record_failure(services, inbound_id, error)


def _process_once(services: Services, inbound_id: int) -> str:
    """One transaction: read the stored message, act on it, record what became of it, and
    let the claim go (the outcome and the end of the lease are committed together)."""
    with services.unit() as uow:
        message = uow.session.get_one(InboundMessage, inbound_id)
        status = _process(uow, message)
        _record_outcome(message, status, uow.now)
        _release_claim(uow.session, inbound_id)
        return status


def _process_together(services: Services, claimed: list[int]) -> dict[int, str]:
    """One transaction for the batch and a savepoint for each message in it: a message that
    fails is rolled back alone and its failure recorded; the others' effects, their outcomes
    and the end of all the leases are committed together (one commit for the batch)."""
    statuses: dict[int, str] = {}
    with services.sessions() as session:
        with session.begin():
            session.info[AFTER_COMMIT] = []
            # the leases go first: a write, so SQLite's driver opens the transaction now (a
            # savepoint opened outside one would commit on its release); nobody sees them
            # gone before the commit, and a rollback brings them back
            session.execute(_RELEASE, {"ids": claimed})
            found = session.scalars(_CLAIMED_ROWS, {"ids": claimed}).all()
            readings = _readings_of(found)
            load_batch(session, [r for r in readings.values() if r.kind is MailKind.HUMAN])
            understand_ahead(session, readings)
            kept = NewTokens()  # the tokens of the messages that went through
            with savepoints_kept(session):  # each ends with the batch's commit: no RELEASE
                for message in found:
                    reading = readings.get(message.id)
                    statuses[message.id] = _one_of_batch(services, session, message, kept, reading)
            pending(session).add(kept)  # stored with the commit: one INSERT a table
        jobs = committed_ids(session.info[AFTER_COMMIT])
    services.enqueue_all_safely(jobs)
    for inbound_id, status in statuses.items():
        if status == "set_aside":
            _flag_set_aside(services, inbound_id)
    return statuses


def _record_outcome(message: InboundMessage, status: str, now: datetime) -> None:
    """What became of the message, on its row; set only when not already so (a reply sets it
    before acting), since even an unchanged value sent to the row costs a flush."""
    if (message.status, message.processed_at) != (status, now):
        message.status, message.processed_at = status, now


def _readings_of(messages: Sequence[InboundMessage]) -> dict[int, Reading]:
    """Each message read (pure work), so the batch's look-ups can be read together; one the
    reader fails on is read again, and fails, in its own savepoint."""
    readings = {}
    for message in messages:
        try:
            readings[message.id] = read_message(message.raw, with_intent=False)
        except Exception:  # recorded as this message's failure when its turn comes
            continue
    return readings


def _one_of_batch(
    services: Services,
    session: Session,
    message: InboundMessage,
    kept: NewTokens,
    reading: Reading | None = None,
) -> str:
    """Process one message of a batch in a savepoint; on an error roll back only its own
    effects (and the jobs it asked for) and keep the error on its row. A collision with
    another transaction is raised: the whole batch then goes one by one. The tokens of its
    emails join ``kept`` once its savepoint is released (nothing reads a token in the
    transaction that issues it)."""
    asked = len(session.info[AFTER_COMMIT])
    inbound_id = message.id
    try:
        with session.begin_nested():
            uow = Unit(session, services, services.now())
            status = _process(uow, message, reading)
            _record_outcome(message, status, uow.now)
        kept.add(session.info.pop(PENDING, None) or NewTokens())
        return status
    except Exception as error:
        if is_conflict(error):
            raise
        log.exception("processing inbound %s failed", inbound_id)
        del session.info[AFTER_COMMIT][asked:]
        session.info.pop(PENDING, None)  # the tokens of what was rolled back
        session.expire(message)  # as the rollback left it (a row written by Core is not expired)
        return _note_failure(session.get_one(InboundMessage, inbound_id), error, services)


# --- security: one message, one worker ---------------------------------------------------------

LEASE = timedelta(minutes=10)  # longer than a job may run (adapters.JOB_TIMEOUT)
CLAIMABLE = ("received", "error")


def _lease_expired(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """A row some worker claimed, whose lease ran out (that worker died)."""
    expired = select(InboundClaim.inbound_id).where(InboundClaim.until <= now)
    return (InboundMessage.status == "processing") & InboundMessage.id.in_(expired)


def _claim(services: Services, inbound_id: int, batch: int = 1) -> list[int]:
    """The ids taken, oldest first (state "processing" and a lease each): this row, if it is
    open, and when it is fresh up to ``batch - 1`` other fresh rows; the attempt is counted
    before trying, so a crash still counts. Empty if another worker has it or nothing is left
    to do. A message whose attempts ran out (it killed its worker each time) is set aside and
    flagged. A row being tried again is taken alone: if it is what killed a worker, it does
    not take others down with it."""
    now = services.now()
    limit = services.config.inbound_max_attempts
    with services.sessions() as session, session.begin():
        found = session.execute(_CLAIM, {"inbound_id": inbound_id, "now": now, "limit": limit})
        taken = found.one_or_none()
        if taken is not None and taken.status == "processing":
            ids = [inbound_id]
            if taken.attempts == 1 and batch > 1:
                fresh = session.scalars(_FRESH, {"own": inbound_id, "n": batch - 1}).all()
                ids += session.scalars(_CLAIM_FRESH, {"ids": fresh}) if fresh else []
            ids.sort()
            _take_leases(session, ids, now + LEASE)
            return ids
    if taken is not None:  # set aside: its attempts ran out
        _flag_set_aside(services, inbound_id)
    return []


def _take_leases(session: Session, inbound_ids: list[int], until: datetime) -> None:
    """The lease rows written in one statement, replacing any a dead worker left."""
    statement = _lease_statement(session.get_bind().dialect.name)
    holder = _holder()
    rows = [{"inbound_id": i, "holder": holder, "until": until} for i in inbound_ids]
    session.execute(statement, rows)


@cache
def _lease_statement(dialect: str) -> Executable:
    """The upsert of a lease row in this database's words (built once per process)."""
    statement = insert_on_conflict(dialect)(InboundClaim).values(
        inbound_id=bindparam("inbound_id"), holder=bindparam("holder"), until=bindparam("until")
    )
    return statement.on_conflict_do_update(
        index_elements=[InboundClaim.inbound_id],
        set_={"holder": statement.excluded.holder, "until": statement.excluded.until},
    )


def to_retry(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """Rows a worker should look at again: never processed, failed, or held by a worker that
    died (process() then tries once more, or sets aside what ran out of attempts)."""
    return InboundMessage.status.in_(CLAIMABLE) | _lease_expired(now)


# built once (a statement costs more to build than to run): take an open row and count the
# try or, its attempts run out, set it aside (SET reads the row as it was)
_TRIES_LEFT = InboundMessage.attempts < bindparam("limit")
_CLAIM = (
    update(InboundMessage)
    .where(InboundMessage.id == bindparam("inbound_id"), to_retry(bindparam("now")))
    .values(
        attempts=case((_TRIES_LEFT, InboundMessage.attempts + 1), else_=InboundMessage.attempts),
        status=case((_TRIES_LEFT, "processing"), else_="set_aside"),
        error=case(
            (_TRIES_LEFT, InboundMessage.error), else_="stopped its worker on every attempt"
        ),
    )
    .returning(InboundMessage.attempts, InboundMessage.status)
    .execution_options(synchronize_session=False)
)
FRESH = (InboundMessage.status == "received") & (InboundMessage.attempts == 0)
# other rows never tried, oldest first; ones another worker is taking right now are skipped.
# Read apart from the UPDATE: PostgreSQL may run a LIMIT subquery of an UPDATE more than once
# and so take more rows than the limit.
_FRESH = (
    select(InboundMessage.id)
    .where(FRESH, InboundMessage.id != bindparam("own"))
    .order_by(InboundMessage.id)
    .limit(bindparam("n"))
    .with_for_update(skip_locked=True)
)
_CLAIM_FRESH = (
    update(InboundMessage)
    .where(InboundMessage.id.in_(bindparam("ids", expanding=True)), FRESH)
    .values(attempts=1, status="processing")
    .returning(InboundMessage.id)
    .execution_options(synchronize_session=False)
)
_CLAIMED_ROWS = (
    select(InboundMessage)
    .where(InboundMessage.id.in_(bindparam("ids", expanding=True)))
    .order_by(InboundMessage.id)
)
_STATUS = PreparedRead(
    select(InboundMessage.status).where(InboundMessage.id == bindparam("inbound_id"))
)
# By holder, not by message: a lease another worker took since the read is not ended.
_END_LEASES = (
    update(InboundClaim)
    .where(InboundClaim.holder.in_(bindparam("holders", expanding=True)))
    .values(until=bindparam("now"))
    .execution_options(synchronize_session=False)
)
_RELEASE = delete(InboundClaim).where(InboundClaim.inbound_id.in_(bindparam("ids", expanding=True)))
BATCH = 20  # messages one job takes at most: one claim and one commit for all of them


def _holder() -> str:
    """Who holds a claim: this machine and process (``holders``)."""
    return holders.this_process()


def free_dead_leases(services: Services) -> int:
    """End now the leases of workers of this machine that died (killed mid-batch, say), so
    their messages are tried again at once instead of when the lease runs out; how many."""
    with services.sessions() as session, session.begin():
        claims = session.execute(select(InboundClaim.holder)).scalars().all()
        dead = [holder for holder in claims if holders.died_here(holder)]
        if dead:
            session.execute(_END_LEASES, {"holders": sorted(set(dead)), "now": services.now()})
    return len(dead)


def _release_claim(session: Session, inbound_id: int) -> None:
    """The work is done (or recorded as failed): the lease goes, in the caller's transaction."""
    session.execute(_RELEASE, {"ids": [inbound_id]})


def _flag_set_aside(services: Services, inbound_id: int) -> None:
    """Tell the coordinators a message was set aside, with what went wrong."""
    with services.unit() as uow:
        message = uow.session.get_one(InboundMessage, inbound_id)
        coordinators.flag(
            uow,
            None,
            f"inbound mail from {message.from_addr} failed processing; set aside",
            message.error or "",
            inbound_id=inbound_id,
        )


def _record_failure(services: Services, inbound_id: int, error: Exception) -> str:
    """Keep the error; after the last attempt, put the message on the attention list."""
    with services.unit() as uow:
        status = _note_failure(uow.session.get_one(InboundMessage, inbound_id), error, services)
        _release_claim(uow.session, inbound_id)
    if status == "set_aside":
        _flag_set_aside(services, inbound_id)
    return status


def _note_failure(message: InboundMessage, error: Exception, services: Services) -> str:
    """The error kept on the row, which is to be tried again or, out of attempts, set aside."""
    message.error = f"{type(error).__name__}: {error}"[:2000]
    message.status = (
        "set_aside" if message.attempts >= services.config.inbound_max_attempts else "error"
    )
    return message.status


def _process(uow: Unit, message: InboundMessage, reading: Reading | None = None) -> str:
    """Classify, route, check the sender, understand, act; returns the final status (the
    message is read here unless its batch read it already)."""
    reading = reading or read_message(message.raw, with_intent=False)
    _record_reading(message, reading)
    if reading.kind is not MailKind.HUMAN:
        return automatic.handle(uow, message, reading)
    with uow.session.no_autoflush:  # lookups only: what the reading found is written later, once
        digest_token = digest.token_of(uow.session, reading, uow.now)
        route = route_message(uow.session, reading) if digest_token is None else None
    if digest_token is not None:  # a reply to a coordinators' digest: commands, not a participant
        failed = authresults.verdict_of(reading).dmarc_failed
        return digest.act_on_reply(uow, message, reading, digest_token, dmarc_failed=failed)
    assert route is not None
    if route.participant is None:
        return _unknown_sender(uow, message, reading, route.program)
    message.participant_id = route.participant.id
    if route.participant.status != "active":
        return _from_former_participant(uow, message, reading, route)
    verdict = authresults.verdict_of(reading)
    # --- security: the receiving side says the From: is not theirs (unless a coordinator
    # released the message: service/held.py)
    if verdict.dmarc_failed and not held.released(uow.session, message.id):
        return _hold_failed_dmarc(uow, message, reading, route.participant, verdict)
    if route.token is not None and not sender_matches(reading, route.participant):
        return _hold_for_sender_check(uow, message, reading, route.participant)
    with uow.session.no_autoflush:  # lookups (loops flushes what its count must see)
        stop = loops.reason_to_stop(uow, message, reading, route)
    if stop:  # --- security: bounded automatic answers
        return _hold_loop(uow, message, reading, route.participant, stop)
    understanding = _understand(uow, message, reading, route)
    # the outcome, set before the reply acts: the reading and it are written in one prepared
    # UPDATE, not by a flush (an error rolls it back with everything the reply did)
    message.status, message.processed_at = "processed", uow.now
    write_changes(uow.session, message, _READ_COLUMNS)
    replies.handle(uow, replies.Reply(message, route, reading, understanding, route.participant))
    return "processed"


# what the reading, the routing and the outcome set on the row
_READ_COLUMNS = (
    "status", "kind", "reasons", "from_addr", "subject", "context", "intent", "reply_text",
    "participant_id", "processed_at",
)  # fmt: skip


def _record_reading(message: InboundMessage, reading: Reading) -> None:
    """Keep what the reading found on the stored row, for people and for the record."""
    parsed = reading.parsed
    message.kind = reading.kind
    message.reasons = list(reading.classification.reasons) + list(reading.problems)
    message.from_addr = parsed.from_addr
    message.subject = parsed.subject[:1000]
    message.reply_text = reading.reply[:20000]


def _asked_month(route: Route, reading: Reading) -> int | None:
    """The month a check-in asked about: the check-in's own date from its reply token, else
    the date the reply's subject or quote gives (a token issued before tokens carried it)."""
    stored = route.token.payload.get("since") if route.token is not None else None
    if isinstance(stored, str):
        return date.fromisoformat(stored).month
    return asked_since_in(reading.parsed)


def _understand(
    uow: Unit, message: InboundMessage, reading: Reading, route: Route
) -> Understanding:
    """Read the intent once, in the context routing found; a failure reads as unclear."""
    problems: list[str] = []
    # lookups only: the reading's fields on the row are written with the outcome, in one UPDATE
    with uow.session.no_autoflush:
        options = _options(uow.session, reading, route) if route.context is Context.SEARCH else ()
        since = _asked_month(route, reading) if route.context is Context.CHECKIN else None
        ahead = _read_ahead(uow.session, message.id, route, options, since)
        if ahead is not None:
            understanding = ahead.understanding
            problems.extend(ahead.problems)
        else:
            understanding = understand_safely(
                reading.reply,
                route.context,
                problems,
                options,
                since_month=since,
                names=lambda: names_of(
                    reading.parsed, reading.reply, *pair_names(uow.session, route)
                ),
            )
    message.context, message.intent = route.context, understanding.intent
    message.reasons = [*message.reasons, *problems]
    return understanding


UNDERSTOOD_AHEAD = "inbound.understood_ahead"  # session.info: a batch's ``Ahead`` by message


@dataclass(frozen=True)
class Ahead:
    """A reply's intent read with its batch's others, before any of them acted, and what it
    was read with: used at the reply's turn only if that is what its turn reads it with."""

    context: Context
    since: int | None
    known: tuple[str, ...] | None  # the names the second opinion was given; None: not asked
    understanding: Understanding
    problems: tuple[str, ...]


def understand_ahead(session: Session, readings: dict[int, Reading]) -> None:
    """Read the intent of each reply of a batch addressed to a reply token the batch loaded,
    one after the other, before the first acts (the same work back to back, not between
    decisions and emails). Pure work on rows the session holds: nothing is read or written;
    a reply whose context or names its turn finds changed is read again then."""
    ahead: dict[int, Ahead] = {}
    for inbound_id, reading in readings.items():
        try:
            found = _ahead_of(session, reading)
        except Exception:  # read again, and the error met, at its turn (in its savepoint)
            continue
        if found is not None:
            ahead[inbound_id] = found
    session.info[UNDERSTOOD_AHEAD] = ahead


def _ahead_of(session: Session, reading: Reading) -> Ahead | None:
    """The reply read for its intent now, if its route and names are in what the batch read."""
    route = addressed_route(session, reading) if reading.kind is MailKind.HUMAN else None
    if route is None or route.participant is None or route.participant.status != "active":
        return None  # routed at its turn (and not read for its intent if not a participant's)
    if route.context is Context.SEARCH:
        return None  # a search's options are read at its turn
    known = held_pair_names(session, route)
    return None if known is None else _understood(reading, route, known)


def _understood(reading: Reading, route: Route, known: tuple[str, ...]) -> Ahead:
    """The reply's intent in its route's context, as ``_understand`` reads it."""
    since = _asked_month(route, reading) if route.context is Context.CHECKIN else None
    problems: list[str] = []
    asked: list[tuple[str, ...]] = []

    def names() -> frozenset[str]:
        """The names, noted as asked for."""
        asked.append(known)
        return names_of(reading.parsed, reading.reply, *known)

    understanding = understand_safely(
        reading.reply, route.context, problems, (), since_month=since, names=names
    )
    return Ahead(route.context, since, known if asked else None, understanding, tuple(problems))


def _read_ahead(
    session: Session,
    inbound_id: int,
    route: Route,
    options: tuple[Option, ...],
    since: int | None,
) -> Ahead | None:
    """The batch's reading of this reply, if it was read with what its turn would read it
    with: the same context, options, month and (if the second opinion asked) names."""
    found = session.info.get(UNDERSTOOD_AHEAD, {}).get(inbound_id)
    if not isinstance(found, Ahead) or options:
        return None
    if (found.context, found.since) != (route.context, since):
        return None
    if found.known is not None and pair_names(session, route) != found.known:
        return None
    return found


def pair_names(session: Session, route: Route) -> tuple[str, ...]:
    """The names of the writer and of the pair or request their reply token is about, which
    the second opinion reads as one mark (looked up only when it is asked): both people's in
    one read, or none when the session holds the row and its two people already."""
    held = held_pair_names(session, route)
    if held is not None:
        return held
    named = _named_by(route.token)
    assert named is not None  # held_pair_names gives the names when the token names no pair
    _, names, key = named
    with session.no_autoflush:  # the reading's outcome is written once, when the reply acts
        pair = names.first_in(session, {"id": key}) or ()
    return _with_writer(route, pair)


def held_pair_names(session: Session, route: Route) -> tuple[str, ...] | None:
    """``pair_names`` from the rows the session holds; None when they would have to be read."""
    named = _named_by(route.token)
    if named is None:
        return _with_writer(route, ())
    about, _, key = named
    pair = _held_names(session, about, key)
    return None if pair is None else _with_writer(route, pair)


def _named_by(
    token: ReplyToken | None,
) -> tuple[type[Match | MentorshipRequest], PreparedRead, int] | None:
    """The pair or request a reply token is about, the read of its two names, and its id."""
    match_id = token.payload.get("match_id") if token is not None else None
    if isinstance(match_id, int):
        return Match, _MATCH_NAMES, match_id
    if token is not None and token.request_id is not None:
        return MentorshipRequest, _REQUEST_NAMES, token.request_id
    return None


def _with_writer(route: Route, pair: tuple[str, ...]) -> tuple[str, ...]:
    """The writer's name, then the pair's, each once."""
    writer = (route.participant.name,) if route.participant is not None else ()
    return tuple(dict.fromkeys((*writer, *pair)))


def _held_names(
    session: Session, about: type[Match | MentorshipRequest], key: int
) -> tuple[str, ...] | None:
    """The mentor's and mentee's names of a row the session holds loaded with both its people."""
    row = _held(session, about, key)
    if row is None:
        return None
    people = [_held(session, Participant, i) for i in (row.mentor_id, row.mentee_id)]
    return None if None in people else tuple(str(p.name) for p in people)


def _held(session: Session, kind: type[Any], key: int) -> Any:
    """The loaded row of ``kind`` with this primary key that the session holds, else None."""
    found = session.identity_map.get(identity_key(kind, key))
    return None if found is None or inspect(found).expired else found


def _names_of_pair(about: type[Match | MentorshipRequest]) -> PreparedRead:
    """One read of the mentor's and the mentee's names of a match or a request, by its id."""
    mentor, mentee = aliased(Participant), aliased(Participant)
    return PreparedRead(
        select(mentor.name, mentee.name)
        .select_from(about)
        .join(mentor, mentor.id == about.mentor_id)
        .join(mentee, mentee.id == about.mentee_id)
        .where(about.id == bindparam("id"))
    )


_MATCH_NAMES = _names_of_pair(Match)  # prepared once: a clear reading of a pair's reply
_REQUEST_NAMES = _names_of_pair(MentorshipRequest)  # and of an answer to a request


def _options(session: Session, reading: Reading, route: Route) -> tuple[Option, ...]:
    """The list of mentors a search reply answers: the one the token remembers, in its order
    (name, then what they do, as the email showed them), else the one the reply quotes."""
    ids = route.token.payload.get("mentor_ids", []) if route.token is not None else []
    offered = [found for i in ids if (found := session.get(Participant, i)) is not None]
    if offered and len(offered) == len(ids):
        return tuple(Option(m.name, ", ".join(x for x in (m.profession, m.industry) if x))
                     for m in offered)  # fmt: skip
    return quoted_options(reading.parsed.text or "")


# --- who wrote -------------------------------------------------------------------------------


def _hold_for_sender_check(
    uow: Unit, message: InboundMessage, reading: Reading, person: Participant
) -> str:
    """Nothing acts; a person sees it; the participant may confirm the address is theirs."""
    sender = (reading.parsed.from_addr or "").lower()
    coordinators.flag(
        uow,
        person.program_id,
        f"a reply meant for {named(person)} came from {sender}; nothing done",
        reading.reply[:2000],
        person=person,
        inbound_id=message.id,
    )
    if sender and "@" in sender and not _is_participant(uow.session, person.program_id, sender):
        outbox.write(
            uow,
            Draft(
                program=person.program,
                template="confirm_address",
                key=idempotency_key("confirm", person.id, sender),
                to=person,
                context={"other_address": sender, "reply_text": reading.reply[:2000]},
                actions={"confirm": LinkSpec("confirm_address", person.id, target_id=message.id)},
            ),
        )
    return "held"


def _hold_failed_dmarc(
    uow: Unit,
    message: InboundMessage,
    reading: Reading,
    person: Participant,
    verdict: authresults.Verdict,
) -> str:
    """Mail in a participant's name that failed DMARC: recorded, held, nothing acts."""
    message.reasons = [*message.reasons, f"failed DMARC ({verdict.describe()}); held"]
    coordinators.flag(
        uow,
        person.program_id,
        f"mail in the name of {named(person)} failed the sender check"
        f" ({verdict.describe()}); held, nothing done: mentormail release {message.id}"
        f" lets it act, mentormail discard {message.id} drops it",
        reading.reply[:2000],
        person=person,
        inbound_id=message.id,
    )
    return "held"


def _hold_loop(
    uow: Unit, message: InboundMessage, reading: Reading, person: Participant, why: str
) -> str:
    """Mail we must stop answering for now (a loop, or too much mail): held for a person."""
    message.reasons = [*message.reasons, f"not answered: {why}"]
    reason = f"stopped answering {named(person)} for now ({why}); their mail waits for you"
    if not loops.already_flagged(uow, person, reason):
        coordinators.flag(
            uow,
            person.program_id,
            reason,
            reading.reply[:2000],
            person=person,
            inbound_id=message.id,
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


def release_held(uow: Unit, inbound_id: int) -> None:
    """Let a held message be processed again (its sender was confirmed)."""
    message = uow.session.get_one(InboundMessage, inbound_id)
    if message.status == "held":
        message.status, message.attempts, message.error = "received", 0, None
        queue_after_commit(uow.session, "inbound", PROCESS_JOB, inbound_id)


def _from_former_participant(
    uow: Unit, message: InboundMessage, reading: Reading, route: Route
) -> str:
    """Mail from someone who left: never mailed again, nothing acts; a person may read it."""
    person = route.participant
    assert person is not None
    said = _understand(uow, message, reading, route)
    if reading.reply.strip() and said.intent is not Intent.STOP:
        coordinators.flag(
            uow,
            person.program_id,
            f"mail from {named(person)}, who has left the program; nothing done",
            reading.reply[:2000],
            person=person,
            inbound_id=message.id,
        )
    return "held"


def _unknown_sender(
    uow: Unit, message: InboundMessage, reading: Reading, program: Program | None
) -> str:
    """A stranger gets at most one polite "how to join" a day; a question reaches a person."""
    sender = (reading.parsed.from_addr or "").lower()
    if not sender or "@" not in sender:
        return "ignored"
    coordinated = coordinators.is_coordinator(uow, sender)
    if coordinated is not None:  # commands come as replies to a digest (service/digest.py)
        coordinators.flag(
            uow,
            coordinated.id,
            f"coordinator {sender} wrote",
            reading.reply[:4000],
            inbound_id=message.id,
        )
        return "from_coordinator"
    if program is None:
        return "ignored"
    from mentormail.service import joining  # asking to mentor, where approval is needed

    joined = joining.handle_stranger(uow, message, reading, program, sender)
    if joined is not None:
        return joined
    if "?" in reading.reply:
        coordinators.flag(
            uow,
            program.id,
            f"{sender}, who is not in the program, asks a question",
            reading.reply[:4000],
            inbound_id=message.id,
        )
    if not loops.may_answer_stranger(uow, message, reading, sender):  # --- security
        return "unknown_sender"
    outbox.write(
        uow,
        Draft(
            program=program,
            template="unknown_sender",
            key=limited_key(Limit.UNKNOWN_SENDER, f"{program.id}:{sender}", uow),
            to_addr=sender,
        ),
    )
    return "unknown_sender"
