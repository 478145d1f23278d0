"""Scaling out: the same outbound and inbound loads worked by 1, 2 and 4 worker processes
(``mentormail work --burst``) on one PostgreSQL and one Redis, and the speed-up over one.

Usage: .venv/bin/python benchmarks/scaling.py [--scale 0.1]

Outbound: pending outbox rows of a realistic email (Sam's list of mentors), one send job
per batch, sent over SMTP to aiosmtpd. Inbound: the reader's fixture and corpus mail (each
copy with its own Message-ID), stored and queued as the web hook stores it, then processed
(store, route, read, decide, outbox); the replies it writes are sent too. A rate is
the rows done over the time from the first one done to the last, as the benchmark counts
them every 50 ms while the workers run (start-up and exit not counted; the rows' own
timestamps keep whole seconds). Peak
memory is the largest resident size a worker process reached. On two cores about 2x is the
most to expect; the machine's other load shows in the figures.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import run_alone
from sqlalchemy import func, insert, select

from mentormail.service import inbound, sending
from mentormail.service.adapters import RqQueue, SystemClock
from mentormail.service.context import SEND_JOB, Services
from mentormail.service.models import InboundMessage, OutboundMessage

WORKERS = (1, 2, 4)
OUTBOUND = 2000
INBOUND = 1000
BIN = Path(sys.executable).parent
SAMPLE_EVERY = 0.05  # seconds between the benchmark's counts of the rows done
WORKER_PEAK_MIB = [0.0]  # the largest worker seen so far (see work)


def program_on(url: str, redis_url: str, tmp: Path) -> Services:
    """Services on a fresh database holding the example program, queueing into Redis."""
    from tests.harness import Program, make_services

    services = make_services(url, tmp, queue=RqQueue(redis_url))
    Program.start(services)
    return replace(services, clock=SystemClock())


def outbound_load(services: Services, count: int) -> None:
    """``count`` pending copies of a rendered list email, and their send jobs."""
    from outbound import example_row

    with tempfile.TemporaryDirectory() as folder:
        _, template = example_row(Path(folder))
    rows = [
        {
            **template,
            "status": "pending",
            "attempts": 0,
            "idempotency_key": f"scale:{n}",
            "message_id": f"<scale.{n}@example.edu>",
        }
        for n in range(count)
    ]
    with services.sessions() as session, session.begin():
        session.execute(insert(OutboundMessage), rows)
        ids = list(session.scalars(select(OutboundMessage.id).order_by(OutboundMessage.id)))
    first_of_batch: dict[int, int] = {}
    for row_id in ids:
        first_of_batch.setdefault(sending.batch_of(row_id), row_id)
    for row_id in first_of_batch.values():
        services.queue.enqueue("outbound", SEND_JOB, row_id)


def inbound_load(services: Services, count: int) -> None:
    """``count`` realistic inbound messages, stored and queued."""
    from inbound import load_messages

    for n, raw in zip(range(count), itertools.cycle(load_messages()), strict=False):
        unique = re.sub(rb"(?im)^message-id:.*\r?\n", b"", raw, count=1)
        inbound.ingest(
            services, f"Message-ID: <scale.{n}@bench.example>\r\n".encode() + unique, "drop"
        )


def work(
    env: dict[str, str], workers: int, done_count: Callable[[], int]
) -> tuple[float, float, float]:
    """Run ``workers`` burst workers until the queues are empty: the seconds it took, the
    rate of rows done (see ``rate_of``), counted every SAMPLE_EVERY s while they run, and the
    CPU seconds this process spent meanwhile (the SMTP server receiving the mail, the counts)."""
    command = [str(BIN / "mentormail"), "work", "--burst"]
    samples: list[tuple[float, int]] = []
    running = threading.Event()
    running.set()
    counting = threading.Thread(target=_count_until_stopped, args=(done_count, samples, running))
    began, cpu_began = time.perf_counter(), time.process_time()
    counting.start()
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    for process in processes:
        _, status, usage = os.wait4(process.pid, 0)  # this worker's own rusage, and its forks'
        process.returncode = os.waitstatus_to_exitcode(status)
        WORKER_PEAK_MIB[0] = max(WORKER_PEAK_MIB[0], usage.ru_maxrss / 1024)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    running.clear()
    counting.join()
    samples.append((time.perf_counter(), done_count()))
    return seconds, rate_of(samples), cpu


def _count_until_stopped(
    done_count: Callable[[], int], samples: list[tuple[float, int]], running: threading.Event
) -> None:
    """Count the rows done every SAMPLE_EVERY s while the workers run."""
    while running.is_set():
        samples.append((time.perf_counter(), done_count()))
        time.sleep(SAMPLE_EVERY)


def rate_of(samples: list[tuple[float, int]]) -> float:
    """Rows a second from the first count above none to the first count of the final number
    (start-up and exit not counted); nan when the load was done between two counts."""
    final = samples[-1][1]
    started = next(((t, n) for t, n in samples if n > 0), None)
    ended = next(((t, n) for t, n in samples if n == final), None)
    if started is None or ended is None or ended[0] <= started[0]:
        return math.nan
    return (ended[1] - started[1]) / (ended[0] - started[0])


def done_counter(services: Services, done: Any) -> Callable[[], int]:
    """A count of the rows done, in a session of its own each time."""

    def count() -> int:
        with services.sessions() as session:
            return int(session.scalar(select(func.count()).where(done)) or 0)

    return count


def _per_second(value: float) -> str:
    """A rate as the table shows it; a load done between two counts has none."""
    return "too quick to count (no rate)" if math.isnan(value) else f"{value:.0f}/s"


def _speedup(rate_of_k: float, rate_of_one: float) -> str:
    """k workers' rate over one worker's, when both could be read."""
    if math.isnan(rate_of_k) or math.isnan(rate_of_one) or rate_of_one == 0:
        return "n/a"
    return f"{rate_of_k / rate_of_one:.2f}x"


def peak_worker_mib() -> float:
    """The largest resident size a worker process (with its job forks) reached, in MiB: read
    from each worker's own rusage, so another benchmark's children in the same run never count."""
    return WORKER_PEAK_MIB[0]


def one_run(kind: str, workers: int, size: int, servers: dict[str, Any], tmp: Path) -> float:
    """The rate of one load with this many workers, on a fresh database."""
    postgres, redis, smtp = servers["postgres"], servers["redis"], servers["smtp"]
    redis.flushall()
    url = postgres.url(postgres.create_database())
    services = program_on(url, redis.url, tmp)
    env = {
        **os.environ,
        "MENTORMAIL_DATABASE_URL": url,
        "MENTORMAIL_REDIS_URL": redis.url,
        "MENTORMAIL_TRANSPORT": "smtp",
        "MENTORMAIL_SMTP_HOST": smtp.host,
        "MENTORMAIL_SMTP_PORT": str(smtp.port),
        "MENTORMAIL_DATA_DIR": str(tmp / "var"),
        "MENTORMAIL_SECRET_KEY": "bench-" + "x" * 40,
    }
    if kind == "outbound":
        outbound_load(services, size)
        done_when = OutboundMessage.status == "sent"
    else:
        inbound_load(services, size)
        done_when = InboundMessage.processed_at.is_not(None)
    count = done_counter(services, done_when)
    seconds, per_second, cpu = work(env, workers, count)
    done = count()
    print(
        f"{kind}, {workers} workers: {done} in {seconds:.1f} s, {_per_second(per_second)};"
        f" the SMTP server in this process {cpu:.1f} s CPU",
        file=sys.stderr,
    )
    return per_second


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """One row per load: rates with 1, 2 and 4 workers and the speed-up over one."""
    from tests.servers.postgres_server import start_postgres
    from tests.servers.redis_server import start_redis
    from tests.servers.smtp_server import start_smtp

    tmp = Path(tempfile.mkdtemp(prefix="mm-scaling-"))
    (tmp / "redis").mkdir()
    servers: dict[str, Any] = {"postgres": start_postgres(), "redis": start_redis(tmp / "redis")}
    servers["smtp"] = start_smtp()
    rows = []
    try:
        for kind, size in (("outbound", OUTBOUND), ("inbound", INBOUND)):
            rates = {
                k: one_run(kind, k, max(500, int(size * scale)), servers, tmp) for k in WORKERS
            }
            rows.append(
                {
                    "what": f"scaling out, {kind}, PostgreSQL + one Redis",
                    "ours": ", ".join(f"{k} workers {_per_second(rates[k])}" for k in WORKERS),
                    "baseline": f"1 worker {_per_second(rates[1])}",
                    "ratio": ", ".join(_speedup(rates[k], rates[1]) for k in WORKERS[1:]),
                    "target": "about 2x on 2 cores",
                }
            )
        rows.append(
            {
                "what": "peak memory of a worker process (mentormail work)",
                "ours": f"{peak_worker_mib():.0f} MiB",
                "baseline": "",
                "ratio": "",
                "target": "",
            }
        )
    finally:
        for server in servers.values():
            server.stop()
    return rows


if __name__ == "__main__":
    run_alone(__doc__, bench)
