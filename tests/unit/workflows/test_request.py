"""The request state machine: every row of its table, and every pair that is not in it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import product

import pytest

from mentormail.workflows import request
from mentormail.workflows.effects import (
    FlagForCoordinator,
    ForwardText,
    ReleaseOtherRequests,
    Role,
    SendEmail,
    SetDue,
    StartMatch,
)
from mentormail.workflows.exceptions import InvalidTransition
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.request import (
    Asked,
    MenteeWithdrew,
    MentorAccepted,
    MentorDeclined,
    MentorUnavailable,
    MentorUnclear,
    MentorUnreachable,
    RequestEvent,
    RequestState,
    RequestView,
    ResponseWindowPassed,
)

pytestmark = pytest.mark.unit

NOW = datetime(2025, 10, 1, 9, 0)
POLICY = ProgramPolicy(term_start=date(2025, 9, 15), term_end=date(2026, 6, 30))
EVENTS: dict[type, RequestEvent] = {
    Asked: Asked(),
    MentorAccepted: MentorAccepted(),
    MentorDeclined: MentorDeclined(),
    MentorUnclear: MentorUnclear(question=False),
    ResponseWindowPassed: ResponseWindowPassed(),
    MentorUnavailable: MentorUnavailable("full"),
    MenteeWithdrew: MenteeWithdrew(),
    MentorUnreachable: MentorUnreachable(),
}
STATES: list[RequestState | None] = [None, *RequestState]


def pending(capacity: int = 2, active: int = 0) -> RequestView:
    """A request waiting on a mentor with ``active`` of ``capacity`` places taken."""
    return RequestView(RequestState.PENDING, capacity, active, NOW + timedelta(days=10))


def view_in(state: RequestState | None) -> RequestView | None:
    """A request in ``state`` (None: not yet created)."""
    return None if state is None else RequestView(state, 2, 0, None)


def emails(decision: request.Decision) -> list[tuple[str, Role]]:
    """The (template, to) pairs a decision sends, in order."""
    return [(e.template, e.to) for e in decision.effects if isinstance(e, SendEmail)]


def test_every_event_type_is_covered_by_the_test_table() -> None:
    assert set(EVENTS) == set(RequestEvent.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("state", "event_type", "to_state"),
    [
        (None, Asked, RequestState.PENDING),
        (RequestState.PENDING, MentorAccepted, RequestState.ACCEPTED),
        (RequestState.PENDING, MentorDeclined, RequestState.DECLINED),
        (RequestState.PENDING, MentorUnclear, RequestState.PENDING),
        (RequestState.PENDING, ResponseWindowPassed, RequestState.EXPIRED),
        (RequestState.PENDING, MentorUnavailable, RequestState.RELEASED),
        (RequestState.PENDING, MenteeWithdrew, RequestState.WITHDRAWN),
        (RequestState.PENDING, MentorUnreachable, RequestState.RELEASED),
        (RequestState.DECLINED, MentorAccepted, RequestState.DECLINED),  # no time left: below
    ],
)
def test_each_row_of_the_table_moves_to_its_state(
    state: RequestState | None, event_type: type, to_state: RequestState
) -> None:
    assert (state, event_type) in request.TRANSITIONS
    decision = request.decide(view_in(state), EVENTS[event_type], NOW, POLICY, mentor_capacity=2)
    assert decision.state.state is to_state


def test_the_table_has_exactly_the_rows_tested_above() -> None:
    assert len(request.TRANSITIONS) == 9


@pytest.mark.parametrize(
    ("state", "event_type"),
    [(s, e) for s, e in product(STATES, EVENTS) if (s, e) not in request.TRANSITIONS],
)
def test_every_other_pair_raises_invalid_transition(
    state: RequestState | None, event_type: type
) -> None:
    with pytest.raises(InvalidTransition) as raised:
        request.decide(view_in(state), EVENTS[event_type], NOW, POLICY)
    assert raised.value.machine == "request"
    assert raised.value.event == event_type.__name__
    assert raised.value.http_status == 409


def test_asking_sets_the_due_date_response_days_from_now() -> None:
    policy = ProgramPolicy(date(2025, 9, 15), date(2026, 6, 30), response_days=7)
    decision = request.decide(None, Asked(), NOW, policy, mentor_capacity=1)
    due = NOW + timedelta(days=7)
    assert decision.state.due_at == due
    assert SetDue(due) in decision.effects
    assert emails(decision) == [("request_to_mentor", Role.MENTOR), ("request_sent", Role.MENTEE)]
    assert decision.effects[0] == SetDue(due)  # first, so the emails can tell the date
    to_mentor = decision.effects[1]
    assert isinstance(to_mentor, SendEmail)
    assert to_mentor.with_actions == ("accept", "decline")
    assert decision.state.mentor_capacity == 1


def test_accept_below_capacity_starts_a_match_and_keeps_other_requests() -> None:
    decision = request.decide(pending(capacity=2, active=0), MentorAccepted(), NOW, POLICY)
    assert decision.state.state is RequestState.ACCEPTED
    assert decision.state.due_at is None
    assert StartMatch() in decision.effects
    assert emails(decision) == [("intro_mentee", Role.MENTEE), ("intro_mentor", Role.MENTOR)]
    assert not any(isinstance(e, ReleaseOtherRequests) for e in decision.effects)
    assert SetDue(None) in decision.effects


def test_a_yes_with_a_question_starts_the_match_and_puts_the_question_to_a_coordinator() -> None:
    asked = MentorAccepted(question=True)
    decision = request.decide(pending(capacity=2, active=0), asked, NOW, POLICY)
    assert decision.state.state is RequestState.ACCEPTED
    assert StartMatch() in decision.effects
    flag = FlagForCoordinator("the mentor said yes and asks a question", email_now=True)
    assert flag in decision.effects
    plain = request.decide(pending(capacity=2, active=0), MentorAccepted(), NOW, POLICY)
    assert not any(isinstance(e, FlagForCoordinator) for e in plain.effects)


def test_accept_that_reaches_capacity_releases_the_others_and_tells_the_mentor() -> None:
    decision = request.decide(pending(capacity=2, active=1), MentorAccepted(), NOW, POLICY)
    assert decision.state.state is RequestState.ACCEPTED
    assert StartMatch() in decision.effects
    released = decision.effects.index(ReleaseOtherRequests("full"))
    assert emails(decision) == [("intro_mentee", Role.MENTEE), ("intro_mentor", Role.MENTOR)]
    # one email to the mentor: the introduction, after the release it tells of
    intro = next(e for e in decision.effects if getattr(e, "template", "") == "intro_mentor")
    assert released < decision.effects.index(intro)


def test_accept_when_already_full_keeps_the_request_open_and_offers_one_more_place() -> None:
    decision = request.decide(pending(capacity=1, active=1), MentorAccepted(), NOW, POLICY)
    assert decision.state.state is RequestState.PENDING
    assert StartMatch() not in decision.effects
    assert emails(decision) == [("capacity_offer", Role.MENTOR)]
    offer = decision.effects[0]
    assert isinstance(offer, SendEmail) and offer.with_actions == ("raise_capacity",)


def test_accept_after_the_terms_end_starts_no_match_and_tells_both() -> None:
    after = datetime.combine(POLICY.term_end + timedelta(days=1), datetime.min.time())
    decision = request.decide(pending(), MentorAccepted(), after, POLICY)
    assert decision.state.state is RequestState.RELEASED
    assert StartMatch() not in decision.effects
    assert emails(decision) == [
        ("request_term_ended", Role.MENTOR),
        ("request_term_ended", Role.MENTEE),
    ]


def test_a_request_near_the_terms_end_is_to_be_answered_by_its_last_day() -> None:
    late = datetime(2026, 6, 28, 10, 0)  # two days before the term ends
    decision = request.decide(None, Asked(), late, POLICY)
    assert decision.state.due_at == datetime(2026, 6, 30, 23, 59)  # not 8 July
    window_shut = request.decide(
        decision.state, ResponseWindowPassed(), datetime(2026, 6, 30, 23, 59), POLICY
    )
    assert window_shut.state.state is RequestState.RELEASED  # the term ended it, not the mentor
    assert emails(window_shut) == [
        ("request_term_ended", Role.MENTOR),
        ("request_term_ended", Role.MENTEE),
    ]
    assert not any(isinstance(e, FlagForCoordinator) for e in window_shut.effects)


def test_an_unreachable_mentor_releases_the_request_and_the_mentee_hears_at_once() -> None:
    decision = request.decide(pending(), MentorUnreachable(), NOW, POLICY)
    assert decision.state.state is RequestState.RELEASED
    assert emails(decision) == [("request_undeliverable", Role.MENTEE)]


def test_decline_tells_the_mentee_with_alternatives_and_thanks_the_mentor() -> None:
    decision = request.decide(pending(), MentorDeclined(), NOW, POLICY)
    assert decision.state.state is RequestState.DECLINED
    assert decision.state.due_at is None
    first = decision.effects[1]
    assert isinstance(first, SendEmail)
    assert (first.template, first.to, first.with_alternatives) == (
        "request_declined",
        Role.MENTEE,
        True,
    )
    assert ("decline_confirmed", Role.MENTOR) in emails(decision)
    assert StartMatch() not in decision.effects


def test_unclear_without_a_question_only_asks_the_mentor_and_changes_nothing() -> None:
    view = pending()
    decision = request.decide(view, MentorUnclear(question=False), NOW, POLICY)
    assert decision.state == view
    assert len(decision.effects) == 1
    only = decision.effects[0]
    assert isinstance(only, SendEmail)
    assert (only.template, only.to, only.with_actions) == (
        "did_you_mean",
        Role.MENTOR,
        ("accept", "decline"),
    )


def test_unclear_with_a_question_also_passes_it_to_the_mentee() -> None:
    view = pending()
    decision = request.decide(view, MentorUnclear(question=True), NOW, POLICY)
    assert decision.state == view
    assert emails(decision) == [("did_you_mean", Role.MENTOR)]
    assert ForwardText(Role.MENTEE, "question_from_mentor") in decision.effects


def test_time_asked_moves_the_due_date_to_that_day_within_the_programs_limit() -> None:
    view = replace(pending(), asked_at=NOW)  # due 11 October 09:00
    later = request.decide(view, MentorUnclear(True, wants_until=date(2025, 10, 14)), NOW, POLICY)
    assert later.state.due_at == datetime(2025, 10, 14, 23, 59)
    assert later.effects[0] == SetDue(datetime(2025, 10, 14, 23, 59))
    assert emails(later) == [("did_you_mean", Role.MENTOR), ("request_more_time", Role.MENTEE)]
    assert not any(isinstance(e, ForwardText) for e in later.effects)  # not a question for them
    capped = request.decide(view, MentorUnclear(False, wants_until=date(2025, 11, 1)), NOW, POLICY)
    assert capped.state.due_at == datetime(2025, 10, 18, 9, 0)  # 7 days past the first due
    again = request.decide(capped.state, MentorUnclear(False, date(2025, 11, 2)), NOW, POLICY)
    assert again.state.due_at == datetime(2025, 10, 18, 9, 0)  # counted from the first, once
    sooner = request.decide(view, MentorUnclear(False, wants_until=date(2025, 10, 5)), NOW, POLICY)
    assert sooner.state.due_at == view.due_at  # never shortened
    none = replace(POLICY, more_time_days=0)
    assert request.decide(view, MentorUnclear(False, date(2025, 11, 1)), NOW, none).state == view
    near_end = replace(view, due_at=datetime(2026, 6, 30, 23, 59))
    at_end = request.decide(near_end, MentorUnclear(False, date(2026, 7, 7)), NOW, POLICY)
    assert at_end.state.due_at == datetime(2026, 6, 30, 23, 59)  # never past the term


def test_expiry_clears_the_due_date_offers_others_and_flags_the_coordinator() -> None:
    decision = request.decide(pending(), ResponseWindowPassed(), NOW, POLICY)
    assert decision.state.state is RequestState.EXPIRED
    assert decision.state.due_at is None
    assert SetDue(None) in decision.effects
    assert not any(isinstance(e, SetDue) and e.at is not None for e in decision.effects)
    assert emails(decision) == [
        ("request_expired", Role.MENTEE),
        ("request_expired_mentor", Role.MENTOR),
    ]
    assert any(isinstance(e, FlagForCoordinator) for e in decision.effects)


@pytest.mark.parametrize("reason", ["full", "paused"])
def test_release_tells_the_mentee_why_with_alternatives(reason: str) -> None:
    decision = request.decide(pending(), MentorUnavailable(reason), NOW, POLICY)
    assert decision.state.state is RequestState.RELEASED
    (mail,) = [e for e in decision.effects if isinstance(e, SendEmail)]
    assert (mail.template, mail.to, mail.step) == (
        "request_released",
        Role.MENTEE,
        f"released-{reason}",
    )
    assert mail.with_alternatives


def test_withdrawal_tells_the_mentor_only() -> None:
    decision = request.decide(pending(), MenteeWithdrew(), NOW, POLICY)
    assert decision.state.state is RequestState.WITHDRAWN
    assert emails(decision) == [("request_withdrawn", Role.MENTOR)]


def test_steps_are_distinct_within_each_decision() -> None:
    for (state, event_type), _ in request.TRANSITIONS.items():
        view = view_in(state)
        decision = request.decide(view, EVENTS[event_type], NOW, POLICY, mentor_capacity=2)
        keys = [(e.step, e.to) for e in decision.effects if isinstance(e, SendEmail)]
        assert len(keys) == len(set(keys))


def after_no(**changes: object) -> RequestView:
    """A request its mentor declined a day after it was asked, the mentee waiting on no one."""
    asked = NOW - timedelta(days=1)
    view = RequestView(
        RequestState.DECLINED, 2, 0, None, asked, mentee_matched=False, mentee_waiting=False
    )
    return replace(view, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("view", "now", "why"),
    [
        (after_no(), NOW, None),
        (after_no(), NOW + timedelta(days=10), "late"),
        (after_no(mentee_matched=True), NOW, "mentee_matched"),
        (after_no(mentee_waiting=True), NOW, "mentee_waiting"),
        (after_no(mentor_available=False), NOW, "paused"),
        (after_no(mentor_active_matches=2), NOW, "full"),
        (after_no(), datetime(2026, 7, 1, 9, 0), "term"),
    ],
)
def test_a_yes_after_the_mentors_no_makes_the_pair_only_while_nothing_stands_in_the_way(
    view: RequestView, now: datetime, why: str | None
) -> None:
    decision = request.decide(view, MentorAccepted(), now, POLICY)
    assert request.yes_after_no_blocked(view, now, POLICY) == why
    if why is None:
        assert decision.state.state is RequestState.ACCEPTED
        assert ("intro_mentee", Role.MENTEE) in emails(decision)
    else:
        assert decision.state.state is RequestState.DECLINED
        assert emails(decision) == [("yes_after_no", Role.MENTOR)]
        assert any(isinstance(e, FlagForCoordinator) for e in decision.effects)
