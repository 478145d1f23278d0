"""The conformance check finds what strict clients and filters trip on, and passes our mail."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mentormail.service.mailcheck import problems
from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.headers import list_id
from mentormail.service.transports.mime import as_bytes

pytestmark = pytest.mark.unit

LONG_URL = "https://mentoring.alumni-relations.example-university.edu/programs/a/" + "T" * 43
UNSUBSCRIBE = (
    f"<{LONG_URL}>, <mailto:reply+0123456789abcdef01234567@replies.mentoring."
    "alumni-relations.example-university.edu?subject=unsubscribe>"
)
EMAIL = OutgoingEmail(
    message_id="<123.456@example.edu>",
    from_addr="Alumni Mentor Program <mentors@example.edu>",
    to_addr="zoe@example.org",
    to_name="Zoë Müller",
    subject="Mentors for you — data science",
    text=f"Hi Zoë,\n\nAsk Ana: {LONG_URL}\n",
    html=f'<p>Hi Zoë,</p><p><a href="{LONG_URL}">Ask Ana</a></p>',
    reply_to="reply+0123456789abcdef01234567@example.edu",
    headers={
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": UNSUBSCRIBE,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list_id("Alumni Mentor Program", "alumni-2026", "example.edu"),
    },
)


def python_default(email: OutgoingEmail) -> bytes:
    """What Python's email package writes with its defaults (the issue's starting point)."""
    msg = EmailMessage()
    msg["Message-ID"], msg["From"], msg["To"] = email.message_id, email.from_addr, email.to_addr
    msg["Subject"], msg["Date"] = email.subject, "Tue, 01 Dec 2026 10:00:00 +0000"
    for name, value in email.headers.items():
        msg[name] = value
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    return msg.as_bytes()


def test_our_message_passes_with_every_program_header() -> None:
    assert problems(as_bytes(EMAIL), program_mail=True) == []


def test_python_defaults_encode_a_long_list_unsubscribe_and_use_bare_newlines() -> None:
    found = problems(python_default(EMAIL))
    assert any(p.startswith("wire: a line does not end in CRLF") for p in found), found
    assert any("List-Unsubscribe: encoded words are not allowed" in p for p in found), found


def test_html_first_and_a_missing_charset_are_found() -> None:
    raw = (
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: s\r\nDate: Tue, 01 Dec 2026"
        b" 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/html\r\n\r\n<p>x</p>\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
        b"--b--\r\n"
    )
    found = problems(raw)
    assert any("does not start with text/plain" in p for p in found), found
    assert any("declares no charset" in p for p in found), found


def test_a_link_only_in_the_html_part_is_found() -> None:
    email = OutgoingEmail(**{**EMAIL.__dict__, "text": "Hi Zoë,\n\nAsk Ana.\n"})
    assert any(p.startswith("links: the HTML part links to") for p in problems(as_bytes(email)))


def test_one_click_without_an_https_uri_is_found() -> None:
    headers = {**EMAIL.headers, "List-Unsubscribe": "<mailto:x@example.edu>"}
    found = problems(as_bytes(OutgoingEmail(**{**EMAIL.__dict__, "headers": headers})))
    assert "List-Unsubscribe-Post: List-Unsubscribe has no https URI to POST to" in found


def test_program_mail_requires_the_list_headers() -> None:
    email = OutgoingEmail(**{**EMAIL.__dict__, "headers": {}})
    found = problems(as_bytes(email), program_mail=True)
    assert "List-Unsubscribe: missing (every program email has it)" in found
    assert problems(as_bytes(email)) == []


def test_a_line_over_998_characters_is_found() -> None:
    raw = as_bytes(EMAIL).replace(b"\r\n\r\n", b"\r\nX-Long: " + b"a" * 1000 + b"\r\n\r\n", 1)
    assert any("a line of 1008 characters" in p for p in problems(raw))
