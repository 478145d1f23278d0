"""SendGrid v3 Mail Send transport; returns SendGrid's ``X-Message-Id``."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any
from urllib.parse import urlsplit

from sendgrid.helpers.mail import (
    Category,
    Content,
    CustomArg,
    From,
    Header,
    Mail,
    ReplyTo,
    To,
)

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.errors import PermanentSendError, TransientSendError
from mentormail.service.transports.headers import (
    URI_LIST_HEADERS,
    ascii_header_value,
    clean_address,
    clean_text,
    split_mailbox,
)
from mentormail.service.transports.mime import message_id

MAIL_SEND = "/v3/mail/send"
IDLE_SECONDS = 30  # a kept-alive connection idle longer than this is not trusted again

# SendGrid refuses these in "headers" (it sets them from the request's own fields or itself).
RESERVED_HEADERS = frozenset(
    h.lower()
    for h in (
        "x-sg-id",
        "x-sg-eid",
        "received",
        "dkim-signature",
        "Content-Type",
        "Content-Transfer-Encoding",
        "To",
        "From",
        "Subject",
        "Reply-To",
        "CC",
        "BCC",
        "Date",
        "MIME-Version",
    )
)


class SendGridMailer:
    """Sends through SendGrid's v3 API on one kept-alive HTTPS connection (per mailer)."""

    def __init__(
        self, api_key: str, host: str = "https://api.sendgrid.com", timeout: float = 10
    ) -> None:
        """Remember the API; no connection is made until we send."""
        self.timeout = timeout
        self.api_key = api_key
        self.url = urlsplit(host.rstrip("/"))
        self._connection: http.client.HTTPConnection | None = None
        self._last_used = 0.0

    def send(self, email: OutgoingEmail) -> str:
        """POST ``email`` to /v3/mail/send; map HTTP failures onto our two error kinds."""
        body = json.dumps(to_request_body(email)).encode("utf-8")
        try:
            status, headers, answer = self._post(MAIL_SEND, body)
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out
            self.close()
            raise TransientSendError(f"SendGrid unreachable: {exc!r}") from exc
        if status >= 300:
            detail = f"SendGrid {status}: {answer.decode('utf-8', 'replace')[:500]}"
            raise _by_status(status, detail)
        message_id = headers.get("X-Message-Id")
        if not message_id:
            raise TransientSendError("SendGrid accepted the mail but sent no X-Message-Id")
        return str(message_id)

    def _post(self, path: str, body: bytes) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request on the kept-alive connection; a connection that went away while idle
        is replaced before the request was written, never after (a POST is not repeated)."""
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Content-Type": "application/json",
            "User-Agent": "mentormail",
        }
        connection = self._open()
        target = (self.url.path or "") + path
        try:
            connection.request("POST", target, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest):
            self.close()
            connection = self._open()
            connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        self._last_used = time.monotonic()
        if response.will_close:
            self.close()
        return response.status, response.headers, answer

    def _open(self) -> http.client.HTTPConnection:
        """The kept-alive connection; a new one when there is none or it idled too long."""
        if self._connection is not None and time.monotonic() - self._last_used > IDLE_SECONDS:
            self.close()
        if self._connection is None:
            kind = (
                http.client.HTTPSConnection
                if self.url.scheme == "https"
                else http.client.HTTPConnection
            )
            self._connection = kind(self.url.hostname or "", self.url.port, timeout=self.timeout)
            self._last_used = time.monotonic()
        return self._connection

    def close(self) -> None:
        """Close the connection (the next send opens a new one)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def to_request_body(email: OutgoingEmail) -> dict[str, Any]:
    """Return the v3 mail send JSON body for ``email`` (text/plain first, then html).

    Names, subject and headers are the same decoded, control-free text the MIME builder
    writes; SendGrid encodes them itself.
    """
    sender, to, reply_to = _sender(email)
    mail = Mail(from_email=sender, to_emails=to, subject=clean_text(email.subject))
    mail.add_content(Content("text/plain", email.text))
    if email.html:
        mail.add_content(Content("text/html", email.html))
    if reply_to is not None:
        mail.reply_to = reply_to
    headers = {"Message-ID": message_id(email.message_id), **email.headers}
    for name, value in headers.items():
        if name.lower() not in RESERVED_HEADERS:
            mail.add_header(Header(name, _header_value(name, value)))
    for key, value in email.custom_args.items():
        mail.add_custom_arg(CustomArg(key, clean_text(value)))
    for category in email.categories:
        mail.add_category(Category(category))
    return dict(mail.get())


def _sender(email: OutgoingEmail) -> tuple[From, To, ReplyTo | None]:
    """From, To and Reply-To with clean names; PermanentSendError for an unusable address."""
    try:
        from_name, from_addr = split_mailbox(email.from_addr)
        to_name, to_addr = split_mailbox(email.to_addr)
        sender = From(clean_address(from_addr), clean_text(from_name) or None)
        to = To(clean_address(to_addr), clean_text(email.to_name or to_name) or None)
        reply_to = None
        if email.reply_to:
            reply_name, reply_addr = split_mailbox(email.reply_to)
            reply_to = ReplyTo(clean_address(reply_addr), clean_text(reply_name) or None)
    except ValueError as exc:
        raise PermanentSendError(f"cannot build the message: {exc}") from exc
    return sender, to, reply_to


def _header_value(name: str, value: str) -> str:
    """URI lists as plain ASCII, anything else as clean text."""
    try:
        if name.lower() in URI_LIST_HEADERS:
            return ascii_header_value(name, value)
        return clean_text(value)
    except ValueError as exc:
        raise PermanentSendError(f"cannot build the message: {exc}") from exc


def _by_status(status: int, detail: str) -> Exception:
    """429 and 5xx may pass later; any other 4xx never will."""
    if status == 429 or status >= 500 or status == 408:
        return TransientSendError(detail)
    return PermanentSendError(detail)
