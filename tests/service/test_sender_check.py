"""Only the person a reply address was made for (or an address they confirm) can act with it."""

from __future__ import annotations

import pytest

from mentormail.service.models import OutboundMessage, Participant
from mentormail.service.programs import find_program, import_participants
from tests.email_checks import flat
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import (
    ANA,
    SAM,
    ask,
    attention,
    changed,
    count_rows,
    rows_after,
    sent_pairs,
)

EXAMPLE_CSV = (EXAMPLES / "participants.csv").read_text()

pytestmark = pytest.mark.service

FORWARDED_TO = "ana.personal@gmail.example.com"


def test_reply_from_another_address_does_nothing_but_asks_the_owner_to_confirm(
    program: Program,
) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(request, FORWARDED_TO, "Yes, happy to!"))

    assert changed(before, program.snapshot()) == {"outbox": (count, count + 1)}
    [confirm] = rows_after(program, count)
    assert sent_pairs([confirm]) == [("confirm_address", ANA)]  # to the address we know
    assert FORWARDED_TO in confirm.text and "Yes, happy to!" in flat(confirm.text)
    (flag,) = attention(program)
    meant = f"a reply meant for Ana Lima <{ANA}>"
    assert flag.reason == f"{meant} came from {FORWARDED_TO}; nothing done"
    assert "Yes, happy to!" in flag.detail


def test_confirming_the_address_lets_the_held_reply_act(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, FORWARDED_TO, "Yes, happy to!"))
    confirm = program.last_to(ANA)
    before = program.snapshot()
    assert program.get(confirm.links["confirm"]).button == f"Yes, {FORWARDED_TO} is mine"
    assert program.snapshot() == before  # looking changes nothing

    page = program.post(confirm.links["confirm"])

    assert f"Replies from {FORWARDED_TO} now count as yours" in page.message
    assert f"Our emails still go to {ANA}, as before" in page.next_step  # said, not assumed
    assert "ask the coordinators (coordinator@example.edu) to put it in the list" in page.next_step
    assert [state for _, state in program.snapshot()["requests"]] == ["accepted"]
    assert program.last_to(SAM).template == "intro_mentee"
    assert FORWARDED_TO in program.person(ANA).other_emails
    assert all(a.resolved for a in attention(program) if "a reply meant for" in a.reason)
    again = program.post(confirm.links["confirm"])
    assert again.status == 410


def test_reply_from_another_participant_with_the_mentors_token_does_nothing(
    program: Program,
) -> None:
    request = ask(program, SAM)
    before = program.snapshot()

    program.deliver(reply_to(request, SAM, "Yes, happy to!"))

    assert program.snapshot() == before  # and Ana is never told Sam's address
    assert len(attention(program)) == 1


def confirmed_forwarded_address(program: Program) -> OutboundMessage:
    """Ana answers Sam's request from another address and confirms it is hers; the request."""
    request = ask(program, SAM)
    program.deliver(reply_to(request, FORWARDED_TO, "Yes, happy to!"))
    program.post(program.last_to(ANA).links["confirm"])
    return request


def test_a_confirmed_address_counts_as_the_sender_but_mail_stays_at_the_known_one(
    program: Program,
) -> None:
    confirmed_forwarded_address(program)
    program.deliver(email(FORWARDED_TO, PROGRAM_ADDRESS, "pause", subject="Pause"))

    assert program.outbox(to=FORWARDED_TO) == []
    assert program.last_to(ANA).template in {"confirm_change", "paused"}


def test_reimporting_a_person_at_their_confirmed_address_moves_them_there(
    program: Program,
) -> None:
    confirmed_forwarded_address(program)
    people = count_rows(program, Participant)
    row = next(line for line in EXAMPLE_CSV.splitlines() if line.startswith(ANA))
    moved = EXAMPLE_CSV.replace(row, row.replace(ANA, FORWARDED_TO))

    with program.services.unit_of_work() as session:
        report = import_participants(session, find_program(session, "alumni-2026"), moved)

    assert (report.created, report.updated, report.errors) == (0, 1, [])
    assert count_rows(program, Participant) == people  # the same person, not a second one
    ana = program.person(FORWARDED_TO)
    assert ana.name == "Ana Lima" and ana.other_emails == [ANA]
    program.deliver(email(ANA, PROGRAM_ADDRESS, "pause", subject="Pause"))
    assert program.last_to(FORWARDED_TO).template in {"confirm_change", "paused"}
    assert program.outbox(to=ANA)[-1].template != "confirm_change"
