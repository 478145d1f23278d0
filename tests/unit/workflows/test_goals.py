"""Goals read from realistic replies (quoted text already removed): one a line, activities,
dates; greetings, headings and names are not goals."""

from __future__ import annotations

from datetime import date

import pytest

from mentormail.workflows.goals import (
    Goal,
    agreement_text,
    example_dates,
    parse_date,
    read_goals,
)

TODAY = date(2026, 10, 5)


def test_a_plain_list_of_goals_with_dates_and_activities() -> None:
    reply = (
        "Hi Ana,\n\n"
        "Here are our goals:\n"
        "- Build a portfolio of two data projects - a Kaggle competition and a hospital dataset"
        " by 15 January\n"
        "- Practise for interviews: two mock interviews by March 2027\n"
        "- Learn SQL\n\n"
        "Thanks!\nSam"
    )
    assert read_goals(reply, TODAY) == [
        Goal(
            "Build a portfolio of two data projects",
            "a Kaggle competition and a hospital dataset",
            date(2027, 1, 15),
        ),
        Goal("Practise for interviews", "two mock interviews", date(2027, 3, 31)),
        Goal("Learn SQL"),
    ]


def test_a_name_or_a_comment_after_a_bulleted_list_is_no_goal() -> None:
    """A two-word first name signs off as one word does; a bulleted goal after it still counts."""
    reply = (
        "- Mejorar mi CV antes del 15 de febrero\n"
        "- Preparar entrevistas\n\n"
        "María José\n\n"
        "Let me know if that works for you both\n"
    )
    assert [g.text for g in read_goals(reply, TODAY)] == ["Mejorar mi CV", "Preparar entrevistas"]
    later = "1. Learn SQL\n\nAnd one more:\n2. Build a portfolio\n\nLi Wei Zhang\n"
    assert [g.text for g in read_goals(later, TODAY)] == ["Learn SQL", "Build a portfolio"]
    unbulleted = "Learn SQL\nBuild a portfolio\n"
    assert [g.text for g in read_goals(unbulleted, TODAY)] == ["Learn SQL", "Build a portfolio"]


def test_numbered_goals_with_activity_lines_under_them() -> None:
    reply = (
        "1. Get an internship in health analytics by 2027-04-30\n"
        "   - review my CV and cover letter\n"
        "   - informational interviews with three analysts\n"
        "2. Decide on a master's programme by the end of February\n"
        "Activities: shadow Ana at a team meeting\n"
    )
    goals = read_goals(reply, TODAY)
    assert [g.text for g in goals] == [
        "Get an internship in health analytics",
        "Decide on a master's programme",
    ]
    assert goals[0].by == date(2027, 4, 30)
    assert goals[0].activities == (
        "review my CV and cover letter; informational interviews with three analysts"
    )
    assert goals[1].by == date(2027, 2, 28)
    assert goals[1].activities == "shadow Ana at a team meeting"


def test_a_mentors_edited_list_reads_the_same_way() -> None:
    reply = (
        "Looks mostly right, small changes:\n\n"
        "Goal 1: Learn SQL and Python; online course by Dec 1st\n"
        "Goal 2: Apply to 5 internships by February 15, 2027"
    )
    goals = read_goals(reply, TODAY)
    assert goals == [
        Goal("Learn SQL and Python", "online course", date(2026, 12, 1)),
        Goal("Apply to 5 internships", "", date(2027, 2, 15)),
    ]


def test_words_that_are_not_a_date_stay_in_the_goal() -> None:
    (goal,) = read_goals("Meet by video once a month", TODAY)
    assert goal == Goal("Meet by video once a month")


@pytest.mark.parametrize(
    ("line", "by"),
    [
        ("Two mock interviews by 15 March with Ana's team", date(2027, 3, 15)),
        ("Finish my CV by 15 March, then send it to three firms", date(2027, 3, 15)),
        ("Lebenslauf bis 15. März fertig und an drei Firmen schicken", date(2027, 3, 15)),
        ("Terminer mon CV avant le 15 mars et l'envoyer à trois cabinets", date(2027, 3, 15)),
        ("Terminar el CV antes del 15 de marzo y enviarlo a tres empresas", date(2027, 3, 15)),
        ("Enviar o CV até 15 de março para três empresas", date(2027, 3, 15)),
        ("Apply to two internships by March, with a cover letter each", date(2027, 3, 31)),
        ("Read a book by Jan Smith and discuss it", None),  # a person, not January
        ("Apply by March or by April to the big firms", None),  # two dates: no guess
    ],
)
def test_a_date_in_the_middle_of_a_goals_sentence_is_read_and_the_words_kept(
    line: str, by: date | None
) -> None:
    (goal,) = read_goals(line, TODAY)
    assert (goal.text, goal.by) == (line, by)


def test_a_chinese_goal_written_without_spaces_is_a_goal() -> None:
    (goal,) = read_goals("在3月15日之前完成简历并投三家公司", TODAY)
    assert (goal.text, goal.by) == ("完成简历并投三家公司", date(2027, 3, 15))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2027-03-15", date(2027, 3, 15)),
        ("15 March", date(2027, 3, 15)),
        ("March 15, 2027", date(2027, 3, 15)),
        ("3rd of November", date(2026, 11, 3)),
        ("Nov", date(2026, 11, 30)),
        ("September", date(2027, 9, 30)),  # this September has passed: next year's
        ("2027-02-30", None),
        ("soon", None),
    ],
)
def test_dates_as_people_write_them(words: str, expected: date | None) -> None:
    assert parse_date(words, TODAY) == expected


def test_the_agreement_text_numbers_the_goals_with_their_dates() -> None:
    text = agreement_text(
        [Goal("Learn SQL", "online course", date(2026, 12, 1)), Goal("Meet monthly")]
    )
    assert text == (
        "1. Learn SQL (by Tuesday 1 December 2026)\n   Activities: online course\n2. Meet monthly"
    )


def test_the_agreements_example_dates_are_to_come_and_never_past_the_matchs_end() -> None:
    assert example_dates(date(2027, 3, 29), date(2027, 6, 30)) == ("15 May", "June")
    assert example_dates(date(2026, 11, 20), date(2027, 6, 30)) == ("15 January", "March")
    assert example_dates(date(2027, 6, 1), date(2027, 6, 30)) == ("30 June", "June")
    soon, later = example_dates(date(2027, 3, 29), date(2027, 6, 30))
    goals = read_goals(f"- A portfolio by {soon}\n- Mock interviews by {later}", date(2027, 3, 29))
    assert [g.by for g in goals] == [date(2027, 5, 15), date(2027, 6, 30)]  # read as written
