"""Write the reader's second-opinion training data from the development part and the table.

Usage: .venv/bin/python scripts/build_intent_training.py

Reads tests/fixtures/independent_replies/dev_*.jsonl (never the held-back part) and
tests/fixtures/intents.tsv, and writes mentormail/inbound/data/intent_training.tsv:
one reply a line, ``context<TAB>label<TAB>text`` with line breaks written as ``\\n``.
The label is the intent when the reply is safe to act on, else ``ask``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mentormail.inbound.intent_names import model_text, names_in  # noqa: E402
from mentormail.inbound.intent_names import quote_of as quoted  # noqa: E402
from mentormail.inbound.intent_options import quoted_options  # noqa: E402
from mentormail.inbound.intent_text import new_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
OUT = ROOT / "mentormail" / "inbound" / "data" / "intent_training.tsv"


def development_rows() -> list[tuple[str, str, str]]:
    """(context, label, reply) of every development item."""
    rows = []
    for path in sorted((FIXTURES / "independent_replies").glob("dev_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                label = item["intent"] if item["safe_to_act"] else "ask"
                rows.append((item["context"], label, training_text(item)))
    return rows


def training_text(item: dict[str, object], quote_of: str | None = None) -> str:
    """The reply as the second opinion reads it (``intent_names.model_text``), as
    ``intent.understand`` reads it: people's names (the sender's, those of the email answered)
    and long numbers as marks, and a search reply's offered mentors (its quoted list) as one.
    ``quote_of``: the whole reply, when ``expected_reply`` is a part of it (one sentence)."""
    reply, body = str(item["expected_reply"]), str(item["body"])
    options = quoted_options(body) if item["context"] == "search" else ()
    names = names_in(str(item.get("from_name") or ""), str(item.get("subject") or ""),
                     quoted(body, reply if quote_of is None else quote_of))  # fmt: skip
    return model_text(new_text(reply), names, options)


def table_rows() -> list[tuple[str, str, str]]:
    """(context, label, reply) of every row of tests/fixtures/intents.tsv."""
    rows = []
    for line in (FIXTURES / "intents.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        context, _lang, intent, clear, _value, _question, text = line.split("\t", 6)
        label = intent if clear == "y" else "ask"
        rows.append((context, label, model_text(new_text(text.replace("\\n", "\n")))))
    return rows


def main() -> None:
    """Write the training file."""
    rows = development_rows() + table_rows()
    lines = [f"{c}\t{label}\t{text.replace(chr(10), chr(92) + 'n')}" for c, label, text in rows]
    OUT.write_text(
        "# context\tlabel\ttext (built by scripts/build_intent_training.py)\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(rows)} rows -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
