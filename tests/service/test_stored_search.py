"""The stored search (service/search_index.py) offers exactly what the full ranking would.

Random pools are imported as a CSV, then changed through the ORM (fields, pauses, leavers,
capacity, matches, suppressions) as the service changes them; after each change every random
query must give the same ranked list as ``search.rank`` over every available mentor.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import offers
from mentormail.service.context import Services
from mentormail.service.models import Match, Participant, Program, Suppression
from mentormail.service.people import is_available
from mentormail.service.programs import (
    CSV_COLUMNS,
    import_participants,
    load_program,
    read_program_file,
)
from mentormail.service.search_index import profile_of
from mentormail.workflows import search
from tests.harness import EXAMPLES, make_services

pytestmark = pytest.mark.service

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "search"
NAMES = ("Ana Lima", "Ben Ode", "Ana Lima", "Cy Park", "Dee Roe")  # repeats: ties go by id
NOW = datetime(2025, 1, 10, tzinfo=UTC)


def labelled_pool() -> list[dict[str, str]]:
    """The mentors of the labelled search set, whose fields the random pools mix."""
    with (FIXTURES / "pool.csv").open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["role"] == "mentor"]


def random_queries(rng: random.Random, rows: list[dict[str, str]], n: int) -> list[str]:
    """Labelled queries, words of the pool's fields (some misspelt) and a few with nothing."""
    labelled = [e["query"] for e in yaml.safe_load((FIXTURES / "searches.yaml").read_text())]
    words = sorted(
        {
            w
            for r in rows
            for k in ("profession", "industry", "major", "interests", "bio")
            for w in r[k].replace(";", " ").split()
        }
    )
    queries = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.4:
            queries.append(rng.choice(labelled))
        else:
            chosen = [rng.choice(words) for _ in range(rng.randint(1, 4))]
            if kind > 0.85:
                i = rng.randrange(len(chosen))
                chosen[i] = chosen[i][:-1] if len(chosen[i]) > 6 else chosen[i]
            queries.append(" ".join(chosen))
    return [*queries, "student career help", ""]


def random_csv(rng: random.Random, rows: list[dict[str, str]], n: int) -> str:
    """``n`` mentors whose fields come from different labelled mentors."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for i in range(n):
        row = {k: rng.choice(rows)[k] for k in ("profession", "industry", "major", "interests")}
        row["bio"] = rng.choice(rows)["bio"] if rng.random() < 0.7 else ""
        if rng.random() < 0.2:
            row["profession"] = ""
        row.update(email=f"m{i}@example.org", name=rng.choice(NAMES), role="mentor")
        row["capacity"] = rng.choice(["", "1", "2", "3"])
        writer.writerow(row)
    return out.getvalue()


def change_some(
    rng: random.Random, session: Session, program: Program, rows: list[dict[str, str]]
) -> None:
    """Change fields, availability, capacity, matches and suppressions of some mentors."""
    mentors = list(session.scalars(select(Participant).where(Participant.program_id == program.id)))
    mentees = [m for m in mentors if m.role == "mentee"]
    for mentor in rng.sample([m for m in mentors if m.role == "mentor"], 15):
        action = rng.randrange(7)
        if action == 0:
            mentor.profession = rng.choice(rows)["profession"]
        elif action == 1:
            mentor.interests = [*rng.choice(rows)["interests"].split(";"), "quantum knitting"]
        elif action == 2:
            mentor.availability = rng.choice(["paused", "available"])
        elif action == 3:
            mentor.status = rng.choice(["left", "active"])
        elif action == 4:
            session.merge(Suppression(email=mentor.email, reason="bounce", created_at=NOW))
        elif action == 5 and mentees:
            session.add(
                Match(
                    program_id=program.id,
                    mentor_id=mentor.id,
                    mentee_id=mentees[0].id,
                    state=rng.choice(["active", "ended"]),
                    started_at=NOW,
                    ends_on=date(2025, 6, 30),
                )
            )
        else:
            mentor.bio = rng.choice(rows)["bio"]
    session.flush()


def full_ranking(session: Session, program: Program, query: str, exclude: set[int]) -> list[int]:
    """What the search offered before it was stored: rank every available mentor."""
    mentors = session.scalars(
        select(Participant).where(
            Participant.program_id == program.id, Participant.role == "mentor"
        )
    )
    pool = [
        profile_of(m) for m in mentors if m.id not in exclude and is_available(session, m, program)
    ]
    return [p.mentor_id for p in search.rank(query, pool, program.max_results)]


def started(database_url: str, tmp_path: Path) -> Services:
    """Services on a fresh database holding the example program."""
    services = make_services(database_url, tmp_path)
    with services.unit_of_work() as session:
        load_program(session, read_program_file(EXAMPLES / "program.yaml"))
    return services


def test_the_stored_search_offers_exactly_what_the_full_ranking_would(
    database_url: str, tmp_path: Path
) -> None:
    rng, rows = random.Random(20261201), labelled_pool()
    services = started(database_url, tmp_path)
    compared = 0
    for round_ in range(4):
        with services.unit_of_work() as session:
            program = session.scalars(select(Program)).one()
            if round_ == 0:
                report = import_participants(session, program, random_csv(rng, rows, 70))
                assert not report.errors
                mentee = "x@example.org,Mo Mentee,mentee,,,,,,,\n"
                import_participants(session, program, ",".join(CSV_COLUMNS) + "\n" + mentee)
            elif round_ == 1:  # the same addresses again, other fields: an import updates them
                import_participants(session, program, random_csv(rng, rows, 70))
            else:
                change_some(rng, session, program, rows)
            program.max_results = rng.choice([1, 3, 5, 8])
            compared += compare(rng, session, program, random_queries(rng, rows, 40))
        with services.unit_of_work() as session:  # committed: what other units search
            program = session.scalars(select(Program)).one()
            compared += compare(rng, session, program, random_queries(rng, rows, 20))
    assert compared > 90  # most queries found someone: the comparison is not vacuous


def compare(rng: random.Random, session: Session, program: Program, queries: list[str]) -> int:
    """Check that each query offers what the full ranking would; how many found anyone."""
    ids = list(session.scalars(select(Participant.id)))
    compared = 0
    for query in queries:
        exclude = set(rng.sample(ids, rng.randint(0, 5)))
        expected = full_ranking(session, program, query, exclude)
        found = [m.id for m in offers.rank_available(session, program, query, exclude)]
        assert found == expected, (query, exclude)
        compared += bool(expected)
    return compared


def test_a_change_committed_by_another_process_is_searched_at_once(
    database_url: str, tmp_path: Path
) -> None:
    rng, rows = random.Random(5), labelled_pool()
    here = started(database_url, tmp_path)
    with here.unit_of_work() as session:
        import_participants(
            session, session.scalars(select(Program)).one(), random_csv(rng, rows, 40)
        )
    elsewhere = make_services(database_url, tmp_path)  # its own engine: another process's cache
    query = "software engineer in healthcare"
    for change in range(3):
        with elsewhere.unit_of_work() as session:
            program = session.scalars(select(Program)).one()
            assert [m.id for m in offers.rank_available(session, program, query, set())] == (
                full_ranking(session, program, query, set())
            )
        with here.unit_of_work() as session:
            mentors = session.scalars(select(Participant).where(Participant.role == "mentor"))
            for mentor in rng.sample(list(mentors), 10):
                if change == 2:
                    session.delete(mentor)
                else:
                    mentor.profession = rng.choice(["Software Engineer", "Nurse", ""])
                    mentor.name = rng.choice(NAMES)
    with elsewhere.unit_of_work() as session:
        program = session.scalars(select(Program)).one()
        found = [m.id for m in offers.rank_available(session, program, query, set())]
        assert found == full_ranking(session, program, query, set()) and found
