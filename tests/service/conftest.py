"""Service tier: a real database (SQLite file and PostgreSQL), fakes at queue, clock and mailer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mentormail.service import bootstrap
from tests.harness import Program, make_services


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every service test runs on the embedded default and on the production database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mm.db'}"
    return str(request.getfixturevalue("postgres_db_url"))


@pytest.fixture
def program(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program, freshly loaded, on its own database."""
    services = make_services(database_url, tmp_path)
    yield Program.start(services)
    bootstrap.install(None)
