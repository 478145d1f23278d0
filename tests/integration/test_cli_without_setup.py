"""The `mentormail` command run from any folder, with no Redis, as a coordinator would."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.harness import EXAMPLES
from tests.integration.test_cli import env, mentormail

SAM = "sam.rivera@student.example.edu"
ANA = "ana.lima@alumni.example.edu"
__all__ = ["env"]  # the shared fixture: a fresh data folder, no Redis
READ_COMMANDS = [
    ("attention",),
    ("outbox",),
    ("participants",),
    ("matches", "--json"),
    ("sweep",),
    ("work", "--burst"),
    ("ingest", str(EXAMPLES / "mentee-asks.eml")),
    ("import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026"),
    ("program", "load", str(EXAMPLES / "program.yaml")),
]


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder that is not the checkout, with nothing in it."""
    folder = tmp_path / "somewhere-else"
    folder.mkdir()
    return folder


@pytest.fixture
def bare_env(env: dict[str, str]) -> dict[str, str]:
    """No MENTORMAIL_* at all: every default, data under ./var of wherever we run."""
    return {k: v for k, v in env.items() if k != "MENTORMAIL_DATA_DIR"}


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_with_no_database_says_in_one_line_what_to_do_and_creates_nothing(
    bare_env: dict[str, str], elsewhere: Path, command: tuple[str, ...]
) -> None:
    done = mentormail(bare_env, *command, cwd=elsewhere)
    assert done.returncode == 2
    expected_url = f"sqlite:///{elsewhere / 'var' / 'mentormail.db'}"
    assert done.stderr == (
        f"error: no mentormail database at {expected_url} — run 'mentormail init' "
        "(or 'make run') first, or set MENTORMAIL_DATABASE_URL\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_database_file_without_our_tables_is_refused_and_left_alone(
    env: dict[str, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    done = mentormail({**env, "MENTORMAIL_DATABASE_URL": f"sqlite:///{empty}"}, "attention")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: the database at sqlite:///{empty} has no mentormail")
    assert len(done.stderr.splitlines()) == 1
    assert empty.read_bytes() == b""


def test_init_creates_the_database_in_the_folder_it_is_run_from(
    bare_env: dict[str, str], elsewhere: Path
) -> None:
    done = mentormail(bare_env, "init", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "var" / "mentormail.db").is_file()
    assert mentormail(bare_env, "attention", cwd=elsewhere).returncode == 0


def test_init_says_in_one_line_what_it_did_and_leaves_migration_chatter_to_verbose(
    bare_env: dict[str, str], elsewhere: Path
) -> None:
    first = mentormail(bare_env, "init", cwd=elsewhere)
    again = mentormail(bare_env, "init", cwd=elsewhere)
    verbose = mentormail(bare_env, "-v", "init", cwd=elsewhere)
    assert re.fullmatch(
        r"database ready: sqlite:///\S+mentormail\.db \(schema \w+, upgraded from an empty "
        r"database\)\n",
        first.stdout,
    ), first.stdout
    assert first.stderr == "" and again.stderr == ""
    assert again.stdout.endswith(", already the newest)\n")
    assert "alembic.runtime.migration INFO" in verbose.stderr


def loaded(env: dict[str, str], cwd: Path | None = None) -> None:
    """init, the example program and its people."""
    for args in (
        ("init",),
        ("program", "load", str(EXAMPLES / "program.yaml")),
        ("import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026"),
    ):
        done = mentormail(env, *args, cwd=cwd)
        assert done.returncode == 0, done.stderr


def outbox(env: dict[str, str], cwd: Path | None = None) -> list[dict[str, Any]]:
    """What `mentormail outbox --json` lists."""
    done = mentormail(env, "outbox", "--json", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def reply(row: dict[str, Any], sender: str, text: str, folder: Path) -> Path:
    """A person's reply to one of our messages, as an .eml file."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row["reply_to"]
    msg["Subject"] = "Re: " + row["subject"]
    msg["Message-ID"] = f"<reply-{row['id']}@example.org>"
    msg["In-Reply-To"] = row["message_id"]
    msg.set_content(text)
    path = folder / f"reply-{row['id']}.eml"
    path.write_bytes(msg.as_bytes())
    return path


def test_without_redis_ingest_processes_the_mail_at_once_and_says_so(
    bare_env: dict[str, str], elsewhere: Path
) -> None:
    loaded(bare_env, elsewhere)
    done = mentormail(bare_env, "ingest", str(EXAMPLES / "mentee-asks.eml"), cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"{EXAMPLES / 'mentee-asks.eml'}: stored as inbound #1; "
        "no Redis queue, so processed now: processed\n"
    )
    (listing,) = outbox(bare_env, elsewhere)
    assert listing["to"] == SAM and listing["status"] == "sent"
    assert "1. Ana Lima" in listing["text"]
    assert len(list((elsewhere / "var" / "sent" / "new").iterdir())) == 1


def test_without_redis_work_burst_works_the_rows_the_database_has_waiting(
    env: dict[str, str],
) -> None:
    loaded(env)
    # A Redis that is gone: the mail is stored, its job cannot be queued, and it waits.
    gone = {**env, "MENTORMAIL_REDIS_URL": "redis://127.0.0.1:1/0"}
    stored = mentormail(gone, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    assert "stored as inbound #1, queued for a worker" in stored.stdout
    assert outbox(env) == []
    done = mentormail(env, "work", "--burst")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "no Redis queue: worked the database: processed 1 inbound, sent 1 outbound\n"
    )
    assert [row["status"] for row in outbox(env)] == ["sent"]
    again = mentormail(env, "work", "--burst")
    assert "processed 0 inbound, sent 0 outbound" in again.stdout


def test_participants_and_matches_list_who_is_in_the_program_and_who_is_paired(
    env: dict[str, str], tmp_path: Path
) -> None:
    loaded(env)
    mentormail(env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    mentormail(env, "ingest", str(reply(outbox(env)[-1], SAM, "1", tmp_path)))
    to_ana = [row for row in outbox(env) if row["to"] == ANA]
    mentormail(env, "ingest", str(reply(to_ana[-1], ANA, "Yes, happy to!", tmp_path)))

    listed = mentormail(env, "matches", "--json").stdout.splitlines()
    (match,) = [json.loads(line) for line in listed]
    assert (match["mentor"], match["mentee"], match["state"]) == (ANA, SAM, "active")
    assert match["ends_on"] == "2027-06-30" and match["started_at"].startswith("20")
    people = {
        row["email"]: row
        for row in map(json.loads, mentormail(env, "participants", "--json").stdout.splitlines())
    }
    assert len(people) == 6
    assert people[ANA] | {"program": None} == {
        "program": None,
        "email": ANA,
        "name": "Ana Lima",
        "role": "mentor",
        "status": "active",
        "availability": "available",
        "capacity": 1,
        "active_matches": 1,
    }
    assert people[SAM]["active_matches"] == 1 and people[SAM]["capacity"] is None
    assert people["tom.becker@alumni.example.edu"]["active_matches"] == 0

    table = mentormail(env, "participants", "--program", "alumni-2026").stdout.splitlines()
    assert table[0].split() == [
        "program", "email", "name", "role", "status", "availability", "capacity",
        "active_matches",
    ]  # fmt: skip
    assert len(table) == 7
    assert table[0].index("role") == table[1].index("mentee")  # aligned columns
    matches_table = mentormail(env, "matches").stdout.splitlines()
    assert matches_table[0].split() == [
        "id", "mentor", "mentee", "state", "started_at", "ends_on", "meetings", "last_met_at",
    ]  # fmt: skip
    assert matches_table[1].split()[:4] == ["1", ANA, SAM, "active"]
    unknown = mentormail(env, "matches", "--program", "nope")
    assert unknown.returncode == 2 and "no program 'nope'" in unknown.stderr


def program_file(folder: Path, start: date, end: date, extra: str = "") -> Path:
    """A small program file with the given term."""
    path = folder / "program.yaml"
    path.write_text(
        "slug: p\nname: P\naddress: p@example.org\n"
        f"term: {{start: {start.isoformat()}, end: {end.isoformat()}}}\n{extra}"
    )
    return path


def test_program_load_warns_in_one_line_about_a_term_that_has_ended(
    env: dict[str, str], tmp_path: Path
) -> None:
    mentormail(env, "init")
    today = date.today()
    path = program_file(tmp_path, today - timedelta(days=300), today - timedelta(days=30))
    done = mentormail(env, "program", "load", str(path))
    assert done.returncode == 0
    assert done.stdout == "program p created: P <p@example.org>\n"
    (warning,) = done.stderr.splitlines()
    assert warning.startswith(f"warning: {path}: the term ended on ")
    assert "(30 days ago)" in warning


def test_program_load_warns_about_a_term_ending_within_response_days(
    env: dict[str, str], tmp_path: Path
) -> None:
    mentormail(env, "init")
    today = date.today()
    path = program_file(tmp_path, today - timedelta(days=200), today + timedelta(days=3))
    done = mentormail(env, "program", "load", str(path))
    assert done.returncode == 0
    (warning,) = done.stderr.splitlines()
    assert ", in 3 days, within response_days (10)" in warning
    current = mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    assert current.returncode == 0 and current.stderr == ""


def test_program_load_names_the_file_and_a_misspelled_key(
    env: dict[str, str], tmp_path: Path
) -> None:
    today = date.today()
    path = program_file(
        tmp_path, today, today + timedelta(days=200), "response_dayz: 7\ntemplates: mine\n"
    )
    done = mentormail(env, "program", "load", str(path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {path}: response_dayz: unknown key (did you mean response_days?)",
        f"error: {path}: templates: expected an existing folder, found 'mine' "
        f"({tmp_path / 'mine'} does not exist)",
    ]


def test_program_keys_and_load_help_list_every_key(env: dict[str, str]) -> None:
    keys = mentormail(env, "program", "keys")
    assert keys.returncode == 0
    assert re.search(
        r"^response_days +whole number of days, at least 1; default: 10$", keys.stdout, re.M
    )
    assert "term.end" in keys.stdout and "templates" in keys.stdout
    helped = mentormail(env, "program", "load", "--help").stdout
    assert "The keys of a program file:" in helped
    assert re.search(r"default_capacity +whole number of mentees, at least 1; default: 2", helped)


def test_sweep_help_says_at_acts_and_sends_rather_than_previewing(env: dict[str, str]) -> None:
    helped = " ".join(mentormail(env, "sweep", "--help").stdout.split())
    assert "what is due then is done and its mail goes out" in helped
    assert "it is not a preview" in helped and "preview what is due" not in helped
