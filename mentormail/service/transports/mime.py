"""Write one RFC 5322 message (text + HTML alternative, UTF-8) from an ``OutgoingEmail``.

Every header is built from decoded, control-free text (``headers.clean_text``) and folded
by ``headers.fold`` (never inside a URI, an address or an encoded word); URI-list headers
(List-Unsubscribe, List-Id, ...) are plain ASCII; lines end in CRLF and none is longer
than 998 characters (bodies are quoted-printable unless they are short ASCII lines).

The bytes are written here directly: Python's ``EmailMessage`` re-parses and refolds
every header and took three quarters of a send (benchmarks/outbound.py); its parser,
with ``policy.strict``, is what checks these bytes (``service.mailcheck``).
"""

from __future__ import annotations

import binascii
import secrets
from datetime import UTC, datetime
from email.utils import format_datetime

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.errors import PermanentSendError
from mentormail.service.transports.headers import (
    URI_LIST_HEADERS,
    ascii_header_value,
    clean_text,
    encoded_text,
    fold,
    mailbox,
    split_mailbox,
)

# Headers we write ourselves; an extra header of the same name replaces ours.
_OWN_HEADERS = ("Message-ID", "Date", "From", "To", "Subject", "Reply-To")
_MIME_HEADERS = {"mime-version", "content-type", "content-transfer-encoding"}
_SHORT_LINE = 78


def as_bytes(email: OutgoingEmail) -> bytes:
    """The message as it goes on the wire; PermanentSendError when it cannot be made safe."""
    if not split_mailbox(email.to_addr)[1].isascii():  # said plainly: the codec's words were
        raise PermanentSendError(  # all a coordinator read on the attention list
            f"cannot send to {email.to_addr!r}: an address with letters outside ASCII "
            "needs SMTPUTF8 mail, which mentormail does not send"
        )
    try:
        return _write(email)
    except (ValueError, TypeError) as exc:  # a bad address or header never passes by retrying
        raise PermanentSendError(f"cannot build the message: {exc}") from exc


def _write(email: OutgoingEmail) -> bytes:
    """Headers, then one text part or a multipart/alternative of text and HTML."""
    headers = dict(zip(_OWN_HEADERS, _own_values(email), strict=True))
    if not email.reply_to:
        del headers["Reply-To"]
    for name, value in email.headers.items():
        _check_name(name)
        if name.lower() in _MIME_HEADERS:
            raise ValueError(f"{name} is ours to write")
        headers = {k: v for k, v in headers.items() if k.lower() != name.lower()}
        headers[name] = _extra_value(name, value)
    head = "".join(fold(name, value) for name, value in headers.items()) + "MIME-Version: 1.0\r\n"
    if not email.html:
        return (head + _part("plain", email.text)).encode("ascii")
    boundary = f"=_mm_{secrets.token_hex(12)}"  # "=_" never occurs in quoted-printable
    parts = [_part("plain", email.text), _part("html", email.html)]
    if any(boundary in part for part in parts):  # a 7bit part could, in theory
        raise ValueError("boundary collision")
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    content_type = fold("Content-Type", f'multipart/alternative; boundary="{boundary}"')
    return (head + content_type + "\r\n" + body).encode("ascii")


def _own_values(email: OutgoingEmail) -> list[str]:
    """Message-ID, Date, From, To, Subject and Reply-To, each checked and clean."""
    when = email.date or datetime.now(UTC)
    return [
        message_id(email.message_id),
        format_datetime(when if when.tzinfo else when.replace(tzinfo=UTC)),  # +0000, not obs GMT
        mailbox(*split_mailbox(email.from_addr)),
        recipient(email),
        encoded_text(clean_text(email.subject)),
        mailbox(*split_mailbox(email.reply_to)) if email.reply_to else "",
    ]


def recipient(email: OutgoingEmail) -> str:
    """``Name <address>``: the row's name, or the one written in ``to_addr`` itself."""
    name, address = split_mailbox(email.to_addr)
    return mailbox(email.to_name or name, address)


def message_id(value: str) -> str:
    """``<left@right>`` with nothing a header may not carry."""
    text = value.strip()
    if not (text.startswith("<") and text.endswith(">") and text.count("@") == 1):
        raise ValueError(f"not a Message-ID: {value!r}")
    if not text.isascii() or any(c.isspace() or ord(c) < 33 for c in text):
        raise ValueError(f"not a Message-ID: {value!r}")
    return text


def _check_name(name: str) -> None:
    """A header name is printable ASCII without a colon."""
    if not name or not all(33 <= ord(c) <= 126 and c != ":" for c in name):
        raise ValueError(f"not a header name: {name!r}")


def _extra_value(name: str, value: str) -> str:
    """One of the row's own headers: URI lists as ASCII, anything else as clean text."""
    if name.lower() in URI_LIST_HEADERS:
        return ascii_header_value(name, value)
    return encoded_text(clean_text(value))


def _part(subtype: str, body: str) -> str:
    """A text part's headers and body: 7bit for short ASCII lines, else quoted-printable."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if text.isascii() and all(len(line) <= _SHORT_LINE for line in lines):
        encoding, encoded = "7bit", "\r\n".join(lines)
    else:
        qp = binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii")
        encoding, encoded = "quoted-printable", qp.replace("\n", "\r\n")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n{encoded}"
        + ("" if encoded.endswith("\r\n") else "\r\n")
    )
