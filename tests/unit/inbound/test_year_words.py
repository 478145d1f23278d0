"""Readings the year needs: a meeting's date, END, the bare check-in and wrap-up words, and
the day a mentor asks for to answer a request by."""

from __future__ import annotations

from datetime import date

import pytest

from mentormail.inbound.intent import understand
from mentormail.inbound.meeting_date import meeting_date, meeting_month
from mentormail.inbound.time_asked import asked_until
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


THURSDAY = date(2026, 12, 3)
# On Thursday 3 December 2026, the day these words name (None: no day, or two).
WEEK_WORDS: dict[str, date | None] = {
    "MET on Tuesday": date(2026, 12, 1),
    "Met – coffee on Friday": date(2026, 11, 27),
    "met last Tuesday, it went well": date(2026, 12, 1),
    "Wir haben uns am Dienstag gesehen": date(2026, 12, 1),
    "Nos vimos el martes": date(2026, 12, 1),
    "A gente se viu na terça-feira": date(2026, 12, 1),
    "我们周二见了": date(2026, 12, 1),
    "我们上周二见过面": date(2026, 11, 24),  # last week's Tuesday, not this week's
    "On s'est vus hier": date(2026, 12, 2),
    "Wir haben uns gestern getroffen": date(2026, 12, 2),
    "Nos encontramos ontem": date(2026, 12, 2),
    "昨天见了": date(2026, 12, 2),
    "met the day before yesterday": date(2026, 12, 1),  # not also "yesterday"
    "on s'est vus avant-hier": date(2026, 12, 1),
    "met 3 days ago": date(2026, 11, 30),
    "hace 2 días": date(2026, 12, 1),
    "MET on the 4th": date(2026, 11, 4),  # the 4th of this month is still to come
    "MET on the 1st": date(2026, 12, 1),
    "Wir haben uns am 12.11. im Büro gesehen": date(2026, 11, 12),
    "Nos vimos el 12 de noviembre": date(2026, 11, 12),
    "on s'est vus le 1er décembre": date(2026, 12, 1),
    "Encontramo-nos a 28 de novembro": date(2026, 11, 28),
    "11月28日见了": date(2026, 11, 28),
    "met on Tuesday 24 November": date(2026, 11, 24),  # the named date, not the weekday
    "met yesterday and meet again next Tuesday": date(2026, 12, 2),
    "MET on Thursday": None,  # today's own name: today, or a week ago?
    "MET last Thursday, a quick video call": date(2026, 11, 26),  # "last": a week ago
    "Wir haben uns letzten Donnerstag gesehen": date(2026, 11, 26),
    "on s'est vus jeudi dernier": date(2026, 11, 26),
    "Nos vimos el jueves pasado": date(2026, 11, 26),
    "A gente se viu na quinta-feira passada": date(2026, 11, 26),
    "We met on Thursday, last time was in October": None,  # "last" about another thing
    "Wir waren hier in Basel": None,  # German "hier" is here, not French yesterday
    "on s'est vus la semaine dernière": None,  # a week, not a day
    "我们上周见过面了": None,
    "met for the 4th time": None,
    "Met Mai 3 times": None,  # a name and a count, not 3 May
    "met 2 out of 3 weeks": None,
    "met on Monday and on Tuesday": None,  # two days: no guess
}


@pytest.mark.parametrize(("text", "expected"), WEEK_WORDS.items())
def test_a_meeting_day_is_read_in_each_language_and_from_the_days_of_the_week(
    text: str, expected: date | None
) -> None:
    assert meeting_date(text, THURSDAY) == expected


# On Tuesday 12 January 2027, the day a meeting given by its month alone is logged on.
MONTH_WORDS: dict[str, date | None] = {
    "MET in November": date(2026, 11, 30),
    "MET, on s'est vus en décembre": date(2026, 12, 31),
    "Sí, nos vimos en noviembre": date(2026, 11, 30),
    "Getroffen, im Oktober": date(2026, 10, 31),
    "Sim, encontramo-nos em novembro": date(2026, 11, 30),
    "见了，12月份": date(2026, 12, 31),
    "MET in January": date(2027, 1, 12),  # this month: the reply's day
    "met in November and December": None,  # two months: no guess
    "MET yesterday, and in December": None,  # a day named: that day
    "MET, and we'll meet again in February": None,  # a meeting to come
    "MET im Büro": None,
}


@pytest.mark.parametrize(("text", "expected"), MONTH_WORDS.items())
def test_a_meeting_given_by_its_month_alone_is_the_months_last_day_in_each_language(
    text: str, expected: date | None
) -> None:
    assert meeting_month(text, date(2027, 1, 12)) == expected


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


@pytest.mark.parametrize(
    ("text", "fit"),
    [
        ("Ana is exactly what I was looking for", "good"),
        ("We get along really well!", "good"),
        ("Sí, es muy buena combinación", "good"),
        ("Encajamos muy bien, gracias", "good"),
        ("C'est exactement ce que je cherchais !", "good"),
        ("On s'entend très bien", "good"),
        ("Passt sehr gut!", "good"),
        ("Genau das, was ich gesucht habe", "good"),
        ("Exatamente o que eu procurava!", "good"),
        ("Combinamos muito bem", "good"),
        ("很合适，谢谢", "good"),
        ("正是我想要的", "good"),
        ("No es muy buena combinación", None),  # a negated praise is asked about
        ("Ce n'est pas exactement ce que je cherchais", None),
        ("Es passt nicht gut", None),
        ("不是很合适", None),
        ("Combinamos muito bem, mas ainda não sei: still deciding", None),  # two answers
    ],
)
def test_a_positive_evaluation_of_the_match_is_a_good_fit_in_six_languages(
    text: str, fit: str | None
) -> None:
    from mentormail.inbound.fit_answers import fit_answer

    assert fit_answer(text) == fit


@pytest.mark.parametrize(
    "text", ["C'est exactement ce que je cherchais !", "Sí, es muy buena combinación", "很合适"]
)
def test_praise_answering_a_list_is_no_new_search_but_asks_which(text: str) -> None:
    said = understand(text, Context.SEARCH)
    assert (said.intent, said.clear, said.candidates) == (Intent.OTHER, False, (Intent.CHOOSE,))


ASKED_ON = date(2026, 10, 1)  # a Thursday


@pytest.mark.parametrize(
    ("words", "day"),
    [
        ("Can I think about it until next week?", date(2026, 10, 8)),
        ("Let me get back to you by Friday", date(2026, 10, 2)),
        ("until Thursday", date(2026, 10, 8)),  # today's own name is next week's
        ("Give me a few days", date(2026, 10, 4)),
        ("Can I have two weeks?", date(2026, 10, 15)),
        ("Could I have until 19 October to decide?", date(2026, 10, 19)),
        ("Could I have until October 19?", date(2026, 10, 19)),
        ("Kann ich bis nächste Woche darüber nachdenken?", date(2026, 10, 8)),
        ("Je vous réponds d'ici vendredi", date(2026, 10, 2)),
        ("¿Puedo pensarlo hasta el 15 de octubre?", date(2026, 10, 15)),
        ("Lo pienso y te digo la semana que viene", date(2026, 10, 8)),
        ("Posso pensar até sexta?", date(2026, 10, 2)),
        ("我下周告诉你可以吗？", date(2026, 10, 8)),
        ("Until 3 January, after the holidays?", date(2027, 1, 3)),
    ],
)
def test_the_day_asked_for_is_read(words: str, day: date) -> None:
    assert asked_until(words, ASKED_ON) == day


@pytest.mark.parametrize(
    "words",
    ["Can I think about it?", "Maybe later", "We met last Friday", "yes but only online?"],
)
def test_no_day_is_read_where_none_is_asked_for(words: str) -> None:
    assert asked_until(words, ASKED_ON) is None
