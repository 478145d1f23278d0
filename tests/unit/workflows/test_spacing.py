"""One question at a time: the rule that spaces a pair's questions (workflows/spacing.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.spacing import PAIR_GAP, Asked, Question, Turn, turn

DAY30 = datetime(2026, 10, 15, 9, 0)
ENDS = date(2027, 6, 30)
Q = Question


def test_a_question_with_nothing_asked_before_goes_now() -> None:
    assert turn(Q.CHECKIN, {Q.CHECKIN: DAY30}, Asked(), DAY30, ENDS) == Turn(True, DAY30)


def test_pair_gets_one_question_a_morning() -> None:
    """Day 30: check-in, fit question and pulse all due; the check-in goes, the fit question
    two days on, the pulse two days after that."""
    due = {Q.CHECKIN: DAY30, Q.FIT: DAY30, Q.PULSE: DAY30}
    assert turn(Q.PULSE, due, Asked(), DAY30, ENDS) == Turn(False, DAY30 + PAIR_GAP)
    assert turn(Q.FIT, due, Asked(), DAY30, ENDS) == Turn(False, DAY30 + PAIR_GAP)
    assert turn(Q.CHECKIN, due, Asked(), DAY30, ENDS).now
    later = DAY30 + PAIR_GAP
    due = {Q.FIT: later, Q.PULSE: later}
    assert turn(Q.FIT, due, Asked(pair=DAY30), later, ENDS) == Turn(True, later)
    assert turn(Q.PULSE, due, Asked(pair=later), later, ENDS) == Turn(False, later + PAIR_GAP)


def test_a_question_due_within_the_gap_of_any_question_waits_until_after_it() -> None:
    """Not only after a check-in: a fit question after a pulse, a check-in minutes after a
    midpoint survey, the agreement's reminder or the wrap-up after a check-in."""
    minutes_after = DAY30 + timedelta(minutes=5)
    for question in Question:
        decided = turn(question, {question: minutes_after}, Asked(pair=DAY30), minutes_after, ENDS)
        assert decided == Turn(False, DAY30 + PAIR_GAP)


def test_a_question_due_after_the_gap_goes_when_due() -> None:
    at = DAY30 + PAIR_GAP
    assert turn(Q.FIT, {Q.FIT: at}, Asked(pair=DAY30), at, ENDS) == Turn(True, at)


def test_of_two_due_the_one_due_first_goes_first_whatever_its_kind() -> None:
    """A late sweep finds a fit question due since day 32 and a check-in due on day 60: the
    fit question goes, the check-in waits (the year's order is kept)."""
    now = DAY30 + timedelta(days=30)
    due = {Q.CHECKIN: now, Q.FIT: DAY30 + PAIR_GAP}
    assert turn(Q.CHECKIN, due, Asked(pair=DAY30), now, ENDS) == Turn(False, now + PAIR_GAP)
    assert turn(Q.FIT, due, Asked(pair=DAY30), now, ENDS).now


def test_questions_not_yet_due_do_not_hold_one_that_is() -> None:
    due = {Q.PULSE: DAY30, Q.CHECKIN: DAY30 + timedelta(hours=1)}
    assert turn(Q.PULSE, due, Asked(), DAY30, ENDS).now


def test_another_pair_of_the_same_person_holds_a_question_for_a_day() -> None:
    """A mentor with two pairs: the second pair's check-in goes the next morning, not the
    same one."""
    minutes_after = DAY30 + timedelta(minutes=5)
    decided = turn(Q.CHECKIN, {Q.CHECKIN: minutes_after}, Asked(people=DAY30), minutes_after, ENDS)
    assert decided == Turn(False, DAY30 + timedelta(days=1))
    next_day = DAY30 + timedelta(days=1)
    assert turn(Q.CHECKIN, {Q.CHECKIN: next_day}, Asked(people=DAY30), next_day, ENDS).now


def test_the_longer_of_the_two_gaps_holds() -> None:
    now = DAY30 + timedelta(hours=1)
    asked = Asked(pair=DAY30, people=now - timedelta(minutes=1))
    assert turn(Q.FIT, {Q.FIT: now}, asked, now, ENDS) == Turn(False, DAY30 + PAIR_GAP)


def test_nothing_is_dropped_while_the_term_runs_even_on_its_last_day() -> None:
    last_day = datetime(2027, 6, 30, 9, 0)
    decided = turn(Q.FIT, {Q.FIT: last_day}, Asked(pair=last_day), last_day, ENDS)
    assert decided == Turn(False, last_day + PAIR_GAP)


def test_a_question_come_round_after_the_last_day_is_not_asked() -> None:
    """The term is over: the end asks what there is to ask (as check-ins already stop)."""
    after = datetime(2027, 7, 1, 0, 30)
    assert turn(Q.PULSE, {Q.PULSE: after}, Asked(), after, ENDS) == Turn(False, None)


def test_an_open_ended_pair_is_asked_whenever() -> None:
    late = datetime(2029, 1, 1, 9, 0)
    assert turn(Q.CHECKIN, {Q.CHECKIN: late}, Asked(), late, None).now


def test_a_question_not_due_is_an_error() -> None:
    with pytest.raises(UnknownValue):
        turn(Q.FIT, {Q.FIT: DAY30 + timedelta(days=1)}, Asked(), DAY30, ENDS)
    with pytest.raises(UnknownValue):
        turn(Q.FIT, {Q.PULSE: DAY30}, Asked(), DAY30, ENDS)


def test_with_a_quarterly_cadence_the_fit_question_and_the_pulse_still_come_apart() -> None:
    """No check-in on day 30 (every 90 days): the fit question goes, the pulse two days on."""
    due = {Q.FIT: DAY30, Q.PULSE: DAY30, Q.CHECKIN: DAY30 + timedelta(days=60)}
    assert turn(Q.FIT, due, Asked(), DAY30, ENDS).now
    assert turn(Q.PULSE, due, Asked(pair=DAY30), DAY30, ENDS) == Turn(False, DAY30 + PAIR_GAP)


def test_a_wrapup_a_week_from_the_end_waits_for_no_other_question() -> None:
    """Swept once a week (newcomer-r24 finding 5): due 8 October, the pair's check-in went first
    on the 11th, another pair's question to the mentor on the 18th and the 25th; on the 25th,
    four days before the end, the wrap-up goes all the same (after it, it would never go)."""
    ends = date(2027, 10, 29)
    due = {Q.WRAPUP: datetime(2027, 10, 8, 7, 0)}
    monday = datetime(2027, 10, 25, 7, 0)
    asked_today = Asked(pair=datetime(2027, 10, 11, 7, 0), people=monday)
    assert turn(Q.WRAPUP, due, asked_today, monday, ends) == Turn(True, due[Q.WRAPUP])
    assert turn(Q.CHECKIN, {Q.CHECKIN: monday}, asked_today, monday, ends).now is False
    earlier = datetime(2027, 10, 18, 7, 0)
    waits = turn(Q.WRAPUP, due, Asked(pair=asked_today.pair, people=earlier), earlier, ends)
    assert waits == Turn(False, earlier + timedelta(days=1))  # a week and more left: it waits
