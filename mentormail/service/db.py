"""Engines, sessions and schema upgrades; nothing connects until asked."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Select, bindparam, create_engine, event, insert, inspect, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.dml import UpdateBase

from mentormail.service.exceptions import DatabaseNotReady

MIGRATIONS = Path(__file__).parent / "migrations"
WHAT_TO_DO = "run 'mentormail init' (or 'make run') first, or set MENTORMAIL_DATABASE_URL"


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL and foreign keys. Touches nothing until used
    (``upgrade`` creates a SQLite file's folder; ``require_database`` checks it is there)."""
    if url.startswith("sqlite:///"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url)
        event.listen(engine, "checkin", _note_return)
        event.listen(engine, "checkout", _ping_if_idle)
    _release_unless_kept(engine.dialect)
    return engine


_KEEP_SAVEPOINTS = "keep_savepoints"


def _release_unless_kept(dialect: Dialect) -> None:
    """The dialect releases a savepoint only outside ``savepoints_kept``; its SAVEPOINT and
    RELEASE go as driver SQL (``driver_rows``): the same words the dialect's clause compiles
    to, without compiling a clause and building an execution context for each (a batch
    makes one or two a message)."""
    quote = dialect.identifier_preparer.quote
    empty: tuple[()] | dict[str, Any] = () if dialect.positional else {}

    def do_savepoint(connection: Connection, name: str) -> None:
        """Open the savepoint."""
        driver_rows(connection, f"SAVEPOINT {quote(name)}", empty)

    def do_release_savepoint(connection: Connection, name: str) -> None:
        """Release the savepoint, unless its transaction keeps them to its end."""
        if not connection.info.get(_KEEP_SAVEPOINTS):
            driver_rows(connection, f"RELEASE SAVEPOINT {quote(name)}", empty)

    dialect.do_savepoint = do_savepoint  # type: ignore[method-assign]
    dialect.do_release_savepoint = do_release_savepoint  # type: ignore[method-assign]


@contextmanager
def savepoints_kept(session: Session) -> Iterator[None]:
    """On PostgreSQL the session's savepoints are not released one by one in this block (a
    round trip each): releasing one only ends the chance to roll back to it, and the
    transaction's commit keeps what each holds (its rollback undoes it) all the same. Rolling
    back to one works as before; the transaction must be open (its connection is the one
    marked). SQLite releases them as before: its release is no round trip, and savepoints left
    open make it copy every page a later one changes to a journal that grows to a file."""
    info = session.connection().info
    info[_KEEP_SAVEPOINTS] = session.get_bind().dialect.name == "postgresql"
    try:
        yield
    finally:
        info.pop(_KEEP_SAVEPOINTS, None)


IDLE_PING_SECONDS = 10.0  # a connection idle longer is pinged before use; busy ones are not


def _note_return(_dbapi_connection: object, record: Any) -> None:
    """Remember when a connection went back to the pool."""
    record.info["returned_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: object) -> None:
    """Ping a connection that sat idle (the server may have restarted meanwhile); a dead one
    is replaced by the pool. Busy connections skip the ping's round trip."""
    returned = record.info.get("returned_at")
    if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as error:
        raise DisconnectionError(f"stale connection: {error}") from error


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """Foreign keys on and a write-ahead log, so the web and the worker can share the file."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class PreparedRead:
    """One SELECT (or an INSERT with RETURNING, through ``all_on``) compiled once per engine and
    run on a pooled DBAPI connection: no session,
    no per-call compiling or cache key, a prepared statement on PostgreSQL (parsed and planned
    once per connection) in autocommit (no BEGIN or ROLLBACK round trips). For a hot page's
    single read; the row comes back as the driver gives it, each value as its column's type
    reads it (SQLite's stored datetimes parsed as SQLAlchemy would). ``held``: ``first`` on
    PostgreSQL runs on a connection the thread keeps (``_HeldReads``), for the link GET's read."""

    def __init__(
        self, statement: Select[*tuple[Any, ...]] | UpdateBase, *, held: bool = False
    ) -> None:
        self.statement = statement
        self.held = held  # ``first`` on PostgreSQL: on this thread's held connection (_HeldReads)
        self._compiled: dict[tuple[type, str], _Compiled] = {}  # by dialect and paramstyle

    def first(self, engine: Engine, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row for ``params`` (bound by name), or None."""
        compiled = self._for(engine)
        values = compiled.values(params)
        if compiled.prepare and self.held:  # PostgreSQL, a hot page's read
            row = _HELD.first(engine, compiled.sql, values)
            return None if row is None else compiled.row(row)
        connection = engine.raw_connection()  # the pool's checkout events (idle ping) run
        try:
            row = _fetch_first(
                connection.driver_connection, compiled.sql, values, compiled.names, compiled.prepare
            )
        except Exception:
            connection.invalidate()  # a broken connection is never handed out again
            raise
        finally:
            connection.close()
        return None if row is None else compiled.row(row)

    def all_in(self, session: Session, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Every row for ``params``, read in the session's own transaction (and so its locks
        and savepoints), its pending changes flushed first as any query of it would; the SQL
        compiled once and run as the driver's own (no ORM statement, compiling or cache key:
        about 14 µs instead of 45), its errors raised as SQLAlchemy's, as every query's are
        (a deadlock is then a conflict to try again; a lost connection is invalidated)."""
        if session.autoflush:
            session.flush()  # nothing to do, and cheap, when nothing is pending
        return self.all_on(session.connection(), params)

    def all_on(self, connection: Connection, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Every row for ``params`` on this connection, in its transaction, as ``all_in``
        reads them but with nothing flushed: for a write with RETURNING that nothing pending
        bears on (an outbox row), or a read of rows only Core writes."""
        compiled, rows = self._execute_on(connection, params)
        return [compiled.row(row) for row in rows]

    def run_on(self, connection: Connection, params: dict[str, Any]) -> None:
        """Run a write that returns no rows (an UPDATE) on this connection, as ``all_on``."""
        self._execute_on(connection, params)

    def _execute_on(
        self, connection: Connection, params: dict[str, Any]
    ) -> tuple[_Compiled, list[Any]]:
        """The compiled statement and the rows it gave, run on this connection with ``params``."""
        compiled = self._for(connection.engine)
        values = compiled.values(params)
        bound = values if compiled.prepare else tuple(values[n] for n in compiled.names)
        # psycopg prepares on its own a statement a connection runs often (prepare_threshold)
        return compiled, driver_rows(connection, compiled.sql, bound)

    def first_in(self, session: Session, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row ``all_in`` reads, or None."""
        rows = self.all_in(session, params)
        return rows[0] if rows else None

    def _for(self, engine: Engine) -> _Compiled:
        """The statement compiled for this engine's dialect (once per dialect)."""
        dialect = engine.dialect
        key = (type(dialect), dialect.paramstyle)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _Compiled.of(self.statement, dialect)
        return found


def driver_rows(connection: Connection, sql: str, bound: Any) -> list[Any]:
    """Run SQL as the driver's own on the connection's DBAPI cursor, in its transaction, and
    fetch what it returns (nothing for a write without RETURNING). Through SQLAlchemy's
    cursor-level execute, as its own special statements go: its statement events and
    logging run, and an error comes back as SQLAlchemy's (a deadlock a conflict to try
    again, a lost connection invalidated), as from ``exec_driver_sql``; without the execution
    context and result object that builds around each statement (about 6 µs of its 7.5 on
    SQLite). A connection outside a transaction goes the whole way (it begins one)."""
    if not connection.in_transaction():
        result = connection.exec_driver_sql(sql, bound)
        return list(result.fetchall()) if result.returns_rows else []
    cursor = connection.connection.cursor()
    try:
        connection._cursor_execute(cursor, sql, bound)
        return list(cursor.fetchall()) if cursor.description is not None else []
    except BaseException as error:
        # what CursorResult does with an error of its fetch (the execute's own is handled)
        if isinstance(error, connection.dialect.loaded_dbapi.Error):
            connection._handle_dbapi_exception(error, sql, bound, cursor, None)
        raise
    finally:
        cursor.close()


@dataclass
class _Held:
    """A pooled connection kept checked out for prepared reads, in autocommit, its cursor."""

    pid: int
    connection: Any  # the pool's proxy (invalidate, close)
    cursor: Any
    used_at: float  # monotonic


class _HeldReads(threading.local):
    """This thread's PostgreSQL connection for ``PreparedRead.first``, per engine: kept out of
    the pool between reads, in autocommit, with one cursor (no checkout, checkin, autocommit
    switches or new cursor per read: about 20 µs of CPU a read, measured). Pinged after
    IDLE_PING_SECONDS idle and replaced when dead; invalidated when a read fails (that read
    fails, the next gets a new connection), as a pooled one is. Per process, like the rate
    limits' Redis connection: a forked child never uses its parent's socket."""

    def __init__(self) -> None:
        self.held: weakref.WeakKeyDictionary[Engine, _Held] = weakref.WeakKeyDictionary()

    def first(self, engine: Engine, sql: str, values: dict[str, Any]) -> Any:
        """The first row of ``sql`` on this thread's held connection to ``engine``."""
        held = self._for(engine)
        try:
            row = held.cursor.execute(sql, values, prepare=True).fetchone()
        except Exception:
            del self.held[engine]
            held.connection.invalidate()  # a broken connection is never handed out again
            raise
        held.used_at = time.monotonic()
        return row

    def _for(self, engine: Engine) -> _Held:
        """The held connection, checked out anew when there is none, it idled, or we forked."""
        held = self.held.get(engine)
        if held is not None and held.pid != os.getpid():
            _INHERITED.append(self.held)  # the parent's: kept, never closed (nor collected)
            self.held = weakref.WeakKeyDictionary()
            held = None
        if held is not None and not _alive(held):
            del self.held[engine]
            held.connection.invalidate()  # dead: a new one from the pool, which pings its own
            held = None
        if held is None:
            connection = engine.raw_connection()  # the pool's checkout events (idle ping) run
            driver: Any = connection.driver_connection
            driver.autocommit = True
            cursor = driver.cursor()
            held = self.held[engine] = _Held(os.getpid(), connection, cursor, time.monotonic())
        return held


def _alive(held: _Held) -> bool:
    """Whether a held connection answers: pinged only after IDLE_PING_SECONDS idle (the server
    may have restarted meanwhile), as the pool pings its own."""
    if time.monotonic() - held.used_at < IDLE_PING_SECONDS:
        return True
    try:
        held.cursor.execute("SELECT 1")
    except Exception:
        return False
    return True


_HELD = _HeldReads()
_INHERITED: list[Any] = []  # held connections a forked child must not close (they are the parent's)


@dataclass(frozen=True)
class _Compiled:
    """A statement's SQL in one dialect, its binds in order, the values it binds itself (a
    CASE's constants), and the converters of bound and read values."""

    sql: str
    names: list[str]
    binds: dict[str, Any]
    fixed: dict[str, Any]
    columns: list[Any]
    prepare: bool
    reads: bool  # some column's value is converted as it is read (else rows come as they are)

    @classmethod
    def of(cls, statement: Select[*tuple[Any, ...]] | UpdateBase, dialect: Dialect) -> _Compiled:
        """Compile ``statement`` for ``dialect``."""
        compiled = statement.compile(dialect=dialect)
        binds = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds[name] = process
        fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        columns = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.exported_columns  # a SELECT's, or a RETURNING's
        ]
        names = list(compiled.positiontup or compiled.binds)
        reads = any(read is not None for read in columns)
        return cls(str(compiled), names, binds, fixed, columns, dialect.name == "postgresql", reads)

    def values(self, params: dict[str, Any]) -> dict[str, Any]:
        """The values to bind, by name, converted as the column types write them."""
        given = {**self.fixed, **params} if self.fixed else params
        return {name: self.binds.get(name, _same)(given[name]) for name in self.names}

    def row(self, row: Any) -> tuple[Any, ...]:
        """A fetched row, each value as its column's type reads it."""
        if not self.reads:
            return tuple(row)
        return tuple(
            value if read is None else read(value)
            for read, value in zip(self.columns, row, strict=True)
        )


def _same(value: Any) -> Any:
    """A value that needs no converting."""
    return value


def _fetch_first(
    dbapi: Any, sql: str, values: dict[str, Any], names: list[str], prepare: bool
) -> Any:
    """Run ``sql`` on a DBAPI connection and fetch its first row; psycopg: prepared, and in
    autocommit for just this read (the pool hands out connections outside autocommit)."""
    if not prepare:  # SQLite: qmark parameters in order; sqlite3 caches its statements itself
        cursor = dbapi.cursor()
        try:
            return cursor.execute(sql, [values[name] for name in names]).fetchone()
        finally:
            cursor.close()
    dbapi.autocommit = True
    try:
        with dbapi.cursor() as cursor:
            return cursor.execute(sql, values, prepare=True).fetchone()
    finally:
        dbapi.autocommit = False


def write_changes(session: Session, row: Any, columns: tuple[str, ...]) -> bool:
    """Write a loaded row's changes with one UPDATE of ``columns`` by its primary key, compiled
    once and run on the session's connection (nothing else is flushed, but rows still to be
    inserted), and mark the row as stored, so no flush writes it again. False, with nothing
    written, when it has a change outside ``columns`` or one of them is not loaded: the next
    flush writes it, as before. Not for a participant (the flush keeps their search words in
    step with their profile)."""
    _flush_new(session)  # (it writes this row's changes too, when it has new rows to write)
    state = inspect(row)
    changed = [key for key in state.committed_state if state.attrs[key].history.has_changes()]
    if not changed:
        return True
    if (
        state.key is None
        or not set(changed) <= set(columns)
        or not state.dict.keys() >= set(columns)
    ):
        return False
    mapper = state.mapper
    (key,) = mapper.primary_key  # our rows have one-column keys
    values = {f"new_{name}": state.dict[name] for name in columns}
    values["row_key"] = state.identity[0]
    _update_of(mapper.local_table, key.key, columns).run_on(session.connection(), values)
    # what the UPDATE wrote is now the row as loaded: the unit of work's own bookkeeping
    # after a flush (there is no public call for it; set_committed_value leaves the row
    # flagged, and each later flush then looks at it again)
    state._commit_all(state.dict, session.identity_map)
    return True


@cache
def _update_of(table: Any, key: str, columns: tuple[str, ...]) -> PreparedRead:
    """The UPDATE of ``columns`` of one row of ``table`` by its key (built once)."""
    values = {name: bindparam(f"new_{name}", type_=table.c[name].type) for name in columns}
    return PreparedRead(update(table).where(table.c[key] == bindparam("row_key")).values(values))


CORE_ROWS = "mentormail.core_rows"  # session.info: the rows ``insert_row`` stored, by transaction


def insert_row(session: Session, row: Any) -> None:
    """Store a new row in one prepared INSERT on the session's connection (its key read back
    when the database makes it; a column left unset gets its default, as a flush would set
    it), then hold it in the session as loaded: no flush and no unit of work for it. A row
    whose transaction or savepoint rolls back leaves the session again (``keep_core_rows``).
    Not for a participant (the flush gives a new one their search words)."""
    mapper = inspect(type(row))
    table = mapper.local_table
    (key,) = mapper.primary_key
    values = {column.key: _value_or_default(row, column) for column in table.columns}
    _flush_new(session)
    made = values[key.key] is None  # the database numbers it
    written = _insert_of(table, key.key if made else None).all_on(session.connection(), values)
    for name, value in values.items():
        setattr(row, name, written[0][0] if made and name == key.key else value)
    make_transient_to_detached(row)  # its values as stored; its relationships load on use
    session.add(row)
    where = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(CORE_ROWS, []).append((where, row))


def _flush_new(session: Session) -> None:
    """Rows added to the session and not yet written go first: a key this write names may be
    one of theirs (cheap, and nothing to do, when none are waiting)."""
    if session.new and session.autoflush:
        session.flush()


def _value_or_default(row: Any, column: Any) -> Any:
    """The row's value for a column, else the column's own default, as a flush fills it (a
    default only the database knows is refused: the row would not hold the value stored)."""
    if column.key in row.__dict__:
        return row.__dict__[column.key]
    default = column.default
    if default is None and column.server_default is None:
        return None
    if default is None or default.is_sequence or default.is_clause_element:
        raise ValueError(f"{column}'s default is the database's: add the row to the session")
    return default.arg(None) if default.is_callable else default.arg


@cache
def _insert_of(table: Any, made_key: str | None) -> PreparedRead:
    """The INSERT of every column of ``table`` but the key the database makes, returning it
    (or nothing of note: the given key) (built once)."""
    columns = [c for c in table.columns if c.key != made_key]
    returned = table.c[made_key] if made_key else columns[0]
    values = {c.key: bindparam(c.key, type_=c.type) for c in columns}
    return PreparedRead(insert(table).values(values).returning(returned))


def keep_core_rows(factory: sessionmaker[Session]) -> None:
    """Have every session of the factory let go of the rows ``insert_row`` stored in a
    transaction or savepoint that rolls back (the flush's own rows are let go by the ORM)."""
    event.listen(factory, "after_soft_rollback", _drop_rolled_back_rows)


def _drop_rolled_back_rows(session: Session, previous: Any) -> None:
    """The rows stored inside the transaction just rolled back leave the session."""
    stored = session.info.get(CORE_ROWS)
    if not stored:
        return
    kept = []
    for where, row in stored:
        if _inside(where, previous):
            if row in session:
                session.expunge(row)
        elif session.in_transaction():
            kept.append((where, row))
    session.info[CORE_ROWS] = kept


def _inside(transaction: Any, outer: Any) -> bool:
    """Whether ``transaction`` is ``outer`` or was begun inside it."""
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def insert_on_conflict(dialect: str) -> Any:
    """The INSERT construct with ON CONFLICT clauses for this database (PostgreSQL's, else
    SQLite's: the two we run on)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (we hand them to templates), keep
    each mentor's stored search words in step with their profile, and store the tokens of
    the emails they write before they commit."""
    # imported here: both import this module (PreparedRead), tokens directly, search_index
    # through people
    from mentormail.service import search_index, tokens

    factory = sessionmaker(engine, expire_on_commit=False)
    search_index.keep_in_step(factory)
    tokens.keep_stored(factory)
    keep_core_rows(factory)
    return factory


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def upgrade(url: str) -> tuple[str | None, str | None]:
    """Create or upgrade the schema to the newest migration; the revisions before and after."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    before = schema_revision(url)
    command.upgrade(alembic_config(url), "head")
    return before, schema_revision(url)


def schema_revision(url: str) -> str | None:
    """The migration the database at ``url`` is at, or None when it has no schema yet."""
    engine = create_engine(url, poolclass=NullPool)
    alembic_log = logging.getLogger("alembic.runtime.migration")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)  # it announces itself at INFO; this is only a look
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        alembic_log.setLevel(level)
        engine.dispose()


def alembic_config(url: str) -> AlembicConfig:
    """Alembic's configuration pointed at our migrations and the given database."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def safe_url(url: str) -> str:
    """A database URL without its password, to show people."""
    return make_url(url).render_as_string(hide_password=True)


def require_database(url: str) -> None:
    """Refuse, with one line saying what to do, unless the database exists and is migrated
    to the newest schema. Creates nothing: a SQLite file is looked for before any connect."""
    shown = safe_url(url)
    parsed = make_url(url)
    in_file = parsed.get_backend_name() == "sqlite" and parsed.database not in ("", ":memory:")
    if in_file and not Path(str(parsed.database)).is_file():
        raise DatabaseNotReady(f"no mentormail database at {shown} — {WHAT_TO_DO}")
    try:
        current = schema_revision(url)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DatabaseNotReady(
            f"cannot open the mentormail database at {shown} ({reason}) — {WHAT_TO_DO}"
        ) from None
    if current is None:
        raise DatabaseNotReady(f"the database at {shown} has no mentormail tables — {WHAT_TO_DO}")
    heads = ScriptDirectory.from_config(alembic_config(url)).get_heads()
    if current not in heads:
        raise DatabaseNotReady(
            f"the database at {shown} has schema {current}, this mentormail needs "
            f"{', '.join(heads)} — run 'mentormail init' to upgrade it"
        )
