"""Link pages under gunicorn (2 sync workers) against a bare Flask "hello" on the same
settings, in the same run: GET of an "Ask" link page, and POST of it (a mentee asks a mentor),
on PostgreSQL with one Redis (the queue and the rate limits), as production runs them.

Usage: .venv/bin/python benchmarks/links.py [--scale 0.1]
       (LINKS_CLIENT=python: the Python client even where wrk is installed;
        LINKS_BEFORE=DIR: also serve the code in DIR, e.g. ``git archive main | tar -x -C DIR``,
        in the same interleaved rounds, for a before/after on the same load)

Both servers run at once with the same gunicorn command line and environment, and are measured
in interleaved rounds (bare, ours, bare, ours, ...); the best round of each gives the ratio,
the median of the rounds' ratios is printed too. A third app in the same rounds, ``_floor.py``,
does plainly the least a link GET must: one EVALSHA counting the rate limits' windows on Redis,
one prepared read of the link's row, "hello": its ratio is how near 1.0 any page can come that
reads its link and counts the request on a shared Redis. GET throughput is closed-loop with
CLIENTS connections from ``wrk`` when it is installed (Debian: apt-get install wrk; a C load
generator, so the client takes little of the two cores from the servers), else from a bounded
Python client (threads, one connection per request: gunicorn's sync workers close each one).
The Python client's own ceiling is printed beside wrk's on the bare app. Every request names a
different link and comes from a client address of its own (wrk: an X-Forwarded-For header,
which the app trusts as it would from a load balancer with MENTORMAIL_TRUSTED_PROXIES=1; the
Python client: many loopback source addresses), so the rate limits, which still run, never
refuse the load; a refused or failed request fails the run. p99 is open-loop: requests are
started at a steady 100 a second whatever the server does, each timed from the instant it was
due, so a slow answer cannot hold back the next.
POSTs use the Python client (each POST its own unused link; ~150/s is far below its ceiling).
PostgreSQL runs durable (fsync and synchronous commit on, unlike the tests' server), so a
POST's p99 includes waiting for its commit to reach the disk.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
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

from _data import ROOT, bulk_insert, mentor_rows, peak_rss_mib, run_alone
from sqlalchemy import select

from mentormail.service.db import make_engine, make_sessionmaker, upgrade
from mentormail.service.models import Participant
from mentormail.service.programs import load_program, read_program_file
from mentormail.service.tokens import LinkSpec, issue_link

BASE = "http://links.bench.example.org"
CLIENTS = 4
SECONDS = 5.0  # a round of closed-loop load
STEADY_RATE = 100  # requests a second for the p99
ROUNDS = 3  # interleaved rounds of bare and ours
WRK_SCRIPT = Path(__file__).resolve().parent / "_links_wrk.lua"
TIMEOUT = 10.0  # seconds a request may take; longer is a failure
BIN = Path(sys.executable).parent
MASTERS: dict[int, int] = {}  # port -> gunicorn master pid
TICKS = os.sysconf("SC_CLK_TCK")
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
    """gunicorn with 2 sync workers serving the app on a free port, until the block ends
    (``MASTERS`` names the port's master process, whose workers' CPU is counted)."""
    from tests.servers._proc import free_port

    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", app]
    process = subprocess.Popen(
        command, cwd=chdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    MASTERS[port] = process.pid
    try:
        _wait_for(port, process)
        yield port
    finally:
        MASTERS.pop(port, None)
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    """Until both workers answer (or the server died)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            request(port, "GET", "/a/warm-up", check=False)
            time.sleep(1.0)  # the second worker boots alongside
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def request(port: int, method: str, path: str, *, check: bool = True) -> float:
    """One request on its own connection; its latency in seconds (``check``: raises unless
    it was answered 200, so a refusal or an error page is never counted as a link page)."""
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
    if check and response.status != 200:
        raise RuntimeError(f"{method} {path}: {response.status}")
    return time.perf_counter() - began


def throughput(port: int, method: str, paths: Iterator[str], seconds: float) -> float:
    """Requests a second with CLIENTS Python clients asking back to back for ``seconds``."""
    done = [0] * CLIENTS
    failures: list[Exception] = []
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        for path in paths:
            if time.perf_counter() >= stop or failures:
                return
            try:
                request(port, method, path)
            except (OSError, RuntimeError) as error:
                failures.append(error)
                return
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"the closed loop failed: {failures[0]}")
    return sum(done) / (time.perf_counter() - began)


def wrk(port: int, links_file: Path, seconds: float) -> float:
    """wrk's requests a second over the links in ``links_file``; any refused, failed or
    timed-out request fails the run (a fast 429 or 404 is not a link page)."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CLIENTS}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={TIMEOUT:.0f}s",
            "-s",
            str(WRK_SCRIPT),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LINKS_FILE": str(links_file)},
    ).stdout
    bad = [x.strip() for x in out.splitlines() if "Non-2xx" in x or "Socket errors" in x]
    if bad:
        raise RuntimeError(f"wrk: {'; '.join(bad)}")
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec"))
    return float(line.split()[1])


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def server_pids(port: int, others: list[int]) -> list[int]:
    """The gunicorn master on ``port``, its workers, and the other servers (PostgreSQL's
    postmaster and its backends, Redis): every process a request costs CPU in."""
    master = MASTERS[port]
    return [master, *_children(master), *others]


def p99_at(port: int, method: str, paths: Iterator[str], count: int) -> tuple[float, int]:
    """The 99th percentile latency of ``count`` requests started at STEADY_RATE a second
    (open loop: each on its own thread, timed from the instant it was due), and how many of
    them failed (a failure counts as TIMEOUT seconds)."""
    latencies: list[float] = []
    failed = [0]

    def one(path: str, due: float) -> None:
        try:
            request(port, method, path)
            latencies.append(time.perf_counter() - due)
        except (OSError, RuntimeError):
            failed[0] += 1
            latencies.append(TIMEOUT)

    start = time.perf_counter() + 0.05
    threads = []
    for i, path in zip(range(count), paths, strict=False):
        due = start + i / STEADY_RATE
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        thread = threading.Thread(target=one, args=(path, due))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return statistics.quantiles(latencies, n=100)[98], failed[0]


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """GET and POST rows: ours against the bare app (same run), and p99 at 100 req/s."""
    from tests.servers.postgres_server import start_postgres
    from tests.servers.redis_server import start_redis

    seconds = max(2.0, SECONDS * scale)
    steady = max(100, int(500 * scale))
    postgres = start_postgres(durable=True)  # a POST's commit waits for the disk
    folder = Path(tempfile.mkdtemp(prefix="mm-links-"))
    redis = start_redis(folder)
    try:
        url = postgres.url(postgres.create_database())
        gets, posts = links_for(url, int(5000 * max(scale, 0.3)), steady + int(3000 * scale))
        env = {
            **os.environ,
            "MENTORMAIL_DATABASE_URL": url,
            "MENTORMAIL_REDIS_URL": redis.url,
            "MENTORMAIL_BASE_URL": BASE,
            "MENTORMAIL_SECRET_KEY": "bench-" + "x" * 40,
            "MENTORMAIL_DATA_DIR": str(folder / "var"),
            "MENTORMAIL_TRUSTED_PROXIES": "1",  # as behind a load balancer; wrk says who asks
        }
        postmaster = int((postgres.datadir / "postmaster.pid").read_text().split()[0])
        return _measure(env, gets, posts, seconds, steady, [postmaster, redis.proc.pid])
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _measure(
    env: dict[str, str],
    gets: list[str],
    posts: list[str],
    seconds: float,
    steady: int,
    servers: list[int],
) -> list[dict[str, str]]:
    """Run the loads and make the rows (``servers``: PostgreSQL's postmaster, Redis)."""
    figures: dict[str, Any] = {"load_before": os.getloadavg()}
    links_file = Path(env["MENTORMAIL_DATA_DIR"]).parent / "links.txt"
    links_file.write_text("\n".join(gets) + "\n")
    use_wrk = shutil.which("wrk") is not None and os.environ.get("LINKS_CLIENT") != "python"
    figures["client"] = "wrk" if use_wrk else "Python client"
    app = "mentormail.app.bootstrap:web_app()"
    before_dir = os.environ.get("LINKS_BEFORE")
    with (
        gunicorn("_hello:app", env, ROOT / "benchmarks") as bare,
        gunicorn(app, env, ROOT) as ours,
        gunicorn("_floor:app", {**env, "PYTHONPATH": str(ROOT)}, ROOT / "benchmarks") as floor,
        contextlib.ExitStack() as stack,
    ):
        before = None
        if before_dir:  # the same app from another tree (its directory first on sys.path)
            tree = Path(before_dir).resolve()
            before = stack.enter_context(gunicorn(app, {**env, "PYTHONPATH": str(tree)}, tree))

        def get_rate(port: int) -> tuple[float, float, str]:
            """Requests a second, server CPU seconds per request (all processes), and how
            that CPU splits between gunicorn, PostgreSQL and Redis."""
            groups = {
                "gunicorn": server_pids(port, []),
                "PostgreSQL": [servers[0], *_children(servers[0])],
                "Redis": servers[1:],
            }
            used, began = {k: cpu_seconds(v) for k, v in groups.items()}, time.perf_counter()
            if use_wrk:
                rate = wrk(port, links_file, seconds)
            else:
                rate = throughput(port, "GET", itertools.cycle(gets), seconds)
            done = rate * (time.perf_counter() - began)
            each = {k: (cpu_seconds(v) - used[k]) / done for k, v in groups.items()}
            split = ", ".join(f"{k} {v * 1e6:.0f}" for k, v in each.items())
            return rate, sum(each.values()), split

        rounds, befores, floors = [], [], []
        for _ in range(ROUNDS):
            rounds.append((get_rate(bare), get_rate(ours)))
            floors.append(get_rate(floor))
            if before is not None:
                befores.append(get_rate(before))
        if befores:
            figures["before"] = max(b[0] for b in befores)
            figures["before_cpu"], figures["before_split"] = min(b[1:] for b in befores)
        figures["floor"] = max(f[0] for f in floors)
        figures["floor_cpu"], figures["floor_split"] = min(f[1:] for f in floors)
        figures["bare"] = max(b[0] for b, _ in rounds)
        figures["get"] = max(o[0] for _, o in rounds)
        figures["median_ratio"] = statistics.median(o[0] / b[0] for b, o in rounds)
        figures["bare_cpu"], figures["bare_split"] = min(b[1:] for b, _ in rounds)
        figures["get_cpu"], figures["get_split"] = min(o[1:] for _, o in rounds)
        if use_wrk:  # the Python client's own ceiling, on the app that asks least of the server
            figures["python_bare"] = throughput(bare, "GET", itertools.cycle(gets), seconds)
        figures["bare_p99"], _ = p99_at(bare, "GET", itertools.cycle(gets), steady)
        figures["get_p99"], figures["get_failed"] = p99_at(
            ours, "GET", itertools.cycle(gets), steady
        )
        time.sleep(2.0)
        pressing = iter(posts)
        pids = server_pids(ours, [*servers, *_children(servers[0])])
        used, began = cpu_seconds(pids), time.perf_counter()
        figures["post"] = throughput(ours, "POST", pressing, seconds / 2)
        pressed = figures["post"] * (time.perf_counter() - began)
        figures["post_cpu"] = (cpu_seconds(pids) - used) / pressed
        time.sleep(2.0)  # what the closed loop left (outbound jobs in Redis) is not measured
        figures["post_p99"], figures["post_failed"] = p99_at(ours, "POST", pressing, steady)
        figures["rss"] = peak_rss_mib(_children(MASTERS[ours]))  # while they still run
    figures["load_after"] = os.getloadavg()
    return _rows(figures)


def _rows(f: dict[str, Any]) -> list[dict[str, str]]:
    """The table's rows."""
    ms: Callable[[float], str] = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    load = f"load {f['load_before'][0]:.1f} -> {f['load_after'][0]:.1f}"
    ceiling = (
        f"; the Python client alone reaches {f['python_bare']:.0f} req/s on the bare app"
        if "python_bare" in f
        else ""
    )
    return [
        {
            "what": "link page GET, gunicorn 2 workers, PostgreSQL + Redis"
            f" ({f['client']}, best of {ROUNDS} interleaved rounds, {load})",
            "ours": f"{f['get']:.0f} req/s, p99 {ms(f['get_p99'])} at 100 req/s"
            f" ({f['get_failed']} over {TIMEOUT:.0f} s)",
            "baseline": f"bare Flask {f['bare']:.0f} req/s, p99 {ms(f['bare_p99'])}{ceiling}",
            "ratio": f"{f['get'] / f['bare']:.2f} (median of rounds {f['median_ratio']:.2f})",
            "target": ">= 0.5; p99 < 20 ms",
        },
        {
            "what": "the same GETs: server CPU per request (gunicorn workers, PostgreSQL, Redis;"
            " least of the rounds; moved less by other load than req/s)",
            "ours": f"{f['get_cpu'] * 1e6:.0f} us ({f['get_split']})",
            "baseline": f"bare Flask {f['bare_cpu'] * 1e6:.0f} us ({f['bare_split']})",
            "ratio": f"{f['bare_cpu'] / f['get_cpu']:.2f}",
            "target": ">= 0.5 (the same, in CPU)",
        },
        {
            "what": "the floor: one EVALSHA + one prepared read + 'hello', done plainly"
            " (_floor.py, same gunicorn, same rounds)",
            "ours": f"{f['floor']:.0f} req/s; server CPU {f['floor_cpu'] * 1e6:.0f} us"
            f" ({f['floor_split']})",
            "baseline": f"bare Flask {f['bare']:.0f} req/s, {f['bare_cpu'] * 1e6:.0f} us",
            "ratio": f"{f['floor'] / f['bare']:.2f}; CPU {f['bare_cpu'] / f['floor_cpu']:.2f}",
            "target": "(no target: the most a GET that reads and counts can reach)",
        },
        *(
            [
                {
                    "what": "the same GETs from the code before (LINKS_BEFORE, same rounds)",
                    "ours": f"{f['before']:.0f} req/s; server CPU {f['before_cpu'] * 1e6:.0f} us"
                    f" ({f['before_split']})",
                    "baseline": f"bare Flask {f['bare']:.0f} req/s, {f['bare_cpu'] * 1e6:.0f} us",
                    "ratio": f"{f['before'] / f['bare']:.2f};"
                    f" CPU {f['bare_cpu'] / f['before_cpu']:.2f}",
                    "target": "",
                }
            ]
            if "before" in f
            else []
        ),
        {
            "what": f"link POST (ask a mentor), PostgreSQL + Redis (Python client, {load})",
            "ours": f"{f['post']:.0f} req/s, p99 {ms(f['post_p99'])} at 100 req/s"
            f" ({f['post_failed']} over {TIMEOUT:.0f} s); server CPU"
            f" {f['post_cpu'] * 1e3:.1f} ms a POST",
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
