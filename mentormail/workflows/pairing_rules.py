"""What matching by the program compares, and how much each comparison weighs by default."""

from __future__ import annotations

from collections.abc import Mapping

# What of the mentee is compared with what of the mentor, under which weight key.
RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("wants", "wants", ("profession", "industry", "major", "interests")),
    ("goals", "goals", ("profession", "industry", "interests", "goals")),
    ("major", "major", ("major",)),
    ("interests", "interests", ("interests", "profession", "industry")),
    ("location", "location", ("location",)),
    ("languages", "languages", ("languages",)),
    ("availability", "availability", ("availability",)),
)
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "wants": 3.0,
    "goals": 2.0,
    "major": 1.0,
    "interests": 1.5,
    "location": 0.5,
    "languages": 1.0,
    "availability": 1.0,
    "prefer": 5.0,
}
FIELDS = ("profession", "industry", "major", "interests", "goals", "wants", "location")
LIST_FIELDS = ("languages", "availability")  # compared as whole items, not words
