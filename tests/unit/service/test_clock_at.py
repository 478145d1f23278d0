"""The instant commands act at (year-a): MENTORMAIL_NOW and `sweep --at`, read as UTC."""

from __future__ import annotations

from datetime import datetime

import pytest

from mentormail.app.bootstrap import clock_for
from mentormail.service.adapters import FixedClock, SystemClock, parse_instant
from mentormail.service.config import Config
from mentormail.service.exceptions import ConfigError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2027-01-15T09:00", datetime(2027, 1, 15, 9, 0)),
        ("2027-01-15", datetime(2027, 1, 15, 0, 0)),
        ("2027-01-15T09:00:00+01:00", datetime(2027, 1, 15, 8, 0)),  # an offset: to UTC
        ("2027-01-15T09:00:00Z", datetime(2027, 1, 15, 9, 0)),
    ],
)
def test_an_instant_is_read_as_utc(text: str, instant: datetime) -> None:
    assert parse_instant(text) == instant


def test_an_unreadable_instant_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match="ISO-8601"):
        parse_instant("next tuesday")


def test_mentormail_now_fixes_the_clock_and_unset_it_is_the_real_one() -> None:
    fixed = clock_for(Config.from_env({"MENTORMAIL_NOW": "2027-03-01T10:30"}))
    assert isinstance(fixed, FixedClock) and fixed.now() == datetime(2027, 3, 1, 10, 30)
    assert isinstance(clock_for(Config.from_env({})), SystemClock)
