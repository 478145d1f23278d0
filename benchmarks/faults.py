"""The soak (``make chaos``): replies of a loaded program through real processes while they fail.

Usage: .venv/bin/python benchmarks/faults.py [--minutes 10] [--replies 5000]
       [--database postgresql|sqlite|both] [--fault no-lease] [--json]

A program of mentors and mentees is loaded and brought to where replies come in: requests
waiting on mentors and check-ins waiting on pairs, each email with its real reply token.
Then, for ``--minutes``, the replies people would write to those emails (yes, no, MET,
NOT YET, HELP; a few delivered twice by two doors) arrive by the webhook's door
(``inbound.ingest``) and the drop folder, and two real ``mentormail work`` processes and a
``mentormail clock`` process them and send what they cause over real SMTP (aiosmtpd, which
counts deliveries by Message-ID) on real Redis and PostgreSQL (or SQLite), while Redis is
killed and restarted and workers are SIGKILLed at random (and started again within half a
second, as ``mentormail run`` does). Then the faults stop, everything drains, and the figures
are counted from the database and from what the SMTP server received, independently:

- lost: replies delivered but never stored or never processed; outbox rows neither sent nor
  shunted; rows recorded as sent that the SMTP server never received;
- sent twice: Message-IDs the SMTP server received more than once, and how many of those lie
  within the README's bound (a worker was killed between the two deliveries, the second came
  within the lease plus a sweep of that kill, at most ``FINISH_EVERY`` per kill);
- stuck: inbound rows "processing" and outbox rows "sending" after the drain;
- wrong actions: requests and check-ins whose final state is not what the reply said, and
  answers acted on twice (a "this request is already closed" email).

Targets: 0, 0 beyond the bound, 0, 0 (exit status 1 when one is missed). ``--fault no-lease``
starts the workers with both leases at zero, to show the counts can fail.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import select, update  # noqa: E402

from mentormail.app import bootstrap  # noqa: E402
from mentormail.app.jobs import Nowhere  # noqa: E402
from mentormail.service import checkins, held, inbound, requests, sending  # noqa: E402
from mentormail.service.config import Config  # noqa: E402
from mentormail.service.context import Services, Unit  # noqa: E402
from mentormail.service.models import (  # noqa: E402
    CheckIn,
    InboundMessage,
    Match,
    MatchClock,
    MentorshipRequest,
    OutboundMessage,
    Participant,
)
from mentormail.workflows import request  # noqa: E402
from tests.servers._proc import free_port  # noqa: E402
from tests.servers.redis_server import RedisServer, start_redis  # noqa: E402

MENTORMAIL = str(Path(sys.executable).with_name("mentormail"))
PROGRAM_ADDRESS = "mentors@example.edu"
SECRET = "soak-secret-key-not-the-default-0123456789"
# A worker with both leases at zero: what the figures look like when the claim is broken.
NO_LEASE_WORKER = """
import sys
from datetime import timedelta
from mentormail.service import inbound, sending
sending.SEND_LEASE = timedelta(0)
inbound.LEASE = timedelta(0)
from mentormail.app.cli import main
sys.argv = ["mentormail", "work"]
main()
"""
CHECKIN_ANSWERS = (("MET", "met", "MET", "met"), ("Not yet", "not_yet", "NOT YET", "not_yet"))
HELP = ("HELP - we keep missing each other, could someone help?", "help")
BOUND_AFTER_KILL = sending.SEND_LEASE + timedelta(seconds=90)  # lease, a sweep, a retry
# a message whose worker was killed mid-processing waits out its lease (inbound.LEASE)
DRAIN_EXTRA = timedelta(minutes=4)


# --- the SMTP server: deliveries by Message-ID ------------------------------------------------


class CountingSmtp:
    """aiosmtpd in a thread of this process (it is never killed): when each Message-ID came."""

    def __init__(self) -> None:
        """Start on a free loopback port."""
        self.port = free_port()
        self.deliveries: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """Count one delivery of its Message-ID."""
        headers = BytesHeaderParser().parsebytes(bytes(envelope.original_content or b""))
        message_id = " ".join(str(headers.get("Message-ID", "")).split())
        with self._lock:
            self.deliveries.setdefault(message_id, []).append(time.time())
        return "250 2.0.0 Message accepted for delivery"

    def snapshot(self) -> dict[str, list[float]]:
        """A copy of the deliveries so far."""
        with self._lock:
            return {k: list(v) for k, v in self.deliveries.items()}

    def stop(self) -> None:
        """Stop the server."""
        self._controller.stop()


# --- the program, loaded and waiting for replies ----------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A reply a person writes to one of our emails, and what it should do."""

    number: int
    raw: bytes
    message_id: str
    kind: str  # "request" or "checkin"
    target: int  # the request's or check-in's id
    role: str  # "mentor" or "mentee"
    expected: str  # the request's state, or the check-in answer, it should leave


def program_file(folder: Path) -> Path:
    """The example program, with no quiet hours (the soak runs at any hour)."""
    text = (ROOT / "examples" / "program.yaml").read_text()
    text = text.replace('quiet_hours: "21:00-08:00"', 'quiet_hours: ""')
    path = folder / "program.yaml"
    path.write_text(text)
    return path


def participants_csv(folder: Path, mentors: int, mentees: int) -> Path:
    """Made-up mentors (capacity 3) and mentees."""
    lines = ["email,name,role,profession,industry,major,interests,capacity,contact,bio"]
    for i in range(mentors):
        lines.append(
            f"mentor{i}@alumni.example.edu,Mentor{i} Lima,mentor,Data Scientist,Healthcare,"
            f'Statistics,public health,3,email,"Mentor {i} works with data in a hospital."'
        )
    for i in range(mentees):
        lines.append(
            f"mentee{i}@student.example.edu,Mentee{i} Rivera,mentee,,,Biology,"
            f'data science,,email,"Mentee {i} studies biology."'
        )
    path = folder / "participants.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def people(services: Services, role: str) -> list[int]:
    """Participant ids of one role, in id order."""
    with services.sessions() as session:
        return list(
            session.scalars(
                select(Participant.id).where(Participant.role == role).order_by(Participant.id)
            )
        )


def ask(uow: Unit, mentee_id: int, mentor_id: int, cause: str) -> int:
    """A mentee's request to a mentor, as choosing them from a list makes it."""
    mentee = uow.session.get_one(Participant, mentee_id)
    mentor = uow.session.get_one(Participant, mentor_id)
    made = requests.ask_mentor(uow, mentee, mentor, "I would love your advice.", cause)
    assert made is not None, (mentee.email, mentor.email)
    return made.id


def matched(uow: Unit, mentee_id: int, mentor_id: int, n: int) -> int:
    """A pair: asked, accepted, and its first check-in just sent; the check-in's id."""
    req_id = ask(uow, mentee_id, mentor_id, f"soak:{n}")
    req = uow.session.get_one(MentorshipRequest, req_id)
    requests.decide(uow, req, request.MentorAccepted(), f"soak-accept:{n}")
    pair = uow.session.scalar(select(Match).where(Match.request_id == req_id))
    assert pair is not None
    uow.session.execute(
        update(MatchClock)
        .where(MatchClock.match_id == pair.id)
        .values(next_checkin_at=uow.now - timedelta(seconds=1))
    )
    checkins.checkin_due(uow, pair.id)
    row = checkins.open_checkin(uow.session, pair.id)
    assert row is not None
    return row.id


def in_chunks(services: Services, count: int, step: Callable[[Unit, int], int]) -> list[int]:
    """``step`` for 0 … count-1, fifty to a transaction (the load is not what is measured)."""
    found: list[int] = []
    for start in range(0, count, 50):
        with services.unit() as uow:
            found += [step(uow, i) for i in range(start, min(count, start + 50))]
    return found


def load(services: Services, replies: int) -> tuple[list[int], list[int]]:
    """Requests waiting (three fifths of the replies answer one) and pairs whose first
    check-in has just gone out (two fifths: both of each pair answer); their ids."""
    pairs = max(1, replies // 5)
    asked = max(1, replies - 2 * pairs)
    mentors, mentees = people(services, "mentor"), people(services, "mentee")
    request_ids = in_chunks(
        services, asked, lambda uow, i: ask(uow, mentees[i], mentors[i // 2], f"soak-ask:{i}")
    )
    first = (asked + 1) // 2
    checkin_ids = in_chunks(
        services, pairs, lambda uow, n: matched(uow, mentees[asked + n], mentors[first + n], n)
    )
    return request_ids, checkin_ids


def written_replies(
    services: Services, request_ids: list[int], checkin_ids: list[int]
) -> list[Reply]:
    """What people answer: mentors yes (seven in ten) or no; pairs MET, NOT YET or HELP."""
    rng = random.Random(10)
    found: list[Reply] = []
    with services.sessions() as session:
        for req_id in request_ids:
            row = session.scalar(
                select(OutboundMessage).where(
                    OutboundMessage.request_id == req_id,
                    OutboundMessage.template == "request_to_mentor",
                )
            )
            assert row is not None
            yes = rng.random() < 0.7
            text = "Yes, happy to!" if yes else "Sorry, I can't this year"
            found.append(
                reply(
                    len(found),
                    row,
                    text,
                    "request",
                    req_id,
                    "mentor",
                    "accepted" if yes else "declined",
                )
            )
        for checkin_id in checkin_ids:
            check = session.get_one(CheckIn, checkin_id)
            pair = session.get_one(Match, check.match_id)
            mentor_said, mentor_means, mentee_said, mentee_means = rng.choice(CHECKIN_ANSWERS)
            if rng.random() < 0.1:
                mentee_said, mentee_means = HELP
            for role, person, said, means in (
                ("mentor", pair.mentor, mentor_said, mentor_means),
                ("mentee", pair.mentee, mentee_said, mentee_means),
            ):
                row = session.scalar(
                    select(OutboundMessage)
                    .where(
                        OutboundMessage.template == "checkin",
                        OutboundMessage.to_addr == person.email,
                    )
                    .order_by(OutboundMessage.id.desc())
                )
                assert row is not None
                found.append(reply(len(found), row, said, "checkin", checkin_id, role, means))
    rng.shuffle(found)
    return found


def reply(
    number: int, row: OutboundMessage, text: str, kind: str, target: int, role: str, means: str
) -> Reply:
    """A Gmail-style reply above the quoted email, to its reply address, with a Message-ID
    the soak knows it by."""
    message_id = f"<soak-{number}@{row.to_addr.rsplit('@', 1)[1]}>"
    quoted = "\n".join(f"> {line}" for line in row.text.splitlines())
    lines = [
        f"From: {row.to_name or ''} <{row.to_addr}>",
        f"To: {row.reply_to}",
        f"Subject: Re: {row.subject}",
        f"Date: {format_datetime(datetime.now(UTC))}",
        f"Message-ID: {message_id}",
        f"In-Reply-To: {row.message_id}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        text,
        "",
        f"On Wed, 2 Dec 2026 at 09:00, Alumni Mentor Program <{PROGRAM_ADDRESS}> wrote:",
        quoted,
        "",
    ]
    raw = "\r\n".join(lines).encode("utf-8")
    return Reply(number, raw, message_id, kind, target, role, means)


# --- the processes and the faults -------------------------------------------------------------


@dataclass
class Chaos:
    """Two workers and a clock, kept running as ``mentormail run`` keeps them; what was done
    to them and to Redis, and when."""

    env: dict[str, str]
    logs: Path
    redis: RedisServer
    fault: str
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    kills: list[float] = field(default_factory=list)
    redis_restarts: int = 0
    restarts: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self, name: str) -> None:
        """Start (or start again) one child, its output appended to its log."""
        if name.startswith("work") and self.fault == "no-lease":
            command = [sys.executable, "-c", NO_LEASE_WORKER]
        else:
            command = [sys.executable, "-m", "mentormail.app.cli", name.rstrip("12")]
        log = (self.logs / f"{name}.log").open("ab")
        self.children[name] = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )

    def supervise(self) -> None:
        """Every half second, start again a child that died (what ``mentormail run`` does)."""
        while not self._stop.wait(0.5):
            for name, child in list(self.children.items()):
                if child.poll() is not None:
                    self.restarts += 1
                    self.start(name)

    def faults(self, until: float, rng: random.Random) -> None:
        """SIGKILL a random worker every 5-25 s; kill Redis for 2-8 s every 40-90 s."""
        next_redis = time.time() + rng.uniform(20, 40)
        while not self._stop.wait(rng.uniform(5, 25)) and time.time() < until:
            victim = self.children[rng.choice(["work1", "work2"])]
            if victim.poll() is None:
                os.kill(victim.pid, signal.SIGKILL)
                self.kills.append(time.time())
            if time.time() >= next_redis and time.time() < until:
                self.redis.kill()
                time.sleep(rng.uniform(2, 8))
                self.redis.restart()
                self.redis_restarts += 1
                next_redis = time.time() + rng.uniform(40, 90)

    def stop(self) -> None:
        """Stop supervising, then stop every child politely."""
        self._stop.set()
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        for child in self.children.values():
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def deliver(services: Services, drop: Path, replies: list[Reply], seconds: float) -> int:
    """Every reply, evenly over ``seconds``: even ones by the webhook's door, odd ones into
    the drop folder; one in thirty again by the other door. A door that fails is tried
    again, as SendGrid retries a webhook; returns how many deliveries were made."""
    start, made = time.time(), 0
    for index, item in enumerate(replies):
        wait = start + seconds * index / max(1, len(replies)) - time.time()
        if wait > 0:
            time.sleep(wait)
        doors = ["webhook", "drop"] if item.number % 2 == 0 else ["drop", "webhook"]
        for door in doors[: 2 if item.number % 30 == 0 else 1]:
            if door == "drop":
                temporary = drop / f".{item.number}.tmp"
                temporary.write_bytes(item.raw)
                temporary.rename(drop / f"{item.number}-{door}-{made}.eml")
            else:
                ingest_until_stored(services, item.raw)
            made += 1
    return made


def ingest_until_stored(services: Services, raw: bytes) -> None:
    """The webhook's door: store the mail, trying again while the database says no."""
    for attempt in range(30):
        try:
            inbound.ingest(services, raw, "webhook")
            return
        except Exception as error:  # the sender retries a failed webhook
            print(f"  ingest failed ({type(error).__name__}), again", file=sys.stderr)
            time.sleep(min(5, 0.2 * 2**attempt))
    raise RuntimeError("the webhook door kept failing")


def drain(services: Services, limit: float) -> float:
    """Wait until no row is in a state that still needs work (or ``limit`` seconds pass);
    the seconds it took."""
    start, quiet_since = time.time(), None
    while time.time() - start < limit:
        if busy(services) == 0:
            quiet_since = quiet_since or time.time()
            if time.time() - quiet_since > 10:
                break
        else:
            quiet_since = None
        time.sleep(2)
    return time.time() - start


def busy(services: Services) -> int:
    """Rows some process still has to do something with."""
    with services.sessions() as session:
        waiting_in = session.scalars(
            select(InboundMessage.id).where(
                InboundMessage.status.in_(("received", "error", "processing"))
            )
        ).all()
        waiting_out = session.scalars(
            select(OutboundMessage.id).where(
                OutboundMessage.status.in_(("pending", "retry", "sending"))
            )
        ).all()
    return len(waiting_in) + len(waiting_out)


# --- the figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the soak counted, from the database and from the SMTP server."""

    database: str
    minutes: float
    replies: int
    deliveries: int
    worker_kills: int
    redis_restarts: int
    restarts: int
    drain_seconds: float
    outbox_rows: int
    smtp_messages: int
    lost_inbound: int
    lost_outbound: int
    sent_not_received: int
    sent_twice: int
    sent_twice_within_bound: int
    stuck: int
    wrong_actions: int
    answered_twice: int
    inbound_statuses: dict[str, int]
    outbox_statuses: dict[str, int]

    def passed(self) -> bool:
        """Whether every target was met."""
        beyond = self.sent_twice - self.sent_twice_within_bound
        lost = self.lost_inbound + self.lost_outbound + self.sent_not_received
        return lost == 0 and beyond == 0 and self.stuck == 0 and self.wrong_actions == 0

    def text(self) -> str:
        """The figures as a few lines."""
        beyond = self.sent_twice - self.sent_twice_within_bound
        return "\n".join(
            [
                f"soak on {self.database}: {self.replies} replies ({self.deliveries} deliveries)"
                f" over {self.minutes:g} min; {self.worker_kills} worker SIGKILLs,"
                f" {self.redis_restarts} Redis restarts, {self.restarts} restarts; drained in"
                f" {self.drain_seconds:.0f} s",
                f"  outbox rows {self.outbox_rows}, messages at the SMTP server"
                f" {self.smtp_messages}",
                f"  lost: {self.lost_inbound} inbound, {self.lost_outbound} outbound,"
                f" {self.sent_not_received} recorded sent but never received   (target 0)",
                f"  sent twice: {self.sent_twice} ({self.sent_twice_within_bound} within the"
                f" bound, {beyond} beyond)   (target 0 beyond the bound)",
                f"  stuck: {self.stuck}   (target 0)",
                f"  wrong actions: {self.wrong_actions} (of which answered twice"
                f" {self.answered_twice})   (target 0)",
                f"  inbound {self.inbound_statuses}; outbox {self.outbox_statuses}",
                "  " + ("PASS" if self.passed() else "FAIL"),
            ]
        )


def stored_by_message_id(services: Services) -> dict[str, list[str]]:
    """Statuses of the stored inbound rows by the Message-ID in their dedupe key."""
    found: dict[str, list[str]] = {}
    with services.sessions() as session:
        for key, status in session.execute(
            select(InboundMessage.dedupe_key, InboundMessage.status)
        ):
            if key.startswith("mid:"):
                found.setdefault(held.message_id_of(key), []).append(status)
    return found


def wrong_actions(services: Services, replies: list[Reply]) -> tuple[int, int]:
    """Replies whose request or check-in is not left as the reply said, and answers acted on
    twice (a second match for one request, an "already closed" email)."""
    wrong = 0
    with services.sessions() as session:
        for item in replies:
            if item.kind == "request":
                state = session.get_one(MentorshipRequest, item.target).state
                matches = session.scalars(select(Match.id).where(Match.request_id == item.target))
                wrong += int(str(state) != item.expected or len(matches.all()) > 1)
            else:
                row = session.get_one(CheckIn, item.target)
                wrong += int(getattr(row, f"{item.role}_answer") != item.expected)
        twice = len(
            session.scalars(
                select(OutboundMessage.id).where(
                    OutboundMessage.template == "request_already_closed"
                )
            ).all()
        )
    return wrong + twice, twice


def within_bound(times: list[float], kills: list[float]) -> bool:
    """A second delivery the README allows: a worker was killed after the first, and the
    second came within the lease (plus a sweep) of that kill."""
    first, second = times[0], times[1]
    return len(times) == 2 and any(
        first - 5 <= kill <= second and second - kill <= BOUND_AFTER_KILL.total_seconds()
        for kill in kills
    )


def count(
    services: Services, smtp: CountingSmtp, replies: list[Reply], chaos: Chaos
) -> dict[str, Any]:
    """Lost, twice, stuck and wrong, from the database and the SMTP server separately."""
    delivered = smtp.snapshot()
    stored = stored_by_message_id(services)
    lost_in = sum(
        1
        for item in replies
        if not stored.get(item.message_id)
        or any(s in ("received", "error") for s in stored[item.message_id])
    )
    with services.sessions() as session:
        rows = session.execute(select(OutboundMessage.message_id, OutboundMessage.status)).all()
        in_statuses = Counter(session.scalars(select(InboundMessage.status)).all())
    out_statuses = Counter(status for _, status in rows)
    sent_ids = {mid for mid, status in rows if status == "sent"}
    twice = {mid: t for mid, t in delivered.items() if len(t) > 1}
    bounded = [mid for mid, t in twice.items() if within_bound(t, chaos.kills)]
    per_kill = Counter(
        min(chaos.kills, key=lambda k: abs(k - delivered[mid][0])) for mid in bounded
    )
    over = sum(max(0, n - sending.FINISH_EVERY) for n in per_kill.values())
    wrong, answered_twice = wrong_actions(services, replies)
    return {
        "lost_inbound": lost_in,
        "lost_outbound": out_statuses["pending"] + out_statuses["retry"],
        "sent_not_received": len(sent_ids - set(delivered)),
        "sent_twice": len(twice),
        "sent_twice_within_bound": len(bounded) - over,
        "stuck": in_statuses["processing"] + out_statuses["sending"],
        "wrong_actions": wrong,
        "answered_twice": answered_twice,
        "outbox_rows": len(rows),
        "smtp_messages": len(delivered),
        "inbound_statuses": dict(in_statuses),
        "outbox_statuses": dict(out_statuses),
    }


# --- one soak -------------------------------------------------------------------------------------


def database_for(kind: str, folder: Path) -> tuple[str, Any]:
    """A fresh database URL of that kind, and the server to stop afterwards (or None)."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'soak.db'}", None
    from tests.servers.postgres_server import start_postgres

    server = start_postgres()
    return server.url(server.create_database()), server


def soak(kind: str, minutes: float, replies: int, fault: str, seed: int) -> Figures:
    """Load, fault, drain, count: one database's run."""
    folder = Path(tempfile.mkdtemp(prefix=f"mm-soak-{kind}-"))
    url, postgres = database_for(kind, folder)
    redis, smtp = start_redis(), CountingSmtp()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MENTORMAIL_DATA_DIR": str(folder / "var"),
        "MENTORMAIL_DATABASE_URL": url,
        "MENTORMAIL_REDIS_URL": redis.url,
        "MENTORMAIL_TRANSPORT": "smtp",
        "MENTORMAIL_SMTP_HOST": "127.0.0.1",
        "MENTORMAIL_SMTP_PORT": str(smtp.port),
        "MENTORMAIL_SECRET_KEY": SECRET,
        "MENTORMAIL_SWEEP_SECONDS": "5",
    }
    chaos = Chaos(env, folder, redis, fault)
    try:
        return _soak(kind, folder, env, chaos, smtp, minutes, replies, seed)
    finally:
        chaos.stop()
        smtp.stop()
        redis.stop()
        if postgres is not None:
            postgres.stop()


def _soak(
    kind: str,
    folder: Path,
    env: dict[str, str],
    chaos: Chaos,
    smtp: CountingSmtp,
    minutes: float,
    replies: int,
    seed: int,
) -> Figures:
    """The run itself, on servers already started."""
    for args in (
        ["init"],
        ["program", "load", str(program_file(folder))],
        [
            "import",
            str(participants_csv(folder, replies // 2 + 2, replies + 2)),
            "--program",
            "alumni-2026",
        ],
    ):
        done = subprocess.run([MENTORMAIL, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    logging.getLogger("mentormail.service.context").setLevel(logging.ERROR)  # "could not queue"
    services = bootstrap.build(Config.from_env(env))
    bootstrap.install(services)
    began = time.time()
    # the load's own mail waits for the sweep (pending rows are queued after 2 minutes)
    request_ids, checkin_ids = load(replace(services, queue=Nowhere()), replies)
    written = written_replies(services, request_ids, checkin_ids)
    print(
        f"  loaded {len(request_ids)} requests and {len(checkin_ids)} check-ins in"
        f" {time.time() - began:.0f} s; {len(written)} replies to deliver",
        file=sys.stderr,
    )
    for name in ("work1", "work2", "clock"):
        chaos.start(name)
    supervisor = threading.Thread(target=chaos.supervise, daemon=True)
    supervisor.start()
    until = time.time() + minutes * 60
    faults = threading.Thread(target=chaos.faults, args=(until, random.Random(seed)), daemon=True)
    faults.start()
    drop = Path(env["MENTORMAIL_DATA_DIR"]) / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    made = deliver(services, drop, written, minutes * 60 * 0.9)
    faults.join(timeout=max(0.0, until - time.time()) + 60)
    drained = drain(services, limit=(inbound.LEASE + DRAIN_EXTRA).total_seconds())
    figures = count(services, smtp, written, chaos)
    return Figures(
        database=kind,
        minutes=minutes,
        replies=len(written),
        deliveries=made,
        worker_kills=len(chaos.kills),
        redis_restarts=chaos.redis_restarts,
        restarts=chaos.restarts,
        drain_seconds=drained,
        **figures,
    )


def main() -> None:
    """Run the soak on each database asked for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the faults last")
    parser.add_argument("--replies", type=int, default=5000, help="replies delivered")
    parser.add_argument(
        "--database", choices=("postgresql", "sqlite", "both"), default="postgresql"
    )
    parser.add_argument("--fault", choices=("none", "no-lease"), default="none")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="the figures as JSON lines")
    args = parser.parse_args()
    kinds = ["postgresql", "sqlite"] if args.database == "both" else [args.database]
    ok = True
    for kind in kinds:
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f}",
            file=sys.stderr,
        )
        figures = soak(kind, args.minutes, args.replies, args.fault, args.seed)
        print(json.dumps(asdict(figures)) if args.json else figures.text(), flush=True)
        ok = ok and figures.passed()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
