"""Run every benchmark in this folder and print one table (``make bench``, ``make bench-quick``).

Usage: .venv/bin/python benchmarks/run.py [--scale 0.1] [names...]

A benchmark is any ``benchmarks/*.py`` (not starting with ``_``) that defines

    def bench(scale: float = 1.0) -> list[dict[str, str]]

returning rows with the keys ``what``, ``ours``, ``baseline``, ``ratio`` and ``target`` (text,
already formatted; every row a ratio against a baseline measured in the same run). ``scale``
is 1.0 for the full sizes and 0.1 for a quick check. Each benchmark still runs on its own as
``python benchmarks/<name>.py``. Benchmarks print; tests never assert on time.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
COLUMNS = ("what", "ours", "baseline", "ratio", "target")


def benchmarks(names: list[str]) -> list[ModuleType]:
    """The benchmark modules of this folder (or the named ones), in name order."""
    found = []
    for path in sorted(HERE.glob("*.py")):
        if path.name.startswith("_") or path == Path(__file__).resolve():
            continue
        if names and path.stem not in names:
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
        if callable(getattr(module, "bench", None)):
            found.append(module)
    return found


def table(rows: list[dict[str, str]]) -> str:
    """Rows as a Markdown table."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row.get(c, "") for c in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmarks and print the table, with when, where and how long."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="0.1 for a quick run")
    parser.add_argument("names", nargs="*", help="only these benchmarks (file names, no .py)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    rows: list[dict[str, str]] = []
    start = time.perf_counter()
    for module in benchmarks(args.names):
        began = time.perf_counter()
        rows.extend(module.bench(args.scale))
        print(
            f"{module.__name__.removeprefix('bench_')}: {time.perf_counter() - began:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    cores = len(__import__("os").sched_getaffinity(0))
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.python_implementation()} "
        f"{platform.python_version()}, {cores} cores, scale {args.scale}, "
        f"{time.perf_counter() - start:.0f} s\n"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
