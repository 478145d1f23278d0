"""Quiet hours (year-a): scheduled mail waits for the morning, and for Monday where the
program keeps weekends quiet."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.quiet import QuietHours, parse, release_at

pytestmark = pytest.mark.unit
NIGHTS = parse("21:00-08:00")
NIGHTS_AND_WEEKENDS = parse("21:00-08:00", "quiet")


@pytest.mark.parametrize(
    ("local", "quiet", "released"),
    [
        (datetime(2026, 10, 1, 12, 0), NIGHTS, None),  # Thursday noon: at once
        (datetime(2026, 10, 1, 22, 0), NIGHTS, datetime(2026, 10, 2, 8, 0)),
        (datetime(2026, 10, 2, 7, 59), NIGHTS, datetime(2026, 10, 2, 8, 0)),
        (datetime(2026, 10, 2, 8, 0), NIGHTS, None),
        (datetime(2026, 10, 3, 12, 0), NIGHTS, None),  # Saturday, weekends like any day
        (datetime(2026, 10, 2, 23, 0), NIGHTS_AND_WEEKENDS, datetime(2026, 10, 5, 8, 0)),
        (datetime(2026, 10, 3, 12, 0), NIGHTS_AND_WEEKENDS, datetime(2026, 10, 5, 8, 0)),
        (datetime(2026, 10, 1, 23, 0), parse(""), None),  # no quiet hours
        (datetime(2026, 10, 1, 13, 0), parse("12:00-14:00"), datetime(2026, 10, 1, 14, 0)),
    ],
)
def test_scheduled_mail_waits_for_the_morning(
    local: datetime, quiet: QuietHours, released: datetime | None
) -> None:
    assert release_at(local, quiet) == released


def test_unreadable_quiet_hours_are_an_error() -> None:
    with pytest.raises(UnknownValue):
        parse("9pm to 8am")
    with pytest.raises(UnknownValue):
        parse("21:00-08:00", "sometimes")
    assert parse("22:30-07:15") == QuietHours(time(22, 30), time(7, 15), False)
