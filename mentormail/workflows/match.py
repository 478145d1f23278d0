"""A pair's match, from its start to its end; an ending frees the mentor's seat.

ACTIVE ──ended (reason, by)──▶ ENDED     the partner is told kindly; the coordinators see it
(the year's check-ins, surveys and wrap-up will add their own events here)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentormail.workflows.effects import Effect, FlagForCoordinator, Role, SendEmail
from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.table import handler_for


class MatchState(StrEnum):
    """Where a pair stands."""

    ACTIVE = "active"
    ENDED = "ended"


class EndReason(StrEnum):
    """Why a match ended (the ones the year will use are listed already)."""

    LEFT = "left"  # one side left the program
    REMOVED = "removed"  # a coordinator ended one side's participation
    CONDUCT = "conduct"
    UNRESPONSIVE = "unresponsive"
    NOT_INVESTED = "not_invested"
    GREAT_YEAR = "great_year"
    NO_FAULT = "no_fault"
    NOT_A_FIT = "not_a_fit"
    TERM_END = "term_end"


# How a coordinator reads each reason (in the attention list and the digest).
ENDED_BECAUSE: dict[EndReason, str] = {
    EndReason.LEFT: "one of them left the program",
    EndReason.REMOVED: "a coordinator removed one of them",
    EndReason.CONDUCT: "ended for conduct",
    EndReason.UNRESPONSIVE: "one of them stopped answering",
    EndReason.NOT_INVESTED: "one felt the other was not invested",
    EndReason.GREAT_YEAR: "a great year, wrapped up",
    EndReason.NO_FAULT: "circumstances changed",
    EndReason.NOT_A_FIT: "not a fit",
    EndReason.TERM_END: "the term ended",
}


@dataclass(frozen=True)
class MatchEnded:
    """The match ends, for ``reason``, because of ``by`` (the mentor, the mentee or staff)."""

    reason: EndReason
    by: Role


MatchEvent = MatchEnded


@dataclass(frozen=True)
class MatchDecision:
    """The match's new state and what must happen."""

    state: MatchState
    effects: tuple[Effect, ...]


Handler = Callable[[MatchState, MatchEvent, datetime, ProgramPolicy], MatchDecision]

# Who hears what when one side goes: the template the partner receives, per reason.
PARTNER_TEMPLATES: dict[EndReason, str] = {
    EndReason.LEFT: "partner_left",
    EndReason.REMOVED: "partner_left",
    EndReason.CONDUCT: "partner_left",
}


# --- year-a: endings the year's own rules cause (the unresponsive ladder) ---
PARTNER_TEMPLATES[EndReason.UNRESPONSIVE] = "ended_unresponsive"
PARTNER_TEMPLATES[EndReason.NOT_A_FIT] = "ended_not_a_fit"
# a mentee left without a mentor by these is offered others while the term has time
OFFER_OTHERS = frozenset({EndReason.UNRESPONSIVE, EndReason.NOT_A_FIT})


def offers_others(reason: EndReason, partner: Role, now: datetime, policy: ProgramPolicy) -> bool:
    """Whether the partner told of this ending is a mentee to be offered other mentors."""
    from mentormail.workflows.fit import term_has_time

    return reason in OFFER_OTHERS and partner is Role.MENTEE and term_has_time(now, policy)


# --- end year-a ---


def partner_of(role: Role) -> Role:
    """The other side of a pair."""
    sides = {Role.MENTOR: Role.MENTEE, Role.MENTEE: Role.MENTOR}
    if role not in sides:
        raise UnknownValue("match side", str(role))
    return sides[role]


def _end(
    state: MatchState, event: MatchEvent, now: datetime, policy: ProgramPolicy
) -> MatchDecision:
    """End the pair: the one left behind hears at once, kindly; staff see it."""
    template = PARTNER_TEMPLATES.get(event.reason)
    if template is None:
        raise UnknownValue("match end reason", str(event.reason))
    partner = partner_of(event.by)
    return MatchDecision(
        MatchState.ENDED,
        (
            SendEmail(
                template,
                partner,
                f"ended-{event.reason}",
                with_alternatives=offers_others(event.reason, partner, now, policy),  # year-a
            ),
            FlagForCoordinator(f"match ended: {ENDED_BECAUSE[event.reason]} ({event.by})"),
        ),
    )


TRANSITIONS: dict[tuple[MatchState, type], Handler] = {
    (MatchState.ACTIVE, MatchEnded): _end,
}


def decide(
    state: MatchState, event: MatchEvent, now: datetime, policy: ProgramPolicy
) -> MatchDecision:
    """Apply an event to a match; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "match", state, event)
    return handler(state, event, now, policy)
