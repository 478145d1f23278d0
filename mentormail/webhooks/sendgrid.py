"""SendGrid's Inbound Parse webhook (raw mode): authenticate, store the raw mail, answer fast."""

from __future__ import annotations

import hmac
from email.parser import BytesParser
from email.policy import compat32

from flask import Blueprint, request

from mentormail.service import inbound
from mentormail.service.context import Services
from mentormail.service.exceptions import MessageTooLarge, PermanentError, Unauthorized


def sendgrid_webhooks(services: Services) -> Blueprint:
    """The blueprint for ``/webhooks/sendgrid/...``."""
    hooks = Blueprint("sendgrid", __name__)

    @hooks.post("/inbound")
    def inbound_parse() -> tuple[dict[str, object], int]:
        _authenticate(services.config.inbound_secret)
        raw = _raw_email()
        if len(raw) > services.config.inbound_max_bytes:
            raise MessageTooLarge(f"message of {len(raw)} bytes is over the limit")
        result = inbound.ingest(services, raw, "webhook")
        return {"id": result.inbound_id, "duplicate": result.duplicate}, 200

    return hooks


def _authenticate(secret: str) -> None:
    """HTTP Basic (any user, the secret as password) or ``?key=``; constant-time compare."""
    if not secret:
        raise Unauthorized("inbound webhook is disabled: MENTORMAIL_INBOUND_SECRET is not set")
    auth = request.authorization
    given = (auth.password if auth and auth.password else None) or request.args.get("key", "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise Unauthorized("wrong or missing inbound webhook secret")


def _raw_email() -> bytes:
    """The raw MIME message from SendGrid's raw-mode form field ``email``, byte for byte.

    Werkzeug decodes form fields as UTF-8 text, which would alter 8-bit mail in
    other charsets, so the multipart body is split with the standard email parser.
    """
    content_type = request.headers.get("Content-Type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise PermanentError("expected multipart/form-data from SendGrid Inbound Parse")
    body = request.get_data(cache=False)
    form = BytesParser(policy=compat32).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    for part in form.walk():
        if part.get_param("name", header="content-disposition") == "email":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload
    raise PermanentError("no 'email' field: is Inbound Parse set to POST the raw, full MIME?")
