"""A mentor's yes after their own no: the pair is made while the mentee waits on no one and the
request could still be answered; otherwise nothing changes, and the mentor is told why."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, ask, attention, days_pass, request_states

pytestmark = pytest.mark.service


def declined(program: Program) -> object:
    """Sam asks Ana, who says no; her request email."""
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Sorry, I can't this year."))
    assert list(request_states(program).values()) == ["declined"]
    return request


def test_a_yes_after_the_mentors_own_no_makes_the_pair_when_the_mentee_asked_no_one_else(
    program: Program,
) -> None:
    request = declined(program)

    program.deliver(reply_to(request, ANA, "Yes, happy to!"))

    assert list(request_states(program).values()) == ["accepted"]
    to_sam = flat(program.last_to(SAM).text)
    assert "Ana first said no, then said yes after all" in to_sam
    (to_ana,) = program.outbox(to=ANA, template="intro_mentor")
    assert "You'd said no first; Sam hadn't asked anyone else since" in flat(to_ana.text)


def test_a_yes_after_no_once_the_mentee_asked_another_mentor_changes_nothing_and_says_why(
    program: Program,
) -> None:
    request = declined(program)
    ask(program, SAM, "Tom Becker", "software engineering in finance")

    program.deliver(reply_to(request, ANA, "Yes, happy to!"))

    assert sorted(request_states(program).values()) == ["declined", "pending"]
    told = program.last_to(ANA)
    assert told.template == "yes_after_no"
    assert "Sam has asked another mentor since, so we haven't made the match" in flat(told.text)
    assert any("yes after declining" in a.reason for a in attention(program))


def test_a_yes_after_no_past_the_answer_time_changes_nothing_and_says_why(
    program: Program,
) -> None:
    request = declined(program)
    days_pass(program, 11)

    program.deliver(reply_to(request, ANA, "Yes, happy to!"))

    assert list(request_states(program).values()) == ["declined"]
    told = program.last_to(ANA)
    assert told.template == "yes_after_no"
    assert "the time for answering it has passed" in flat(told.text)
