"""A mentee's search at 100 / 10k / 100k mentors: the stored search against a plain SQL
keyword prefilter and against the full ranking it replaced, on SQLite, in the same run.

Usage: .venv/bin/python benchmarks/search.py [--scale 0.1]

Also printed: the first search of a process at each size (it builds the program's in-memory
index) and the peak resident size of a fresh process that opens the largest database and runs
every query once (``peak_search_mib``).

Mentors mix the fields of the labelled search set's mentors (tests/fixtures/search); the
queries are its 60 labelled queries. "ours" is ``offers.rank_available`` (what a mentee's
email gets); the baseline looks the query's words up exactly in the term table (indexed) and
takes the first ``max_results`` available mentors, unscored; "before" loads every available
mentor and ranks them all (the code this replaced, timed on a few queries only).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import (
    ROOT,
    SEARCHES,
    best_and_median,
    bulk_insert,
    interleaved,
    mentor_rows,
    ms,
    run_alone,
)

from mentormail.service import offers, search_index
from mentormail.service.db import make_engine, make_sessionmaker, upgrade
from mentormail.service.models import Participant, Program
from mentormail.service.people import active_match_counts, capacity_of, suppressed_among
from mentormail.service.programs import load_program, read_program_file
from mentormail.workflows import search

SIZES = (100, 10_000, 100_000)
BEFORE_QUERIES = 3  # the full ranking takes seconds per query at 100k


def queries() -> list[str]:
    """The labelled set's queries."""
    return [entry["query"] for entry in yaml.safe_load(SEARCHES.read_text())]


def database(folder: Path, mentors: int) -> tuple[Session, Program]:
    """A SQLite database holding the example program and this many made-up mentors."""
    url = f"sqlite:///{folder / f'search_{mentors}.db'}"
    upgrade(url)
    session = make_sessionmaker(make_engine(url))()
    with session.begin():
        program = load_program(session, read_program_file(ROOT / "examples" / "program.yaml"))
        connection = session.connection()
        bulk_insert(connection, Participant.__table__, mentor_rows(mentors, program.id))
        search_index.index_everyone(connection)
    return session, program


def ours(session: Session, program: Program, words: list[str]) -> None:
    """The stored search, as a mentee's email gets it."""
    for query in words:
        offers.rank_available(session, program, query, set())


def keyword_prefilter(session: Session, program: Program, words: list[str]) -> None:
    """The plain baseline: the query's words looked up exactly, first mentors found, unscored."""
    for query in words:
        terms = search.keywords(query)
        if not terms:
            continue
        names = ", ".join(f":t{i}" for i in range(len(terms)))
        sql = f"""SELECT DISTINCT p.id FROM search_terms t JOIN participants p
                  ON p.id = t.participant_id WHERE t.program_id = :program AND t.term IN ({names})
                  AND p.status = 'active' AND p.availability = 'available' LIMIT :limit"""
        params: dict[str, Any] = {f"t{i}": t for i, t in enumerate(terms)}
        session.execute(text(sql), {**params, "program": program.id, "limit": 5}).all()


def before(session: Session, program: Program, words: list[str]) -> None:
    """The full ranking this replaced: every available mentor loaded and scored."""
    for query in words:
        mentors = session.scalars(
            select(Participant).where(
                Participant.program_id == program.id,
                Participant.role == "mentor",
                Participant.status == "active",
                Participant.availability == "available",
            )
        ).all()
        taken = active_match_counts(session, program.id)
        unreachable = suppressed_among(session, [m.email for m in mentors])
        pool = [
            search_index.profile_of(m)
            for m in mentors
            if m.email.lower() not in unreachable and taken.get(m.id, 0) < capacity_of(m, program)
        ]
        search.rank(query, pool, program.max_results)
        session.expunge_all()


def one_size(folder: Path, size: int, words: list[str]) -> tuple[dict[str, str], float]:
    """The row for one size, and our best seconds per query."""
    session, program = database(folder, size)
    started = time.perf_counter()
    ours(session, program, words[:1])  # the process's first search builds its index
    first = time.perf_counter() - started
    ours(session, program, words)  # every query once: the caches as a worker has them
    found = interleaved(
        {
            "ours": lambda: ours(session, program, words),
            "base": lambda: keyword_prefilter(session, program, words),
        },
        rounds=5,
    )
    few = words[:BEFORE_QUERIES]
    old = min(interleaved({"b": lambda: before(session, program, few)}, 1)["b"]) / len(few)
    session.close()
    (best, median), (base, _) = (best_and_median(found[k]) for k in ("ours", "base"))
    best, median, base = best / len(words), median / len(words), base / len(words)
    row = {
        "what": f"search, {size:,} mentors, per query (SQLite)",
        "ours": f"{ms(best)} (median {ms(median)})",
        "baseline": f"keyword prefilter {ms(base)}",
        "ratio": f"{best / base:.1f}x baseline; before {ms(old)} ({old / best:.0f}x);"
        f" a process's first search {ms(first)}",
        "target": "< 50 ms",
    }
    return row, best


def peak_search_mib(folder: Path, size: int) -> dict[str, float]:
    """A fresh process opens the database of this size and runs every query once: its
    resident size before the first search and its peak, in MiB."""
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import search; "
    code += f"search.memory_child({str(folder / f'search_{size}.db')!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _status_mib(field: str) -> float:
    """A size the kernel reports for this process (``VmHWM``: its peak resident size), MiB
    (``ru_maxrss`` would count the parent's size at the fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_child(path: str) -> None:
    """In the child of ``peak_search_mib``: print its resident sizes as JSON."""
    session = make_sessionmaker(make_engine(f"sqlite:///{path}"))()
    program = session.scalars(select(Program)).one()
    before = _status_mib("VmHWM")
    ours(session, program, queries())
    after = _status_mib("VmHWM")
    index = search_index.program_index(session, program.id).matrix.nbytes() / 2**20
    print(json.dumps({"before": before, "peak": after, "arrays": index}))


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """One row per size (best and median of rounds, per query), and how time grows."""
    words, results, per_size = queries(), [], {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sorted({max(100, int(s * scale)) for s in SIZES}):
            row, per_size[size] = one_size(Path(folder), size, words)
            results.append(row)
        memory = peak_search_mib(Path(folder), max(per_size))
    results.append(
        {
            "what": f"peak memory of a process searching {max(per_size):,} mentors",
            "ours": f"{memory['peak']:.0f} MiB",
            "baseline": f"{memory['before']:.0f} MiB before its first search",
            "ratio": f"index arrays {memory['arrays']:.1f} MiB",
            "target": "",
        }
    )
    if len(per_size) < 2:
        return results
    small, big = sorted(per_size)[-2:]
    results.append(
        {
            "what": f"search growth, {big:,} vs {small:,} mentors ({big // small}x)",
            "ours": f"{per_size[big] / per_size[small]:.2f}x the time",
            "baseline": "",
            "ratio": "",
            "target": f"sublinear (< {big // small}x)",
        }
    )
    return results


if __name__ == "__main__":
    run_alone(__doc__, bench)
