"""The labelled table of realistic replies (tests/fixtures/intents.tsv), row by row."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from mentormail.inbound.intent import understand
from mentormail.inbound.types import Context, Intent

TABLE = Path(__file__).parents[2] / "fixtures" / "intents.tsv"


class Row(NamedTuple):
    """One labelled reply."""

    context: Context
    lang: str
    intent: Intent
    clear: bool
    value: int | None
    question: bool | None
    text: str


def _rows() -> list[Row]:
    """Every row of the table; "\\n" in the text is a line break."""
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        context, lang, intent, clear, value, question, text = line.split("\t")
        rows.append(
            Row(
                Context(context),
                lang,
                Intent(intent),
                clear == "y",
                int(value) if value else None,
                None if question == "-" else question == "y",
                text.replace("\\n", "\n"),
            )
        )
    return rows


ROWS = _rows()


def test_the_table_covers_every_context_and_six_languages() -> None:
    """At least 150 rows, all contexts, and en/es/fr/de/pt/zh."""
    assert len(ROWS) >= 150
    assert {r.context for r in ROWS} == set(Context)
    assert {r.lang for r in ROWS} >= {"en", "es", "fr", "de", "pt", "zh"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.context}-{r.lang}-{r.text[:40]}" for r in ROWS])
def test_a_labelled_reply_is_understood_as_labelled(row: Row) -> None:
    """Intent, clear, the rating or choice, and the question flag match the label."""
    got = understand(row.text, row.context)
    value = got.rating if row.context is Context.SURVEY else got.choice
    assert (got.intent, got.clear) == (row.intent, row.clear), got.reasons
    if row.value is not None:
        assert value == row.value
    if row.question is not None:
        assert got.question is row.question
    if not got.clear:
        assert got.intent is Intent.OTHER
