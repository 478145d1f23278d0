"""The same mail by three doors is one message even without a Message-ID; another mail that
reuses a Message-ID is kept; List-Unsubscribe's mailto: (subject "unsubscribe", no body)
unsubscribes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from mentormail.app.web import create_app
from mentormail.service import inbound
from mentormail.service.models import InboundMessage
from tests.harness import PROGRAM_ADDRESS, Program, make_services
from tests.service.steps import ANA, SAM, ask

pytestmark = pytest.mark.integration

WITHOUT_ID = (
    f"From: Sam Rivera <{SAM}>\r\nTo: {PROGRAM_ADDRESS}\r\nSubject: mentor?\r\n"
    "Date: Thu, 01 Oct 2026 09:00:00 +0000\r\n\r\nA mentor in data science please.\r\n"
)


def stored(program: Program) -> list[InboundMessage]:
    """Every stored inbound row."""
    with program.services.sessions() as session:
        return list(session.scalars(select(InboundMessage)))


def test_one_mail_without_a_message_id_by_three_doors_is_answered_once(
    database_url: str, tmp_path: Path
) -> None:
    services = make_services(database_url, tmp_path, inbound_secret="s")
    program = Program.start(services)
    try:
        by_imap = "Received: from mx1 by imap.example.edu; Thu, 1 Oct 2026\r\n" + WITHOUT_ID
        by_webhook = "Received: from mx.sendgrid.net\r\n" + WITHOUT_ID
        by_drop = WITHOUT_ID.replace("\r\n", "\n")
        program.deliver(by_imap.encode(), "imap")
        boundary = uuid.uuid4().hex
        form = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n'
            f"{by_webhook}\r\n--{boundary}--\r\n"
        ).encode()
        create_app(services).test_client().post(
            "/webhooks/sendgrid/inbound",
            data=form,
            content_type=f"multipart/form-data; boundary={boundary}",
            auth=("sendgrid", "s"),
        )
        drop = tmp_path / "sam.eml"
        drop.write_bytes(by_drop.encode())
        bootstrap.install(services)
        CliRunner().invoke(cli, ["ingest", str(drop)])
        program.work()

        assert len(stored(program)) == 1
        assert [r.template for r in program.outbox(to=SAM)] == ["mentor_list"]
    finally:
        bootstrap.install(None)


def test_a_different_mail_reusing_a_message_id_is_kept(program: Program) -> None:
    first = "Message-ID: <same@x.example>\r\n" + WITHOUT_ID
    other = first.replace("data science", "nursing")
    a = inbound.ingest(program.services, first.encode(), "drop")
    b = inbound.ingest(program.services, other.encode(), "drop")
    again = inbound.ingest(program.services, first.encode(), "imap")
    assert not a.duplicate and not b.duplicate and a.inbound_id != b.inbound_id
    assert again.duplicate and again.inbound_id == a.inbound_id


def test_the_mailto_unsubscribe_unsubscribes(program: Program) -> None:
    request = ask(program, SAM)
    mailto = request.headers["List-Unsubscribe"].split(",")[1].strip(" <>")
    address, _, query = mailto.removeprefix("mailto:").partition("?")
    assert query == "subject=unsubscribe"
    raw = (
        f"From: {ANA}\r\nTo: {address}\r\nSubject: unsubscribe\r\n"
        f"Message-ID: <{uuid.uuid4()}@alumni.example.edu>\r\n\r\n"
    ).encode()

    program.deliver(raw)

    assert (ANA, "available", "left") in program.snapshot()["availability"]
    assert program.last_to(ANA).template == "left_program"
