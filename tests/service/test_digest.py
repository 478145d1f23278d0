"""The coordinators' digest: what needs a person and the numbers, and acting by reply."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from mentormail.service.models import Attention, CoordinatorAction, OutboundMessage
from mentormail.service.models import Program as ProgramRow
from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, JO, SAM, TOM, ask, until

pytestmark = pytest.mark.service

COORDINATOR = "coordinator@example.edu"


def a_week_of_mentoring(program: Program) -> int:
    """Sam asks Ana, who says yes; Jo reports a problem. Returns Jo's item number."""
    sweep(program.services)  # the program's first digest date is set
    to_ana = ask(program, SAM)
    program.deliver(reply_to(to_ana, ANA, "Yes, happy to!"))
    program.deliver(
        email(f"Jo Kim <{JO}>", PROGRAM_ADDRESS, "I'd like to report a problem with a mentor")
    )
    program.work()
    with program.services.sessions() as session:
        item = session.scalars(select(Attention).where(Attention.urgent.is_(True))).one()
        return item.id


def the_digest(program: Program) -> object:
    [row] = program.outbox(to=COORDINATOR, template="digest")
    return row


def test_the_weekly_digest_lists_what_needs_a_person_with_names_and_the_numbers(
    program: Program,
) -> None:
    item = a_week_of_mentoring(program)
    assert not program.outbox(template="digest")  # not before Monday 08:00
    until(program, datetime(2026, 10, 5, 8, 0))

    row = the_digest(program)
    text = flat(row.text)  # type: ignore[attr-defined]
    assert row.subject.startswith("Alumni Mentor Program 2026-27 digest, 5 October: ")  # type: ignore[attr-defined]
    assert row.subject.endswith(": 1 item needs a person")  # type: ignore[attr-defined]
    assert f"#{item} URGENT —" in text
    assert "The numbers, 28 September to 5 October:" in text
    assert "- Requests made: 1 (up from 0)" in text
    assert "- Accepted: 100%" in text
    assert "- Median days to answer: less than a day" in text
    assert "- Active pairs: 1 (up from 0)" in text
    assert "reply with one command a line: done 3" in text
    assert row.text.startswith("Hi there,")  # type: ignore[attr-defined]  # its one coordinator
    html = row.html  # type: ignore[attr-defined]
    assert f"<strong>#{item}</strong>" in html and "this period" in html
    assert row.reply_to.startswith("reply+")  # type: ignore[attr-defined]


def test_a_digest_to_several_coordinators_greets_them_as_coordinators(program: Program) -> None:
    with program.services.unit_of_work() as session:
        session.scalars(select(ProgramRow)).one().coordinators = [COORDINATOR, "lea@example.edu"]
    sweep(program.services)
    until(program, datetime(2026, 10, 5, 8, 0))
    for address in (COORDINATOR, "lea@example.edu"):
        [row] = program.outbox(to=address, template="digest")
        assert row.text.startswith("Hi coordinators,") and "Hi coordinators," in row.html
        assert "You get this email because you coordinate" in flat(row.text)


def test_the_confirmation_greets_the_one_coordinator_who_replied_by_name(
    program: Program,
) -> None:
    sweep(program.services)
    until(program, datetime(2026, 10, 5, 8, 0))
    sender = f"Maria Keller <{COORDINATOR}>"
    program.deliver(reply_to(the_digest(program), sender, f"pause {TOM}"))  # type: ignore[arg-type]
    [confirmation] = program.outbox(to=COORDINATOR, template="digest_confirmation")
    assert confirmation.text.startswith("Hi Maria,") and "Hi Maria," in confirmation.html
    assert "coordinators," not in confirmation.text
    assert "You get this email because you coordinate" in flat(confirmation.text)


def test_a_quiet_week_gets_one_short_line(program: Program) -> None:
    sweep(program.services)
    until(program, datetime(2026, 10, 5, 8, 0))
    row = the_digest(program)
    assert row.subject.endswith(": nothing needs a person")  # type: ignore[attr-defined]
    assert "Nothing needs a person this week." in flat(row.text)  # type: ignore[attr-defined]


def test_the_sweep_sends_each_digest_once(program: Program) -> None:
    sweep(program.services)
    until(program, datetime(2026, 10, 5, 8, 0))
    until(program, datetime(2026, 10, 5, 8, 1))
    assert len(program.outbox(template="digest")) == 1
    until(program, datetime(2026, 10, 12, 8, 0))
    assert len(program.outbox(template="digest")) == 2


def in_berlin(program: Program) -> None:
    """The program's file says it runs on Berlin time."""
    with program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "timezone": "Europe/Berlin"}


def digest_dates(program: Program) -> list[str]:
    """The date each digest the coordinator got carries in its subject."""
    rows = program.outbox(to=COORDINATOR, template="digest")
    return [row.subject.split(" digest, ")[1].split(":")[0] for row in rows]


def test_a_weekly_digest_comes_each_monday_at_eight_in_the_programs_time_zone(
    program: Program,
) -> None:
    in_berlin(program)
    sweep(program.services)  # Thursday 1 October: the first date is set
    for day in (5, 7, 12, 15, 19):  # sweeps at 08:00 Berlin (06:00 UTC in summer time)
        until(program, datetime(2026, 10, day, 6, 0))
    assert digest_dates(program) == ["5 October", "12 October", "19 October"]


def test_a_digest_in_auckland_is_dated_by_auckland_not_by_utc(program: Program) -> None:
    with program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "timezone": "Pacific/Auckland"}
    item = a_week_of_mentoring(program)
    until(program, datetime(2026, 10, 4, 19, 0))  # Monday 5 October, 08:00 in Auckland
    row = the_digest(program)
    assert digest_dates(program) == ["5 October"]  # in UTC still Sunday 4 October
    text = flat(row.text)  # type: ignore[attr-defined]
    assert "The numbers, 28 September to 5 October:" in text
    assert f"#{item} URGENT —" in text and "The numbers, 28 September to 5 October" in row.html  # type: ignore[attr-defined]


def test_a_digest_due_between_two_sweeps_goes_at_the_next_dated_when_it_was_due(
    program: Program,
) -> None:
    in_berlin(program)
    sweep(program.services)
    until(program, datetime(2026, 10, 5, 6, 0))  # Monday 08:00 Berlin
    until(program, datetime(2026, 10, 13, 6, 0))  # Tuesday: Monday's sweep did not run
    until(program, datetime(2026, 10, 19, 6, 0))  # the next Monday is on schedule again
    assert digest_dates(program) == ["5 October", "12 October", "19 October"]
    second = program.outbox(to=COORDINATOR, template="digest")[1]
    assert "The numbers, 5 October to 12 October:" in flat(second.text)


def replied_to_the_digest(program: Program, words: str) -> OutboundMessage:
    """The coordinator replies to Monday's digest; returns the one confirmation."""
    until(program, datetime(2026, 10, 5, 8, 0))
    program.deliver(reply_to(the_digest(program), COORDINATOR, words))  # type: ignore[arg-type]
    [confirmation] = program.outbox(to=COORDINATOR, template="digest_confirmation")
    return confirmation


def test_a_coordinator_acts_by_replying_and_each_command_is_confirmed_and_audited(
    program: Program,
) -> None:
    item = a_week_of_mentoring(program)
    confirmation = replied_to_the_digest(
        program,
        f"done {item}\nnote {item} called Jo, all sorted\npause {TOM}\ncapacity {ANA} 3\n"
        "remind everyone\nThanks!\nMaria",
    )
    text = flat(confirmation.text)
    assert confirmation.subject == "Done: 4 of 5 commands"
    assert f"“done {item}”: #{item} done: " in text
    assert f"“note {item} called Jo, all sorted”: #{item}: note added." in text
    assert f"“pause {TOM}”: Tom Becker is paused (no new requests), and was told." in text
    assert f"“capacity {ANA} 3”: Ana Lima can now take 3 mentees." in text
    assert (
        "“remind everyone”: not understood, nothing done. Did you mean remind 3 (or remind 3 5),"
        " with the item numbers?" in text
    )
    assert "Thanks" not in text
    assert program.person(TOM).availability == "paused"
    assert program.person(ANA).capacity == 3
    [paused] = program.outbox(to=TOM, template="paused_by_coordinators")
    assert "The program's coordinators have paused new mentee requests to you for now" in flat(
        paused.text
    )
    with program.services.sessions() as session:
        resolved = session.get_one(Attention, item)
        assert resolved.resolved and "Note by coordinator@example.edu" in resolved.detail
        audit = session.scalars(select(CoordinatorAction).order_by(CoordinatorAction.id)).all()
        assert (audit[0].address, audit[0].command) == (COORDINATOR, f"done {item}")
        assert len(audit) == 4


def test_a_reply_with_the_digests_token_from_anyone_else_changes_nothing(
    program: Program,
) -> None:
    item = a_week_of_mentoring(program)
    until(program, datetime(2026, 10, 5, 8, 0))
    program.deliver(reply_to(the_digest(program), "eve@evil.example", f"done {item}\npause {TOM}"))  # type: ignore[arg-type]
    assert not program.outbox(template="digest_confirmation")
    assert program.person(TOM).availability == "available"
    with program.services.sessions() as session:
        assert not session.get_one(Attention, item).resolved
        flagged = session.scalars(select(Attention).order_by(Attention.id.desc())).first()
        assert flagged is not None
        assert flagged.reason == (
            "eve@evil.example replied to a digest sent to coordinator@example.edu; nothing done"
        )


def test_a_note_reads_as_its_own_paragraph_in_the_next_digest(program: Program) -> None:
    item = a_week_of_mentoring(program)
    until(program, datetime(2026, 10, 5, 8, 0))
    program.deliver(
        reply_to(the_digest(program), COORDINATOR, f"note {item} called Jo, all sorted")  # type: ignore[arg-type]
    )
    until(program, datetime(2026, 10, 12, 8, 0))
    latest = program.outbox(template="digest")[-1]
    lines = latest.text.splitlines()  # type: ignore[attr-defined]
    note = next(k for k, line in enumerate(lines) if "Note by coordinator@example.edu" in line)
    assert lines[note].startswith("> Note by coordinator@example.edu, 5 October")
    assert lines[note].endswith(": called Jo, all sorted") and lines[note - 1] == ">"
    assert "<br><br>Note by coordinator@example.edu" in latest.html  # type: ignore[attr-defined]


def test_lines_that_look_like_commands_in_another_language_are_listed_as_not_understood(
    program: Program,
) -> None:
    item = a_week_of_mentoring(program)
    words = f"hecho {item}\npausa {TOM}\npause {TOM}\ndone {item}\nGracias!"
    confirmation = replied_to_the_digest(program, words)
    text = flat(confirmation.text)
    assert confirmation.subject == "Done: 2 of 4 commands"  # four lines were meant as commands
    assert f"“hecho {item}”: not understood, nothing done. Did you mean “done {item}”?" in text
    assert f"“pausa {TOM}”: not understood, nothing done. Did you mean “pause {TOM}”?" in text
    assert "Gracias" not in text


def test_an_item_alerted_at_once_is_still_listed_in_the_next_digest_while_open(
    program: Program,
) -> None:
    """Newcomer-r24 finding 2: a call for help answered at once (the alert) is not "told":
    the next digest lists every open item, alerted or not."""
    from tests.service.steps import days_pass, matched

    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    words = (
        "Non, Ana annule toujours nos rendez-vous, je ne sais pas quoi faire. Pouvez-vous m'aider ?"
    )
    program.deliver(reply_to(to_sam, SAM, words))
    [alert] = program.outbox(template="coordinator_alert")
    with program.services.sessions() as session:
        [item] = session.scalars(select(Attention.id).where(Attention.inbound_id.is_not(None)))
    assert f"item #{item}" in flat(alert.text)
    days_pass(program, 8)
    latest = flat(program.outbox(to=COORDINATOR, template="digest")[-1].text)
    assert f"#{item} — Sam Rivera" in latest and "Pouvez-vous m'aider ?" in latest
