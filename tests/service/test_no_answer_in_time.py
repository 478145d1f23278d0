"""A mentor who does not answer within response_days: the mentee may ask someone else."""

from __future__ import annotations

import pytest

from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import Program
from tests.service.steps import ANA, SAM, ask, attention, changed, rows_after, sent_pairs

pytestmark = pytest.mark.service


def test_request_without_an_answer_expires_and_the_mentee_is_offered_others(
    program: Program,
) -> None:
    ask(program, SAM)
    program.services.clock.advance(days=11)  # type: ignore[attr-defined]
    before, count = program.snapshot(), len(program.outbox())
    ((req_id, _),) = before["requests"]

    report = sweep(program.services)
    program.work()

    assert report.expired_requests == 1
    assert changed(before, program.snapshot()) == {
        "requests": ([(req_id, "pending")], [(req_id, "expired")]),
        "outbox": (count, count + 2),
    }
    new = rows_after(program, count)
    assert sorted(sent_pairs(new)) == [("request_expired", SAM), ("request_expired_mentor", ANA)]
    to_sam = next(r for r in new if r.to_addr == SAM)
    assert "within 10 days, so you're free to ask someone else" in flat(to_sam.text)
    assert "it says nothing about you" in flat(to_sam.text)
    assert "Grace Okafor" in flat(to_sam.text) and "Ask Ana" not in flat(to_sam.text)
    to_ana = next(r for r in new if r.to_addr == ANA)
    assert "There's nothing for you to do" in flat(to_ana.text)
    (flag,) = attention(program)
    assert flag.reason == (  # names and addresses, so a coordinator can act on it
        "mentor did not answer a request in time: mentor Ana Lima <ana.lima@alumni.example.edu>"
        " and mentee Sam Rivera <sam.rivera@student.example.edu>"
    )
    assert flag.request_id == req_id


def test_sweep_run_twice_sends_nothing_more(program: Program) -> None:
    ask(program, SAM)
    program.services.clock.advance(days=11)  # type: ignore[attr-defined]
    sweep(program.services)
    program.work()
    before, flags = program.snapshot(), len(attention(program))

    second = sweep(program.services)
    program.work()

    assert second.expired_requests == 0 and second.sends_queued == 0
    assert program.snapshot() == before
    assert len(attention(program)) == flags


def test_request_within_its_window_is_left_alone(program: Program) -> None:
    ask(program, SAM)
    program.services.clock.advance(days=9, hours=23)  # type: ignore[attr-defined]
    before = program.snapshot()
    assert sweep(program.services).expired_requests == 0
    program.work()
    after = program.snapshot()
    assert after["requests"] == before["requests"]  # still open
    new = rows_after(program, before["outbox"])  # only the mentor's last-day reminder (year-a)
    assert [(r.template, r.to_addr) for r in new] == [("request_reminder", ANA)]
