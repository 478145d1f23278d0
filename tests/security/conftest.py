"""Security tier: the example program on SQLite and PostgreSQL, attacked through its doors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mentormail.app import bootstrap
from tests.harness import Program, make_services


@pytest.fixture
def program(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program, freshly loaded, on its own database."""
    services = make_services(database_url, tmp_path)
    yield Program.start(services)
    bootstrap.install(None)
