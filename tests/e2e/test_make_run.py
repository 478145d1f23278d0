"""`mentormail run` (what `make run` starts) works on a fresh data folder with no settings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.harness import EXAMPLES

pytestmark = pytest.mark.e2e


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mentormail(env: dict[str, str], *args: str) -> str:
    """Run the CLI and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "mentormail.app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def wait_for(check: object, seconds: float = 60) -> None:
    """Poll until ``check()`` is true, or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {check}")


def example_program_installed(tmp_path: Path) -> tuple[dict[str, str], int]:
    """An environment with no MENTORMAIL_ settings but a data folder and a free web port,
    its database made and the example program and people loaded; and that port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORMAIL_")}
    env.update(MENTORMAIL_DATA_DIR=str(tmp_path / "var"), MENTORMAIL_WEB_PORT=str(port))
    mentormail(env, "init")
    mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    mentormail(env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    return env, port


def test_run_starts_everything_on_embedded_defaults_and_answers_a_dropped_email(
    tmp_path: Path,
) -> None:
    env, port = example_program_installed(tmp_path)
    run = subprocess.Popen(
        [sys.executable, "-m", "mentormail.app.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").status == 200)
        drop = tmp_path / "var" / "drop"
        (drop / "hello.eml").write_bytes((EXAMPLES / "mentee-asks.eml").read_bytes())
        sent = tmp_path / "var" / "sent" / "new"
        wait_for(lambda: sent.is_dir() and any(sent.iterdir()))
        mail = next(sent.iterdir()).read_text()
        assert "To: Sam Rivera <sam.rivera@student.example.edu>" in mail
        assert "Mentors who match" in mail
        assert (drop / "done").is_dir() and not (drop / "hello.eml").exists()
    finally:
        run.send_signal(signal.SIGINT)
        output, _ = run.communicate(timeout=60)
    assert "mentormail is running" in output
    assert "redis                  unix://" in output
    assert run.returncode is not None


def test_commands_beside_a_running_service_use_its_redis_without_being_told(
    tmp_path: Path,
) -> None:
    env, port = example_program_installed(tmp_path)
    recorded = tmp_path / "var" / "redis.url"
    run = subprocess.Popen(
        [sys.executable, "-m", "mentormail.app.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").status == 200)
        assert recorded.read_text().startswith("unix://")
        stored = mentormail(env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
        assert "stored as inbound #1, queued for a worker" in stored
        sent = tmp_path / "var" / "sent" / "new"
        wait_for(lambda: sent.is_dir() and any(sent.iterdir()), seconds=30)  # not the sweep
        assert "To: Sam Rivera <sam.rivera@student.example.edu>" in next(sent.iterdir()).read_text()
    finally:
        run.send_signal(signal.SIGINT)
        run.communicate(timeout=60)
    assert not recorded.exists()
    listed = mentormail(env, "outbox")  # the service is gone; the CLI still works on its own
    assert "sam.rivera@student.example.edu" in listed
