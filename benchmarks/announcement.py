"""SendGrid API calls per 1,000 recipients of an announcement: ours against one per person.

Usage: .venv/bin/python benchmarks/announcement.py [--people N]

"mentormail" is `mentormail announce --send` to N mentees (10,000 at full size) on a
SQLite outbox, then the send jobs it queued (one per 1,000 rows, ``sending.send_batch``)
against the local SendGrid v3 endpoint of tests/servers, which checks each request as
SendGrid does (at most 1,000 personalizations). The baseline sends 1,000 of the same rows
again through the per-message path (a transport that can only ``send``): one request per
person, as announcements went before. Both count the requests the endpoint accepted and
time the sending. Target: at most 1 call per 1,000 recipients.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, update  # noqa: E402

from mentormail.service import announcements, sending  # noqa: E402
from mentormail.service.adapters import SystemClock  # noqa: E402
from mentormail.service.context import ANNOUNCE_JOB, Services  # noqa: E402
from mentormail.service.models import OutboundMessage, Participant, Program  # noqa: E402
from mentormail.service.ports import OutgoingEmail  # noqa: E402
from mentormail.service.transports.sendgrid import SendGridMailer  # noqa: E402
from mentormail.workflows.announcement import Audience  # noqa: E402

WORDS = announcements.Words(
    Audience.MENTEES,
    "Orientation evening, Thursday 12 March",
    "## Orientation evening\n\nJoin the other mentees on **Thursday 12 March** at 18:00 in "
    "the [Alumni Hall](https://alumni.example.edu/hall).\n\n- bring a question\n",
)


class OneByOne:
    """The SendGrid transport without its many-at-once call: one request per message."""

    def __init__(self, mailer: SendGridMailer) -> None:
        self.mailer = mailer

    def send(self, email: OutgoingEmail) -> str:
        """One request for one person."""
        return self.mailer.send(email)


def program_of(tmp: Path, people: int) -> Services:
    """The example program with mentees loaded in bulk, ``people`` of them in all."""
    from tests.harness import Program as Box
    from tests.harness import make_services

    services = make_services(f"sqlite:///{tmp / 'bench.db'}", tmp)
    Box.start(services)
    with services.sessions() as session, session.begin():
        program_id = session.scalar(select(Program.id))
        people -= len(
            session.scalars(select(Participant.id).where(Participant.role == "mentee")).all()
        )
        session.execute(
            insert(Participant),
            [
                {"program_id": program_id, "email": f"m{n}@student.example.edu",
                 "name": f"Mentee{n} Student", "role": "mentee", "interests": [],
                 "other_emails": [], "preferences": {}}
                for n in range(people)
            ],
        )  # fmt: skip
    return replace(services, clock=SystemClock())


def measure(people: int) -> dict[str, Any]:
    """Requests and rates of both sides."""
    from tests.servers.sendgrid_api import start_sendgrid_api

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    api = start_sendgrid_api()
    try:
        with tempfile.TemporaryDirectory() as folder:
            services = program_of(Path(folder), people)
            mailer = SendGridMailer(api.api_key, host=api.url)
            bulk = replace(services, mailer_factory=lambda: mailer, _mailer=None)
            began = time.perf_counter()
            summary = announcements.send(bulk, "alumni-2026", WORDS, "bench", lambda n: None)
            written = time.perf_counter() - began
            jobs = [args[0] for _, job, args in bulk.queue.jobs if job == ANNOUNCE_JOB]  # type: ignore[attr-defined]
            began = time.perf_counter()
            for first in jobs:
                sending.send_batch(bulk, int(first))
            ours_seconds, ours_calls = time.perf_counter() - began, len(api.requests)
            ids = _again(services, min(1000, summary.written))
            api.reset()
            single = replace(services, mailer_factory=lambda: OneByOne(mailer), _mailer=None)
            began = time.perf_counter()
            sending.send_rows(single, ids)
            base_seconds, base_calls = time.perf_counter() - began, len(api.requests)
    finally:
        api.stop()
    return {
        "people": summary.written,
        "write_seconds": written,
        "ours_calls": ours_calls,
        "ours_rate": summary.written / ours_seconds,
        "base_people": len(ids),
        "base_calls": base_calls,
        "base_rate": len(ids) / base_seconds,
    }


def _again(services: Services, count: int) -> list[int]:
    """The first ``count`` announcement rows, pending again."""
    with services.sessions() as session, session.begin():
        ids = list(
            session.scalars(
                select(OutboundMessage.id)
                .where(OutboundMessage.template == "announcement")
                .order_by(OutboundMessage.id)
                .limit(count)
            )
        )
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id.in_(ids))
            .values(status="pending", attempts=0)
        )
    return ids


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """The row of the `make bench` table."""
    found = measure(max(100, int(10_000 * scale)))
    ours = found["ours_calls"] * 1000 / found["people"]
    base = found["base_calls"] * 1000 / found["base_people"]
    return [
        {
            "what": f"announcement over SendGrid, API calls per 1,000 recipients "
            f"({found['people']:,} people)",
            "ours": f"{ours:.1f} calls ({found['ours_rate']:,.0f} recipients/s)",
            "baseline": f"{base:,.0f} calls, one per person ({found['base_rate']:,.0f} msg/s)",
            "ratio": f"{ours / base:.4f}",
            "target": "≤ 1 call per 1,000",
        }
    ]


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    found = measure(args.people)
    print(
        f"announcement to {found['people']:,} people: written in {found['write_seconds']:.1f} s; "
        f"{found['ours_calls']} SendGrid requests ({found['ours_rate']:,.0f} recipients/s); "
        f"one per person: {found['base_calls']} requests for {found['base_people']:,} "
        f"({found['base_rate']:,.0f} msg/s)"
    )


if __name__ == "__main__":
    main()
