"""The drop folder laid with traps (a folder, a broken link, a link out of the folder, a
FIFO, all named *.eml) under a real ``mentormail clock --once``: it never hangs, every good
file still goes in, the traps are moved to skipped/ and reported."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.faults.installed import mentormail
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, email

pytestmark = pytest.mark.integration


def test_traps_in_the_drop_folder_neither_jam_nor_hang_the_clock(tmp_path: Path) -> None:
    data = tmp_path / "var"
    drop = data / "drop"
    drop.mkdir(parents=True)
    env = {**os.environ, "MENTORMAIL_DATA_DIR": str(data), "MENTORMAIL_REDIS_URL": ""}
    assert mentormail(env, "init").returncode == 0
    assert mentormail(env, "program", "load", str(EXAMPLES / "program.yaml")).returncode == 0
    secret = tmp_path / "secret.eml"
    secret.write_bytes(email("boss@example.org", PROGRAM_ADDRESS, "private, outside the folder"))
    (drop / "a-folder.eml").mkdir()
    (drop / "b-broken.eml").symlink_to(tmp_path / "missing.eml")
    (drop / "c-outside.eml").symlink_to(secret)
    os.mkfifo(drop / "d-fifo.eml")
    for n in range(10):
        body = f"Hello, message {n}"
        (drop / f"e-{n}.eml").write_bytes(email(f"p{n}@example.org", PROGRAM_ADDRESS, body))

    done = mentormail(env, "clock", "--once")

    assert done.returncode == 0, done.stderr
    stored = sqlite3.connect(data / "mentormail.db").execute(
        "SELECT from_addr FROM inbound_messages ORDER BY id"
    )
    assert [row[0] for row in stored] == [f"p{n}@example.org" for n in range(10)]
    skipped = sorted(p.name for p in (drop / "skipped").iterdir())
    assert skipped == ["a-folder.eml", "b-broken.eml", "c-outside.eml", "d-fifo.eml"]
    assert secret.exists()  # the link was moved aside, never what it points to
    listed = mentormail(env, "attention").stdout
    assert "drop folder: d-fifo.eml skipped (not a regular file" in listed
    assert "c-outside.eml skipped (a symbolic link to somewhere outside" in listed
