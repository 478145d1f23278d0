"""A program's time zone, and naive UTC instants (as stored) to and from its wall clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo


def zone_of(settings: Mapping[str, Any] | None, own_zone: str = "") -> ZoneInfo:
    """A person's own time zone when they gave one, else the program's (UTC when none)."""
    return ZoneInfo(own_zone or (settings or {}).get("timezone") or "UTC")


def to_local(at: datetime, zone: ZoneInfo) -> datetime:
    """A naive UTC instant as naive wall-clock time in ``zone``."""
    return at.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time in ``zone`` as a naive UTC instant."""
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
