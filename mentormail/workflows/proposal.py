"""A pair proposed by the program (double opt-in): both must say yes before anyone is introduced.
(The shell puts each pair that does not go ahead, and what came next, on the coordinators' list.)

PROPOSED ──one side yes──▶ PROPOSED   that side thanked; we wait for the other
   │ ───both yes──▶ ACCEPTED          the introduction and the year begin, as after an accept
   │ ───either no──▶ DECLINED         the other told kindly; the mentee's next best is proposed
   │ ───unclear──▶ PROPOSED           "did you mean yes or no?", with links
   ├───window passed──▶ EXPIRED       both told; the mentee's next best is proposed
   └───one side left──▶ WITHDRAWN     the other told kindly; if the mentor left, the next best
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from mentormail.workflows.effects import Effect, Role, SendEmail, SetDue
from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.policy import ProgramPolicy, answer_by
from mentormail.workflows.table import handler_for

ACTIONS = ("proposal_yes", "proposal_no")


class ProposalState(StrEnum):
    """Where a proposed pair stands."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # one of the two left the program (or was removed) meanwhile


class Answer(StrEnum):
    """One side's answer so far."""

    NONE = ""
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class ProposalView:
    """What the rules need to know about a proposal."""

    state: ProposalState
    mentee: Answer = Answer.NONE
    mentor: Answer = Answer.NONE
    due_at: datetime | None = None


@dataclass(frozen=True)
class Proposed:
    """The program proposes the pair (this creates the proposal)."""


@dataclass(frozen=True)
class SaidYes:
    """One side said yes (by reply or link)."""

    by: Role


@dataclass(frozen=True)
class SaidNo:
    """One side said no."""

    by: Role


@dataclass(frozen=True)
class Unclear:
    """One side replied, but not with a clear yes or no."""

    by: Role


@dataclass(frozen=True)
class WindowPassed:
    """The sweep found the proposal still open after its due date."""


@dataclass(frozen=True)
class Left:
    """One side left the program, or was removed, while the proposal was open."""

    by: Role


ProposalEvent = Proposed | SaidYes | SaidNo | Unclear | WindowPassed | Left


@dataclass(frozen=True)
class BeginMatch:
    """Both said yes: introduce them and start the match, exactly as an accepted request does."""


@dataclass(frozen=True)
class ProposeNext:
    """Propose the mentee's next best mentor among the people still free."""


@dataclass(frozen=True)
class Decision:
    """The new state and what must happen because of it."""

    state: ProposalView
    effects: tuple[Effect | BeginMatch | ProposeNext, ...]


Handler = Callable[[ProposalView, ProposalEvent, datetime, ProgramPolicy], Decision]


def _other(role: Role) -> Role:
    """The other side of the pair."""
    if role not in (Role.MENTOR, Role.MENTEE):
        raise UnknownValue("proposal side", str(role))
    return Role.MENTEE if role is Role.MENTOR else Role.MENTOR


def _with_answer(view: ProposalView, role: Role, answer: Answer) -> ProposalView:
    """The view with one side's answer set."""
    if role is Role.MENTEE:
        return replace(view, mentee=answer)
    if role is Role.MENTOR:
        return replace(view, mentor=answer)
    raise UnknownValue("proposal side", str(role))


def _propose(
    view: ProposalView, event: ProposalEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """Both hear of it, each with yes and no links; the clock starts."""
    due = answer_by(now, policy)
    return Decision(
        replace(view, state=ProposalState.PROPOSED, due_at=due),
        (
            SetDue(due),
            SendEmail("proposal_to_mentee", Role.MENTEE, "proposed", with_actions=ACTIONS),
            SendEmail("proposal_to_mentor", Role.MENTOR, "proposed", with_actions=ACTIONS),
        ),
    )


def _yes(
    view: ProposalView, event: ProposalEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """A yes: if the other said yes too, the match begins; else this side waits, thanked."""
    assert isinstance(event, SaidYes)
    answered = _with_answer(view, event.by, Answer.YES)
    other = _other(event.by)
    if getattr(answered, str(other)) is Answer.YES:
        return Decision(
            replace(answered, state=ProposalState.ACCEPTED, due_at=None),
            (SetDue(None), BeginMatch()),
        )
    if getattr(view, str(event.by)) is Answer.YES:
        return Decision(view, ())  # a second yes from the same side: nothing more to say
    return Decision(answered, (SendEmail("proposal_waiting", event.by, "yes"),))


def _no(view: ProposalView, event: ProposalEvent, now: datetime, policy: ProgramPolicy) -> Decision:
    """A no: the one who said it is thanked, the other told kindly; the mentee's next best."""
    assert isinstance(event, SaidNo)
    other = _other(event.by)
    return Decision(
        replace(_with_answer(view, event.by, Answer.NO), state=ProposalState.DECLINED, due_at=None),
        (
            SetDue(None),
            SendEmail("proposal_no_noted", event.by, "no"),
            SendEmail("proposal_not_going_ahead", other, f"no-by-{event.by}"),
            ProposeNext(),
        ),
    )


def _unclear(
    view: ProposalView, event: ProposalEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """Never guess: ask what they meant, with the two links."""
    assert isinstance(event, Unclear)
    return Decision(
        view, (SendEmail("proposal_did_you_mean", event.by, "unclear", with_actions=ACTIONS),)
    )


def _expire(
    view: ProposalView, event: ProposalEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """No answer in time from one side: both told without blame; the mentee's next best."""
    return Decision(
        replace(view, state=ProposalState.EXPIRED, due_at=None),
        (
            SetDue(None),
            SendEmail("proposal_expired", Role.MENTEE, "expired"),
            SendEmail("proposal_expired", Role.MENTOR, "expired"),
            ProposeNext(),
        ),
    )


def _left(
    view: ProposalView, event: ProposalEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """One side is gone: the other is not left waiting; a mentee still here gets the next best."""
    assert isinstance(event, Left)
    other = _other(event.by)
    told = SendEmail("proposal_not_going_ahead", other, f"left-{event.by}")
    after = (ProposeNext(),) if event.by is Role.MENTOR else ()
    return Decision(
        replace(view, state=ProposalState.WITHDRAWN, due_at=None), (SetDue(None), told, *after)
    )


S = ProposalState
TRANSITIONS: dict[tuple[ProposalState | None, type], Handler] = {
    (None, Proposed): _propose,
    (S.PROPOSED, SaidYes): _yes,
    (S.PROPOSED, SaidNo): _no,
    (S.PROPOSED, Unclear): _unclear,
    (S.PROPOSED, WindowPassed): _expire,
    (S.PROPOSED, Left): _left,
}


def decide(
    view: ProposalView | None, event: ProposalEvent, now: datetime, policy: ProgramPolicy
) -> Decision:
    """Apply ``event`` to a proposal (``None`` for a new one); pairs not in the table are errors."""
    state = view.state if view else None
    handler = handler_for(TRANSITIONS, "proposal", state, event)
    return handler(view or ProposalView(S.PROPOSED), event, now, policy)
