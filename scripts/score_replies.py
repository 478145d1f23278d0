"""Score labelled replies (any JSONL files of the independent set's shape) with a tree's reader.

Usage: .venv/bin/python scripts/score_replies.py FILE.jsonl [FILE ...] [--tree DIR] [--wrong]
e.g.   .venv/bin/python scripts/score_replies.py tests/fixtures/independent_replies/next/*.jsonl
       .venv/bin/python scripts/score_replies.py new_round.jsonl --tree /work/wt/branch --wrong

Prints one line, ``n=… intent=…% wrong=… asks=…``, the figures the suite prints for a part.
``--tree`` reads with another checkout's reader (a branch's worktree); ``--wrong`` lists each
wrong action (id, context, labelled intent, safe, the body's start) and refuses held-back
files: those are only ever scored in aggregate.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def items_of(paths: list[Path]) -> list[dict[str, Any]]:
    """Every labelled item of the files, in order."""
    lines = (line for path in paths for line in path.read_text(encoding="utf-8").splitlines())
    return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Score the files; list wrong actions only for development files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="JSONL files of labelled replies")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose reader reads")
    parser.add_argument("--wrong", action="store_true", help="list wrong actions (not held)")
    args = parser.parse_args(argv)
    if args.wrong and any(path.name.startswith("held_") for path in args.files):
        parser.error("--wrong lists items: the held-back part is scored in aggregate only")
    sys.path.insert(0, str(args.tree.resolve()))
    from tests.unit.inbound.independent_set import figures, score

    items = items_of(args.files)
    results = [score(item) for item in items]
    for item, result in zip(items, results, strict=True):
        if args.wrong and result.wrong_action:
            body = str(item["body"])[:160]
            print(
                "WRONG", result.id, item["context"], item["intent"], item["safe_to_act"], repr(body)
            )
    found = figures(results)
    print(f"n={found.n} intent={found.intent:.1%} wrong={found.wrong} asks={found.asks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
