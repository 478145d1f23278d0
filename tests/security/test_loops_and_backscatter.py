"""Two auto-responders that send no auto-reply headers, one per side of a request, answer
whatever reaches them: the service stops answering within a bound. Forged strangers get a
"how to join" a week at most, none when the receiving side says the sender failed."""

from __future__ import annotations

import pytest

from mentormail.service.models import OutboundMessage
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, SAM, ask, attention

pytestmark = pytest.mark.integration

OUT_OF_OFFICE = "Thank you for your message. I am travelling and will answer when I can?"


def responders_play(program: Program, rounds: int, seen: set[int]) -> int:
    """Each responder answers every email it got that is not in ``seen``; returns how many
    emails we wrote meanwhile."""
    start = len(program.outbox())
    for _ in range(rounds):
        new = [r for r in program.outbox() if r.id not in seen and r.to_addr in (ANA, SAM)]
        if not new:
            break
        for row in new:
            seen.add(row.id)
            program.deliver(reply_to(row, row.to_addr, OUT_OF_OFFICE, quote=False))
            program.services.clock.advance(seconds=20)  # type: ignore[attr-defined]
    return len(program.outbox()) - start


def test_two_auto_responders_cannot_make_the_service_loop(program: Program) -> None:
    request = ask(program, SAM)
    seen = {r.id for r in program.outbox()}
    program.deliver(reply_to(request, ANA, OUT_OF_OFFICE, quote=False))

    written = responders_play(program, 60, seen)

    assert written <= 20, written
    assert any("stopped answering" in a.reason for a in attention(program))
    assert len([a for a in attention(program) if "stopped answering" in a.reason]) <= 2


def test_a_person_answering_quickly_in_their_own_words_is_never_stopped(program: Program) -> None:
    request = ask(program, SAM)
    for n in range(8):
        program.services.clock.advance(minutes=1)  # type: ignore[attr-defined]  # quick, but a person
        program.deliver(reply_to(program.last_to(ANA), ANA, f"Could you tell me more? ({n})"))
    assert not any("stopped answering" in a.reason for a in attention(program))
    assert request.id


STRANGERS_FORGED = "mx.example.edu; spf=fail smtp.mailfrom=x; dmarc=fail header.from=x"


def test_forged_strangers_get_no_backscatter(program: Program) -> None:
    for n in range(20):
        raw = email(f"victim{n}@elsewhere.example", PROGRAM_ADDRESS, "Hello, how do I join?")
        program.deliver(b"Authentication-Results: " + STRANGERS_FORGED.encode() + b"\r\n" + raw)
    assert [r for r in program.outbox() if r.template == "unknown_sender"] == []


def test_a_stranger_who_passes_is_answered_once_a_week(program: Program) -> None:
    passed = b"Authentication-Results: mx.example.edu; spf=pass; dkim=pass; dmarc=pass\r\n"
    for _ in range(3):
        program.deliver(passed + email("new.person@elsewhere.example", PROGRAM_ADDRESS, "Hi"))
    rows: list[OutboundMessage] = program.outbox(to="new.person@elsewhere.example")
    assert [r.template for r in rows] == ["unknown_sender"]
