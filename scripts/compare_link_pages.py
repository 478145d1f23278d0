"""Full responses (status, headers, body) of link-page requests from two trees' web apps,
compared: a check that a change to how the pages are served changes nothing they answer.

Usage: .venv/bin/python scripts/compare_link_pages.py OTHER_TREE [--database sqlite|postgresql]

It builds a program on a fresh database (asks, a match, a held reply, weeks of check-ins, a
digest; then links used, expired, of someone who left, of an unknown action), and writes the
requests to make: every link in the outbox by GET and HEAD, with a query string, a trailing
slash, odd characters, an unknown token, a digest's links, POSTs, a guessing run that meets
the rate limit. Each tree then answers them all in a process of its own (its directory first
on sys.path; a fresh Redis; behind one trusted proxy and without one; the database gone), and
the answers are compared byte for byte.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 19, 9, 30)  # the instant both apps answer at: after the last sweep
LINK = re.compile(r"https?://[^\s\"'<>]*?(/a/[A-Za-z0-9_-]+)")


def seed(database_url: str) -> list[dict[str, Any]]:
    """The program and its links in every state; the requests to make of both apps."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import text

    from mentormail.service.sweep import sweep
    from mentormail.service.tokens import LinkSpec, issue_link
    from tests.harness import PROGRAM_ADDRESS, Program, email, make_services, reply_to
    from tests.security.test_no_token_no_change import DMARC_FAIL
    from tests.service.steps import ANA, GRACE, JO, SAM, TOM, ask, days_pass

    program = Program.start(make_services(database_url, Path(tempfile.mkdtemp())))
    sweep(program.services)
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    held = reply_to(ask(program, JO, "Tom Becker"), TOM, "Yes, gladly")
    program.deliver(b"Authentication-Results: " + DMARC_FAIL.encode() + b"\r\n" + held)
    program.deliver(email(f"Jo Kim <{JO}>", PROGRAM_ADDRESS, "I'd like to report a problem"))
    for _ in range(7):
        days_pass(program, 7)
    ask(program, JO, "Grace Okafor")  # usable ask, accept, decline, pause links at NOW
    paths = sorted({m for row in program.outbox() for m in LINK.findall(_texts(row))})
    with program.services.unit_of_work() as session:  # links in every state
        people = dict(session.execute(text("SELECT email, id FROM participants")).all())
        held_id = session.execute(text("SELECT max(id) FROM inbound_messages")).scalar()
        last = session.execute(text("SELECT max(id) FROM action_tokens")).scalar()
        specs = [
            LinkSpec("pause", people[ANA]),
            LinkSpec("available", people[GRACE]),
            LinkSpec("ask", people[JO], target_id=people[ANA]),
            LinkSpec("confirm_address", people[JO], target_id=held_id),
            LinkSpec("confirm_address", people[TOM], target_id=held_id),
            LinkSpec("pause", people[SAM]),  # made a link of an action no one knows
        ]
        paths += [f"/a/{issue_link(session, spec, NOW, timedelta(days=1))}" for spec in specs]
        session.execute(
            text("UPDATE action_tokens SET expires_at = :t"), {"t": NOW + timedelta(days=1)}
        )
        ids = [r[0] for r in session.execute(text("SELECT id FROM action_tokens ORDER BY id"))]
        session.execute(
            text("UPDATE action_tokens SET used_at = :t WHERE id % 9 = 1 AND id <= :n"),
            {"t": NOW, "n": last},
        )
        past = NOW - timedelta(days=1)
        session.execute(
            text("UPDATE action_tokens SET expires_at = :t WHERE id % 9 = 2 AND id <= :n"),
            {"t": past, "n": last},
        )
        session.execute(
            text("UPDATE action_tokens SET action = 'no_such' WHERE id = :i"), {"i": ids[-1]}
        )
        session.execute(
            text("UPDATE participants SET status = 'left' WHERE email = :e"), {"e": TOM}
        )
        kinds = session.execute(
            text(
                "SELECT action, used_at IS NULL AND expires_at > :t, count(*) FROM action_tokens"
                " GROUP BY 1, 2 ORDER BY 1, 2"
            ),
            {"t": NOW},
        ).all()
        print("links (action, usable, count):", [tuple(k) for k in kinds], file=sys.stderr)
    requests: list[dict[str, Any]] = []
    for path in paths:
        requests += [{"method": "GET", "path": path}, {"method": "HEAD", "path": path}]
    first = paths[0]
    odd = [
        first + "/",
        first + "?utm=1&x=%20",
        first + "%7E",
        first + ".",
        "/a/",
        "/a//x",
        "//a/" + first[3:],
        "/a/" + "x" * 32,
        "/a/abc\u00e9",
        first[:-1] + "~",
        "/a/a%2Fb",
        first.upper(),
        "/healthz",
        "/nowhere",
    ]
    requests += [{"method": "GET", "path": p} for p in odd]
    requests += [{"method": m, "path": first} for m in ("OPTIONS", "PUT")]
    cross_site = {"Sec-Fetch-Site": "cross-site"}  # refused: a POST here must change nothing
    requests += [{"method": "POST", "path": p, "headers": cross_site} for p in paths[-3:]]
    guesses = [first[:-4] + f"{n:04d}" for n in range(40)]
    requests += [{"method": "GET", "path": p, "ip": "203.0.113.5"} for p in guesses]
    requests += [{"method": "HEAD", "path": guesses[-1], "ip": "203.0.113.5"}]
    return requests


def _texts(row: Any) -> str:
    """Every text of an outbox row a link could be in."""
    return " ".join(
        [row.text or "", row.html or "", json.dumps(row.links), json.dumps(row.headers)]
    )


GONE = "postgresql+psycopg://x@127.0.0.1:9/x"  # a database that never answers


def answer(database_url: str, redis_url: str, requests: list[dict[str, Any]]) -> list[Any]:
    """This tree's app's answers (run in a process of the tree): as proxied, as direct, and
    the first few with the database gone; each phase from a fresh Redis."""
    from redis import Redis

    answers = []
    for proxies, url in ((1, database_url), (0, database_url), (0, GONE)):
        Redis.from_url(redis_url).flushall()
        app = _app(url, redis_url, proxies)
        for i, r in enumerate(requests if url == database_url else requests[:6]):
            answers.append([proxies, r["method"], r["path"], *_answer(app, r, i, proxies)])
    return answers


def _app(database_url: str, redis_url: str, proxies: int) -> Any:
    """The tree's web app on the database and Redis, at NOW, behind ``proxies`` proxies."""
    from mentormail.app.web import create_app
    from mentormail.service.adapters import FixedClock, RqQueue
    from mentormail.service.config import Config
    from mentormail.service.context import Services
    from mentormail.service.db import make_engine, make_sessionmaker

    config = Config.from_env(
        {"MENTORMAIL_DATA_DIR": tempfile.mkdtemp()},
        database_url=database_url,
        base_url="http://links.example.edu",
        trusted_proxies=proxies,
    )
    services = Services(
        config=config,
        sessions=make_sessionmaker(make_engine(database_url)),
        queue=RqQueue(redis_url),
        clock=FixedClock(NOW),
        mailer_factory=lambda: None,  # type: ignore[arg-type,return-value]
    )
    return create_app(services)


def _answer(app: Any, r: dict[str, Any], i: int, proxies: int) -> list[Any]:
    """Status, headers in order and body of one request (from an address of its own)."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    ip = r.get("ip") or f"10.1.{i // 250}.{i % 250}"
    headers = {**r.get("headers", {}), **({"X-Forwarded-For": ip} if proxies else {})}
    path, _, query = r["path"].partition("?")
    builder = EnvironBuilder(
        path=path,
        query_string=query,
        method=r["method"],
        headers=headers,
        data="confirm=yes" if r["method"] == "POST" else None,
        environ_base={"REMOTE_ADDR": "127.0.0.2" if proxies else ip},
    )
    iterable, status, got = run_wsgi_app(app, builder.get_environ())
    body = b"".join(iterable).decode("utf-8", "replace")
    return [status, list(got.items()), body]


def main() -> None:
    """Seed, have both trees answer, compare."""
    other = Path(sys.argv[1]).resolve()
    dialect = (
        sys.argv[sys.argv.index("--database") + 1] if "--database" in sys.argv else "postgresql"
    )
    sys.path.insert(0, str(ROOT))
    from tests.servers.postgres_server import start_postgres
    from tests.servers.redis_server import start_redis

    work = Path(tempfile.mkdtemp(prefix="mm-compare-"))
    redis = start_redis()
    postgres = start_postgres() if dialect == "postgresql" else None
    try:
        url = (
            postgres.url(postgres.create_database())
            if postgres
            else f"sqlite:///{work / 'links.db'}"
        )
        (work / "requests.json").write_text(json.dumps(seed(url)))
        results = {}
        for name, tree in (("this", ROOT), ("other", other)):
            out = work / f"{name}.json"
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--answer",
                    url,
                    redis.url,
                    str(work / "requests.json"),
                    str(out),
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=tree,
                env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"},
            )
            # the log without timestamps or traceback frames (the two call stacks differ)
            logged = re.sub(r"^\[[^]]*\] |^ .*\n", "", done.stderr, flags=re.M)
            results[name] = [*json.loads(out.read_text()), logged]
        report(results["this"], results["other"])
    finally:
        redis.stop()
        if postgres:
            postgres.stop()


def report(this: list[Any], other: list[Any]) -> None:
    """Print the differences (none, we hope) and a summary of what was compared."""
    this_log, other_log = this.pop(), other.pop()
    logs_differ = this_log != other_log
    if logs_differ:
        import difflib

        print(
            "".join(
                list(difflib.unified_diff(other_log.splitlines(True), this_log.splitlines(True)))[
                    :40
                ]
            )
        )
    differ = [(a, b) for a, b in zip(this, other, strict=True) if a != b]
    statuses: dict[str, int] = {}
    for proxies, method, _, status, headers, body in this:
        title = re.search(r"<title>(.*?)</title>", body)
        kind = title[1].split(" · ")[0] if title else dict(headers).get("Content-Type")
        key = f"{'proxied' if proxies else 'direct'} {method} {status} {kind}"
        statuses[key] = statuses.get(key, 0) + 1
    print(f"{len(this)} responses compared, {len(differ)} differ; logs differ: {logs_differ}")
    print(json.dumps(statuses, indent=1, sort_keys=True))
    for a, b in differ[:10]:
        print("THIS ", a[:5], a[5][:300])
        print("OTHER", b[:5], b[5][:300])
    sys.exit(1 if differ or logs_differ else 0)


if __name__ == "__main__":
    if sys.argv[1] == "--answer":
        _, _, db, redis_url, requests_file, out_file = sys.argv
        Path(out_file).write_text(
            json.dumps(answer(db, redis_url, json.loads(Path(requests_file).read_text())))
        )
    else:
        main()
