"""The welcome sequence's days, and what the digest finds by looking, as pure rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mentormail.workflows import digest_items, welcome
from mentormail.workflows.effects import Role, SendEmail

pytestmark = pytest.mark.unit

JOINED = datetime(2026, 10, 1, 9, 0)


def test_the_built_in_sequence_is_day_0_3_and_7() -> None:
    assert [(s.day, s.template) for s in welcome.sequence()] == [
        (0, "welcome_day0"),
        (3, "welcome_day3"),
        (7, "welcome_day7"),
    ]


def test_a_programs_step_replaces_the_same_day_and_adds_others_in_day_order() -> None:
    steps = welcome.sequence(
        [
            {"day": 14, "subject": "Two weeks in", "file": "/p/two.md"},
            {"day": 3, "subject": "Our first month", "file": "/p/first.md"},
        ]
    )
    assert [(s.day, s.template, s.subject) for s in steps] == [
        (0, "welcome_day0", ""),
        (3, "welcome_own", "Our first month"),
        (7, "welcome_day7", ""),
        (14, "welcome_own", "Two weeks in"),
    ]


def test_each_step_is_sent_once_and_the_next_is_due_on_its_day() -> None:
    steps = welcome.sequence()
    first = welcome.due(0, JOINED, steps, Role.MENTEE, JOINED, False)
    assert first.effects == (SendEmail("welcome_day0", Role.MENTEE, "day0"),)
    assert (first.step, first.due_at) == (1, datetime(2026, 10, 4, 9, 0))
    late = welcome.due(1, JOINED, steps, Role.MENTEE, datetime(2026, 10, 9, 9, 0), False)
    assert late.due_at == datetime(2026, 10, 9, 9, 0)  # a late sweep: the next goes at once
    last = welcome.due(2, JOINED, steps, Role.MENTEE, datetime(2026, 10, 9, 9, 0), True)
    assert (last.step, last.due_at) == (welcome.DONE, None)
    assert welcome.due(welcome.DONE, JOINED, steps, Role.MENTEE, JOINED, False).effects == ()


def test_a_step_for_paired_mentees_passes_over_a_mentor_and_a_mentee_without_a_partner() -> None:
    steps = welcome.sequence(
        [{"day": 14, "subject": "Two weeks in", "file": "/p/two.md", "to": "mentees",
          "when": "paired"}]
    )  # fmt: skip
    at = datetime(2026, 10, 15, 9, 0)
    sent = SendEmail("welcome_own", Role.MENTEE, "day14")
    assert welcome.due(3, JOINED, steps, Role.MENTEE, at, True).effects == (sent,)
    for role, paired in ((Role.MENTEE, False), (Role.MENTOR, True), (Role.MENTOR, False)):
        passed = welcome.due(3, JOINED, steps, role, at, paired)
        assert (passed.effects, passed.step, passed.due_at) == ((), welcome.DONE, None)


def test_training_steps_due_after_the_terms_end_are_over_and_the_welcome_still_goes() -> None:
    steps = welcome.sequence()
    end = date(2026, 10, 5)
    after = datetime(2026, 10, 6, 9, 0)
    assert welcome.due(1, JOINED, steps, Role.MENTEE, after, False, end) == welcome.WelcomeDecision(
        welcome.DONE, None, ()
    )
    on_the_last_day = welcome.due(
        1, JOINED, steps, Role.MENTEE, datetime(2026, 10, 5, 9, 0), False, end
    )
    assert on_the_last_day.effects  # the term's last day is still the term
    assert welcome.due(0, JOINED, steps, Role.MENTEE, after, False, end).effects  # the welcome


def test_a_step_for_whom_no_one_is_an_error() -> None:
    with pytest.raises(ValueError):
        welcome.sequence([{"day": 14, "subject": "x", "file": "/p/x.md", "to": "parents"}])


def test_a_welcome_lists_only_the_orientation_sessions_still_to_come() -> None:
    sessions = [
        "2027-06-14 18:00, Zoom",
        "Monday 14 June 2027, 18:00, Zoom (link in the invitation)",
        "Wednesday 16 June 2027, 12:30, the alumni office",
        "2027-06-16 18:00, Zoom",
        "Every first Friday, the coffee morning",  # no date: kept
    ]
    assert welcome.upcoming(sessions, date(2027, 6, 16)) == sessions[2:]
    assert welcome.upcoming(sessions, date(2027, 6, 1)) == sessions


def test_a_mentee_is_listed_only_after_more_than_the_alert_days() -> None:
    at_14 = datetime(2026, 10, 15, 9, 0)
    assert digest_items.unmatched(1, "Sam", JOINED, at_14, 14) is None
    found = digest_items.unmatched(1, "Sam <s@x.edu>", JOINED, datetime(2026, 10, 19, 8), 14)
    assert found is not None
    assert found.reason == "no mentor for 17 days: Sam <s@x.edu>"
    assert found.since == JOINED


def test_a_mentee_just_past_the_alert_days_is_said_to_wait_more_than_them_not_as_many() -> None:
    found = digest_items.unmatched(1, "Sam", JOINED, JOINED + timedelta(days=14, hours=2), 14)
    assert found is not None
    assert found.reason == "no mentor for more than 14 days: Sam"  # not "14 days (more than 14)"


def test_a_request_is_waiting_long_past_half_its_window() -> None:
    assert digest_items.request_waiting(1, 2, "S", "A", JOINED, datetime(2026, 10, 6), 10) is None
    found = digest_items.request_waiting(1, 2, "S", "A", JOINED, datetime(2026, 10, 6, 10), 10)
    assert found is not None and found.request_id == 2


def test_an_agreement_counts_as_not_drafted_only_after_its_reminder() -> None:
    assert digest_items.agreement_not_drafted(1, "S", "A", JOINED, reminded=False) is None
    assert digest_items.agreement_not_drafted(1, "S", "A", JOINED, reminded=True) is not None


def test_a_survey_is_unanswered_only_once_its_due_date_passed() -> None:
    due = datetime(2027, 2, 22, 9, 0)
    assert digest_items.survey_not_answered(1, "S", due, due) is None
    assert digest_items.survey_not_answered(1, "S", due, datetime(2027, 2, 23)) is not None
