"""One message, one worker: two workers on one stored message act once; a message whose
worker is SIGKILLed mid-processing is tried again at the next sweep (a live worker's lease is
kept), and one that kills its worker three times is set aside and the coordinators told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mentormail.service import holders, inbound
from mentormail.service.models import InboundClaim, InboundMessage
from mentormail.service.sweep import sweep
from tests.fakes import FakeClock
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, SAM, ask, attention

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

# A worker that claims the message, as process() does, and is then killed mid-way.
DIES_MID_PROCESSING = """
import os, signal, sys
from datetime import datetime
from pathlib import Path
from mentormail.service import holders, inbound
from tests.fakes import FakeClock
from tests.harness import make_services
url, tmp, inbound_id, now = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
services = make_services(url, tmp, clock=FakeClock(datetime.fromisoformat(now)))
assert inbound._claim(services, inbound_id), "could not claim"
os.kill(os.getpid(), signal.SIGKILL)
"""

# The same, but it waits to be killed: the test sees the lease of a live worker first.
CLAIMS_AND_WAITS = DIES_MID_PROCESSING.replace(
    "os.kill(os.getpid(), signal.SIGKILL)", "print('claimed', flush=True); sys.stdin.read()"
)


def test_two_workers_on_one_message_act_once(program: Program) -> None:
    request = ask(program, SAM)
    stored = inbound.ingest(program.services, reply_to(request, ANA, "Yes, happy to!"), "drop")
    barrier = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        barrier.wait()
        results.append(inbound.process(program.services, stored.inbound_id))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    program.work()

    assert sorted(results) == ["processed", "skipped"], results
    assert program.snapshot()["matches"] == 1
    assert program.outbox(template="request_already_closed") == []


def test_a_message_that_kills_its_worker_three_times_is_set_aside(
    program: Program, database_url: str, tmp_path: Path
) -> None:
    clock = program.services.clock
    assert isinstance(clock, FakeClock)
    stored = inbound.ingest(program.services, b"From: x@y.example\r\n\r\nhello", "drop")
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]  # the doomed worker has it
    for attempt in range(3):
        when: datetime = clock.current + timedelta(minutes=11 * attempt)
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                DIES_MID_PROCESSING,
                database_url,
                str(tmp_path),
                str(stored.inbound_id),
                when.isoformat(),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode == -signal.SIGKILL, done.stderr

    clock.advance(minutes=45)
    report = sweep(program.services)
    program.work()

    assert report.inbound_queued == 1
    with program.services.sessions() as session:
        row = session.get_one(InboundMessage, stored.inbound_id)
        assert (row.status, row.attempts) == ("set_aside", 3)
    (flag,) = attention(program)
    assert flag.reason == "inbound mail from x@y.example failed processing; set aside"
    assert sweep(program.services).inbound_queued == 0  # and it stays aside


def test_a_killed_workers_message_is_tried_at_the_next_sweep_not_when_its_lease_ends(
    program: Program, database_url: str, tmp_path: Path
) -> None:
    clock = program.services.clock
    assert isinstance(clock, FakeClock)
    stored = inbound.ingest(program.services, reply_to(ask(program, SAM), ANA, "Yes!"), "drop")
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]  # the worker took it
    arguments = [database_url, str(tmp_path), str(stored.inbound_id), clock.current.isoformat()]
    worker = subprocess.Popen(
        [sys.executable, "-c", CLAIMS_AND_WAITS, *arguments],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "claimed"
        clock.advance(minutes=1)
        assert sweep(program.services).inbound_queued == 0  # alive: its lease is kept
    finally:
        worker.kill()
        worker.wait(timeout=30)

    clock.advance(seconds=1)  # nine minutes before the lease would end
    assert sweep(program.services).inbound_queued == 1
    program.work()

    assert program.handled[-1] == "processed" and program.snapshot()["matches"] == 1
    with program.services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundClaim)) == 0


def test_inbound_work_lost_with_redis_comes_back_within_a_minute(program: Program) -> None:
    clock = program.services.clock
    assert isinstance(clock, FakeClock)
    stored = inbound.ingest(program.services, reply_to(ask(program, SAM), ANA, "Yes!"), "drop")
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]  # Redis lost the job

    clock.advance(seconds=31)
    assert sweep(program.services).inbound_queued == 1
    program.work()

    assert program.handled[-1] == "processed" and program.snapshot()["matches"] == 1
    assert stored.inbound_id


def test_two_workers_taking_batches_of_the_same_mail_act_once_on_each(program: Program) -> None:
    senders = [f"someone{n}@elsewhere.example" for n in range(6)]
    stored = [
        inbound.ingest(program.services, email(f"<{s}>", PROGRAM_ADDRESS, "Hello?"), "drop")
        for s in senders
    ]
    program.services.queue.jobs.clear()  # type: ignore[attr-defined]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def worker(inbound_id: int) -> None:
        barrier.wait()
        results.append(inbound.process(program.services, inbound_id))

    threads = [threading.Thread(target=worker, args=(s.inbound_id,)) for s in stored[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with program.services.sessions() as session:
        found = session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert [(m.status, m.attempts) for m in found] == [("unknown_sender", 1)] * len(senders)
        assert session.scalar(select(func.count()).select_from(InboundClaim)) == 0
    assert "unknown_sender" in results and set(results) <= {"unknown_sender", "skipped"}
    for sender in senders:  # each stranger told once how to join, never twice
        assert [r.template for r in program.outbox(to=sender)] == ["unknown_sender"]


def test_only_a_holder_of_this_machine_that_is_gone_counts_as_dead() -> None:
    assert not holders.died_here(holders.this_process())  # this process, alive
    assert not holders.died_here("worker-7:4242")  # the old form: its lease runs out as before
    assert not holders.died_here("elsewhere:0123456789ab:4026531836:99999999:17")  # not here
    assert not holders.died_here("garbage")
