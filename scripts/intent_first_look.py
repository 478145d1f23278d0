"""Replay a development round's first look: the rules of an older commit, today's second opinion.

Usage: .venv/bin/python scripts/intent_first_look.py COMMIT ROUND [ROUND ...]
e.g.   .venv/bin/python scripts/intent_first_look.py 9c298be dev_r7a dev_r7b
       .venv/bin/python scripts/intent_first_look.py HEAD /path/to/dev_r12a.jsonl

The rules were written seeing every development round, so cross-validation by round
(scripts/intent_cv.py) measures only the model. A round read by the rules as they were when
it arrived (COMMIT, checked out with ``git archive`` into a temporary folder and run in a
child process) is the nearest development figure to replies the rules never saw; the
second opinion is today's, fitted without the round's file. A ROUND that is a path to a
``.jsonl`` file is a round not yet in the development part (a new round's first look).
The child reads as the reader of COMMIT does: with the month a check-in asked about and the
one sentence that answers a long reply, and without the questions a yes passes on, where
COMMIT has them. Never reads the held-back part.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mentormail.inbound.intent import vetoed_confidence  # noqa: E402
from mentormail.inbound.intent_model import Model  # noqa: E402
from mentormail.inbound.intent_text import fold, new_text  # noqa: E402
from mentormail.inbound.types import ACT_THRESHOLD, Intent, Understanding  # noqa: E402
from scripts.intent_cv import Item, development_items, outcome  # noqa: E402
from tests.unit.inbound.independent_set import raw_email  # noqa: E402

# Each step only where COMMIT has it: the month a check-in asked about (``asked_since_in``),
# the sentence that answers (``answering_sentence``) and the part the model weighs
# (``decided_part``) came after the first rounds.
_CHILD = """
import base64, inspect, json, sys
from mentormail.inbound import intent, reading
from mentormail.inbound.intent_options import quoted_options
from mentormail.inbound.types import Context
from mentormail.inbound.intent_text import new_text
takes_since = "since_month" in inspect.signature(intent.read_by_rules).parameters
out = {}
for item in json.load(sys.stdin):
    context = Context(item["context"])
    read = reading.read_message(base64.b64decode(item["raw"]), context, with_intent=False)
    options = quoted_options(item["body"]) if context is Context.SEARCH else ()
    since = None
    if context is Context.CHECKIN and hasattr(reading, "asked_since_in"):
        since = reading.asked_since_in(read.parsed)
    args = (since,) if takes_since else ()
    u = intent.read_by_rules(read.reply, context, options, *args)
    sentence, decided = None, new_text(read.reply)
    if u.clear and hasattr(intent, "decided_part"):
        decided = intent.decided_part(decided, context, u)
    if u.clear and hasattr(intent, "answering_sentence"):
        sentence = intent.answering_sentence(decided, context, u, options, *args)
    out[item["id"]] = [u.intent.value, u.clear, u.confidence, u.rating, u.choice, read.reply,
                       sentence, decided]
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


def _answer(item: Item, model: Model, sentence: object) -> Callable[[], dict[str, float] | None]:
    """The model on the sentence COMMIT's rules found answering, as the reader reads it."""

    def probs() -> dict[str, float] | None:
        if not sentence:
            return None
        return model.probabilities(item.text_of(str(sentence)), str(item.raw["context"]))

    return probs


def first_look(commit: str, name: str, fold_items: list[Item], model: Model) -> None:
    """Print one round's figures read by ``commit``: its rules alone and with the model."""
    old = old_readings(commit, fold_items)
    alone, vetoed = [], []
    for it in fold_items:
        intent, clear, confidence, rating, choice, reply, sentence, decided = old[str(it.raw["id"])]
        found = Understanding(Intent(intent), clear=bool(clear), rating=rating, choice=choice,
                              confidence=float(confidence))  # fmt: skip
        alone.append(outcome(it, found, 0.0))
        if found.clear:
            read = replace(it, reply=str(reply))
            text = read.text_of(str(decided))
            probs = model.probabilities(text, str(it.raw["context"]))
            folded = fold(new_text(text))
            confidence = vetoed_confidence(found, probs, folded, _answer(read, model, sentence))
            found = replace(found, confidence=confidence)
        vetoed.append(outcome(it, found, ACT_THRESHOLD))
    for label, results in (("rules alone", alone), ("with the second opinion", vetoed)):
        n = len(results) or 1
        print(f"{name} read by {commit}'s rules, {label}: "
              f"{sum(r[0] for r in results) / n:.1%} correct, {sum(r[1] for r in results)} "
              f"wrong, {sum(r[2] for r in results)} ask (n={len(results)})")  # fmt: skip


def main() -> None:
    """Print each round's first-look figures, the rules alone and with today's second opinion."""
    from mentormail.inbound.intent_model import Example, fit
    from scripts.build_intent_training import table_rows

    commit, rounds = sys.argv[1], sys.argv[2:]
    items = development_items()
    table = [Example(c, label, text) for c, label, text in table_rows()]
    for name in rounds:
        if name.endswith(".jsonl"):  # a new round: the model knows every development round
            fold_items, name = development_items([Path(name)]), Path(name).stem
        else:
            fold_items = [it for it in items if it.round == name]
        model = fit(table + [it.example for it in items if it.round != name])
        first_look(commit, name, fold_items, model)


if __name__ == "__main__":
    main()
