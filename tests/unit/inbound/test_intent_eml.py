"""Real reply emails: the first text/plain part, read the way the service reads it."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from mentormail.inbound.extract import extract_reply
from mentormail.inbound.intent import understand
from mentormail.inbound.types import Context, Intent

EML = Path(__file__).parents[2] / "fixtures" / "eml" / "intent"
_QUOTE_START = re.compile(
    r"^(?:>|On .* wrote:|.* wrote:$|Le .* a écrit|_{10,}|-+\s*原始邮件|From: )", re.MULTILINE
)

CASES = [
    ("gmail_yes_above_quote.eml", Context.REQUEST, Intent.ACCEPT, None),
    ("outlook_no_sorry.eml", Context.REQUEST, Intent.DECLINE, None),
    ("french_oui_thunderbird.eml", Context.REQUEST, Intent.ACCEPT, None),
    ("chinese_decline_qqmail.eml", Context.REQUEST, Intent.DECLINE, None),
    ("apple_survey_rating.eml", Context.SURVEY, Intent.RATING, 4),
]


def _first_plain_text(name: str) -> str:
    """The decoded first text/plain part of a fixture."""
    msg = email.message_from_bytes((EML / name).read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    assert isinstance(part, EmailMessage)
    return str(part.get_content())


def _before_quote(text: str) -> str:
    """A deliberately simple quote stripper: everything before the first quote marker."""
    m = _QUOTE_START.search(text)
    return text[: m.start()] if m else text


@pytest.mark.parametrize(("name", "context", "intent", "rating"), CASES)
def test_a_real_reply_email_is_understood_after_a_simple_quote_strip(
    name: str, context: Context, intent: Intent, rating: int | None
) -> None:
    """Our own one-line quote rule, then understand: the sender's answer, not the quote's."""
    got = understand(_before_quote(_first_plain_text(name)), context)
    assert (got.intent, got.clear, got.rating) == (intent, True, rating)


@pytest.mark.parametrize(("name", "context", "intent", "rating"), CASES)
def test_a_real_reply_email_is_understood_after_the_extractor(
    name: str, context: Context, intent: Intent, rating: int | None
) -> None:
    """The service's path: extract_reply, then understand."""
    got = understand(extract_reply(_first_plain_text(name)), context)
    assert (got.intent, got.clear, got.rating) == (intent, True, rating)


@pytest.mark.parametrize(("name", "context", "intent", "rating"), CASES)
def test_a_real_reply_email_is_understood_even_with_the_quote_left_in(
    name: str, context: Context, intent: Intent, rating: int | None
) -> None:
    """understand stops at the attribution or header block itself, so a quoted YES never counts."""
    got = understand(_first_plain_text(name), context)
    assert (got.intent, got.clear, got.rating) == (intent, True, rating)


def test_the_quoted_request_in_the_outlook_reply_says_yes_but_the_reply_says_no() -> None:
    """The original under Outlook's header block (no '>' marks) holds 'Reply YES'."""
    text = _first_plain_text("outlook_no_sorry.eml")
    assert "Reply YES" in text
    assert understand(text, Context.REQUEST).intent is Intent.DECLINE
