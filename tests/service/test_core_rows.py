"""Rows a decision writes with its own prepared statements (``db.insert_row``,
``db.write_changes``) behave as the ORM's flush would: in the session as loaded, gone again
with a savepoint that rolls back, and a row with a change they do not cover left to the flush."""

from __future__ import annotations

from sqlalchemy import func, select

from mentormail.service.db import insert_row, write_changes
from mentormail.service.models import Attention
from tests.harness import Program


def _attention(program: Program, reason: str) -> Attention:
    """An attention item of the program, not yet stored."""
    return Attention(
        program_id=1, reason=reason, detail="", urgent=False, created_at=program.services.now()
    )


def _reasons(program: Program) -> list[str]:
    """The attention items stored, by reason."""
    with program.services.sessions() as session:
        return list(session.scalars(select(Attention.reason).order_by(Attention.id)))


def test_a_stored_row_is_held_as_loaded_and_its_defaults_filled(program: Program) -> None:
    with program.services.unit_of_work() as session:
        before = session.scalar(select(func.count()).select_from(Attention)) or 0
        item = _attention(program, "kept")
        insert_row(session, item)
        assert item.id is not None and session.get(Attention, item.id) is item
        assert (item.resolved, item.notice, item.chase_at) == (False, False, None)
        assert not session.dirty and not session.new  # nothing left for a flush
    assert len(_reasons(program)) == before + 1 and _reasons(program)[-1] == "kept"


def test_a_row_stored_in_a_savepoint_that_rolls_back_leaves_the_session(
    program: Program,
) -> None:
    with program.services.unit_of_work() as session:
        try:
            with session.begin_nested():
                gone = _attention(program, "rolled back")
                insert_row(session, gone)
                raise RuntimeError("the message failed")
        except RuntimeError:
            pass
        assert gone not in session
        kept = _attention(program, "after it")  # may get the same id again (SQLite)
        insert_row(session, kept)
        assert session.get(Attention, kept.id) is kept
    assert "rolled back" not in _reasons(program) and _reasons(program)[-1] == "after it"


def test_changes_are_written_once_and_others_are_left_to_the_flush(program: Program) -> None:
    with program.services.unit_of_work() as session:
        insert_row(session, _attention(program, "to look at"))
    with program.services.unit_of_work() as session:
        item = session.scalars(select(Attention).where(Attention.reason == "to look at")).one()
        item.resolved = True
        assert write_changes(session, item, ("resolved",))
        assert not session.dirty
        item.resolved, item.detail = False, "opened again"
        assert not write_changes(session, item, ("resolved",))  # the detail: the flush's
        assert session.dirty
    with program.services.sessions() as session:
        stored = session.scalars(select(Attention).where(Attention.reason == "to look at")).one()
        assert (stored.resolved, stored.detail) == (False, "opened again")
