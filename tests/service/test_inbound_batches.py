"""One job takes a batch of fresh inbound mail: a message that fails in it is rolled back and
recorded alone, the others act and are committed; a message tried again is taken alone (so
one that fails in a batch is next tried by its own job, on its own)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from mentormail.inbound.types import Context, Intent
from mentormail.service import inbound
from mentormail.service.models import InboundClaim, InboundMessage, OutboundMessage
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.statements import Counted
from tests.service.steps import ANA, JO, SAM, TOM, ask, request_states
from tests.service.test_failures_are_set_aside import break_the_mentor_list_template


def rows(program: Program) -> dict[str, tuple[str, int]]:
    """Each inbound message's (status, attempts) by sender."""
    with program.services.sessions() as session:
        found = session.scalars(select(InboundMessage).order_by(InboundMessage.id))
        return {m.from_addr or "": (m.status, m.attempts) for m in found}


def store(program: Program, sender: str, text: str) -> int:
    """Mail stored by a door, its job queued, nothing run yet."""
    raw = email(f"<{sender}>", PROGRAM_ADDRESS, text)
    return inbound.ingest(program.services, raw, "drop").inbound_id


def written_to(program: Program, address: str) -> int:
    """Outbox rows to an address."""
    with program.services.sessions() as session:
        query = select(func.count()).where(OutboundMessage.to_addr == address)
        return int(session.scalar(query) or 0)


def test_one_bad_message_in_a_batch_neither_stops_nor_undoes_the_others(
    program: Program, tmp_path: Path
) -> None:
    break_the_mentor_list_template(program, tmp_path)  # a search's list cannot render
    sam_before = written_to(program, SAM)
    store(program, TOM, "Hmm, about the thing last week")  # answered: could not read it
    store(program, SAM, "data science please")  # fails while writing the list
    store(program, JO, "Hmm, about my thing too")

    program.work()

    # the first job took all three; the failed one's own job then tried it again, alone
    assert program.handled == ["processed", "error", "skipped"]
    assert rows(program) == {
        TOM: ("processed", 1),
        SAM: ("error", 2),
        JO: ("processed", 1),
    }
    assert [r.template for r in program.outbox(to=TOM)] == ["could_not_read"]
    assert [r.template for r in program.outbox(to=JO)] == ["no_mentors_found"]
    assert written_to(program, SAM) == sam_before  # nothing of the failed one was kept
    with program.services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundClaim)) == 0
        failed = session.scalars(select(InboundMessage).where(InboundMessage.status == "error"))
        assert "no_such_value" in (failed.one().error or "")
    assert written_to(program, SAM) == sam_before


def test_a_message_tried_again_is_taken_alone(program: Program, tmp_path: Path) -> None:
    break_the_mentor_list_template(program, tmp_path)
    failing = store(program, SAM, "data science please")
    program.work()
    store(program, TOM, "Hmm, about the thing last week")
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]

    assert inbound.process(program.services, failing) == "error"

    assert rows(program) == {SAM: ("error", 2), TOM: ("received", 0)}


def test_a_batch_takes_twenty_messages_at_most(program: Program) -> None:
    stored = [store(program, f"someone{n}@elsewhere.example", "Hello?") for n in range(25)]
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]

    inbound.process(program.services, stored[0])

    found = [status for status, _ in rows(program).values()]
    assert found.count("received") == 25 - inbound.BATCH and inbound.BATCH == 20


def test_a_batch_keeps_its_savepoints_to_its_commit(program: Program) -> None:
    stored = [store(program, f"someone{n}@elsewhere.example", "Hello?") for n in range(3)]
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]
    counted = Counted(program)

    assert inbound.process(program.services, stored[0]) == "unknown_sender"

    said = [statement.split()[0] for statement in counted.statements]
    kept = program.services.engine().dialect.name == "postgresql"  # one round trip fewer each
    assert said.count("SAVEPOINT") == 3 and said.count("RELEASE") == (0 if kept else 3)
    counted.reset()
    with program.services.sessions() as session, session.begin():
        session.connection()
        with session.begin_nested():  # outside a batch, released as before
            session.execute(select(func.count()).select_from(InboundMessage))
    said = [statement.split()[0] for statement in counted.statements]
    assert said == ["SAVEPOINT", "SELECT", "RELEASE"]


def test_a_batch_reads_its_replies_before_any_acts_and_each_acts_as_it_would_alone(
    program: Program,
) -> None:
    to_ana = ask(program, SAM, "Ana Lima")
    to_tom = ask(program, JO, "Tom Becker")
    yes = inbound.ingest(program.services, reply_to(to_ana, ANA, "Yes, happy to!"), "drop")
    no = inbound.ingest(program.services, reply_to(to_tom, TOM, "Sorry, I can't this year"), "drop")
    handled = len(program.handled)

    program.work()

    assert program.handled[handled:] == ["processed", "skipped"]  # one batch took both
    assert sorted(request_states(program).values()) == ["accepted", "declined"]
    with program.services.sessions() as session:
        for row_id, meant in ((yes.inbound_id, Intent.ACCEPT), (no.inbound_id, Intent.DECLINE)):
            row = session.get_one(InboundMessage, row_id)
            assert (row.context, row.intent) == (Context.REQUEST, meant)
