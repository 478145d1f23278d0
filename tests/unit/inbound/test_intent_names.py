"""People's names and long numbers as marks for the second opinion (intent_names)."""

from __future__ import annotations

from mentormail.inbound.intent import understand
from mentormail.inbound.intent_names import masked_names, model_text, names_in
from mentormail.inbound.types import Context, Intent, Option

QUOTE = """> Hi Ana,
>
> Sam Rivera (Computer Science, interested in fintech) would like you as their mentor.
> Would you like to CONTINUE with Aziz past June, or END here?"""


def test_the_names_of_the_sender_and_of_the_email_answered() -> None:
    names = names_in("Ana Lima", "Re: Quick check-in: you and Tian Xin", QUOTE)
    assert {"ana", "lima", "tian", "xin", "sam", "rivera", "aziz"} <= names
    assert not names & {"computer", "science", "june", "continue", "end", "quick", "would"}


def test_a_name_is_a_mark_where_it_is_capitalised_and_numbers_of_two_digits_are_00() -> None:
    names = names_in("Grace Obi", "Re: you and Nico", "> Have you met Nico since 12 November?")
    assert masked_names("Nico cancelled twice since the 12th.", names) == (
        "personname cancelled twice since the 00th."
    )
    assert masked_names("2 - met with Grace, but grace period is over", names) == (
        "2 - met with personname, but grace period is over"
    )


def test_a_name_after_a_greeting_but_not_the_first_word_of_the_next_sentence() -> None:
    assert masked_names("Thanks Ana! Yes from me", ()) == "thanks personname! yes from me"
    assert masked_names("Thanks. Yes from me", ()) == "thanks. yes from me"
    assert masked_names("Daniel and I met on Friday", ()) == "personname and i met on friday"


def test_chinese_names_and_offered_mentors() -> None:
    names = names_in("吴倩", None, "> 陈立您好：")
    got = masked_names("我是吴倩。陈立很好,继续", names)
    assert got == "我是 personname 。 personname 很好,继续"
    options = (Option("Daniel Osei", "Product Lead, Fintech"), Option("Tom Wu", "Data"))
    assert model_text("Daniel please, thanks Ana", {"ana", "daniel"}, options) == (
        "mentorname please, thanks personname"
    )


def test_the_names_are_read_by_the_second_opinion_only() -> None:
    got = understand("Yes, happy to mentor Sam!", Context.REQUEST, names=lambda: {"sam"})
    assert got.clear and got.intent is Intent.ACCEPT
