"""Ranking mentors for a mentee's words ("data science or healthcare")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    """a an and or the of in on at to for with from by about as is are be been i im i'm my me
    we our you your looking look find finding seek seeking want wanted would like someone
    somebody mentor mentors mentoring please hi hello hey dear thanks thank regards best who
    work works working field area areas interested interest something anyone any some into
    get help career job jobs also maybe ideally preferably really very much know just
    so too lot lots great good sounds sound ok okay cool perfect awesome wonderful nice
    appreciate appreciated cheers will shall can could this that these those it its yes no
    not but if then than there here what which when where how why all one ones other""".split()
)
# Where a word matches says how well it matches: a profession beats a passing mention in a bio.
FIELD_WEIGHTS = {"profession": 3.0, "industry": 3.0, "major": 2.0, "interests": 2.0, "bio": 1.0}


@dataclass(frozen=True)
class MentorProfile:
    """The searchable side of an available mentor. Never holds their email address."""

    mentor_id: int
    name: str
    profession: str
    industry: str
    major: str
    interests: tuple[str, ...]
    bio: str


def keywords(text: str) -> list[str]:
    """The meaningful, normalised words of a search, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(_fold(text)):
        if len(word) > 1 and word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def rank(query: str, mentors: list[MentorProfile], limit: int) -> list[MentorProfile]:
    """The best ``limit`` mentors for the query, best first; ties keep a stable order."""
    words = keywords(query)
    if not words:
        return []
    scored = [(score(words, m), m) for m in mentors]
    hits = [(s, m) for s, m in scored if s > 0]
    hits.sort(key=lambda pair: (-pair[0], pair[1].name, pair[1].mentor_id))
    return [m for _, m in hits[:limit]]


def score(words: list[str], mentor: MentorProfile) -> float:
    """How well a mentor's profile matches the words (0 is no match)."""
    fields = {
        "profession": mentor.profession,
        "industry": mentor.industry,
        "major": mentor.major,
        "interests": " ".join(mentor.interests),
        "bio": mentor.bio,
    }
    total = 0.0
    for name, text in fields.items():
        tokens = set(_WORD.findall(_fold(text)))
        total += FIELD_WEIGHTS[name] * sum(1 for w in words if _matches(w, tokens))
    return total


def _matches(word: str, tokens: set[str]) -> bool:
    """A word matches a token exactly or by a shared stem (nurse/nursing, engineer/engineering)."""
    if word in tokens:
        return True
    stem = word[:5] if len(word) >= 5 else None
    return stem is not None and any(t.startswith(stem) for t in tokens if len(t) >= 5)


def _fold(text: str) -> str:
    """Lower case, accents removed, so "Médecine" finds "medecine"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
