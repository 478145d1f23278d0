"""What a mentee writes beside their pick from a list reaches the mentor; the pick does not."""

from __future__ import annotations

import pytest

from mentormail.inbound.handover import words_beside_pick

pytestmark = pytest.mark.unit
GRACE = ("Grace Okafor", "Grace")


@pytest.mark.parametrize(
    ("text", "number", "passed_on"),
    [
        (
            "2 please. I'd love to hear how you chose nursing.",
            2,
            "I'd love to hear how you chose nursing.",
        ),
        (
            "Number 2 please!\n\nI'd love to hear how you chose nursing.",
            2,
            "I'd love to hear how you chose nursing.",
        ),
        (
            "Grace, please. I'm hoping to learn how to plan my year.",
            2,
            "I'm hoping to learn how to plan my year.",
        ),
        (
            "#3 bitte – ich möchte viel über die Pflege lernen",
            3,
            "ich möchte viel über die Pflege lernen",
        ),
        ("2号，我想了解一下护理专业的工作", 2, "我想了解一下护理专业的工作"),
        ("2", 2, ""),
        ("2, thanks!", 2, ""),
        ("Grace please", 2, ""),
        ("Thanks so much, number 2 it is", 2, ""),  # a courtesy says nothing to pass on
        # a number that is not the pick stays in the words
        (
            "20 years in nursing is just what I hoped for",
            2,
            "20 years in nursing is just what I hoped for",
        ),
    ],
)
def test_the_words_beside_a_pick_are_passed_on_without_the_pick(
    text: str, number: int, passed_on: str
) -> None:
    assert words_beside_pick(text, number, GRACE) == passed_on
