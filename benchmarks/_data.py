"""What the search and sweep benchmarks share: made-up mentors, bulk loads and timing.

Not a benchmark itself (the runner skips files starting with ``_``).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT / "tests" / "fixtures" / "search" / "pool.csv"
SEARCHES = ROOT / "tests" / "fixtures" / "search" / "searches.yaml"
FIRST = "Ana Ben Cy Dee Eli Fay Gus Hal Ivy Jo Kai Lu Mo Nia Oz Pia Quinn Ray Sol Tia".split()
LAST = "Lima Ode Park Roe Shaw Tan Udo Vega Wu Xu Yates Zane Abe Baez Cole Diaz".split()


def labelled_mentors() -> list[dict[str, str]]:
    """The labelled search set's mentors, whose fields the made-up mentors mix."""
    with POOL.open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["role"] == "mentor"]


def mentor_rows(n: int, program_id: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` mentors, each field taken from a different labelled mentor, with a made-up name."""
    rng, source = random.Random(seed), labelled_mentors()
    rows = []
    for i in range(n):
        rows.append(
            {
                "program_id": program_id,
                "email": f"mentor{i}@bench.example.org",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "role": "mentor",
                "profession": rng.choice(source)["profession"],
                "industry": rng.choice(source)["industry"],
                "major": rng.choice(source)["major"],
                "interests": rng.choice(source)["interests"].split(";"),
                "capacity": rng.choice([1, 2, 3]),
                "contact": "email",
                "bio": rng.choice(source)["bio"],
                "other_emails": [],
                "availability": "available" if rng.random() < 0.9 else "paused",
                "status": "active",
            }
        )
    return rows


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, one executemany per slice elsewhere."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
        return
    for start in range(0, len(rows), 20000):
        connection.execute(insert(table), list(rows[start : start + 20000]))


def _copy(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL's COPY of the rows (JSON columns written as JSON text)."""
    import json

    names = list(rows[0])
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    raw = connection.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])


def timings(step: Callable[[], object], rounds: int) -> list[float]:
    """Seconds of each of ``rounds`` runs of the step."""
    found = []
    for _ in range(rounds):
        start = time.perf_counter()
        step()
        found.append(time.perf_counter() - start)
    return found


def interleaved(steps: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each step per round, rounds alternating so load drifts hit all alike."""
    found: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            found[name].extend(timings(step, 1))
    return found


def best_and_median(seconds: Iterable[float]) -> tuple[float, float]:
    """The best and the median of some timings."""
    values = list(seconds)
    return min(values), statistics.median(values)


def ms(seconds: float) -> str:
    """Milliseconds, for a table."""
    return f"{seconds * 1000:.2f} ms"


def peak_rss_mib(pids: Iterable[int]) -> float:
    """The largest peak resident size (Linux VmHWM) among these live processes, in MiB: each
    process's own, unlike ``RUSAGE_CHILDREN``, which keeps the largest child ever reaped (in
    ``make bench`` that is another benchmark's)."""
    peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak / 1024


def run_alone(doc: str | None, bench: Callable[[float], list[dict[str, str]]]) -> None:
    """A benchmark run by itself (``python benchmarks/NAME.py [--scale S]``): print its rows."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="0.1 for a quick run")
    for row in bench(parser.parse_args().scale):
        print(" | ".join(row.values()))
