"""Joining as a mentor by email, where mentors are approved, pure.

stranger writes "I'd like to mentor" ──▶ the application questions, by email
answers by reply, one "Question: answer" a line ──complete──▶ a mentor awaiting approval
                                                 ──missing──▶ the questions again, naming them
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The application questions, in the order the email asks them: (key, label, required).
QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    ("name", "Name", True),
    ("profession", "Profession", True),
    ("industry", "Industry", False),
    ("major", "Studied", False),
    ("interests", "Topics", True),
    ("capacity", "Mentees", False),
    ("bio", "About", False),
)
_WANTS_TO_MENTOR = re.compile(
    r"\b(?:become|be|join(?:ing)?(?: as)?|volunteer(?:ing)?(?: as)?|sign(?:ing)? up(?: as)?|"
    r"apply(?:ing)?(?: to be| as)?)\s+(?:an?\s+)?mentor\b"
    r"|\bmentor\s+(?:for|in|with)\s+(?:your|the)\b"
    r"|\bwould (?:like|love) to mentor\b|\bwant to mentor\b",
    re.I,
)
_LINE = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s*(.+?)\s*$")


def wants_to_mentor(text: str) -> bool:
    """Whether a stranger's words ask to join as a mentor ("I'd like to become a mentor")."""
    return bool(_WANTS_TO_MENTOR.search(text[:4000]))


@dataclass(frozen=True)
class Application:
    """What a reply to the questions said, and which required answers it lacks."""

    answers: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Every required question answered."""
        return not self.missing

    @property
    def answered_any(self) -> bool:
        """Whether the reply answered any question at all."""
        return bool(self.answers)


def read_application(text: str) -> Application:
    """The answers in a reply, one "Question: answer" a line; quoted lines are the questions
    themselves and are left out."""
    answers: dict[str, str] = {}
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            continue
        found = _LINE.match(line)
        if found is None:
            continue
        key = _question_named(found.group(1))
        if key is not None and key not in answers:
            answers[key] = found.group(2)[:500]
    if "capacity" in answers and not _capacity(answers["capacity"]):
        del answers["capacity"]
    missing = tuple(label for key, label, required in QUESTIONS if required and key not in answers)
    return Application(answers, missing)


def _question_named(words: str) -> str | None:
    """Which question a line's label names (its label, or its key)."""
    said = words.strip().lower()
    for key, label, _ in QUESTIONS:
        if said in (label.lower(), key):
            return key
    return None


def _capacity(value: str) -> int | None:
    """A capacity from 1 to 5 written in the answer, or None."""
    found = re.search(r"\d+", value)
    number = int(found.group()) if found else 0
    return number if 1 <= number <= 5 else None


def participant_values(application: Application) -> dict[str, object]:
    """A complete application as a new mentor's values."""
    answers = application.answers
    return {
        "name": answers["name"][:200],
        "profession": answers["profession"][:200],
        "industry": answers.get("industry", "")[:200],
        "major": answers.get("major", "")[:200],
        "interests": [i.strip() for i in re.split(r"[;,]", answers["interests"]) if i.strip()][:10],
        "capacity": _capacity(answers.get("capacity", "")),
        "bio": answers.get("bio", ""),
        "contact": "email",
    }
