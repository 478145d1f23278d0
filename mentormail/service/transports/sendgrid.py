"""SendGrid v3 Mail Send transport; returns SendGrid's ``X-Message-Id``."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any
from urllib.parse import urlsplit

from mentormail.service.ports import OutgoingEmail, Personalized, Recipient
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

    max_recipients = 1000  # personalizations per request, the v3 API's limit

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
        return self._deliver(to_request_body(email))

    def send_personalized(self, message: Personalized) -> str:
        """One request for up to ``max_recipients`` people, each with their own values."""
        if not 0 < len(message.recipients) <= self.max_recipients:
            raise PermanentSendError(f"{len(message.recipients)} recipients in one request")
        return self._deliver(to_personalized_body(message))

    def _deliver(self, request: dict[str, Any]) -> str:
        """POST one v3 body; SendGrid's X-Message-Id, or one of our two error kinds."""
        body = json.dumps(request).encode("utf-8")
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

    Names, subject and headers are the same decoded, control-free text the MIME writer
    uses; SendGrid encodes them itself. The body is written as the v3 API documents it
    (the library's ``Mail`` helper builds the same JSON at a third of a send's cost).
    """
    sender, to, reply_to = _people(email)
    content = [{"type": "text/plain", "value": email.text}]
    if email.html:
        content.append({"type": "text/html", "value": email.html})
    headers = {"Message-ID": message_id(email.message_id), **email.headers}
    body: dict[str, Any] = {
        "from": sender,
        "subject": clean_text(email.subject),
        "personalizations": [{"to": [to]}],
        "content": content,
        "headers": _headers(headers),
    }
    if reply_to is not None:
        body["reply_to"] = reply_to
    if email.custom_args:
        body["custom_args"] = {k: clean_text(v) for k, v in email.custom_args.items()}
    if email.categories:
        body["categories"] = list(email.categories)
    return body


def to_personalized_body(message: Personalized) -> dict[str, Any]:
    """The v3 body of one message to many: one personalization per person, carrying their
    address, their substitutions (name, unsubscribe link), headers and custom_args; the
    reply address is the request's own, so the same for everyone."""
    try:
        sender = _person(*split_mailbox(message.from_addr))
        reply_to = _person(*split_mailbox(message.reply_to))
    except ValueError as exc:
        raise PermanentSendError(f"cannot build the message: {exc}") from exc
    body: dict[str, Any] = {
        "from": sender,
        "reply_to": reply_to,
        "subject": clean_text(message.subject),
        "personalizations": [_personalization(r) for r in message.recipients],
        "content": [
            {"type": "text/plain", "value": message.text},
            {"type": "text/html", "value": message.html},
        ],
        "headers": _headers(message.headers),
    }
    if message.categories:
        body["categories"] = list(message.categories)
    return body


def _personalization(recipient: Recipient) -> dict[str, Any]:
    """One person's part of a personalized request."""
    try:
        to = _person(recipient.to_name, recipient.to_addr)
    except ValueError as exc:
        raise PermanentSendError(f"cannot build the message: {exc}") from exc
    headers = dict(recipient.headers)
    if "Message-ID" in headers:
        headers["Message-ID"] = message_id(headers["Message-ID"])
    return {
        "to": [to],
        "substitutions": dict(recipient.substitutions),
        "headers": _headers(headers),
        "custom_args": {k: clean_text(v) for k, v in recipient.custom_args.items()},
    }


def _headers(headers: dict[str, str]) -> dict[str, str]:
    """Our headers as SendGrid takes them: reserved ones left out, values cleaned."""
    return {
        name: _header_value(name, value)
        for name, value in headers.items()
        if name.lower() not in RESERVED_HEADERS
    }


def _people(email: OutgoingEmail) -> tuple[dict[str, str], dict[str, str], dict[str, str] | None]:
    """From, To and Reply-To with clean names; PermanentSendError for an unusable address."""
    try:
        sender = _person(*split_mailbox(email.from_addr))
        to_name, to_addr = split_mailbox(email.to_addr)
        to = _person(email.to_name or to_name, to_addr)
        reply_to = _person(*split_mailbox(email.reply_to)) if email.reply_to else None
    except ValueError as exc:
        raise PermanentSendError(f"cannot build the message: {exc}") from exc
    return sender, to, reply_to


def _person(name: str, address: str) -> dict[str, str]:
    """``{"email": ..., "name": ...}``, the name left out when there is none."""
    person = {"email": clean_address(address)}
    if clean_text(name):
        person["name"] = clean_text(name)
    return person


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
