"""Each new mentor and mentee gets a welcome and training sequence (day 0, 3 and 7): what is
expected, how to use the program by email, the do's and don'ts, the orientation dates; the
program may replace or add steps; quiet hours are kept; each step goes once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mentormail.service.programs import import_participants, load_program, read_program_file
from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import EXAMPLES, Program
from tests.service.steps import ANA, JO, SAM, matched

pytestmark = pytest.mark.service

ORIENTATION = "2026-10-08 18:00, Zoom (the link comes with the calendar invitation)"


def until(program: Program, when: datetime) -> None:
    """The clock moves on to an instant and the sweep runs, as the clock process would."""
    clock = program.services.clock
    clock.advance(seconds=(when - clock.now()).total_seconds())  # type: ignore[attr-defined]
    sweep(program.services)
    program.work()


def reload(program: Program, base_dir: Path = EXAMPLES, **changes: Any) -> None:
    """The coordinator edits the program file and loads it again."""
    data = {**read_program_file(EXAMPLES / "program.yaml"), **changes}
    with program.services.unit_of_work() as session:
        load_program(session, data, base_dir)


def welcomes(program: Program, to: str) -> list[str]:
    """The subjects of the welcome emails one person got, in order."""
    return [r.subject for r in program.outbox(to=to) if r.template.startswith("welcome")]


def text_of(program: Program, to: str, template: str) -> str:
    """The one email of a template a person got, as they read its text."""
    [row] = program.outbox(to=to, template=template)
    return flat(row.text)


def nia_joins(program: Program) -> None:
    """A coordinator imports one more mentee, Nia Obi."""
    with program.services.unit_of_work() as session:
        from mentormail.service.models import Program as ProgramRow

        row = session.query(ProgramRow).one()
        report = import_participants(
            session,
            row,
            "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"
            "nia.obi@student.example.edu,Nia Obi,mentee,,,History,law school,,,\n",
        )
        assert report.created == 1


def test_a_new_mentee_and_mentor_get_day_0_3_and_7_each_once(program: Program) -> None:
    reload(program, welcome_emails=True, orientation=[ORIENTATION])
    sweep(program.services)  # Thursday 1 October 09:00
    program.work()
    name = "Alumni Mentor Program 2026-27"
    assert welcomes(program, SAM) == [f"Welcome to {name}: what to expect"]
    mentee = text_of(program, SAM, "welcome_day0")
    assert "Write to mentors@example.edu saying what you'd like help with" in mentee
    assert "Wednesday 30 June 2027" in mentee
    assert ORIENTATION in mentee
    mentor = text_of(program, ANA, "welcome_day0")
    assert "Please answer within 10 days, yes or no" in mentor

    until(program, datetime(2026, 10, 4, 9, 0))
    assert welcomes(program, SAM)[1:] == [f"How {name} works by email"]
    words = text_of(program, ANA, "welcome_day3")
    for word in ("YES or NO", "PAUSE", "AVAILABLE", "MET", "NOT YET", "HELP", "END", "STOP"):
        assert word in words
    assert "the number of the mentor you'd like to ask" in text_of(program, SAM, "welcome_day3")

    until(program, datetime(2026, 10, 8, 9, 0))
    assert welcomes(program, SAM)[2:] == [f"Getting the most from {name}: do's and don'ts"]
    assert "Don't go quiet" in text_of(program, SAM, "welcome_day7")

    until(program, datetime(2026, 11, 8, 9, 0))
    sweep(program.services)
    assert len(welcomes(program, SAM)) == 3 and len(welcomes(program, ANA)) == 3


def test_where_coordinators_pair_people_the_welcome_promises_no_list_of_mentors(
    program: Program,
) -> None:
    reload(program, welcome_emails=True, matching="coordinator")
    sweep(program.services)  # Thursday 1 October 09:00
    program.work()
    until(program, datetime(2026, 10, 4, 9, 0))
    first = text_of(program, SAM, "welcome_day0")
    assert "The program's coordinators pair each mentee with a mentor" in first
    assert "your words go to the coordinators" in first
    words = text_of(program, SAM, "welcome_day3")
    assert "To an introduction the coordinators propose: YES or NO" in words
    assert "list of mentors" not in first + words


def test_someone_who_joins_at_night_is_welcomed_in_the_morning(program: Program) -> None:
    reload(program, welcome_emails=True)
    sweep(program.services)
    until(program, datetime(2026, 10, 1, 22, 30))
    nia_joins(program)
    until(program, datetime(2026, 10, 1, 22, 31))
    [waiting] = program.outbox(to="nia.obi@student.example.edu", template="welcome_day0")
    assert waiting.status == "waiting"
    until(program, datetime(2026, 10, 2, 8, 0))
    [released] = program.outbox(to="nia.obi@student.example.edu", template="welcome_day0")
    assert released.status == "sent"
    assert "Hi Nia," in released.text


def test_someone_who_joins_in_the_years_last_days_is_welcomed_but_not_trained_after_it(
    program: Program,
) -> None:
    reload(program, welcome_emails=True)
    sweep(program.services)
    until(program, datetime(2027, 6, 28, 10, 0))
    nia_joins(program)
    until(program, datetime(2027, 6, 28, 10, 1))
    welcomed = text_of(program, "nia.obi@student.example.edu", "welcome_day0")
    assert "on Wednesday 30 June 2027, in 2 days, so this is the only one." in welcomed
    assert "The term ends in 2 days, so a mentorship that starts now is a short one" in welcomed
    assert "follow in the next week" not in welcomed and "once a month" not in welcomed
    for day in (1, 5, 12):
        until(program, datetime(2027, 7, day, 10, 0))
    assert welcomes(program, "nia.obi@student.example.edu") == [
        "Welcome to Alumni Mentor Program 2026-27: what to expect"
    ]


def test_someone_who_joins_after_the_term_ended_is_told_nothing_starts_until_the_next(
    program: Program,
) -> None:
    reload(program, welcome_emails=True)
    sweep(program.services)
    until(program, datetime(2027, 7, 5, 10, 0))
    nia_joins(program)
    until(program, datetime(2027, 7, 5, 10, 1))
    welcomed = text_of(program, "nia.obi@student.example.edu", "welcome_day0")
    assert "The program's term ended on Wednesday 30 June 2027, so no requests or" in welcomed
    assert "introductions start until the next term begins." in welcomed
    assert "Meet or talk about once a month during the term." in welcomed
    for words in ("between now and the end of the term", "today", "short one", "until Wed"):
        assert words not in welcomed


def test_the_program_replaces_day_3_with_its_own_and_adds_a_day_14(
    program: Program, tmp_path: Path
) -> None:
    (tmp_path / "first-month.md").write_text(
        "Our alumni office runs a **coffee morning** every first Friday, in the\n"
        "Alumni Centre: come and meet others.\n"
    )
    (tmp_path / "two-weeks.md").write_text("Two weeks in: how is it going? Reply and tell us.\n")
    reload(
        program,
        tmp_path,
        welcome_emails=True,
        orientation=[ORIENTATION],
        welcome=[
            {"day": 3, "subject": "Your first month", "file": "first-month.md"},
            {"day": 14, "subject": "Two weeks in", "file": "two-weeks.md"},
        ],
    )
    sweep(program.services)
    until(program, datetime(2026, 10, 4, 9, 0))
    until(program, datetime(2026, 10, 8, 9, 0))
    until(program, datetime(2026, 10, 15, 9, 0))
    assert welcomes(program, SAM) == [
        "Welcome to Alumni Mentor Program 2026-27: what to expect",
        "Your first month",
        "Getting the most from Alumni Mentor Program 2026-27: do's and don'ts",
        "Two weeks in",
    ]
    rows = program.outbox(to=SAM, template="welcome_own")
    assert "coffee morning every first Friday, in the Alumni Centre:" in flat(rows[0].text)
    assert "in the\nAlumni Centre" not in rows[0].text  # the file's own wrap is not kept
    assert "<strong>coffee morning</strong>" in rows[0].html
    assert "Hi Sam," in rows[0].html and ORIENTATION in rows[0].html
    assert ORIENTATION in flat(rows[0].text)
    assert "Two weeks in: how is it going?" in flat(rows[1].text)


def test_a_program_that_writes_its_own_welcome_text_gets_its_own_words_in_html_too(
    program: Program, tmp_path: Path
) -> None:
    (tmp_path / "first-month.md").write_text("Our step file's words.\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "welcome_own.txt").write_text(
        "{% set subject = own_subject %}Hi {{ recipient_name }},\n\n"
        "Our own template: the mentoring office says hello.\n"
    )
    reload(
        program,
        tmp_path,
        welcome_emails=True,
        templates=str(tmp_path / "templates"),
        welcome=[{"day": 3, "subject": "Your first month", "file": "first-month.md"}],
    )
    sweep(program.services)
    until(program, datetime(2026, 10, 4, 9, 0))
    [row] = program.outbox(to=SAM, template="welcome_own")
    assert "the mentoring office says hello" in flat(row.text)
    assert "the mentoring office says hello" in flat(row.html)  # theirs, laid out plainly
    assert "step file" not in row.html and "step file" not in row.text


def test_a_step_for_mentees_with_a_mentor_goes_to_those_only(
    program: Program, tmp_path: Path
) -> None:
    (tmp_path / "two-weeks.md").write_text("Two weeks with your mentor: how is it going?\n")
    step = {"day": 14, "subject": "Two weeks in", "file": "two-weeks.md"}
    step |= {"to": "mentees", "when": "paired"}
    reload(program, tmp_path, welcome_emails=True, welcome=[step])
    sweep(program.services)
    program.work()
    matched(program, SAM)  # Sam has Ana as mentor; Jo has no one yet
    for day in (4, 8, 15):
        until(program, datetime(2026, 10, day, 9, 0))
    assert "Two weeks in" in welcomes(program, SAM)
    assert "Two weeks with your mentor" in text_of(program, SAM, "welcome_own")
    assert "Two weeks in" not in welcomes(program, JO)
    assert "Two weeks in" not in welcomes(program, ANA)  # a mentor, though paired
    assert len(welcomes(program, JO)) == 3  # days 0, 3 and 7 all the same


def test_a_mentee_matched_before_day_3_is_not_taught_to_search_as_if_still_looking(
    program: Program,
) -> None:
    reload(program, welcome_emails=True)
    sweep(program.services)
    program.work()
    matched(program, SAM)  # Sam has Ana as mentor; Jo has no one yet
    until(program, datetime(2026, 10, 4, 9, 0))
    paired, looking = text_of(program, SAM, "welcome_day3"), text_of(program, JO, "welcome_day3")
    assert "You have a mentor already. Should your mentorship end early, write to" in paired
    assert "you get a list of mentors" in paired and "the number of the mentor" not in paired
    assert "what you're looking for, and you get a list of mentors" in looking
    assert "You have a mentor already" not in looking


def test_a_program_without_welcome_emails_sends_none(program: Program) -> None:
    sweep(program.services)  # the example program keeps them off
    until(program, datetime(2026, 10, 8, 9, 0))
    assert not welcomes(program, SAM)


def test_the_sweeps_counters_count_the_welcome_emails_and_the_digests_sent(
    program: Program,
) -> None:
    reload(program, welcome_emails=True)
    report = sweep(program.services)  # Thursday 1 October 09:00: everyone's day 0
    welcomed = [r for r in program.outbox() if r.template.startswith("welcome")]
    assert len(welcomed) > 1
    assert report.done["welcome_emails"] == len(welcomed)
    assert report.done["digests"] == 0  # the first digest's date is set, none is sent
    assert not program.outbox(template="digest")
