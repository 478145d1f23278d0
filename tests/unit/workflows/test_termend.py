"""The end of term, pure: asked before the end, extended when both go on, concluded otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from mentormail.workflows import termend
from mentormail.workflows.effects import EndMatch, ExtendMatch, Role, SendEmail
from mentormail.workflows.exceptions import InvalidTransition
from mentormail.workflows.policy import ProgramPolicy, short_mentorship, time_together
from mentormail.workflows.termend import (
    Answered,
    Concluded,
    EndedEarly,
    Stage,
    Term,
    TermEndDue,
    WrapupDue,
    read_conclusion,
)

POLICY = ProgramPolicy(term_start=date(2026, 9, 14), term_end=date(2027, 6, 30))
END = date(2027, 6, 30)
NOW = datetime(2027, 6, 9, 9, 0)


def templates(decision: termend.TermDecision) -> list[tuple[str, Role]]:
    """(template, to) of each email a decision sends."""
    return [(e.template, e.to) for e in decision.effects if isinstance(e, SendEmail)]


def test_a_new_match_is_asked_wrapup_days_before_its_end_in_the_morning() -> None:
    decision = termend.schedule(END, POLICY)
    assert decision.due_at == datetime(2027, 6, 9, 9, 0)
    later = termend.schedule(END, replace(POLICY, wrapup_days_before_end=7))
    assert later.due_at == datetime(2027, 6, 23, 9, 0)


def test_the_question_goes_to_both_with_continue_and_end_links_and_the_end_is_due_next() -> None:
    decision = termend.decide(Term(Stage.RUNNING, END), WrapupDue(), NOW, POLICY)
    assert decision.term.stage is Stage.ASKED
    assert templates(decision) == [
        ("wrapup_question", Role.MENTOR),
        ("wrapup_question", Role.MENTEE),
    ]
    assert decision.effects[0].with_actions == ("wrapup_continue", "wrapup_end")  # type: ignore[union-attr]
    assert decision.due_at == datetime(2027, 7, 1, 9, 0)


def test_both_continuing_extends_to_the_next_terms_end_when_the_file_gives_one() -> None:
    policy = replace(POLICY, next_term_end=date(2028, 6, 15))
    asked = Term(Stage.ASKED, END, mentor_continues=True)
    decision = termend.decide(asked, Answered(Role.MENTEE, True), NOW, policy)
    assert decision.term == Term(Stage.RUNNING, date(2028, 6, 15))
    assert ExtendMatch(date(2028, 6, 15)) in decision.effects
    assert decision.due_at == datetime(2028, 5, 25, 9, 0)
    assert ("match_extended", Role.MENTEE) in templates(decision)


def test_continue_open_extends_with_no_end_and_nothing_more_is_due() -> None:
    asked = Term(Stage.ASKED, END, mentee_continues=True)
    decision = termend.decide(
        asked, Answered(Role.MENTOR, True), NOW, replace(POLICY, continue_open=True)
    )
    assert decision.term.stage is Stage.OPEN and decision.due_at is None
    assert ExtendMatch(None) in decision.effects


def test_one_answer_is_noted_and_the_end_stays_due() -> None:
    decision = termend.decide(Term(Stage.ASKED, END), Answered(Role.MENTOR, False), NOW, POLICY)
    assert decision.term.mentor_continues is False
    assert templates(decision) == [("wrapup_noted", Role.MENTOR)]
    assert decision.due_at == datetime(2027, 7, 1, 9, 0)


def test_continue_after_the_partner_said_end_is_told_the_outcome_not_noted_as_pending() -> None:
    ended = Term(Stage.ASKED, END, mentor_continues=False)
    decision = termend.decide(ended, Answered(Role.MENTEE, True), NOW, POLICY)
    assert templates(decision) == [("wrapup_outcome", Role.MENTEE)]
    assert decision.due_at == datetime(2027, 7, 1, 9, 0)


def test_end_after_the_partner_chose_to_continue_tells_the_partner_the_outcome() -> None:
    going_on = Term(Stage.ASKED, END, mentee_continues=True)
    decision = termend.decide(going_on, Answered(Role.MENTOR, False), NOW, POLICY)
    assert templates(decision) == [("wrapup_noted", Role.MENTOR), ("wrapup_outcome", Role.MENTEE)]


def test_at_the_end_without_both_continuing_the_match_ends_and_each_is_asked() -> None:
    asked = Term(Stage.ASKED, END, mentor_continues=True, mentee_continues=False)
    decision = termend.decide(asked, TermEndDue(), datetime(2027, 7, 1, 9), POLICY)
    assert decision.term.stage is Stage.CONCLUDING
    assert decision.effects[0] == EndMatch("term_end", Role.COORDINATOR)
    assert templates(decision) == [
        ("conclusion_question", Role.MENTOR),
        ("conclusion_question", Role.MENTEE),
    ]


def test_each_answer_is_copied_to_the_coordinators_and_both_conclude() -> None:
    first = termend.decide(Term(Stage.CONCLUDING, END), Concluded(Role.MENTEE), NOW, POLICY)
    assert templates(first) == [
        ("conclusion_to_coordinators", Role.COORDINATOR),
        ("conclusion_thanks", Role.MENTEE),
    ]
    both = termend.decide(first.term, Concluded(Role.MENTOR), NOW, POLICY)
    assert both.term.stage is Stage.CONCLUDED


def test_a_pair_that_ended_early_is_asked_nothing_and_answers_after_the_end_are_refused() -> None:
    closed = termend.decide(Term(Stage.RUNNING, END), EndedEarly(), NOW, POLICY)
    assert closed.term.stage is Stage.CLOSED and not closed.effects and closed.due_at is None
    with pytest.raises(InvalidTransition):
        termend.decide(Term(Stage.CONCLUDING, END), Answered(Role.MENTOR, True), NOW, POLICY)


def test_the_due_row_means_the_end_once_its_morning_has_come() -> None:
    term = Term(Stage.RUNNING, END)
    assert isinstance(termend.due_event(term, datetime(2027, 6, 9, 9)), WrapupDue)
    assert isinstance(termend.due_event(term, datetime(2027, 7, 1, 9)), TermEndDue)


@pytest.mark.parametrize(
    ("text", "achieved", "next_steps"),
    [
        (
            "I built two analytics projects.\n\nNext steps: apply to health-data roles.",
            "I built two analytics projects.",
            "apply to health-data roles.",
        ),
        (
            "Achieved: a polished CV and three mock interviews\nWhat's next? A master's degree,"
            " and yes, a new mentor.",
            "a polished CV and three mock interviews",
            "A master's degree, and yes, a new mentor.",
        ),
        ("Sam grew a lot in confidence.", "Sam grew a lot in confidence.", ""),
        (
            "Aprendí a preparar un presupuesto.\n\nPróximos pasos: buscar unas prácticas.",
            "Aprendí a preparar un presupuesto.",
            "buscar unas prácticas.",
        ),
        (
            "Fiz meu portfólio.\nPróximos passos: um estágio de verão.",
            "Fiz meu portfólio.",
            "um estágio de verão.",
        ),
        (
            "J'ai refait mon CV.\nProchaines étapes : un master.",
            "J'ai refait mon CV.",
            "un master.",
        ),
        (
            "Bewerbung geübt.\nNächste Schritte: ein Praktikum.",
            "Bewerbung geübt.",
            "ein Praktikum.",
        ),
        ("我改好了简历。\n下一步：找实习。", "我改好了简历。", "找实习。"),
        ("I learnt the next steps of a budget.", "I learnt the next steps of a budget.", ""),
        (
            "1. We met monthly and rewrote my CV.\n2. Next career steps: internships in policy",
            "We met monthly and rewrote my CV.",
            "internships in policy",
        ),
    ],
)
def test_a_conclusion_is_split_at_its_next_steps_line(
    text: str, achieved: str, next_steps: str
) -> None:
    assert read_conclusion(text) == termend.Outcome(achieved, next_steps)


def test_a_mentorship_of_less_than_a_month_is_short_and_an_open_ended_one_never() -> None:
    assert short_mentorship(date(2027, 6, 25), END)
    assert short_mentorship(date(2027, 6, 1), END)
    assert not short_mentorship(date(2027, 5, 31), END)  # 30 days: a month of it
    assert not short_mentorship(date(2026, 10, 1), END)
    assert not short_mentorship(date(2027, 6, 25), None)


def test_the_wrap_up_counts_as_answered_from_either_sides_word_until_the_next_end() -> None:
    asked = Term(Stage.ASKED, END)
    assert not termend.wrapup_answered(asked)
    assert termend.wrapup_answered(replace(asked, mentee_continues=False))
    assert termend.wrapup_answered(replace(asked, mentor_continues=True))
    assert not termend.wrapup_answered(Term(Stage.RUNNING, END))  # continued: a new year's


@pytest.mark.parametrize(
    ("start", "ends_on", "span"),
    [
        (date(2026, 10, 1), END, "year"),
        (date(2026, 12, 1), END, "year"),  # seven months of a nine-and-a-half-month term
        (date(2027, 2, 1), END, "months"),  # February to June is not "a good year"
        (date(2027, 2, 1), date(2027, 5, 31), "months"),
        (date(2027, 6, 10), END, "short"),
        (date(2026, 10, 1), date(2028, 6, 30), "year"),  # continued
        (date(2027, 2, 1), None, "year"),  # open-ended
    ],
)
def test_a_pairs_time_together_is_worded_by_its_length(
    start: date, ends_on: date | None, span: str
) -> None:
    assert time_together(start, ends_on, POLICY.term_start, POLICY.term_end) == span
