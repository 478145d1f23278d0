"""The agreement shell: ask the mentee for the goals, send the draft to the mentor, email the
agreed text to both and the coordinators; reminders and goal nudges are due dates on rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mentormail.service import checkins, effects, spacing
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.models import Agreement, AgreementGoal, Match, Participant
from mentormail.service.people import policy_of
from mentormail.workflows import agreement
from mentormail.workflows.agreement import AgreementEvent, Stage
from mentormail.workflows.goals import Goal, agreement_text, example_dates, read_goals
from mentormail.workflows.match import MatchState
from mentormail.workflows.spacing import Question

WAITING = (Stage.NONE, Stage.ASKED)


def begin(uow: Unit, pair: Match) -> None:
    """A new match in a program with agreements: the mentee is asked at the next sweep (so the
    question follows the introduction)."""
    if policy_of(pair.mentor.program).agreement:
        uow.session.add(Agreement(match_id=pair.id, state=Stage.NONE, text="", remind_at=uow.now))


def due(session: Session, now: datetime) -> list[int]:
    """Agreements whose question or reminder is due."""
    return list(
        session.scalars(
            select(Agreement.match_id).where(
                Agreement.remind_at <= now, Agreement.state.in_(WAITING)
            )
        )
    )


def on_time(uow: Unit, match_id: int) -> None:
    """Ask, or remind; a pair that has ended is asked nothing."""
    row = uow.session.get_one(Agreement, match_id)
    pair = uow.session.get_one(Match, match_id)
    if pair.state != MatchState.ACTIVE:
        row.remind_at = None
        return
    clock = checkins.clock_of(uow, pair)
    if not spacing.may_ask(uow, pair, clock, Question.AGREEMENT):
        return  # the pair was asked something a moment ago: it waits
    spacing.asked(clock, uow.now)
    event = agreement.AskDue() if row.state == Stage.NONE else agreement.RemindDue()
    _decide(uow, pair, row, event, "")


def goals_due(session: Session, now: datetime) -> list[int]:
    """Goals whose week-before nudge is due."""
    return list(session.scalars(select(AgreementGoal.id).where(AgreementGoal.nudge_at <= now)))


def nudge(uow: Unit, goal_id: int) -> None:
    """Remind both of a goal a week before its date (not once the pair has ended)."""
    goal = uow.session.get_one(AgreementGoal, goal_id)
    goal.nudge_at = None
    pair = uow.session.get_one(Match, goal.match_id)
    if pair.state != MatchState.ACTIVE:
        return
    subject = _subject(uow, pair, "")
    subject.values["goal"] = {"text": goal.text, "activities": goal.activities, "by": goal.by_date}
    effects.apply(uow, subject, agreement.nudge(goal.position))


def answer(uow: Unit, pair: Match, person: Participant, text: str, cause: str) -> None:
    """The mentee's goals, or the mentor's "looks good" or changes."""
    row = uow.session.get_one(Agreement, pair.id)
    goals = tuple(read_goals(text, uow.now.date()))
    event: AgreementEvent
    if person.id == pair.mentee_id:
        event = agreement.Drafted(goals) if goals else agreement.Unclear()
    else:
        event = agreement.read_mentor_reply(text, goals)
    _decide(uow, pair, row, event, cause, text, str(effects.side_of(pair, person)))


def remind_for_coordinators(uow: Unit, pair: Match, cause: str) -> bool:
    """The coordinators' ``remind`` of an agreement never drafted: the mentee is asked for the
    goals, and a reply with them is the draft; False when the agreement is past that."""
    row = uow.session.get(Agreement, pair.id)
    stage = Stage(row.state) if row is not None else Stage.AGREED  # no agreement: nothing to ask
    found = agreement.reminded_by_coordinators(stage, f"{uow.now:%Y-%m-%d}")
    if not found:
        return False
    subject = _subject(uow, pair, cause)
    subject.values.update(
        example_by=example_dates(uow.now.date(), pair.ends_on), by_coordinators=True
    )
    effects.apply(uow, subject, found)
    return True


def approve(uow: Unit, pair: Match, cause: str) -> None:
    """The mentor's "Looks good" link."""
    _decide(uow, pair, uow.session.get_one(Agreement, pair.id), agreement.Approved(), cause)


def _decide(
    uow: Unit,
    pair: Match,
    row: Agreement,
    event: AgreementEvent,
    cause: str,
    text: str = "",
    writer: str | None = None,
) -> None:
    """Decide, keep the stage, the goals and the text, carry out the effects."""
    decision = agreement.decide(Stage(row.state), event, uow.now, policy_of(pair.mentor.program))
    row.state = decision.stage
    if not decision.keep_due:
        row.remind_at = decision.due_at
    if decision.goals is not None:
        _keep_goals(uow.session, pair.id, decision.goals)
        row.text, row.drafted_at = agreement_text(list(decision.goals)), uow.now
        row.written_by = writer
    if decision.stage is Stage.AGREED:
        row.agreed_at = uow.now
        _schedule_nudges(uow.session, pair.id)
    uow.session.flush()
    subject = _subject(uow, pair, cause)
    subject.reply_text = text
    subject.values["unclear"] = isinstance(event, agreement.Unclear)
    subject.values["example_by"] = example_dates(uow.now.date(), pair.ends_on)
    effects.apply(uow, subject, decision.effects)


def _keep_goals(session: Session, match_id: int, goals: tuple[Goal, ...]) -> None:
    """Replace the pair's goals with these."""
    session.execute(delete(AgreementGoal).where(AgreementGoal.match_id == match_id))
    for position, goal in enumerate(goals, start=1):
        session.add(
            AgreementGoal(
                match_id=match_id,
                position=position,
                text=goal.text,
                activities=goal.activities,
                by_date=goal.by,
                nudge_at=None,
            )
        )
    session.flush()


def _schedule_nudges(session: Session, match_id: int) -> None:
    """Agreed: each dated goal gets its week-before nudge."""
    for goal in session.scalars(select(AgreementGoal).where(AgreementGoal.match_id == match_id)):
        goal.nudge_at = agreement.nudge_at(goal.by_date)


def _dated_goals(session: Session, match_id: int) -> int:
    """How many of the pair's goals have a date (the agreed email promises their reminders)."""
    goals = session.scalars(select(AgreementGoal).where(AgreementGoal.match_id == match_id))
    return sum(1 for goal in goals if goal.by_date is not None)


def _subject(uow: Unit, pair: Match, cause: str) -> Subject:
    """What the agreement emails show: the pair, the goals as text and as a list."""
    row = uow.session.get(Agreement, pair.id)
    return effects.match_subject(
        pair,
        "agreement",
        cause,
        values={
            "agreement_text": row.text if row else "",
            "dated_goals": _dated_goals(uow.session, pair.id),
            "written_by": row.written_by if row else None,
            "ends_on": pair.ends_on,
            "remind_days": policy_of(pair.mentor.program).agreement_remind_days,
            "unclear": False,
            "by_coordinators": False,  # the coordinators' ``remind`` of a missing agreement
        },
    )
