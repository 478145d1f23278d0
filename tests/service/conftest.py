"""Service tier: the real database (SQLite file), fakes at the queue, clock and mailer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mentormail.service import bootstrap
from tests.harness import Program, make_services


@pytest.fixture
def program(tmp_path: Path) -> Iterator[Program]:
    """The example program, freshly loaded, on its own SQLite file."""
    services = make_services(f"sqlite:///{tmp_path / 'mm.db'}", tmp_path)
    yield Program.start(services)
    bootstrap.install(None)
