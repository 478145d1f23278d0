"""One question at a time: a pair's question (the agreement's goals and their reminder,
check-in, fit check, pulse or midpoint survey, the midpoint's reminder, the wrap-up) that
falls due within ``PAIR_GAP`` of the pair's previous question waits until ``PAIR_GAP`` after
it, and one due the same morning as a question to one of the pair from another of their
pairs waits a day. Nothing is dropped, only moved; a question that comes round after the
pair's last day is not asked (the term ends, as it did before), so the wrap-up waits for
nothing within ``WRAPUP_LAST_CHANCE`` of the last day (a clock swept once a week had pushed
it past the end, and CONTINUE or END was never asked); and the year's order is kept: of
two due together, the one due first (or, due at once, the one earlier in
``YEAR_ORDER``) goes first.

question due ──(gap since the pair's last question passed, none of the pair's due before it,
               the other pairs of its people quiet for a day)──▶ asked now
             ──(otherwise)──▶ due again when the gap has passed
             ──(its day is after the pair's last day)──▶ not asked
wrap-up due ──(within WRAPUP_LAST_CHANCE of the last day)──▶ asked now, whatever went before
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from mentormail.workflows.exceptions import UnknownValue

PAIR_GAP = timedelta(days=2)  # between two questions to one pair
PERSON_GAP = timedelta(days=1)  # between questions of a person's different pairs: not one morning
WRAPUP_LAST_CHANCE = timedelta(days=7)  # this close to the last day, the wrap-up waits no more


class Question(StrEnum):
    """A question the year sends a pair on the clock (in the order the year asks them)."""

    AGREEMENT = "agreement"  # the mentee is asked for the goals, or reminded
    CHECKIN = "checkin"
    FIT = "fit"
    PULSE = "pulse"
    MIDPOINT = "midpoint"
    MIDPOINT_REMINDER = "midpoint_reminder"
    WRAPUP = "wrapup"


YEAR_ORDER = tuple(Question)  # of two due at the same instant, the earlier here goes first


@dataclass(frozen=True)
class Asked:
    """When the pair was last asked, and its people by another of their pairs (None: never)."""

    pair: datetime | None = None
    people: datetime | None = None


@dataclass(frozen=True)
class Turn:
    """Whether the question goes now; if not, when it is due instead (None: never)."""

    now: bool
    due_at: datetime | None


def turn(
    question: Question,
    due: dict[Question, datetime | None],
    asked: Asked,
    now: datetime,
    ends_on: date | None,
) -> Turn:
    """Whether the pair's ``question``, due by ``now``, is asked now or waits (and until when);
    ``due`` holds the pair's questions' due dates (None: none due)."""
    own = due.get(question)
    if own is None or own > now:
        raise UnknownValue("question not due", str(question))
    if ends_on is not None and now.date() > ends_on:
        return Turn(False, None)  # the term is over: its end asks what there is to ask
    last = _last_chance(question, ends_on)
    if last is not None and now >= last:
        return Turn(True, own)
    waits_until = _gap_ends(asked)
    if waits_until is not None and now < waits_until:
        return Turn(False, _no_later(waits_until, last))
    if any(_before(other, at, question, own) for other, at in due.items() if at and at <= now):
        return Turn(False, _no_later(now + PAIR_GAP, last))  # that one goes now; this after it
    return Turn(True, own)


def _last_chance(question: Question, ends_on: date | None) -> datetime | None:
    """From when the wrap-up waits for no other question (None: any other question, or no
    end): ``WRAPUP_LAST_CHANCE`` before the pair's last day."""
    if question is not Question.WRAPUP or ends_on is None:
        return None
    return datetime.combine(ends_on - WRAPUP_LAST_CHANCE, time())


def _no_later(wait: datetime, last: datetime | None) -> datetime:
    """A wait, cut short at the wrap-up's last chance when there is one."""
    return wait if last is None else min(wait, last)


def _gap_ends(asked: Asked) -> datetime | None:
    """When the next question may go: the pair's gap and its people's day both passed."""
    ends = [at + gap for at, gap in ((asked.pair, PAIR_GAP), (asked.people, PERSON_GAP)) if at]
    return max(ends) if ends else None


def _before(other: Question, other_at: datetime, question: Question, own: datetime) -> bool:
    """Whether ``other`` goes before ``question``: due earlier, or at once and earlier in the
    year's order."""
    if other is question:
        return False
    if other_at != own:
        return other_at < own
    return YEAR_ORDER.index(other) < YEAR_ORDER.index(question)
