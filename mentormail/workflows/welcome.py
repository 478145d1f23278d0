"""The welcome and training sequence of each new mentor and mentee, pure.

By default three emails: day 0 (welcome: what is expected), day 3 (how to use the program
by email: the reply words) and day 7 (the do's and don'ts), each with the orientation dates
the program gives. A program's own steps replace a built-in step of the same day and are
added on other days, each for everyone or for mentors or mentees only, and for anyone or only
those who have (or have not yet) a partner: a step not for the person, when it comes due,
is passed over. Timers are due dates: the shell keeps (step, due_at) per person.

NEW ──joined──▶ step 0 due now ──due──▶ send step k, due joined + day(k+1) … ──▶ DONE
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mentormail.months import MONTH_PATTERN
from mentormail.workflows.effects import Effect, Role, SendEmail
from mentormail.workflows.goals import parse_date

DONE = 1000  # the step of a sequence that is over


class Audience(StrEnum):
    """Whom a step is for, by role."""

    EVERYONE = "everyone"
    MENTORS = "mentors"
    MENTEES = "mentees"


class Pairing(StrEnum):
    """Whom a step is for, by whether they have a partner when it comes due."""

    ALWAYS = "always"
    PAIRED = "paired"
    UNPAIRED = "unpaired"


_ROLE_OF = {Audience.MENTORS: Role.MENTOR, Audience.MENTEES: Role.MENTEE}


@dataclass(frozen=True)
class Step:
    """One email of the sequence: on which day after joining, its subject and body, and
    whom it is for. ``file`` is a program's own Markdown body; empty for a built-in template."""

    day: int
    template: str
    subject: str = ""
    file: str = ""
    to: Audience = Audience.EVERYONE
    when: Pairing = Pairing.ALWAYS

    def is_for(self, role: Role, paired: bool) -> bool:
        """Whether this step goes to a person of this role, with or without a partner."""
        by_role = self.to is Audience.EVERYONE or _ROLE_OF[self.to] is role
        by_pair = self.when is Pairing.ALWAYS or (self.when is Pairing.PAIRED) == paired
        return by_role and by_pair


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
        to = Audience(str(item.get("to", Audience.EVERYONE.value)))
        when = Pairing(str(item.get("when", Pairing.ALWAYS.value)))
        steps[day] = Step(day, OWN_TEMPLATE, str(item["subject"]), str(item["file"]), to, when)
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
    step: int,
    joined_at: datetime,
    steps: Sequence[Step],
    role: Role,
    now: datetime,
    paired: bool,
    term_end: date | None = None,
) -> WelcomeDecision:
    """The step that came due is sent, if it is for the person (else passed over); the next
    is due on its day after joining. Once the term has ended (``term_end``), the steps after
    the welcome are over: no training for a year that is done (someone who joined on 28 June
    got "how it works by email" on 1 July and the do's and don'ts on 5 July)."""
    if step >= len(steps) or (step > 0 and term_end is not None and now.date() > term_end):
        return WelcomeDecision(DONE, None, ())
    current = steps[step]
    send = (
        (SendEmail(current.template, role, f"day{current.day}"),)
        if current.is_for(role, paired)
        else ()
    )
    following = step + 1
    if following >= len(steps):
        return WelcomeDecision(DONE, None, send)
    next_at = max(joined_at + timedelta(days=steps[following].day), now)
    return WelcomeDecision(following, next_at, send)


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
