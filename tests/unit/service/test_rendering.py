"""Text bodies become HTML with one-time links as buttons, and nothing unescaped."""

from __future__ import annotations

import re
from types import SimpleNamespace

from mentormail.service.rendering import (
    DEFAULT_COLOUR,
    branding,
    from_now,
    indent_quote,
    join_and,
    number_in_words,
    reach_by,
    render,
    shorten,
    text_to_html,
    wrap_text,
)

ACCEPT = "http://127.0.0.1:8025/a/AbC-_123"


def test_a_one_time_link_becomes_a_button_named_by_the_words_before_it() -> None:
    html = text_to_html(f"- Accept: {ACCEPT}", {"accept": ACCEPT})
    assert re.search(rf'<a class="button primary" href="{ACCEPT}" style="[^"]*">Accept</a>', html)
    assert "<table" in html  # a table-based button, for clients that ignore padding on <a>


def test_sentence_punctuation_after_a_link_is_not_part_of_it() -> None:
    html = text_to_html(f"Unsubscribe: {ACCEPT}.", {})
    assert f'href="{ACCEPT}"' in html and html.endswith(".</p>")


def test_peoples_words_are_escaped_and_quoted() -> None:
    html = text_to_html(indent_quote("<script>alert(1)</script>\nthanks"), {})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("<blockquote>")


DECLINE = "http://127.0.0.1:8025/a/XyZ-_987"


def test_decline_is_never_the_same_button_as_accept() -> None:
    links = {"accept": ACCEPT, "decline": DECLINE}
    html = text_to_html(f"Accept: {ACCEPT}\nDecline: {DECLINE}", links)
    assert 'class="button primary"' in html and 'class="button secondary"' in html
    assert html.count('class="buttons"') == 1  # one row


def test_contacts_are_links_and_mentors_names_are_bold() -> None:
    html = text_to_html(
        "Ana Lima agreed. Reach Ana on LinkedIn: linkedin.com/in/ana-lima, by email:"
        " ana@example.org, or by phone: +1 555 0100.",
        {},
        people=["Ana Lima"],
    )
    assert "<strong>Ana Lima</strong> agreed" in html
    assert '<a href="https://linkedin.com/in/ana-lima">linkedin.com/in/ana-lima</a>,' in html
    assert '<a href="mailto:ana@example.org">ana@example.org</a>' in html
    assert '<a href="tel:+15550100">+1 555 0100</a>.' in html


def test_program_branding_is_read_defensively() -> None:
    program = SimpleNamespace(settings={"logo_url": "https://x.edu/logo.png", "colour": "#7a0019"})
    assert branding(program) == {"colour": "#7a0019", "logo_url": "https://x.edu/logo.png"}
    bad = SimpleNamespace(settings={"logo_url": "javascript:alert(1)", "colour": "red;}"})
    assert branding(bad) == {"colour": DEFAULT_COLOUR, "logo_url": ""}
    assert branding(SimpleNamespace(settings=None)) == {"colour": DEFAULT_COLOUR, "logo_url": ""}
    assert branding(None)["colour"] == DEFAULT_COLOUR


def test_a_logo_replaces_the_programs_name_in_the_header() -> None:
    program = SimpleNamespace(
        name="Alumni Mentors", address="m@x.edu", settings={"logo_url": "https://x.edu/l.png"}
    )
    context = {
        "program": program,
        "recipient_name": "Sam",
        "links": {},
        "unsubscribe_url": "",
        "sender": "",
    }
    html = render("problem_reported", context).html
    assert re.search(r'<img class="logo"[^>]* src="https://x.edu/l.png" alt="Alumni Mentors"', html)
    assert html.count("Alumni Mentors") == 1  # the alt text; the text part signs off with it


def test_prose_is_wrapped_for_reading_and_links_and_quotes_are_kept_whole() -> None:
    long = "word " * 30
    url = "https://alumni.example.edu/events/2026/autumn/coffee-morning-at-the-alumni-centre"
    button = f"Accept this request: {url}"
    paragraph = f"{long}({url}) {long}"
    text = wrap_text(f"{long}\n- {long}\n> {long}\nAsk: {ACCEPT} {long}\n{button}\n{paragraph}")
    lines = text.splitlines()
    assert all(len(line) <= 78 for line in lines if not line.startswith(">") and url not in line)
    assert any(line.startswith("  word") for line in lines)  # a list item's hanging indent
    assert f"> {long}".rstrip() in text and ACCEPT in text
    assert button in lines  # a label and its link read together
    assert f"({url})" in lines  # a paragraph holding a link wraps, the link whole


def test_words_for_people() -> None:
    assert number_in_words(1) == "one" and number_in_words(14) == "14"
    assert join_and(["a", "b", "c"]) == "a, b and c" and join_and(["a"]) == "a"
    assert shorten("data science or healthcare", 20) == "data science or…"
    assert shorten("short", 20) == "short"
    assert reach_by("ana@example.org") == "by email: ana@example.org"
    assert reach_by("LinkedIn: linkedin.com/in/ana") == "on LinkedIn: linkedin.com/in/ana"
    assert reach_by("phone: +1 555 0100") == "by phone: +1 555 0100"
    assert [from_now(d) for d in (0, 1, 5)] == ["today", "tomorrow", "in 5 days"]


def test_a_command_in_backticks_is_code_in_html_and_stays_escaped() -> None:
    html = str(text_to_html("Run `mentormail attention --resolve 5` or `<b>x</b>` here."))
    assert "<code" in html and ">mentormail attention --resolve 5</code>" in html
    assert "`" not in html.split("&lt;b&gt;")[0]
    assert "<b>" not in html  # a span never carries markup in
