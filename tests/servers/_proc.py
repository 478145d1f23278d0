"""Helpers shared by the server fixtures: free ports, waiting, finding binaries, stopping."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence

import pytest

INSTALL_HINT = "run `sudo scripts/install-system-deps.sh` (Debian: apt-get install -y {pkg})"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    check: Callable[[], bool], timeout: float, what: str, log: Callable[[], str] | None = None
) -> None:
    """Poll ``check`` until it returns True; fail the session with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    detail = f"\n--- log ---\n{log()}" if log else ""
    raise RuntimeError(f"{what} did not come up within {timeout}s{detail}")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Return True when something accepts connections on ``host:port``."""
    with socket.create_connection((host, port), timeout=0.5):
        return True


def find_binary(name: str, extra_globs: Sequence[str] = ()) -> str | None:
    """Find ``name`` on PATH, in /usr/sbin, or in ``extra_globs`` (newest version last)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    for pattern in extra_globs:
        matches = sorted(glob.glob(pattern), key=_version_key)
        if matches:
            return matches[-1]
    return None


def _version_key(path: str) -> list[int]:
    """Sort key that orders /usr/lib/postgresql/9/... before /usr/lib/postgresql/15/..."""
    return [int(part) for part in path.split("/") if part.isdigit()]


def require_binary(name: str, pkg: str, extra_globs: Sequence[str] = ()) -> str:
    """Return the path of ``name`` or fail loudly with how to install it."""
    found = find_binary(name, extra_globs)
    if found is None:
        pytest.fail(
            f"`{name}` not found; the tests need a real one: " + INSTALL_HINT.format(pkg=pkg),
            pytrace=False,
        )
    return found


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Terminate ``proc`` (and kill it if it lingers)."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


def stop_pid(pid: int, timeout: float = 10) -> None:
    """Terminate a daemonised process by pid and wait until it is gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
