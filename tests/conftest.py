"""Shared pytest set-up: real-server fixtures from tests/servers, and a tier marker per folder."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.servers.fixtures"]
TIERS = ("unit", "service", "integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier (its folder), so `pytest -m unit` runs one tier."""
    for item in items:
        parts = item.path.parts
        for tier in TIERS:
            if tier in parts:
                item.add_marker(getattr(pytest.mark, tier))
                break


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The embedded default and the production database: tests using this run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mm.db'}"
    return str(request.getfixturevalue("postgres_db_url"))
