"""Only the person a reply address was made for can act with it."""

from __future__ import annotations

import pytest

from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, ask, attention

pytestmark = pytest.mark.service

FORWARDED_TO = "ana.personal@gmail.example.com"


def test_reply_from_another_address_does_nothing_and_asks_a_person(program: Program) -> None:
    request = ask(program, SAM)
    before = program.snapshot()

    program.deliver(reply_to(request, FORWARDED_TO, "Yes, happy to!"))

    assert program.snapshot() == before
    (flag,) = attention(program)
    assert flag.reason == f"reply for {ANA} came from {FORWARDED_TO}; nothing done"
    assert "Yes, happy to!" in flag.detail


def test_reply_from_another_participant_with_the_mentors_token_does_nothing(
    program: Program,
) -> None:
    request = ask(program, SAM)
    before = program.snapshot()

    program.deliver(reply_to(request, SAM, "Yes, happy to!"))

    assert program.snapshot() == before
    assert len(attention(program)) == 1
