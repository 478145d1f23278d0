"""An item's "Now:" line is ours and is kept apart from what was said and noted."""

from __future__ import annotations

import pytest

from mentormail.service.digest_items import split_now
from mentormail.workflows.digest_items import NO_MENTOR_FITS

pytestmark = pytest.mark.unit


def test_a_note_added_after_the_now_line_is_kept_with_the_words() -> None:
    detail = "no free seat\n\nNow: Luz fits\n\nNote by Kim, 1 May 10:00: call her first"
    assert split_now(detail, NO_MENTOR_FITS) == (
        "no free seat\n\nNote by Kim, 1 May 10:00: call her first",
        "Luz fits",
    )


def test_words_without_a_now_line_are_all_words() -> None:
    assert split_now("no free seat", NO_MENTOR_FITS) == ("no free seat", "")
