"""A mentor's availability: pause, resume, and the same word twice."""

from __future__ import annotations

from datetime import date, datetime
from itertools import product

import pytest

from mentormail.workflows import availability
from mentormail.workflows.availability import (
    Availability,
    NotAnswering,
    Pause,
    PausedByCoordinators,
    Resume,
    ResumedByCoordinators,
    WentSilent,
)
from mentormail.workflows.effects import ReleaseOtherRequests, Role, SendEmail
from mentormail.workflows.exceptions import InvalidTransition
from mentormail.workflows.policy import ProgramPolicy

pytestmark = pytest.mark.unit

NOW = datetime(2025, 10, 1, 9, 0)
POLICY = ProgramPolicy(term_start=date(2025, 9, 15), term_end=date(2026, 6, 30))
EVENTS = {
    Pause: Pause(),
    Resume: Resume(),
    NotAnswering: NotAnswering(),
    PausedByCoordinators: PausedByCoordinators(),
    ResumedByCoordinators: ResumedByCoordinators(),
    WentSilent: WentSilent(),
}


def test_pause_releases_waiting_requests_and_confirms() -> None:
    decision = availability.decide(Availability.AVAILABLE, Pause(), NOW, POLICY)
    assert decision.state is Availability.PAUSED
    assert decision.effects == (
        ReleaseOtherRequests("paused"),
        SendEmail("paused_confirmed", Role.MENTOR, "paused"),
    )


def test_resume_confirms_and_releases_nothing() -> None:
    decision = availability.decide(Availability.PAUSED, Resume(), NOW, POLICY)
    assert decision.state is Availability.AVAILABLE
    assert decision.effects == (SendEmail("available_confirmed", Role.MENTOR, "available"),)


def test_a_mentor_who_went_silent_is_paused_quietly_and_their_waiting_requests_released() -> None:
    decision = availability.decide(Availability.AVAILABLE, WentSilent(), NOW, POLICY)
    assert decision.state is Availability.PAUSED
    assert decision.effects == (ReleaseOtherRequests("paused"),)  # the ending's email tells
    again = availability.decide(Availability.PAUSED, WentSilent(), NOW, POLICY)
    assert (again.state, again.effects) == (Availability.PAUSED, ())


@pytest.mark.parametrize(
    ("state", "event", "template"),
    [
        (Availability.PAUSED, Pause(), "paused_confirmed"),
        (Availability.AVAILABLE, Resume(), "available_confirmed"),
    ],
)
def test_the_same_word_again_only_confirms(
    state: Availability, event: availability.AvailabilityEvent, template: str
) -> None:
    decision = availability.decide(state, event, NOW, POLICY)
    assert decision.state is state
    assert len(decision.effects) == 1
    mail = decision.effects[0]
    assert isinstance(mail, SendEmail)
    assert (mail.template, mail.to) == (template, Role.MENTOR)
    assert mail.step.startswith("again-")
    assert not any(isinstance(e, ReleaseOtherRequests) for e in decision.effects)


def test_the_table_covers_every_state_and_event() -> None:
    unreachable = {
        (Availability.PAUSED, NotAnswering),  # a paused mentor is asked nothing
        # the coordinators' command says "already paused/available" and decides nothing
        (Availability.PAUSED, PausedByCoordinators),
        (Availability.AVAILABLE, ResumedByCoordinators),
    }
    assert set(availability.TRANSITIONS) == set(product(Availability, EVENTS)) - unreachable


def test_a_mentor_not_answering_is_paused_and_asked_kindly_with_a_link_back() -> None:
    decision = availability.decide(Availability.AVAILABLE, NotAnswering(), NOW, POLICY)
    assert decision.state is Availability.PAUSED
    assert decision.effects == (
        ReleaseOtherRequests("paused"),
        SendEmail("still_available", Role.MENTOR, "not-answering", with_actions=("available",)),
    )


def test_a_mentor_paused_by_coordinators_is_told_so_with_a_link_back() -> None:
    decision = availability.decide(Availability.AVAILABLE, PausedByCoordinators(), NOW, POLICY)
    assert decision.state is Availability.PAUSED
    assert decision.effects == (
        ReleaseOtherRequests("paused"),
        SendEmail("paused_by_coordinators", Role.MENTOR, "paused-by", with_actions=("available",)),
    )


def test_a_mentor_resumed_by_coordinators_is_told_so_with_a_link_to_pause() -> None:
    decision = availability.decide(Availability.PAUSED, ResumedByCoordinators(), NOW, POLICY)
    assert decision.state is Availability.AVAILABLE
    assert decision.effects == (
        SendEmail("resumed_by_coordinators", Role.MENTOR, "resumed-by", with_actions=("pause",)),
    )


def test_an_unknown_event_is_an_invalid_transition() -> None:
    class Vanish:
        """Not an availability event."""

    with pytest.raises(InvalidTransition) as raised:
        availability.decide(Availability.AVAILABLE, Vanish(), NOW, POLICY)  # type: ignore[arg-type]
    assert raised.value.machine == "availability"
