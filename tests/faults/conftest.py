"""Fault tier: the example program on SQLite and PostgreSQL, with real processes killed."""

from __future__ import annotations

from tests.security.conftest import program

__all__ = ["program"]
