"""Search against a labelled set written by someone who never saw the rules.

The set is tests/fixtures/search: pool.csv (40 mentors, the participants CSV columns) and
searches.yaml (60 queries, each with the mentors a thoughtful coordinator would offer, best
first, possibly none). It is split once, by position, before any rule was tuned: every third
query (positions 2, 5, 8, ... counting from 0) is held back, the rest is the development part.
Rules were tuned looking only at the development part's results.

Scores, per query, averaged over a part:

- top-3 precision: of the mentors shown in the first 3, the share that is relevant. If the
  query has relevant mentors and nobody is shown, it scores 0. If the query has NO relevant
  mentor, the right answer is to show nobody: it scores 1 when nobody is shown and 0 when
  anybody is (strict; a "close enough" stranger still counts as wrong).
- recall@5: of the relevant mentors, the share among the 5 shown (the program default limit).
  Queries with no relevant mentor have no recall and are left out of this average.

Both figures for both parts are printed (`pytest -s`) and reported as a warning, so they show
in the warnings summary of every ordinary run (`make test`).
"""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.search import MentorProfile, keywords, rank

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "search"
LIMIT = ProgramPolicy(term_start=date(2024, 9, 1), term_end=date(2025, 6, 30)).max_results
SHOWN = 3

# Floors a little below what the final rules measured (see the figures in the warning);
# the held-back floors are never above what the held-back part shows.
# Measured: development 0.637 / 0.854, held-back 0.467 / 0.794 (before the change: development
# 0.408 / 0.867, held-back 0.417 / 0.825).
FLOORS = {
    ("development", "precision@3"): 0.60,
    ("development", "recall@5"): 0.82,
    ("held-back", "precision@3"): 0.44,
    ("held-back", "recall@5"): 0.76,
}


class SearchFigures(UserWarning):
    """The labelled set's figures, reported through the warnings summary."""


@dataclass(frozen=True)
class Search:
    position: int
    query: str
    relevant: tuple[str, ...]
    note: str

    @property
    def part(self) -> str:
        return "held-back" if self.position % 3 == 2 else "development"


@cache
def pool() -> tuple[tuple[str, MentorProfile], ...]:
    """(email, profile) for every mentor in pool.csv; ids follow the file order."""
    with (FIXTURES / "pool.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        (
            row["email"],
            MentorProfile(
                mentor_id=i + 1,
                name=row["name"],
                profession=row["profession"],
                industry=row["industry"],
                major=row["major"],
                interests=tuple(s.strip() for s in row["interests"].split(";") if s.strip()),
                bio=row["bio"],
            ),
        )
        for i, row in enumerate(rows)
        if row["role"] == "mentor"
    )


@cache
def searches() -> tuple[Search, ...]:
    entries = yaml.safe_load((FIXTURES / "searches.yaml").read_text())
    return tuple(
        Search(i, e["query"], tuple(e.get("relevant") or ()), e.get("note", ""))
        for i, e in enumerate(entries)
    )


def shown(query: str) -> list[str]:
    """The emails of the mentors search offers for the query, best first."""
    email_of = {profile.mentor_id: email for email, profile in pool()}
    return [email_of[m.mentor_id] for m in rank(query, [p for _, p in pool()], LIMIT)]


def precision_at_3(search: Search, found: list[str]) -> float:
    top = found[:SHOWN]
    if not search.relevant:
        return 1.0 if not top else 0.0
    if not top:
        return 0.0
    return sum(1 for e in top if e in search.relevant) / len(top)


def recall_at_5(search: Search, found: list[str]) -> float | None:
    if not search.relevant:
        return None
    return sum(1 for e in search.relevant if e in found[:LIMIT]) / len(search.relevant)


def figures(part: str) -> dict[str, float]:
    chosen = [s for s in searches() if s.part == part]
    precisions, recalls = [], []
    for s in chosen:
        found = shown(s.query)
        precisions.append(precision_at_3(s, found))
        r = recall_at_5(s, found)
        if r is not None:
            recalls.append(r)
    return {
        "queries": float(len(chosen)),
        "precision@3": sum(precisions) / len(precisions),
        "recall@5": sum(recalls) / len(recalls),
    }


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, float]]:
    result = {part: figures(part) for part in ("development", "held-back")}
    line = "labelled search: " + "; ".join(
        f"{part} ({int(f['queries'])} queries) precision@3 {f['precision@3']:.3f}"
        f" recall@5 {f['recall@5']:.3f}"
        for part, f in result.items()
    )
    print("\n" + line)
    warnings.warn(line, SearchFigures, stacklevel=1)
    return result


def test_the_labelled_set_is_whole_and_split_before_tuning() -> None:
    emails = {email for email, _ in pool()}
    assert len(emails) == 40
    assert len(searches()) == 60
    for s in searches():
        assert set(s.relevant) <= emails, s.query
    parts = [s.part for s in searches()]
    assert parts.count("held-back") == 20 and parts.count("development") == 40


@pytest.mark.parametrize("part", ["development", "held-back"])
@pytest.mark.parametrize("figure", ["precision@3", "recall@5"])
def test_search_meets_its_floor_on_the_labelled_set(
    measured: dict[str, dict[str, float]], part: str, figure: str
) -> None:
    assert measured[part][figure] >= FLOORS[(part, figure)]


# --- behaviours, on small made-up pools ----------------------------------------------------


def mentor(
    mentor_id: int, name: str, *fields: str, interests: tuple[str, ...] = (), bio: str = ""
) -> MentorProfile:
    """A profile from profession, industry and major, in that order."""
    profession, industry, major = (*fields, "", "", "")[:3]
    return MentorProfile(mentor_id, name, profession, industry, major, interests, bio)


NURSE = mentor(
    1,
    "Nia Nurse",
    "Nurse Practitioner",
    "Healthcare",
    "Nursing",
    bio="I mentor nursing students and love helping any student with their career.",
)
FINTECH = mentor(2, "Fay Fintech", "Software Engineer", "Financial Technology", "Computer Science")
DATA = mentor(3, "Dan Data", "Data Scientist", "E-commerce", "Economics")
DOCTOR = mentor(4, "Phil Physician", "Physician", "Healthcare", "Biology")
LAWYER = mentor(5, "Lee Legal", "Attorney", "Legal Services", "Political Science")
BANKER = mentor(6, "Bo Banker", "Investment Banker", "Banking", "Finance")
PM = mentor(7, "Pat Product", "Product Manager", "Software", "Economics")
FOUNDER = mentor(8, "Fin Founder", "Entrepreneur", "Startups", "Business Administration")
TEACHER = mentor(9, "Tess Teacher", "Teacher", "Education", "English", bio="I once did data work.")
EVERYONE = [NURSE, FINTECH, DATA, DOCTOR, LAWYER, BANKER, PM, FOUNDER, TEACHER]


def test_a_word_only_in_a_bio_never_qualifies_a_mentor() -> None:
    assert TEACHER not in rank("data", EVERYONE, LIMIT)
    assert rank("data", EVERYONE, LIMIT) == [DATA]


def test_a_bio_word_still_adds_to_a_mentor_who_matches_on_a_field() -> None:
    fields_only = mentor(10, "Al Analyst", "Data Scientist", "Retail")
    with_bio = mentor(11, "Zed Analyst", "Data Scientist", "Retail", bio="I teach SQL.")
    assert rank("data sql", [fields_only, with_bio], LIMIT) == [with_bio, fields_only]


def test_common_words_like_student_and_career_weigh_nothing() -> None:
    generic = "I'm a student and need help with my career, work, a job, people and my team"
    assert keywords(generic) == []
    assert rank(generic, EVERYONE, LIMIT) == []
    assert rank("student career help", EVERYONE, LIMIT) == []


def test_cs_student_asking_for_fintech_software_is_not_offered_a_nurse() -> None:
    query = "I'm a CS student interested in software in fintech."
    found = rank(query, EVERYONE, LIMIT)
    assert found[0] == FINTECH and NURSE not in found
    offered = shown(query)  # the labelled pool: Fatima is its nurse practitioner
    assert offered[0] == "alice.chen@alumni.example.edu"
    assert "fatima.hassan@alumni.example.edu" not in offered


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("I love coding and programming", FINTECH),
        ("I want to talk to a doctor about medical school", DOCTOR),
        ("a lawyer please", LAWYER),
        ("legal careers", LAWYER),
        ("investment banking", BANKER),
        ("PM roles", PM),
        ("entrepreneurship", FOUNDER),
    ],
)
def test_the_usual_ways_of_writing_a_field_find_it(query: str, who: MentorProfile) -> None:
    assert rank(query, EVERYONE, LIMIT)[0] == who


def test_finance_fintech_and_banking_find_one_another() -> None:
    for query in ("finance", "fintech", "banking"):
        assert {FINTECH, BANKER} <= set(rank(query, EVERYONE, LIMIT)), query


def test_a_misspelt_field_still_finds_it() -> None:
    assert rank("buisness and entreprenuership", EVERYONE, LIMIT)[0] == FOUNDER


def test_what_a_mentee_says_about_themselves_weighs_less_than_what_they_ask_for() -> None:
    found = rank("I'm a nursing student looking to move into data science", EVERYONE, LIMIT)
    assert found[0] == DATA
    assert NURSE not in found  # her own field alone does not qualify a mentor


def test_a_mentee_who_only_describes_themselves_still_finds_their_field() -> None:
    assert rank("I'm a nursing student", EVERYONE, LIMIT) == [NURSE]
