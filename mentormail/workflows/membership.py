"""A participant's place in the program: taking part, or gone (by choice or by staff).

ACTIVE ──leave──▶ LEFT        what waits on them is released; their matches end, partners told
ACTIVE ──remove──▶ REMOVED    the same, decided by a coordinator (e.g. for conduct)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentormail.workflows.effects import (
    Effect,
    EndActiveMatches,
    ReleaseOtherRequests,
    Role,
    SendEmail,
    WithdrawOpenProposals,
    WithdrawOwnRequests,
)
from mentormail.workflows.match import EndReason
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.table import handler_for


class Membership(StrEnum):
    """Whether someone takes part."""

    ACTIVE = "active"
    LEFT = "left"
    REMOVED = "removed"


@dataclass(frozen=True)
class Leave:
    """The person asked to stop (a reply, a link, an unsubscribe)."""


@dataclass(frozen=True)
class Remove:
    """A coordinator ended the person's participation."""

    conduct: bool = False


MembershipEvent = Leave | Remove


@dataclass(frozen=True)
class MembershipDecision:
    """The person's new standing and what must happen."""

    state: Membership
    effects: tuple[Effect, ...]


Handler = Callable[[Membership, MembershipEvent, datetime, ProgramPolicy], MembershipDecision]


def _going(reason: EndReason, farewell: str) -> tuple[Effect, ...]:
    """Everything a departure releases, then one farewell to the person."""
    return (
        ReleaseOtherRequests(str(reason)),
        WithdrawOwnRequests(),
        WithdrawOpenProposals(),
        EndActiveMatches(str(reason)),
        SendEmail(farewell, Role.PERSON, str(reason)),
    )


def _leave(
    state: Membership, event: MembershipEvent, now: datetime, policy: ProgramPolicy
) -> MembershipDecision:
    """They leave: nothing waits on them, their partner is told, they hear it once."""
    return MembershipDecision(Membership.LEFT, _going(EndReason.LEFT, "left_program"))


def _remove(
    state: Membership, event: MembershipEvent, now: datetime, policy: ProgramPolicy
) -> MembershipDecision:
    """Staff end their participation: the same releases, and a plain notice to them."""
    assert isinstance(event, Remove)
    reason = EndReason.CONDUCT if event.conduct else EndReason.REMOVED
    return MembershipDecision(Membership.REMOVED, _going(reason, "removed_from_program"))


M = Membership
TRANSITIONS: dict[tuple[Membership, type], Handler] = {
    (M.ACTIVE, Leave): _leave,
    (M.ACTIVE, Remove): _remove,
}


def decide(
    state: Membership, event: MembershipEvent, now: datetime, policy: ProgramPolicy
) -> MembershipDecision:
    """Apply a leave or removal; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "membership", state, event)
    return handler(state, event, now, policy)
