"""Mail from an address the program does not know: a polite "how to join", nothing else."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email
from tests.service.steps import attention, changed, rows_after

pytestmark = pytest.mark.service

STRANGER = "pat.stranger@gmail.example.com"


def test_unknown_sender_is_told_how_to_join_and_nothing_else_happens(program: Program) -> None:
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(email(f"Pat <{STRANGER}>", PROGRAM_ADDRESS, "Can I get a mentor in law?"))

    assert changed(before, program.snapshot()) == {"outbox": (count, count + 1)}
    (answer,) = rows_after(program, count)
    assert (answer.template, answer.to_addr) == ("unknown_sender", STRANGER)
    said = flat(answer.text)
    assert "We don't have pat.stranger@gmail.example.com on the program's list" in said
    assert "coordinator@example.edu" in answer.text
    assert answer.links == {}
    (item,) = attention(program)  # a stranger's question reaches a person, word for word
    assert STRANGER in item.reason and "asks a question" in item.reason
    assert item.detail == "Can I get a mentor in law?"


def test_unknown_sender_writing_again_the_same_day_gets_nothing_more(program: Program) -> None:
    program.deliver(email(STRANGER, PROGRAM_ADDRESS, "Hello?"))
    before = program.snapshot()

    program.deliver(email(STRANGER, PROGRAM_ADDRESS, "Hello again? Anyone there?"))

    assert program.snapshot() == before
    assert len(program.outbox(to=STRANGER)) == 1


def test_unknown_sender_is_answered_once_a_week_at_most(program: Program) -> None:
    program.deliver(email(STRANGER, PROGRAM_ADDRESS, "Hello?"))
    program.services.clock.advance(days=6)  # type: ignore[attr-defined]
    program.deliver(email(STRANGER, PROGRAM_ADDRESS, "Hello again?"))
    assert len(program.outbox(to=STRANGER)) == 1
    program.services.clock.advance(days=1)  # type: ignore[attr-defined]
    program.deliver(email(STRANGER, PROGRAM_ADDRESS, "Anyone there?"))
    assert len(program.outbox(to=STRANGER)) == 2


def test_auto_reply_from_an_unknown_sender_gets_nothing(program: Program) -> None:
    before = program.snapshot()

    program.deliver(
        email(
            STRANGER,
            PROGRAM_ADDRESS,
            "I am out of the office until Monday.",
            subject="Automatic reply: Mentor?",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )

    assert program.snapshot() == before
    assert not attention(program)
