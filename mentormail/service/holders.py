"""Who holds a claim, and whether that holder is a process of this machine that has died.

A holder reads ``host:kernel:pidns:pid:start``: the host name, this boot of the kernel, the
PID namespace (containers on one kernel each have their own) and the process with the tick
it started at (a reused PID has another). Only a holder with this process's kernel and PID
namespace can be checked here; any other is presumed alive, and its lease runs out as before.
Off Linux (no /proc) every holder is presumed alive.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path

PROC = Path("/proc")


def this_process() -> str:
    """This process as a claim's holder (at most 100 characters, the column's width)."""
    pid = os.getpid()
    return f"{socket.gethostname()[:40]}:{_machine()}:{pid}:{_started(pid) or 0}"


def died_here(holder: str) -> bool:
    """True only when the holder ran under this kernel and PID namespace and is gone: no such
    process, a process that started at another tick (the PID was reused), or a zombie."""
    parts = holder.rsplit(":", 4)
    if len(parts) != 5 or _machine() == "unknown" or ":".join(parts[1:3]) != _machine():
        return False
    pid, started = parts[3], parts[4]
    if not (pid.isdigit() and started.isdigit()) or started == "0":
        return False
    return _started(int(pid)) != int(started)


@cache
def _machine() -> str:
    """This boot of the kernel and this PID namespace, or "unknown" where /proc says neither."""
    try:
        boot = (PROC / "sys/kernel/random/boot_id").read_text().strip().replace("-", "")[:12]
        namespace = os.stat(PROC / "self/ns/pid").st_ino
    except OSError:
        return "unknown"
    return f"{boot}:{namespace}"


def _started(pid: int) -> int | None:
    """The tick a live process started at; None when it is gone or a zombie."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses
    state, start = fields[0], fields[19]
    return None if state in ("Z", "X") else int(start)
