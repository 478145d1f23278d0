"""`mentormail report` of a realistic program: the CSV has one row per match that a
spreadsheet reads back, the HTML page carries the figures and six charts, and the PDF that
Chromium prints from it is a real PDF whose text holds the same figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page
from pypdf import PdfReader

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from mentormail.service.context import Services
from mentormail.service.models import (
    Match,
    MatchClock,
    MatchTerm,
    Meeting,
    MentorshipRequest,
    Participant,
    Rating,
)
from mentormail.service.programs import import_participants, load_program, read_program_file
from tests.fakes import FakeClock
from tests.harness import EXAMPLES, make_services

pytestmark = pytest.mark.integration

START = datetime(2026, 9, 15, 10, 0)
HEADER = "email,name,role,profession,industry,major,interests,capacity,contact,bio,cohort\n"


def people() -> str:
    """12 mentors and 40 mentees in two cohorts."""
    rows = [
        f"mentor{n}@alumni.example.edu,Mentor{n} Alum,mentor,Engineer,Tech,CS,startups,3,"
        f"email,Builds things.,"
        for n in range(12)
    ]
    rows += [
        f"mentee{n}@student.example.edu,Mentee{n} Student,mentee,,,Economics,startups,,,"
        f"Student.,{'Class of 2028' if n % 3 == 2 else 'Class of 2027'}"
        for n in range(40)
    ]
    return HEADER + "\n".join(rows) + "\n"


def build(services: Services) -> None:
    """A term's records: 30 requests (22 accepted, 5 declined, 3 expired), 22 matches with
    meetings, ratings, fit answers, 5 endings and outcomes."""
    with services.unit() as uow:
        s = uow.session
        program = load_program(s, read_program_file(EXAMPLES / "program.yaml"))
        assert not import_participants(s, program, people()).errors
        by_email = {p.email: p for p in s.query(Participant)}
        for n in range(30):
            mentee = by_email[f"mentee{n}@student.example.edu"]
            mentor = by_email[f"mentor{n % 12}@alumni.example.edu"]
            state = "accepted" if n < 22 else "declined" if n < 27 else "expired"
            asked = START + timedelta(days=n % 10)
            request = MentorshipRequest(
                program_id=program.id, mentee_id=mentee.id, mentor_id=mentor.id, state=state,
                created_at=asked,
                decided_at=asked + timedelta(hours=6 + 20 * (n % 5)) if state != "expired"
                else asked + timedelta(days=10),
            )  # fmt: skip
            s.add(request)
            s.flush()
            if state != "accepted":
                continue
            ended = n in (1, 5, 9, 13, 17)
            match = Match(
                program_id=program.id, mentor_id=mentor.id, mentee_id=mentee.id,
                request_id=request.id, state="ended" if ended else "active",
                started_at=request.decided_at, ends_on=date(2027, 6, 30),
                ended_at=request.decided_at + timedelta(days=60) if ended else None,
                end_reason=("not_a_fit" if n in (1, 5) else "schedule" if n == 9 else
                            "goals_met" if ended else None),
                ended_by="mentee" if ended else None,
            )  # fmt: skip
            s.add(match)
            s.flush()
            for k in range(n % 6):
                s.add(Meeting(match_id=match.id, reported_by="mentee",
                              met_on=(START + timedelta(days=14 * (k + 1))).date(),
                              reported_at=START + timedelta(days=14 * (k + 1))))  # fmt: skip
            s.add(Rating(match_id=match.id, survey="pulse", by="mentee", value=3 + n % 3,
                         comment="", at=START + timedelta(days=30)))  # fmt: skip
            s.add(Rating(match_id=match.id, survey="pulse", by="mentor", value=2 + n % 4,
                         comment="", at=START + timedelta(days=30)))  # fmt: skip
            s.add(MatchClock(match_id=match.id, fit_mentee="not_a_fit" if n in (1, 5) else "good",
                             fit_mentor="deciding" if n == 3 else "good"))  # fmt: skip
            if n % 2 == 0:
                s.add(MatchTerm(match_id=match.id, stage="concluded", extended=False,
                                open_ended=False,
                                mentee_achieved=f"Mentee{n} landed a summer internship",
                                next_steps="Apply for graduate roles",
                                mentor_again=True))  # fmt: skip


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The program on a real database, the CLI pointed at it (its own services, built anew)."""
    services = make_services(database_url, tmp_path, clock=FakeClock(datetime(2027, 1, 15, 9)))
    build(services)
    monkeypatch.setenv("MENTORMAIL_DATABASE_URL", database_url)
    monkeypatch.setenv("MENTORMAIL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("MENTORMAIL_NOW", "2027-01-15T09:00:00")
    bootstrap.install(None)
    yield tmp_path
    bootstrap.install(None)


def report(out: Path, kind: str, *extra: str) -> str:
    """Run `mentormail report` and return what it printed."""
    result = CliRunner().invoke(
        cli,
        ["report", "--program", "alumni-2026", "--format", kind, "--out", str(out), *extra],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_csv_report_is_one_row_per_match_a_spreadsheet_reads(cli_env: Path) -> None:
    out = cli_env / "report.csv"
    assert "22 matches" in report(out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 22
    assert len({r["match_id"] for r in rows}) == 22
    four = next(r for r in rows if r["mentee"] == "Mentee4 Student")
    assert four["cohort"] == "Class of 2027" and four["mentor"] == "Mentor4 Alum"
    assert four["meetings"] == "4"
    assert four["mentee_ratings"] == "4" and four["mentor_ratings"] == "2"
    assert four["hours_to_answer"] == "86.0" and four["state"] == "active"
    assert four["mentee_achieved"] == "Mentee4 landed a summer internship"
    assert four["mentor_again"] == "yes" and four["mentee_fit"] == "good"
    one = next(r for r in rows if r["mentee"] == "Mentee1 Student")
    assert one["state"] == "ended" and one["end_reason"] == "not_a_fit" and one["ended"]
    later = next(r for r in rows if r["mentee"] == "Mentee21 Student")
    assert later["cohort"] == "Class of 2027"
    # a period that excludes the matches started before it
    assert "0 matches" in report(out, "csv", "--from", "2026-10-01", "--to", "2026-12-31")


FIGURES = (
    "55%",  # 22 of 40 mentees matched
    "81%",  # 22 of 27 answered requests accepted
    "Class of 2027",
    "Class of 2028",
    "not a fit: 2",
    "Mentee0 landed a summer internship",
    "11 of 22 pairs said what they achieved",
)


def test_the_html_report_has_the_figures_and_six_charts(cli_env: Path, page: Page) -> None:
    out = cli_env / "report.html"
    report(out, "html")
    html = out.read_text(encoding="utf-8")
    for figure in FIGURES:
        assert figure in html, figure
    assert html.count("<svg") == 6
    for title in ("Match rate and acceptance by cohort", "Survey ratings", "Endings by reason"):
        assert f"<title>{title}</title>" in html
    page.goto(out.as_uri())
    text = page.inner_text("body")
    assert "Results from 14 September 2026 to 30 June 2027" in text  # the program's term
    assert "22 pairs reported" in text
    charts = page.locator(".chart svg")
    assert charts.count() == 6
    assert all(charts.nth(i).bounding_box()["width"] > 400 for i in range(6))  # type: ignore[index]
    page.set_viewport_size({"width": 900, "height": 1200})
    page.screenshot(path=str(cli_env / "report.png"), full_page=True)


def test_the_pdf_report_is_a_real_pdf_with_the_same_figures(cli_env: Path) -> None:
    out = cli_env / "report.pdf"
    report(out, "pdf")
    assert out.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    words = " ".join(text.split())
    for figure in FIGURES:
        assert figure in words, figure
    assert "Alumni Mentor Program" in words
