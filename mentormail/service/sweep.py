"""The clock's sweep: ask the database what is due and do it. Safe to run any number of times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select

from mentormail.service import matching
from mentormail.service.context import PROCESS_JOB, SEND_JOB, Services
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.models import InboundMessage, MentorshipRequest, OutboundMessage
from mentormail.workflows import request

LOST_AFTER = timedelta(minutes=2)  # a queued job should have started by then


@dataclass
class SweepReport:
    """What one sweep did."""

    expired_requests: int = 0
    sends_queued: int = 0
    inbound_queued: int = 0


def sweep(services: Services) -> SweepReport:
    """Expire unanswered requests, re-queue due and lost sends, re-queue unprocessed mail."""
    report = SweepReport()
    report.expired_requests = _expire_requests(services)
    report.sends_queued = _requeue_sends(services)
    report.inbound_queued = _requeue_inbound(services)
    return report


def _expire_requests(services: Services) -> int:
    """Each pending request past its due date: the mentee may ask someone else."""
    now = services.now()
    with services.sessions() as session:
        due = session.scalars(
            select(MentorshipRequest.id).where(
                MentorshipRequest.state == request.RequestState.PENDING,
                MentorshipRequest.due_at <= now,
            )
        ).all()
    expired = 0
    for request_id in due:
        with services.unit_of_work() as session:
            req = session.get_one(MentorshipRequest, request_id)
            try:
                matching.apply_request_event(
                    session, services, req, request.ResponseWindowPassed(), ""
                )
                expired += 1
            except InvalidTransition:  # answered since we looked
                continue
    return expired


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
        ids = session.scalars(
            select(OutboundMessage.id).where(
                or_(
                    (OutboundMessage.status == "retry") & (OutboundMessage.next_attempt_at <= now),
                    (OutboundMessage.status == "retry") & OutboundMessage.next_attempt_at.is_(None),
                    (OutboundMessage.status == "pending")
                    & (OutboundMessage.created_at <= now - LOST_AFTER),
                )
            )
        ).all()
    for outbound_id in ids:
        services.enqueue_safely("outbound", SEND_JOB, outbound_id)
    return len(ids)


def _requeue_inbound(services: Services) -> int:
    """Queue mail that was stored but never processed, or failed and may be tried again."""
    now = services.now()
    with services.sessions() as session:
        ids = session.scalars(
            select(InboundMessage.id).where(
                InboundMessage.status.in_(("received", "error")),
                InboundMessage.received_at <= now - LOST_AFTER,
                InboundMessage.attempts < services.config.inbound_max_attempts,
            )
        ).all()
    for inbound_id in ids:
        services.enqueue_safely("inbound", PROCESS_JOB, inbound_id)
    return len(ids)
