"""Link pages under gunicorn (2 sync workers) against a bare Flask "hello" on the same
settings, in the same run: GET of an "Ask" link page, and POST of it (a mentee asks a mentor),
on PostgreSQL with one Redis (the queue and the rate limits), as production runs them.

Usage: .venv/bin/python benchmarks/links.py [--scale 0.1]

The load generator is ``wrk`` when installed, else a bounded Python client (threads, one
connection per request: gunicorn's sync workers close each one). Requests come from many
loopback addresses (127.x.y.z) so the per-address rate limit, which still runs, never refuses
them; every GET names a different link, every POST its own unused link. Throughput is
closed-loop with a few clients; p99 is measured at a steady 100 requests a second.
"""

from __future__ import annotations

import http.client
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import ROOT, bulk_insert, mentor_rows, run_alone
from sqlalchemy import select

from mentormail.service.db import make_engine, make_sessionmaker, upgrade
from mentormail.service.models import Participant
from mentormail.service.programs import load_program, read_program_file
from mentormail.service.tokens import LinkSpec, issue_link

BASE = "http://links.bench.example.org"
CLIENTS = 4
SECONDS = 8.0
STEADY_RATE = 100  # requests a second for the p99
TIMEOUT = 10.0  # seconds a request may take; longer is a failure
BIN = Path(sys.executable).parent
_addresses = itertools.count(1)
_lock = threading.Lock()


def source_address() -> str:
    """The next loopback address to send from (each gets the rate limit's full allowance)."""
    with _lock:
        n = next(_addresses)
    return f"127.{1 + n // 65025 % 250}.{n // 255 % 255}.{1 + n % 254}"


def links_for(url: str, gets: int, posts: int) -> tuple[list[str], list[str]]:
    """A program with mentors and mentees, and this many "Ask" links to show and to press."""
    upgrade(url)
    session = make_sessionmaker(make_engine(url))()
    now = datetime.now(UTC)
    with session.begin():
        program = load_program(session, read_program_file(ROOT / "examples" / "program.yaml"))
        people = mentor_rows(200, program.id) + [
            {**row, "role": "mentee", "email": f"mentee{i}@bench.example.org", "capacity": None}
            for i, row in enumerate(mentor_rows(gets + posts, program.id, seed=2))
        ]
        for row in people[:200]:
            row.update(availability="available", capacity=1000)
        bulk_insert(session.connection(), Participant.__table__, people)
        ids = dict(session.execute(select(Participant.email, Participant.id)).all())
        mentors = [ids[f"mentor{i}@bench.example.org"] for i in range(200)]
        tokens = [
            issue_link(
                session,
                LinkSpec("ask", ids[f"mentee{i}@bench.example.org"], target_id=mentors[i % 200]),
                now,
                timedelta(days=7),
            )
            for i in range(gets + posts)
        ]
    session.close()
    return [f"/a/{t}" for t in tokens[:gets]], [f"/a/{t}" for t in tokens[gets:]]


@contextmanager
def gunicorn(app: str, env: dict[str, str], chdir: Path) -> Iterator[int]:
    """gunicorn with 2 sync workers serving the app on a free port, until the block ends."""
    from tests.servers._proc import free_port

    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", app]
    process = subprocess.Popen(
        command, cwd=chdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    """Until both workers answer (or the server died)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            request(port, "GET", "/a/warm-up")
            time.sleep(1.0)  # the second worker boots alongside
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def request(port: int, method: str, path: str) -> float:
    """One request on its own connection; its latency in seconds (raises on a 5xx)."""
    began = time.perf_counter()
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=TIMEOUT, source_address=(source_address(), 0)
    )
    body = "confirm=yes" if method == "POST" else None
    headers = {"Origin": BASE, "Sec-Fetch-Site": "same-origin"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status >= 500 or response.status == 429:
        raise RuntimeError(f"{method} {path}: {response.status}")
    return time.perf_counter() - began


def throughput(port: int, method: str, paths: Iterator[str], seconds: float) -> float:
    """Requests a second with CLIENTS clients asking back to back for ``seconds``."""
    if shutil.which("wrk") and method == "GET":
        return _wrk(port, seconds)
    done = [0] * CLIENTS
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        for path in paths:
            if time.perf_counter() >= stop:
                return
            request(port, method, path)
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def _wrk(port: int, seconds: float) -> float:
    """wrk's requests a second on one path (the bare app and ours alike)."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CLIENTS}",
            f"-d{max(1, int(seconds))}s",
            f"http://127.0.0.1:{port}/a/x",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec"))
    return float(line.split()[1])


def p99_at(port: int, method: str, paths: Iterator[str], count: int) -> tuple[float, int]:
    """The 99th percentile latency of ``count`` requests sent at STEADY_RATE a second, and
    how many of them failed (a failure counts as TIMEOUT seconds)."""
    latencies: list[float] = []
    failed = [0]

    def one(path: str) -> None:
        try:
            latencies.append(request(port, method, path))
        except (OSError, RuntimeError):
            failed[0] += 1
            latencies.append(TIMEOUT)

    start = time.perf_counter()
    threads = []
    for i, path in zip(range(count), paths, strict=False):
        wait = start + i / STEADY_RATE - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        thread = threading.Thread(target=one, args=(path,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return statistics.quantiles(latencies, n=100)[98], failed[0]


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """GET and POST rows: ours against the bare app (same run), and p99 at 100 req/s."""
    from tests.servers.postgres_server import start_postgres
    from tests.servers.redis_server import start_redis

    seconds = max(2.0, SECONDS * scale * 2)
    steady = max(100, int(500 * scale))
    postgres = start_postgres()
    folder = Path(tempfile.mkdtemp(prefix="mm-links-"))
    redis = start_redis(folder)
    try:
        url = postgres.url(postgres.create_database())
        gets, posts = links_for(url, int(3000 * max(scale, 0.3)), steady + int(3000 * scale))
        env = {
            **os.environ,
            "MENTORMAIL_DATABASE_URL": url,
            "MENTORMAIL_REDIS_URL": redis.url,
            "MENTORMAIL_BASE_URL": BASE,
            "MENTORMAIL_SECRET_KEY": "bench-" + "x" * 40,
            "MENTORMAIL_DATA_DIR": str(folder / "var"),
        }
        return _measure(env, gets, posts, seconds, steady)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _measure(
    env: dict[str, str], gets: list[str], posts: list[str], seconds: float, steady: int
) -> list[dict[str, str]]:
    """Run the loads and make the rows."""
    figures: dict[str, Any] = {}
    with gunicorn("_hello:app", env, ROOT / "benchmarks") as port:
        figures["bare"] = throughput(port, "GET", itertools.cycle(gets), seconds)
        figures["bare_p99"], _ = p99_at(port, "GET", itertools.cycle(gets), steady)
    app = "mentormail.app.bootstrap:web_app()"
    with gunicorn(app, env, ROOT) as port:
        figures["get"] = throughput(port, "GET", itertools.cycle(gets), seconds)
        figures["get_p99"], figures["get_failed"] = p99_at(
            port, "GET", itertools.cycle(gets), steady
        )
        time.sleep(TIMEOUT)  # what a p99 run left queued is done before the next load
        pressing = iter(posts)
        figures["post"] = throughput(port, "POST", pressing, seconds / 2)  # before any backlog
        figures["post_p99"], figures["post_failed"] = p99_at(port, "POST", pressing, steady)
    figures["rss"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return _rows(figures)


def _rows(f: dict[str, Any]) -> list[dict[str, str]]:
    """The table's rows."""
    ms: Callable[[float], str] = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    return [
        {
            "what": "link page GET, gunicorn 2 workers, PostgreSQL + Redis",
            "ours": f"{f['get']:.0f} req/s, p99 {ms(f['get_p99'])} at 100 req/s"
            f" ({f['get_failed']} over {TIMEOUT:.0f} s)",
            "baseline": f"bare Flask {f['bare']:.0f} req/s, p99 {ms(f['bare_p99'])}",
            "ratio": f"{f['get'] / f['bare']:.2f}",
            "target": ">= 0.5; p99 < 20 ms",
        },
        {
            "what": "link POST (ask a mentor), PostgreSQL + Redis",
            "ours": f"{f['post']:.0f} req/s, p99 {ms(f['post_p99'])} at 100 req/s"
            f" ({f['post_failed']} over {TIMEOUT:.0f} s)",
            "baseline": "",
            "ratio": "",
            "target": "p99 < 50 ms",
        },
        {
            "what": "peak memory of a web process (gunicorn worker, after the loads above)",
            "ours": f"{f['rss']:.0f} MiB",
            "baseline": "",
            "ratio": "",
            "target": "",
        },
    ]


if __name__ == "__main__":
    run_alone(__doc__, bench)
