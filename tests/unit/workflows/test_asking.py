"""Whether a mentee may ask a mentor now."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mentormail.workflows.asking import (
    AskOutcome,
    MenteeView,
    MentorView,
    may_ask,
    template_for,
)
from mentormail.workflows.policy import ProgramPolicy

pytestmark = pytest.mark.unit

POLICY = ProgramPolicy(term_start=date(2025, 9, 15), term_end=date(2026, 6, 30))
FREE = MenteeView(pending_requests=0, active_matches=0, mentors_asked_before=frozenset())
OPEN = MentorView(mentor_id=7, available=True)
TERM_DAY = date(2025, 10, 1)


@pytest.mark.parametrize(
    ("mentee", "mentor", "outcome"),
    [
        (FREE, OPEN, AskOutcome.ALLOWED),
        (MenteeView(0, 1, frozenset()), OPEN, AskOutcome.ALREADY_MATCHED),
        (MenteeView(1, 0, frozenset()), OPEN, AskOutcome.ALREADY_PENDING),
        (MenteeView(0, 0, frozenset({7})), OPEN, AskOutcome.ALREADY_ASKED_THIS_MENTOR),
        (FREE, MentorView(7, available=False), AskOutcome.MENTOR_UNAVAILABLE),
        # the mentee's own situation is explained before the mentor's
        (MenteeView(1, 1, frozenset({7})), MentorView(7, False), AskOutcome.ALREADY_MATCHED),
        (MenteeView(1, 0, frozenset({7})), MentorView(7, False), AskOutcome.ALREADY_PENDING),
        (
            MenteeView(0, 0, frozenset({7})),
            MentorView(7, False),
            AskOutcome.ALREADY_ASKED_THIS_MENTOR,
        ),
    ],
)
def test_may_ask(mentee: MenteeView, mentor: MentorView, outcome: AskOutcome) -> None:
    assert may_ask(mentee, mentor, POLICY, TERM_DAY) is outcome


def test_a_policy_allowing_two_pending_requests_lets_a_second_one_through() -> None:
    policy = ProgramPolicy(date(2025, 9, 15), date(2026, 6, 30), max_pending_per_mentee=2)
    assert may_ask(MenteeView(1, 0, frozenset()), OPEN, policy, TERM_DAY) is AskOutcome.ALLOWED


def test_no_request_starts_after_the_terms_end() -> None:
    after = POLICY.term_end + timedelta(days=1)
    assert may_ask(FREE, OPEN, POLICY, after) is AskOutcome.TERM_ENDED
    assert may_ask(FREE, OPEN, POLICY, POLICY.term_end) is AskOutcome.ALLOWED


@pytest.mark.parametrize("outcome", [o for o in AskOutcome if o is not AskOutcome.ALLOWED])
def test_each_refusal_has_its_template(outcome: AskOutcome) -> None:
    from mentormail.service.rendering import message_names

    name = template_for(outcome)
    assert name == f"ask_refused_{outcome.value}"
    assert name in message_names()


def test_where_coordinators_now_make_every_pair_an_old_list_asks_no_one() -> None:
    from dataclasses import replace

    by_coordinators = replace(POLICY, mentees_search=False)
    assert may_ask(FREE, OPEN, by_coordinators, TERM_DAY) is AskOutcome.COORDINATORS_PAIR
    after_term = POLICY.term_end + timedelta(days=1)  # the year's end is told first
    assert may_ask(FREE, OPEN, by_coordinators, after_term) is AskOutcome.TERM_ENDED
