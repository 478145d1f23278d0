"""A person who asks to stop leaves the program at once, hears so once, and is never mailed."""

from __future__ import annotations

import pytest

from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import (
    ANA,
    JO,
    SAM,
    ask,
    attention,
    changed,
    rows_after,
    search,
    sent_pairs,
)

pytestmark = pytest.mark.service


def test_mentor_who_asks_to_stop_leaves_and_waiting_mentees_are_told(program: Program) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())
    ((req_id, _),) = before["requests"]

    program.deliver(reply_to(request, ANA, "Please stop emailing me"))

    after = program.snapshot()
    assert changed(before, after).keys() == {"requests", "availability", "outbox"}
    assert after["requests"] == [(req_id, "released")]
    assert (ANA, "available", "left") in after["availability"]
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("left_program", ANA),
        ("request_released", SAM),
    ]
    assert "we won't email you again" in flat(program.last_to(ANA).text)
    assert "Ana Lima" not in flat(search(program, JO, "data science statistics").text)


def test_mentor_who_answers_a_request_with_leave_and_a_reason_leaves_and_the_mentee_hears(
    program: Program,
) -> None:
    """ "Please take me off your lists, I retired" is leaving (which releases the request),
    not only a decline: the reader says stop, also: decline."""
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())
    ((req_id, _),) = before["requests"]

    program.deliver(reply_to(request, ANA, "Please take me off your lists. I retired last spring."))

    after = program.snapshot()
    assert after["requests"] == [(req_id, "released")]
    assert (ANA, "available", "left") in after["availability"]
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("left_program", ANA),
        ("request_released", SAM),
    ]


def test_mentee_who_asks_to_stop_withdraws_their_request_and_gets_no_later_mail(
    program: Program,
) -> None:
    ask(program, SAM)
    listing = program.outbox(to=SAM, template="request_sent")[-1]
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(listing, SAM, "Please stop emailing me"))

    after = program.snapshot()
    assert after["requests"] == [(before["requests"][0][0], "withdrawn")]
    assert (SAM, "available", "left") in after["availability"]
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("left_program", SAM),
        ("request_withdrawn", ANA),
    ]
    left_count = len(program.outbox(to=SAM))

    # later: Sam writes again, the clock moves on, the sweep runs: Sam is mailed no more
    program.deliver(reply_to(listing, SAM, "Looking for a mentor in data science"))
    program.services.clock.advance(days=30)  # type: ignore[attr-defined]
    sweep(program.services)
    program.work()
    assert len(program.outbox(to=SAM)) == left_count
    assert len(program.outbox(to=SAM, template="left_program")) == 1


def test_stop_twice_sends_one_goodbye(program: Program) -> None:
    listing = search(program, SAM)
    program.deliver(reply_to(listing, SAM, "Please stop emailing me"))
    before = program.snapshot()

    program.deliver(reply_to(listing, SAM, "STOP. Unsubscribe me."))

    assert program.snapshot() == before
    assert len(program.outbox(to=SAM, template="left_program")) == 1


def test_one_click_unsubscribe_after_stop_sends_no_second_goodbye(program: Program) -> None:
    listing = search(program, SAM)
    program.deliver(reply_to(listing, SAM, "Please stop emailing me"))
    before = program.snapshot()
    unsubscribe = listing.headers["List-Unsubscribe"].split(">")[0].lstrip("<")

    page = program.post(unsubscribe)

    assert "left" in page.title
    assert program.snapshot() == before


def test_mentee_who_left_cannot_ask_a_mentor_by_reply_or_link(program: Program) -> None:
    listing = search(program, SAM)
    program.deliver(reply_to(listing, SAM, "Please stop emailing me"))
    before = program.snapshot()

    program.deliver(reply_to(listing, SAM, "2"))
    page = program.post(listing.links["ask_1"])

    assert program.snapshot() == before  # no request to a mentor, no mail to anyone
    assert "left" in page.title


def test_person_who_left_writing_to_the_program_address_is_not_mailed(program: Program) -> None:
    listing = search(program, SAM)
    program.deliver(reply_to(listing, SAM, "Please stop emailing me"))
    before = program.snapshot()

    program.deliver(email(SAM, PROGRAM_ADDRESS, "Looking for a mentor in data science"))

    assert program.snapshot() == before
    (flag,) = attention(program)  # a person may want to welcome them back
    assert flag.reason == f"mail from Sam Rivera <{SAM}>, who has left the program; nothing done"
