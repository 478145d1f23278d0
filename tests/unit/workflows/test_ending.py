"""Ending a match, pure: the situation first, the message shown, sent only when they say so."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mentormail.workflows import checkin, ending, fit, match
from mentormail.workflows.effects import EndMatch, FlagForCoordinator, Role, SendEmail
from mentormail.workflows.ending import (
    Ending,
    EndWanted,
    OwnWords,
    ScenarioPicked,
    SendConfirmed,
    Stage,
    Unclear,
    read_reply,
)
from mentormail.workflows.exceptions import InvalidTransition
from mentormail.workflows.match import EndReason, MatchEnded, MatchState
from mentormail.workflows.policy import ProgramPolicy

NOW = datetime(2026, 11, 2, 10, 0)
POLICY = ProgramPolicy(term_start=date(2026, 9, 14), term_end=date(2027, 6, 30))


def decide(
    state: Ending, event: ending.EndingEvent, by: Role = Role.MENTOR
) -> ending.EndingDecision:
    """One step of an ending."""
    return ending.decide(state, event, NOW, POLICY, by)


def test_wanting_to_end_asks_which_situation_fits_with_one_link_each() -> None:
    decision = decide(Ending(), EndWanted())
    assert decision.ending.stage is Stage.ASKED
    (email,) = decision.effects
    assert isinstance(email, SendEmail) and email.template == "ending_which"
    assert email.to is Role.MENTOR
    assert email.with_actions == (
        "end_unresponsive",
        "end_not_invested",
        "end_great_year",
        "end_no_fault",
    )


def test_a_situation_shows_the_message_and_nothing_ends_yet() -> None:
    decision = decide(Ending(Stage.ASKED), ScenarioPicked(EndReason.GREAT_YEAR))
    assert decision.ending == Ending(Stage.DRAFTED, EndReason.GREAT_YEAR)
    assert [type(e) for e in decision.effects] == [SendEmail]
    assert decision.effects[0].with_actions == ("end_send",)  # type: ignore[union-attr]


def test_sending_ends_the_match_for_the_chosen_reason_and_confirms() -> None:
    decision = decide(Ending(Stage.DRAFTED, EndReason.UNRESPONSIVE), SendConfirmed(), Role.MENTEE)
    assert decision.ending.stage is Stage.SENT
    assert decision.effects == (
        EndMatch("unresponsive", Role.MENTEE),
        SendEmail("ending_sent", Role.MENTEE, "sent"),
    )


def test_own_words_before_a_situation_are_kept_and_the_situation_still_asked() -> None:
    decision = decide(Ending(Stage.ASKED), OwnWords("  Thank you Ana, I have to stop now.  "))
    assert decision.ending == Ending(Stage.ASKED, None, "Thank you Ana, I have to stop now.")
    assert decision.effects[0].template == "ending_which"  # type: ignore[union-attr]


def test_nothing_can_be_sent_before_a_situation_is_chosen_nor_after_it_was_sent() -> None:
    with pytest.raises(InvalidTransition):
        decide(Ending(Stage.ASKED), SendConfirmed())
    with pytest.raises(InvalidTransition):
        decide(Ending(Stage.SENT, EndReason.NO_FAULT), EndWanted())


def test_an_unclear_reply_asks_the_same_question_again() -> None:
    asked = decide(Ending(Stage.ASKED), Unclear())
    shown = decide(Ending(Stage.DRAFTED, EndReason.NO_FAULT), Unclear())
    assert asked.effects[0].template == "ending_which"  # type: ignore[union-attr]
    assert shown.effects[0].template == "ending_preview"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "stage", "expected"),
    [
        ("1", Stage.ASKED, ScenarioPicked(EndReason.UNRESPONSIVE)),
        ("#2", Stage.ASKED, ScenarioPicked(EndReason.NOT_INVESTED)),
        ("Option 3 please", Stage.DRAFTED, ScenarioPicked(EndReason.GREAT_YEAR)),
        ("4.", Stage.ASKED, ScenarioPicked(EndReason.NO_FAULT)),
        ("Yes, send it", Stage.DRAFTED, SendConfirmed()),
        ("looks good", Stage.DRAFTED, SendConfirmed()),
        ("send it", Stage.ASKED, Unclear()),
        ("5", Stage.ASKED, Unclear()),
        ("hmm, not sure", Stage.ASKED, Unclear()),
        (
            "Hi Sam, I'm changing jobs and can't continue. Good luck!",
            Stage.DRAFTED,
            OwnWords("Hi Sam, I'm changing jobs and can't continue. Good luck!"),
        ),
        (
            "I met 3 times with her but she stopped answering",
            Stage.ASKED,
            OwnWords("I met 3 times with her but she stopped answering"),
        ),
    ],
)
def test_replies_to_the_ending_emails_are_read_plainly(
    text: str, stage: Stage, expected: ending.EndingEvent
) -> None:
    assert read_reply(text, stage) == expected


def test_a_mentee_whose_mentor_ended_is_offered_others_while_the_term_has_time() -> None:
    for reason in (EndReason.UNRESPONSIVE, EndReason.NOT_INVESTED, EndReason.NO_FAULT):
        decision = match.decide(
            MatchState.ACTIVE, MatchEnded(reason, Role.MENTOR, chosen=True), NOW, POLICY
        )
        email = decision.effects[0]
        assert isinstance(email, SendEmail) and email.template == "ending_message"
        assert email.to is Role.MENTEE and email.with_alternatives


def test_no_others_after_a_great_year_a_mentee_ending_or_too_late_in_the_term() -> None:
    late = datetime(2027, 6, 25, 9, 0)
    cases = [
        (EndReason.GREAT_YEAR, Role.MENTOR, NOW),
        (EndReason.UNRESPONSIVE, Role.MENTEE, NOW),
        (EndReason.UNRESPONSIVE, Role.MENTOR, late),
    ]
    for reason, by, now in cases:
        decision = match.decide(MatchState.ACTIVE, MatchEnded(reason, by, chosen=True), now, POLICY)
        email = decision.effects[0]
        assert isinstance(email, SendEmail) and not email.with_alternatives


def test_the_term_ending_tells_no_partner_the_conclusion_does() -> None:
    decision = match.decide(
        MatchState.ACTIVE, MatchEnded(EndReason.TERM_END, Role.COORDINATOR), NOW, POLICY
    )
    assert decision.state is MatchState.ENDED
    assert not [e for e in decision.effects if isinstance(e, SendEmail)]


def test_the_term_ending_gives_coordinators_no_item_the_digest_counts_it() -> None:
    decision = match.decide(
        MatchState.ACTIVE, MatchEnded(EndReason.TERM_END, Role.COORDINATOR), NOW, POLICY
    )
    assert not [e for e in decision.effects if isinstance(e, FlagForCoordinator)]


def test_an_ending_reaches_coordinators_as_news_naming_the_side_it_is_about() -> None:
    cases = {
        (EndReason.LEFT, Role.MENTEE): "match ended: the mentee left the program",
        (EndReason.REMOVED, Role.MENTOR): (
            "match ended: a coordinator removed the mentor from the program"
        ),
        (EndReason.COORDINATOR, Role.COORDINATOR): "match ended: a coordinator ended it",
        (EndReason.NOT_A_FIT, Role.MENTOR): "match ended: the mentor said it was not a fit",
    }
    for (reason, by), words in cases.items():
        decision = match.decide(MatchState.ACTIVE, MatchEnded(reason, by), NOW, POLICY)
        flags = [e for e in decision.effects if isinstance(e, FlagForCoordinator)]
        assert [(f.reason, f.notice, f.urgent) for f in flags] == [(words, True, False)]


@pytest.mark.parametrize(
    ("day", "offered"),
    [(date(2027, 6, 20), True), (date(2027, 6, 21), False)],
    ids=["answer-due-on-the-last-day", "answer-due-after-it"],
)
def test_every_ending_offers_a_mentee_others_by_one_rule_on_the_terms_last_days(
    day: date, offered: bool
) -> None:
    """Ten days before 30 June a new request would be due on the term's last day: still in it.
    The coordinator's ending, a mentor's ending, not a fit and three silent check-ins agree."""
    now = datetime.combine(day, datetime.min.time()).replace(hour=9)
    by_mentor = match.decide(
        MatchState.ACTIVE, MatchEnded(EndReason.UNRESPONSIVE, Role.MENTOR, chosen=True), now, POLICY
    )
    by_staff = match.decide(
        MatchState.ACTIVE, MatchEnded(EndReason.COORDINATOR, Role.COORDINATOR), now, POLICY
    )
    emails = [
        *by_mentor.effects,
        *by_staff.effects,
        *fit.answered(Role.MENTEE, fit.Fit.NOT_A_FIT, now, POLICY).effects,
        *checkin.ended_for_silence(Role.MENTEE, now, POLICY),
    ]
    to_mentee = [e for e in emails if isinstance(e, SendEmail) and e.to is Role.MENTEE]
    assert len(to_mentee) == 4
    assert {e.with_alternatives for e in to_mentee} == {offered}
