"""Inbound through the worker: realistic replies stored, deduplicated, classified, routed, read,
decided and written to the outbox, against the standard library's parse of the same raw files.

Usage: .venv/bin/python benchmarks/worker.py [--scale 0.1] [--database sqlite|postgresql|both]
       [--rounds 3] [--profile FILE]      (``make bench`` runs both databases: benchmarks/run.py)

A program (the example's settings, no quiet hours) is seeded to where replies come in:
requests waiting on mentors, and pairs whose first check-in went out three days before their
pulse survey (a pair gets one question at a time) and the survey two hours before the replies
come, each email with its real reply token. The replies are what
people write back to those very emails (a mentor's yes or no; MET, NOT YET or HELP; a
rating from 1 to 5 with a word or two), in the shapes mail programs send (Gmail plain and
text+HTML, Outlook, Apple Mail, mobile), quoting the email they answer; one in thirty
arrives twice (deduplicated). Each
round starts from a copy of the seeded database and runs what the web hook and the worker
run: ``inbound.ingest`` (raw bytes stored first, deduplicated, the job queued) for every
delivery, then the worker's job function (``jobs.process_inbound``) for every queued job;
each reply decides something and writes its outbox rows (sending them is not counted; the
outbound benchmarks time that; jobs go to an in-process list, not Redis: scaling.py runs
real ``mentormail work`` processes on RQ). The baseline parses the same raw deliveries with
``email.message_from_bytes(policy=default)`` + ``get_body``. Rounds alternate; the best of
each counts. ``--profile FILE`` writes a cProfile of one round of the worker path.
"""

from __future__ import annotations

import argparse
import cProfile
import email
import email.policy
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from faults import ask, in_chunks, matched, participants_csv, people, program_file  # noqa: E402
from sqlalchemy import select, update  # noqa: E402

from mentormail.app import bootstrap, jobs  # noqa: E402
from mentormail.service import inbound, settling, surveys  # noqa: E402
from mentormail.service.adapters import FixedClock, SystemClock  # noqa: E402
from mentormail.service.context import PROCESS_JOB, Services  # noqa: E402
from mentormail.service.models import (  # noqa: E402
    Match,
    MatchClock,
    MentorshipRequest,
    OutboundMessage,
)

REPLIES = 2000
TARGET = 0.2  # the floor: through the worker / stdlib parse
SEEDED_AT = FixedClock(SystemClock().now() - timedelta(hours=2))
CHECKIN_BEFORE_PULSE = timedelta(days=3)  # more than the gap between a pair's questions
STYLES = ("gmail", "gmail_html", "outlook", "apple", "mobile")
ANSWERS = {
    "request_to_mentor": (
        "Yes, happy to!",
        "Yes I'd love to mentor them",
        "Sorry, I can't this year",
    ),
    "checkin": (
        "MET",
        "Met last week, it went well",
        "Not yet",
        "HELP - we keep missing each other",
    ),
    "survey": ("5", "4 - going well", "5, very helpful so far", "3", "2"),
}


# --- the program, seeded to where replies come in ------------------------------------------


def services_on(url: str, folder: Path, clock: Any = None) -> Services:
    """Services on the database at ``url``: the machine's clock (or the one given), jobs kept
    in a list."""
    from tests.fakes import RecordingQueue
    from tests.harness import make_services

    services = make_services(url, folder, queue=RecordingQueue())
    return replace(services, clock=clock or SystemClock())


def seed(services: Services, replies: int, folder: Path) -> None:
    """The program and people; requests waiting (two fifths of the replies answer one) and
    pairs with a check-in and, three days later (one question at a time), a pulse survey sent
    (both of each pair answer both), two hours before the replies come (people are not
    answering machines)."""
    from mentormail.service.programs import import_participants, load_program, read_program_file

    pairs = max(1, replies * 3 // 20)
    asked = max(1, replies - 4 * pairs)
    with services.unit_of_work() as session:
        program = load_program(session, read_program_file(program_file(folder)))
        csv_text = participants_csv(folder, asked // 2 + pairs + 2, asked + pairs + 2).read_text()
        import_participants(session, program, csv_text)
    quiet = replace(services, queue=_Nowhere())
    mentors, mentees = people(services, "mentor"), people(services, "mentee")
    in_chunks(quiet, asked, lambda uow, i: ask(uow, mentees[i], mentors[i // 2], f"w-ask:{i}"))
    first = (asked + 1) // 2
    earlier = replace(quiet, clock=FixedClock(services.now() - CHECKIN_BEFORE_PULSE))
    checkins = in_chunks(
        earlier, pairs, lambda uow, n: matched(uow, mentees[asked + n], mentors[first + n], n)
    )
    with services.unit() as uow:
        uow.session.execute(update(MatchClock).values(pulse_due_at=uow.now - timedelta(seconds=1)))
    match_ids = first_matches(services, len(checkins))
    in_chunks(quiet, len(match_ids), lambda uow, n: _pulse(uow, match_ids[n]))


class _Nowhere:
    """A queue that drops jobs (the seeding's own mail is never sent)."""

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Nothing to do."""


def first_matches(services: Services, count: int) -> list[int]:
    """The ids of the first ``count`` matches."""
    with services.sessions() as session:
        return list(session.scalars(select(Match.id).order_by(Match.id).limit(count)))


def _pulse(uow: Any, match_id: int) -> int:
    """Send one pair's pulse survey."""
    surveys.send_pulse(uow, match_id)
    return match_id


def written(services: Services) -> list[bytes]:
    """A reply to every request, check-in and survey email, in a mail program's shape; one
    in thirty delivered twice."""
    rng = random.Random(11)
    with services.sessions() as session:
        rows = session.scalars(
            select(OutboundMessage)
            .outerjoin(MentorshipRequest, MentorshipRequest.id == OutboundMessage.request_id)
            .where(
                OutboundMessage.template.in_(tuple(ANSWERS)),
                (OutboundMessage.template != "request_to_mentor")
                | (MentorshipRequest.state == "pending"),  # not the pairs' own requests
            )
            .order_by(OutboundMessage.id)
        ).all()
        found = [
            reply(n, row, rng.choice(ANSWERS[row.template]), STYLES[n % len(STYLES)])
            for n, row in enumerate(rows)
        ]
    rng.shuffle(found)
    deliveries = []
    for n, raw in enumerate(found):
        deliveries.append(raw)
        if n % 30 == 7:
            deliveries.append(raw)
    return deliveries


def reply(number: int, row: OutboundMessage, text: str, style: str) -> bytes:
    """A reply above the quoted email, to its reply address, as one mail program writes it."""
    domain = row.to_addr.rsplit("@", 1)[1]
    headers = [
        f"From: {row.to_name or ''} <{row.to_addr}>",
        f"To: {row.reply_to}",
        f"Subject: Re: {row.subject}",
        f"Date: {format_datetime(datetime.now(UTC))}",
        f"Message-ID: <worker-{number}.{random.Random(number).getrandbits(40):x}@{domain}>",
        f"In-Reply-To: {row.message_id}",
        f"References: {row.message_id}",
        "MIME-Version: 1.0",
    ]
    program = "Alumni Mentor Program <mentors@example.edu>"
    quoted = "\n".join(f"> {line}" if line else ">" for line in row.text.splitlines())
    if style == "outlook":
        body = (
            f"{text}\n\nBest,\n{row.to_name}\n\n"
            f"________________________________\nFrom: {program}\n"
            f"Sent: Wednesday, December 2, 2026 9:00 AM\nTo: {row.to_name} <{row.to_addr}>\n"
            f"Subject: {row.subject}\n\n{row.text}"
        )
        return _plain(headers, body, "quoted-printable")
    if style == "apple":
        body = f"{text}\n\n> On 2 Dec 2026, at 09:00, {program} wrote:\n> \n{quoted}\n"
        return _plain(headers, body, "8bit")
    if style == "mobile":
        said = f"> On Dec 2, 2026, at 9:00 AM, {program} wrote:"
        body = f"{text}\n\nSent from my iPhone\n\n{said}\n{quoted}\n"
        return _plain(headers, body, "8bit")
    intro = f"On Wed, Dec 2, 2026 at 9:00 AM {program} wrote:"
    body = f"{text}\n\n{intro}\n\n{quoted}\n"
    if style == "gmail":
        return _plain(headers, body, "8bit")
    html = (
        f'<div dir="ltr">{text}</div><br><div class="gmail_quote"><div dir="ltr" '
        f'class="gmail_attr">{intro}<br></div><blockquote class="gmail_quote" style="margin:0px '
        f'0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
        f"{row.html}</blockquote></div>"
    )
    return _alternative(headers, body, html)


def _plain(headers: list[str], body: str, encoding: str) -> bytes:
    """A text/plain message."""
    from email.message import EmailMessage

    msg = EmailMessage(policy=email.policy.SMTP)
    for line in headers:
        name, _, value = line.partition(": ")
        msg[name] = value
    msg.set_content(body, cte=encoding)
    return msg.as_bytes()


def _alternative(headers: list[str], text: str, html: str) -> bytes:
    """A multipart/alternative message (text and HTML), as Gmail sends a reply."""
    from email.message import EmailMessage

    msg = EmailMessage(policy=email.policy.SMTP)
    for line in headers:
        name, _, value = line.partition(": ")
        msg[name] = value
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    return msg.as_bytes()


# --- the two sides -------------------------------------------------------------------------


def stdlib_parse(deliveries: list[bytes]) -> None:
    """The baseline: the standard library's parse and body choice of every delivery."""
    for raw in deliveries:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        msg.get_body(preferencelist=("plain", "html"))


def through_the_worker(services: Services, deliveries: list[bytes]) -> dict[str, int]:
    """Store every delivery as the web hook does, then run each queued job as a worker does;
    the statuses the jobs returned."""
    queue = services.queue
    for raw in deliveries:
        inbound.ingest(services, raw, "webhook")
    statuses: dict[str, int] = {}
    for _, func_path, args in list(queue.jobs):  # type: ignore[attr-defined]
        if func_path == PROCESS_JOB:
            status = jobs.process_inbound(int(args[0]))
            statuses[status] = statuses.get(status, 0) + 1
            settling.settle_after(func_path)  # as `mentormail work` does after a job
    return statuses


@dataclass
class Seeded:
    """A seeded database to copy for each round, and the deliveries for it."""

    kind: str
    template: str  # a SQLite file, or a PostgreSQL template database's name
    deliveries: list[bytes]
    folder: Path
    server: Any = None

    def fresh(self) -> Services:
        """Services on a new copy of the seeded database."""
        copy = tempfile.mkdtemp(dir=self.folder)
        if self.kind == "sqlite":
            target = Path(copy) / "round.db"
            shutil.copyfile(self.template, target)
            url = f"sqlite:///{target}"
        else:
            name = f"round_{Path(copy).name.lower().replace('-', '_')}"
            import psycopg

            with psycopg.connect(self.server.dsn(), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            url = self.server.url(name)
        services = services_on(url, Path(copy))
        bootstrap.install(services)
        return services


def seeded(kind: str, replies: int, folder: Path) -> Seeded:
    """Seed a database of that kind once; the replies to its emails."""
    if kind == "sqlite":
        path = folder / "seeded.db"
        services = services_on(f"sqlite:///{path}", folder, SEEDED_AT)
        seed(services, replies, folder)
        deliveries = written(services)
        services.sessions.kw["bind"].dispose()
        return Seeded(kind, str(path), deliveries, folder)
    from tests.servers.postgres_server import start_postgres

    server = start_postgres()
    name = server.create_database()
    services = services_on(server.url(name), folder, SEEDED_AT)
    seed(services, replies, folder)
    deliveries = written(services)
    services.sessions.kw["bind"].dispose()
    return Seeded(kind, name, deliveries, folder, server)


def measured(kind: str, replies: int, rounds: int, profile: str | None = None) -> dict[str, Any]:
    """Seed, warm up, then alternate rounds of the baseline and the worker path."""
    folder = Path(tempfile.mkdtemp(prefix=f"mm-worker-{kind}-"))
    began = time.perf_counter()
    base = seeded(kind, replies, folder)
    seeding = time.perf_counter() - began
    try:
        warm = base.fresh()  # templates compiled, the reader's model fitted, as a worker does once
        through_the_worker(warm, base.deliveries[:50])
        stdlib_parse(base.deliveries)
        best = {"stdlib": float("inf"), "worker": float("inf")}
        statuses: dict[str, int] = {}
        for _ in range(rounds):
            start = time.perf_counter()
            stdlib_parse(base.deliveries)
            best["stdlib"] = min(best["stdlib"], time.perf_counter() - start)
            services = base.fresh()
            start, cpu = time.perf_counter(), time.process_time()
            statuses = through_the_worker(services, base.deliveries)
            best["worker"] = min(best["worker"], time.perf_counter() - start)
            best["cpu"] = min(best.get("cpu", float("inf")), time.process_time() - cpu)
            outbox = _count(services, OutboundMessage)
        if profile:
            services = base.fresh()
            profiler = cProfile.Profile()
            profiler.runcall(through_the_worker, services, base.deliveries)
            profiler.dump_stats(profile)
    finally:
        if base.server is not None:
            base.server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    n = len(base.deliveries)
    return {
        "deliveries": n,
        "stdlib": n / best["stdlib"],
        "worker": n / best["worker"],
        "cpu_ms": 1000 * best["cpu"] / n,
        "wall_ms": 1000 * best["worker"] / n,
        "statuses": statuses,
        "outbox": outbox,
        "seeding": seeding,
    }


def _count(services: Services, model: Any) -> int:
    """Rows of a table."""
    from sqlalchemy import func

    with services.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """The runner's rows, SQLite (3 rounds) and PostgreSQL (2): the worker path's rate as a
    ratio to the stdlib parse of the same deliveries (with the load average at the start)."""
    rows = []
    for kind, rounds in (("sqlite", 3), ("postgresql", 2)):
        load = os.getloadavg()[0]
        found = measured(kind, max(100, round(REPLIES * scale)), rounds)
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        rows.append(
            {
                "what": f"inbound through the worker ({name}), {found['deliveries']:,} replies"
                f" (store, route, read, decide, outbox; load {load:.1f})",
                "ours": f"{found['worker']:,.0f} msg/s ({found['cpu_ms']:.1f} ms CPU a reply)",
                "baseline": f"stdlib parse {found['stdlib']:,.0f} msg/s",
                "ratio": f"{found['worker'] / found['stdlib']:.3f}",
                "target": f">= {TARGET}",
            }
        )
    return rows


def main() -> None:
    """Run on the databases asked for and print the rates, the ratio and what the jobs did."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="0.1 for a quick run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--profile", help="write a cProfile of one worker round here")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    for kind in kinds:
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}", flush=True)
        found = measured(kind, max(100, round(REPLIES * args.scale)), args.rounds, args.profile)
        print(
            f"{kind}: {found['deliveries']} deliveries (seeded in {found['seeding']:.0f} s),"
            f" best of {args.rounds}\n"
            f"  stdlib message_from_bytes + get_body: {found['stdlib']:8.0f} msg/s\n"
            f"  through the worker:                   {found['worker']:8.0f} msg/s"
            f" ({found['wall_ms']:.1f} ms a reply, {found['cpu_ms']:.1f} ms of it CPU)\n"
            f"  ratio: {found['worker'] / found['stdlib']:.3f} (target >= {TARGET})\n"
            f"  jobs: {found['statuses']}; outbox rows after: {found['outbox']}",
            flush=True,
        )
        print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
