"""The membership shell: someone leaves or is removed; everything waiting on them is let go."""

from __future__ import annotations

from mentormail.service import effects
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.models import Participant
from mentormail.service.people import policy_of
from mentormail.workflows import membership


def leave(uow: Unit, person: Participant, cause: str) -> None:
    """The person asked to stop: release, withdraw, end their matches, confirm once."""
    _apply(uow, person, membership.Leave(), cause)


def remove(uow: Unit, person: Participant, cause: str, *, conduct: bool = False) -> None:
    """A coordinator ends the person's participation, with the same releases."""
    _apply(uow, person, membership.Remove(conduct=conduct), cause)


def _apply(uow: Unit, person: Participant, event: membership.MembershipEvent, cause: str) -> None:
    """Decide on a membership event and carry it out; raises InvalidTransition if gone."""
    decision = membership.decide(
        membership.Membership(person.status), event, uow.now, policy_of(person.program)
    )
    subject = Subject(
        program=person.program,
        workflow="membership",
        subject_id=person.id,
        cause=cause,
        person=person,
        values={"released": 0},
    )
    person.status = decision.state  # gone first: nothing below may offer them to anyone
    effects.apply(uow, subject, decision.effects)
