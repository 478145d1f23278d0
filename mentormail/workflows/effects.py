"""What a decision asks the shell to do. Effects are data; one interpreter in the shell
carries out every kind, and a kind it does not know is an error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    """Who an effect is addressed to, relative to the thing decided about."""

    MENTOR = "mentor"
    MENTEE = "mentee"
    PERSON = "person"  # the participant a membership or availability decision is about
    COORDINATOR = "coordinator"  # every coordinator of the program


@dataclass(frozen=True)
class SendEmail:
    """Send ``template`` to ``to``; ``step`` makes the idempotency key unique per decision."""

    template: str
    to: Role
    step: str
    with_alternatives: bool = False  # include other available mentors (for the mentee)
    with_actions: tuple[str, ...] = ()  # one-time link actions to offer (e.g. "accept")


@dataclass(frozen=True)
class StartMatch:
    """Record that mentor and mentee are now a pair."""


@dataclass(frozen=True)
class ReleaseOtherRequests:
    """Release the mentor's other pending requests (they are full, paused or gone)."""

    reason: str  # "full" | "paused" | "left"


@dataclass(frozen=True)
class WithdrawOwnRequests:
    """Withdraw every request the mentee is still waiting on (they left)."""


@dataclass(frozen=True)
class WithdrawOpenProposals:
    """Close every pair the program proposed to the person that is still waiting (they left)."""


@dataclass(frozen=True)
class EndActiveMatches:
    """End every active match the person is in, each partner told kindly; seats are freed."""

    reason: str  # see workflows.match.EndReason


@dataclass(frozen=True)
class ForwardText:
    """Pass the reply's text on to another participant (a question, a note)."""

    to: Role
    template: str


@dataclass(frozen=True)
class FlagForCoordinator:
    """Put something on the coordinators' attention list; urgent items are emailed at once.
    A ``notice`` needs no one: the next digest tells it once, under "for your information"."""

    reason: str
    urgent: bool = False
    email_now: bool = False  # a person's question: emailed at once, though not urgent
    notice: bool = False  # already handled (others offered, a coordinator did it): news only
    about: Role | None = None  # the side it is about (who wrote, who went silent), if one


@dataclass(frozen=True)
class SetDue:
    """Set (or clear, with ``None``) when the sweep should look at this again."""

    at: datetime | None


@dataclass(frozen=True)
class EndMatch:
    """End the match the decision is about, for ``reason``, decided by ``by``; seat freed."""

    reason: str  # see workflows.match.EndReason
    by: Role


@dataclass(frozen=True)
class ExtendMatch:
    """The pair goes on past the term: until ``until``, or with no end when ``None``."""

    until: date | None


Effect = (
    SendEmail
    | StartMatch
    | ReleaseOtherRequests
    | WithdrawOwnRequests
    | WithdrawOpenProposals
    | EndActiveMatches
    | ForwardText
    | FlagForCoordinator
    | SetDue
    | EndMatch
    | ExtendMatch
)
EFFECT_TYPES: tuple[type, ...] = (
    SendEmail,
    StartMatch,
    ReleaseOtherRequests,
    WithdrawOwnRequests,
    EndActiveMatches,
    ForwardText,
    FlagForCoordinator,
    SetDue,
    EndMatch,
    ExtendMatch,
)
