"""One question at a time: what a pair is asked on the clock comes days apart, never several
in one morning; a mentor with two pairs gets each pair's question on its own morning."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from mentormail.app import bootstrap
from mentormail.service.models import MatchClock
from mentormail.service.programs import load_program, read_program_file
from tests.email_checks import flat
from tests.harness import EXAMPLES, Program, make_services, reply_to
from tests.service.pair_steps import the_match
from tests.service.steps import ANA, JO, SAM, ask, days_pass, every_day_until, matched

pytestmark = pytest.mark.service

QUESTIONS = (
    *("agreement_ask", "agreement_reminder", "checkin", "checkin_nudge", "checkin_partner_silent"),
    *("fit_check", "survey", "survey_reminder", "wrapup_question"),
)


def asked(program: Program, person: str) -> list[tuple[date, str]]:
    """(day, template) of each question the year sent this person, in order."""
    return [
        (r.created_at.date(), r.template)
        for r in program.outbox(to=person)
        if r.template in QUESTIONS
    ]


def days_after_start(program: Program, person: str) -> list[tuple[int, str]]:
    """(days since the introduction, template) of each question to this person."""
    start = the_match(program).started_at.date()
    return [((day - start).days, template) for day, template in asked(program, person)]


def long_date(day: date) -> str:
    """A date as the emails write it: Friday 5 March 2027."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def one_a_morning(program: Program, person: str) -> bool:
    """Whether this person never got two questions on one day."""
    days = [day for day, _ in asked(program, person)]
    return len(days) == len(set(days))


def test_pair_gets_one_question_a_morning(program: Program) -> None:
    """Day 30: the check-in, the fit question and the pulse survey were all due; they come on
    days 30, 32 and 34, in the year's order, and nothing is dropped."""
    matched(program)
    days_pass(program, 40)
    for person in (SAM, ANA):
        assert days_after_start(program, person) == [
            (30, "checkin"), (32, "fit_check"), (34, "survey")
        ]  # fmt: skip
    days_pass(program, 30)  # the next check-in keeps its cadence: 30 days after the first
    assert days_after_start(program, SAM)[-1] == (60, "checkin")


def test_a_meeting_reported_brings_the_fit_question_before_the_pulse(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "MET"))
    days_pass(program, 4)
    assert days_after_start(program, SAM) == [(30, "checkin"), (32, "fit_check"), (34, "survey")]


def test_a_checkin_due_minutes_after_the_midpoint_survey_waits_two_days(program: Program) -> None:
    matched(program)
    days_pass(program, 40)
    with program.services.unit() as uow:
        pair_id = the_match(program).id
        checkin_at = uow.session.get_one(MatchClock, pair_id).next_checkin_at
        assert checkin_at is not None
        uow.session.execute(
            update(MatchClock)
            .where(MatchClock.match_id == pair_id)
            .values(midpoint_due_at=checkin_at - timedelta(minutes=5))
        )
    every_day_until(program, checkin_at + timedelta(days=8))
    start = the_match(program).started_at.date()
    due = (checkin_at.date() - start).days
    assert days_after_start(program, SAM)[3:] == [
        (due, "survey"), (due + 2, "checkin"), (due + 7, "survey_reminder")
    ]  # fmt: skip
    [midpoint] = [r for r in program.outbox(to=SAM, template="survey") if "Halfway" in r.subject]
    [reminder] = program.outbox(to=SAM, template="survey_reminder")
    answer_by = long_date(midpoint.created_at.date() + timedelta(days=14))  # from its sending
    assert answer_by in midpoint.subject and answer_by in flat(reminder.text)
    first, second = program.outbox(to=SAM, template="checkin")
    assert second.subject == f"Have you and Ana met since {long_date(first.created_at.date())}?"


def test_the_wrapup_waits_behind_a_checkin_and_the_term_still_ends_on_its_day(
    program: Program,
) -> None:
    matched(program)
    wrapup = datetime(2027, 6, 9, 9, 0)
    every_day_until(program, wrapup - timedelta(days=3))
    with program.services.unit() as uow:
        uow.session.execute(
            update(MatchClock).values(next_checkin_at=wrapup - timedelta(minutes=30))
        )
    every_day_until(program, datetime(2027, 7, 1, 12, 0))
    tail = [(day, t) for day, t in asked(program, SAM) if day >= date(2027, 6, 8)]
    (checkin_day, first), (wrapup_day, then) = tail[:2]
    assert (first, then, wrapup_day - checkin_day) == ("checkin", "wrapup_question", timedelta(2))
    assert program.outbox(to=SAM, template="conclusion_question")[-1].created_at.date() == date(
        2027, 7, 1
    )  # the term ends on its day, as before
    assert one_a_morning(program, SAM) and one_a_morning(program, ANA)


@pytest.fixture
def roomy(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program, with Ana taking two mentees."""
    services = make_services(database_url, tmp_path)
    csv_text = (EXAMPLES / "participants.csv").read_text()
    ana = next(line for line in csv_text.splitlines() if line.startswith(ANA))
    two = ana.replace(",1,LinkedIn", ",2,LinkedIn")
    assert two != ana
    yield Program.start(services, csv_text.replace(ana, two))
    bootstrap.install(None)


def test_a_mentor_with_two_pairs_gets_each_pairs_question_on_its_own_morning(
    roomy: Program,
) -> None:
    program = roomy
    matched(program, SAM)
    program.deliver(reply_to(ask(program, JO), ANA, "Yes, happy to!"))
    days_pass(program, 40)
    kinds = sorted(t for _, t in asked(program, ANA))
    assert kinds == ["checkin", "checkin", "fit_check", "fit_check", "survey", "survey"]
    assert one_a_morning(program, ANA), asked(program, ANA)
    for mentee in (SAM, JO):  # each mentee still gets all three, a pair's two days apart
        assert [t for _, t in asked(program, mentee)] == ["checkin", "fit_check", "survey"]
        days = [day for day, _ in asked(program, mentee)]
        assert all(b - a >= timedelta(days=2) for a, b in itertools.pairwise(days)), days


def test_with_check_ins_once_a_quarter_the_fit_question_and_the_pulse_come_apart(
    program: Program,
) -> None:
    data = {**read_program_file(EXAMPLES / "program.yaml"), "checkin_every_days": 90}
    with program.services.unit_of_work() as session:
        load_program(session, data, EXAMPLES)
    matched(program)
    days_pass(program, 34)
    assert days_after_start(program, SAM) == [(30, "fit_check"), (32, "survey")]
