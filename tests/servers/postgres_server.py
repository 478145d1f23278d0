"""A private PostgreSQL cluster on 127.0.0.1 (run as user ``postgres`` when we are root)."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.servers._proc import find_binary, free_port

PG_GLOBS = ("/usr/lib/postgresql/*/bin/{name}", "/usr/local/pgsql/bin/{name}")
INSTALL = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
    "/usr/lib/postgresql/*/bin. Install them: `sudo scripts/install-system-deps.sh` "
    "(Debian: apt-get install -y postgresql), or set MENTORMAIL_TEST_SKIP_PG=1 to "
    "skip the PostgreSQL tests on purpose."
)


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def pg_binary(name: str) -> str:
    """Find a PostgreSQL server binary on PATH or in Debian's versioned directories."""
    found = find_binary(name, [g.format(name=name) for g in PG_GLOBS])
    if found is None:
        raise PostgresMissing(INSTALL)
    return found


@dataclass
class PostgresServer:
    """A running cluster; ``url(db)`` gives a SQLAlchemy URL for database ``db``."""

    datadir: Path
    port: int
    run_as: str | None = field(default=None, repr=False)
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1), repr=False)
    host: str = "127.0.0.1"
    user: str = "postgres"

    def url(self, db: str = "postgres") -> str:
        """Return the SQLAlchemy (psycopg 3) URL of database ``db``."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{db}"

    def dsn(self, db: str = "postgres") -> str:
        """Return the libpq connection string of database ``db``."""
        return f"host={self.host} port={self.port} user={self.user} dbname={db}"

    def create_database(self) -> str:
        """Create an empty database ``test_<n>`` and return its name."""
        name = f"test_{next(self._names)}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, disconnecting anyone still using it."""
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the cluster quickly and remove its files."""
        _run(
            self.run_as,
            [pg_binary("pg_ctl"), "-D", str(self.datadir), "stop", "-m", "fast", "-w"],
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _run(run_as: str | None, cmd: list[str], check: bool = True) -> None:
    """Run ``cmd`` (as ``run_as`` via runuser when given); raise with its output on failure."""
    full = ["runuser", "-u", run_as, "--", *cmd] if run_as else cmd
    done = subprocess.run(
        full, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, timeout=120
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(full)} failed:\n{done.stdout}\n{done.stderr}")


FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"  # tests: nothing to keep
DURABLE = "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"  # as production commits


def start_postgres(*, durable: bool = False) -> PostgresServer:
    """initdb a fresh cluster in a temp dir and start it on a free loopback port; ``durable``:
    every commit waits for its WAL on disk, as a production server's do (benchmarks)."""
    initdb, pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="mm-pg-"))
    datadir = root / "data"
    datadir.mkdir()
    if run_as:
        owner = pwd.getpwnam(run_as)
        os.chmod(root, 0o755)
        for path in (root, datadir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    _run(
        run_as,
        [
            initdb,
            "-D",
            str(datadir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
    )
    for attempt in range(3):
        port = free_port()
        opts = (
            f"-k {datadir} -p {port} -c listen_addresses=127.0.0.1 "
            f"{DURABLE if durable else FAST} -c max_connections=200"
        )
        try:
            _run(
                run_as,
                [
                    pg_ctl,
                    "-D",
                    str(datadir),
                    "-o",
                    opts,
                    "-l",
                    str(root / "pg.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            )
            return PostgresServer(datadir=datadir, port=port, run_as=run_as)
        except RuntimeError as exc:
            if attempt == 2:  # a port race twice more is unlikely; give up with the log
                log = root / "pg.log"
                text = log.read_text() if log.exists() else ""
                shutil.rmtree(root, ignore_errors=True)
                raise RuntimeError(f"{exc}\n--- postgres log ---\n{text}") from exc
    raise AssertionError("unreachable")
