"""A reply that is not a clear yes or no is never guessed."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import (
    ANA,
    SAM,
    ask,
    attention,
    changed,
    days_pass,
    rows_after,
    sent_pairs,
    the_request,
)

pytestmark = pytest.mark.service


@pytest.mark.parametrize(
    ("words", "is_question"),
    [("Maybe later", False), ("Can I think about it?", True), ("yes but only online?", True)],
)
def test_mentor_whose_reply_is_unclear_is_asked_what_they_meant_and_nothing_changes(
    program: Program, words: str, is_question: bool
) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(request, ANA, words))

    expected = [("did_you_mean", ANA)] + ([("question_from_mentor", SAM)] if is_question else [])
    assert changed(before, program.snapshot()) == {"outbox": (count, count + len(expected))}
    new = rows_after(program, count)
    assert sent_pairs(new) == expected
    did_you_mean = new[0]
    assert words in did_you_mean.text
    assert "nothing is decided yet: Sam hasn't been told yes or no" in flat(did_you_mean.text)
    assert set(did_you_mean.links) == {"accept", "decline"}
    assert did_you_mean.links["accept"] in did_you_mean.text
    assert did_you_mean.links["decline"] in did_you_mean.text
    assert ("We've passed your question on to Sam" in flat(did_you_mean.text)) is is_question
    if is_question:
        question = new[1]
        assert "Ana Lima read your request and wrote:" in flat(question.text)
        assert words in question.text
        assert ANA not in question.text + question.html  # not matched yet: no address
    assert not attention(program)


def test_mentees_answer_to_a_question_reaches_the_mentor_who_can_then_accept(
    program: Program,
) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "yes but only online?"))
    question = program.last_to(SAM)
    assert question.template == "question_from_mentor"
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(question, SAM, "Online is fine for me, thank you!"))

    assert changed(before, program.snapshot()) == {"outbox": (count, count + 1)}
    (relay,) = rows_after(program, count)
    assert (relay.template, relay.to_addr) == ("message_from_mentee", ANA)
    assert "Sam Rivera answered your question:" in flat(relay.text)
    assert "Online is fine for me" in flat(relay.text)
    assert SAM not in relay.text  # the mentee's address waits for the match too

    page = program.post(relay.links["accept"])
    assert page.title == "Thank you!"
    after = program.snapshot()
    assert after["matches"] == 1
    assert after["requests"] == [(after["requests"][0][0], "accepted")]
    assert program.last_to(SAM).template == "intro_mentee"


def test_after_a_did_you_mean_a_plain_yes_reply_accepts(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Maybe later"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "Yes"))
    assert program.snapshot()["matches"] == 1


def test_a_mentor_asking_for_time_until_next_week_keeps_the_request_open_and_both_see_the_date(
    program: Program,
) -> None:
    request = ask(program, SAM)  # asked on Thursday 1 October 2026: due Sunday 11 October
    program.deliver(reply_to(request, ANA, "Can I think about it until next week?"))

    asked = flat(program.last_to(ANA).text)
    assert "You asked for time until Thursday 8 October 2026." in asked
    assert "the request stays open until Sunday 11 October 2026" in asked
    program.deliver(reply_to(request, ANA, "Could I have until Monday 19 October to decide?"))
    to_ana = flat(program.last_to(ANA).text)
    assert "You asked for time until Monday 19 October 2026." in to_ana
    assert "We can keep Sam's request open until Sunday 18 October 2026 at most" in to_ana
    to_sam = program.last_to(SAM)
    assert (to_sam.template, to_sam.subject) == (
        "request_more_time",
        "Ana Lima would like a little time to think",
    )
    assert "Could I have until Monday 19 October to decide?" in to_sam.text
    assert "your request stays open until Sunday 18 October 2026" in flat(to_sam.text)
    assert not program.outbox(template="question_from_mentor")
    assert str(the_request(program).due_at.date()) == "2026-10-18"

    days_pass(program, 16)  # 17 October: reminded the day before, still open
    assert program.last_to(ANA).template == "request_reminder"
    assert the_request(program).state == "pending"
    days_pass(program, 2)
    assert the_request(program).state == "expired"
