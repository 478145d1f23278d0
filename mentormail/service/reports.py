"""The program's report: load its rows, compute the figures (``workflows.report``), write
CSV (one row per match), HTML with charts (``report_charts``), or PDF printed from that
HTML by headless Chromium."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.checkins import meeting_counts
from mentormail.service.context import Services
from mentormail.service.exceptions import ConfigError, PermanentError
from mentormail.service.models import (
    Match,
    MatchClock,
    MatchTerm,
    MentorshipRequest,
    PairProposal,
    Participant,
    Program,
    Rating,
)
from mentormail.service.people import asked_by_a_mentee
from mentormail.service.programs import find_program
from mentormail.service.rendering import branding
from mentormail.workflows import report as rules
from mentormail.workflows.report import MatchRow, MenteeRow, ProposalRow, RequestRow, Rows

PDF_TIMEOUT = 120  # seconds Chromium may take to print
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Written:
    """What ``write`` wrote."""

    matches: int
    pages: str  # "1 file", "3 pages"


def write(
    services: Services, slug: str, period: tuple[date | None, date | None], kind: str, out: Path
) -> Written:
    """Write the report of the period (default: the program's term) as csv, html or pdf."""
    with services.sessions() as session:
        program = find_program(session, slug)
        rows = load(session, program, period, services.now())
        colour = branding(program)["colour"]
    if kind == "csv":
        out.write_text(as_csv(rows), encoding="utf-8")
        return Written(len(rows.matches), "1 file")
    page = as_html(rows, colour)
    if kind == "html":
        out.write_text(page, encoding="utf-8")
        return Written(len(rows.matches), "1 file")
    if kind == "pdf":
        print_pdf(page, out, services.config.chromium)
        return Written(len(rows.matches), "PDF")
    raise PermanentError(f"unknown report format {kind!r}: csv, html or pdf")


def load(
    session: Session, program: Program, period: tuple[date | None, date | None], now: datetime
) -> Rows:
    """Every row the report needs, in a handful of queries."""
    start, end = period[0] or program.term_start, period[1] or program.term_end
    if end < start:
        raise PermanentError(f"--to {end} is before --from {start}")
    since, until = datetime.combine(start, time()), datetime.combine(end + timedelta(1), time())
    people = {
        p.id: p
        for p in session.scalars(select(Participant).where(Participant.program_id == program.id))
    }
    matches = list(
        session.scalars(
            select(Match)
            .where(
                Match.program_id == program.id, Match.started_at >= since, Match.started_at < until
            )
            .order_by(Match.started_at, Match.id)
        )
    )
    proposed = list(
        session.scalars(
            select(PairProposal).where(
                PairProposal.program_id == program.id,
                PairProposal.created_at >= since,
                PairProposal.created_at < until,
            )
        )
    )
    requests = list(
        session.scalars(
            select(MentorshipRequest).where(
                MentorshipRequest.program_id == program.id,
                MentorshipRequest.created_at >= since,
                MentorshipRequest.created_at < until,
                asked_by_a_mentee(),  # a proposal's both-yes is counted as the proposal's
            )
        )
    )
    answered = {r.id: _hours(r) for r in requests}
    answered.update(_answer_hours(session, [m.request_id for m in matches if m.request_id]))
    extras = _extras(session, [m.id for m in matches], start, end)
    matched = {m.mentee_id for m in matches}
    cap = min(until, now)
    return Rows(
        program=program.name,
        start=start,
        end=end,
        mentees=tuple(
            MenteeRow(p.id, cohort_of(p), p.id in matched)
            for p in people.values()
            if p.role == "mentee"
        ),
        requests=tuple(
            RequestRow(cohort_of(people[r.mentee_id]), r.state, answered.get(r.id))
            for r in requests
        ),
        matches=tuple(
            _match_row(m, people, answered.get(m.request_id or -1), extras, cap) for m in matches
        ),
        proposals=tuple(ProposalRow(cohort_of(people[p.mentee_id]), p.state) for p in proposed),
    )


def cohort_of(person: Participant) -> str:
    """The person's cohort (the participants CSV's optional ``cohort`` column)."""
    return str((person.preferences or {}).get("cohort") or rules.NO_COHORT)


def _hours(request: MentorshipRequest) -> float | None:
    """Hours until the mentor answered (yes or no); None if they did not."""
    if request.state not in ("accepted", "declined") or request.decided_at is None:
        return None
    return (request.decided_at - request.created_at).total_seconds() / 3600


def _answer_hours(session: Session, ids: list[int]) -> dict[int, float | None]:
    """Hours to answer of the requests that made these matches."""
    if not ids:
        return {}
    found = session.scalars(select(MentorshipRequest).where(MentorshipRequest.id.in_(ids)))
    return {r.id: _hours(r) for r in found}


@dataclass
class _Extras:
    """What the year recorded about each match, by match id."""

    meetings: dict[int, int]
    ratings: dict[int, dict[str, list[int]]]
    clocks: dict[int, MatchClock]
    terms: dict[int, MatchTerm]


def _extras(session: Session, ids: list[int], start: date, end: date) -> _Extras:
    """Meetings in the period, ratings, fit answers and outcomes of these matches."""
    ratings: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return _Extras({}, ratings, {}, {})
    counted = meeting_counts(session, ids, (start, end))  # as `matches` counts them
    meetings = {match_id: count for match_id, (count, _) in counted.items()}
    for rating in session.scalars(
        select(Rating).where(Rating.match_id.in_(ids)).order_by(Rating.at)
    ):
        if rating.value is not None:
            ratings[rating.match_id][rating.by].append(rating.value)
    clocks = {
        c.match_id: c
        for c in session.scalars(select(MatchClock).where(MatchClock.match_id.in_(ids)))
    }
    terms = {
        t.match_id: t for t in session.scalars(select(MatchTerm).where(MatchTerm.match_id.in_(ids)))
    }
    return _Extras(meetings, ratings, clocks, terms)


def _match_row(
    match: Match,
    people: dict[int, Participant],
    hours: float | None,
    extras: _Extras,
    cap: datetime,
) -> MatchRow:
    """One match with what the year recorded about it."""
    mentee, mentor = people[match.mentee_id], people[match.mentor_id]
    clock, term = extras.clocks.get(match.id), extras.terms.get(match.id)
    together = (min(match.ended_at or cap, cap) - match.started_at).days / DAYS_PER_MONTH
    return MatchRow(
        match_id=match.id,
        cohort=cohort_of(mentee),
        mentee=mentee.name,
        mentee_email=mentee.email,
        mentor=mentor.name,
        mentor_email=mentor.email,
        started=match.started_at,
        ended=match.ended_at,
        state=match.state,
        end_reason=match.end_reason or "",
        hours_to_answer=hours,
        meetings=extras.meetings.get(match.id, 0),
        months=max(together, 0.0),
        ratings={side: tuple(v) for side, v in extras.ratings.get(match.id, {}).items()},
        fit={
            side: answer
            for side, answer in (
                ("mentor", clock.fit_mentor if clock else None),
                ("mentee", clock.fit_mentee if clock else None),
            )
            if answer
        },
        achieved={
            side: words
            for side, words in (
                ("mentor", term.mentor_achieved if term else None),
                ("mentee", term.mentee_achieved if term else None),
            )
            if words
        },
        next_steps=(term.next_steps or "") if term else "",
        mentor_again=term.mentor_again if term else None,
    )


def as_csv(rows: Rows) -> str:
    """One row per match, with a header, for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rules.CSV_HEADER)
    writer.writerows(rules.csv_row(m) for m in rows.matches)
    return out.getvalue()


def as_html(rows: Rows, colour: str) -> str:
    """The report as one self-contained HTML page: figures, charts (inline SVG), cohorts."""
    from mentormail.service import report_charts  # matplotlib only when a page is drawn

    report = rules.compute(rows)
    drawn = {k: Markup(v) for k, v in report_charts.charts(report, colour).items()}
    return (
        _environment()
        .get_template("report.html")
        .render(report=report, charts=drawn, colour=colour, percent=_percent, number=_number)
    )


def _environment() -> Environment:
    """Jinja2 for the report page (escaped, strict)."""
    return Environment(
        loader=PackageLoader("mentormail", "service/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _percent(value: float | None) -> str:
    """A rate as a reader says it: "72%", or "—" when there is nothing to divide."""
    return "—" if value is None else f"{value:.0f}%"


def _number(value: float | None, unit: str = "") -> str:
    """A figure with one decimal when it needs one, or "—"."""
    if value is None:
        return "—"
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{shown}{unit}"


def chromium_binary(configured: str) -> str:
    """The Chromium that prints PDFs: the setting, or one on PATH; ConfigError otherwise."""
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(
        "a PDF report needs headless Chromium: install it (apt-get install chromium) or set "
        "MENTORMAIL_CHROMIUM; --format html writes the same report without it"
    )


def print_pdf(page: str, out: Path, chromium: str) -> None:
    """Print the HTML page to ``out`` with headless Chromium (A4, no header or footer)."""
    binary = chromium_binary(chromium)
    with tempfile.TemporaryDirectory(prefix="mentormail-report-") as folder:
        source = Path(folder) / "report.html"
        source.write_text(page, encoding="utf-8")
        target = Path(folder) / "report.pdf"
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        result = _run(command)
        if not target.exists() or target.stat().st_size == 0:
            raise PermanentError(f"Chromium printed no PDF: {result[-500:]}")
        shutil.copyfile(target, out)


def _run(command: list[str]) -> str:
    """Run Chromium; what it said, or an error when it failed or took too long."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PDF_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PermanentError(f"Chromium took more than {PDF_TIMEOUT} s to print") from exc
    return (done.stdout or "") + (done.stderr or "")
