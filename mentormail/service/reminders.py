"""The request-reminder shell: remind a mentor who has not answered, and pause one whose
requests expire twice in a row (asking kindly whether they are still available)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import availability, effects, requests
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.models import MentorshipRequest
from mentormail.workflows import availability as availability_rules
from mentormail.workflows import reminders
from mentormail.workflows.request import RequestState


def schedule_first(req: MentorshipRequest) -> None:
    """A new request: its first reminder is due at half the response window."""
    if req.due_at is not None:
        req.remind_at = reminders.first_reminder_at(req.created_at, req.due_at)


def after_more_time(req: MentorshipRequest, now: datetime) -> None:
    """The mentor asked for more time: one reminder, the day before the new date."""
    if req.due_at is not None:
        req.remind_at = reminders.after_more_time(now, req.due_at)


def reminders_due(session: Session, now: datetime) -> list[int]:
    """Pending requests whose next reminder is due."""
    return list(
        session.scalars(
            select(MentorshipRequest.id).where(
                MentorshipRequest.remind_at <= now,
                MentorshipRequest.state == RequestState.PENDING,
            )
        )
    )


def remind(uow: Unit, request_id: int) -> None:
    """Send the reminder due now (once per step) and set when the next one is due."""
    req = requests.locked(uow, uow.session.get_one(MentorshipRequest, request_id))
    if req.state != RequestState.PENDING or req.due_at is None:
        req.remind_at = None  # answered since we looked: nothing more to remind
        return
    decision = reminders.decide(req.created_at, req.due_at, uow.now)
    req.remind_at = decision.next_at
    subject = Subject(
        program=req.mentor.program,
        workflow="request",
        subject_id=req.id,
        mentor=req.mentor,
        mentee=req.mentee,
        request=req,
        values={"last_day": decision.step is reminders.ReminderStep.LAST_DAY},
    )
    effects.apply(uow, subject, decision.effects)


def after_expiry(uow: Unit, req: MentorshipRequest) -> None:
    """A request expired: a mentor whose requests expire twice in a row is paused and asked."""
    mentor = req.mentor
    outcomes = list(
        uow.session.scalars(
            select(MentorshipRequest.state)
            .where(
                MentorshipRequest.mentor_id == mentor.id,
                MentorshipRequest.state != RequestState.PENDING,
            )
            .order_by(MentorshipRequest.decided_at.desc(), MentorshipRequest.id.desc())
            .limit(50)
        )
    )
    available = mentor.availability == availability_rules.Availability.AVAILABLE
    if mentor.status == "active" and reminders.should_pause(outcomes, available):
        availability.change(uow, mentor, availability_rules.NotAnswering(), f"expired{req.id}")
