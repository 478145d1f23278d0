"""No text that reaches a header can add a header: names, subjects and header values are
decoded and made one line before the message is built (issue 10, item 4)."""

from __future__ import annotations

import email
import email.policy
import quopri
from base64 import b64encode
from email.utils import formataddr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentormail.service.mailcheck import problems
from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.headers import clean_text
from mentormail.service.transports.mime import as_bytes
from mentormail.service.transports.sendgrid import to_request_body

pytestmark = pytest.mark.unit

INJECTED = ["\r\nBcc: attacker@evil.example", "\nReply-To: attacker@evil.example", "\r\n\r\nX"]
CONTROL = st.sampled_from(["\r", "\n", "\r\n", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\u2028"])


def encoded_word(text: str, kind: str) -> str:
    """``text`` as an RFC 2047 encoded word, the way an attacker would write it."""
    data = text.encode("utf-8")
    if kind == "b":
        return f"=?utf-8?b?{b64encode(data).decode()}?="
    quoted = quopri.encodestring(data, header=True).decode().replace("=\n", "")
    return f"=?utf-8?q?{quoted.replace('?', '=3F')}?="


plain = st.text(st.characters(codec="utf-8"), max_size=40)
dirty = st.lists(st.one_of(plain, CONTROL, st.sampled_from(INJECTED)), max_size=6).map("".join)
hostile = st.one_of(
    dirty,
    st.builds(encoded_word, dirty, st.sampled_from(["b", "q"])),
    st.builds(
        lambda a, b, c: a + b + c, plain, st.builds(encoded_word, dirty, st.just("q")), plain
    ),
    st.builds(lambda t: encoded_word(encoded_word(t, "q"), "b"), dirty),  # nested
)

HEADERS = {
    "Auto-Submitted": "auto-generated",
    "List-Unsubscribe": "<https://mentors.example.edu/a/tok>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}
EXPECTED = {
    "message-id",
    "date",
    "from",
    "to",
    "subject",
    "reply-to",
    "mime-version",
    "content-type",
    "x-note",
    *(h.lower() for h in HEADERS),
}


def build(name: str, subject: str, program: str, note: str) -> bytes:
    """A message whose every free-text field is hostile."""
    return as_bytes(
        OutgoingEmail(
            message_id="<1.2@example.edu>",
            from_addr=formataddr((program, "mentors@example.edu")),  # as outbox rows store it
            to_addr="ana@alumni.example.edu",
            to_name=name,
            subject=subject,
            text="Hi\n",
            html="<p>Hi</p>",
            reply_to="reply+tok@example.edu",
            headers={**HEADERS, "X-Note": note},
        )
    )


@settings(max_examples=300, deadline=None)
@given(name=hostile, subject=hostile, program=hostile, note=hostile)
def test_no_field_adds_a_header_or_a_line_break(
    name: str, subject: str, program: str, note: str
) -> None:
    raw = build(name, subject, program, note)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert {k.lower() for k in message} == EXPECTED
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@alumni.example.edu"]
    assert [a.addr_spec for a in message["Reply-To"].addresses] == ["reply+tok@example.edu"]
    assert [a.addr_spec for a in message["From"].addresses] == ["mentors@example.edu"]
    for header in ("To", "From", "Subject", "X-Note"):
        decoded = str(message[header])
        assert "\r" not in decoded and "\n" not in decoded, (header, decoded)
    assert not [p for p in problems(raw) if not p.startswith("parsers disagree")], problems(raw)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_clean_text_is_one_line_decoded_and_stable(value: str) -> None:
    cleaned = clean_text(value)
    assert cleaned == clean_text(cleaned)
    assert not any(c in cleaned for c in "\r\n\x00\x0b\x0c\x1b\x7f\u2028")
    assert "=?" not in cleaned


@settings(max_examples=200, deadline=None)
@given(name=hostile, subject=hostile)
def test_the_sendgrid_request_carries_the_same_clean_text(name: str, subject: str) -> None:
    body = to_request_body(
        OutgoingEmail(
            message_id="<1.2@example.edu>",
            from_addr="Program <mentors@example.edu>",
            to_addr="ana@alumni.example.edu",
            to_name=name,
            subject=subject or "x",
            text="Hi\n",
            html="",
            reply_to="reply+tok@example.edu",
            headers={"X-Note": name},
        )
    )
    to = body["personalizations"][0]["to"][0]
    assert to["email"] == "ana@alumni.example.edu"
    for value in (to.get("name", ""), body["subject"], body["headers"]["X-Note"]):
        assert "\r" not in value and "\n" not in value and "=?" not in value


@pytest.mark.parametrize(
    "address",
    [
        "ana@x.org\r\nBcc: e@evil",
        "a@b@c",
        "=?utf-8?q?a=40b?=@x.org",
        "ana <a@x.org>, b@y.org",
        "",
        "a b@x",
    ],
)
def test_an_address_that_is_not_one_plain_address_is_refused(address: str) -> None:
    from mentormail.service.exceptions import PermanentSendError

    email_ = OutgoingEmail("<1@x.org>", "P <p@x.org>", address, "s", "t\n", "", "")
    with pytest.raises(PermanentSendError):
        as_bytes(email_)


def test_an_address_with_letters_outside_ascii_is_refused_in_words_a_coordinator_reads() -> None:
    from mentormail.service.exceptions import PermanentSendError

    email_ = OutgoingEmail(
        "<1@x.org>", "P <p@x.org>", "José <josé.garcía@x.es>", "s", "t\n", "", ""
    )
    with pytest.raises(PermanentSendError, match="letters outside ASCII needs SMTPUTF8"):
        as_bytes(email_)
