"""Property tests: no input makes the inbound reading raise, and every reading has a kind."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormail.inbound.classify import classify
from mentormail.inbound.mime import parse_bytes
from mentormail.inbound.reading import read_message, reading_as_json
from mentormail.inbound.types import Context, MailKind, ParsedMail
from tests.unit.inbound.mail_builders import sample_mails

pytestmark = pytest.mark.unit

SAMPLES = sample_mails()
CHARSETS = [
    b"utf-8", b"iso-8859-1", b"windows-1252", b"gb2312", b"shift_jis", b"koi8-r",
    b"utf-16", b"utf-7", b"x-unknown", b"", b"\xff\xfe", b"idna", b"rot13", b"base64",
]  # fmt: skip
ENCODINGS = [b"base64", b"quoted-printable", b"7bit", b"8bit", b"binary", b"x-uuencode", b"bogus"]
CONTEXTS = [None, *Context]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_reading(raw: bytes, context: Context | None = None) -> None:
    """The whole path reads the input and gives a kind and a serialisable JSON line."""
    parsed = parse_bytes(raw)
    assert isinstance(parsed, ParsedMail)
    assert classify(parsed).kind in MailKind
    reading = read_message(raw, context)
    assert reading.kind in MailKind
    assert (reading.understanding is None) == (reading.kind is not MailKind.HUMAN)
    json.dumps(reading_as_json("x.eml", reading), ensure_ascii=False).encode("utf-8")


@st.composite
def mutated_mail(draw: st.DrawFn) -> bytes:
    """A real message with bytes flipped, inserted, deleted, truncated or relabelled."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        mutation = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "charset", "cte"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if mutation == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif mutation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif mutation == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif mutation == "truncate":
            del data[at:]
        elif mutation == "charset":
            label = draw(st.sampled_from(CHARSETS))
            data = bytearray(re.sub(rb"charset=\"?[\w-]*\"?", b"charset=" + label, bytes(data)))
        else:
            cte = draw(st.sampled_from(ENCODINGS))
            data = bytearray(
                re.sub(rb"(?i)(Content-Transfer-Encoding:)[^\r\n]*", rb"\1 " + cte, bytes(data))
            )
    return bytes(data)


HEADER_NAMES = [
    "From", "To", "Cc", "Subject", "Message-ID", "In-Reply-To", "References", "Content-Type",
    "Content-Transfer-Encoding", "Content-Disposition", "Auto-Submitted", "Precedence",
    "List-Id", "List-Unsubscribe", "Return-Path", "X-Failed-Recipients", "MIME-Version",
]  # fmt: skip


@st.composite
def header_soup(draw: st.DrawFn) -> bytes:
    """A message whose headers take arbitrary values, encoded words and MIME parameters."""
    fragments = st.sampled_from(
        ["=?utf-8?q?", "=?x?b?", "?=", "<", ">", "@", ";", "boundary=", "charset=", '"', "\r\n ",
         "multipart/report", "report-type=delivery-status", "multipart/mixed", "text/html", ","]
    )  # fmt: skip
    pieces = st.lists(st.one_of(fragments, st.text(max_size=12)), max_size=8).map("".join)
    headers = draw(st.lists(st.tuples(st.sampled_from(HEADER_NAMES), pieces), max_size=10))
    body = draw(st.binary(max_size=300))
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode("utf-8", "surrogatepass") + b"\r\n" + body


@SETTINGS
@given(raw=st.binary(max_size=2000), context=st.sampled_from(CONTEXTS))
def test_arbitrary_bytes_are_read_without_raising(raw: bytes, context: Context | None) -> None:
    check_reading(raw, context)


@SETTINGS
@given(raw=mutated_mail(), context=st.sampled_from(CONTEXTS))
def test_mutated_real_mail_is_read_without_raising(raw: bytes, context: Context | None) -> None:
    check_reading(raw, context)


@SETTINGS
@given(raw=header_soup())
def test_arbitrary_header_values_are_read_without_raising(raw: bytes) -> None:
    check_reading(raw, Context.REQUEST)


@SETTINGS
@given(text=st.text(max_size=500), subject=st.text(max_size=80))
def test_arbitrary_text_in_a_well_formed_message_is_read(text: str, subject: str) -> None:
    raw = (
        f"From: a@b.example\r\nSubject: {subject}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    ).encode("utf-8", "surrogatepass") + text.encode("utf-8", "surrogatepass")
    check_reading(raw, Context.SURVEY)


@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_every_sample_truncated_at_every_tenth_is_read(index: int) -> None:
    data = SAMPLES[index]
    for cut in range(0, len(data), max(1, len(data) // 10)):
        check_reading(data[:cut])
