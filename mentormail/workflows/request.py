"""A mentee's request to one mentor, from asking to an answer (or no answer).

PENDING ──accept──▶ ACCEPTED          both introduced; match starts
   │ ───decline──▶ DECLINED          mentee told kindly, offered others
   │ ───unclear──▶ PENDING           mentor asked "did you mean…?"
   │ ───time asked ("until next week?")──▶ PENDING  due date moved (within a limit); mentee told
   │ ───window passed──▶ EXPIRED     both told; mentee offered others
   │ ───accept when full──▶ PENDING  mentor offered to take one more, by link
   │ ───mentor full/paused/left──▶ RELEASED   mentee told kindly, offered others
   │ ───mentor unreachable──▶ RELEASED  mail to the mentor bounced: mentee told at once
   │ ───accept after the term──▶ RELEASED  no match starts after the term's end
   └───mentee withdrew──▶ WITHDRAWN  mentor told
DECLINED ──accept, in the response time, the mentee still free, a place──▶ ACCEPTED  introduced
   └───accept otherwise──▶ DECLINED  the mentor told why; the coordinators have the yes
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from mentormail.workflows.effects import (
    Effect,
    FlagForCoordinator,
    ForwardText,
    ReleaseOtherRequests,
    Role,
    SendEmail,
    SetDue,
    StartMatch,
)
from mentormail.workflows.policy import ProgramPolicy, answer_by
from mentormail.workflows.table import handler_for


class RequestState(StrEnum):
    """Where a request stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class RequestView:
    """What the rules need to know about a request and its mentor."""

    state: RequestState
    mentor_capacity: int
    mentor_active_matches: int  # matches the mentor has now, not counting this request
    due_at: datetime | None = None
    asked_at: datetime | None = None  # when the mentee asked: more time is counted from it
    # --- a yes after the mentor's own no: may it still make the pair?
    mentee_matched: bool = True  # the mentee has a mentor now
    mentee_waiting: bool = True  # the mentee has another request waiting
    mentor_available: bool = True  # not paused, still in the program


@dataclass(frozen=True)
class Asked:
    """A mentee asked this mentor (the request is created by this event)."""


@dataclass(frozen=True)
class MentorAccepted:
    """The mentor said yes (by reply or link), perhaps on a condition or with a question."""

    condition: str = ""  # "as long as we can meet online": the mentee is told
    question: bool = False  # a question beside the yes: a coordinator answers it


@dataclass(frozen=True)
class MentorDeclined:
    """The mentor said no."""


@dataclass(frozen=True)
class MentorUnclear:
    """The mentor replied, but not with a clear yes or no."""

    question: bool  # the reply asks the mentee something: pass it on
    wants_until: date | None = None  # the day the mentor asked for, to answer by


@dataclass(frozen=True)
class ResponseWindowPassed:
    """The sweep found the request still pending after its due date."""


@dataclass(frozen=True)
class MentorUnavailable:
    """The mentor became full or paused while this request waited."""

    reason: str  # "full" | "paused"


@dataclass(frozen=True)
class MenteeWithdrew:
    """The mentee no longer wants this request (left the program, or asked to stop)."""


@dataclass(frozen=True)
class MentorUnreachable:
    """Our mail to the mentor cannot be delivered (suppressed or bounced)."""


RequestEvent = (
    Asked
    | MentorAccepted
    | MentorDeclined
    | MentorUnclear
    | ResponseWindowPassed
    | MentorUnavailable
    | MenteeWithdrew
    | MentorUnreachable
)


@dataclass(frozen=True)
class Decision:
    """The new state and what must happen because of it."""

    state: RequestView
    effects: tuple[Effect, ...]


Handler = Callable[[RequestView, RequestEvent, datetime, ProgramPolicy], Decision]


def _ask(view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy) -> Decision:
    """A new request: the mentor hears of it; the mentee hears it was sent; the clock starts."""
    due = answer_by(now, policy)
    return Decision(
        replace(view, state=RequestState.PENDING, due_at=due),
        (
            SetDue(due),  # first: the emails tell the date
            SendEmail(
                "request_to_mentor", Role.MENTOR, "asked", with_actions=("accept", "decline")
            ),
            SendEmail("request_sent", Role.MENTEE, "asked"),
        ),
    )


def fills_mentor(view: RequestView) -> bool:
    """Whether a yes takes the mentor's last place (the introduction then says they're full)."""
    return view.mentor_active_matches + 1 >= view.mentor_capacity


def _accept(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """A yes: introduce both; a mentor now full stops receiving requests."""
    if now.date() > policy.term_end:
        return _after_term(view)
    if view.mentor_active_matches >= view.mentor_capacity:
        return _already_full(view)
    effects: list[Effect] = [
        SetDue(None),
        StartMatch(),
        SendEmail("intro_mentee", Role.MENTEE, "accepted"),
    ]
    if fills_mentor(view):  # first: the mentor's introduction says who was let know
        effects.append(ReleaseOtherRequests("full"))
    effects.append(SendEmail("intro_mentor", Role.MENTOR, "accepted"))  # with the capacity news
    if isinstance(event, MentorAccepted) and event.question:
        asked = FlagForCoordinator("the mentor said yes and asks a question", email_now=True)
        effects.append(asked)
    return Decision(replace(view, state=RequestState.ACCEPTED, due_at=None), tuple(effects))


def _yes_after_no(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """A yes after the mentor's own no: it makes the pair while the request could still have
    been answered and the mentee is waiting on no one (they have no mentor and asked no one
    else), when the mentor has a place; otherwise nothing changes, the mentor is told why and
    the coordinators have the yes."""
    why = yes_after_no_blocked(view, now, policy)
    if why is None:  # the introductions say the no came first
        return _accept(view, event, now, policy)
    return Decision(
        view,
        (
            SendEmail("yes_after_no", Role.MENTOR, f"yes-after-no-{why}"),
            FlagForCoordinator(
                f"the mentor said yes after declining ({YES_AFTER_NO_WHY[why]}); nothing changed",
                email_now=True,
            ),
        ),
    )


YES_AFTER_NO_WHY = {
    "late": "after the request's answer time",
    "mentee_matched": "the mentee has a mentor now",
    "mentee_waiting": "the mentee has asked someone else",
    "full": "the mentor has no place left",
    "paused": "the mentor is paused",
    "term": "the program year has ended",
}


def yes_after_no_blocked(view: RequestView, now: datetime, policy: ProgramPolicy) -> str | None:
    """Why a yes after a no cannot make the pair (a key of ``YES_AFTER_NO_WHY``), or None."""
    if now.date() > policy.term_end:
        return "term"
    if view.asked_at is None or now > answer_by(view.asked_at, policy):
        return "late"
    if view.mentee_matched:
        return "mentee_matched"
    if view.mentee_waiting:
        return "mentee_waiting"
    if not view.mentor_available:
        return "paused"
    if view.mentor_active_matches >= view.mentor_capacity:
        return "full"
    return None


def _already_full(view: RequestView) -> Decision:
    """A yes from a mentor at capacity: nothing starts; they may confirm one more by link."""
    return Decision(
        view,
        (
            SendEmail(
                "capacity_offer", Role.MENTOR, "over-capacity", with_actions=("raise_capacity",)
            ),
        ),
    )


def _after_term(view: RequestView) -> Decision:
    """No match starts after the term's end: both are told kindly."""
    return Decision(
        replace(view, state=RequestState.RELEASED, due_at=None),
        (
            SetDue(None),
            SendEmail("request_term_ended", Role.MENTOR, "term-ended"),
            SendEmail("request_term_ended", Role.MENTEE, "term-ended"),
        ),
    )


def _decline(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """A no: thank the mentor, tell the mentee kindly at once, with other mentors."""
    return Decision(
        replace(view, state=RequestState.DECLINED, due_at=None),
        (
            SetDue(None),
            SendEmail("request_declined", Role.MENTEE, "declined", with_alternatives=True),
            SendEmail("decline_confirmed", Role.MENTOR, "declined"),
        ),
    )


def _unclear(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """Never guess: ask the mentor what they meant; pass a question on to the mentee."""
    assert isinstance(event, MentorUnclear)
    did_you_mean = SendEmail(
        "did_you_mean", Role.MENTOR, "unclear", with_actions=("accept", "decline")
    )
    if event.wants_until is not None and view.due_at is not None:
        return _more_time(view, event.wants_until, policy, did_you_mean)
    effects: list[Effect] = [did_you_mean]
    if event.question:
        effects.append(ForwardText(Role.MENTEE, "question_from_mentor"))
    return Decision(view, tuple(effects))


def _more_time(
    view: RequestView, wants_until: date, policy: ProgramPolicy, did_you_mean: SendEmail
) -> Decision:
    """The mentor asked for time to think until a day: the request stays open until then,
    within the program's limit; the mentor is told the date, and so is the mentee, who waits
    (their words are not a question for the mentee, so they are not passed on as one)."""
    assert view.due_at is not None
    first_due = answer_by(view.asked_at, policy) if view.asked_at else view.due_at
    due = more_time(view.due_at, first_due, wants_until, policy)
    waiting = SendEmail("request_more_time", Role.MENTEE, f"more-time-{due.date()}")
    return Decision(replace(view, due_at=due), (SetDue(due), did_you_mean, waiting))


def more_time(
    due_at: datetime, first_due: datetime, wants_until: date, policy: ProgramPolicy
) -> datetime:
    """A request's due date once its mentor asked for time until ``wants_until``: the end of
    that day, but no more than ``more_time_days`` past ``first_due`` (when it was first to
    close), never past the term's last day, and never earlier than it was."""
    limit = first_due + timedelta(days=policy.more_time_days)
    last_day = datetime.combine(policy.term_end, time(23, 59))
    wanted = datetime.combine(wants_until, time(23, 59))
    return max(due_at, min(wanted, limit, last_day))


def _expire(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """No answer in time: the mentee may ask someone else; the mentor is told without blame.
    A request whose window the term's end cut short ends with the term instead."""
    if now.date() >= policy.term_end:
        return _after_term(view)
    return Decision(
        replace(view, state=RequestState.EXPIRED, due_at=None),
        (
            SetDue(None),
            SendEmail("request_expired", Role.MENTEE, "expired", with_alternatives=True),
            SendEmail("request_expired_mentor", Role.MENTOR, "expired"),
            FlagForCoordinator("mentor did not answer a request in time", notice=True),
        ),
    )


def _release(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """The mentor is full or paused: the waiting mentee is told kindly, with others."""
    assert isinstance(event, MentorUnavailable)
    return Decision(
        replace(view, state=RequestState.RELEASED, due_at=None),
        (
            SetDue(None),
            SendEmail(
                "request_released", Role.MENTEE, f"released-{event.reason}", with_alternatives=True
            ),
        ),
    )


def _withdraw(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """The mentee withdrew: the mentor need not answer any more."""
    return Decision(
        replace(view, state=RequestState.WITHDRAWN, due_at=None),
        (SetDue(None), SendEmail("request_withdrawn", Role.MENTOR, "withdrawn")),
    )


def _unreachable(
    view: RequestView, event: RequestEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """The mentor cannot be reached: the mentee must not wait for nothing; staff see it."""
    return Decision(
        replace(view, state=RequestState.RELEASED, due_at=None),
        (
            SetDue(None),
            SendEmail(
                "request_undeliverable", Role.MENTEE, "undeliverable", with_alternatives=True
            ),
            FlagForCoordinator("a request could not be delivered to the mentor"),
        ),
    )


S = RequestState
TRANSITIONS: dict[tuple[RequestState | None, type], Handler] = {
    (None, Asked): _ask,
    (S.PENDING, MentorAccepted): _accept,
    (S.PENDING, MentorDeclined): _decline,
    (S.PENDING, MentorUnclear): _unclear,
    (S.PENDING, ResponseWindowPassed): _expire,
    (S.PENDING, MentorUnavailable): _release,
    (S.PENDING, MenteeWithdrew): _withdraw,
    (S.PENDING, MentorUnreachable): _unreachable,
    (S.DECLINED, MentorAccepted): _yes_after_no,
}


def decide(
    view: RequestView | None,
    event: RequestEvent,
    now: datetime,
    policy: ProgramPolicy,
    *,
    mentor_capacity: int = 0,
    mentor_active_matches: int = 0,
) -> Decision:
    """Apply ``event`` to a request (``None`` for a new one); pairs not in the table are errors."""
    state = view.state if view else None
    handler = handler_for(TRANSITIONS, "request", state, event)
    current = view or RequestView(S.PENDING, mentor_capacity, mentor_active_matches)
    return handler(current, event, now, policy)
