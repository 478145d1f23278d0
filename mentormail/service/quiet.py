"""Quiet hours in the shell: mail the clock's sweep writes to a participant waits for their
morning in the program's time zone (outbox status ``waiting``); the sweep lets it go then."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.context import SEND_JOB, Unit
from mentormail.service.local_time import to_local, to_utc, zone_of
from mentormail.service.models import MentorshipRequest, OutboundMessage, Program
from mentormail.workflows import quiet

SCHEDULED = "scheduled_mail"  # session.info key: this unit is the sweep's, not an answer
WAITING = "waiting"
SUPERSEDED = "superseded"  # held mail overtaken by events (a reminder after the answer)


def mark_scheduled(uow: Unit) -> None:
    """The mail this unit writes is scheduled (it answers nobody's message)."""
    uow.session.info[SCHEDULED] = True


def is_scheduled(session: Session) -> bool:
    """Whether this session's mail is scheduled."""
    return bool(session.info.get(SCHEDULED))


def hold_until(program: Program, now: datetime, own_zone: str = "") -> datetime | None:
    """When scheduled mail written now may go (naive UTC), or None for at once; kept in the
    person's own time zone when the people file gave one, else the program's."""
    settings = program.settings or {}
    zone = zone_of(settings, own_zone)
    hours = quiet.parse(
        settings.get("quiet_hours", "21:00-08:00"), settings.get("weekends", "send")
    )
    release = quiet.release_at(to_local(now, zone), hours)
    return None if release is None else to_utc(release, zone)


def waiting_due(session: Session, now: datetime) -> list[int]:
    """Held mail whose morning has come."""
    return list(
        session.scalars(
            select(OutboundMessage.id).where(
                OutboundMessage.status == WAITING, OutboundMessage.next_attempt_at <= now
            )
        )
    )


def release(uow: Unit, outbound_id: int) -> None:
    """Let one held email go."""
    row = uow.session.get_one(OutboundMessage, outbound_id)
    if row.status != WAITING:
        return
    req = uow.session.get(MentorshipRequest, row.request_id) if row.request_id else None
    if not quiet.still_wanted(row.template, req.state if req else None):
        row.status, row.next_attempt_at = SUPERSEDED, None  # kept, never sent
        return
    row.status, row.next_attempt_at = "pending", None
    uow.after_commit("outbound", SEND_JOB, row.id)


DUE = (("quiet_mail_released", waiting_due, release),)  # rows of the sweep's DUE table
