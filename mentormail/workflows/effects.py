"""What a decision asks the shell to do. Effects are data; the service carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """Who an effect is addressed to, relative to the thing decided about."""

    MENTOR = "mentor"
    MENTEE = "mentee"
    COORDINATOR = "coordinator"


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
    """Release the mentor's other pending requests (they are full or paused)."""

    reason: str  # "full" | "paused"


@dataclass(frozen=True)
class ForwardText:
    """Pass the reply's text on to another participant (a question, a note)."""

    to: Role
    template: str


@dataclass(frozen=True)
class FlagForCoordinator:
    """Put something on the coordinator's attention list."""

    reason: str


@dataclass(frozen=True)
class SetDue:
    """Set (or clear, with ``None``) when the sweep should look at this again."""

    at: datetime | None


Effect = SendEmail | StartMatch | ReleaseOtherRequests | ForwardText | FlagForCoordinator | SetDue
