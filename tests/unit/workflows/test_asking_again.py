"""Which emails ask "did you mean…?": a reply to one that is still unclear goes to a person."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mentormail.workflows import checkin, fit, request, survey
from mentormail.workflows.conversation import asks_what_they_meant
from mentormail.workflows.effects import Role, SendEmail
from mentormail.workflows.policy import ProgramPolicy

pytestmark = pytest.mark.unit


def test_every_did_you_mean_and_the_wrapup_asked_again_count_as_asking_what_they_meant() -> None:
    steps = {
        e.step
        for e in (
            *checkin.unclear(Role.MENTEE),
            *fit.unclear(Role.MENTEE),
            *survey.unclear(Role.MENTEE, survey.Survey.PULSE),
        )
        if isinstance(e, SendEmail)
    }
    assert steps and all(asks_what_they_meant(step) for step in steps)
    assert asks_what_they_meant("wrapup-unclear")


def test_the_first_emails_of_a_conversation_do_not_count_as_asking_again() -> None:
    now = datetime(2026, 10, 1, 9, 0)
    policy = ProgramPolicy(term_start=date(2026, 9, 14), term_end=date(2027, 6, 30))
    first = (
        *request.decide(None, request.Asked(), now, policy).effects,
        *survey.due(survey.Survey.PULSE, now).effects,
    )
    steps = {e.step for e in first if isinstance(e, SendEmail)}
    assert steps and not any(asks_what_they_meant(step) for step in steps)
