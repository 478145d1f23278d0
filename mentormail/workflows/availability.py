"""A mentor's availability: taking requests, or paused.

AVAILABLE ──pause──▶ PAUSED      pending requests released kindly; hidden from searches
PAUSED ──resume──▶ AVAILABLE     appears in searches again (if not full)
AVAILABLE ──not answering──▶ PAUSED   two requests expired in a row: asked if still available
AVAILABLE ──coordinators pause──▶ PAUSED   told it was the coordinators, and how to come back
PAUSED ──coordinators resume──▶ AVAILABLE   told it was the coordinators
(the same word twice just confirms; nothing changes)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentormail.workflows.effects import Effect, ReleaseOtherRequests, Role, SendEmail
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.table import handler_for


class Availability(StrEnum):
    """Whether a mentor wants requests right now."""

    AVAILABLE = "available"
    PAUSED = "paused"


@dataclass(frozen=True)
class Pause:
    """The mentor asked to stop receiving requests for now."""


@dataclass(frozen=True)
class Resume:
    """The mentor is available again."""


@dataclass(frozen=True)
class NotAnswering:
    """Requests to the mentor expired twice in a row: pause, ask if still available."""


@dataclass(frozen=True)
class WentSilent:
    """The mentor's mentorship ended after check-ins they never answered: pause quietly (the
    ending's email tells them, and how to come back)."""


@dataclass(frozen=True)
class PausedByCoordinators:
    """A coordinator paused the mentor (a digest command or `mentormail pause`)."""


@dataclass(frozen=True)
class ResumedByCoordinators:
    """A coordinator made the mentor available again."""


AvailabilityEvent = (
    Pause | Resume | NotAnswering | WentSilent | PausedByCoordinators | ResumedByCoordinators
)


def event_named(word: str) -> AvailabilityEvent:
    """The event a mentor's word or link names: "pause", or "available" to resume."""
    events: dict[str, AvailabilityEvent] = {"pause": Pause(), "available": Resume()}
    return events[word]


@dataclass(frozen=True)
class AvailabilityDecision:
    """The mentor's new availability and what must happen."""

    state: Availability
    effects: tuple[Effect, ...]


Handler = Callable[[Availability, datetime, ProgramPolicy], AvailabilityDecision]


def _pause(state: Availability, now: datetime, policy: ProgramPolicy) -> AvailabilityDecision:
    """Pause: release what waits on the mentor and confirm."""
    return AvailabilityDecision(
        Availability.PAUSED,
        (ReleaseOtherRequests("paused"), SendEmail("paused_confirmed", Role.MENTOR, "paused")),
    )


def _resume(state: Availability, now: datetime, policy: ProgramPolicy) -> AvailabilityDecision:
    """Resume: confirm that requests will come again."""
    return AvailabilityDecision(
        Availability.AVAILABLE, (SendEmail("available_confirmed", Role.MENTOR, "available"),)
    )


def _confirm_unchanged(
    state: Availability, now: datetime, policy: ProgramPolicy
) -> AvailabilityDecision:
    """The same word twice: say where they stand, change nothing."""
    template = "paused_confirmed" if state is Availability.PAUSED else "available_confirmed"
    return AvailabilityDecision(state, (SendEmail(template, Role.MENTOR, f"again-{state}"),))


def _not_answering(
    state: Availability, now: datetime, policy: ProgramPolicy
) -> AvailabilityDecision:
    """No one should wait on a mentor who is away: pause, and ask kindly with a link back."""
    return AvailabilityDecision(
        Availability.PAUSED,
        (
            ReleaseOtherRequests("paused"),
            SendEmail("still_available", Role.MENTOR, "not-answering", with_actions=("available",)),
        ),
    )


def _went_silent(state: Availability, now: datetime, policy: ProgramPolicy) -> AvailabilityDecision:
    """No new mentee should wait on a mentor who stopped answering; no email of its own."""
    return AvailabilityDecision(Availability.PAUSED, (ReleaseOtherRequests("paused"),))


def _stay_paused(state: Availability, now: datetime, policy: ProgramPolicy) -> AvailabilityDecision:
    """Paused already: nothing changes, nothing is said."""
    return AvailabilityDecision(state, ())


def _paused_by_coordinators(
    state: Availability, now: datetime, policy: ProgramPolicy
) -> AvailabilityDecision:
    """The mentor did not ask for this: say who did, and that one word undoes it."""
    return AvailabilityDecision(
        Availability.PAUSED,
        (
            ReleaseOtherRequests("paused"),
            SendEmail(
                "paused_by_coordinators", Role.MENTOR, "paused-by", with_actions=("available",)
            ),
        ),
    )


def _resumed_by_coordinators(
    state: Availability, now: datetime, policy: ProgramPolicy
) -> AvailabilityDecision:
    """Requests will come again, because a coordinator said so."""
    return AvailabilityDecision(
        Availability.AVAILABLE,
        (SendEmail("resumed_by_coordinators", Role.MENTOR, "resumed-by", with_actions=("pause",)),),
    )


A = Availability
TRANSITIONS: dict[tuple[Availability, type], Handler] = {
    (A.AVAILABLE, Pause): _pause,
    (A.PAUSED, Resume): _resume,
    (A.PAUSED, Pause): _confirm_unchanged,
    (A.AVAILABLE, Resume): _confirm_unchanged,
    (A.AVAILABLE, NotAnswering): _not_answering,
    (A.AVAILABLE, WentSilent): _went_silent,
    (A.PAUSED, WentSilent): _stay_paused,
    (A.AVAILABLE, PausedByCoordinators): _paused_by_coordinators,
    (A.PAUSED, ResumedByCoordinators): _resumed_by_coordinators,
}


def decide(
    state: Availability, event: AvailabilityEvent, now: datetime, policy: ProgramPolicy
) -> AvailabilityDecision:
    """Apply a pause or resume; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "availability", state, event)
    return handler(state, now, policy)
