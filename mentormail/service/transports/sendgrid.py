"""SendGrid v3 Mail Send transport; returns SendGrid's ``X-Message-Id``."""

from __future__ import annotations

import http.client
from email.utils import parseaddr
from typing import Any

from python_http_client import exceptions as http_errors
from sendgrid import SendGridAPIClient
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
    """Sends through SendGrid's v3 API with the official client library."""

    def __init__(
        self, api_key: str, host: str = "https://api.sendgrid.com", timeout: float = 10
    ) -> None:
        """Build the API client; the library makes no request until we send."""
        self.timeout = timeout
        self.client = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))

    def send(self, email: OutgoingEmail) -> str:
        """POST ``email`` to /v3/mail/send; map HTTP failures onto our two error kinds."""
        body = to_request_body(email)
        try:
            response = self.client.client.mail.send.post(request_body=body, timeout=self.timeout)
        except http_errors.HTTPError as exc:
            raise _by_status(exc.status_code, _describe(exc)) from exc
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out
            raise TransientSendError(f"SendGrid unreachable: {exc!r}") from exc
        if response.status_code >= 300:
            raise _by_status(response.status_code, f"unexpected status {response.status_code}")
        message_id = response.headers.get("X-Message-Id") if response.headers else None
        if not message_id:
            raise TransientSendError("SendGrid accepted the mail but sent no X-Message-Id")
        return str(message_id)


def to_request_body(email: OutgoingEmail) -> dict[str, Any]:
    """Return the v3 mail send JSON body for ``email`` (text/plain first, then html)."""
    from_name, from_addr = parseaddr(email.from_addr)
    to_name, to_addr = parseaddr(email.to_addr)
    mail = Mail(
        from_email=From(from_addr, from_name or None),
        to_emails=To(to_addr, to_name or None),
        subject=email.subject,
    )
    mail.add_content(Content("text/plain", email.text))
    if email.html:
        mail.add_content(Content("text/html", email.html))
    if email.reply_to:
        reply_name, reply_addr = parseaddr(email.reply_to)
        mail.reply_to = ReplyTo(reply_addr, reply_name or None)
    headers = {"Message-ID": email.message_id, **email.headers}
    for name, value in headers.items():
        if name.lower() not in RESERVED_HEADERS:
            mail.add_header(Header(name, value))
    for key, value in email.custom_args.items():
        mail.add_custom_arg(CustomArg(key, str(value)))
    for category in email.categories:
        mail.add_category(Category(category))
    return dict(mail.get())


def _describe(exc: http_errors.HTTPError) -> str:
    """Return SendGrid's error messages from an HTTP error, for logs and the outbox row."""
    body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else str(exc.body)
    return f"SendGrid {exc.status_code}: {body[:500]}"


def _by_status(status: int, detail: str) -> Exception:
    """429 and 5xx may pass later; any other 4xx never will."""
    if status == 429 or status >= 500 or status == 408:
        return TransientSendError(detail)
    return PermanentSendError(detail)
