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
from mentormail.workflows.policy import ProgramPolicy, term_has_time
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
    COORDINATOR = "coordinator"  # a coordinator ended the match (reason kept, not told)


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
    EndReason.COORDINATOR: "a coordinator ended it",
}


@dataclass(frozen=True)
class MatchEnded:
    """The match ends, for ``reason``, because of ``by`` (the mentor, the mentee or staff)."""

    reason: EndReason
    by: Role
    chosen: bool = False  # the one ending chose the message their partner gets


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


# --- endings the year's own rules cause (the unresponsive ladder) ---
PARTNER_TEMPLATES[EndReason.UNRESPONSIVE] = "ended_unresponsive"
PARTNER_TEMPLATES[EndReason.NOT_A_FIT] = "ended_not_a_fit"


def partner_of(role: Role) -> Role:
    """The other side of a pair."""
    sides = {Role.MENTOR: Role.MENTEE, Role.MENTEE: Role.MENTOR}
    if role not in sides:
        raise UnknownValue("match side", str(role))
    return sides[role]


def _end(
    state: MatchState, event: MatchEvent, now: datetime, policy: ProgramPolicy
) -> MatchDecision:
    """End the pair: the one left behind hears at once, kindly; the next digest tells staff
    (news, not a task: a mentee left without a mentor is listed once it lasts). The term's
    end is only counted among the digest's endings."""
    flag = FlagForCoordinator(_ended_words(event), notice=True)
    if event.reason is EndReason.COORDINATOR:  # both told kindly; the reason: staff only
        return MatchDecision(
            MatchState.ENDED,
            (*_both_told(now, policy), flag),
        )
    if event.reason in QUIET_ENDINGS:
        return MatchDecision(MatchState.ENDED, ())
    template = (CHOSEN_TEMPLATES if event.chosen else PARTNER_TEMPLATES).get(event.reason)
    if template is None:
        raise UnknownValue("match end reason", str(event.reason))
    partner = partner_of(event.by)
    others = partner is Role.MENTEE and offers_others(event.reason, now, policy)
    return MatchDecision(
        MatchState.ENDED,
        (SendEmail(template, partner, f"ended-{event.reason}", with_alternatives=others), flag),
    )


# --- the endings people choose, and the term's end ---

# An ending someone chose (the four situations): the partner gets the message they chose.
CHOSEN_TEMPLATES: dict[EndReason, str] = {
    EndReason.UNRESPONSIVE: "ending_message",
    EndReason.NOT_INVESTED: "ending_message",
    EndReason.GREAT_YEAR: "ending_message",
    EndReason.NO_FAULT: "ending_message",
}
# How the coordinators read a reason ("match ended: mentor said the mentee didn't respond").
REASON_WORDS: dict[EndReason, str] = {
    EndReason.UNRESPONSIVE: "said the other didn't respond",
    EndReason.NOT_INVESTED: "said the other wasn't invested",
    EndReason.GREAT_YEAR: "wrapped up after a great year",
    EndReason.NO_FAULT: "whose circumstances changed",
}
# Both hear of these another way (the term's end: the conclusion), so no partner notice.
QUIET_ENDINGS = frozenset({EndReason.TERM_END})
# A mentee whose mentor ended for these is offered other mentors while the term has time.
OFFER_OTHERS_AFTER = frozenset(
    {EndReason.UNRESPONSIVE, EndReason.NOT_INVESTED, EndReason.NO_FAULT, EndReason.NOT_A_FIT}
)


def _ended_words(event: MatchEnded) -> str:
    """How the digest tells an ending: who and why, in words ("the mentee left the program")."""
    if event.reason in REASON_WORDS:
        return f"match ended: {event.by} {REASON_WORDS[event.reason]}"
    if event.reason in BY_WHOM:
        return f"match ended: {BY_WHOM[event.reason].format(side=event.by)}"
    return f"match ended: {ENDED_BECAUSE[event.reason]} ({event.by})"


# Endings whose words name the side they are about, not the reason alone.
BY_WHOM: dict[EndReason, str] = {
    EndReason.LEFT: "the {side} left the program",
    EndReason.REMOVED: "a coordinator removed the {side} from the program",
    EndReason.NOT_A_FIT: "the {side} said it was not a fit",
    EndReason.COORDINATOR: "a coordinator ended it",
}


def _both_told(now: datetime, policy: ProgramPolicy) -> tuple[Effect, ...]:
    """Both sides hear a coordinator ended it; the mentee is offered others if there's time."""
    return tuple(
        SendEmail(
            "match_ended_by_coordinators",
            side,
            "ended-coordinator",
            with_alternatives=side is Role.MENTEE and term_has_time(now, policy),
        )
        for side in (Role.MENTOR, Role.MENTEE)
    )


def offers_others(reason: EndReason, now: datetime, policy: ProgramPolicy) -> bool:
    """Whether a mentee left without a mentor for ``reason`` is offered others now: only while
    a new request could still be answered before the term ends."""
    return reason in OFFER_OTHERS_AFTER and term_has_time(now, policy)


TRANSITIONS: dict[tuple[MatchState, type], Handler] = {
    (MatchState.ACTIVE, MatchEnded): _end,
}


def decide(
    state: MatchState, event: MatchEvent, now: datetime, policy: ProgramPolicy
) -> MatchDecision:
    """Apply an event to a match; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "match", state, event)
    return handler(state, event, now, policy)
