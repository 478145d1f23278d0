"""A search reply read with the list it answers: picks by name, by what a mentor does, or
"the last one"; two options, a question or a doubt ask."""

from __future__ import annotations

import pytest

from mentormail.inbound.intent import understand
from mentormail.inbound.intent_options import masked, named_option, quoted_options
from mentormail.inbound.intent_text import fold
from mentormail.inbound.types import Context, Intent, Option

LIST = (
    Option("Priya Raman", "Senior Product Manager, E-commerce (Class of 2012)"),
    Option("Daniel Osei", "Product Lead, Fintech (Class of 2015)"),
    Option("Dr. Megan Cho", "Group PM, Developer Tools (Class of 2010)"),
    Option("王丽", "产品经理, 游戏"),
)
QUOTE = """Daniel please

On Wed, 7 Oct 2026 at 10:05, Harlow Mentors <mentors@harlow.example> wrote:
> Here are mentors who match "product management":
>
> 1. Priya Raman — Senior Product Manager, E-commerce (Class of 2012)
> 2. Daniel Osei — Product Lead, Fintech (Class of 2015)
> 3. Megan Cho - Group PM, Developer Tools (Class of 2010)
>
> Reply with the number of the mentor you'd like (e.g. "2").
"""


def test_the_list_is_read_from_the_quote() -> None:
    options = quoted_options(QUOTE)
    assert [o.name for o in options] == ["Priya Raman", "Daniel Osei", "Megan Cho"]
    assert options[1].description.startswith("Product Lead, Fintech")


def test_a_message_without_a_numbered_list_has_no_options() -> None:
    assert quoted_options("1. I think so\n\nthanks") == ()


@pytest.mark.parametrize(
    ("reply", "choice"),
    [
        ("Daniel please", 2),
        ("daniel osei", 2),
        ("The fintech one sounds ideal", 2),
        ("Not Priya — Megan please", 3),
        ("Megan, thanks!", 3),
        ("last one please", 4),
        ("还是王丽吧", 4),
        ("2 - Daniel", 2),
    ],
)
def test_a_short_pick_by_name_or_description_chooses(reply: str, choice: int) -> None:
    said = understand(reply, Context.SEARCH, LIST)
    assert (said.intent, said.clear, said.choice) == (Intent.CHOOSE, True, choice)


@pytest.mark.parametrize(
    "reply",
    [
        "Priya or Megan",  # two options
        "Is Daniel still taking mentees?",  # a question
        "Daniel, if he has time",  # a condition
        "maybe Daniel?",  # a doubt
        "fintech",  # new search words, or a pick: a person reads it
        "3 - Daniel",  # the number and the name disagree
        "Anyone like Daniel but in healthcare?",  # asks for others
    ],
)
def test_a_pick_with_more_than_a_name_asks(reply: str) -> None:
    said = understand(reply, Context.SEARCH, LIST)
    assert not said.clear


def test_without_the_list_a_name_alone_asks() -> None:
    assert not understand("Daniel please", Context.SEARCH).clear


def test_a_chinese_surname_with_a_title_names_the_one_mentor_of_that_surname() -> None:
    assert named_option("王老师", LIST).picked == 4
    assert masked("王老师", LIST).strip() == "mentorname"
    assert named_option("李老师", LIST).picked is None  # no mentor of that surname


def test_a_traditional_name_is_named_in_either_script() -> None:
    listed = (*LIST[:3], Option("張敏", "產品經理, 遊戲"))
    for reply in ("張敏", "张敏", "張老師", "张老师"):
        assert named_option(fold(reply), listed).picked == 4
