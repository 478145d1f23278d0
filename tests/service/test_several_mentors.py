"""Several mentors per mentee (max_mentors_per_mentee): a mentee with a mentor may ask for
another who knows something else; each match has its own check-ins and its own ending."""

from __future__ import annotations

from typing import Any

import pytest

from mentormail.service.programs import load_program, read_program_file
from tests.email_checks import flat
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, SAM, TOM, ask, days_pass, number_of

pytestmark = pytest.mark.service

FINANCE = "Do you know someone in software engineering in finance?"


def reload(program: Program, **changes: Any) -> None:
    """The coordinator edits the program file and loads it again."""
    data = {**read_program_file(EXAMPLES / "program.yaml"), **changes}
    with program.services.unit_of_work() as session:
        load_program(session, data, EXAMPLES)


def matched_with_ana(program: Program) -> None:
    """Sam asks Ana, who says yes."""
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    assert program.outbox(to=SAM, template="intro_mentee")


def test_a_mentee_with_a_mentor_asks_for_another_who_knows_finance(program: Program) -> None:
    reload(program, max_mentors_per_mentee=2)
    matched_with_ana(program)
    program.deliver(email(f"Sam Rivera <{SAM}>", PROGRAM_ADDRESS, FINANCE, subject="Another?"))
    listing = program.last_to(SAM)
    assert listing.template == "mentor_list", listing.text
    assert "Tom Becker" in listing.text and "Ana Lima" not in listing.text
    program.deliver(reply_to(listing, SAM, str(number_of(listing, "Tom Becker"))))
    [to_tom] = program.outbox(to=TOM, template="request_to_mentor")
    program.deliver(reply_to(to_tom, TOM, "Yes, glad to help"))
    intros = program.outbox(to=SAM, template="intro_mentee")
    assert len(intros) == 2 and "Tom" in flat(intros[-1].text)

    days_pass(program, 31)
    checkins = program.outbox(to=SAM, template="checkin")
    assert sorted(flat(r.subject) for r in checkins) == [
        "Have you and Ana met since Thursday 1 October 2026?",
        "Have you and Tom met since Thursday 1 October 2026?",
    ]
    # Sam has two mentors: each pair's check-in was due the same morning; Tom's came the next
    assert len({r.created_at.date() for r in checkins}) == 2


def test_with_one_mentor_allowed_a_matched_mentee_is_not_offered_another(
    program: Program,
) -> None:
    matched_with_ana(program)
    program.deliver(email(f"Sam Rivera <{SAM}>", PROGRAM_ADDRESS, FINANCE, subject="Another?"))
    assert program.last_to(SAM).template != "mentor_list"
    assert not program.outbox(to=TOM)


def test_ending_one_of_two_matches_leaves_the_other(program: Program) -> None:
    reload(program, max_mentors_per_mentee=2)
    matched_with_ana(program)
    program.deliver(email(f"Sam Rivera <{SAM}>", PROGRAM_ADDRESS, FINANCE, subject="Another?"))
    listing = program.last_to(SAM)
    program.deliver(reply_to(listing, SAM, str(number_of(listing, "Tom Becker"))))
    program.deliver(reply_to(program.last_to(TOM), TOM, "Yes"))
    days_pass(program, 31)
    [with_tom] = [r for r in program.outbox(to=SAM, template="checkin") if "Tom" in r.subject]
    program.deliver(reply_to(with_tom, SAM, "END"))
    with program.services.sessions() as session:
        from mentormail.service.models import Match

        states = {m.mentor.email: m.state for m in session.query(Match).all()}
    assert states == {ANA: "active", TOM: "active"}  # the ending asks first, for Tom's only
    [which] = program.outbox(to=SAM, template="ending_which")
    assert which.subject == "Ending your mentorship with Tom Becker: which fits?"
    days_pass(program, 5)  # the pulse surveys: after the check-ins and the fit questions due
    # with them, each a day or two after the last question to Sam
    surveys = sorted(r.subject for r in program.outbox(to=SAM, template="survey"))
    assert surveys == [
        "How is it going with Ana? One quick question",
        "How is it going with Tom? One quick question",
    ]
