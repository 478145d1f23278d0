"""A message that keeps failing is set aside for a person, and the worker goes on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from mentormail.service import inbound, sweep
from mentormail.service.models import Attention, InboundMessage
from mentormail.service.programs import load_program, read_program_file
from tests.fakes import FakeClock
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, Program, email

SAM = "sam.rivera@student.example.edu"
JO = "jo.kim@student.example.edu"


def break_the_mentor_list_template(program: Program, tmp_path: Path) -> None:
    """The program overrides the mentor list with a template that cannot render."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mentor_list.txt").write_text("{% set subject = 'x' %}{{ no_such_value.attr }}\n")
    data = read_program_file(EXAMPLES / "program.yaml")
    data["templates"] = str(folder)
    with program.services.unit_of_work() as session:
        load_program(session, data)


def statuses(program: Program) -> dict[str, str]:
    """Each inbound message's status by sender."""
    with program.services.sessions() as session:
        return {m.from_addr or "": m.status for m in session.scalars(select(InboundMessage))}


def test_a_message_that_fails_three_times_is_set_aside_and_the_worker_goes_on(
    program: Program, tmp_path: Path
) -> None:
    break_the_mentor_list_template(program, tmp_path)
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "data science please"))
    assert statuses(program)[SAM] == "error"
    clock = program.services.clock
    assert isinstance(clock, FakeClock)
    for _ in range(2):  # the sweep retries it, as it would in production
        clock.advance(minutes=5)
        sweep.sweep(program.services)
        program.work()
    assert statuses(program)[SAM] == "set_aside"
    clock.advance(minutes=5)
    assert sweep.sweep(program.services).inbound_queued == 0  # never retried again
    with program.services.sessions() as session:
        [item] = session.scalars(select(Attention)).all()
        message = session.scalars(select(InboundMessage)).one()
    assert "set aside" in item.reason and "no_such_value" in (item.detail or "")
    assert message.raw.startswith(b"From: ") or b"From:" in message.raw  # the mail itself is kept
    program.deliver(email(f"Jo <{JO}>", PROGRAM_ADDRESS, "Please stop emailing me"))
    assert statuses(program)[JO] == "processed"


def test_processing_the_same_message_twice_acts_once(program: Program) -> None:
    inbound_id = program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "data science please"))
    before = len(program.outbox())
    assert inbound.process(program.services, inbound_id) == "skipped"
    assert len(program.outbox()) == before
