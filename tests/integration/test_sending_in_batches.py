"""Sending at speed stays exactly-once: a backlog re-queued by five sweeps is one RQ job per
batch and every row is sent once; two workers on one batch send each row once; one SMTP
session carries many messages and is opened again when it drops; a row sent again after a
lost record is recognisably the same message (Message-ID, Date, SendGrid custom_args)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import func, insert, select, update

from mentormail.app import bootstrap
from mentormail.service import sending, sweep, verp
from mentormail.service.adapters import RqQueue
from mentormail.service.context import Services
from mentormail.service.models import OutboundMessage
from mentormail.service.rq_worker import PromptWorker
from mentormail.service.transports.sendgrid import SendGridMailer
from mentormail.service.transports.smtp import SmtpMailer
from tests.fakes import FakeClock, FakeMailer
from tests.harness import PROGRAM_ADDRESS, Program, email, make_services
from tests.servers.sendgrid_api import SendGridApi
from tests.servers.smtp_server import SmtpServer

pytestmark = pytest.mark.integration


@pytest.fixture
def program(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program after Sam's search, on SQLite and PostgreSQL."""
    services = make_services(database_url, tmp_path, clock=FakeClock())
    program = Program.start(services)
    program.deliver(email("sam.rivera@student.example.edu", PROGRAM_ADDRESS, "data science"))
    yield program
    bootstrap.install(None)


def backlog(services: Services, count: int) -> list[int]:
    """``count`` pending copies of the newest row (each its own key and Message-ID)."""
    with services.sessions() as session, session.begin():
        row = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id.desc())).first()
        assert row is not None
        template = {c.key: getattr(row, c.key) for c in OutboundMessage.__table__.columns}
        del template["id"]
        values = [
            {**template, "status": "pending", "attempts": 0, "idempotency_key": f"b:{n}",
             "message_id": f"<b.{n}@example.edu>", "created_at": services.now()}
            for n in range(count)
        ]  # fmt: skip
        session.execute(insert(OutboundMessage), values)
    with services.sessions() as session:
        return list(
            session.scalars(
                select(OutboundMessage.id)
                .where(OutboundMessage.idempotency_key.like("b:%"))
                .order_by(OutboundMessage.id)
            )
        )


def test_five_sweeps_over_a_backlog_queue_one_job_per_batch_and_send_each_row_once(
    program: Program, fresh_redis_url: str
) -> None:
    mailer = FakeMailer()
    services = replace(
        program.services, queue=RqQueue(fresh_redis_url), mailer_factory=lambda: mailer,
        _mailer=None,
    )  # fmt: skip
    bootstrap.install(services)
    ids = backlog(services, 300)
    clock = services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(minutes=5)  # the jobs were lost: the sweep re-queues pending rows
    for _ in range(5):
        sweep.sweep(services)
    connection = Redis.from_url(fresh_redis_url)
    batches = {sending.batch_of(i) for i in ids}
    assert Queue("outbound", connection=connection).count == len(batches) <= 4
    PromptWorker(["outbound"], connection=connection).work(burst=True)
    sent = [e.message_id for e in mailer.sent]
    assert len(sent) == len(set(sent))
    with services.sessions() as session:
        statuses = dict(
            session.execute(
                select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)
            ).all()
        )
    assert list(statuses) == ["sent"]  # every row, the backlog and what came before
    assert len(sent) == 300 and set(sent) == {f"<b.{n}@example.edu>" for n in range(300)}


def test_two_workers_on_one_batch_send_each_row_once(program: Program) -> None:
    services = program.services
    ids = backlog(services, 120)
    mailer = FakeMailer()
    workers = [replace(services, mailer_factory=lambda: mailer, _mailer=None) for _ in range(2)]
    threads = [threading.Thread(target=sending.send_rows, args=(w, list(ids))) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [e.message_id for e in mailer.sent]
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 120


def test_one_smtp_session_carries_many_messages_and_reopens_when_it_drops(
    program: Program, smtp_server: SmtpServer
) -> None:
    mailer = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10)
    services = replace(program.services, mailer_factory=lambda: mailer, _mailer=None)
    ids = backlog(services, 30)
    assert sending.send_rows(services, ids[:20]).counts() == {"sent": 20}
    assert mailer._smtp is not None
    mailer._smtp.sock.shutdown(socket.SHUT_RDWR)  # the connection went away while idle
    assert sending.send_rows(services, ids[20:]).counts() == {"sent": 10}
    peers = [m.peer for m in smtp_server.messages]
    assert len(peers) == 30 and len(set(peers[:20])) == 1 and len(set(peers)) == 2
    mailer.close()


def lose_the_record(services: Services, outbound_id: int) -> None:
    """What a worker killed after the send and before its record leaves: the sweep takes
    the row back as a retry once its lease ends."""
    with services.sessions() as session, session.begin():
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == outbound_id)
            .values(status="retry", next_attempt_at=None)
        )


def test_a_row_sent_again_after_a_lost_record_is_recognisably_the_same_message(
    program: Program, smtp_server: SmtpServer, sendgrid_api: SendGridApi
) -> None:
    smtp = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10)
    via_smtp = replace(program.services, mailer_factory=lambda: smtp, _mailer=None)
    [row_id] = backlog(via_smtp, 1)
    for _ in range(2):
        assert sending.send(via_smtp, row_id) == "sent"
        program.services.clock.advance(minutes=3)  # type: ignore[attr-defined]
        lose_the_record(via_smtp, row_id)
    first, second = (m.message for m in smtp_server.messages)
    for header in ("Message-ID", "Date", "Subject", "To"):
        assert first[header] == second[header], header
    smtp.close()

    api = SendGridMailer(sendgrid_api.api_key, host=sendgrid_api.url)
    via_api = replace(program.services, mailer_factory=lambda: api, _mailer=None)
    for _ in range(2):
        assert sending.send(via_api, row_id) == "sent"
        lose_the_record(via_api, row_id)
    one, two = (r.body for r in sendgrid_api.requests)
    assert one["custom_args"] == two["custom_args"] == {
        "outbox_id": str(row_id), "idempotency_key": "b:0",
    }  # fmt: skip
    assert one["headers"]["Message-ID"] == two["headers"]["Message-ID"] == "<b.0@example.edu>"


class _SlowMailer(FakeMailer):
    """A relay that takes 40 seconds of the fake clock per message."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock

    def send(self, email: Any) -> str:
        self.clock.advance(seconds=40)
        return super().send(email)


def test_rows_not_started_within_a_minute_of_their_claim_are_handed_back(
    program: Program,
) -> None:
    clock = program.services.clock
    assert isinstance(clock, FakeClock)
    mailer = _SlowMailer(clock)
    services = replace(program.services, mailer_factory=lambda: mailer, _mailer=None)
    ids = backlog(services, 5)
    report = sending.send_rows(services, ids)
    assert report.counts() == {"sent": 2, "handed back": 3}
    with services.sessions() as session:
        back = session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids[2:])))
        assert {(r.status, r.attempts) for r in back} == {("retry", 0)}
    assert sending.START_WITHIN + timedelta(seconds=40) < sending.SEND_LEASE


def test_each_message_goes_out_with_its_own_signed_bounce_address_which_names_its_row(
    program: Program, smtp_server: SmtpServer
) -> None:
    mailer = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10)
    services = replace(program.services, mailer_factory=lambda: mailer, _mailer=None)
    ids = backlog(services, 2)
    assert sending.send_rows(services, ids).counts() == {"sent": 2}
    senders = [m.mail_from for m in smtp_server.messages]
    secret = services.config.secret_key
    assert [verp.outbox_id_in([s], secret) for s in senders] == ids  # each names its own row
    assert all(s.startswith("bounce+") and s.endswith("@example.edu") for s in senders)
    forged = senders[0].replace(f"bounce+{ids[0]}.", f"bounce+{ids[1]}.")
    assert verp.outbox_id_in([forged], secret) is None  # another row's number, the wrong seal
    mailer.close()
