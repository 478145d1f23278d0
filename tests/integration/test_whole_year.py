"""A whole program year through the real doors, on SQLite and PostgreSQL: the `mentormail`
commands (`ingest` for every reply, `sweep --at` for the clock, `end-participation`), and the
one-time link pages of the web app, all at the instant MENTORMAIL_NOW names. Nine pairs share
one program: one ending of each kind, a continuation and a conclusion; what people receive is
checked by reading it, and `matches --json` at the end against the issue's keys."""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from tests.harness import EXAMPLES

pytestmark = pytest.mark.integration

STAFF = "coordinator@example.edu"
PROGRAM = "mentors@example.edu"
MENTORS = {  # first name -> (profession, industry, interests); capacity 1 each, but spares
    "Uma Patel": ("Astronomer", "Research", "astronomy;telescopes"),
    "Nico Rossi": ("Architect", "Construction", "architecture;urban design"),
    "Grace Okafor": ("Nurse Practitioner", "Healthcare", "nursing;clinical practice"),
    "Farid Aziz": ("Journalist", "Media", "journalism;reporting"),
    "Tom Becker": ("Banker", "Finance", "banking;investment"),
    "Kurt Vogel": ("Lawyer", "Legal", "law;litigation"),
    "Lena Park": ("Marketer", "Retail", "marketing;branding"),
    "Ana Lima": ("Data Scientist", "Healthcare", "data science;public health"),
    "Carmen Diaz": ("Robotics Engineer", "Manufacturing", "robotics;automation"),
    "Rosa Mendes": ("Astrophysicist", "Research", "astronomy;physics"),
}
PAIRS = {  # pair -> (mentor, mentee, what the mentee searches for)
    "unresponsive": ("Uma Patel", "Ulla Berg", "astronomy and telescopes"),
    "not_invested": ("Nico Rossi", "Nadia Haddad", "architecture and urban design"),
    "great_year": ("Grace Okafor", "Gabe Moreno", "nursing and clinical practice"),
    "no_fault": ("Farid Aziz", "Fiona Walsh", "journalism and reporting"),
    "not_a_fit": ("Tom Becker", "Theo Lund", "banking and investment"),
    "conduct": ("Kurt Vogel", "Kim Jo", "law and litigation"),
    "left": ("Lena Park", "Leo Silva", "marketing and branding"),
    "term_end": ("Ana Lima", "Sam Rivera", "data science and public health"),
    "continued": ("Carmen Diaz", "Chris Obi", "robotics and automation"),
}
# Both answer every check-in, except those who never do.
SILENT = {"Uma Patel"}


def address(name: str) -> str:
    """A person's address: mentors are alumni, mentees students."""
    domain = "alumni" if name in MENTORS else "student"
    return f"{name.lower().replace(' ', '.')}@{domain}.example.edu"


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


class Doors:
    """The real doors at one instant each: the CLI (in this process, as a fresh process would
    build it from the environment) and the web app's link pages."""

    def __init__(self, database_url: str, tmp_path: Path) -> None:
        self.env = {
            "MENTORMAIL_DATA_DIR": str(tmp_path / "var"),
            "MENTORMAIL_DATABASE_URL": database_url,
            "MENTORMAIL_SECRET_KEY": "a-test-secret-that-is-long-enough-0123456789",
        }
        self.tmp_path = tmp_path
        self.count = 0
        self._outbox: list[dict[str, Any]] | None = None

    @contextmanager
    def _at(self, at: str | None) -> Iterator[None]:
        """The environment of one process started at MENTORMAIL_NOW=at."""
        saved = dict(os.environ)
        for key in [k for k in os.environ if k.startswith("MENTORMAIL_")]:
            del os.environ[key]
        os.environ.update({**self.env, **({"MENTORMAIL_NOW": at} if at else {})})
        bootstrap.install(None)
        try:
            yield
        finally:
            built = bootstrap.installed()
            if built is not None:
                built.sessions.kw["bind"].dispose()
            bootstrap.install(None)
            os.environ.clear()
            os.environ.update(saved)
            self._outbox = None

    def run(self, *args: str, at: str | None = None) -> str:
        """One `mentormail` command; it must succeed."""
        with self._at(at):
            done = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert done.exit_code == 0, done.output
        return done.stdout

    def sweep(self, at: str) -> str:
        """`mentormail sweep --at`."""
        return self.run("sweep", "--at", at)

    def press(self, url: str, at: str) -> tuple[str, str]:
        """Open a one-time link (GET), then press its button (POST): both pages' text."""
        path = urlsplit(url).path
        with self._at(at):
            client = bootstrap.web_app().test_client()
            shown = client.get(path)
            done = client.post(path, headers={"Sec-Fetch-Site": "same-origin"})
        assert shown.status_code == 200, shown.text
        return _page_text(shown.text), _page_text(done.text)

    def outbox(self) -> list[dict[str, Any]]:
        """Every outbound email (`outbox --json`), read again after anything happened."""
        if self._outbox is None:
            lines = self.run("outbox", "--json").splitlines()
            self._outbox = [json.loads(line) for line in lines]
        return self._outbox

    def to(self, name: str, template: str | None = None) -> list[dict[str, Any]]:
        """The emails one person (or address) got, oldest first, optionally of one kind."""
        to = address(name) if "@" not in name else name
        return [r for r in self.outbox() if r["to"] == to and template in (None, r["template"])]

    def last(self, name: str, template: str) -> dict[str, Any]:
        """The newest email of one kind to one person."""
        rows = self.to(name, template)
        assert rows, f"no {template} to {name}"
        return rows[-1]

    def write(self, sender: str, to: str, subject: str, words: str, at: str,
              in_reply_to: str = "") -> None:  # fmt: skip
        """Mail arrives (`mentormail ingest`)."""
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = f"{sender} <{address(sender)}>", to, subject
        msg["Message-ID"] = f"<y{self.count}@{address(sender).split('@')[1]}>"
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to
        msg.set_content(words)
        self.count += 1
        path = self.tmp_path / f"mail{self.count}.eml"
        path.write_bytes(msg.as_bytes())
        self.run("ingest", str(path), at=at)

    def reply(self, row: dict[str, Any], sender: str, words: str, at: str) -> None:
        """A person replies to one of our emails."""
        self.write(sender, row["reply_to"], f"Re: {row['subject']}", words, at, row["message_id"])

    def matches(self) -> dict[str, dict[str, Any]]:
        """`matches --json`, by the pair's mentee address."""
        rows = [json.loads(line) for line in self.run("matches", "--json").splitlines()]
        return {row["mentee"]: row for row in rows}


def _page_text(page: str) -> str:
    """What a link page says, as a person reads it."""
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def program_files(tmp_path: Path) -> tuple[Path, Path]:
    """The example program with the Mentoring Agreement on, and the year's people."""
    program = (EXAMPLES / "program.yaml").read_text().replace("agreement: false", "agreement: true")
    (tmp_path / "program.yaml").write_text(program)
    rows = ["email,name,role,profession,industry,major,interests,capacity,contact,bio"]
    for name, (job, industry, interests) in MENTORS.items():
        capacity = 3 if name == "Rosa Mendes" else 1
        rows.append(f"{address(name)},{name},mentor,{job},{industry},,{interests},{capacity},"
                    f"email,{name.split()[0]} is a {job.lower()}.")  # fmt: skip
    for _, mentee, _ in PAIRS.values():
        rows.append(f"{address(mentee)},{mentee},mentee,,,,,,,A student.")
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "program.yaml", tmp_path / "people.csv"


def introduce(doors: Doors, mentor: str, mentee: str, words: str, at: str) -> None:
    """The mentee asks by email, picks the mentor from the list by number, the mentor says yes."""
    doors.write(mentee, PROGRAM, "Looking for a mentor", f"Hi! I'm interested in {words}.", at)
    listing = doors.last(mentee, "mentor_list")
    number = next(
        line.split(".")[0].strip()
        for line in listing["text"].splitlines()
        if line.split(".")[0].strip().isdigit() and mentor in line
    )
    doors.reply(listing, mentee, number, at)
    doors.reply(doors.last(mentor, "request_to_mentor"), mentor, "Yes, happy to!", at)
    assert doors.last(mentee, "intro_mentee")


def answer_checkins(doors: Doors, at: str, skip: set[str]) -> None:
    """Everyone in an active pair answers the check-in they just got (but the silent, and
    those the year's story has other plans for)."""
    active = {row["mentee"] for row in doors.matches().values() if row["state"] == "active"}
    answers = []
    for pair, (mentor, mentee, _) in PAIRS.items():
        if address(mentee) not in active or pair in skip:
            continue
        for person, words in ((mentor, "MET, we had coffee"), (mentee, "Not yet, but soon")):
            asked = [r for r in doors.to(person) if r["expects"] == "checkin"]
            if person not in SILENT and asked and asked[-1]["created_at"].startswith(at[:10]):
                answers.append((asked[-1], person, words))
    for asked, person, words in answers:  # read first: each reply makes the outbox stale
        doors.reply(asked, person, words, at[:10] + "T16:00")


def test_a_whole_year_through_the_real_doors(database_url: str, tmp_path: Path) -> None:
    doors = Doors(database_url, tmp_path)
    program, people = program_files(tmp_path)
    doors.run("init")
    doors.run("program", "load", str(program))
    doors.run("import", str(people), "--program", "alumni-2026")

    # --- September: nine introductions, and the Mentoring Agreement -----------------------
    for mentor, mentee, words in PAIRS.values():
        introduce(doors, mentor, mentee, words, "2026-09-22T10:00")
    assert "Carmen Diaz" in flat(doors.last("Chris Obi", "intro_mentee")["text"])
    assert "agreement_emails 9" in doors.sweep("2026-09-22T11:00")  # each mentee asked for goals
    goals = doors.last("Gabe Moreno", "agreement_ask")
    assert goals["expects"] == "agreement" and "Grace" in flat(goals["text"])
    doors.reply(
        goals,
        "Gabe Moreno",
        "Hi Grace, my goals:\n- Shadow a clinic shift by 15 November\n"
        "- Apply to two graduate nursing programs by 1 February\n\nThanks, Gabe",
        "2026-09-23T10:00",
    )
    draft = doors.last("Grace Okafor", "agreement_draft")
    assert "Shadow a clinic shift" in flat(draft["text"])
    shown, done = doors.press(draft["links"]["agreement_approve"], "2026-09-24T10:00")
    assert "Agree to these goals?" in shown and "Agreed" in done
    for reader in ("Gabe Moreno", "Grace Okafor", STAFF):
        agreed = flat(doors.last(reader, "agreement_agreed")["text"])
        assert "1. Shadow a clinic shift (by Sunday 15 November 2026)" in agreed
        assert "2. Apply to two graduate nursing programs (by Monday 1 February 2027)" in agreed

    doors.sweep("2026-10-06T12:00")  # a fortnight on: the goals not sent yet are asked again
    assert doors.last("Chris Obi", "agreement_reminder")
    assert not doors.to("Gabe Moreno", "agreement_reminder")  # Gabe sent his

    # --- October: the first check-in, the fit check and the pulse survey --------------------
    at = "2026-10-22T12:00"
    doors.sweep(at)
    checkin = doors.last("Chris Obi", "checkin")
    assert checkin["subject"] == "Have you and Carmen met since Tuesday 22 September 2026?"
    assert checkin["expects"] == "checkin"
    end_link = checkin["links"]["end_match"]
    assert f"Want to end the mentorship? Reply END or use this link: {end_link}" in flat(
        checkin["text"]
    )
    answer_checkins(doors, at, skip=set())
    # One question at a time: the fit question and the pulse, due with the check-in, come
    # two and four days after it.
    assert not doors.to("Theo Lund", "fit_check") and not doors.to("Sam Rivera", "survey")
    doors.sweep("2026-10-24T12:00")
    not_fit = doors.last("Theo Lund", "fit_check")
    assert not_fit["expects"] == "fit" and not doors.to("Sam Rivera", "survey")
    shown, done = doors.press(not_fit["links"]["fit_not_a_fit"], "2026-10-24T14:00")
    assert "Not a fit?" in shown and "Thank you" in done
    told_tom = flat(doors.last("Tom Becker", "ended_not_a_fit")["text"])
    assert "Your mentorship with Theo Lund has ended. Thank you for the time" in told_tom
    assert "Not every pairing" not in told_tom  # a hint at what Theo said
    assert "Theo felt" not in told_tom  # Theo was promised Tom hears only that it ended
    assert "Your mentorship with Tom Becker has ended, with no fault on either side" in flat(
        doors.last("Theo Lund", "not_a_fit_confirmed")["text"]
    )
    doors.sweep("2026-10-26T12:00")
    doors.reply(doors.last("Sam Rivera", "survey"), "Sam Rivera", "4 - a good start",
                "2026-10-26T16:00")  # fmt: skip
    assert "(4 out of 5)" in flat(doors.last("Sam Rivera", "survey_thanks")["text"])
    doors.press(doors.last("Carmen Diaz", "survey")["links"]["pulse_5"], "2026-10-26T16:10")
    doors.reply(doors.last("Nadia Haddad", "survey"), "Nadia Haddad",
                "2 or 3 - Nico has cancelled twice", "2026-10-26T16:20")  # fmt: skip
    unsure = doors.last("Nadia Haddad", "survey_did_you_mean")  # the reader was not sure
    assert "> 2 or 3 - Nico has cancelled twice" in unsure["text"]
    doors.press(unsure["links"]["pulse_2"], "2026-10-26T16:30")
    (low,) = [r for r in doors.to(STAFF, "coordinator_alert") if "Nadia" in r["text"]]
    assert "Nico has cancelled twice" in flat(low["text"])  # at once, with her words

    # --- November: Leo leaves the program; Farid's circumstances change -----------------------
    at = "2026-11-21T12:00"
    doors.sweep(at)
    doors.reply(doors.last("Leo Silva", "checkin"), "Leo Silva", "Please stop emailing me",
                "2026-11-21T13:00")  # fmt: skip
    assert doors.last("Leo Silva", "left_program")
    assert "Leo Silva is no longer taking part in Alumni Mentor Program 2026-27" in flat(
        doors.last("Lena Park", "partner_left")["text"]
    )
    doors.reply(doors.last("Farid Aziz", "checkin"), "Farid Aziz",
                "I'd like to end the mentorship", "2026-11-21T13:10")  # fmt: skip
    which = doors.last("Farid Aziz", "ending_which")
    assert which["expects"] == "ending"
    assert "Nothing has been sent to Fiona yet" in flat(which["text"])
    doors.reply(which, "Farid Aziz", "4", "2026-11-21T13:20")
    farids = flat(doors.last("Farid Aziz", "ending_preview")["text"])
    assert "your place in the program is free again" in farids  # a mentor's: new mentees ask
    doors.press(doors.last("Farid Aziz", "ending_preview")["links"]["end_send"],
                "2026-11-21T13:30")  # fmt: skip
    to_fiona = flat(doors.last("Fiona Walsh", "ending_message")["text"])
    assert "Farid Aziz has ended your mentorship" in to_fiona
    assert "My circumstances have changed" in to_fiona
    # mentors with a free place are offered at once (since 2026-12-07: before, when none
    # matched her profile, she was only told to reply with a few words)
    assert "You don't have to stop here: here are other available mentors" in to_fiona
    answer_checkins(doors, at, skip={"left", "no_fault"})

    # --- December: Nadia ends by the check-in's link; Kurt is removed for conduct ------------
    at = "2026-12-21T12:00"
    doors.sweep(at)
    shown, done = doors.press(doors.last("Nadia Haddad", "checkin")["links"]["end_match"],
                              "2026-12-21T13:00")  # fmt: skip
    assert "End your mentorship with Nico Rossi?" in shown and "We've emailed you" in done
    doors.press(doors.last("Nadia Haddad", "ending_which")["links"]["end_not_invested"],
                "2026-12-21T13:10")  # fmt: skip
    doors.reply(doors.last("Nadia Haddad", "ending_preview"), "Nadia Haddad",
                "Nico, I've decided to end our mentorship: we've not managed to meet once."
                " I wish you well.", "2026-12-21T13:20")  # fmt: skip
    mine = doors.last("Nadia Haddad", "ending_preview")
    assert "we've not managed to meet once" in flat(mine["text"])  # her words, for a last look
    doors.press(mine["links"]["end_send"], "2026-12-21T13:30")
    to_nico = flat(doors.last("Nico Rossi", "ending_message")["text"])
    assert "Nadia Haddad has ended your mentorship" in to_nico
    assert "> Nico, I've decided to end our mentorship: we've not managed to meet once." in to_nico
    removed = doors.run("end-participation", address("Kurt Vogel"), "--reason",
                        "Conduct report 12", "--by", "dana", at="2026-12-21T14:00")  # fmt: skip
    assert "1" in removed
    to_kim = doors.last("Kim Jo", "partner_left")
    assert "Kurt Vogel is no longer taking part" in flat(to_kim["text"])
    assert "Conduct" not in to_kim["text"]  # the reason is never shared
    nudge = doors.last("Uma Patel", "checkin_nudge")
    assert "We haven't heard back from our last two check-ins" in flat(nudge["text"])
    assert "Reply END or use this link" in flat(nudge["text"])
    answer_checkins(doors, at, skip={"not_invested"})

    # --- January: Uma never answered: Ulla is asked whether to go on, and ends it -----------
    at = "2027-01-20T12:00"
    doors.sweep(at)
    asked = doors.last("Ulla Berg", "checkin_partner_silent")
    assert "We haven't heard from Uma Patel for the last three check-ins" in flat(asked["text"])
    shown, done = doors.press(asked["links"]["end_silent"], "2027-01-20T13:00")
    assert "End your mentorship with Uma Patel?" in shown and "Your mentorship has ended" in done
    assert "so your mentorship with Ulla Berg has ended" in flat(
        doors.last("Uma Patel", "ended_unresponsive")["text"]
    )
    assert "Done: your mentorship with Uma Patel has ended" in flat(
        doors.last("Ulla Berg", "unresponsive_ended")["text"]
    )
    answer_checkins(doors, at, skip={"unresponsive"})

    # --- February and March: the midpoint survey, a call for help, a meeting on a date -------
    doors.sweep("2027-02-05T12:00")  # the middle of the term (the clock runs every minute)
    midpoint = doors.last("Chris Obi", "survey")
    assert midpoint["subject"] == (
        "Halfway there: how is your mentorship going? (please answer by Friday 19 February 2027)"
    )
    doors.reply(midpoint, "Chris Obi", "5 - Carmen is great", "2027-02-05T13:00")
    doors.sweep("2027-02-12T12:00")
    reminded = doors.last("Sam Rivera", "survey_reminder")
    assert "Friday 19 February 2027" in flat(reminded["subject"] + " " + reminded["text"])
    assert not doors.to("Chris Obi", "survey_reminder")  # Chris answered
    doors.reply(reminded, "Sam Rivera", "4, we meet every month", "2027-02-12T13:00")
    at = "2027-02-19T12:00"
    doors.sweep(at)
    doors.reply(doors.last("Sam Rivera", "checkin"), "Sam Rivera",
                "HELP - we keep missing each other, could someone help us find a time?",
                "2027-02-19T13:10")  # fmt: skip
    assert "Nothing has been said to your mentor" in flat(
        doors.last("Sam Rivera", "help_passed_on")["text"]
    )
    helped = [r for r in doors.to(STAFF, "coordinator_alert") if "missing each other" in r["text"]]
    assert helped, "HELP reaches the coordinators at once, with the words"
    answer_checkins(doors, at, skip={"term_end"})
    doors.reply(doors.last("Ana Lima", "checkin"), "Ana Lima", "MET", "2027-02-19T16:30")
    at = "2027-03-21T12:00"
    doors.sweep(at)
    doors.reply(doors.last("Ana Lima", "checkin"), "Ana Lima",
                "MET on 12 March, we went through Sam's CV", "2027-03-21T13:00")  # fmt: skip
    assert "Friday 12 March 2027" in flat(doors.last("Ana Lima", "met_logged")["text"])
    answer_checkins(doors, at, skip=set())

    # --- April and May: Gabe wraps up a great year --------------------------------------------
    at = "2027-04-20T12:00"
    doors.sweep(at)
    doors.reply(doors.last("Gabe Moreno", "checkin"), "Gabe Moreno", "END", "2027-04-20T13:00")
    doors.reply(doors.last("Gabe Moreno", "ending_which"), "Gabe Moreno", "3",
                "2027-04-20T13:10")  # fmt: skip
    preview = flat(doors.last("Gabe Moreno", "ending_preview")["text"])
    assert "one last meeting to look back at the milestones" in preview
    doors.reply(doors.last("Gabe Moreno", "ending_preview"), "Gabe Moreno", "send it",
                "2027-04-20T13:20")  # fmt: skip
    to_grace = flat(doors.last("Grace Okafor", "ending_message")["text"])
    assert "Gabe Moreno has ended your mentorship" in to_grace and "after a great year" in to_grace
    assert "stay in touch" in to_grace
    answer_checkins(doors, at, skip={"great_year"})
    at = "2027-05-20T12:00"
    doors.sweep(at)
    answer_checkins(doors, at, skip=set())

    # --- June: both of one pair continue; the other pair wraps up and says what it achieved -
    at = "2027-06-09T12:00"
    doors.sweep(at)
    wrapup = doors.last("Chris Obi", "wrapup_question")
    assert wrapup["expects"] == "wrapup"
    assert wrapup["subject"] == (
        "Your mentorship with Carmen Diaz ends on Wednesday 30 June 2027: continue?"
    )
    doors.reply(wrapup, "Chris Obi", "CONTINUE", "2027-06-09T13:00")
    doors.press(doors.last("Carmen Diaz", "wrapup_question")["links"]["wrapup_continue"],
                "2027-06-09T13:10")  # fmt: skip
    for person in ("Chris Obi", "Carmen Diaz"):
        assert "your mentorship continues until Friday 30 June 2028" in flat(
            doors.last(person, "match_extended")["text"]
        )
    doors.press(doors.last("Ana Lima", "wrapup_question")["links"]["wrapup_end"],
                "2027-06-09T13:20")  # fmt: skip
    doors.sweep("2027-06-19T12:00")
    answer_checkins(doors, "2027-06-19T12:00", skip=set())
    assert "term_end_emails 2" in doors.sweep("2027-07-01T12:00")  # one pair: both asked
    to_sam = doors.last("Sam Rivera", "conclusion_question")
    assert to_sam["expects"] == "conclusion"
    assert "Next steps: what are your next career steps" in flat(to_sam["text"])
    doors.reply(to_sam, "Sam Rivera",
                "I built a readmission dashboard with Ana's help.\n\n"
                "Next steps: a master's in health informatics; yes, a new mentor would help.",
                "2027-07-01T13:00")  # fmt: skip
    assert doors.last("Sam Rivera", "conclusion_thanks")
    to_ana = doors.last("Ana Lima", "conclusion_question")
    assert "Would you mentor again next term?" in flat(to_ana["text"])
    doors.reply(to_ana, "Ana Lima", "Sam learned to present results with confidence.",
                "2027-07-01T13:10")  # fmt: skip
    doors.press(to_ana["links"]["mentor_again_yes"], "2027-07-01T13:20")
    outcome = flat(" ".join(r["text"] for r in doors.to(STAFF, "conclusion_to_coordinators")))
    assert "> I built a readmission dashboard with Ana's help." in outcome
    assert "> a master's in health informatics; yes, a new mentor would help." in outcome
    # The pair that continued is still checked in with after the term's end.
    doors.sweep("2027-07-19T12:00")
    assert doors.last("Chris Obi", "checkin")["subject"] == (
        "Have you and Carmen met since Saturday 19 June 2027?"
    )

    # --- nobody got two questions from the program on one morning ------------------------------
    questions = ("agreement_ask", "agreement_reminder", "checkin", "checkin_nudge",
                 "checkin_partner_silent", "fit_check", "survey", "survey_reminder",
                 "wrapup_question")  # fmt: skip
    asked = [(r["to"], r["created_at"][:10]) for r in doors.outbox() if r["template"] in questions]
    assert len(asked) == len(set(asked)), sorted(a for a in asked if asked.count(a) > 1)

    # --- what a coordinator sees at the end: `matches --json` -----------------------------------
    (tmp_path / "year.txt").write_text(  # the whole year's mail, to read when this fails
        "\n\n".join(
            f"#{r['id']} {r['created_at']} to {r['to']} [{r['template']}]\n{r['text']}"
            for r in doors.outbox()
        )
    )
    pairs = doors.matches()
    keys = {"mentor", "mentee", "state", "started_at", "ends_on", "extended", "meetings",
            "last_met_at", "agreement", "goals", "ratings", "fit", "ending", "outcome"}  # fmt: skip
    assert all(keys <= set(row) for row in pairs.values())
    endings = {
        pair: (pairs[address(mentee)]["ending"] or {}).get("reason")
        for pair, (_, mentee, _) in PAIRS.items()
    }
    assert endings == {
        "unresponsive": "unresponsive",
        "not_invested": "not_invested",
        "great_year": "great_year",
        "no_fault": "no_fault",
        "not_a_fit": "not_a_fit",
        "conduct": "conduct",
        "left": "left",
        "term_end": "term_end",
        "continued": None,
    }
    by = {pair: (pairs[address(v[1])]["ending"] or {}).get("by") for pair, v in PAIRS.items()}
    assert (by["unresponsive"], by["not_invested"], by["no_fault"], by["great_year"]) == (
        "mentee", "mentee", "mentor", "mentee"
    )  # fmt: skip
    assert by["not_a_fit"] == "mentee" and by["left"] == "mentee"
    continued = pairs[address("Chris Obi")]
    assert (continued["state"], continued["extended"], continued["ends_on"]) == (
        "active", True, "2028-06-30"
    )  # fmt: skip
    assert {(r["by"], r["value"]) for r in continued["ratings"]} == {("mentor", 5), ("mentee", 5)}
    great = pairs[address("Gabe Moreno")]
    assert great["agreement"] == "agreed" and len(great["goals"]) == 2
    assert pairs[address("Theo Lund")]["fit"] == "not_a_fit"
    (low_score,) = pairs[address("Nadia Haddad")]["ratings"]
    assert (low_score["by"], low_score["value"], low_score["comment"]) == (
        "mentee", 2, "2 or 3 - Nico has cancelled twice"
    )  # fmt: skip
    concluded = pairs[address("Sam Rivera")]
    assert concluded["state"] == "ended" and concluded["last_met_at"] >= "2027-03-12"
    assert concluded["outcome"]["achieved"] == {
        "mentee": "I built a readmission dashboard with Ana's help.",
        "mentor": "Sam learned to present results with confidence.",
    }
    assert concluded["outcome"]["next_steps"].startswith("a master's in health informatics")
    assert [r["value"] for r in concluded["ratings"]] == [4, 4]  # the pulse, the midpoint
