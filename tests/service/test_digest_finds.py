"""The digest finds what no one raised: mentees long without a mentor, requests waiting long,
agreements never drafted, midpoint surveys not answered; each listed with names, addresses
and since when, and gone once it no longer holds."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from mentormail.service.programs import load_program, read_program_file
from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import EXAMPLES, Program, reply_to
from tests.service.steps import ANA, JO, SAM, ask, every_day_until, until

pytestmark = pytest.mark.service

COORDINATOR = "coordinator@example.edu"


def digest_text(program: Program) -> str:
    """The newest digest, as the coordinator reads its text part."""
    rows = program.outbox(to=COORDINATOR, template="digest")
    assert rows, "no digest was sent"
    return flat(rows[-1].text)


def reload(program: Program, **changes: Any) -> None:
    """The coordinator edits the program file and loads it again."""
    data = {**read_program_file(EXAMPLES / "program.yaml"), **changes}
    with program.services.unit_of_work() as session:
        load_program(session, data, EXAMPLES)


def test_a_mentee_without_a_mentor_for_more_than_two_weeks_needs_a_person(
    program: Program,
) -> None:
    sweep(program.services)  # Thursday 1 October: the people are seen, the first digest set
    until(program, datetime(2026, 10, 12, 8, 0))  # 11 days: not yet
    assert "no mentor" not in digest_text(program)

    until(program, datetime(2026, 10, 19, 8, 0))  # 18 days
    text = digest_text(program)
    assert "no mentor for 17 days: Sam Rivera <" + SAM + ">, since Thu 1 Oct" in text
    assert "no mentor for 17 days: Jo Kim <" + JO + ">, since Thu 1 Oct" in text
    assert text.count("since") == text.count(", since ")  # the day once a line, at its end

    to_ana = ask(program, SAM)
    program.deliver(reply_to(to_ana, ANA, "Yes, happy to!"))
    until(program, datetime(2026, 10, 26, 8, 0))
    text = digest_text(program)
    assert "Sam Rivera <" + SAM + ">" not in text.split("The numbers")[0]  # matched: gone
    assert "no mentor for 24 days: Jo Kim" in text


def test_a_coordinator_who_marks_it_done_does_not_see_it_again_while_it_lasts(
    program: Program,
) -> None:
    sweep(program.services)
    until(program, datetime(2026, 10, 19, 8, 0))
    digest = program.outbox(to=COORDINATOR, template="digest")[-1]
    found = re.search(r"#(\d+) — no mentor [^#]*Jo Kim", flat(digest.text))
    assert found, digest.text
    program.deliver(reply_to(digest, COORDINATOR, f"done {found.group(1)}"))
    until(program, datetime(2026, 10, 26, 8, 0))
    assert "Jo Kim <" + JO not in digest_text(program).split("The numbers")[0]


def test_the_alert_waits_as_long_as_the_program_says(program: Program) -> None:
    reload(program, unmatched_alert_days=30)
    sweep(program.services)
    until(program, datetime(2026, 10, 19, 8, 0))
    assert "no mentor" not in digest_text(program)
    until(program, datetime(2026, 11, 2, 8, 0))
    assert "no mentor for 31 days: Sam Rivera" in digest_text(program)


def test_a_request_waiting_past_half_its_window_is_listed_with_both_names(
    program: Program,
) -> None:
    reload(program, response_days=6)
    sweep(program.services)
    ask(program, SAM)  # Thursday 1 October, 09:00; Ana does not answer
    until(program, datetime(2026, 10, 5, 8, 0))
    text = digest_text(program)
    assert (
        f"request waiting for an answer from Ana Lima <{ANA}>: Sam Rivera <{SAM}>, since Thu 1 Oct"
        in text
    )


def test_an_agreement_never_drafted_after_its_reminder_is_listed(program: Program) -> None:
    reload(program, agreement=True)
    sweep(program.services)
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    until(program, datetime(2026, 10, 1, 10, 0))  # the mentee is asked for the goals
    assert program.outbox(to=SAM, template="agreement_ask")
    until(program, datetime(2026, 10, 16, 9, 0))  # reminded, once
    assert program.outbox(to=SAM, template="agreement_reminder")
    until(program, datetime(2026, 10, 19, 8, 0))
    text = digest_text(program)
    assert (
        f"no agreement drafted (asked and reminded): Sam Rivera <{SAM}>,"
        f" with Ana Lima <{ANA}>" in text
    )


def test_a_midpoint_survey_left_unanswered_past_its_due_date_is_listed(program: Program) -> None:
    sweep(program.services)
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    # the year day by day (a jump would bring the overdue check-in first): the survey goes at
    # the middle of the term, 5 February, to be answered by the 19th
    every_day_until(program, datetime(2027, 2, 8, 9, 0))
    [to_ana] = program.outbox(to=ANA, template="survey")[-1:]
    assert "(please answer by Friday 19 February 2027)" in to_ana.subject
    program.deliver(reply_to(to_ana, ANA, "4 - going well"))
    until(program, datetime(2027, 2, 19, 9, 1))  # its due date passed
    until(program, datetime(2027, 3, 1, 8, 0))
    text = digest_text(program)
    assert f"midpoint survey not answered (due 19 February): Sam Rivera <{SAM}>" in text
    assert "midpoint survey not answered (due 19 February): Ana Lima" not in text


def test_people_imported_weeks_into_the_term_are_not_long_unmatched_in_a_digest_sent_at_once(
    program: Program,
) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from mentormail.service import digest
    from mentormail.service.models import Program as ProgramRow

    # The term began on 14 September; the people were imported today, 1 October, and a
    # coordinator sends a digest at once, before any sweep has seen them.
    with program.services.unit() as uow:
        row = uow.session.scalars(select(ProgramRow)).one()
        digest.send(uow, row, uow.now - timedelta(days=7), uow.now)
    program.work()
    assert "no mentor" not in digest_text(program)
