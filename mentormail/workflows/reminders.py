"""Requests answered in time: the mentor's two reminders, and a mentor who lets requests
expire twice in a row is paused and asked, kindly, whether they are still available.

created ──half the window──▶ reminder "halfway"  ──the day before it closes──▶ "last-day"
(never once they answered: only a pending request is reminded; each step goes once)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mentormail.workflows.effects import Effect, Role, SendEmail


class ReminderStep(StrEnum):
    """Which reminder a mentor gets about one request."""

    HALFWAY = "halfway"
    LAST_DAY = "last-day"


@dataclass(frozen=True)
class ReminderDecision:
    """The reminder to send now (if any) and when to look again (None: never)."""

    step: ReminderStep | None
    next_at: datetime | None
    effects: tuple[Effect, ...]


def schedule(created_at: datetime, due_at: datetime) -> list[tuple[datetime, ReminderStep]]:
    """When each reminder is due: at half the window, and a day before it closes (one only,
    when the window is so short the two would meet)."""
    halfway = created_at + (due_at - created_at) / 2
    last_day = due_at - timedelta(days=1)
    if last_day <= halfway:
        return [(halfway, ReminderStep.LAST_DAY)]
    return [(halfway, ReminderStep.HALFWAY), (last_day, ReminderStep.LAST_DAY)]


def first_reminder_at(created_at: datetime, due_at: datetime) -> datetime:
    """When a new request's first reminder is due."""
    return schedule(created_at, due_at)[0][0]


def after_more_time(now: datetime, due_at: datetime) -> datetime | None:
    """A request given more time: its one reminder is due the day before the new date (none
    when that day has come already)."""
    last_day = due_at - timedelta(days=1)
    return last_day if last_day > now else None


def decide(created_at: datetime, due_at: datetime, now: datetime) -> ReminderDecision:
    """The latest reminder due by ``now`` (a late sweep sends one, not two), and the next.

    Nothing once the window has closed: the expiry says what happens then.
    """
    if now >= due_at:
        return ReminderDecision(None, None, ())
    steps = schedule(created_at, due_at)
    due = [(at, step) for at, step in steps if at <= now]
    later = [at for at, _ in steps if at > now]
    next_at = later[0] if later else None
    if not due:
        return ReminderDecision(None, next_at, ())
    step = due[-1][1]
    email = SendEmail(
        "request_reminder", Role.MENTOR, f"remind-{step}", with_actions=("accept", "decline")
    )
    return ReminderDecision(step, next_at, (email,))


# Outcomes of a mentor's requests that say whether they answer (a release or a withdrawal
# is not the mentor's doing and does not count either way).
ANSWERED = frozenset({"accepted", "declined"})
EXPIRED = "expired"


def expired_in_a_row(outcomes_newest_first: list[str]) -> int:
    """How many of the mentor's latest requests closed without an answer, in a row."""
    count = 0
    for outcome in outcomes_newest_first:
        if outcome in ANSWERED:
            break
        if outcome == EXPIRED:
            count += 1
    return count


def should_pause(outcomes_newest_first: list[str], available: bool) -> bool:
    """Every second expiry in a row pauses an available mentor (and asks if they still can)."""
    count = expired_in_a_row(outcomes_newest_first)
    return available and count >= 2 and count % 2 == 0
