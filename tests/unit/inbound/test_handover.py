"""A call for help in general mail, in six languages; what a mentee writes beside their pick
from a list reaches the mentor, the pick does not."""

from __future__ import annotations

import pytest

from mentormail.inbound.handover import asks_for_help, courtesy_only, words_beside_pick

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


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, pourriez-vous m'aider ? Je ne sais pas comment contacter ma mentore.",
        "Hallo, können Sie mir bitte helfen? Ich finde den Termin nicht.",
        "Hola, ¿alguien me puede ayudar con esto?",
        "Olá, vocês podem me ajudar? Não sei o que fazer.",
        "你好，能帮我问一下导师的联系方式吗？",
        "Ich brauche dringend Hilfe mit meinem Mentoring.",
        "Mon mentor ne répond plus depuis un mois.",
        "Meine Mentorin meldet sich seit Wochen nicht.",
        "Mi mentor no contesta mis correos.",
        "A minha mentora não respondeu às mensagens.",
        "我的导师一直没回复我的邮件。",
    ],
)
def test_a_call_for_help_in_any_of_six_languages_is_help(text: str) -> None:
    assert asks_for_help(text)
    assert not courtesy_only(text)


@pytest.mark.parametrize(
    "text", ["Merci beaucoup !", "Danke, alles gut!", "Gracias, todo bien", "Obrigada!", "谢谢！"]
)
def test_thanks_in_any_language_is_no_call_for_help(text: str) -> None:
    assert not asks_for_help(text)
