"""Counting the SQL statements and flushes a program's database sees, for regression guards
on statement counts (no timings): if a change adds a query, the count says so."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from tests.harness import Program


class Counted:
    """The SQL statements and flushes the program's database sees while counting: what goes
    through SQLAlchemy's cursors and, on SQLite, what the driver itself runs (a GET's one
    prepared read goes to the DBAPI connection directly, past SQLAlchemy's events)."""

    def __init__(self, program: Program) -> None:
        self.statements: list[str] = []
        self.driver: list[str] = []  # SQLite only: every statement sqlite3 ran
        self.flushes = 0
        engine = program.services.sessions.kw["bind"]
        event.listen(engine, "before_cursor_execute", self._sql)
        event.listen(program.services.sessions, "before_flush", self._flush)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", self._trace)
            engine.pool.dispose()  # connections made from now on are traced

    def _sql(self, *args: Any) -> None:
        self.statements.append(str(args[2]))

    def _trace(self, dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(self._driver_sql)

    def _driver_sql(self, sql: str) -> None:
        if not sql.upper().startswith(("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK")):
            self.driver.append(sql)

    def _flush(self, *_args: Any) -> None:
        self.flushes += 1

    def reset(self) -> None:
        """Start counting again."""
        self.statements.clear()
        self.driver.clear()
        self.flushes = 0
