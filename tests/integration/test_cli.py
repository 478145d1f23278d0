"""The `mentormail` command as coordinators and operators run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import EXAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "eml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A fresh data folder, no Redis: commands that need none must work."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MENTORMAIL_")}
    return {**clean, "MENTORMAIL_DATA_DIR": str(tmp_path / "var")}


def mentormail(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a person would (from ``cwd``, else from the checkout)."""
    return subprocess.run(
        [sys.executable, "-m", "mentormail.app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_parse_prints_one_json_object_per_file_and_changes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    files = sorted(str(p) for p in FIXTURES.rglob("*.eml"))[:12]
    done = mentormail(env, "parse", "--context", "request", *files)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["file"] for r in rows] == files
    for row in rows:
        assert {"file", "kind", "reply", "intent", "rating", "bounce"} <= set(row)
        assert row["kind"] in {"human", "auto_reply", "bounce", "bulk"}
    assert not (tmp_path / "var").exists()  # nothing was written


def test_import_reports_each_bad_row_with_its_line_and_keeps_the_good_ones(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert mentormail(env, "init").returncode == 0
    assert mentormail(env, "program", "load", str(EXAMPLES / "program.yaml")).returncode == 0
    csv = tmp_path / "people.csv"
    csv.write_text(
        "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"
        "good@example.org,Good Person,mentor,Nurse,Health,,,2,email,Hi\n"
        "not-an-email,Bad Email,mentee,,,,,,,\n"
        "x@example.org,Wrong Role,coach,,,,,,,\n"
        "y@example.org,Bad Capacity,mentor,,,,,lots,email,\n"
    )
    done = mentormail(env, "import", str(csv), "--program", "alumni-2026")
    assert done.returncode == 1
    assert "created 1, updated 0, unchanged 0, rejected 3" in done.stdout
    assert f"{csv}:3: not an email address" in done.stderr
    assert f"{csv}:4: role must be mentor or mentee" in done.stderr
    assert f"{csv}:5: capacity must be a whole number" in done.stderr
    again = mentormail(env, "import", str(csv), "--program", "alumni-2026")
    assert "created 0, updated 0, unchanged 1, rejected 3" in again.stdout


def test_a_broken_program_file_gets_a_clear_error(env: dict[str, str], tmp_path: Path) -> None:
    mentormail(env, "init")
    bad = tmp_path / "program.yaml"
    bad.write_text(
        "slug: x\nname: X\naddress: not-an-address\nterm: {start: 2025-09-01, end: 2026-06-30}\n"
    )
    done = mentormail(env, "program", "load", str(bad))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {bad}: address: expected an email address, found 'not-an-address'\n"
    )


def test_outbox_json_lists_what_was_written(env: dict[str, str]) -> None:
    mentormail(env, "init")
    mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    mentormail(env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    stored = mentormail(env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    assert "stored as inbound #1" in stored.stdout
    duplicate = mentormail(env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    assert "duplicate of inbound #1" in duplicate.stdout
    listed = [json.loads(line) for line in mentormail(env, "outbox", "--json").stdout.splitlines()]
    assert [(row["to"], row["template"]) for row in listed] == [
        ("sam.rivera@student.example.edu", "mentor_list")
    ]


def test_attention_lists_what_needs_a_person_and_resolve_clears_it(env: dict[str, str]) -> None:
    mentormail(env, "init")
    mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    big = Path(env["MENTORMAIL_DATA_DIR"]) / "big.eml"
    big.write_bytes(
        b"From: someone@example.org\r\nSubject: huge\r\nMessage-ID: <huge@example.org>\r\n\r\n"
        + b"x" * 2000
    )
    mentormail({**env, "MENTORMAIL_INBOUND_MAX_BYTES": "1000"}, "ingest", str(big))
    listed = mentormail(env, "attention")
    assert "#1 " in listed.stdout and "over the size limit" in listed.stdout
    assert mentormail(env, "attention", "--resolve", "1").stdout.strip() == "#1 resolved"
    assert mentormail(env, "attention").stdout == ""
    missing = mentormail(env, "attention", "--resolve", "99")
    assert missing.returncode == 2 and "no attention item #99" in missing.stderr
