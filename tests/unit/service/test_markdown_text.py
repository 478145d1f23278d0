"""A coordinator's Markdown reads well as the text part and is safe as the HTML part."""

from __future__ import annotations

from mentormail.service.markdown_text import to_html, to_text

WORDS = """# Spring orientation

Our **orientation** is on *Thursday*, in the [Alumni Hall](https://alumni.example.edu/hall).

- a question
- your calendar

1. first
2. second

> Mentoring changed my career.

<script>alert(1)</script>
"""


def test_the_text_part_underlines_headings_writes_out_links_and_keeps_lists() -> None:
    text = to_text(WORDS)
    assert text.startswith("Spring orientation\n==================\n\n")
    hall = "in the Alumni Hall (https://alumni.example.edu/hall)."
    assert f"Our orientation is on Thursday, {hall}" in text
    assert "- a question\n- your calendar" in text
    assert "1. first\n2. second" in text
    assert "> Mentoring changed my career." in text


def test_raw_html_in_the_markdown_is_shown_never_run() -> None:
    html = to_html(WORDS)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://alumni.example.edu/hall">Alumni Hall</a>' in html
    assert "<h1>Spring orientation</h1>" in html


def test_a_paragraph_wrapped_in_the_file_reads_as_one_paragraph_and_a_hard_break_stays() -> None:
    text = to_text(
        "A coffee morning on the first Friday, 08:30 in the\nAlumni Centre.\n\nRoom 2\\\nfloor 1"
    )
    assert "08:30 in the Alumni Centre." in text
    assert "Room 2\nfloor 1" in text


def test_a_sign_off_on_lines_of_its_own_keeps_its_lines() -> None:
    words = "See you there.\n\nBest wishes,\nMaria Lopez\nAlumni Mentoring Office"
    assert "Best wishes,\nMaria Lopez\nAlumni Mentoring Office" in to_text(words)
    assert "Best wishes,<br />\nMaria Lopez<br />\nAlumni Mentoring Office" in to_html(words)


def test_a_long_line_wrapped_in_the_file_still_joins_its_paragraph_in_both_parts() -> None:
    words = "Our orientation is in the Alumni Hall on the first\nThursday of October."
    assert "first Thursday of October." in to_text(words)
    assert "<br" not in to_html(words)
