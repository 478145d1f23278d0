"""The availability shell: a mentor pauses or resumes; what waits on them is released."""

from __future__ import annotations

from mentormail.service import effects
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.models import Participant
from mentormail.service.people import active_matches, capacity_of, policy_of
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import availability


def change(
    uow: Unit, mentor: Participant, event: availability.AvailabilityEvent, cause: str
) -> None:
    """Pause or resume a mentor and confirm it to them."""
    program = mentor.program
    decision = availability.decide(
        availability.Availability(mentor.availability), event, uow.now, policy_of(program)
    )
    mentor.availability = decision.state
    count = active_matches(uow.session, mentor.id)
    subject = Subject(
        program=program,
        workflow="availability",
        subject_id=mentor.id,
        cause=cause,
        person=mentor,
        mentor=mentor,
        values={
            "released": 0,
            "full": count >= capacity_of(mentor, program),
            "capacity": capacity_of(mentor, program),
            "current_mentees": count,
        },
        link_for=lambda action, to: LinkSpec(action, to.id),  # "I'm available"
    )
    effects.apply(uow, subject, decision.effects)
