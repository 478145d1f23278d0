"""One sweep with 10k and with 1M rows of history, the same 110 due items, on SQLite and
PostgreSQL, as a ratio in the same run.

Usage: .venv/bin/python benchmarks/sweep.py [--scale 0.1]

The history is what a program piles up: sent outbox rows (60%), answered requests (20%) and
ended matches (20%), among 500 mentors and 500 mentees. Due: 100 requests past their answer
window (each expiry tells the mentee and offers other mentors: a search) and 10 sends due for a
retry. Each round sweeps a fresh copy of the loaded database (a file copy on SQLite, a
template database on PostgreSQL); the figure is the best of the rounds. PostgreSQL is a private
cluster started as tests/servers/postgres_server.py starts one; without its binaries those rows
are skipped.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import ROOT, bulk_insert, mentor_rows, ms, run_alone

from mentormail.app import bootstrap
from mentormail.service.db import make_engine, make_sessionmaker, upgrade
from mentormail.service.models import Match, MentorshipRequest, OutboundMessage, Participant
from mentormail.service.programs import load_program, read_program_file
from mentormail.service.search_index import index_everyone
from mentormail.service.sweep import sweep
from tests.fakes import FakeClock
from tests.harness import make_services

SIZES = (10_000, 1_000_000)
PEOPLE = 500  # mentors, and as many mentees
DUE_REQUESTS, DUE_SENDS = 100, 10
ROUNDS = 3
NOW = FakeClock().current


def load(url: str, rows: int) -> None:
    """Migrate and fill a database: the program, people, history and the due items."""
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        program = load_program(session, read_program_file(ROOT / "examples" / "program.yaml"))
        connection = session.connection()
        people = mentor_rows(PEOPLE, program.id)
        people += [
            {**row, "email": f"mentee{i}@bench.example.org", "role": "mentee", "capacity": None}
            for i, row in enumerate(mentor_rows(PEOPLE, program.id, seed=2))
        ]
        bulk_insert(connection, Participant.__table__, people)
        index_everyone(connection)
        mentor_ids = list(range(1, PEOPLE + 1))
        mentee_ids = list(range(PEOPLE + 1, 2 * PEOPLE + 1))
        history(connection, program.id, rows, mentor_ids, mentee_ids)
        due(connection, program.id, mentor_ids, mentee_ids)
    engine.dispose()


def history(
    connection: Any, program_id: int, rows: int, mentors: list[int], mentees: list[int]
) -> None:
    """Sent mail, answered requests and ended matches: rows that are never due."""
    long_ago = NOW - timedelta(days=200)
    requests = [
        {
            "program_id": program_id,
            "mentee_id": mentees[i % PEOPLE],
            "mentor_id": mentors[i * 7 % PEOPLE],
            "state": "declined" if i % 2 else "accepted",
            "note": "",
            "created_at": long_ago,
            "decided_at": long_ago,
            "due_at": None,
        }
        for i in range(rows // 5)
    ]
    bulk_insert(connection, MentorshipRequest.__table__, requests)
    matches = [
        {
            "program_id": program_id,
            "mentor_id": mentors[i * 3 % PEOPLE],
            "mentee_id": mentees[i % PEOPLE],
            "request_id": None,
            "state": "ended",
            "started_at": long_ago,
            "ends_on": date(2026, 6, 30),
            "ended_at": long_ago,
            "end_reason": "term_ended",
            "ended_by": None,
        }
        for i in range(rows // 5)
    ]
    bulk_insert(connection, Match.__table__, matches)
    sends = rows - 2 * (rows // 5)
    bulk_insert(
        connection,
        OutboundMessage.__table__,
        [outbox_row(program_id, i, "sent") for i in range(sends)],
    )


def outbox_row(program_id: int, i: int, status: str) -> dict[str, Any]:
    """One small outbox row."""
    return {
        "idempotency_key": f"bench:{status}:{i}",
        "program_id": program_id,
        "participant_id": None,
        "request_id": None,
        "to_addr": f"p{i % 999}@bench.example.org",
        "from_addr": "m@example.edu",
        "reply_to": "r@example.edu",
        "subject": "Hello",
        "template": "mentor_list",
        "expects": None,
        "text": "hi",
        "html": "<p>hi</p>",
        "headers": {},
        "links": {},
        "message_id": f"<bench-{status}-{i}@example.edu>",
        "status": status,
        "provider_id": None,
        "attempts": 1 if status == "retry" else 0,
        "last_error": None,
        "created_at": NOW - timedelta(days=30),
        "next_attempt_at": NOW - timedelta(minutes=5) if status == "retry" else None,
        "sent_at": None if status == "retry" else NOW - timedelta(days=30),
    }


def due(connection: Any, program_id: int, mentors: list[int], mentees: list[int]) -> None:
    """The same due items at every size."""
    asked = NOW - timedelta(days=11)
    requests = [
        {
            "program_id": program_id,
            "mentee_id": mentees[i],
            "mentor_id": mentors[i],
            "state": "pending",
            "note": "data science",
            "created_at": asked,
            "decided_at": None,
            "due_at": NOW - timedelta(days=1),
        }
        for i in range(DUE_REQUESTS)
    ]
    bulk_insert(connection, MentorshipRequest.__table__, requests)
    bulk_insert(
        connection,
        OutboundMessage.__table__,
        [outbox_row(program_id, i, "retry") for i in range(DUE_SENDS)],
    )


def one_sweep(url: str, folder: Path) -> float:
    """Seconds of one sweep of the database at ``url``, with fakes at queue, clock and mailer."""
    services = make_services(url, folder)
    bootstrap.install(services)
    start = time.perf_counter()
    report = sweep(services)
    took = time.perf_counter() - start
    assert report.expired_requests == DUE_REQUESTS and report.sends_queued >= DUE_SENDS, report
    bootstrap.install(None)
    services.sessions.kw["bind"].dispose()
    return took


def sqlite_rounds(folder: Path, rows: int) -> float:
    """Best sweep of fresh copies of a SQLite database with ``rows`` rows."""
    loaded = folder / f"sweep_{rows}.db"
    load(f"sqlite:///{loaded}", rows)
    best = float("inf")
    for n in range(ROUNDS):
        copy = folder / f"round_{rows}_{n}.db"
        shutil.copy(loaded, copy)
        best = min(best, one_sweep(f"sqlite:///{copy}", folder))
        copy.unlink()
    loaded.unlink()
    return best


def postgres_rounds(folder: Path, rows: int, server: Any) -> float:
    """Best sweep of fresh copies (template databases) of a PostgreSQL database."""
    import psycopg

    name = f"sweep_{rows}"
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    load(server.url(name), rows)
    best = float("inf")
    for n in range(ROUNDS):
        copy = f"{name}_round_{n}"
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        best = min(best, one_sweep(server.url(copy), folder))
        server.drop_database(copy)
    server.drop_database(name)
    return best


def ratio_row(database: str, small: int, big: int, run: Callable[[int], float]) -> dict[str, str]:
    """The sweep at two sizes on one database, as a ratio."""
    small_s, big_s = run(small), run(big)
    return {
        "what": f"sweep, {big:,} vs {small:,} rows, {DUE_REQUESTS + DUE_SENDS} due ({database})",
        "ours": f"{ms(big_s)} vs {ms(small_s)}",
        "baseline": f"same sweep at {small:,} rows",
        "ratio": f"{big_s / small_s:.2f}x",
        "target": "<= 2x",
    }


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """One row per database: the sweep's time at the big size over the small one."""
    small, big = (max(1000, int(s * scale)) for s in SIZES)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows.append(ratio_row("SQLite", small, big, lambda n: sqlite_rounds(folder, n)))
        try:
            from tests.servers.postgres_server import PostgresMissing, start_postgres
        except ImportError:
            return rows
        try:
            server = start_postgres()
        except PostgresMissing:
            return rows
        try:
            rows.append(
                ratio_row("PostgreSQL", small, big, lambda n: postgres_rounds(folder, n, server))
            )
        finally:
            server.stop()
    return rows


if __name__ == "__main__":
    run_alone(__doc__, bench)
