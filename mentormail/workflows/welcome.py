"""The welcome and training sequence of each new mentor and mentee, pure.

By default three emails: day 0 (welcome: what is expected), day 3 (how to use the program
by email: the reply words) and day 7 (the do's and don'ts), each with the orientation dates
the program gives. A program's own steps replace a built-in step of the same day and are
added on other days. Timers are due dates: the shell keeps (step, due_at) per person.

NEW ──joined──▶ step 0 due now ──due──▶ send step k, due joined + day(k+1) … ──▶ DONE
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mentormail.months import MONTH_PATTERN
from mentormail.workflows.effects import Effect, Role, SendEmail
from mentormail.workflows.goals import parse_date

DONE = 1000  # the step of a sequence that is over


@dataclass(frozen=True)
class Step:
    """One email of the sequence: on which day after joining, its subject and body.
    ``file`` is a program's own Markdown body; empty for a built-in template."""

    day: int
    template: str
    subject: str = ""
    file: str = ""


BUILT_IN = (
    Step(0, "welcome_day0"),
    Step(3, "welcome_day3"),
    Step(7, "welcome_day7"),
)
OWN_TEMPLATE = "welcome_own"  # a program's own step: its subject and its file's text


def sequence(own: Sequence[Mapping[str, object]] = ()) -> tuple[Step, ...]:
    """The steps in day order: the built-in ones, with the program's own replacing a built-in
    step of the same day and added on other days."""
    steps = {step.day: step for step in BUILT_IN}
    for item in own:
        day = int(str(item["day"]))
        steps[day] = Step(day, OWN_TEMPLATE, str(item["subject"]), str(item["file"]))
    return tuple(steps[day] for day in sorted(steps))


@dataclass(frozen=True)
class WelcomeDecision:
    """Where the person's sequence goes next, and the email to send now (if any)."""

    step: int
    due_at: datetime | None
    effects: tuple[Effect, ...]


def joined(now: datetime) -> WelcomeDecision:
    """A new participant: the first step is due at once (quiet hours hold it if need be)."""
    return WelcomeDecision(0, now, ())


def due(
    step: int, joined_at: datetime, steps: Sequence[Step], role: Role, now: datetime
) -> WelcomeDecision:
    """The step that came due is sent; the next is due on its day after joining."""
    if step >= len(steps):
        return WelcomeDecision(DONE, None, ())
    current = steps[step]
    send = SendEmail(current.template, role, f"day{current.day}")
    following = step + 1
    if following >= len(steps):
        return WelcomeDecision(DONE, None, (send,))
    next_at = max(joined_at + timedelta(days=steps[following].day), now)
    return WelcomeDecision(following, next_at, (send,))


# A session's date as its text gives it first: "2027-01-14 18:00", "Monday 14 June 2027".
_SESSION_DAY = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}\s+(?:{MONTH_PATTERN})\s+\d{{4}}\b", re.I
)


def upcoming(sessions: Sequence[str], today: date) -> list[str]:
    """The orientation sessions still to come (a welcome of 16 June listed one of 14 June):
    those whose text names a date from today on, and those whose date cannot be read."""
    return [s for s in sessions if (when := _session_day(s, today)) is None or when >= today]


def _session_day(text: str, today: date) -> date | None:
    """The date a session's text gives first, read as an agreement's goal dates are."""
    found = _SESSION_DAY.search(text)
    return parse_date(found[0], today) if found else None
