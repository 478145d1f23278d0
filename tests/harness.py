"""A program in a box for tests: real database, given queue/clock/mailer, and helpers to
send mail in, read what went out, and click links as a person would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mentormail.app import bootstrap
from mentormail.service import inbound, links, sending
from mentormail.service.config import Config
from mentormail.service.context import ANNOUNCE_JOB, PROCESS_JOB, SEND_JOB, Services
from mentormail.service.db import make_engine, make_sessionmaker, upgrade
from mentormail.service.models import OutboundMessage, Participant
from mentormail.service.programs import import_participants, load_program, read_program_file
from tests.fakes import FakeClock, FakeMailer, RecordingQueue

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROGRAM_ADDRESS = "mentors@example.edu"


def make_services(
    database_url: str,
    tmp_path: Path,
    *,
    queue: Any = None,
    clock: Any = None,
    mailer: Any = None,
    **config_overrides: Any,
) -> Services:
    """Services on a migrated database; fakes unless real adapters are passed in."""
    upgrade(database_url)
    config = Config.from_env(
        {"MENTORMAIL_DATA_DIR": str(tmp_path / "var")},
        database_url=database_url,
        **config_overrides,
    )
    fake_mailer = mailer or FakeMailer()
    return Services(
        config=config,
        sessions=make_sessionmaker(make_engine(database_url)),
        queue=queue or RecordingQueue(),
        clock=clock or FakeClock(),
        mailer_factory=lambda: fake_mailer,
    )


@dataclass
class Program:
    """The example program with its six people, driven through the service's own doors."""

    services: Services
    handled: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, services: Services, csv_text: str | None = None) -> Program:
        """Load examples/program.yaml and its participants (or the given CSV)."""
        bootstrap.install(services)
        with services.unit_of_work() as session:
            program = load_program(session, read_program_file(EXAMPLES / "program.yaml"))
            text = csv_text or (EXAMPLES / "participants.csv").read_text()
            report = import_participants(session, program, text)
            assert not report.errors, report.errors
        return cls(services)

    # --- doors ---------------------------------------------------------------------------

    def deliver(self, raw: bytes, source: str = "drop") -> int:
        """Mail arrives: store it and run the queued work, as a worker would."""
        result = inbound.ingest(self.services, raw, source)
        self.work()
        return result.inbound_id

    def work(self) -> None:
        """Drain the fake queue (processing, then sending)."""
        queue = self.services.queue
        assert isinstance(queue, RecordingQueue)
        queue.drain(self._run)

    def _run(self, func_path: str, args: tuple[int | str, ...]) -> None:
        """Run one job by name, the way RQ would import and call it."""
        item_id = int(args[0])
        if func_path == PROCESS_JOB:
            self.handled.append(inbound.process(self.services, item_id))
        elif func_path == SEND_JOB:
            sending.send(self.services, item_id)
        elif func_path == ANNOUNCE_JOB:
            sending.send_batch(self.services, item_id)
        else:
            raise AssertionError(f"unexpected job {func_path}")

    def get(self, url: str) -> links.LinkPage:
        """Open a one-time link (what a mail scanner does too)."""
        return links.describe(self.services, token_of(url))

    def post(self, url: str) -> links.LinkPage:
        """Press the button on a link page."""
        page = links.act(self.services, token_of(url))
        self.work()
        return page

    # --- what went out -------------------------------------------------------------------

    def outbox(self, to: str | None = None, template: str | None = None) -> list[OutboundMessage]:
        """Outbox rows, oldest first, optionally to one address and/or of one template."""
        with self.services.sessions() as session:
            query = select(OutboundMessage).order_by(OutboundMessage.id)
            if to:
                query = query.where(OutboundMessage.to_addr == to)
            if template:
                query = query.where(OutboundMessage.template == template)
            return list(session.scalars(query))

    def last_to(self, address: str) -> OutboundMessage:
        """The newest message to an address."""
        rows = self.outbox(to=address)
        assert rows, f"nothing was sent to {address}"
        return rows[-1]

    def person(self, email: str) -> Participant:
        """A participant by address."""
        with self.services.sessions() as session:
            found = session.scalar(select(Participant).where(Participant.email == email))
            assert found is not None
            return found

    def snapshot(self) -> dict[str, Any]:
        """Counts of everything that matters, to show that nothing else changed."""
        from mentormail.service import models as m

        with self.services.sessions() as session:
            return {
                "requests": [
                    (r.id, r.state)
                    for r in session.scalars(
                        select(m.MentorshipRequest).order_by(m.MentorshipRequest.id)
                    )
                ],
                "matches": len(session.scalars(select(m.Match)).all()),
                "outbox": len(session.scalars(select(m.OutboundMessage)).all()),
                "availability": sorted(
                    (p.email, p.availability, p.status)
                    for p in session.scalars(select(m.Participant))
                ),
            }


def token_of(url: str) -> str:
    """The token part of a one-time link URL."""
    match = re.search(r"/a/([A-Za-z0-9_\-]+)$", url)
    assert match, url
    return match.group(1)


def email(
    sender: str,
    to: str,
    body: str,
    *,
    subject: str = "Re: mentormail",
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain human email as raw bytes."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">"))
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def reply_to(row: OutboundMessage, sender: str, text: str, quote: bool = True) -> bytes:
    """A person's reply to one of our emails, Gmail style: new text above the quote."""
    quoted = "\n".join(f"> {line}" for line in row.text.splitlines()) if quote else ""
    attribution = f"On Thu, 1 Oct 2026 at 09:00, Alumni Mentor Program <{PROGRAM_ADDRESS}> wrote:"
    body = f"{text}\n\n{attribution}\n{quoted}\n"
    return email(
        sender, row.reply_to, body, subject=f"Re: {row.subject}", in_reply_to=row.message_id
    )
