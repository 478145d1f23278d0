"""A mentor replies "pause" or "available" at any time, in their own words."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, ask, changed, rows_after, search, sent_pairs

pytestmark = pytest.mark.service


def test_mentor_who_pauses_releases_waiting_requests_and_is_hidden_from_searches(
    program: Program,
) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())
    ((req_id, _),) = before["requests"]

    program.deliver(reply_to(request, ANA, "pause"))

    after = program.snapshot()
    diff = changed(before, after)
    assert diff["requests"] == ([(req_id, "pending")], [(req_id, "released")])
    assert (ANA, "paused", "active") in after["availability"]
    assert set(diff) == {"requests", "availability", "outbox"}
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("paused_confirmed", ANA),
        ("request_released", SAM),
    ]
    confirmed = program.last_to(ANA)
    assert "you won't receive new mentee requests" in flat(confirmed.text)
    assert "the mentee who was waiting for your answer know" in flat(confirmed.text)
    assert "current mentee" not in flat(confirmed.text)  # Ana has none to be affected
    released = program.last_to(SAM)
    assert "Ana Lima can't take new mentees right now" in flat(released.text)

    assert "Ana Lima" not in flat(search(program, SAM, "data science statistics").text)


def test_a_paused_mentors_late_yes_hears_the_request_closed_when_they_paused(
    program: Program,
) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "pause"))
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    closed = flat(program.last_to(ANA).text)
    assert "Sam Rivera's request closed on" in closed
    assert "when you paused new requests, and Sam was told kindly" in closed


def test_paused_mentor_who_says_available_appears_in_searches_again(program: Program) -> None:
    ask(program, SAM)
    program.deliver(reply_to(program.last_to(ANA), ANA, "pause"))
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(program.last_to(ANA), ANA, "available"))

    after = program.snapshot()
    assert changed(before, after) == {
        "availability": (before["availability"], after["availability"]),
        "outbox": (count, count + 1),
    }
    assert (ANA, "available", "active") in after["availability"]
    assert sent_pairs(rows_after(program, count)) == [("available_confirmed", ANA)]
    assert "Mentees can find you and ask you again" in flat(program.last_to(ANA).text)

    assert "Ana Lima" in flat(search(program, "jo.kim@student.example.edu", "data science").text)


def test_pause_twice_just_confirms(program: Program) -> None:
    ask(program, SAM)
    program.deliver(reply_to(program.last_to(ANA), ANA, "pause"))
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(program.last_to(ANA), ANA, "Please pause"))

    assert changed(before, program.snapshot()) == {"outbox": (count, count + 1)}
    again = rows_after(program, count)
    assert sent_pairs(again) == [("paused_confirmed", ANA)]
    assert "we've kindly let" not in flat(again[0].text)  # nobody new was released


def test_available_when_already_available_just_confirms(program: Program) -> None:
    ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(program.last_to(ANA), ANA, "available"))

    assert changed(before, program.snapshot()) == {"outbox": (count, count + 1)}
    assert sent_pairs(rows_after(program, count)) == [("available_confirmed", ANA)]


def test_a_mentor_with_a_mentee_who_pauses_is_told_the_mentee_is_not_affected(
    program: Program,
) -> None:
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "pause"))
    confirmed = program.last_to(ANA)
    assert confirmed.template == "paused_confirmed"
    assert "Your current mentee is not affected." in flat(confirmed.text)
