"""Forged mail of several shapes through the real doors: the SendGrid webhook over HTTP, a
real RQ worker on a real Redis, mail out over real SMTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from mentormail.service.adapters import RqQueue
from mentormail.service.config import Config
from mentormail.service.db import upgrade
from mentormail.service.models import Participant, Suppression
from mentormail.service.programs import import_participants, load_program, read_program_file
from tests.e2e.conftest import WebServer
from tests.e2e.test_email_loop import (
    SECRET,
    drain,
    mentee_email,
    post_to_inbound_webhook,
    prefixed,
    reply,
    services_with,
)
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, email
from tests.security.bounces import report

pytestmark = pytest.mark.e2e

SAM = "sam.rivera@student.example.edu"
ANA = "ana.lima@alumni.example.edu"


def mail_to(smtp_server: Any, address: str) -> list[EmailMessage]:
    """What the SMTP server received for one address."""
    return [m.message for m in smtp_server.messages if list(m.rcpt_tos) == [address]]


def test_forged_mail_changes_nothing_through_the_real_doors(
    database_url: str,
    tmp_path: Path,
    fresh_redis_url: str,
    smtp_server: Any,
    web_server: WebServer,
) -> None:
    upgrade(database_url)
    settings = {
        "DATA_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "REDIS_URL": fresh_redis_url,
        "BASE_URL": web_server.url,
        "INBOUND_SECRET": SECRET,
        "TRANSPORT": "smtp",
        "SMTP_HOST": smtp_server.host,
        "SMTP_PORT": str(smtp_server.port),
    }
    services = services_with(Config.from_env(prefixed(settings)), RqQueue(fresh_redis_url))
    with services.unit_of_work() as session:
        program = load_program(session, read_program_file(EXAMPLES / "program.yaml"))
        import_participants(session, program, (EXAMPLES / "participants.csv").read_text())
    web_server.serve(create_app(services))
    url = web_server.url

    post_to_inbound_webhook(url, mentee_email())
    drain(services)
    [listing] = mail_to(smtp_server, SAM)
    post_to_inbound_webhook(url, reply(listing, SAM, "1"))
    drain(services)
    [request_mail] = mail_to(smtp_server, ANA)

    # A forwarded request answered from an address that hides another.
    forged_yes = reply(request_mail, f"{ANA} <attacker@evil.example>", "Yes, happy to!")
    post_to_inbound_webhook(url, forged_yes)
    # Delivery reports that merely name Ana, three times.
    for n in range(3):
        post_to_inbound_webhook(url, report(PROGRAM_ADDRESS, ANA, n=n))
    # A plain "pause" in Ana's name, not a reply.
    post_to_inbound_webhook(url, email(f"Ana Lima <{ANA}>", PROGRAM_ADDRESS, "pause"))
    drain(services)

    with services.sessions() as session:
        ana = session.query(Participant).filter_by(email=ANA).one()
        assert (ana.availability, ana.status) == ("available", "active")
        assert session.query(Suppression).count() == 0
    subjects = [str(m["Subject"]) for m in mail_to(smtp_server, ANA)]
    assert len(subjects) == 2 and subjects[1].endswith("Please confirm: pause new requests")
    assert not any("matched" in str(m["Subject"]) for m in mail_to(smtp_server, SAM))
    assert not [m for m in smtp_server.messages if "evil.example" in str(m.rcpt_tos)]
    bootstrap.install(None)
