"""A pair's questions come one at a time: what falls due with a check-in waits days after it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.spacing import held_until

pytestmark = pytest.mark.unit

SENT = datetime(2026, 10, 31, 9, 0)


def test_a_fit_question_due_with_a_check_in_waits_two_days_and_a_survey_four() -> None:
    now = SENT + timedelta(minutes=5)
    assert held_until("fit", SENT, now) == SENT + timedelta(days=2)
    assert held_until("pulse", SENT, now) == SENT + timedelta(days=4)
    assert held_until("midpoint", SENT, now) == SENT + timedelta(days=4)


def test_a_question_goes_at_once_when_the_check_in_is_days_old_or_there_is_none() -> None:
    assert held_until("fit", SENT, SENT + timedelta(days=2)) is None
    assert held_until("pulse", SENT, SENT + timedelta(days=9)) is None
    assert held_until("pulse", None, SENT) is None


def test_an_unknown_question_is_an_error() -> None:
    with pytest.raises(UnknownValue):
        held_until("reminder", SENT, SENT)
