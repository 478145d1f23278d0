"""Replay a development round's first look: the rules of an older commit, today's second opinion.

Usage: .venv/bin/python scripts/intent_first_look.py COMMIT ROUND [ROUND ...]
e.g.   .venv/bin/python scripts/intent_first_look.py 9c298be dev_r7a dev_r7b

The rules were written seeing every development round, so cross-validation by round
(scripts/intent_cv.py) measures only the model. A round read by the rules as they were when
it arrived (COMMIT, checked out with ``git archive`` into a temporary folder and run in a
child process) is the nearest development figure to replies the rules never saw; the
second opinion is today's, fitted without the round's file. Never reads the held-back part.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mentormail.inbound.intent import vetoed_confidence  # noqa: E402
from mentormail.inbound.intent_text import fold, new_text  # noqa: E402
from mentormail.inbound.types import ACT_THRESHOLD, Intent, Understanding  # noqa: E402
from scripts.intent_cv import Item, development_items, outcome  # noqa: E402
from tests.unit.inbound.independent_set import raw_email  # noqa: E402

_CHILD = """
import base64, json, sys
from mentormail.inbound.intent import read_by_rules
from mentormail.inbound.intent_options import quoted_options
from mentormail.inbound.reading import read_message
from mentormail.inbound.types import Context
out = {}
for item in json.load(sys.stdin):
    context = Context(item["context"])
    reply = read_message(base64.b64decode(item["raw"]), context, with_intent=False).reply
    options = quoted_options(item["body"]) if context is Context.SEARCH else ()
    u = read_by_rules(reply, context, options)
    out[item["id"]] = [u.intent.value, u.clear, u.confidence, u.rating, u.choice, reply]
print(json.dumps(out))
"""


def old_readings(commit: str, items: list[Item]) -> dict[str, list[object]]:
    """Each item read by the rules (and extraction) of ``commit``, in a child process."""
    with tempfile.TemporaryDirectory() as folder:
        tree = subprocess.run(["git", "archive", commit, "mentormail"], cwd=ROOT, check=True,
                              capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", folder], input=tree, check=True)
        payload = [
            {"id": it.raw["id"], "context": it.raw["context"], "body": it.raw["body"],
             "raw": base64.b64encode(raw_email(it.raw)).decode()}
            for it in items
        ]  # fmt: skip
        done = subprocess.run([sys.executable, "-c", _CHILD], cwd=folder, check=True,
                              input=json.dumps(payload).encode(), capture_output=True)  # fmt: skip
    return dict(json.loads(done.stdout))


def main() -> None:
    """Print each round's first-look figures, the rules alone and with today's second opinion."""
    from mentormail.inbound.intent_model import Example, fit
    from scripts.build_intent_training import table_rows

    commit, rounds = sys.argv[1], sys.argv[2:]
    items = development_items()
    table = [Example(c, label, text) for c, label, text in table_rows()]
    for name in rounds:
        fold_items = [it for it in items if it.round == name]
        model = fit(table + [it.example for it in items if it.round != name])
        old = old_readings(commit, fold_items)
        alone, vetoed = [], []
        for it in fold_items:
            intent, clear, confidence, rating, choice, reply = old[str(it.raw["id"])]
            found = Understanding(Intent(intent), clear=bool(clear), rating=rating, choice=choice,
                                  confidence=float(confidence))  # fmt: skip
            alone.append(outcome(it, found, 0.0))
            if found.clear:
                text = replace(it, reply=str(reply)).read_text
                probs = model.probabilities(text, str(it.raw["context"]))
                folded = fold(new_text(text))
                found = replace(found, confidence=vetoed_confidence(found, probs, folded))
            vetoed.append(outcome(it, found, ACT_THRESHOLD))
        for label, results in (("rules alone", alone), ("with the second opinion", vetoed)):
            n = len(results) or 1
            print(f"{name} read by {commit}'s rules, {label}: "
                  f"{sum(r[0] for r in results) / n:.1%} correct, {sum(r[1] for r in results)} "
                  f"wrong, {sum(r[2] for r in results)} ask (n={len(results)})")  # fmt: skip


if __name__ == "__main__":
    main()
