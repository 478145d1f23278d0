"""Build one RFC 5322 message (text + HTML alternative, UTF-8) from an ``OutgoingEmail``.

Every header is built from decoded, control-free text (``headers.clean_text``); the
URI-list headers (List-Unsubscribe, List-Id, ...) are written as plain ASCII; lines end
in CRLF and none is longer than 998 characters (bodies are quoted-printable when they
are not short ASCII lines). ``as_bytes`` is what goes on the wire and into the maildir.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.errors import PermanentSendError
from mentormail.service.transports.headers import (
    POLICY,
    URI_LIST_HEADERS,
    ascii_header_value,
    clean_text,
    mailbox,
    split_mailbox,
)

# Headers build_mime sets itself; an extra header of the same name replaces the default.
_OWN_HEADERS = {"message-id", "from", "to", "subject", "reply-to", "date", "mime-version"}
_SHORT_LINE = 78


def build_mime(email: OutgoingEmail) -> EmailMessage:
    """The MIME message for ``email``; PermanentSendError when a header cannot be made safe."""
    try:
        return _build(email)
    except (ValueError, TypeError) as exc:  # a bad address or header never passes by retrying
        raise PermanentSendError(f"cannot build the message: {exc}") from exc


def as_bytes(email: OutgoingEmail) -> bytes:
    """The message as it goes on the wire: CRLF line ends."""
    return build_mime(email).as_bytes(policy=POLICY)


def _build(email: OutgoingEmail) -> EmailMessage:
    """Headers first (ours, then the extra ones), then the text part and the HTML part."""
    msg = EmailMessage(policy=POLICY)
    msg["Message-ID"] = message_id(email.message_id)
    msg["Date"] = format_datetime(_aware(email.date or datetime.now(UTC)), usegmt=True)
    msg["From"] = mailbox(*split_mailbox(email.from_addr))
    msg["To"] = recipient(email)
    msg["Subject"] = clean_text(email.subject)
    if email.reply_to:
        msg["Reply-To"] = mailbox(*split_mailbox(email.reply_to))
    for name, value in email.headers.items():
        _extra_header(msg, name, value)
    msg.set_content(email.text, charset="utf-8", cte=_transfer_encoding(email.text))
    if email.html:
        msg.add_alternative(
            email.html, subtype="html", charset="utf-8", cte=_transfer_encoding(email.html)
        )
        for part in msg.iter_parts():
            del part["MIME-Version"]  # once, at the top
    return msg


def recipient(email: OutgoingEmail) -> object:
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


def _extra_header(msg: EmailMessage, name: str, value: str) -> None:
    """One of the row's own headers: URI lists as ASCII, anything else as clean text."""
    if not name.isascii() or not name or any(ord(c) < 33 or ord(c) > 126 or c == ":" for c in name):
        raise ValueError(f"not a header name: {name!r}")
    if name.lower() in _OWN_HEADERS:
        del msg[name]
    if name.lower() in URI_LIST_HEADERS:
        msg[name] = ascii_header_value(name, value)
    else:
        msg[name] = clean_text(value)


def _transfer_encoding(body: str) -> str:
    """7bit for short ASCII lines; quoted-printable (7-bit clean, short lines) otherwise."""
    short = all(len(line) <= _SHORT_LINE for line in body.splitlines())
    return "7bit" if body.isascii() and short else "quoted-printable"


def _aware(when: datetime) -> datetime:
    """Stored times are naive UTC; the Date header needs to say so."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)
