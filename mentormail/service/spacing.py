"""The spacing shell: before a pair's question goes, load the pair's due questions and when it
and its people were last asked, let ``workflows.spacing`` say whose turn it is, and keep the
answer on the clock (a question that waits gets its new due date)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from mentormail.service.context import Unit
from mentormail.service.models import Agreement, Match, MatchClock, MatchTerm
from mentormail.workflows import agreement, spacing, termend
from mentormail.workflows.match import MatchState
from mentormail.workflows.spacing import Asked, Question

ON_THE_CLOCK = {  # the clock's column of each question's due date
    Question.CHECKIN: "next_checkin_at",
    Question.FIT: "fit_due_at",
    Question.PULSE: "pulse_due_at",
    Question.MIDPOINT: "midpoint_due_at",
    Question.MIDPOINT_REMINDER: "midpoint_remind_at",
}


def may_ask(uow: Unit, pair: Match, clock: MatchClock, question: Question) -> bool:
    """Whether the pair's question, due now, goes now; if not, its due date moves on."""
    term = uow.session.get(MatchTerm, pair.id)
    goals = uow.session.get(Agreement, pair.id)
    due = {q: getattr(clock, column) for q, column in ON_THE_CLOCK.items()}
    due[Question.WRAPUP] = _wrapup_due(term)
    due[Question.AGREEMENT] = _agreement_due(goals)
    decided = spacing.turn(question, due, _asked(uow, pair, clock), uow.now, pair.ends_on)
    if decided.now:
        return True
    if question is Question.WRAPUP:
        assert term is not None
        end = termend.end_at(pair.ends_on)  # past it, the end comes and asks what is left
        term.due_at = min(decided.due_at or end, end)
    elif question is Question.AGREEMENT:
        assert goals is not None
        goals.remind_at = decided.due_at
    else:
        setattr(clock, ON_THE_CLOCK[question], decided.due_at)
    return False


def asked(clock: MatchClock, now: datetime) -> None:
    """A question went to the pair now: the next waits for the gap."""
    clock.last_question_at = now


def _wrapup_due(term: MatchTerm | None) -> datetime | None:
    """When the wrap-up question is due (None: asked already, or no term row)."""
    if term is None or term.stage != termend.Stage.RUNNING:
        return None
    return term.due_at


def _agreement_due(goals: Agreement | None) -> datetime | None:
    """When the goals are asked for, or their reminder is due (None: drafted, or none)."""
    if goals is None or goals.state not in (agreement.Stage.NONE, agreement.Stage.ASKED):
        return None
    return goals.remind_at


def _asked(uow: Unit, pair: Match, clock: MatchClock) -> Asked:
    """When the pair was last asked, and either of its people by another active pair."""
    people = (pair.mentor_id, pair.mentee_id)
    others = uow.session.scalar(
        select(func.max(MatchClock.last_question_at))
        .join(Match, Match.id == MatchClock.match_id)
        .where(
            Match.id != pair.id,
            Match.state == MatchState.ACTIVE,
            or_(Match.mentor_id.in_(people), Match.mentee_id.in_(people)),
        )
    )
    return Asked(pair=clock.last_question_at, people=others)
