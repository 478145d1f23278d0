"""Words of the year the general reader does not read (year-a): a wish to END a mentorship,
said plainly. Pure, and strict: only the plain word or an unmistakable phrase counts."""

from __future__ import annotations

import re

_PLAIN_END = re.compile(
    r"^\W*(?:end|end it|end please|please end|terminar|terminer|beenden|encerrar|结束)\W*$",
    re.IGNORECASE,
)
_END_PHRASE = re.compile(
    r"\b(?:i(?:'d| would) like to|i want to|please|let's|we should)\s+end\s+"
    r"(?:the|our|my|this)\s+mentor(?:ship|ing)\b"
    r"|\bend\s+(?:the|our|my|this)\s+mentor(?:ship|ing)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|don't|do not|never|no need to)\s+(?:want\s+to\s+)?end\b", re.I)


def says_end(text: str) -> bool:
    """Whether the new text plainly asks to end the mentorship ("END", "I'd like to end the
    mentorship"); "let's not end it" and words that merely contain "end" do not."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if _NEGATED.search(text[:500]):
        return False
    return bool(_PLAIN_END.match(first) or _END_PHRASE.search(text[:500]))


_PLAIN_ANSWER = re.compile(
    r"^\W*(met|not\s+yet|help)(?:\s+(?:on|last|yesterday|today)\b.*)?\W*$", re.IGNORECASE
)


def plain_checkin_answer(text: str) -> str | None:
    """The one word a check-in asks for, alone on the first line ("MET", "met on 12 Oct",
    "Not yet", "HELP"): "met", "not_yet" or "help"; None for anything else."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    found = _PLAIN_ANSWER.match(first)
    return re.sub(r"\s+", "_", found.group(1).lower()) if found else None
