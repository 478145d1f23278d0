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


def reply_file(folder: Path, name: str, words: str) -> str:
    """A person's reply, as a raw .eml file."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"] = "Sam Rivera <sam@example.edu>", "reply+abc@example.edu"
    message["Subject"], message["Message-ID"] = "Re: your mentorship", f"<{name}@example.edu>"
    message.set_content(words)
    path = folder / f"{name}.eml"
    path.write_bytes(bytes(message))
    return str(path)


def test_parse_reads_fit_agreement_and_conclusion_replies_as_their_workflows_do(
    env: dict[str, str], tmp_path: Path
) -> None:
    helped = " ".join(mentormail(env, "parse", "--help").stdout.split())
    assert "search|general|fit|agreement|conclusion|proposal]" in helped

    def parsed(context: str, words: str) -> dict[str, object]:
        done = mentormail(env, "parse", "--context", context, reply_file(tmp_path, context, words))
        assert done.returncode == 0, done.stderr
        row: dict[str, object] = json.loads(done.stdout)
        assert row["context"] == context
        return row

    assert parsed("fit", "Yes, a good fit, thank you!")["fit"] == "good"
    assert parsed("fit", "Hmm, what do you mean?")["fit"] is None
    drafted = parsed("agreement", "1. Two mock interviews - with Ana, by 15 March\n2. A CV review")
    assert [g["text"] for g in drafted["goals"]] == ["Two mock interviews", "A CV review"]  # type: ignore[attr-defined]
    assert drafted["mentor_reply"] == "changed"
    assert parsed("agreement", "Looks good!")["mentor_reply"] == "approved"
    concluded = parsed("conclusion", "Two mock interviews.\nNext steps: a summer internship")
    assert (concluded["achieved"], concluded["next_steps"]) == (
        "Two mock interviews.",
        "a summer internship",
    )
    assert not (tmp_path / "var").exists()  # nothing was written


def test_parse_reads_a_proposal_reply_as_the_service_does_a_yes_beside_available(
    env: dict[str, str], tmp_path: Path
) -> None:
    words = "Hi,\nback from leave - yes, happy to mentor Emma.\nOliver"
    done = mentormail(env, "parse", "--context", "proposal", reply_file(tmp_path, "p", words))
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert (row["context"], row["intent"], row["proposal"]) == ("proposal", "available", "yes")
    assert row["available_too"] is True and row["proposal_question"] is False
    assert "|conclusion|proposal]" in " ".join(mentormail(env, "parse", "--help").stdout.split())


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
    assert [(row["to"], row["template"], row["expects"]) for row in listed] == [
        ("sam.rivera@student.example.edu", "mentor_list", "search")
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


def test_a_program_files_logo_and_colour_dress_its_html_email(
    env: dict[str, str], tmp_path: Path
) -> None:
    mentormail(env, "init")
    program = tmp_path / "program.yaml"
    program.write_text(
        (EXAMPLES / "program.yaml").read_text()
        + "\nlogo_url: https://alumni.example.edu/logo.png\ncolour: '#8a1538'\n"
    )
    loaded = mentormail(env, "program", "load", str(program))
    assert loaded.returncode == 0, loaded.stderr
    mentormail(env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    mentormail(env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    [row] = [json.loads(line) for line in mentormail(env, "outbox", "--json").stdout.splitlines()]
    html = mentormail_html(env, row["id"])
    assert 'src="https://alumni.example.edu/logo.png"' in html
    assert "border-top: 4px solid #8a1538" in html


def mentormail_html(env: dict[str, str], row_id: int) -> str:
    """The HTML part of outbox row ``row_id``, read from the database the CLI used."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{env['MENTORMAIL_DATA_DIR']}/mentormail.db")
    with engine.connect() as connection:
        html = connection.execute(
            text("select html from outbound_messages where id = :id"), {"id": row_id}
        ).scalar_one()
    engine.dispose()
    return str(html)


def test_export_person_prints_json_and_forget_person_erases_only_when_told(
    env: dict[str, str],
) -> None:
    mentormail(env, "init")
    mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    mentormail(env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    mentormail(env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    exported = json.loads(mentormail(env, "export-person", "sam.rivera@student.example.edu").stdout)
    assert exported["participants"][0]["name"] == "Sam Rivera"
    assert "From: Sam Rivera" in exported["rows_about_them"]["inbound_messages"][0]["raw"]

    piped = mentormail(env, "forget-person", "sam.rivera@student.example.edu")
    assert piped.returncode == 2 and "refusing to erase without --yes" in piped.stderr
    active = mentormail(env, "forget-person", "sam.rivera@student.example.edu", "--yes")
    assert active.returncode == 2
    assert "still takes part in alumni-2026: end their participation first" in active.stderr
    done = mentormail(
        env, "forget-person", "sam.rivera@student.example.edu", "--yes", "--end-participation"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("forgot sam.rivera@student.example.edu: 1 participant record")
    gone = mentormail(env, "export-person", "sam.rivera@student.example.edu")
    assert gone.returncode == 2
    assert gone.stderr == "error: no participant has the address sam.rivera@student.example.edu\n"


def test_coordinators_pause_resume_and_set_capacity_from_the_terminal(
    env: dict[str, str],
) -> None:
    mentormail(env, "init")
    mentormail(env, "program", "load", str(EXAMPLES / "program.yaml"))
    mentormail(env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    tom = "tom.becker@alumni.example.edu"
    paused = mentormail(env, "pause", tom)
    assert (paused.returncode, paused.stdout) == (
        0,
        "Tom Becker is paused (no new requests), and was told\n",
    )
    again = mentormail(env, "pause", tom)
    assert (again.returncode, again.stdout) == (
        1,
        "Tom Becker is already paused; nothing changed\n",
    )
    assert mentormail(env, "resume", tom).stdout == "Tom Becker is available again, and was told\n"
    assert mentormail(env, "capacity", tom, "4").stdout == "Tom Becker can now take 4 mentees\n"
    listed = [
        json.loads(line) for line in mentormail(env, "participants", "--json").stdout.splitlines()
    ]
    assert next(p for p in listed if p["email"] == tom)["capacity"] == 4
    nobody = mentormail(env, "pause", "nobody@example.org")
    assert nobody.returncode == 2 and "nobody@example.org takes part in none" in nobody.stderr
    sent = [
        json.loads(line)["template"]
        for line in mentormail(env, "outbox", "--json").stdout.splitlines()
    ]
    assert sent == ["paused_by_coordinators", "resumed_by_coordinators"]
