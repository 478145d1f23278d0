"""Readings the year needs (year-a): a meeting's date, a plain END, the bare check-in word."""

from __future__ import annotations

from datetime import date

import pytest

from mentormail.inbound.meeting_date import meeting_date
from mentormail.inbound.year_words import plain_checkin_answer, says_end

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MET on 12 October", date(2026, 10, 12)),
        ("We met Oct 3rd, great chat", date(2026, 10, 3)),
        ("met 2026-10-12", date(2026, 10, 12)),
        ("met yesterday", date(2026, 10, 31)),
        ("MET", None),
        ("met on 12 October or maybe 13 October", None),  # two dates: no guess
        ("met on 31 February", None),
        ("met on 2026-12-12", None),  # not yet come
    ],
)
def test_a_meeting_date_is_read_only_when_there_is_exactly_one(
    text: str, expected: date | None
) -> None:
    assert meeting_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("END", True),
        ("end\n\nThanks for trying", True),
        ("I'd like to end the mentorship", True),
        ("Please end our mentoring, thank you", True),
        ("Let's not end it yet", False),
        ("I don't want to end the mentorship", False),
        ("We met at the end of the week", False),
        ("Not yet", False),
    ],
)
def test_end_is_read_only_when_said_plainly(text: str, ends: bool) -> None:
    assert says_end(text) is ends


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("MET", "met"),
        ("met on 12 October", "met"),
        ("Not yet", "not_yet"),
        ("HELP", "help"),
        ("Hmm, sort of", None),
        ("I met someone else", None),
    ],
)
def test_the_bare_word_a_checkin_asks_for(text: str, answer: str | None) -> None:
    assert plain_checkin_answer(text) == answer


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        ("Good fit!", "good"),
        ("good", "good"),
        ("A great match, thanks", "good"),
        ("It's going really well", "good"),
        ("Still deciding", "deciding"),
        ("not sure yet", "deciding"),
        ("Not a good fit, sorry", "not_a_fit"),
        ("Honestly, it isn't the right fit", "not_a_fit"),
        ("A good fit, but still deciding", None),  # two answers: asked, never guessed
        ("Hmm", None),
    ],
)
def test_a_fit_answer_is_read_only_when_it_says_one_thing(text: str, fit: str | None) -> None:
    from mentormail.inbound.fit_answers import fit_answer

    assert fit_answer(text) == fit
