"""Send outbox rows through the transport: claim them, honour suppressions, record, retry.

Rows are claimed and finished in batches (one conditional UPDATE claims many, one
transaction records many), and one job sends the due rows of one *batch* of ids
(``BATCH`` consecutive ids), so a backlog costs one queued job per batch, never one per
re-queue. The claim is exactly-once: the UPDATE only takes rows that are pending or
retry, and says which it took.

Bounds (documented in the README): a claimed row is taken back by the sweep ``SEND_LEASE``
after its claim; a worker starts no send later than ``START_WITHIN`` after the claim
(what it has not started yet it hands back at once), and the transports' timeouts keep a
send inside the rest. A worker killed mid-batch leaves at most ``FINISH_EVERY`` sent but
unrecorded rows; they are sent again after the lease, with the same Message-ID and the
same SendGrid ``custom_args`` key, so the duplicate is recognisable downstream.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update

from mentormail.service import announcements, automatic, coordinators, verp
from mentormail.service.context import SEND_JOB, Services
from mentormail.service.exceptions import PermanentSendError, TransientSendError
from mentormail.service.models import OutboundMessage
from mentormail.service.people import suppressed_among
from mentormail.service.ports import BulkMailer, OutgoingEmail
from mentormail.workflows.announcement import PER_REQUEST

log = logging.getLogger(__name__)
SENDABLE = ("pending", "retry")
SEND_LEASE = timedelta(minutes=2)  # then the sweep takes a claimed row back
START_WITHIN = timedelta(minutes=1)  # no send starts later than this after the claim
BATCH = 100  # consecutive outbox ids one job sends (and one RQ job id names)
FINISH_EVERY = 50  # sent rows recorded together, at most (one commit each time)


def batch_of(outbound_id: int) -> int:
    """The batch an outbox row belongs to (what its send job is named by)."""
    return int(outbound_id) // BATCH


def send(services: Services, outbound_id: int) -> str:
    """Send one outbox row once; safe to call twice (only one caller can claim the row)."""
    return send_rows(services, [outbound_id]).outcome.get(outbound_id, "skipped")


def send_batch(services: Services, outbound_id: int) -> SendReport:
    """The send job: this row and every other due row of its batch (of an announcement's
    row: the next ``PER_REQUEST`` due rows of that announcement, one SendGrid request)."""
    first = batch_of(outbound_id) * BATCH
    with services.sessions() as session:
        row = session.get(OutboundMessage, outbound_id)
        prefix = announcements.group_prefix(row) if row is not None else None
        if prefix is not None:
            return send_rows(services, [outbound_id, *_announcement_due(services, row, prefix)])
        due = session.scalars(
            select(OutboundMessage.id)
            .where(
                OutboundMessage.id >= first,
                OutboundMessage.id < first + BATCH,
                OutboundMessage.id != outbound_id,
                OutboundMessage.template != announcements.TEMPLATE,  # they go 1,000 at a time
                _due(services),
            )
            .order_by(OutboundMessage.id)
        ).all()
    return send_rows(services, [outbound_id, *due])


def _announcement_due(services: Services, row: Any, prefix: str) -> list[int]:
    """The due rows of one announcement from this one on, as many as one request takes."""
    with services.sessions() as session:
        return list(
            session.scalars(
                select(OutboundMessage.id)
                .where(
                    OutboundMessage.id > row.id,
                    OutboundMessage.template == row.template,
                    OutboundMessage.idempotency_key.startswith(prefix, autoescape=True),
                    _due(services),
                )
                .order_by(OutboundMessage.id)
                .limit(PER_REQUEST - 1)
            )
        )


def _due(services: Services) -> Any:
    """Rows a worker may send now: pending, or a retry whose time has come."""
    return or_(
        OutboundMessage.status == "pending",
        (OutboundMessage.status == "retry")
        & (
            OutboundMessage.next_attempt_at.is_(None)
            | (OutboundMessage.next_attempt_at <= services.now())
        ),
    )


@dataclass
class SendReport:
    """What one call did to each row it was given: sent, retry, shunted, suppressed,
    handed back, or skipped (someone else had it)."""

    outcome: dict[int, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many rows ended each way."""
        found: dict[str, int] = {}
        for status in self.outcome.values():
            found[status] = found.get(status, 0) + 1
        return found


def send_rows(services: Services, ids: list[int]) -> SendReport:
    """Claim these rows, then send each claimed one; safe to call twice."""
    report = SendReport()
    claimed_at = services.now()
    rows = _claim(services, ids)
    with services.sessions() as session:
        suppressed = suppressed_among(session, [r.to_addr for r in rows])
    finished = _Finisher(services, report)
    rows = [row for row in rows if not _suppressed(services, row, suppressed, report)]
    rows = _send_bundles(services, rows, claimed_at, finished, report)
    for number, row in enumerate(rows):
        if services.now() - claimed_at > START_WITHIN:
            finished.flush()
            _hand_back(services, rows[number:], report)
            break
        try:
            provider_id = services.mailer().send(outgoing(row, services.config.secret_key))
        except TransientSendError as error:
            report.outcome[row.id] = _retry_or_shunt(services, row, str(error))
        except PermanentSendError as error:
            report.outcome[row.id] = _shunt(services, row, f"refused: {error}")
        except Exception as error:  # a bug or a surprise: never a row left "sending"
            log.exception("outbox %s: unexpected error while sending", row.id)
            report.outcome[row.id] = _retry_or_shunt(
                services, row, f"{type(error).__name__}: {error}"
            )
        else:
            finished.add(row.id, provider_id)
    finished.flush()
    for outbound_id in ids:
        report.outcome.setdefault(outbound_id, "skipped")
    return report


def _suppressed(
    services: Services, row: OutboundMessage, suppressed: set[str], report: SendReport
) -> bool:
    """A row to a suppressed address is never sent (its waiting reader is told)."""
    if row.to_addr.lower() not in suppressed:
        return False
    report.outcome[row.id] = _undeliverable(services, row.id)
    return True


def _send_bundles(
    services: Services,
    rows: list[OutboundMessage],
    claimed_at: Any,
    finished: _Finisher,
    report: SendReport,
) -> list[OutboundMessage]:
    """With a transport that sends to many at once, each announcement's rows go as one
    request per ``max_recipients``; the rows left to send one by one are returned (those
    of a request the provider refused for good too, so only the bad one is set aside)."""
    bulk = services.mailer()
    if not isinstance(bulk, BulkMailer):
        return rows
    with services.sessions() as session:
        made, alone = announcements.bundles(session, rows, bulk.max_recipients)
    for message, members in made:
        if services.now() - claimed_at > START_WITHIN:
            alone.extend(members)  # handed back by the loop that follows
            continue
        try:
            provider_id = bulk.send_personalized(message)
        except PermanentSendError as error:
            log.warning("announcement request refused, sending one by one: %s", error)
            alone.extend(members)
            continue
        except Exception as error:  # transient, or a surprise: every row tries again later
            for row in members:
                report.outcome[row.id] = _retry_or_shunt(services, row, str(error))
            continue
        for row in members:
            finished.add(row.id, provider_id)
        finished.flush()  # a thousand sent rows are recorded at once, not fifty at a time
    return sorted(alone, key=lambda r: r.id)


def _claim(services: Services, ids: list[int]) -> list[OutboundMessage]:
    """Mark the rows as being sent, if they still need sending; a race has one winner."""
    if not ids:
        return []
    with services.sessions() as session, session.begin():
        taken = session.scalars(
            update(OutboundMessage)
            .where(OutboundMessage.id.in_(ids), OutboundMessage.status.in_(SENDABLE))
            .values(
                status="sending",
                attempts=OutboundMessage.attempts + 1,
                next_attempt_at=services.now() + SEND_LEASE,  # then the sweep takes it back
            )
            .returning(OutboundMessage.id)
            .execution_options(synchronize_session=False)
        ).all()
        if not taken:
            return []
        rows = list(
            session.scalars(
                select(OutboundMessage)
                .where(OutboundMessage.id.in_(taken))
                .order_by(OutboundMessage.id)
            )
        )
        session.expunge_all()
        return rows


def outgoing(row: OutboundMessage, secret: str = "") -> OutgoingEmail:
    """The transport's view of an outbox row; with the secret, its signed bounce address
    (VERP: a delivery report sent there names this row, and a forged one cannot)."""
    return OutgoingEmail(
        message_id=row.message_id,
        from_addr=row.from_addr,
        to_addr=row.to_addr,
        subject=row.subject,
        text=row.text,
        html=row.html,
        reply_to=row.reply_to,
        headers=dict(row.headers or {}),
        categories=(row.template,),
        # the same on every attempt, so a duplicate delivery is recognisable downstream
        custom_args={"outbox_id": str(row.id), "idempotency_key": row.idempotency_key},
        to_name=row.to_name or "",
        date=row.created_at,
        envelope_from=(
            verp.bounce_address(row.id, row.reply_to.rsplit("@", 1)[-1], secret) if secret else ""
        ),
    )


class _Finisher:
    """Records sent rows, a few at a time, in one transaction each."""

    def __init__(self, services: Services, report: SendReport) -> None:
        self.services, self.report = services, report
        self.pending: list[tuple[int, str]] = []

    def add(self, outbound_id: int, provider_id: str) -> None:
        """One more sent row; recorded now if enough are waiting."""
        self.pending.append((outbound_id, provider_id))
        if len(self.pending) >= FINISH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Record every waiting row as sent."""
        if not self.pending:
            return
        now = self.services.now()
        values = [
            {
                "id": outbound_id,
                "status": "sent",
                "provider_id": provider_id,
                "sent_at": now,
                "last_error": None,
                "next_attempt_at": None,
            }
            for outbound_id, provider_id in self.pending
        ]
        with self.services.sessions() as session, session.begin():
            session.execute(update(OutboundMessage), values)
        for outbound_id, _ in self.pending:
            self.report.outcome[outbound_id] = "sent"
        self.pending = []


def _hand_back(services: Services, rows: list[OutboundMessage], report: SendReport) -> None:
    """Rows claimed but not started within START_WITHIN: due again now, queued again."""
    ids = [r.id for r in rows]
    with services.sessions() as session, session.begin():
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id.in_(ids), OutboundMessage.status == "sending")
            .values(
                status="retry",
                attempts=OutboundMessage.attempts - 1,  # never tried
                next_attempt_at=services.now(),
            )
            .execution_options(synchronize_session=False)
        )
    for outbound_id in ids:
        report.outcome[outbound_id] = "handed back"
    services.enqueue_safely("outbound", SEND_JOB, ids[0])


def _undeliverable(services: Services, outbound_id: int) -> str:
    """Never sent to a suppressed address; whoever waits on its answer is told at once."""
    with services.unit() as uow:
        row = uow.session.get_one(OutboundMessage, outbound_id)
        row.status, row.last_error, row.next_attempt_at = (
            "suppressed",
            "address is suppressed",
            None,
        )
        automatic.undeliverable(uow, row)
    return "suppressed"


def _retry_or_shunt(services: Services, row: OutboundMessage, error: str) -> str:
    """Try again later with growing gaps, until the attempts run out."""
    if row.attempts >= services.config.send_max_attempts:
        return _shunt(services, row, f"gave up after {row.attempts} attempts: {error}")
    delay = timedelta(minutes=2 ** (row.attempts - 1))
    with services.sessions() as session, session.begin():
        current = session.get_one(OutboundMessage, row.id)
        current.status, current.last_error = "retry", error[:2000]
        current.next_attempt_at = services.now() + delay
    log.warning("outbox %s: transient failure, retry in %s: %s", row.id, delay, error)
    return "retry"


def _shunt(services: Services, row: OutboundMessage, error: str) -> str:
    """Never drop a message: set it aside for a person, with the reason."""
    with services.unit() as uow:
        current = uow.session.get_one(OutboundMessage, row.id)
        current.status, current.last_error, current.next_attempt_at = "shunted", error[:2000], None
        coordinators.flag(
            uow,
            current.program_id,
            f"email to {current.to_addr} could not be sent",
            f"{current.subject}: {error}",
        )
    return "shunted"
