"""Months of a program year played through the real command with `sweep --at` and
MENTORMAIL_NOW, on SQLite and PostgreSQL: reminders, check-ins answered and missed, the
ladder, and what `matches --json` and `outbox --json` show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.harness import EXAMPLES

SAM = "sam.rivera@student.example.edu"
ANA = "ana.lima@alumni.example.edu"

pytestmark = pytest.mark.integration


class Cli:
    """The `mentormail` command on one database, at the instant it is told."""

    def __init__(self, database_url: str, tmp_path: Path) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MENTORMAIL_")}
        self.env = {
            **clean,
            "MENTORMAIL_DATA_DIR": str(tmp_path / "var"),
            "MENTORMAIL_DATABASE_URL": database_url,
        }
        self.tmp_path = tmp_path
        self.count = 0

    def run(self, *args: str, at: str | None = None) -> str:
        """Run one command (at MENTORMAIL_NOW=at); fail loudly if it fails."""
        env = {**self.env, **({"MENTORMAIL_NOW": at} if at else {})}
        done = subprocess.run(
            [sys.executable, "-m", "mentormail.app.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def outbox(self) -> list[dict[str, Any]]:
        """Every outbound email."""
        return [json.loads(line) for line in self.run("outbox", "--json").splitlines()]

    def last(self, to: str, template: str) -> dict[str, Any]:
        """The newest email of one kind to one person."""
        rows = [r for r in self.outbox() if r["to"] == to and r["template"] == template]
        assert rows, f"no {template} to {to}"
        return rows[-1]

    def reply(self, row: dict[str, Any], sender: str, words: str, at: str) -> None:
        """A person replies to one of our emails, at an instant."""
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sender, row["reply_to"], f"Re: {row['subject']}"
        msg["Message-ID"] = f"<r{self.count}@{sender.split('@')[1]}>"
        msg["In-Reply-To"] = row["message_id"]
        msg.set_content(words)
        self.count += 1
        path = self.tmp_path / f"reply{self.count}.eml"
        path.write_bytes(msg.as_bytes())
        self.run("ingest", str(path), at=at)

    def matches(self) -> list[dict[str, Any]]:
        """Every match, as --json prints it."""
        return [json.loads(line) for line in self.run("matches", "--json").splitlines()]


QUESTIONS = (
    *("checkin", "checkin_nudge", "checkin_partner_silent", "fit_check", "survey"),
    *("survey_reminder", "wrapup_question"),
)


def questions_to(cli: Cli, person: str) -> list[tuple[str, str]]:
    """(day, template) of each question the year has sent this person."""
    return [
        (r["created_at"][:10], r["template"])
        for r in cli.outbox()
        if r["to"] == person and r["template"] in QUESTIONS
    ]


def test_months_of_a_year_played_with_sweep_at(database_url: str, tmp_path: Path) -> None:
    cli = Cli(database_url, tmp_path)
    cli.run("init")
    cli.run("program", "load", str(EXAMPLES / "program.yaml"))
    cli.run("import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026")
    cli.run("ingest", str(EXAMPLES / "mentee-asks.eml"), at="2026-09-21T09:00")
    listing = cli.last(SAM, "mentor_list")
    number = next(
        line.split(".")[0].strip()
        for line in listing["text"].splitlines()
        if line.split(".")[0].strip().isdigit() and "Ana Lima" in line
    )
    cli.reply(listing, SAM, number, at="2026-09-21T09:05")
    asked = cli.last(ANA, "request_to_mentor")

    # Nothing is due yet; halfway through the window Ana is reminded, once.
    assert "request_reminders 0" in cli.run("sweep", "--at", "2026-09-22T09:00")
    swept = cli.run("sweep", "--at", "2026-09-26T10:00")
    assert "swept at 2026-09-26T10:00:00 UTC:" in swept and "request_reminders 1" in swept
    assert "request_reminders 0" in cli.run("sweep", "--at", "2026-09-26T10:00")
    reminder = cli.last(ANA, "request_reminder")
    assert reminder["expects"] == "request"
    assert "Sam Rivera is waiting for your answer" in reminder["subject"]
    cli.reply(asked, ANA, "Yes, happy to!", at="2026-09-27T08:00")
    assert cli.last(SAM, "intro_mentee")
    assert "request_reminders 0" in cli.run("sweep", "--at", "2026-09-30T10:00")

    # A month on, both are asked; Sam says they met, with the date; Ana never answers.
    assert "checkins 2" in cli.run("sweep", "--at", "2026-10-28T09:00")  # one to each
    to_sam = cli.last(SAM, "checkin")
    assert to_sam["expects"] == "checkin"
    assert to_sam["subject"] == "Have you and Ana met since Sunday 27 September 2026?"
    cli.reply(to_sam, SAM, "MET on 20 October", at="2026-10-28T12:00")
    assert "Tuesday 20 October 2026" in " ".join(cli.last(SAM, "met_logged")["text"].split())
    # One question at a time: the fit question and the pulse survey were due with the
    # check-in; the fit question comes two days on, the pulse two days after that.
    assert questions_to(cli, SAM) == [("2026-10-28", "checkin")]
    cli.run("sweep", "--at", "2026-10-30T09:00")
    fit_check = cli.last(SAM, "fit_check")
    assert fit_check["expects"] == "fit"
    cli.reply(fit_check, SAM, "Good fit!", at="2026-10-30T12:10")
    cli.run("sweep", "--at", "2026-10-31T09:00")
    cli.run("sweep", "--at", "2026-11-01T09:00")
    assert questions_to(cli, SAM) == [
        ("2026-10-28", "checkin"), ("2026-10-30", "fit_check"), ("2026-11-01", "survey")
    ]  # fmt: skip
    pulse = cli.last(SAM, "survey")
    assert pulse["expects"] == "survey"
    cli.reply(pulse, SAM, "4 - we meet every month", at="2026-11-01T12:20")
    (pair,) = cli.matches()
    assert (pair["mentor"], pair["mentee"], pair["state"]) == (ANA, SAM, "active")
    assert (pair["meetings"], pair["last_met_at"]) == (1, "2026-10-20")
    assert pair["fit"] == "good_one_side"  # Sam said good; Ana has not said yet
    assert pair["ratings"] == [
        {"by": "mentee", "value": 4, "comment": "we meet every month", "at": "2026-11-01T12:20:00"}
    ]

    # Two more months without a word from Ana: a personal nudge; Sam keeps answering.
    for at in ("2026-11-27T09:00", "2026-12-27T09:00"):
        cli.run("sweep", "--at", at)
        cli.reply(cli.last(SAM, "checkin"), SAM, "Not yet", at=at)
    nudge = cli.last(ANA, "checkin_nudge")
    assert "our last two check-ins" in " ".join(nudge["text"].split())

    # A third: Sam is asked whether to go on, and ends it by link.
    cli.run("sweep", "--at", "2027-01-26T09:00")
    asked_sam = cli.last(SAM, "checkin_partner_silent")
    assert "for the last three check-ins" in " ".join(asked_sam["text"].split())
    assert "end_silent" in asked_sam["links"]
    cli.reply(asked_sam, SAM, "END", at="2027-01-26T10:00")
    assert cli.last(ANA, "ended_unresponsive")
    (pair,) = cli.matches()
    assert pair["state"] == "ended"
    assert "checkins 0" in cli.run("sweep", "--at", "2027-03-01T09:00")  # nothing after the end
    for person in (SAM, ANA):
        days = [day for day, _ in questions_to(cli, person)]
        assert len(days) == len(set(days)), questions_to(cli, person)  # one question a morning
