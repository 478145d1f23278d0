"""The drop folder, read so no entry can jam or hang it: only regular files are read, a
symlink is followed only to a file inside the folder, a FIFO never blocks, and whatever
cannot be read is moved to ``skipped/`` and reported; the rest still goes in."""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from mentormail.service import coordinators, inbound
from mentormail.service.context import Services

log = logging.getLogger(__name__)


class Unreadable(Exception):
    """A drop-folder entry that is not a mail file we may read."""


@dataclass
class DropReport:
    """What one pass over the folder did."""

    stored: int = 0
    skipped: list[str] = field(default_factory=list)


def read_folder(services: Services, folder: Path) -> DropReport:
    """Ingest every readable ``*.eml``, then move it to ``done/``; move the rest to
    ``skipped/`` with a word to the coordinators. Nothing is deleted."""
    report = DropReport()
    folder.mkdir(parents=True, exist_ok=True)
    done, skipped = folder / "done", folder / "skipped"
    done.mkdir(exist_ok=True)
    skipped.mkdir(exist_ok=True)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.name.endswith(".eml"):
            continue
        path = Path(entry.path)
        try:
            raw = _read_regular_file(path, folder)
        except Unreadable as why:
            _set_aside(services, path, skipped, str(why))
            report.skipped.append(entry.name)
            continue
        result = inbound.ingest(services, raw, "drop")
        path.rename(done / f"{result.inbound_id}-{path.name}")
        report.stored += 1
    return report


def _read_regular_file(path: Path, folder: Path) -> bytes:
    """The bytes of a regular file in the folder (directly, or by a link that stays inside)."""
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if target.parent != Path(os.path.realpath(folder)):
            raise Unreadable("a symbolic link to somewhere outside the drop folder")
        path = target
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise Unreadable(f"cannot be opened ({error.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable("not a regular file (a folder, a pipe or a device)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def _set_aside(services: Services, path: Path, skipped: Path, why: str) -> None:
    """Move the entry itself (never what a link points to) out of the way, and say so."""
    log.warning("drop folder: %s skipped: %s", path.name, why)
    try:
        path.rename(skipped / path.name)
    except OSError as error:
        log.warning("drop folder: could not move %s aside: %s", path.name, error)
    with services.unit() as uow:
        coordinators.flag(uow, None, f"drop folder: {path.name} skipped ({why})", str(path))
