"""Nothing happens twice, nothing is dropped: mail in, mail out, retries and suppressions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from mentormail.service import sending
from mentormail.service.models import InboundMessage
from mentormail.service.sweep import sweep
from tests.fakes import FakeClock, FakeMailer
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.security.bounces import about, mail_sent_to
from tests.service.steps import HEALTH_DATA, SAM, TOM, ask, attention, count_rows, search

pytestmark = pytest.mark.service

HARD_BOUNCE = Path(__file__).parents[1] / "fixtures/eml/classify/postfix_rfc3464_hard_5_1_1.eml"


def mailer(program: Program) -> FakeMailer:
    """The fake transport the program sends through."""
    found = program.services.mailer()
    assert isinstance(found, FakeMailer)
    return found


def clock(program: Program) -> FakeClock:
    """The program's fake clock."""
    assert isinstance(program.services.clock, FakeClock)
    return program.services.clock


def test_the_same_mail_delivered_twice_is_processed_once(program: Program) -> None:
    raw = email(SAM, PROGRAM_ADDRESS, HEALTH_DATA, subject="Mentor?")
    first = program.deliver(raw, source="imap")
    before = program.snapshot()

    second = program.deliver(raw, source="webhook")

    assert second == first
    assert program.snapshot() == before
    assert count_rows(program, InboundMessage) == 1
    assert len(program.outbox(to=SAM)) == 1


def test_a_row_sent_twice_is_sent_once(program: Program) -> None:
    listing = search(program, SAM)
    sent = len(mailer(program).sent)
    assert sent == len(program.outbox())

    assert sending.send(program.services, listing.id) == "skipped"
    assert sending.send(program.services, listing.id) == "skipped"

    assert len(mailer(program).sent) == sent
    assert program.last_to(SAM).status == "sent"


def test_a_transient_failure_is_retried_with_growing_gaps_then_sent(program: Program) -> None:
    mailer(program).fail_next(times=2)
    search(program, SAM)
    row = program.last_to(SAM)
    assert (row.status, row.attempts) == ("retry", 1)
    assert row.next_attempt_at == clock(program).now() + timedelta(minutes=1)
    assert "451" in (row.last_error or "")

    sweep(program.services)  # not due yet: nothing is sent early
    program.work()
    assert program.last_to(SAM).status == "retry"

    clock(program).advance(minutes=1)
    sweep(program.services)
    program.work()
    row = program.last_to(SAM)
    assert (row.status, row.attempts) == ("retry", 2)
    assert row.next_attempt_at == clock(program).now() + timedelta(minutes=2)

    clock(program).advance(minutes=2)
    sweep(program.services)
    program.work()
    row = program.last_to(SAM)
    assert (row.status, row.attempts) == ("sent", 3)
    assert [m.to_addr for m in mailer(program).sent] == [SAM]
    assert not attention(program)


def test_a_permanent_failure_is_set_aside_for_a_person(program: Program) -> None:
    mailer(program).fail_next(permanent=True)
    search(program, SAM)

    row = program.last_to(SAM)
    assert row.status == "shunted"
    assert "refused" in (row.last_error or "")
    assert mailer(program).sent == []
    (flag,) = attention(program)
    assert flag.reason == f"email to {SAM} could not be sent"

    sweep(program.services)  # a shunted row stays aside
    program.work()
    assert program.last_to(SAM).status == "shunted"


def test_an_address_that_bounced_for_good_is_not_mailed_again(program: Program) -> None:
    # two of our messages to Tom come back (a report about mail we never sent would not count)
    mailed_before = len(mailer(program).sent) + 2
    for n, key in enumerate(("first", "second")):
        program.deliver(about(mail_sent_to(program, TOM, key), n=n))
    flags = attention(program)
    assert flags[-1].reason == (
        f"mail to Tom Becker <{TOM}> bounced for good again; address suppressed"
        f" (mentormail unsuppress {TOM})"
    )

    jo = "jo.kim@student.example.edu"
    program.deliver(email(f"Jo Kim <{jo}>", PROGRAM_ADDRESS, "software engineering"))
    answer = program.last_to(jo)
    assert answer.template == "no_mentors_found"  # Tom, the only fit, is unreachable
    assert "Tom Becker" not in answer.text
    assert TOM not in [m.to_addr for m in mailer(program).sent[mailed_before:]]


def test_a_reply_delivered_twice_acts_once(program: Program) -> None:
    request = ask(program, SAM)
    answer = reply_to(request, "ana.lima@alumni.example.edu", "Yes, happy to!")
    program.deliver(answer)
    before = program.snapshot()
    program.deliver(answer)
    assert program.snapshot() == before
    assert before["matches"] == 1
