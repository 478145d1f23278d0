"""The clock's sweep: ask the database what is due and do it. Safe to run any number of times."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import (
    agreement,
    checkins,
    coordinators,
    digest,
    fit,
    inbound,
    outbox,
    privacy,
    proposals,
    quiet,
    reminders,
    requests,
    surveys,
    termend,
    welcome,
)
from mentormail.service.context import PROCESS_JOB, SEND_JOB, Services, Unit
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.models import InboundMessage, MentorshipRequest, OutboundMessage
from mentormail.workflows import request

LOST_AFTER = timedelta(minutes=2)  # a queued job should have started by then
# --- security: a claimed row cannot be processed twice, so inbound work lost with Redis
# may be queued again sooner (a second job finds the row taken and skips it)
INBOUND_LOST_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class DueWork:
    """One row of the sweep's table: which rows are due at an instant, what to do to one, and
    what its counter counts (the rows acted on, or the emails the work wrote: "welcome 1"
    was one batch of newcomers, five emails; "digests 1" a first date set, no digest)."""

    name: str
    due: Callable[[Session, datetime], list[int]]
    act: Callable[[Unit, int], None]  # raises InvalidTransition when the row moved on meanwhile
    counts_emails: bool = True


def _rows(name: str, due: Callable[[Session, datetime], list[int]], act: Any) -> DueWork:
    """A row of the table whose counter counts the rows acted on (requests, proposals, …)."""
    return DueWork(name, due, act, counts_emails=False)


def _pending_past_due(session: Session, now: datetime) -> list[int]:
    """Requests still waiting past their due date."""
    return list(
        session.scalars(
            select(MentorshipRequest.id).where(
                MentorshipRequest.state == request.RequestState.PENDING,
                MentorshipRequest.due_at <= now,
            )
        )
    )


def _expire_request(uow: Unit, request_id: int) -> None:
    """No answer in time: the mentee may ask someone else."""
    req = uow.session.get_one(MentorshipRequest, request_id)
    requests.decide(uow, req, request.ResponseWindowPassed(), "")
    reminders.after_expiry(uow, req)  # twice in a row pauses the mentor


# Counters name what they count: rows acted on (expired_requests, …) or emails written
# (request_reminders, checkins, welcome_emails, digests, …).
DUE: tuple[DueWork, ...] = (
    _rows("expired_requests", _pending_past_due, _expire_request),
    # --- the year on the clock (expiries first: a closed request is never reminded)
    DueWork("request_reminders", reminders.reminders_due, reminders.remind),
    *(DueWork(*row) for row in (*checkins.DUE, *fit.DUE, *surveys.DUE)),
    *(_rows(*row) for row in quiet.DUE),  # emails let go, one a row
    _rows("raw_mail_removed", privacy.raw_mail_due, privacy.remove_raw_mail),
    *(DueWork(*row) for row in welcome.DUE),  # before the digest (who joined when)
    *(_rows(*row) for row in coordinators.DUE),
    DueWork("digests", digest.due_programs, digest.send_due),
    DueWork("term_end_emails", termend.due, termend.on_time),
    DueWork("agreement_emails", agreement.due, agreement.on_time),
    DueWork("goal_nudges", agreement.goals_due, agreement.nudge),
    *(_rows(*row) for row in proposals.DUE),
)


@dataclass
class SweepReport:
    """What one sweep did: how many rows of each kind of due work, and queue repairs."""

    done: dict[str, int] = field(default_factory=dict)
    sends_queued: int = 0
    inbound_queued: int = 0

    @property
    def expired_requests(self) -> int:
        """Requests closed for want of an answer."""
        return self.done.get("expired_requests", 0)


def sweep(services: Services) -> SweepReport:
    """Do every kind of due work, then re-queue due and lost sends and unprocessed mail."""
    report = SweepReport()
    for work in DUE:
        report.done[work.name] = _do(services, work)
    report.sends_queued = _requeue_sends(services)
    report.inbound_queued = _requeue_inbound(services)
    return report


def _do(services: Services, work: DueWork) -> int:
    """Each due row in its own unit of work, so one failure never blocks the rest."""
    with services.sessions() as session:
        due = work.due(session, services.now())
    done = 0
    for item_id in due:
        try:
            with services.unit() as uow:
                quiet.mark_scheduled(uow)  # its mail waits for people's mornings
                before = outbox.written_in(uow.session)
                work.act(uow, item_id)
                wrote = outbox.written_in(uow.session) - before
            done += wrote if work.counts_emails else 1
        except InvalidTransition:  # answered since we looked
            continue
    return done


def _requeue_sends(services: Services) -> int:
    """Queue retries that are due, sends whose job was lost, and sends that died midway."""
    now = services.now()
    with services.sessions() as session, session.begin():
        stuck = session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.status == "sending", OutboundMessage.next_attempt_at <= now
            )
        ).all()
        for row in stuck:
            row.status = "retry"
        ids = _sends_to_queue(session, now)
    for outbound_id in ids:
        services.enqueue_safely("outbound", SEND_JOB, outbound_id)
    return len(ids)


def _sends_to_queue(session: Session, now: datetime) -> list[int]:
    """Retries that are due or have no time, and sends whose job was lost: three indexed
    queries rather than one OR, which SQLite answers by reading the whole outbox."""
    retry, pending = OutboundMessage.status == "retry", OutboundMessage.status == "pending"
    wanted = (
        retry & (OutboundMessage.next_attempt_at <= now),
        retry & OutboundMessage.next_attempt_at.is_(None),
        pending & (OutboundMessage.created_at <= now - LOST_AFTER),
    )
    found: set[int] = set()
    for condition in wanted:
        found.update(session.scalars(select(OutboundMessage.id).where(condition)))
    return sorted(found)


def _requeue_inbound(services: Services) -> int:
    """Queue mail that was stored but never processed, failed, or whose worker died; process()
    tries it again or, its attempts spent, sets it aside for the coordinators."""
    inbound.free_dead_leases(services)
    now = services.now()
    with services.sessions() as session:
        ids = session.scalars(
            select(InboundMessage.id).where(
                inbound.to_retry(now),  # --- security: also rows whose worker died (a lease)
                InboundMessage.received_at <= now - INBOUND_LOST_AFTER,
            )
        ).all()
    for inbound_id in ids:
        services.enqueue_safely("inbound", PROCESS_JOB, inbound_id)
    return len(ids)
