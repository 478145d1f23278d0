"""An item's "Now:" line is ours and is kept apart from what was said and noted."""

from __future__ import annotations

import pytest

from mentormail.service.digest_items import split_now

pytestmark = pytest.mark.unit


def test_a_note_added_after_the_now_line_is_kept_with_the_words() -> None:
    detail = "no free seat\n\nNow: Luz fits\n\nNote by Kim, 1 May 10:00: call her first"
    assert split_now(detail) == (
        "no free seat\n\nNote by Kim, 1 May 10:00: call her first",
        "Luz fits",
    )


def test_words_without_a_now_line_are_all_words() -> None:
    assert split_now("no free seat") == ("no free seat", "")
