"""Shared pytest set-up: real-server fixtures from tests/servers, and a tier marker per folder."""

from __future__ import annotations

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
