"""The whole email loop on real parts: IMAP in, SMTP out, SendGrid webhook in, SendGrid out."""

from __future__ import annotations

import base64
import http.client
import json
import re
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mentormail.app import bootstrap
from mentormail.app.bootstrap import mailer_for
from mentormail.app.web import create_app
from mentormail.service import clock
from mentormail.service.adapters import RqQueue, SystemClock
from mentormail.service.config import Config
from mentormail.service.context import Services
from mentormail.service.db import make_engine, make_sessionmaker, upgrade
from mentormail.service.programs import import_participants, load_program, read_program_file
from tests.e2e.conftest import WebServer
from tests.harness import EXAMPLES, PROGRAM_ADDRESS

pytestmark = pytest.mark.e2e

SAM = "sam.rivera@student.example.edu"
ANA = "ana.lima@alumni.example.edu"
SECRET = "inbound-secret-for-tests"


def services_with(config: Config, queue: RqQueue) -> Services:
    """Real adapters for this configuration (the transport it names)."""
    return Services(
        config=config,
        sessions=make_sessionmaker(make_engine(config.database_url)),
        queue=queue,
        clock=SystemClock(),
        mailer_factory=lambda: mailer_for(config),
    )


def prefixed(settings: dict[str, str]) -> dict[str, str]:
    """Settings as the environment names them."""
    return {f"MENTORMAIL_{k}": v for k, v in settings.items()}


def drain(services: Services) -> None:
    """Run an RQ worker on the real Redis until the queues are empty."""
    bootstrap.install(services)
    assert isinstance(services.queue, RqQueue)
    worker = services.queue.worker(["inbound", "outbound"])
    worker.work(burst=True)


def mentee_email() -> bytes:
    """Sam's first email to the program, as his mail client would send it."""
    msg = EmailMessage()
    msg["From"] = f"Sam Rivera <{SAM}>"
    msg["To"] = f"Alumni Mentor Program <{PROGRAM_ADDRESS}>"
    msg["Subject"] = "Looking for a mentor"
    msg["Message-ID"] = f"<{uuid.uuid4()}@student.example.edu>"
    msg.set_content("Hello!\n\nLooking for a mentor in data science or healthcare.\n\nSam\n")
    return msg.as_bytes()


def reply(original: EmailMessage, sender: str, text: str) -> bytes:
    """A person's reply to a received message: new text on top, Gmail's quote below."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = str(original["Reply-To"])
    msg["Subject"] = f"Re: {original['Subject']}"
    msg["Message-ID"] = f"<{uuid.uuid4()}@mail.example.com>"
    msg["In-Reply-To"] = str(original["Message-ID"])
    body = original.get_body(("plain",))
    assert body is not None
    quoted = "\n".join("> " + line for line in body.get_content().splitlines())
    attribution = f"On Tue, 17 Nov 2026 at 10:00, {original['From']} wrote:"
    msg.set_content(f"{text}\n\n{attribution}\n{quoted}\n")
    return msg.as_bytes()


def post_to_inbound_webhook(url: str, raw: bytes) -> dict[str, Any]:
    """POST raw mail the way SendGrid Inbound Parse (raw mode) does: multipart form data."""
    boundary = uuid.uuid4().hex
    fields = {"to": PROGRAM_ADDRESS, "from": ANA, "charsets": '{"to":"UTF-8"}', "spam_score": "0"}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n'.encode()
        + raw
        + f"\r\n--{boundary}--\r\n".encode()
    )
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request(
        "POST",
        "/webhooks/sendgrid/inbound",
        body=b"".join(parts),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": "Basic " + base64.b64encode(f"sendgrid:{SECRET}".encode()).decode(),
        },
    )
    response = conn.getresponse()
    assert response.status == 200, response.read()
    return dict(json.loads(response.read()))


def test_mentee_finds_a_mentor_and_the_mentor_says_yes_over_real_doors(
    database_url: str,
    tmp_path: Path,
    fresh_redis_url: str,
    imap_account: Any,
    smtp_server: Any,
    sendgrid_api: Any,
    web_server: WebServer,
) -> None:
    upgrade(database_url)
    base = {
        "MENTORMAIL_DATA_DIR": str(tmp_path / "var"),
        "MENTORMAIL_DATABASE_URL": database_url,
        "MENTORMAIL_REDIS_URL": fresh_redis_url,
        "MENTORMAIL_BASE_URL": web_server.url,
        "MENTORMAIL_INBOUND_SECRET": SECRET,
        "MENTORMAIL_IMAP_HOST": imap_account.host,
        "MENTORMAIL_IMAP_PORT": str(imap_account.port),
        "MENTORMAIL_IMAP_SSL": "0",
        "MENTORMAIL_IMAP_USERNAME": imap_account.user,
        "MENTORMAIL_IMAP_PASSWORD": imap_account.password,
    }
    queue = RqQueue(fresh_redis_url)
    smtp = {"TRANSPORT": "smtp", "SMTP_HOST": smtp_server.host, "SMTP_PORT": str(smtp_server.port)}
    sendgrid = {
        "TRANSPORT": "sendgrid",
        "SENDGRID_API_KEY": sendgrid_api.api_key,
        "SENDGRID_API_HOST": sendgrid_api.url,
    }
    over_smtp = services_with(Config.from_env({**base, **prefixed(smtp)}), queue)
    over_sendgrid = services_with(Config.from_env({**base, **prefixed(sendgrid)}), queue)
    with over_smtp.unit_of_work() as session:
        program = load_program(session, read_program_file(EXAMPLES / "program.yaml"))
        report = import_participants(session, program, (EXAMPLES / "participants.csv").read_text())
        assert report.created == 6 and not report.errors
    web_server.serve(create_app(over_smtp))

    # 1. Sam's email arrives over IMAP; the list of mentors leaves over SMTP.
    imap_account.append(mentee_email())
    assert clock.poll_imap(over_smtp) == 1
    assert clock.poll_imap(over_smtp) == 0  # fetched once
    drain(over_smtp)
    assert len(smtp_server.messages) == 1
    listing_mail = smtp_server.messages[0]
    assert list(listing_mail.rcpt_tos) == [SAM]
    listing = listing_mail.message
    assert re.fullmatch(r"reply\+[0-9a-f]{24}@example\.edu", str(listing["Reply-To"]))
    assert listing["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" in listing and listing["List-Unsubscribe-Post"]
    text = listing.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "1. Ana Lima — Data Scientist, Healthcare" in text
    assert "@alumni.example.edu" not in text
    html = listing.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'class="button primary"' in html and "style=" in html  # buttons, CSS inlined

    # 2. Sam replies "1" (dropped into the drop folder); Ana's request leaves over SMTP.
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "sam-reply.eml").write_bytes(reply(listing, SAM, "1"))
    assert clock.read_drop_folder(over_smtp, drop) == 1
    drain(over_smtp)
    to_ana = [m for m in smtp_server.messages if list(m.rcpt_tos) == [ANA]]
    assert len(to_ana) == 1
    request_mail = to_ana[0].message
    assert "Sam Rivera would like you as their mentor" in str(request_mail["Subject"])
    request_text = request_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "until Wednesday 30 June 2027" in request_text
    assert "Accept: " + web_server.url + "/a/" in request_text

    # 3. Ana's "Yes, happy to" arrives through the SendGrid webhook; intros leave via SendGrid.
    answer = post_to_inbound_webhook(web_server.url, reply(request_mail, ANA, "Yes, happy to!"))
    assert answer["duplicate"] is False
    again = post_to_inbound_webhook(web_server.url, reply(request_mail, ANA, "Yes, happy to!"))
    assert again["duplicate"] is False  # a new Message-ID: a second, separate reply
    drain(over_sendgrid)
    sent = {r.body["personalizations"][0]["to"][0]["email"]: r.body for r in sendgrid_api.requests}
    subjects = sorted(r.body["subject"] for r in sendgrid_api.requests)
    assert "You're matched with Ana Lima!" in subjects
    assert "You're matched with Sam Rivera!" in subjects
    intro_for_sam = next(
        r.body
        for r in sendgrid_api.requests
        if r.body["subject"] == "You're matched with Ana Lima!"
    )
    plain = next(c["value"] for c in intro_for_sam["content"] if c["type"] == "text/plain")
    assert "LinkedIn: linkedin.com/in/ana-lima-example" in plain
    assert intro_for_sam["reply_to"]["email"].startswith("reply+")
    assert set(sent) == {SAM, ANA}
    # The second "yes" found the request closed: Ana is told, nobody is introduced twice.
    assert subjects.count("You're matched with Ana Lima!") == 1
    received = message_from_bytes(listing_mail.raw, policy=policy.default)
    assert received["Message-ID"] == listing["Message-ID"]
    bootstrap.install(None)
