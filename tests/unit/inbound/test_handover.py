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
        # the pick with its article and "please" in Spanish, French, German, Chinese
        (
            "La 1, por favor. Me encantaría saber cómo pasó de la enfermería a los datos.",
            1,
            "Me encantaría saber cómo pasó de la enfermería a los datos.",
        ),
        ("el 1 porfa, me mola lo de los coches autonomos", 1, "me mola lo de los coches autonomos"),
        (
            "le numéro 3 svp, son parcours m'intéresse beaucoup",
            3,
            "son parcours m'intéresse beaucoup",
        ),
        ("Die 2 bitte, ich freue mich auf den Austausch", 2, "ich freue mich auf den Austausch"),
        ("我选2，我很想了解她是怎么进入这个行业的", 2, "我很想了解她是怎么进入这个行业的"),
        # thanks, then words that say more: passed on with the thanks
        (
            "2, thanks! I'd love to hear how you chose nursing.",
            2,
            "thanks! I'd love to hear how you chose nursing.",
        ),
        ("la 2, gracias", 2, ""),
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
