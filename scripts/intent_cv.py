"""Cross-validate the reader on the development part: rules alone, and rules with the veto.

Usage: .venv/bin/python scripts/intent_cv.py [--folds K] [--json]

Never reads the held-back part. Two fold schemes over tests/fixtures/independent_replies/
dev_*.jsonl: by round (each file held out in turn: dev_r1..3; dev_h1..3, the first
held-back part, demoted to development after its third aggregate run; dev_r5a..d; dev_r7a/b;
dev_r12a/b; dev_r14a/b; dev_r15a/b; dev_r16a/b; dev_r17a/b; dev_r21a/b; dev_r23a/b),
and K random folds. The rules were written seeing every round, so only the model is cross-validated
here; a figure for replies the rules never saw needs a new held-back part. In each fold
the second-opinion model is fitted on tests/fixtures/intents.tsv and the other folds,
never on the fold it scores. For each threshold on the combined confidence it prints:
intent correct, wrong actions, replies that ask "did you mean".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mentormail.inbound.intent import (  # noqa: E402
    answering_sentence,
    decided_part,
    read_by_rules,
    vetoed_confidence,
)
from mentormail.inbound.intent_model import Example, Model, fit  # noqa: E402
from mentormail.inbound.intent_options import quoted_options  # noqa: E402
from mentormail.inbound.intent_text import fold as fold_text  # noqa: E402
from mentormail.inbound.intent_text import new_text  # noqa: E402
from mentormail.inbound.reading import asked_since_in, read_message  # noqa: E402
from mentormail.inbound.types import Context, Understanding  # noqa: E402
from scripts.build_intent_training import table_rows, training_text  # noqa: E402
from tests.unit.inbound.independent_set import FOLDER, raw_email  # noqa: E402

THRESHOLDS = (0.0, 0.75, 0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.92, 0.94)


@dataclass(frozen=True)
class Item:
    """One development reply, its reading by the rules, and its label."""

    round: str
    raw: dict[str, object]
    reply: str
    rules: Understanding
    since: int | None = None  # the month a check-in asked about, if the mail gives it

    @property
    def example(self) -> Example:
        """The item as training data (the labelled reply text)."""
        label = str(self.raw["intent"]) if self.raw["safe_to_act"] else "ask"
        return Example(str(self.raw["context"]), label, training_text(self.raw))

    @property
    def read_text(self) -> str:
        """The reply as the second opinion reads it (names masked, as in training)."""
        return self.text_of(self.reply)

    @property
    def decided(self) -> str:
        """The part of the reply the second opinion weighs (``intent.decided_part``)."""
        return decided_part(new_text(self.reply), Context(str(self.raw["context"])), self.rules)

    def text_of(self, part: str) -> str:
        """A part of the reply as the second opinion reads it (the names of the whole mail)."""
        return training_text({**self.raw, "expected_reply": part}, quote_of=self.reply)


def development_items(paths: Iterable[Path] = ()) -> list[Item]:
    """Every item of ``paths`` (by default every development file), read by the rules."""
    items = []
    for path in sorted(paths) or sorted(FOLDER.glob("dev_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                context = Context(str(raw["context"]))
                read = read_message(raw_email(raw), context, with_intent=False)
                options = quoted_options(str(raw["body"])) if context is Context.SEARCH else ()
                since = asked_since_in(read.parsed) if context is Context.CHECKIN else None
                rules = read_by_rules(read.reply, context, options, since)
                items.append(Item(path.stem, raw, read.reply, rules, since))
    return items


def outcome(item: Item, found: Understanding, threshold: float) -> tuple[bool, bool, bool]:
    """(correct, wrong action, asks) of one reading at one threshold."""
    raw = item.raw
    clear = found.clear and found.confidence >= threshold
    same = (
        found.intent.value == raw["intent"]
        and (raw.get("choice") is None or found.choice == raw["choice"])
        and (raw.get("rating") is None or found.rating == raw["rating"])
    )
    safe = bool(raw["safe_to_act"])
    return ((clear and same) if safe else not clear), clear and (not same or not safe), not clear


def with_veto(items: list[Item], folds: list[list[int]]) -> list[Understanding]:
    """Each item's reading with the veto of a model fitted without its fold."""
    table = [Example(c, label, text) for c, label, text in table_rows()]
    out: list[Understanding | None] = [None] * len(items)
    for fold in folds:
        inside = set(fold)
        model = fit(table + [it.example for k, it in enumerate(items) if k not in inside])
        for k in fold:
            it = items[k]
            found = it.rules
            if found.clear:
                context = Context(str(it.raw["context"]))
                text = it.text_of(it.decided)
                probs = model.probabilities(text, context.value)
                folded = fold_text(new_text(text))
                answer = _answer(it, model, context)
                found = replace(found, confidence=vetoed_confidence(found, probs, folded, answer))
            out[k] = found
    return [u for u in out if u is not None]


def _answer(item: Item, model: Model, context: Context) -> Callable[[], dict[str, float] | None]:
    """The fold's model on the one sentence that answers the item, worked out when asked."""

    def probs() -> dict[str, float] | None:
        options = quoted_options(str(item.raw["body"])) if context is Context.SEARCH else ()
        since = item.since if context is Context.CHECKIN else None
        sentence = answering_sentence(item.decided, context, item.rules, options, since)
        if sentence is None:
            return None
        return model.probabilities(item.text_of(sentence), context.value)

    return probs


def summary(items: list[Item], readings: list[Understanding], threshold: float) -> dict[str, float]:
    """Intent correct, wrong actions and asks over some items."""
    results = [outcome(it, u, threshold) for it, u in zip(items, readings, strict=True)]
    n = len(results) or 1
    return {
        "n": len(results),
        "correct": sum(r[0] for r in results) / n,
        "wrong": sum(r[1] for r in results),
        "asks": sum(r[2] for r in results),
    }


def report(name: str, items: list[Item], readings: list[Understanding], rows: list[str]) -> None:
    """Print (and keep) one scheme's sweep, overall and on the r3 round."""
    rules = summary(items, [it.rules for it in items], 0.0)
    rows.append(
        f"{name}: rules alone {rules['correct']:.1%} correct, {rules['wrong']} wrong, "
        f"{rules['asks']} ask (n={rules['n']})"
    )
    for t in THRESHOLDS:
        s = summary(items, readings, t)
        rows.append(
            f"  threshold {t:.2f}: {s['correct']:.1%} correct, {s['wrong']:>3} wrong, "
            f"{s['asks']:>3} ask"
        )


def main() -> None:
    """Run both fold schemes and print the sweeps."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5, help="random folds (default 5)")
    args = parser.parse_args()
    items = development_items()
    rounds = sorted({it.round for it in items})
    by_round = [[k for k, it in enumerate(items) if it.round == r] for r in rounds]
    order = list(range(len(items)))
    random.Random(0).shuffle(order)
    random_folds = [order[k :: args.folds] for k in range(args.folds)]
    rows: list[str] = []
    vetoed = with_veto(items, by_round)
    report("by round, all dev", items, vetoed, rows)
    for r, fold in zip(rounds, by_round, strict=True):
        report(f"by round, {r} held out", [items[k] for k in fold], [vetoed[k] for k in fold], rows)
    report(f"{args.folds} random folds", items, with_veto(items, random_folds), rows)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
