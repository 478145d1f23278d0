"""Readings the year needs: a meeting's date, END, the bare check-in and wrap-up words."""

from __future__ import annotations

from datetime import date

import pytest

from mentormail.inbound.intent import understand
from mentormail.inbound.meeting_date import meeting_date
from mentormail.inbound.types import Context, Intent

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MET on 12 October", date(2026, 10, 12)),
        ("We met Oct 3rd, great chat", date(2026, 10, 3)),
        ("met 2026-10-12", date(2026, 10, 12)),
        ("met yesterday", date(2026, 10, 31)),
        ("MET", None),
        ("met on 12 October or maybe 13 October", None),  # two dates: no guess
        ("met on 31 February", None),
        ("met on 2026-12-12", None),  # not yet come
    ],
)
def test_a_meeting_date_is_read_only_when_there_is_exactly_one(
    text: str, expected: date | None
) -> None:
    assert meeting_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("END", True),
        ("end", True),
        ("END please", True),
        ("end\n\nThanks for trying", True),
        ("I'd like to end the mentorship", True),
        ("Please end our mentoring, thank you", True),
        ("Let's not end it yet", False),
        ("I don't want to end the mentorship", False),
        ("We met at the end of the week", False),
        ("Not yet", False),
    ],
)
def test_a_checkin_answered_with_end_is_read_as_end_only_when_said_plainly(
    text: str, ends: bool
) -> None:
    said = understand(text, Context.CHECKIN)
    assert (said.clear and said.intent is Intent.END) is ends


@pytest.mark.parametrize(
    "text",
    [
        "Quisiera terminar la mentoría",
        "Me gustaría poner fin a la mentoría",
        "Je voudrais mettre fin au mentorat",
        "Je voudrais mettre un terme au mentorat",
        "Je souhaite arrêter le mentorat",
        "Ich würde die Mentorschaft gerne beenden",
        "Gostaria de encerrar a mentoria",
        "Quero pôr fim à mentoria, obrigada por tudo",
        "我想结束这段导师关系",
        "我想结束辅导",
        "I'd like to put an end to our mentorship",
    ],
)
def test_a_wish_to_end_is_read_from_a_checkin_in_each_of_the_six_languages(text: str) -> None:
    said = understand(text, Context.CHECKIN)
    assert said.clear and said.intent is Intent.END


@pytest.mark.parametrize(
    "text", ["Por fim, a gente se encontrou ontem", "Por fin nos vimos el martes"]
)
def test_finally_in_spanish_or_portuguese_is_never_an_ending(text: str) -> None:
    assert understand(text, Context.CHECKIN).intent is not Intent.END


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("MET", Intent.MET),
        ("met!", Intent.MET),
        ("Met", Intent.MET),
        ("Met – coffee Friday", Intent.MET),
        ("MET. We had coffee and talked about her CV.", Intent.MET),
        ("met on 12 October", Intent.MET),
        ("NOT YET", Intent.NOT_YET),
        ("not yet, hopefully next week", Intent.NOT_YET),
        ("Not yet", Intent.NOT_YET),
        ("HELP", Intent.HELP),
        ("help - she never answers my emails", Intent.HELP),
        ("Hmm, sort of", None),
        ("I met someone else", None),
    ],
)
def test_the_bare_word_a_checkin_asks_for_is_read_in_any_case(
    text: str, answer: Intent | None
) -> None:
    said = understand(text, Context.CHECKIN)
    assert (said.intent if said.clear else None) is answer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("CONTINUE", Intent.CONTINUE),
        ("continue please", Intent.CONTINUE),
        ("Continue – same time next year?", Intent.CONTINUE),
        ("END", Intent.END),
        ("END please", Intent.END),
        ("end.", Intent.END),
        ("End, thanks for everything", Intent.END),
        ("Yes", None),  # a yes to "continue or end?" picks neither
    ],
)
def test_the_bare_word_a_wrapup_asks_for_is_read_in_any_case(
    text: str, answer: Intent | None
) -> None:
    said = understand(text, Context.WRAPUP)
    assert (said.intent if said.clear else None) is answer


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        ("Good fit!", "good"),
        ("good", "good"),
        ("A great match, thanks", "good"),
        ("It's going really well", "good"),
        ("Still deciding", "deciding"),
        ("not sure yet", "deciding"),
        ("Not a good fit, sorry", "not_a_fit"),
        ("Honestly, it isn't the right fit", "not_a_fit"),
        ("A good fit, but still deciding", None),  # two answers: asked, never guessed
        ("Hmm", None),
    ],
)
def test_a_fit_answer_is_read_only_when_it_says_one_thing(text: str, fit: str | None) -> None:
    from mentormail.inbound.fit_answers import fit_answer

    assert fit_answer(text) == fit
