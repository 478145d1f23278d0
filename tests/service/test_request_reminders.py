"""Requests answered in time (year-a): the mentor is reminded halfway and the day before,
never once they answered and never twice; two expiries in a row pause the mentor kindly."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, JO, SAM, ask, days_pass

pytestmark = pytest.mark.service


def test_the_mentor_is_reminded_halfway_and_the_day_before_once_each(program: Program) -> None:
    ask(program, SAM)
    days_pass(program, 5)
    days_pass(program, 0)
    (halfway,) = program.outbox(to=ANA, template="request_reminder")
    assert halfway.subject == "A reminder: Sam Rivera is waiting for your answer"
    text = flat(halfway.text)
    assert "The request stays open until Sunday 11 October 2026" in text
    assert "Accept:" in text and "Decline:" in text and set(halfway.links) >= {"accept", "decline"}
    days_pass(program, 4)
    days_pass(program, 0.5)
    last = program.outbox(to=ANA, template="request_reminder")
    assert len(last) == 2
    assert last[-1].subject == "Last day to answer Sam Rivera's request"
    assert "closes tomorrow, Sunday 11 October 2026" in flat(last[-1].text)


def test_no_reminder_once_the_mentor_answered(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    days_pass(program, 9.5)
    assert program.outbox(template="request_reminder") == []


def test_two_requests_expired_in_a_row_pause_the_mentor_and_ask_kindly(program: Program) -> None:
    ask(program, SAM)
    days_pass(program, 11)
    assert program.outbox(to=ANA, template="still_available") == []
    ask(program, JO)
    days_pass(program, 11)
    (asked,) = program.outbox(to=ANA, template="still_available")
    assert asked.subject == "Are you still available to mentor?"
    assert "we've paused new requests for now" in flat(asked.text)
    assert "available" in asked.links
    assert program.person(ANA).availability == "paused"
    program.get(asked.links["available"])
    program.post(asked.links["available"])
    assert program.person(ANA).availability == "available"
