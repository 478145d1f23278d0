"""The year's pure rules: request reminders, pausing a mentor who lets requests
expire, check-ins with their tips, skips and the unresponsive ladder, and answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from mentormail.workflows import checkin, reminders
from mentormail.workflows.checkin import Answer, PairYear
from mentormail.workflows.effects import FlagForCoordinator, Role, SendEmail
from mentormail.workflows.policy import ProgramPolicy

pytestmark = pytest.mark.unit

START = datetime(2026, 10, 1, 9, 0)
POLICY = ProgramPolicy(term_start=date(2026, 9, 14), term_end=date(2027, 6, 30))
LIBRARY = ("career-path", "cv-review", "mock-interview")


def test_a_mentor_is_reminded_halfway_then_the_day_before_and_never_after_the_close() -> None:
    due = START + timedelta(days=10)
    assert reminders.first_reminder_at(START, due) == START + timedelta(days=5)
    assert reminders.decide(START, due, START + timedelta(days=4)).step is None
    halfway = reminders.decide(START, due, START + timedelta(days=5))
    assert (halfway.step, halfway.next_at) == ("halfway", START + timedelta(days=9))
    assert halfway.effects == (
        SendEmail(
            "request_reminder", Role.MENTOR, "remind-halfway", with_actions=("accept", "decline")
        ),
    )
    last = reminders.decide(START, due, START + timedelta(days=9, hours=1))
    assert (last.step, last.next_at) == ("last-day", None)
    assert reminders.decide(START, due, due).effects == ()


def test_a_late_sweep_sends_only_the_latest_reminder() -> None:
    late = reminders.decide(START, START + timedelta(days=10), START + timedelta(days=9, hours=2))
    assert [e.step for e in late.effects if isinstance(e, SendEmail)] == ["remind-last-day"]


def test_a_short_window_gets_one_reminder() -> None:
    steps = reminders.schedule(START, START + timedelta(days=1))
    assert [step for _, step in steps] == ["last-day"]


@pytest.mark.parametrize(
    ("outcomes", "paused"),
    [
        (["expired", "expired"], True),
        (["expired", "released", "expired"], True),  # a release is not the mentor's doing
        (["expired", "accepted", "expired"], False),
        (["expired"], False),
        (["expired", "expired", "expired"], False),  # asked at the second; again at the fourth
        (["expired"] * 4, True),
    ],
)
def test_every_second_expiry_in_a_row_pauses_an_available_mentor(
    outcomes: list[str], paused: bool
) -> None:
    assert reminders.should_pause(outcomes, available=True) is paused
    assert reminders.should_pause(outcomes, available=False) is False


def year(**changes: object) -> PairYear:
    """A pair matched on START."""
    return PairYear(started_at=START, ends_on=date(2027, 6, 30), **changes)  # type: ignore[arg-type]


def templates(decision: checkin.CheckinDecision) -> dict[Role, str]:
    """The email each side receives."""
    return {e.to: e.template for e in decision.effects if isinstance(e, SendEmail)}


def test_a_checkin_asks_both_with_links_and_a_tip_never_the_same_twice() -> None:
    now = START + timedelta(days=30)
    first = checkin.checkin_due(year(), now, POLICY, LIBRARY)
    assert first.opened and first.tip == "career-path"
    assert first.next_at == now + timedelta(days=30)
    assert templates(first) == {Role.MENTOR: "checkin", Role.MENTEE: "checkin"}
    assert all(
        e.with_actions == ("met", "not_yet", "help", "end_match")
        for e in first.effects
        if isinstance(e, SendEmail)
    )
    second = checkin.checkin_due(first.year, now + timedelta(days=30), POLICY, LIBRARY)
    assert second.tip == "cv-review"
    assert checkin.pick_tip(LIBRARY, LIBRARY) == ""


def test_no_checkin_while_the_pair_met_within_half_the_cadence() -> None:
    now = START + timedelta(days=30)
    skipped = checkin.checkin_due(year(last_met_at=now - timedelta(days=14)), now, POLICY, LIBRARY)
    assert not skipped.opened and skipped.effects == ()
    assert skipped.next_at == now + timedelta(days=30)
    asked = checkin.checkin_due(year(last_met_at=now - timedelta(days=16)), now, POLICY, LIBRARY)
    assert asked.opened


def test_a_checkin_asks_since_the_last_meeting_told_when_later_than_the_last_checkin() -> None:
    now = START + timedelta(days=90)
    last = START + timedelta(days=60)
    plain = checkin.checkin_due(year(last_checkin_at=last), now, POLICY, LIBRARY)
    assert (plain.since, plain.since_meeting) == (last.date(), False)
    met = START + timedelta(days=70)
    after = checkin.checkin_due(year(last_checkin_at=last, last_met_at=met), now, POLICY, LIBRARY)
    assert (after.since, after.since_meeting) == (met.date(), True)
    older = checkin.checkin_due(
        year(last_checkin_at=last, last_met_at=START + timedelta(days=40)), now, POLICY, LIBRARY
    )
    assert (older.since, older.since_meeting) == (last.date(), False)
    skipped_before = checkin.checkin_due(year(last_met_at=met), now, POLICY, LIBRARY)
    assert (skipped_before.since, skipped_before.since_meeting) == (met.date(), True)
    assert checkin.checkin_due(year(), START + timedelta(days=30), POLICY, LIBRARY).since == (
        START.date()
    )


def test_no_checkin_after_the_match_ends_on() -> None:
    done = checkin.checkin_due(year(), datetime(2027, 7, 2, 9), POLICY, LIBRARY)
    assert (done.opened, done.next_at, done.effects) == (False, None, ())


def test_two_missed_bring_a_nudge_and_three_ask_the_partner_and_tell_the_coordinators() -> None:
    silent_mentor = {Role.MENTOR: None, Role.MENTEE: "not_yet"}
    now = START + timedelta(days=90)
    nudged = checkin.checkin_due(
        year(open_answers=silent_mentor, missed={Role.MENTOR: 1}), now, POLICY, LIBRARY
    )
    assert templates(nudged) == {Role.MENTOR: "checkin_nudge", Role.MENTEE: "checkin"}
    asked = checkin.checkin_due(
        year(open_answers=silent_mentor, missed={Role.MENTOR: 2}), now, POLICY, LIBRARY
    )
    assert templates(asked) == {Role.MENTOR: "checkin", Role.MENTEE: "checkin_partner_silent"}
    partner_mail = next(
        e for e in asked.effects if isinstance(e, SendEmail) and e.to is Role.MENTEE
    )
    assert partner_mail.with_actions == ("end_silent",)
    assert any(isinstance(e, FlagForCoordinator) for e in asked.effects)
    later = checkin.checkin_due(asked.year, now + timedelta(days=30), POLICY, LIBRARY)
    assert not any(isinstance(e, FlagForCoordinator) for e in later.effects)  # told once


def test_met_logs_a_meeting_on_the_day_given_and_resets_the_ladder() -> None:
    now = START + timedelta(days=30)
    pair = year(open_answers={Role.MENTOR: None, Role.MENTEE: None}, missed={Role.MENTEE: 2})
    met = checkin.answered(pair, Role.MENTEE, Answer.MET, now, met_on=date(2026, 10, 20))
    assert met.meeting_on == date(2026, 10, 20)
    assert met.year.missed_by(Role.MENTEE) == 0
    assert met.year.last_met_at is not None and met.year.last_met_at.date() == date(2026, 10, 20)
    future = checkin.answered(pair, Role.MENTEE, Answer.MET, now, met_on=date(2027, 1, 1))
    assert future.meeting_on == now.date()  # a date not yet come is today
    before = checkin.answered(pair, Role.MENTEE, Answer.MET, now, met_on=date(2026, 1, 1))
    assert before.meeting_on == now.date()  # before the match started: today
    assert met.day_given and not future.day_given and not before.day_given
    unsaid = checkin.answered(pair, Role.MENTEE, Answer.MET, now)
    assert unsaid.meeting_on == now.date() and not unsaid.day_given


def test_met_naming_no_day_to_a_checkin_the_partner_dated_is_the_partners_meeting() -> None:
    now = START + timedelta(days=33)
    pair = year(open_answers={Role.MENTOR: "met", Role.MENTEE: None})
    partner_day = date(2026, 10, 20)
    same = checkin.answered(pair, Role.MENTEE, Answer.MET, now, partner_met_on=partner_day)
    assert same.meeting_on == partner_day and not same.day_given
    own = checkin.answered(
        pair, Role.MENTEE, Answer.MET, now, met_on=date(2026, 11, 1), partner_met_on=partner_day
    )
    assert own.meeting_on == date(2026, 11, 1) and own.day_given  # a day of their own: another


def test_help_goes_to_the_coordinators_at_once_and_not_yet_gets_a_suggestion() -> None:
    now = START + timedelta(days=30)
    helped = checkin.answered(year(), Role.MENTOR, Answer.HELP, now)
    assert FlagForCoordinator("HELP from mentor", urgent=True, about=Role.MENTOR) in helped.effects
    assert helped.meeting_on is None
    not_yet = checkin.answered(year(), Role.MENTOR, Answer.NOT_YET, now)
    assert [e.template for e in not_yet.effects if isinstance(e, SendEmail)] == [
        "not_yet_suggestion"
    ]


def test_not_yet_with_no_meeting_after_two_checkins_offers_a_coordinators_help() -> None:
    now = START + timedelta(days=60)

    def sent(pair: PairYear) -> list[str]:
        decision = checkin.answered(pair, Role.MENTEE, Answer.NOT_YET, now)
        return [e.template for e in decision.effects if isinstance(e, SendEmail)]

    assert sent(year(checkins_sent=1)) == ["not_yet_suggestion"]
    assert sent(year(checkins_sent=2)) == ["not_yet_still"]
    met_once = year(checkins_sent=3, last_met_at=START + timedelta(days=20))
    assert sent(met_once) == ["not_yet_suggestion"]  # they have met: busy weeks it is


def test_fit_is_asked_after_fit_check_days_or_at_once_after_the_first_meeting() -> None:
    from mentormail.workflows import fit

    assert fit.first_fit_check_at(START, POLICY) == START + timedelta(days=30)
    now = START + timedelta(days=10)
    assert fit.after_first_meeting(START + timedelta(days=30), 0, now) == now
    assert fit.after_first_meeting(None, 1, now) is None  # asked already: not again


def test_still_deciding_is_asked_again_of_whoever_has_not_said_good_a_few_times_at_most() -> None:
    from mentormail.workflows.fit import FIT_ASKS, ask_again

    assert ask_again({Role.MENTOR: "good", Role.MENTEE: "deciding"}, 1) == (Role.MENTEE,)
    both = (Role.MENTOR, Role.MENTEE)
    assert ask_again({Role.MENTOR: None, Role.MENTEE: "deciding"}, 1) == both
    assert ask_again({Role.MENTOR: "good", Role.MENTEE: "good"}, 1) == ()
    assert ask_again({Role.MENTOR: "not_a_fit", Role.MENTEE: "deciding"}, 1) == ()
    assert ask_again({Role.MENTOR: None, Role.MENTEE: "deciding"}, FIT_ASKS - 1) == both
    assert ask_again({Role.MENTOR: None, Role.MENTEE: "deciding"}, FIT_ASKS) == ()


def test_not_a_fit_ends_the_match_and_offers_the_mentee_others_while_the_term_has_time() -> None:
    from mentormail.workflows.fit import Fit, answered

    by_mentee = answered(Role.MENTEE, Fit.NOT_A_FIT, START, POLICY)
    assert by_mentee.ends_match
    assert by_mentee.effects == (
        SendEmail("not_a_fit_confirmed", Role.MENTEE, "not-a-fit", with_alternatives=True),
    )
    late = answered(Role.MENTEE, Fit.NOT_A_FIT, datetime(2027, 6, 25, 9), POLICY)
    assert late.effects[0] == SendEmail("not_a_fit_confirmed", Role.MENTEE, "not-a-fit")
    good = answered(Role.MENTOR, Fit.GOOD, START, POLICY)
    assert not good.ends_match and good.effects == (
        SendEmail("fit_thanks", Role.MENTOR, "fit-good"),
    )


def test_the_partner_told_of_a_not_a_fit_ending_is_offered_others_if_a_mentee() -> None:
    from mentormail.workflows import match
    from mentormail.workflows.match import EndReason, MatchEnded, MatchState

    decision = match.decide(
        MatchState.ACTIVE, MatchEnded(EndReason.NOT_A_FIT, Role.MENTOR), START, POLICY
    )
    assert decision.effects[0] == SendEmail(
        "ended_not_a_fit", Role.MENTEE, "ended-not_a_fit", with_alternatives=True
    )


def test_surveys_are_scheduled_early_pulse_and_the_middle_of_the_term() -> None:
    from mentormail.workflows import survey

    pulse, midpoint = survey.schedule(START, date(2027, 6, 30), POLICY)
    assert pulse == START + timedelta(days=30)
    assert midpoint is not None and midpoint.date() == date(2027, 2, 5)
    from dataclasses import replace

    off = replace(POLICY, survey_pulse_days=0, survey_midpoint=False)
    assert survey.schedule(START, date(2027, 6, 30), off) == (None, None)
    late = survey.schedule(datetime(2027, 3, 1, 9), date(2027, 6, 30), POLICY)
    assert late[1] is None  # matched after the middle: no midpoint survey


def test_the_midpoint_reminder_goes_once_to_whoever_has_not_answered_and_never_late() -> None:
    from mentormail.workflows import survey

    sent = datetime(2027, 2, 5, 9)
    effects = survey.reminder({Role.MENTOR: True, Role.MENTEE: False}, sent, sent + timedelta(7))
    assert [(e.template, e.to) for e in effects if isinstance(e, SendEmail)] == [
        ("survey_reminder", Role.MENTEE)
    ]
    assert survey.reminder({}, sent, sent + timedelta(days=14)) == ()


@pytest.mark.parametrize(
    ("value", "helps", "urgent"), [(2, False, True), (3, True, True), (4, False, False)]
)
def test_a_low_score_or_a_call_for_help_reaches_the_coordinators_at_once(
    value: int, helps: bool, urgent: bool
) -> None:
    from mentormail.workflows import survey

    effects = survey.answered(Role.MENTEE, value, helps)
    flags = [e for e in effects if isinstance(e, FlagForCoordinator)]
    assert bool(flags) is urgent and all(f.urgent for f in flags)
    assert effects[-1] == SendEmail("survey_thanks", Role.MENTEE, "thanks")


@pytest.mark.parametrize(
    ("rating", "clear", "story", "score"),
    [
        (4, True, False, 4),
        (2, False, True, 2),  # "un 2, la verdad. … no sé qué hacer": read, for a person too
        (4, False, True, None),  # only a low score goes on without its question
        (2, False, False, None),  # hedged ("maybe a 2"): asked which number
        (None, False, True, None),
    ],
)
def test_a_low_score_handed_to_a_person_is_still_the_score(
    rating: int | None, clear: bool, story: bool, score: int | None
) -> None:
    from mentormail.workflows import survey

    assert survey.score_of(rating, clear, story) == score


@pytest.mark.parametrize(
    ("mentor", "mentee", "fit"),
    [
        (None, None, None),
        ("good", "good", "good"),
        ("good", None, "good_one_side"),  # the mentee has not answered: no one is deciding
        (None, "good", "good_one_side"),
        (None, "deciding", "deciding"),
        ("good", "deciding", "deciding"),
        ("good", "not_a_fit", "not_a_fit"),
    ],
)
def test_the_pairs_fit_as_matches_shows_it(
    mentor: str | None, mentee: str | None, fit: str | None
) -> None:
    from mentormail.workflows.fit import pair_fit

    assert pair_fit(mentor, mentee) == fit


def test_once_the_wrap_up_is_answered_the_ladder_is_over_and_the_answer_counts_as_word() -> None:
    silent_mentor = {Role.MENTOR: None, Role.MENTEE: None}
    now = START + timedelta(days=250)
    for missed in (1, 2):
        settled = year(open_answers=silent_mentor, missed={Role.MENTOR: missed, Role.MENTEE: 1})
        after = checkin.checkin_due(replace(settled, wrapup_answered=True), now, POLICY, LIBRARY)
        assert templates(after) == {Role.MENTOR: "checkin", Role.MENTEE: "checkin"}
        assert not any(isinstance(e, FlagForCoordinator) for e in after.effects)
    heard = checkin.wrote_about_the_pair(year(missed={Role.MENTOR: 2, Role.MENTEE: 1}), Role.MENTEE)
    assert (heard.missed_by(Role.MENTOR), heard.missed_by(Role.MENTEE)) == (2, 0)


def test_a_meeting_given_by_its_month_is_asked_about_by_its_month_until_a_day_is_named() -> None:
    """MET in a month logs its last day (or today); the next check-in names the month only,
    and a meeting on a named day, the same day or later, makes it a day again."""
    now = START + timedelta(days=40)
    monthly = checkin.answered(
        year(last_checkin_at=START + timedelta(days=30)),
        Role.MENTEE,
        checkin.Answer.MET,
        now,
        met_on=now.date(),
        month_only=True,
    ).year
    asked = checkin.checkin_due(monthly, now + timedelta(days=30), POLICY, LIBRARY)
    assert (asked.since, asked.since_meeting, asked.since_month_only) == (now.date(), True, True)
    named = checkin.answered(
        monthly, Role.MENTOR, checkin.Answer.MET, now, met_on=now.date(), month_only=False
    ).year
    again = checkin.checkin_due(named, now + timedelta(days=30), POLICY, LIBRARY)
    assert (again.since, again.since_meeting, again.since_month_only) == (now.date(), True, False)
    older = checkin.answered(
        named, Role.MENTEE, checkin.Answer.MET, now, met_on=START.date(), month_only=True
    ).year
    assert older.last_met_at == named.last_met_at and not older.last_met_month_only
