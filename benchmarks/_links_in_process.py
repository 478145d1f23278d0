"""CPU a link page GET takes in the web process, the WSGI app called as gunicorn calls it
(PostgreSQL + Redis, every GET a different "Ask" link from an address of its own), for two
trees alternated round by round on the same database and Redis (not a ``bench`` row).

Usage: .venv/bin/python benchmarks/_links_in_process.py BEFORE_DIR [--gets 2000] [--rounds 3]
       [--profile]  (BEFORE_DIR: e.g. ``git archive main | tar -x -C DIR``; each round runs
       the tree in a process of its own, that directory first on sys.path)
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 200


def environ(path: str, n: int) -> dict[str, Any]:
    """The WSGI environ gunicorn's sync worker gives a GET from behind one proxy."""
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "wrk",
        "HTTP_X_FORWARDED_FOR": f"10.{n // 65025 % 250}.{n // 255 % 255}.{1 + n % 254}",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def serve(paths: list[str], gets: int, offset: int, profile: bool) -> float:
    """µs of this process's CPU a GET over ``gets`` GETs (after a warm-up)."""
    from mentormail.app.bootstrap import web_app

    app = web_app()
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        statuses.append(status)

    def one(n: int) -> None:
        body = app(environ(paths[(offset + n) % len(paths)], offset + n), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    for n in range(WARM_UP):
        one(n)
    if profile:
        import cProfile

        cProfile.runctx("for n in range(gets): one(n)", globals(), locals(), sort="cumulative")
    began = time.process_time()
    for n in range(WARM_UP, WARM_UP + gets):
        one(n)
    spent = time.process_time() - began
    if set(statuses) != {"200 OK"}:
        raise RuntimeError(f"not every GET was a page: {set(statuses)}")
    return spent / gets * 1e6


def main() -> None:
    """Seed the links, then alternate the trees round by round."""
    sys.path.insert(0, str(ROOT))  # not in --serve: there the tree's own code is imported
    from links import links_for

    from tests.servers.postgres_server import start_postgres
    from tests.servers.redis_server import start_redis

    before = Path(sys.argv[1]).resolve()
    gets = int(sys.argv[sys.argv.index("--gets") + 1]) if "--gets" in sys.argv else 2000
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    folder = Path(tempfile.mkdtemp(prefix="mm-links-in-process-"))
    postgres, redis = start_postgres(), start_redis(folder)
    try:
        url = postgres.url(postgres.create_database())
        paths, _ = links_for(url, 5000, 0)
        (folder / "paths.json").write_text(json.dumps(paths))
        env = {
            **os.environ,
            "MENTORMAIL_DATABASE_URL": url,
            "MENTORMAIL_REDIS_URL": redis.url,
            "MENTORMAIL_BASE_URL": "http://links.bench.example.org",
            "MENTORMAIL_SECRET_KEY": "bench-" + "x" * 40,
            "MENTORMAIL_DATA_DIR": str(folder / "var"),
            "MENTORMAIL_TRUSTED_PROXIES": "1",
        }
        spent: dict[str, list[float]] = {"before": [], "after": []}
        for r in range(rounds):
            for name, tree in (("before", before), ("after", ROOT)):
                command = [sys.executable, __file__, "--serve", str(folder / "paths.json")]
                command += [
                    str(gets),
                    str(r * 7919),
                    *(["--profile"] if "--profile" in sys.argv else []),
                ]
                out = subprocess.run(
                    command,
                    env={**env, "PYTHONPATH": str(tree)},
                    cwd=tree,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                if "--profile" in sys.argv:
                    print(f"--- {name}\n" + "\n".join(out.stdout.splitlines()[:60]))
                spent[name].append(float(out.stdout.splitlines()[-1]))
                print(f"round {r + 1} {name}: {spent[name][-1]:.0f} µs CPU a GET", flush=True)
        for name, values in spent.items():
            print(f"{name}: least {min(values):.0f}, median {statistics.median(values):.0f} µs")
    finally:
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        paths = json.loads(Path(sys.argv[2]).read_text())
        print(serve(paths, int(sys.argv[3]), int(sys.argv[4]), "--profile" in sys.argv))
    else:
        main()
