"""SendGrid webhooks: Inbound Parse (raw mode) stores raw mail; the Event Webhook, signed,
turns bounces, drops, spam reports and unsubscribes into suppressions."""

from __future__ import annotations

import binascii
import hmac
import json
import logging
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import compat32

from flask import Blueprint, request
from sendgrid.helpers.eventwebhook import EventWebhook

from mentormail.service import inbound
from mentormail.service.authresults import sendgrid_header
from mentormail.service.context import Services
from mentormail.service.exceptions import MessageTooLarge, PermanentError, Unauthorized
from mentormail.service.provider_events import record_events

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
MAX_EVENT_AGE_SECONDS = 600  # older signed batches are refused as possible replays


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

    @hooks.post("/events")
    def events() -> tuple[dict[str, object], int]:
        body = request.get_data(cache=False)
        _verify_signature(services, body)
        try:
            batch = json.loads(body)
        except ValueError as error:
            raise PermanentError(f"event webhook body is not JSON: {error}") from error
        if not isinstance(batch, list):
            raise PermanentError("event webhook body must be a JSON array of events")
        report = record_events(services, batch)
        return {"handled": report.handled, "duplicates": report.duplicates}, 200

    return hooks


def _verify_signature(services: Services, body: bytes) -> None:
    """Check SendGrid's ECDSA signature over timestamp + body, and that the timestamp is fresh."""
    public_key = services.config.sendgrid_event_public_key
    if not public_key:
        raise Unauthorized("event webhook is disabled: MENTORMAIL_SENDGRID_EVENT_PUBLIC_KEY unset")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    if not signature or not timestamp.isdigit():
        raise Unauthorized("missing event webhook signature or timestamp")
    try:
        sent_at = datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError) as error:  # a timestamp past year 9999
        raise PermanentError(f"event webhook timestamp out of range: {error}") from error
    if abs((services.now() - sent_at).total_seconds()) > MAX_EVENT_AGE_SECONDS:
        raise Unauthorized("event webhook timestamp is too old or in the future (replay?)")
    try:
        valid = EventWebhook(public_key).verify_signature(
            body.decode("utf-8"), signature, timestamp
        )
    except (ValueError, UnicodeDecodeError, binascii.Error) as error:
        raise Unauthorized(f"unreadable event webhook signature: {error}") from error
    if not valid:
        raise Unauthorized("event webhook signature does not match")


def _authenticate(secret: str) -> None:
    """HTTP Basic (any user, the secret as password) or ``?key=``; constant-time compare."""
    if not secret:
        raise Unauthorized("inbound webhook is disabled: MENTORMAIL_INBOUND_SECRET is not set")
    auth = request.authorization
    given = (auth.password if auth and auth.password else None) or request.args.get("key", "")
    if not (auth and auth.password) and given:  # it may sit in a proxy's access log
        log.warning("inbound webhook secret sent as ?key=; prefer HTTP Basic (user:SECRET@)")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise Unauthorized("wrong or missing inbound webhook secret")


def _with_sendgrid_checks(fields: dict[str, bytes]) -> bytes:
    """The raw mail with SendGrid's SPF/DKIM results prepended as Authentication-Results
    (as a receiving MTA would), so the sender check reads them like any other."""
    spf, dkim = fields.get("SPF", b""), fields.get("dkim", b"")
    if not spf and not dkim:
        return fields["email"]
    text = {k: v.decode("utf-8", "replace") for k, v in (("spf", spf), ("dkim", dkim))}
    return sendgrid_header(text["spf"], text["dkim"]) + fields["email"]


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
    fields: dict[str, bytes] = {}
    for part in form.walk():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields.setdefault(name, payload)
    if "email" in fields:
        return _with_sendgrid_checks(fields)
    raise PermanentError("no 'email' field: is Inbound Parse set to POST the raw, full MIME?")
