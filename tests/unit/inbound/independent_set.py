"""The independent labelled replies: load them, read each through the real pipeline, score.

The set (tests/fixtures/independent_replies/) was written by people who never saw the
reader's rules. ``dev_*.jsonl`` is the development part; ``held_*.jsonl`` is held back and
is only ever reported in aggregate (no per-item output, ever).

Per item:
* extraction: the reply read vs ``expected_reply`` (exact and lenient: whitespace and case
  normalised, one containing the other);
* correct: for a ``safe_to_act`` item the reader is clear, with the labelled intent (and the
  labelled choice/rating when given); for an item that is not safe to act on, the reader is
  NOT clear (it must ask);
* wrong action: the reader is clear (it would act) and the intent differs, or the item is
  not safe to act on, or the choice/rating differs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import cache
from pathlib import Path

from mentormail.inbound.reading import read_message
from mentormail.inbound.types import Context

FOLDER = Path(__file__).resolve().parents[2] / "fixtures" / "independent_replies"
PARTS = ("dev", "held")
REPORTS: dict[str, str] = {}  # part -> printed table, for the terminal summary


@dataclass(frozen=True)
class Scored:
    """One item and what the reader made of it."""

    id: str
    context: str
    language: str
    exact: bool
    lenient: bool
    correct: bool
    wrong_action: bool
    asks: bool  # not clear: the reader would send a "did you mean...?"


def load(part: str) -> list[dict[str, object]]:
    """Every item of one part (every ``<part>_*.jsonl`` file, in name order)."""
    items = []
    for path in sorted(FOLDER.glob(f"{part}_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append(json.loads(line))
    return items


def raw_email(item: dict[str, object]) -> bytes:
    """The item as a raw message: From, Subject and the body as UTF-8 text/plain."""
    message = EmailMessage(policy=SMTP)
    name = str(item.get("from_name") or "")
    local = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "someone"
    message["From"] = Address(display_name=name, addr_spec=f"{local}@example.org")
    message["To"] = "reply+tok@in.example.edu"
    message["Subject"] = str(item.get("subject") or "Re: your email")
    message["Message-ID"] = f"<{item['id']}@example.org>"
    message.set_content(str(item["body"]), charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def score(item: dict[str, object]) -> Scored:
    """Read one item through ``read_message`` and score it."""
    context = Context(str(item["context"]))
    reading = read_message(raw_email(item), context)
    got, want = _norm(reading.reply), _norm(str(item["expected_reply"]))
    exact = got == want
    lenient = exact or bool(got and want and (want in got or got in want))
    u = reading.understanding
    clear = bool(u and u.clear)
    same = bool(
        u
        and u.intent.value == item["intent"]
        and (item.get("choice") is None or u.choice == item["choice"])
        and (item.get("rating") is None or u.rating == item["rating"])
    )
    safe = bool(item["safe_to_act"])
    correct = (clear and same) if safe else not clear
    wrong = clear and (not same or not safe)
    return Scored(
        str(item["id"]), str(item["context"]), str(item["language"]),
        exact, lenient, correct, wrong, not clear,
    )  # fmt: skip


@cache
def scored(part: str) -> tuple[Scored, ...]:
    """Every item of one part, scored (once per run)."""
    results = tuple(score(item) for item in load(part))
    REPORTS[part] = table(part, results)
    return results


@dataclass(frozen=True)
class Figures:
    """Aggregate figures over some items."""

    n: int
    intent: float
    wrong: int
    asks: int
    lenient: float
    exact: float


def figures(results: Iterable[Scored]) -> Figures:
    """The aggregate figures of some scored items."""
    rs = list(results)
    n = len(rs) or 1
    return Figures(
        len(rs),
        sum(r.correct for r in rs) / n,
        sum(r.wrong_action for r in rs),
        sum(r.asks for r in rs),
        sum(r.lenient for r in rs) / n,
        sum(r.exact for r in rs) / n,
    )


def table(part: str, results: tuple[Scored, ...]) -> str:
    """The figures per context and per language, and overall, as printed text."""
    lines = [
        f"independent replies, {part} part ({len(results)} items)",
        f"{'':>10} {'n':>4} {'intent':>7} {'wrong':>6} {'asks':>5} {'extr~':>6} {'exact':>6}",
    ]

    def row(label: str, rs: list[Scored]) -> str:
        f = figures(rs)
        return (
            f"{label:>10} {f.n:>4} {f.intent:>7.1%} {f.wrong:>6} {f.asks:>5}"
            f" {f.lenient:>6.1%} {f.exact:>6.1%}"
        )

    for key in ("context", "language"):
        for value in sorted({getattr(r, key) for r in results}):
            lines.append(row(value, [r for r in results if getattr(r, key) == value]))
        lines.append("")
    lines.append(row("all", list(results)))
    return "\n".join(lines)
