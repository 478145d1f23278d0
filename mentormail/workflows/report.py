"""A program's results for a period, pure: given its rows, the figures a dean reads.

Match rate, time to answer and acceptance, meetings per pair, the survey ratings of each
side, the fit check, endings by reason and outcomes (achieved, next steps), overall and by
cohort. ``service.reports`` loads the rows and writes CSV, HTML and PDF.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from mentormail.workflows.digest import median, rate

NO_COHORT = "no cohort"
ANSWER_BUCKETS = ("under a day", "1–3 days", "3–7 days", "over a week")
RATINGS = (1, 2, 3, 4, 5)
FIT_ANSWERS = ("good", "deciding", "not_a_fit")
SIDES = ("mentee", "mentor")
PROPOSAL_STATES = ("accepted", "declined", "expired", "withdrawn", "proposed")


@dataclass(frozen=True)
class MenteeRow:
    """One mentee of the program."""

    person_id: int
    cohort: str
    matched: bool  # a match that started in the period


@dataclass(frozen=True)
class RequestRow:
    """One request a mentee made in the period."""

    cohort: str  # the mentee's
    state: str  # pending | accepted | declined | expired | released | withdrawn
    hours_to_answer: float | None  # None: not answered by the mentor (yet)


@dataclass(frozen=True)
class ProposalRow:
    """One pair the program proposed in the period (double opt-in)."""

    cohort: str  # the mentee's
    state: str  # proposed | accepted (both said yes) | declined | expired | withdrawn


@dataclass(frozen=True)
class MatchRow:
    """One match that started in the period, with what the year recorded about it."""

    match_id: int
    cohort: str
    mentee: str
    mentee_email: str
    mentor: str
    mentor_email: str
    started: datetime
    ended: datetime | None
    state: str  # active | ended
    end_reason: str
    hours_to_answer: float | None
    meetings: int
    months: float  # how long the pair has been together in the period, in months
    ratings: dict[str, tuple[int, ...]] = field(default_factory=dict)  # side -> values
    fit: dict[str, str] = field(default_factory=dict)  # side -> good | deciding | not_a_fit
    achieved: dict[str, str] = field(default_factory=dict)  # side -> their words
    next_steps: str = ""
    mentor_again: bool | None = None

    def meetings_per_month(self) -> float:
        """Meetings per month together (a first month counts whole)."""
        return self.meetings / max(self.months, 1.0)


@dataclass(frozen=True)
class Rows:
    """Everything a report is computed from."""

    program: str
    start: date
    end: date
    mentees: tuple[MenteeRow, ...]
    requests: tuple[RequestRow, ...]  # those a mentee made, not those a proposal's yes made
    matches: tuple[MatchRow, ...]
    proposals: tuple[ProposalRow, ...] = ()


@dataclass(frozen=True)
class Figures:
    """The figures of one group of people (the whole program, or one cohort)."""

    mentees: int
    matched: int
    match_rate: float | None
    requests: int
    accepted: int
    acceptance_rate: float | None  # accepted of those answered (accepted or declined)
    median_hours_to_answer: float | None
    proposals: dict[str, int]  # proposal state -> how many (accepted: both said yes)
    proposal_rate: float | None  # both said yes, of those settled (yes, no or no answer)
    answer_times: dict[str, int]  # ANSWER_BUCKETS -> requests answered that fast
    pairs: int
    meetings: int  # reported in all
    meetings_per_pair: float | None
    meetings_per_pair_month: float | None
    meetings_histogram: dict[int, int]  # meetings -> pairs that met that often
    ratings: dict[str, dict[int, int]]  # side -> rating -> how many
    average_rating: dict[str, float | None]
    fit: dict[str, dict[str, int]]  # side -> answer -> how many
    endings: dict[str, int]  # reason -> how many
    achieved: int  # pairs where someone said what they achieved
    next_steps: int
    mentor_again: int
    quotes: tuple[str, ...]  # a few of the things people said they achieved


@dataclass(frozen=True)
class Report:
    """The whole program's figures and each cohort's."""

    program: str
    start: date
    end: date
    overall: Figures
    cohorts: dict[str, Figures]


def compute(rows: Rows, quotes: int = 4) -> Report:
    """The report of these rows: overall, then each cohort in name order."""
    names = sorted({m.cohort for m in rows.mentees} | {m.cohort for m in rows.matches})
    cohorts = {
        name: figures(
            [m for m in rows.mentees if m.cohort == name],
            [r for r in rows.requests if r.cohort == name],
            [m for m in rows.matches if m.cohort == name],
            quotes,
            [p for p in rows.proposals if p.cohort == name],
        )
        for name in names
    }
    overall = figures(
        list(rows.mentees), list(rows.requests), list(rows.matches), quotes, list(rows.proposals)
    )
    return Report(rows.program, rows.start, rows.end, overall, cohorts)


def figures(
    mentees: list[MenteeRow],
    requests: list[RequestRow],
    matches: list[MatchRow],
    quotes: int,
    proposals: list[ProposalRow],
) -> Figures:
    """The figures of one group."""
    proposed = _proposals(proposals)
    matched = sum(1 for m in mentees if m.matched)
    accepted = sum(1 for r in requests if r.state == "accepted")
    answered = sum(1 for r in requests if r.state in ("accepted", "declined"))
    hours = [r.hours_to_answer for r in requests if r.hours_to_answer is not None]
    meetings = [m.meetings for m in matches]
    return Figures(
        mentees=len(mentees),
        matched=matched,
        match_rate=rate(matched, len(mentees)),
        requests=len(requests),
        accepted=accepted,
        acceptance_rate=rate(accepted, answered),
        median_hours_to_answer=median(hours),
        proposals=proposed,
        proposal_rate=rate(
            proposed["accepted"], sum(proposed[s] for s in ("accepted", "declined", "expired"))
        ),
        answer_times=_answer_times(hours),
        pairs=len(matches),
        meetings=sum(meetings),
        meetings_per_pair=sum(meetings) / len(meetings) if meetings else None,
        meetings_per_pair_month=_mean(m.meetings_per_month() for m in matches),
        meetings_histogram=dict(sorted(Counter(meetings).items())),
        ratings={side: _ratings(matches, side) for side in SIDES},
        average_rating={
            side: _mean(v for m in matches for v in m.ratings.get(side, ())) for side in SIDES
        },
        fit={side: _fit(matches, side) for side in SIDES},
        endings=dict(Counter(m.end_reason or "unknown" for m in matches if m.state == "ended")),
        achieved=sum(1 for m in matches if any(v.strip() for v in m.achieved.values())),
        next_steps=sum(1 for m in matches if m.next_steps.strip()),
        mentor_again=sum(1 for m in matches if m.mentor_again),
        quotes=tuple(
            " ".join(words.split())
            for m in matches
            for words in (m.achieved.get("mentee", ""),)
            if words.strip()
        )[:quotes],
    )


def _proposals(rows: list[ProposalRow]) -> dict[str, int]:
    """How many proposals ended each way; only both saying yes is accepted."""
    counts = Counter(r.state for r in rows)
    return {state: counts.get(state, 0) for state in PROPOSAL_STATES}


def _answer_times(hours: list[float]) -> dict[str, int]:
    """How many answers came within a day, 1–3 days, 3–7 days, or later."""
    limits = (24.0, 72.0, 168.0)
    found = dict.fromkeys(ANSWER_BUCKETS, 0)
    for value in hours:
        bucket = next((i for i, limit in enumerate(limits) if value < limit), len(limits))
        found[ANSWER_BUCKETS[bucket]] += 1
    return found


def _ratings(matches: list[MatchRow], side: str) -> dict[int, int]:
    """How many of each rating one side gave."""
    counts = Counter(v for m in matches for v in m.ratings.get(side, ()))
    return {value: counts.get(value, 0) for value in RATINGS}


def _fit(matches: list[MatchRow], side: str) -> dict[str, int]:
    """How one side answered the fit check."""
    counts = Counter(m.fit.get(side) for m in matches)
    return {answer: counts.get(answer, 0) for answer in FIT_ANSWERS}


def _mean(values: Iterable[float]) -> float | None:
    """The mean, or None of nothing."""
    items = list(values)
    return sum(items) / len(items) if items else None


CSV_HEADER = (
    "match_id",
    "cohort",
    "mentee",
    "mentee_email",
    "mentor",
    "mentor_email",
    "started",
    "ended",
    "state",
    "end_reason",
    "hours_to_answer",
    "meetings",
    "meetings_per_month",
    "mentee_ratings",
    "mentor_ratings",
    "mentee_fit",
    "mentor_fit",
    "mentee_achieved",
    "mentor_achieved",
    "next_steps",
    "mentor_again",
)


def csv_row(match: MatchRow) -> tuple[str, ...]:
    """One match as a spreadsheet row (CSV_HEADER's order); ratings are ;-separated."""
    return (
        str(match.match_id),
        match.cohort,
        match.mentee,
        match.mentee_email,
        match.mentor,
        match.mentor_email,
        match.started.date().isoformat(),
        match.ended.date().isoformat() if match.ended else "",
        match.state,
        match.end_reason,
        "" if match.hours_to_answer is None else f"{match.hours_to_answer:.1f}",
        str(match.meetings),
        f"{match.meetings_per_month():.2f}",
        ";".join(str(v) for v in match.ratings.get("mentee", ())),
        ";".join(str(v) for v in match.ratings.get("mentor", ())),
        match.fit.get("mentee", ""),
        match.fit.get("mentor", ""),
        match.achieved.get("mentee", ""),
        match.achieved.get("mentor", ""),
        match.next_steps,
        "" if match.mentor_again is None else ("yes" if match.mentor_again else "no"),
    )
