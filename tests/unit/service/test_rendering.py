"""Text bodies become HTML with one-time links as buttons, and nothing unescaped."""

from __future__ import annotations

from mentormail.service.rendering import indent_quote, text_to_html

ACCEPT = "http://127.0.0.1:8025/a/AbC-_123"


def test_a_one_time_link_becomes_a_button_named_by_the_words_before_it() -> None:
    html = text_to_html(f"- Accept: {ACCEPT}", {"accept": ACCEPT})
    assert f'<a class="button" href="{ACCEPT}">Accept</a>' in html


def test_sentence_punctuation_after_a_link_is_not_part_of_it() -> None:
    html = text_to_html(f"Unsubscribe: {ACCEPT}.", {})
    assert f'href="{ACCEPT}"' in html and html.endswith(".</p>")


def test_peoples_words_are_escaped_and_quoted() -> None:
    html = text_to_html(indent_quote("<script>alert(1)</script>\nthanks"), {})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("<blockquote>")
