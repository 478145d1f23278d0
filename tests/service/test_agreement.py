"""The Mentoring Agreement (agreement: true): the mentee drafts the goals right after the
introduction, the mentor agrees or edits, the agreed text goes to both and to the coordinators;
a reminder when nothing is drafted, a nudge a week before a goal's date."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mentormail.service.models import AgreementGoal, Attention
from mentormail.service.models import Program as ProgramRow
from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.pair_steps import matched, newest
from tests.service.steps import ANA, SAM

pytestmark = pytest.mark.service

COORDINATOR = "coordinator@example.edu"
GOALS = (
    "Hi Ana, here's my draft:\n\n"
    "- Build a portfolio of two data projects - a Kaggle competition and a hospital dataset"
    " by 15 January\n"
    "- Practise for interviews: two mock interviews by March 2027\n"
    "- Learn SQL\n\nThanks, Sam"
)


@pytest.fixture
def with_agreements(program: Program) -> Program:
    """The example program with ``agreement: true``."""
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "agreement": True}
    return program


def drafted(program: Program, goals: str = GOALS) -> None:
    """Sam and Ana are matched; Sam is asked for goals and sends them."""
    matched(program)
    later(program, minutes=1)
    program.deliver(reply_to(newest(program, SAM, "agreement_ask"), SAM, goals))


def later(program: Program, **delta: float) -> None:
    """Time passes and the sweep runs."""
    program.services.clock.advance(**delta)  # type: ignore[attr-defined]
    sweep(program.services)
    program.work()


def test_the_mentee_is_asked_for_goals_right_after_the_introduction(
    with_agreements: Program,
) -> None:
    program = with_agreements
    matched(program)
    assert not program.outbox(template="agreement_ask")
    later(program, minutes=1)
    ask = newest(program, SAM, "agreement_ask")
    assert ask.expects == "agreement"
    assert "reply to this email with your goals, one a line" in flat(ask.text)
    assert newest(program, SAM, "intro_mentee").id < ask.id
    # the example goals' dates are to come (asked on 1 October: mid-December, February)
    assert "a volunteer one - by 15 December" in flat(ask.text)
    assert "two mock interviews with Ana by February" in flat(ask.text)


def test_draft_then_looks_good_sends_the_agreed_text_to_both_and_the_coordinators(
    with_agreements: Program,
) -> None:
    program = with_agreements
    drafted(program)

    draft = newest(program, ANA, "agreement_draft")
    text = flat(draft.text)
    assert "Sam Rivera has drafted the goals" in text
    assert "1. Build a portfolio of two data projects (by Friday 15 January 2027)" in text
    assert "Activities: a Kaggle competition and a hospital dataset" in text
    assert "3. Learn SQL" in text
    program.deliver(reply_to(draft, ANA, "Looks good to me!"))

    for address in (SAM, ANA, COORDINATOR):
        agreed = newest(program, address, "agreement_agreed")
        assert "2. Practise for interviews (by Wednesday 31 March 2027)" in flat(agreed.text)
    assert "Ana and you have agreed" in flat(newest(program, SAM, "agreement_agreed").text)
    assert "wrote them" not in flat(newest(program, SAM, "agreement_agreed").text)  # Sam's own
    assert "The goals as Sam wrote them:" in flat(newest(program, ANA, "agreement_agreed").text)
    to_coordinators = flat(newest(program, COORDINATOR, "agreement_agreed").text)
    assert "The goals as Sam (the mentee) wrote them:" in to_coordinators


def test_a_short_german_approval_agrees_and_one_with_a_change_does_not(
    with_agreements: Program,
) -> None:
    program = with_agreements
    drafted(program)
    draft = newest(program, ANA, "agreement_draft")
    program.deliver(reply_to(draft, ANA, "Sieht gut aus, aber Ziel 3 bitte streichen"))
    again = flat(newest(program, ANA, "agreement_draft").text)
    assert "We weren't sure whether you agree to the goals below" in again
    assert not program.outbox(template="agreement_agreed")

    program.deliver(reply_to(draft, ANA, "Passt so, danke!\n\nViele Grüße\nAna"))
    agreed = flat(newest(program, SAM, "agreement_agreed").text)
    assert "Ana and you have agreed" in agreed and "3. Learn SQL" in agreed
    assert "1. Build a portfolio" in flat(newest(program, COORDINATOR, "agreement_agreed").text)


def test_the_mentee_reads_the_goals_as_we_read_them_and_a_new_version_replaces_them(
    with_agreements: Program,
) -> None:
    drafted(with_agreements)
    sent = newest(with_agreements, SAM, "agreement_draft_sent")
    text = flat(sent.text)
    assert sent.subject == "Your goals are with Ana Lima" and sent.expects == "agreement"
    assert "We've sent them to Ana, as we read them:" in text
    assert "1. Build a portfolio of two data projects (by Friday 15 January 2027)" in text
    assert "When Ana agrees, or suggests changes, we'll send you both the agreed goals" in text
    assert "None of the goals has a date" not in text

    new_version = "- Learn SQL\n- Meet two people in hospital data teams"
    with_agreements.deliver(reply_to(sent, SAM, new_version))
    draft = flat(newest(with_agreements, ANA, "agreement_draft").text)
    assert "1. Learn SQL" in draft and "portfolio" not in draft
    again = flat(newest(with_agreements, SAM, "agreement_draft_sent").text)
    assert "2. Meet two people in hospital data teams" in again
    assert "None of the goals has a date we could read." in again


def test_the_mentors_changes_become_the_agreement(with_agreements: Program) -> None:
    program = with_agreements
    drafted(program)
    changes = (
        "Small changes:\n"
        "1. Build one strong data project by 15 January\n"
        "2. Two mock interviews with me by February 28\n"
    )
    program.deliver(reply_to(newest(program, ANA, "agreement_draft"), ANA, changes))
    agreed = flat(newest(program, SAM, "agreement_agreed").text)
    assert "1. Build one strong data project (by Friday 15 January 2027)" in agreed
    assert "Learn SQL" not in agreed
    assert "The goals as Ana wrote them:" in agreed  # "with me" is Ana, not Sam
    assert "Two mock interviews with me" in agreed
    assert "wrote them" not in flat(newest(program, ANA, "agreement_agreed").text)


def test_a_reminder_once_when_nothing_is_drafted_after_the_reminder_days(
    with_agreements: Program,
) -> None:
    program = with_agreements
    matched(program)
    later(program, minutes=1)
    later(program, days=13)
    assert not program.outbox(template="agreement_reminder")
    later(program, days=1, minutes=1)
    later(program, days=14)
    (reminder,) = program.outbox(template="agreement_reminder")
    assert reminder.to_addr == SAM and "we haven't had your goals" in flat(reminder.text)


def test_both_are_nudged_a_week_before_a_goals_date(with_agreements: Program) -> None:
    program = with_agreements
    drafted(program)
    program.post(newest(program, ANA, "agreement_draft").links["agreement_approve"])
    with program.services.sessions() as session:
        nudges = sorted(g.nudge_at for g in session.scalars(select(AgreementGoal)) if g.nudge_at)
    assert nudges == [datetime(2027, 1, 8, 9, 0), datetime(2027, 3, 24, 9, 0)]
    program.services.clock.current = datetime(2027, 1, 8, 9, 0) - timedelta(minutes=1)  # type: ignore[attr-defined]
    later(program, minutes=1)
    later(program, hours=1)
    (to_sam,) = program.outbox(to=SAM, template="agreement_goal_nudge")
    assert "A week from now, on Friday 15 January 2027" in flat(to_sam.text)
    assert "Build a portfolio of two data projects" in flat(to_sam.text)
    assert "goal of your Mentoring Agreement:" in flat(to_sam.text)  # his own words
    (to_ana,) = program.outbox(to=ANA, template="agreement_goal_nudge")
    assert "goal of your Mentoring Agreement, in Sam's words:" in flat(to_ana.text)


def test_a_goals_nudge_a_sweep_sends_late_counts_the_days_left(with_agreements: Program) -> None:
    program = with_agreements
    drafted(program)
    program.post(newest(program, ANA, "agreement_draft").links["agreement_approve"])
    program.services.clock.current = datetime(2027, 1, 10, 9, 0)  # type: ignore[attr-defined]
    later(program, minutes=1)  # the nudge of 8 January goes two days late
    (to_sam,) = program.outbox(to=SAM, template="agreement_goal_nudge")
    assert to_sam.subject.startswith("Coming up in 5 days: ")
    assert "In 5 days, on Friday 15 January 2027, is the date" in flat(to_sam.text)
    assert "A week from now" not in flat(to_sam.text)


def test_a_reply_without_goals_asks_again_and_nothing_goes_to_the_mentor(
    with_agreements: Program,
) -> None:
    program = with_agreements
    matched(program)
    later(program, minutes=1)
    program.deliver(reply_to(newest(program, SAM, "agreement_ask"), SAM, "ok"))
    again = program.last_to(SAM)
    assert again.template == "agreement_ask" and "We couldn't find goals" in flat(again.text)
    assert not program.outbox(template="agreement_draft")


def test_goals_dated_in_spanish_get_their_reminders_and_undated_ones_promise_none(
    with_agreements: Program,
) -> None:
    program = with_agreements
    drafted(
        program,
        "Hola Ana:\n\n- Visitar tu unidad antes del 15 de noviembre\n"
        "- Una entrevista simulada para el 1 de marzo\n\nUn saludo, Sam",
    )
    draft = newest(program, ANA, "agreement_draft")
    assert "1. Visitar tu unidad (by Sunday 15 November 2026)" in flat(draft.text)
    assert "2. Una entrevista simulada (by Monday 1 March 2027)" in flat(draft.text)
    program.post(draft.links["agreement_approve"])
    with program.services.sessions() as session:
        nudges = sorted(g.nudge_at for g in session.scalars(select(AgreementGoal)) if g.nudge_at)
    assert nudges == [datetime(2026, 11, 8, 9, 0), datetime(2027, 2, 22, 9, 0)]
    agreed = flat(newest(program, SAM, "agreement_agreed").text)
    assert "A week before each goal's date, we'll remind you both of it." in agreed


def test_an_agreement_with_no_dated_goal_promises_no_reminders(with_agreements: Program) -> None:
    program = with_agreements
    drafted(program, "- Learn SQL\n- Meet two people who work in hospital data teams")
    program.post(newest(program, ANA, "agreement_draft").links["agreement_approve"])
    agreed = flat(newest(program, SAM, "agreement_agreed").text)
    assert "we'll remind you" not in agreed
    assert "No goal has a date we could read, so we won't send reminders before them." in agreed


def test_the_conclusion_lists_the_agreed_goals_with_one_question_to_the_mentor(
    with_agreements: Program,
) -> None:
    from tests.service.steps import every_day_until

    program = with_agreements
    drafted(program)
    program.post(newest(program, ANA, "agreement_draft").links["agreement_approve"])
    every_day_until(program, datetime(2027, 6, 9, 9, 0))
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "end"))
    every_day_until(program, datetime(2027, 7, 1, 9, 0))

    to_ana = flat(newest(program, ANA, "conclusion_question").text)
    assert "what did you achieve together? Your agreed goals were: - Build a portfolio" in to_ana
    assert "1." not in to_ana  # one question: no list of one
    to_sam = flat(newest(program, SAM, "conclusion_question").text)
    assert "1. What did you achieve? Your agreed goals were: - Build a portfolio" in to_sam
    assert "2. Next steps:" in to_sam


def test_the_coordinators_reminder_about_a_missing_agreement_asks_for_goals_and_reads_them(
    with_agreements: Program,
) -> None:
    from tests.service.steps import days_pass
    from tests.service.test_digest_commands import sweep_first_date

    program = with_agreements
    sweep_first_date(program)
    matched(program)
    days_pass(program, 30)  # asked, reminded, and still no goals: the digest lists it
    with program.services.sessions() as session:
        [item] = session.scalars(
            select(Attention.id).where(Attention.reason.startswith("no agreement drafted"))
        ).all()
    digest = program.outbox(to=COORDINATOR, template="digest")[-1]
    program.deliver(reply_to(digest, COORDINATOR, f"remind {item}"))

    nudge = program.last_to(SAM)
    assert nudge.expects == "agreement"
    assert "your goals for your mentorship with Ana Lima" in flat(nudge.text)
    assert "coordinators" in flat(nudge.text)
    program.deliver(reply_to(nudge, SAM, GOALS))
    assert "Build a portfolio of two data projects" in flat(
        newest(program, ANA, "agreement_draft").text
    )
    assert not program.outbox(to=SAM, template="could_not_read")
    confirmed = program.outbox(to=COORDINATOR, template="digest_confirmation")[-1]
    assert f"#{item}: asked Sam Rivera for the goals" in flat(confirmed.text)
