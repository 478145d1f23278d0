"""Each real-server fixture really serves: the tests of the rest of the suite rely on them."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from typing import Any

import psycopg
import pytest
import redis
from playwright.sync_api import Page
from sqlalchemy import create_engine, text

from tests.servers.dovecot_server import DovecotServer, ImapAccount
from tests.servers.sendgrid_api import SendGridApi
from tests.servers.smtp_server import SmtpServer

pytestmark = pytest.mark.integration

RAW = (
    b"From: Mentee <mentee@example.org>\r\nTo: mentors@example.edu\r\n"
    b"Subject: Looking for a mentor\r\nMessage-ID: <m1@example.org>\r\n\r\n"
    b"Data science or healthcare, please.\r\n"
)


def test_redis_answers_ping_and_keeps_nothing_on_disk(redis_url: str) -> None:
    """The private redis-server answers and has persistence off."""
    with redis.Redis.from_url(redis_url) as client:
        assert client.ping()
        assert client.config_get("save")["save"] == ""
        assert client.config_get("appendonly")["appendonly"] == "no"


def test_fresh_redis_url_starts_empty(redis_url: str, fresh_redis_url: str) -> None:
    """A test that asks for a fresh Redis sees no keys."""
    with redis.Redis.from_url(fresh_redis_url) as client:
        assert client.dbsize() == 0


def test_postgres_answers_select_1_through_sqlalchemy(postgres_db_url: str) -> None:
    """SQLAlchemy with psycopg 3 reaches the private PostgreSQL 15+ cluster."""
    engine = create_engine(postgres_db_url)
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1
        version = conn.execute(text("show server_version_num")).scalar()
    engine.dispose()
    assert int(str(version)) >= 150000


def test_each_test_gets_its_own_postgres_database(postgres_db_url: str, postgres_url: str) -> None:
    """``postgres_db_url`` names a brand-new database that the cluster lists."""
    name = postgres_db_url.rsplit("/", 1)[1]
    assert name.startswith("test_")
    dsn = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        names = [row[0] for row in conn.execute("select datname from pg_database")]
    assert name in names


def test_dovecot_appends_and_fetches_a_message(dovecot: DovecotServer) -> None:
    """A message APPENDed to the default account can be searched and read back."""
    uid = dovecot.append(RAW)
    with dovecot.account.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert uid in client.search(["ALL"])
        body = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    assert b"Looking for a mentor" in body


def test_imap_account_is_a_new_user_with_an_empty_inbox(imap_account: ImapAccount) -> None:
    """Each ``imap_account`` logs in and starts with nothing in INBOX."""
    with imap_account.client() as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0


def test_smtp_server_receives_a_message(smtp_server: SmtpServer) -> None:
    """aiosmtpd keeps the envelope and the raw bytes."""
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as smtp:
        smtp.sendmail("mentors@example.edu", ["mentee@example.org"], RAW)
    [mail] = smtp_server.messages
    assert mail.mail_from == "mentors@example.edu"
    assert mail.rcpt_tos == ("mentee@example.org",)
    assert mail.message["Message-ID"] == "<m1@example.org>"


def test_smtp_server_answers_an_injected_failure_once(smtp_server: SmtpServer) -> None:
    """``fail_next(451)`` fails one DATA; the next message is accepted."""
    smtp_server.fail_next(451)
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as failed:
            smtp.sendmail("mentors@example.edu", ["mentee@example.org"], RAW)
        assert failed.value.smtp_code == 451
        smtp.sendmail("mentors@example.edu", ["mentee@example.org"], RAW)
    assert len(smtp_server.messages) == 1


def good_body(**changes: Any) -> dict[str, Any]:
    """A valid v3 mail send body, with top-level keys changed or removed (None)."""
    body: dict[str, Any] = {
        "personalizations": [{"to": [{"email": "mentee@example.org", "name": "Mia"}]}],
        "from": {"email": "mentors@example.edu", "name": "Alumni Mentors"},
        "reply_to": {"email": "reply+abc@reply.example.edu"},
        "subject": "Mentors for you",
        "content": [
            {"type": "text/plain", "value": "Hello"},
            {"type": "text/html", "value": "<p>Hello</p>"},
        ],
        "headers": {"Auto-Submitted": "auto-generated"},
        "custom_args": {"outbox_id": "12"},
        "categories": ["request"],
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def post(
    api: SendGridApi, body: Any, key: str | None = None, raw: bytes | None = None
) -> tuple[int, dict[str, str], Any]:
    """POST to the endpoint; return (status, headers, parsed JSON body or None)."""
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(f"{api.url}/v3/mail/send", data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Bearer {key or api.api_key}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
            return response.status, dict(response.headers), json.loads(payload) if payload else None
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_sendgrid_api_accepts_a_good_request(sendgrid_api: SendGridApi) -> None:
    """A valid body gets 202 and an X-Message-Id, and is recorded."""
    status, headers, _ = post(sendgrid_api, good_body())
    assert status == 202
    [sent] = sendgrid_api.requests
    assert headers["X-Message-Id"] == sent.message_id
    assert sent.body["subject"] == "Mentors for you"


def personalizations(n: int, per: int = 1) -> list[dict[str, Any]]:
    """``n`` personalizations with ``per`` distinct recipients each."""
    return [{"to": [{"email": f"p{i}r{j}@example.org"} for j in range(per)]} for i in range(n)]


BAD_BODIES: dict[str, tuple[dict[str, Any], str | None]] = {
    "no personalizations": (good_body(personalizations=None), "personalizations"),
    "empty personalizations": (good_body(personalizations=[]), "personalizations"),
    "over 1000 personalizations": (
        good_body(personalizations=personalizations(1001)),
        "personalizations",
    ),
    "over 1000 recipients": (
        good_body(personalizations=personalizations(2, 501)),
        "personalizations",
    ),
    "personalization without to": (
        good_body(personalizations=[{"subject": "x"}]),
        "personalizations.0.to",
    ),
    "invalid to address": (
        good_body(personalizations=[{"to": [{"email": "nobody"}]}]),
        "personalizations.0.to.0.email",
    ),
    "duplicate recipient": (
        good_body(
            personalizations=[
                {"to": [{"email": "a@example.org"}], "cc": [{"email": "A@example.org"}]}
            ]
        ),
        "personalizations.0.cc.0.email",
    ),
    "no from": (good_body(**{"from": None}), "from"),
    "from without email": (good_body(**{"from": {"name": "x"}}), "from"),
    "no subject": (good_body(subject=None), "subject"),
    "empty subject": (good_body(subject=""), "subject"),
    "no content": (good_body(content=None), "content"),
    "empty content value": (
        good_body(content=[{"type": "text/plain", "value": ""}]),
        "content.0.value",
    ),
    "html before text": (
        good_body(
            content=[
                {"type": "text/html", "value": "<p>x</p>"},
                {"type": "text/plain", "value": "x"},
            ]
        ),
        "content",
    ),
    "custom_args not strings": (good_body(custom_args={"outbox_id": 12}), "custom_args.outbox_id"),
    "eleven categories": (good_body(categories=[f"c{i}" for i in range(11)]), "categories"),
    "reply_to without email": (good_body(reply_to={"name": "x"}), "reply_to"),
    "reply_to invalid": (good_body(reply_to={"email": "not an address"}), "reply_to.email"),
    "header value not string": (good_body(headers={"X-Count": 3}), "headers.X-Count"),
    "reserved header": (good_body(headers={"Subject": "x"}), "headers.Subject"),
}


@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_sendgrid_api_rejects_what_sendgrid_rejects(sendgrid_api: SendGridApi, case: str) -> None:
    """Each malformed body gets 400 with SendGrid's error shape, naming the field."""
    body, field = BAD_BODIES[case]
    status, _, payload = post(sendgrid_api, body)
    assert status == 400
    assert_sendgrid_errors(payload)
    assert field in [e["field"] for e in payload["errors"]]
    assert sendgrid_api.requests == []


def assert_sendgrid_errors(payload: Any) -> None:
    """The body is ``{"errors": [{"message", "field", "help"}, ...]}``."""
    assert isinstance(payload["errors"], list) and payload["errors"]
    for error in payload["errors"]:
        assert set(error) == {"message", "field", "help"}
        assert isinstance(error["message"], str) and error["message"]


def test_sendgrid_api_rejects_a_wrong_key_with_401(sendgrid_api: SendGridApi) -> None:
    """A bad bearer token is 401 in SendGrid's error shape."""
    status, _, payload = post(sendgrid_api, good_body(), key="SG.wrong")
    assert status == 401
    assert_sendgrid_errors(payload)


def test_sendgrid_api_rejects_invalid_json_with_400(sendgrid_api: SendGridApi) -> None:
    """A body that is not JSON is a 400."""
    status, _, payload = post(sendgrid_api, None, raw=b"{not json")
    assert status == 400
    assert_sendgrid_errors(payload)


def test_sendgrid_api_rejects_over_30_mb_with_413(sendgrid_api: SendGridApi) -> None:
    """A request over 30 MB is refused with 413."""
    big = good_body(content=[{"type": "text/plain", "value": "x" * (30 * 1024 * 1024)}])
    status, _, payload = post(sendgrid_api, big)
    assert status == 413
    assert_sendgrid_errors(payload)


def test_sendgrid_api_answers_injected_429_then_accepts(sendgrid_api: SendGridApi) -> None:
    """``fail_next(429)`` answers one valid request with 429; the next gets 202."""
    sendgrid_api.fail_next(429)
    assert post(sendgrid_api, good_body())[0] == 429
    assert post(sendgrid_api, good_body())[0] == 202


def test_browser_renders_a_page(page: Page) -> None:
    """Headless Chromium renders HTML and runs a script."""
    page.set_content(
        "<title>Confirm</title><button onclick=\"this.textContent='Done'\">Accept</button>"
    )
    page.get_by_role("button", name="Accept").click()
    assert page.title() == "Confirm"
    assert page.get_by_role("button").text_content() == "Done"
