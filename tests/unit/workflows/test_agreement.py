"""The Mentoring Agreement, pure: asked, reminded once, drafted, agreed or edited, nudged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from mentormail.workflows import agreement
from mentormail.workflows.agreement import (
    Approved,
    AskDue,
    Changed,
    Drafted,
    RemindDue,
    Stage,
    Unclear,
    read_mentor_reply,
)
from mentormail.workflows.effects import Role, SendEmail
from mentormail.workflows.exceptions import InvalidTransition
from mentormail.workflows.goals import Goal
from mentormail.workflows.policy import ProgramPolicy

NOW = datetime(2026, 10, 1, 9, 0)
POLICY = ProgramPolicy(term_start=date(2026, 9, 14), term_end=date(2027, 6, 30), agreement=True)
GOALS = (Goal("Learn SQL", "online course", date(2026, 12, 1)), Goal("Meet monthly"))


def sent(decision: agreement.AgreementDecision) -> list[tuple[str, Role]]:
    """(template, to) of each email."""
    return [(e.template, e.to) for e in decision.effects if isinstance(e, SendEmail)]


def test_the_mentee_is_asked_and_reminded_after_the_remind_days_once() -> None:
    asked = agreement.decide(Stage.NONE, AskDue(), NOW, replace(POLICY, agreement_remind_days=10))
    assert (asked.stage, asked.due_at) == (Stage.ASKED, datetime(2026, 10, 11, 9, 0))
    assert sent(asked) == [("agreement_ask", Role.MENTEE)]
    reminded = agreement.decide(Stage.ASKED, RemindDue(), NOW, POLICY)
    assert reminded.due_at is None and sent(reminded) == [("agreement_reminder", Role.MENTEE)]


def test_the_draft_goes_to_the_mentor_with_an_agree_link_and_the_mentee_is_told() -> None:
    decision = agreement.decide(Stage.ASKED, Drafted(GOALS), NOW, POLICY)
    assert decision.stage is Stage.DRAFT and decision.goals == GOALS
    to_mentor = decision.effects[0]
    assert isinstance(to_mentor, SendEmail) and to_mentor.to is Role.MENTOR
    assert to_mentor.with_actions == ("agreement_approve",)
    assert sent(decision)[1] == ("agreement_draft_sent", Role.MENTEE)


def test_agreed_goes_to_both_and_the_coordinators_with_the_mentors_changes_kept() -> None:
    approved = agreement.decide(Stage.DRAFT, Approved(), NOW, POLICY)
    assert approved.stage is Stage.AGREED and approved.goals is None
    assert sent(approved) == [
        ("agreement_agreed", Role.MENTOR),
        ("agreement_agreed", Role.MENTEE),
        ("agreement_agreed", Role.COORDINATOR),
    ]
    changed = agreement.decide(Stage.DRAFT, Changed(GOALS[:1]), NOW, POLICY)
    assert changed.stage is Stage.AGREED and changed.goals == GOALS[:1]


def test_an_unclear_reply_keeps_the_reminder_and_an_agreement_is_not_reopened() -> None:
    again = agreement.decide(Stage.ASKED, Unclear(), NOW, POLICY)
    assert again.keep_due and sent(again) == [("agreement_ask", Role.MENTEE)]
    with pytest.raises(InvalidTransition):
        agreement.decide(Stage.AGREED, Drafted(GOALS), NOW, POLICY)


def test_a_goal_is_nudged_a_week_before_its_date_in_the_morning() -> None:
    assert agreement.nudge_at(date(2027, 1, 15)) == datetime(2027, 1, 8, 9, 0)
    assert agreement.nudge_at(None) is None
    assert [e.to for e in agreement.nudge(1)] == [Role.MENTOR, Role.MENTEE]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "goals", "expected"),
    [
        ("Looks good to me!", (), Approved()),
        ("Perfect, thanks", (), Approved()),
        ("LGTM", (), Approved()),
        ("Will do", (Goal("Will do"),), Unclear()),
        ("1. Learn SQL\n", (Goal("Learn SQL"),), Changed((Goal("Learn SQL"),))),
        ("Learn SQL\nMeet monthly", GOALS, Changed(GOALS)),
        ("Can we talk about it first?", (), Unclear()),
    ],
)
def test_the_mentors_answer_is_read_plainly(
    text: str, goals: tuple[Goal, ...], expected: agreement.AgreementEvent
) -> None:
    assert read_mentor_reply(text, goals) == expected


def test_the_coordinators_reminder_asks_for_goals_only_while_none_are_drafted() -> None:
    from mentormail.workflows.agreement import Stage, reminded_by_coordinators

    [asked] = reminded_by_coordinators(Stage.ASKED, "2027-02-08")
    assert (asked.template, asked.to, asked.step) == (  # type: ignore[union-attr]
        "agreement_reminder",
        Role.MENTEE,
        "coordinators-2027-02-08",
    )
    assert reminded_by_coordinators(Stage.DRAFT, "2027-02-08") == ()
    assert reminded_by_coordinators(Stage.AGREED, "2027-02-08") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Passt so, danke!",
        "Sieht gut aus",
        "Sieht gut aus, vielen Dank",
        "Ça me va",
        "Ca me va très bien, merci !",
        "C'est parfait",
        "Me parece bien",
        "Me parece bien, gracias.",
        "Está ótimo",
        "Está ótimo, obrigada!",
        "没问题，就这样",
        "好的，谢谢！",
        "Looks good, thanks",
    ],
)
def test_a_short_approval_in_any_of_the_six_languages_approves_the_draft(text: str) -> None:
    assert read_mentor_reply(text, (Goal(text),)) == Approved()


@pytest.mark.parametrize(
    "text",
    [
        "Me parecen muy bien.",
        "Sí, de acuerdo, están bien así.",
        "Todos me parecen perfectos, gracias",
        "Ils me conviennent, merci !",
        "Ça me semble très bien",
        "Die Ziele passen so, danke",
        "Sehen sehr gut aus!",
        "Parecem ótimos!",
        "Tá tudo certo, obrigado",
        "They look great to me",
    ],
)
def test_goals_called_good_in_the_plural_or_with_a_very_approve_the_draft(text: str) -> None:
    """Said of the goals ("they"), with "very" or "like this": the kind, not one sentence."""
    assert read_mentor_reply(text, (Goal(text),)) == Approved()


@pytest.mark.parametrize(
    "text",
    [
        "Passt so, aber bitte Punkt 2 ändern",
        "Sieht gut aus, können wir Ziel 3 streichen?",
        "Passt so?",
        "Passt so nicht",
        "Ça me va, mais on peut changer le point 2 ?",
        "Ça ne me va pas",
        "Me parece bien, pero cambiaría la fecha",
        "¿Me parece bien la fecha?",
        "Está ótimo, mas mude o objetivo 2",
        "没问题，但是第二个目标要改",
        "没问题吗？",
        "Looks good but change goal 2",
        "No me parecen bien",
        "Están bien, aunque prefiero otra fecha",
        "Parecem ótimos, mas falta um",
        "They look good, I'll confirm tomorrow",
    ],
)
def test_an_approval_with_a_change_or_a_question_does_not_approve(text: str) -> None:
    assert read_mentor_reply(text, (Goal(text),)) == Unclear()
