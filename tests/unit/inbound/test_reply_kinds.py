"""Kinds of reply the fifth round of independent replies showed, read for the kind."""

from __future__ import annotations

import pytest

from mentormail.inbound.intent import read_by_rules, understand, vetoed_confidence
from mentormail.inbound.types import Context, Intent, Understanding

R, C, W, S, G, Q = (Context.REQUEST, Context.CHECKIN, Context.WRAPUP, Context.SURVEY,
                    Context.GENERAL, Context.SEARCH)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Yes, as long as we can do it over Teams. If that works for him, I'm in.", R),
        ("Sí, siempre que podamos vernos online. Si a Iván no le importa, contad conmigo.", R),
        ("Je veux bien. Si ça convient à Mehdi, c'est oui.", R),
        ("I'd be happy to continue if Nadia wants to", W),
        ("看林老师的意思吧，她想继续我就继续。", W),
    ],
)
def test_a_yes_that_hangs_on_an_if_asks(text: str, context: Context) -> None:
    assert not understand(text, context).clear


def test_an_end_and_leaving_the_association_is_leaving() -> None:
    """Leaving ends the mentorship too (six such development replies labelled a stop)."""
    text = "END. And please don't pair me with anyone again – I'm leaving the association."
    said = read_by_rules(text, W)
    assert (said.intent, said.clear, said.also) == (Intent.STOP, True, (Intent.END,))


def test_a_soft_condition_on_a_yes_is_still_passed_on() -> None:
    said = read_by_rules("Yes if she can meet after 6pm.", R)
    assert (said.intent, said.clear) == (Intent.ACCEPT, True)
    assert said.condition


@pytest.mark.parametrize(
    "text",
    [
        "Yes - met on the 3rd. Also, I'm on sabbatical from February, so please pause my "
        "mentoring for that stretch.",
        "Ainda não — e vou estar de licença. Podem pausar a mentoria?",
        "END. And please pause me for the spring.",
    ],
)
def test_the_emails_answer_beside_a_pause_or_a_stop_asks(text: str) -> None:
    context = W if text.startswith("END") else C
    said = understand(text, context)
    assert not said.clear
    assert len(said.candidates) >= 2


def test_a_question_to_the_program_address_asks_rather_than_being_filed() -> None:
    said = understand("Is there any way to get fewer reminder emails?", G)
    assert not said.clear


def test_no_for_now_and_ask_me_again_asks_between_pause_and_decline() -> None:
    said = understand("No puedo coger a nadie ahora mismo. Escribidme otra vez en febrero.", R)
    assert not said.clear
    assert Intent.PAUSE in said.candidates


def test_met_once_but_not_since_asks() -> None:
    assert not understand("Nos vimos a principios de octubre, pero desde entonces nada.", C).clear


def test_a_request_to_leave_in_answer_to_a_request_leaves_and_declines() -> None:
    said = read_by_rules("Please take me off your lists. I retired last spring.", R)
    assert (said.intent, said.clear, said.also) == (Intent.STOP, True, (Intent.DECLINE,))


@pytest.mark.parametrize(
    "text",
    [
        "Ich würde sagen: Note 2. Läuft gut.",
        "1 - he made a joke about my accent that I found really hurtful, and I would like to "
        "talk to someone about it",
        "Vou dar 4. Aproveitando: dá pra pausar os e-mails do programa em janeiro?",
    ],
)
def test_a_survey_answer_that_is_more_than_a_rating_asks(text: str) -> None:
    assert not understand(text, S).clear


def test_a_pick_written_as_a_chinese_number_chooses() -> None:
    said = read_by_rules("一号吧，谢谢", Q)
    assert (said.intent, said.choice) == (Intent.CHOOSE, 1)


def _clear(intent: Intent) -> Understanding:
    return Understanding(intent, clear=True, confidence=0.9)


def test_a_long_reply_acts_only_when_the_second_opinion_agrees_strongly() -> None:
    long = " ".join(["word"] * 20)
    lukewarm = {"accept": 0.6, "ask": 0.4}
    assert vetoed_confidence(_clear(Intent.ACCEPT), lukewarm, long) <= 0.5
    assert vetoed_confidence(_clear(Intent.ACCEPT), lukewarm, "yes happy to") == 0.9
    assert vetoed_confidence(_clear(Intent.ACCEPT), {"accept": 0.8, "ask": 0.2}, long) == 0.9


@pytest.mark.parametrize(
    ("text", "context", "intent"),
    [
        ("WEITER", W, Intent.CONTINUE),
        ("FIN. Merci pour tout.", C, Intent.END),
        ("REUNIDOS", C, Intent.MET),
        ("No veo ningún motivo para decir que no. Adelante", R, Intent.ACCEPT),
        ("Ja, gerne. Ich melde mich nächste Woche bei Frau Köhler.", R, Intent.ACCEPT),
        (
            "HELP - I've emailed Rohan three times. Not sure if I have the wrong address?",
            C,
            Intent.HELP,
        ),
        ("请把我从导师计划的邮件列表里删掉，谢谢。", G, Intent.STOP),
    ],
)
def test_more_ways_of_saying_the_answer_are_read(text: str, context: Context,
                                                 intent: Intent) -> None:  # fmt: skip
    said = read_by_rules(text, context)
    assert (said.intent, said.clear) == (intent, True)


@pytest.mark.parametrize(
    "text",
    [
        "Only a phone call last week, does that count?",
        "Telefoniert ja, getroffen nein. Zählt das?",
        "On s'est appelés mardi, ça compte ?",
        "¿Cuenta una videollamada de media hora?",
        "Falámos por videochamada, isso conta?",
        "我们打过电话，算吗？",
    ],
)
def test_a_check_in_that_asks_whether_it_counts_asks(text: str) -> None:
    got = read_by_rules(text, C)
    assert not got.clear and got.candidates[:2] == (Intent.MET, Intent.NOT_YET)


def test_a_check_in_that_met_and_asks_something_else_still_acts() -> None:
    got = read_by_rules("Yes we met on Tuesday! When is the next survey?", C)
    assert got.clear and got.intent is Intent.MET and got.question


# A hedge after the answer, or the answer still to be talked over with someone
_TAKEN_BACK = [
    ("We'll carry on! Well, I think so – it isn't settled yet.", W),
    ("Ja, wir haben uns getroffen. Glaube ich zumindest, es war eher kurz.", C),
    ("On arrête là. Enfin, je pense. On en reparle.", W),
    ("Sí, me apunto. Bueno, creo – lo confirmo pronto.", R),
    ("Vamos continuar, acho eu. A Rita ainda não disse nada.", W),
    ("我们继续吧。应该吧，我不太确定。", W),
    ("Happy to take him. I still need to talk to my partner about evenings, though.", R),
    ("Weitermachen, ja. Ich muss das aber noch mit Herrn Ott besprechen.", W),
    ("Oui pour moi, mais je dois encore en discuter avec ma cheffe.", R),
    ("Seguimos, creo que sí. Tengo que hablarlo con Lucía primero.", W),
    ("Continuamos. Primeiro tenho de falar com o Paulo sobre as datas.", W),
    ("可以继续。不过我还要跟导师商量一下。", W),
]


@pytest.mark.parametrize(("text", "context"), _TAKEN_BACK)
def test_a_hedge_said_after_the_answer_asks(text: str, context: Context) -> None:
    assert not read_by_rules(text, context).clear


@pytest.mark.parametrize(
    ("text", "context", "intent"),
    [
        ("Yes, I think she'd be a great fit for me.", R, Intent.ACCEPT),
        ("We met last week, I think it went really well.", C, Intent.MET),
        ("On continue, je pense que c'est très utile pour elle.", W, Intent.CONTINUE),
    ],
)
def test_an_opinion_inside_the_answer_is_no_hedge(text: str, context: Context,
                                                  intent: Intent) -> None:  # fmt: skip
    said = read_by_rules(text, context)
    assert (said.intent, said.clear) == (intent, True)
