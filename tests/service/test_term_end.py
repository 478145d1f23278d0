"""The term ends well: both asked CONTINUE or END before the end; both continuing extends the
match; otherwise at the end each says what was achieved, kept and copied to the coordinators."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from mentormail.service.models import MatchTerm
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.pair_steps import matched, newest, the_match
from tests.service.steps import ANA, SAM, every_day_until

pytestmark = pytest.mark.service

COORDINATOR = "coordinator@example.edu"


def at(program: Program, when: datetime) -> None:
    """The clock moves on to ``when``, the sweep running every day on the way."""
    every_day_until(program, when)


def term_of(program: Program) -> MatchTerm:
    """The newest match's end-of-term row."""
    with program.services.sessions() as session:
        return session.scalars(select(MatchTerm).order_by(MatchTerm.match_id.desc())).first()  # type: ignore[return-value]


def test_both_are_asked_three_weeks_before_the_end_and_not_a_day_earlier(program: Program) -> None:
    matched(program)
    at(program, datetime(2027, 6, 8, 9, 0))
    assert not program.outbox(template="wrapup_question")

    at(program, datetime(2027, 6, 9, 9, 0))
    at(program, datetime(2027, 6, 9, 10, 0))  # a second sweep sends nothing twice

    to_sam = newest(program, SAM, "wrapup_question")
    assert (
        to_sam.subject == "Your mentorship with Ana Lima ends on Wednesday 30 June 2027: continue?"
    )
    assert to_sam.expects == "wrapup"
    assert set(to_sam.links) >= {"wrapup_continue", "wrapup_end"}
    assert len(program.outbox(template="wrapup_question")) == 2
    assert newest(program, ANA, "wrapup_question").to_addr == ANA


def test_both_continuing_extends_the_match_a_year_and_asks_again_before_that_end(
    program: Program,
) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "Yes, let's continue!"))
    noted = newest(program, SAM, "wrapup_noted")
    assert "If Ana would like to as well" in flat(noted.text)
    assert "if not, it ends on Wednesday 30 June 2027 as planned" in flat(noted.text)
    program.post(newest(program, ANA, "wrapup_question").links["wrapup_continue"])

    extended = newest(program, SAM, "match_extended")
    assert "continues until Friday 30 June 2028" in flat(extended.text)
    pair = the_match(program)
    assert (pair.state, str(pair.ends_on)) == ("active", "2028-06-30")
    assert term_of(program).extended
    at(program, datetime(2027, 7, 2, 9, 0))
    assert the_match(program).state == "active"  # the old end passes quietly
    at(program, datetime(2028, 6, 9, 9, 0))
    assert len(program.outbox(to=SAM, template="wrapup_question")) == 2


def test_one_end_means_the_conclusion_at_the_term_end_kept_as_the_outcome(program: Program) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "continue"))
    program.deliver(reply_to(newest(program, ANA, "wrapup_question"), ANA, "end"))
    at(program, datetime(2027, 7, 1, 9, 0))

    pair = the_match(program)
    assert (pair.state, pair.end_reason) == ("ended", "term_end")
    to_sam = newest(program, SAM, "conclusion_question")
    assert "what are your next career steps, and would you like a new mentor" in flat(to_sam.text)
    to_ana = newest(program, ANA, "conclusion_question")
    assert "Thank you, Ana, for the time and care you gave Sam" in flat(to_ana.text)
    assert set(to_ana.links) >= {"mentor_again_yes", "mentor_again_no"}

    program.deliver(
        reply_to(
            to_sam,
            SAM,
            "I built a portfolio of two analytics projects and landed a summer internship.\n\n"
            "Next steps: apply to health-data roles in the autumn; yes, a new mentor in policy"
            " would help.",
        )
    )
    program.deliver(reply_to(to_ana, ANA, "Sam grew a lot in confidence presenting results."))
    program.post(to_ana.links["mentor_again_yes"])

    row = term_of(program)
    assert row.mentee_achieved is not None and row.mentee_achieved.startswith("I built a portfolio")
    assert row.next_steps is not None and row.next_steps.startswith("apply to health-data roles")
    assert row.mentor_achieved == "Sam grew a lot in confidence presenting results."
    assert (row.stage, row.mentor_again) == ("concluded", True)
    copies = program.outbox(to=COORDINATOR, template="conclusion_to_coordinators")
    assert len(copies) == 2
    assert "> apply to health-data roles in the autumn" in copies[0].text
    assert "thank you for mentoring" in flat(newest(program, ANA, "conclusion_thanks").text).lower()


def test_an_unclear_wrapup_answer_asks_again_and_changes_nothing(program: Program) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "maybe, not sure yet"))
    again = program.last_to(SAM)
    assert again.template == "wrapup_question"
    assert "We weren't sure whether you'd like to continue" in flat(again.text)
    assert term_of(program).mentee_continues is None


def test_a_wrapup_answer_after_the_term_ended_says_so_kindly(program: Program) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    question = newest(program, SAM, "wrapup_question")
    at(program, datetime(2027, 7, 1, 9, 0))
    program.deliver(reply_to(question, SAM, "continue"))
    assert program.last_to(SAM).template == "match_already_ended"


def test_end_with_leaving_the_programme_ends_the_match_and_the_mentor_leaves(
    program: Program,
) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    words = "END. And please take me off the programme altogether, I'm retiring in June."
    program.deliver(reply_to(newest(program, ANA, "wrapup_question"), ANA, words))
    assert program.person(ANA).status == "left"
    assert the_match(program).state == "ended"


def test_a_pair_that_ends_after_the_term_is_promised_no_new_mentor_this_year(
    program: Program,
) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    for who in (SAM, ANA):
        program.post(newest(program, who, "wrapup_question").links["wrapup_continue"])
    at(program, datetime(2027, 9, 14, 9, 0))  # the pair continues; no one can ask any more

    program.deliver(reply_to(program.last_to(ANA), ANA, "stop"))

    left = flat(newest(program, SAM, "partner_left").text)
    assert "ended on Wednesday 30 June 2027, so no new mentorships start this year" in left
    assert "the coordinators will write when the next year opens" in left
    assert "send you names" not in left and "look for another mentor" not in left


def test_a_pair_matched_in_the_years_last_days_is_told_it_is_a_short_mentorship(
    program: Program,
) -> None:
    at(program, datetime(2027, 6, 25, 9, 0))
    matched(program)
    to_sam = flat(newest(program, SAM, "intro_mentee").text)
    to_ana = flat(newest(program, ANA, "intro_mentor").text)
    short = "runs until Wednesday 30 June 2027, in 5 days, so it is a short one"
    assert short in to_sam and short in to_ana
    assert "goals for the year" not in to_sam and "once a month" not in to_ana
    assert "whether you'd like to continue next term" in to_sam

    at(program, datetime(2027, 6, 26, 9, 0))
    asked = flat(newest(program, SAM, "wrapup_question").text)
    assert "began on Friday 25 June 2027 and runs until Wednesday 30 June 2027" in asked
    assert "Thank you for the time you've given it this year" not in asked
    assert "until Friday 30 June 2028?" in asked  # what continuing would mean

    at(program, datetime(2027, 7, 1, 9, 0))
    to_ana = flat(newest(program, ANA, "conclusion_question").text)
    assert "for the time and care you gave Sam." in to_ana and "this year" not in to_ana
    to_sam = flat(newest(program, SAM, "conclusion_question").text)
    assert "We hope it was useful for you." in to_sam


def test_a_pair_matched_early_in_the_year_is_thanked_for_its_year(program: Program) -> None:
    matched(program)
    intro = flat(newest(program, SAM, "intro_mentee").text)
    assert "agree two or three goals for the year" in intro
    at(program, datetime(2027, 7, 1, 9, 0))
    assert "We hope it was a good year for you." in flat(
        newest(program, SAM, "conclusion_question").text
    )


def test_a_pair_who_answered_the_wrap_up_is_not_nudged_about_the_check_ins_after_it(
    program: Program,
) -> None:
    matched(program)
    at(program, datetime(2027, 3, 31, 9, 0))
    for person in (SAM, ANA):  # the check-in of 30 March answered; those of April and May not
        program.deliver(reply_to(newest(program, person, "checkin"), person, "MET"))
    at(program, datetime(2027, 6, 9, 10, 0))
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "continue"))
    program.deliver(reply_to(newest(program, ANA, "wrapup_question"), ANA, "end"))
    at(program, datetime(2027, 6, 30, 9, 0))

    after = [m for m in program.outbox() if m.created_at > datetime(2027, 6, 9, 10, 0)]
    assert [m.template for m in after if m.template.startswith("checkin")] == ["checkin"] * 2
    assert all("We haven't heard back" not in flat(m.text) for m in after)


def test_a_pair_who_began_in_february_is_not_thanked_for_a_year(program: Program) -> None:
    at(program, datetime(2027, 2, 1, 9, 0))
    matched(program)
    at(program, datetime(2027, 6, 9, 10, 0))
    wrapup = flat(newest(program, ANA, "wrapup_question").text)
    assert "Thank you for the time you've given it since February." in wrapup
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "end"))
    assert "a last meeting to look back on your months together" in flat(
        newest(program, SAM, "wrapup_noted").text
    )
    at(program, datetime(2027, 7, 1, 9, 0))

    to_sam = flat(newest(program, SAM, "conclusion_question").text)
    to_ana = flat(newest(program, ANA, "conclusion_question").text)
    assert "We hope your months together since February were useful for you." in to_sam
    assert "for the time and care you gave Sam since February." in to_ana
    for text in (to_sam, to_ana, wrapup):
        assert "year" not in text.replace("program year", "")


@pytest.mark.parametrize("ana_first", [True, False])
def test_a_mentee_who_chose_to_continue_is_told_kindly_it_ends_once_the_mentor_said_end(
    program: Program, ana_first: bool
) -> None:
    matched(program)
    every_day_until(program, datetime(2027, 6, 11, 9, 0))
    to_ana, to_sam = (newest(program, who, "wrapup_question") for who in (ANA, SAM))
    if ana_first:
        program.deliver(reply_to(to_ana, ANA, "End, please"))
    page = program.get(to_sam.links["wrapup_continue"])
    assert ("If Ana Lima would like to go on too" in page.message) is not ana_first
    program.post(to_sam.links["wrapup_continue"])
    if not ana_first:
        assert "If Ana would like to as well" in flat(newest(program, SAM, "wrapup_noted").text)
        program.deliver(reply_to(to_ana, ANA, "End, please"))
    else:  # Ana has answered already: nothing "depends on" her any more
        assert not program.outbox(to=SAM, template="wrapup_noted")

    told = flat(newest(program, SAM, "wrapup_outcome").text).replace("'", "’")
    assert "If Ana would like to" not in told
    assert "so your mentorship ends on Wednesday 30 June 2027, as planned" in told
    assert "Thank you for wanting to go on with Ana" in told
    assert "If you’d like a new mentor for them, say so in your answer" in told  # what next
    assert len(program.outbox(to=SAM, template="wrapup_outcome")) == 1
