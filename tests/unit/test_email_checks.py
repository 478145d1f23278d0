"""The email checks catch the mistakes people actually received."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.email_checks import problems

NOW = datetime(2025, 10, 12, 9, 0)
GOOD_HTML = "<html><body><p>Hi Ana,</p><p>Thank you.</p></body></html>"


@pytest.mark.parametrize(
    "text",
    [
        "How to answer, by :",
        "Ana has until  to answer.",
        "Ana Lima ( ) has agreed.",
        "Interests: None",
        "Interests: []",
        "Settings: {}",
        "The request is already closed (released), so nothing changed.",
        "Your request is pending.",
        "You now mentor 1 active_matches.",
        "Ana has until Saturday 11 October 2025 to answer.",
        "Sam studies / studied Biostatistics.",
        "we've kindly let the 1 mentee still waiting know",
        "Hello {{ name }}",
        "{% if x %}",
        "How to reach Ana :",
        "A very long line of prose that goes on and on past the width a person reads in comfort.",
    ],
)
def test_each_known_mistake_is_found_in_the_text_part(text: str) -> None:
    assert problems("Subject", text, GOOD_HTML, NOW)


def test_the_same_mistakes_are_found_in_the_html_part() -> None:
    html = "<p>How to answer, by :</p><p>until  to answer</p>"
    assert len(problems("Subject", "Fine.", html, NOW)) >= 2


def test_peoples_quoted_words_and_urls_are_theirs() -> None:
    text = "> my request is pending (released) {{ x }}\nLink: https://x.example/a/b_c_d?e=[]\n"
    html = "<blockquote>pending None</blockquote>" + GOOD_HTML
    assert problems("Subject", text, html, NOW) == []


def test_a_subject_quoting_words_cut_in_the_middle_is_found() -> None:
    said = ["Looking for a mentor in healthcare analytics"]
    assert problems("Mentors who match “Looking for a mentor in healthc…”", "", "", NOW, said)
    assert not problems("Mentors who match “Looking for a mentor in…”", "", "", NOW, said)


def test_a_future_deadline_is_fine() -> None:
    assert not problems("S", "Ana has until Saturday 18 October 2025 to answer.", GOOD_HTML, NOW)


def test_two_paragraphs_run_together_are_found_and_a_list_or_a_quote_is_not() -> None:
    glued = "<p>You agree goals together at the start.<br>\nHow to answer, by Sunday:</p>"
    assert any("run together" in p for p in problems("Subject", "Fine.", glued, NOW))
    listed = "<p>Or use a link:<br>\nAccept: URL</p><blockquote>Yes.<br>\nThanks</blockquote>"
    assert problems("Subject", "Fine.", listed + GOOD_HTML, NOW) == []
