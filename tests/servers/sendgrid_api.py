"""A local HTTP endpoint that speaks SendGrid's v3 Mail Send and checks requests as SendGrid does.

Rules follow the published OpenAPI description (sendgrid/sendgrid-oai,
``spec/paths/mail_send/mail_send.json``) and SendGrid's documented mail send errors.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

MAX_BYTES = 30 * 1024 * 1024
HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html"
RESERVED = frozenset(
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
    )
)
EMAIL_RE = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")

Error = dict[str, Any]


@dataclass(frozen=True)
class SentRequest:
    """One accepted mail send: the JSON body, the headers, and the X-Message-Id we answered."""

    body: dict[str, Any]
    headers: dict[str, str]
    message_id: str


@dataclass(frozen=True)
class Delivered:
    """One recipient's message as SendGrid makes it from a request: their personalization's
    substitutions put into the subject and every content part, its headers and custom_args
    over the request's own."""

    to: dict[str, str]
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    custom_args: dict[str, str]
    reply_to: dict[str, str] | None
    request: int  # which accepted request carried it (0-based)


def deliveries(body: dict[str, Any], request: int = 0) -> list[Delivered]:
    """Every recipient's message of one v3 request (the ``to`` of each personalization)."""
    out = []
    for p in body["personalizations"]:
        subs = p.get("substitutions", {})

        def put(text: str, subs: dict[str, str] = subs) -> str:
            for tag, value in subs.items():
                text = text.replace(tag, value)
            return text

        parts = {c["type"]: put(c["value"]) for c in body["content"]}
        for to in p["to"]:
            out.append(
                Delivered(
                    to=to,
                    subject=put(p.get("subject", body.get("subject", ""))),
                    text=parts.get("text/plain", ""),
                    html=parts.get("text/html", ""),
                    headers={**body.get("headers", {}), **p.get("headers", {})},
                    custom_args={**body.get("custom_args", {}), **p.get("custom_args", {})},
                    reply_to=body.get("reply_to"),
                    request=request,
                )
            )
    return out


@dataclass
class SendGridApi:
    """A running endpoint; ``url`` is the host to give ``SendGridAPIClient``."""

    host: str
    port: int
    api_key: str
    requests: list[SentRequest] = field(default_factory=list)
    rejected: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    _faults: list[int] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _server: BaseWSGIServer | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The base URL (``http://127.0.0.1:PORT``)."""
        return f"http://{self.host}:{self.port}"

    def delivered(self) -> list[Delivered]:
        """Every recipient's message of every accepted request, in order."""
        with self._lock:
            bodies = [r.body for r in self.requests]
        return [d for n, body in enumerate(bodies) for d in deliveries(body, n)]

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next ``times`` valid requests with ``status`` (429, 500, 503, ...)."""
        with self._lock:
            self._faults.extend([status] * times)

    def reset(self) -> None:
        """Forget recorded requests and pending faults."""
        with self._lock:
            self.requests.clear()
            self.rejected.clear()
            self._faults.clear()

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        """The WSGI application."""
        return self.handle(Request(environ))(environ, start_response)

    def handle(self, request: Request) -> Response:
        """Route, authenticate, validate, then accept or reject one request."""
        if request.path != "/v3/mail/send":
            return _errors(404, [_err(None, "Not found")])
        if request.method != "POST":
            return _errors(405, [_err(None, "Method not allowed")])
        auth = request.headers.get("Authorization", "")
        if not auth:
            return self._reject(401, [_err(None, "authorization required")])
        if auth != f"Bearer {self.api_key}":
            return self._reject(
                401,
                [_err(None, "The provided authorization grant is invalid, expired, or revoked")],
            )
        if (request.content_length or 0) > MAX_BYTES:
            return self._reject(
                413,
                [
                    _err(
                        None,
                        "The JSON payload you have included in your "
                        "request is too large. Please limit your request to "
                        "30 MB.",
                        "#-Payload-Too-Large",
                    )
                ],
            )
        data = request.get_data(cache=False)
        if len(data) > MAX_BYTES:
            return self._reject(
                413,
                [
                    _err(
                        None,
                        "The JSON payload you have included in your "
                        "request is too large. Please limit your request to "
                        "30 MB.",
                        "#-Payload-Too-Large",
                    )
                ],
            )
        try:
            body = json.loads(data)
        except ValueError:
            return self._reject(400, [_err(None, "Bad Request")])
        problems = validate(body)
        if problems:
            return self._reject(400, problems)
        with self._lock:
            fault = self._faults.pop(0) if self._faults else None
        if fault is not None:
            return _fault(fault)
        message_id = secrets.token_urlsafe(16)
        with self._lock:
            self.requests.append(SentRequest(body, dict(request.headers.items()), message_id))
        return Response(b"", status=202, headers={"X-Message-Id": message_id})

    def _reject(self, status: int, errors: list[Error]) -> Response:
        """Record and return a rejection."""
        with self._lock:
            self.rejected.append((status, {"errors": errors}))
        return _errors(status, errors)


def _err(field_name: str | None, message: str, help_anchor: str | None = None) -> Error:
    """One error in SendGrid's shape."""
    return {
        "message": message,
        "field": field_name,
        "help": f"{HELP}{help_anchor}" if help_anchor else None,
    }


def _errors(status: int, errors: list[Error]) -> Response:
    """A JSON error response in SendGrid's shape."""
    return Response(json.dumps({"errors": errors}), status=status, content_type="application/json")


def _fault(status: int) -> Response:
    """An injected failure, shaped as SendGrid answers it."""
    message = "too many requests" if status == 429 else "internal server error"
    response = _errors(status, [_err(None, message)])
    if status == 429:
        response.headers["X-RateLimit-Remaining"] = "0"
        response.headers["Retry-After"] = "1"
    return response


def _is_email(value: Any) -> bool:
    """Return True for a plausible bare email address."""
    return isinstance(value, str) and bool(EMAIL_RE.match(value))


def _address(obj: Any, where: str, required_msg: str) -> list[Error]:
    """Check an ``{"email": ..., "name": ...}`` object."""
    if not isinstance(obj, dict) or "email" not in obj:
        return [_err(where, required_msg)]
    errors = []
    if not _is_email(obj["email"]):
        errors.append(_err(f"{where}.email", "Does not contain a valid address."))
    if "name" in obj and not isinstance(obj["name"], str):
        errors.append(_err(f"{where}.name", "Invalid type. Expected: string."))
    return errors


def _string_map(obj: Any, where: str, limit_bytes: int | None = None) -> list[Error]:
    """Check an object whose values must all be strings."""
    if not isinstance(obj, dict):
        return [_err(where, f"Invalid type. Expected: object, given: {type(obj).__name__}.")]
    errors = [
        _err(f"{where}.{key}", f"Invalid type. Expected: string, given: {type(value).__name__}.")
        for key, value in obj.items()
        if not isinstance(value, str)
    ]
    if limit_bytes is not None and len(json.dumps(obj).encode()) > limit_bytes:
        errors.append(_err(where, f"The {where} may not exceed {limit_bytes} bytes."))
    return errors


def _headers(obj: Any, where: str) -> list[Error]:
    """Check a headers object: string values and no reserved names."""
    errors = _string_map(obj, where)
    if isinstance(obj, dict):
        errors += [
            _err(f"{where}.{key}", f"The header {key} is reserved and cannot be set.")
            for key in obj
            if key.lower() in RESERVED
        ]
    return errors


def _personalization(p: Any, i: int) -> tuple[list[Error], int]:
    """Check one personalization; return its errors and its recipient count."""
    where = f"personalizations.{i}"
    if not isinstance(p, dict):
        return [_err(where, "Each personalization must be an object.")], 0
    errors: list[Error] = []
    to = p.get("to")
    if not isinstance(to, list) or not to:
        errors.append(
            _err(
                f"{where}.to",
                "The to array is required for all personalization "
                "objects, and must have at least one email object with a valid "
                "email address.",
                "#message.personalizations.to",
            )
        )
        to = []
    seen: set[str] = set()
    count = 0
    for kind in ("to", "cc", "bcc"):
        items = to if kind == "to" else p.get(kind, [])
        if not isinstance(items, list):
            errors.append(_err(f"{where}.{kind}", f"The {kind} field must be an array."))
            continue
        for j, addr in enumerate(items):
            errors += _address(addr, f"{where}.{kind}.{j}", "The email parameter is required.")
            email = addr.get("email") if isinstance(addr, dict) else None
            if isinstance(email, str):
                if email.lower() in seen:
                    errors.append(
                        _err(
                            f"{where}.{kind}.{j}.email",
                            "Each email address in "
                            "the personalization block should be unique between "
                            "to, cc, and bcc. We found the first duplicate "
                            f"instance of [{email}] in the personalizations.{i}."
                            f"{kind} field.",
                        )
                    )
                seen.add(email.lower())
            count += 1
    if "subject" in p and (not isinstance(p["subject"], str) or not p["subject"]):
        errors.append(
            _err(
                f"{where}.subject", "The subject must be a string at least one character in length."
            )
        )
    if "headers" in p:
        errors += _headers(p["headers"], f"{where}.headers")
    if "custom_args" in p:
        errors += _string_map(p["custom_args"], f"{where}.custom_args", 10_000)
    if "substitutions" in p:
        errors += _string_map(p["substitutions"], f"{where}.substitutions", 10_000)
    if "send_at" in p and not isinstance(p["send_at"], int):
        errors.append(_err(f"{where}.send_at", "Invalid type. Expected: integer."))
    return errors, count


def _content(body: dict[str, Any]) -> list[Error]:
    """Check ``content``: ≥1 item, non-empty type and value, text/plain first."""
    content = body.get("content")
    if "template_id" in body and content is None:
        return []
    if not isinstance(content, list) or not content:
        return [
            _err(
                "content",
                "Unless a valid template_id is provided, the content array "
                "is required and must have at least one item.",
                "#message.content",
            )
        ]
    errors: list[Error] = []
    for i, item in enumerate(content):
        if not isinstance(item, dict):
            errors.append(_err(f"content.{i}", "Each content item must be an object."))
            continue
        if not isinstance(item.get("type"), str) or not item["type"]:
            errors.append(
                _err(
                    f"content.{i}.type",
                    "The content type must be a string at least one character in length.",
                    "#message.content.type",
                )
            )
        if not isinstance(item.get("value"), str) or not item["value"]:
            errors.append(
                _err(
                    f"content.{i}.value",
                    "The content value must be a string at least one character in length.",
                    "#message.content.value",
                )
            )
    types = [item.get("type") for item in content if isinstance(item, dict)]
    if "text/plain" in types and types[0] != "text/plain":
        errors.append(
            _err(
                "content",
                "The text/plain content type must be first, followed by any other content types.",
                "#message.content.type",
            )
        )
    return errors


def validate(body: Any) -> list[Error]:
    """Return every SendGrid error for a v3 mail send body (empty when it is valid)."""
    if not isinstance(body, dict):
        return [_err(None, "Bad Request")]
    errors: list[Error] = []
    ps = body.get("personalizations")
    if not isinstance(ps, list) or not ps:
        errors.append(
            _err(
                "personalizations",
                "The personalizations field is required and "
                "must have at least one personalization.",
                "#-Personalizations-Errors",
            )
        )
        ps = []
    elif len(ps) > 1000:
        errors.append(
            _err(
                "personalizations",
                "The personalizations field has too many "
                "items. Please limit to 1000 personalizations.",
                "#-Personalizations-Errors",
            )
        )
    total = 0
    for i, p in enumerate(ps):
        p_errors, count = _personalization(p, i)
        errors += p_errors
        total += count
    if total > 1000:
        errors.append(
            _err(
                "personalizations",
                "The total number of recipients must be less "
                "than 1000. This includes all recipients defined within the to, cc, "
                "and bcc parameters, across each object that you include in the "
                "personalizations array.",
                "#-Personalizations-Errors",
            )
        )
    errors += _address(
        body.get("from"),
        "from",
        "The from object must be provided for every "
        "email send. It is an object that requires the email parameter, but "
        "may also contain a name parameter.",
    )
    subject = body.get("subject")
    every_p_has_subject = bool(ps) and all(isinstance(p, dict) and p.get("subject") for p in ps)
    if subject is None and not every_p_has_subject and "template_id" not in body:
        errors.append(
            _err(
                "subject",
                "The subject is required. You can get around this "
                "requirement if you use a template with a subject defined or if "
                "every personalization has a subject defined.",
                "#message.subject",
            )
        )
    elif subject is not None and (not isinstance(subject, str) or not subject):
        errors.append(
            _err(
                "subject",
                "The subject must be a string at least one character in length.",
                "#message.subject",
            )
        )
    errors += _content(body)
    if "reply_to" in body and "reply_to_list" in body:
        errors.append(_err("reply_to", "reply_to is mutually exclusive with reply_to_list."))
    if "reply_to" in body:
        errors += _address(
            body["reply_to"],
            "reply_to",
            "The reply_to object, when used, "
            "must at least have an email parameter and may also contain a "
            "name parameter.",
        )
    if "headers" in body:
        errors += _headers(body["headers"], "headers")
    if "custom_args" in body:
        errors += _string_map(body["custom_args"], "custom_args", 10_000)
    errors += _categories(body.get("categories"))
    return errors


def _categories(categories: Any) -> list[Error]:
    """Check ``categories``: at most 10 unique strings of at most 255 characters."""
    if categories is None:
        return []
    if not isinstance(categories, list):
        return [_err("categories", "Invalid type. Expected: array.")]
    errors: list[Error] = []
    if len(categories) > 10:
        errors.append(
            _err(
                "categories",
                "Too many categories. Please limit to 10 categories.",
                "#message.categories",
            )
        )
    if len(set(map(str, categories))) != len(categories):
        errors.append(_err("categories", "Each category must be unique."))
    errors += [
        _err(
            f"categories.{i}",
            "A category must be a string of at most 255 characters.",
            "#message.categories",
        )
        for i, c in enumerate(categories)
        if not isinstance(c, str) or len(c) > 255
    ]
    return errors


def start_sendgrid_api(api_key: str = "SG.test-key") -> SendGridApi:
    """Serve the endpoint from a thread on a free loopback port."""
    api = SendGridApi(host="127.0.0.1", port=0, api_key=api_key)
    server = make_server("127.0.0.1", 0, api.wsgi, threaded=True)
    api.port = server.server_port
    api._server = server
    threading.Thread(target=server.serve_forever, name="sendgrid-api", daemon=True).start()
    return api
