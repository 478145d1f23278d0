"""PostgreSQL drops our pooled connections (a restart, a failover, an idle timeout): a
connection that sat idle is pinged and replaced before use, so the next unit of work just
works; one dropped while busy fails that one unit and the pool starts afresh for the next."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from mentormail.service.db import IDLE_PING_SECONDS
from mentormail.service.models import Participant
from mentormail.service.tokens import peek_link
from tests.harness import Program, make_services
from tests.servers.postgres_server import PostgresServer

pytestmark = pytest.mark.integration


def drop_connections(postgres_server: PostgresServer, url: str) -> int:
    """Terminate every other session on the test's database, as a restart would."""
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


def people(program: Program) -> int:
    """How many participants the program has, read in a unit of work."""
    with program.services.unit_of_work() as session:
        return int(session.scalar(select(func.count(Participant.id))) or 0)


def test_a_dropped_idle_connection_is_replaced_before_use(
    postgres_server: PostgresServer, postgres_db_url: str, tmp_path: Path
) -> None:
    program = Program.start(make_services(postgres_db_url, tmp_path))
    before = people(program)
    assert drop_connections(postgres_server, postgres_db_url) >= 1
    time.sleep(IDLE_PING_SECONDS + 0.5)
    assert people(program) == before


def test_a_connection_dropped_while_busy_fails_one_unit_then_the_pool_starts_afresh(
    postgres_server: PostgresServer, postgres_db_url: str, tmp_path: Path
) -> None:
    program = Program.start(make_services(postgres_db_url, tmp_path))
    before = people(program)
    assert drop_connections(postgres_server, postgres_db_url) >= 1
    with pytest.raises(OperationalError):
        people(program)
    assert people(program) == before


def test_a_link_page_read_on_its_held_connection_is_replaced_like_a_pooled_one(
    postgres_server: PostgresServer, postgres_db_url: str, tmp_path: Path
) -> None:
    program = Program.start(make_services(postgres_db_url, tmp_path))
    engine = program.services.engine()
    assert peek_link(engine, "no-such-link") is None  # the thread now holds its connection
    assert drop_connections(postgres_server, postgres_db_url) >= 1
    time.sleep(IDLE_PING_SECONDS + 0.5)
    assert peek_link(engine, "no-such-link") is None  # pinged after idling, and replaced

    assert drop_connections(postgres_server, postgres_db_url) >= 1
    with pytest.raises(psycopg.OperationalError):  # dropped while busy: this read fails
        peek_link(engine, "no-such-link")
    assert peek_link(engine, "no-such-link") is None
