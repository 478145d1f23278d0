"""`make demo` plays the whole year through the real doors, and what it prints is what
happened: the early ending with its reason, the continuation, the unresponsive ladder, the
coordinator's digest and every pair in the matches table."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def mentormail(cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The real command, in ``cwd``, with none of the caller's MENTORMAIL_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORMAIL_")} | extra
    return subprocess.run(
        [sys.executable, "-m", "mentormail.app.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )


def read_by(data: Path, to: str, template: str) -> dict[str, Any]:
    """The newest email of one kind one person received in the demo's data folder."""
    done = mentormail(data.parent, "outbox", "--json", MENTORMAIL_DATA_DIR=str(data))
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return [r for r in rows if r["to"] == to and r["template"] == template][-1]


def test_the_demo_plays_a_year_and_prints_what_a_coordinator_sees(tmp_path: Path) -> None:
    kept = tmp_path / "year"
    done = mentormail(tmp_path, "demo", "--keep", str(kept))
    out = done.stdout
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and not (tmp_path / "var").exists()  # never ./var

    # The timeline: people write in their own words, some late, and receive real mail.
    assert "Sam Rivera writes to mentors@riverside.example.edu" in out
    assert re.search(r"Li Wei replies to “A reminder: Mateus Souza is waiting", out)
    assert re.search(r"Tom Becker clicks “Yes, I'll mentor Lucía”", out)
    # Tom never answers again: a nudge, then Lucía is asked, and ends it by the link.
    assert "→ Tom Becker: “We haven't heard from you about Lucía”" in out
    assert "→ Lucía Fernández: “Would you like to go on with Tom?”" in out
    assert re.search(
        r"Lucía Fernández clicks “End the mentorship” .*: Your mentorship has ended", out
    )
    # Camille ends early, in French, with her own message to Grace.
    assert "Camille Martin replies to" in out and "“Je voudrais terminer le mentorat.”" in out
    grace_read = read_by(kept, "grace.okafor@alumni.example.edu", "ending_message")
    assert grace_read["subject"] == "Camille Martin has ended your mentorship"
    assert "j'ai accepté un poste à Lyon" in " ".join(grace_read["text"].split())

    # What the coordinator received, and the fullest digest's text.
    assert "== What the coordinator received:" in out
    digest = out.split("== The fullest digest (text part):")[1].split("== How each pair")[0]
    assert "URGENT — HELP from mentee: mentor Tom Becker" in " ".join(digest.split())
    assert "> HELP - Tom no me contesta desde octubre." in digest
    # The coordinator acted once by replying to a digest, and was told what each line did.
    assert re.search(r"the coordinator replies to “Riverside Mentor Program 2026-27 digest", out)
    assert "→ the coordinator: “Done: 2 of 2 commands”" in out

    # How each pair's year went.
    assert re.search(r"Sam Rivera & Ana Lima: continuing: extended to 2028-06-30", out)
    assert re.search(
        r"Lucía Fernández & Tom Becker: ended \S+ by the mentee, reason unresponsive", out
    )
    assert re.search(
        r"Camille Martin & Grace Okafor: ended \S+ by the mentee, reason no_fault", out
    )
    assert re.search(r"Mateus Souza & Li Wei: ended 2027-07-01 .* reason term_end.*next steps", out)

    # It ends with the matches table, every pair in it.
    table = out.split("== mentormail matches ==")[1].strip().splitlines()
    assert table[0].split()[:4] == ["id", "mentor", "mentee", "state"]
    rows = {tuple(line.split()[1:4]) for line in table[1:]}
    assert rows == {
        ("ana.lima@alumni.example.edu", "sam.rivera@student.example.edu", "active"),
        ("tom.becker@alumni.example.edu", "lucia.fernandez@student.example.edu", "ended"),
        ("grace.okafor@alumni.example.edu", "camille.martin@student.example.edu", "ended"),
        ("li.wei@alumni.example.edu", "mateus.souza@student.example.edu", "ended"),
    }


def test_a_shorter_year_as_json_prints_the_pairs_so_far(tmp_path: Path) -> None:
    done = mentormail(tmp_path, "demo", "--until", "2026-10-01", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    pairs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(p["mentee"], p["state"], p["agreement"]) for p in pairs] == [
        ("sam.rivera@student.example.edu", "active", "agreed"),
        ("lucia.fernandez@student.example.edu", "active", "draft"),
        ("camille.martin@student.example.edu", "active", "agreed"),
        ("mateus.souza@student.example.edu", "active", "none"),
    ]
