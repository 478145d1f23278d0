"""A reply to "is this a good fit?": good, still deciding, or not a fit. Pure and
strict: an answer naming two of them, or none, is None (the caller asks "did you mean…?")."""

from __future__ import annotations

import re

_NOT_A_FIT = re.compile(
    r"\bnot\s+(?:a\s+)?(?:good\s+|great\s+|the\s+right\s+)?(?:fit|match)\b"
    r"|\bisn'?t\s+(?:a\s+|the\s+right\s+)?(?:good\s+)?(?:fit|match)\b|\bno\s+fit\b"
    r"|\bdoesn'?t\s+(?:fit|work)\b|\bnot\s+working\b",
    re.IGNORECASE,
)
_DECIDING = re.compile(
    r"\b(?:still\s+)?deciding\b|\bnot\s+sure(?:\s+yet)?\b|\btoo\s+(?:early|soon)\b"
    r"|\bdon'?t\s+know\s+yet\b|\bundecided\b",
    re.IGNORECASE,
)
_GOOD = re.compile(
    r"\b(?:a\s+)?(?:good|great|perfect|excellent)\s+(?:fit|match)\b|^\W*good\W*$"
    r"|\bgoing\s+(?:really\s+)?(?:well|great)\b|\bworks?\s+(?:well|great)\b",
    re.IGNORECASE,
)


def fit_answer(text: str) -> str | None:
    """ "good", "deciding" or "not_a_fit" when the new text says exactly one; else None."""
    first = text.strip()[:500]
    not_a_fit = bool(_NOT_A_FIT.search(first))
    without_not = _NOT_A_FIT.sub(" ", first)
    found = {
        name
        for name, hit in (
            ("not_a_fit", not_a_fit),
            ("deciding", bool(_DECIDING.search(first))),
            ("good", bool(_GOOD.search(without_not))),
        )
        if hit
    }
    return found.pop() if len(found) == 1 else None
