"""Ending someone's participation for conduct: every match ends (partners told kindly, never
why), they leave searches, and the record keeps who did it and why."""

from __future__ import annotations

from sqlalchemy import select

from mentormail.service import membership
from mentormail.service.context import Unit
from mentormail.service.exceptions import NotFound
from mentormail.service.models import Participant, ParticipationEnd, Program
from mentormail.service.people import active_matches_of


def find_participant(uow: Unit, address: str, slug: str | None = None) -> Participant:
    """The participant with this address (in the program, when given), or NotFound."""
    query = select(Participant).where(Participant.email == address.strip().lower())
    if slug:
        query = query.join(Program, Participant.program_id == Program.id).where(
            Program.slug == slug
        )
    found = list(uow.session.scalars(query.order_by(Participant.id)))
    if not found:
        raise NotFound(f"no participant {address}" + (f" in {slug}" if slug else ""))
    if len(found) > 1:
        raise NotFound(f"{address} takes part in more than one program: name one with --program")
    return found[0]


def end_participation(uow: Unit, person: Participant, reason: str, by: str) -> ParticipationEnd:
    """A coordinator ends the person's participation for conduct; NotFound when they are no
    longer taking part."""
    if person.status != "active":
        raise NotFound(f"{person.email} is no longer taking part ({person.status}); nothing done")
    ending = len(active_matches_of(uow.session, person.id))
    record = ParticipationEnd(
        participant_id=person.id,
        reason=reason.strip(),
        ended_by=by,
        at=uow.now,
        matches_ended=ending,
    )
    uow.session.add(record)
    uow.session.flush()
    membership.remove(uow, person, f"conduct{record.id}", conduct=True)
    return record
