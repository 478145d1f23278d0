"""The end-of-term shell: each match's wrap-up question and conclusion, on the clock (load →
decide → apply); the answers are kept as the match's outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import checkins, coordinators, effects, spacing
from mentormail.service.context import Unit
from mentormail.service.db import insert_row
from mentormail.service.effects import Subject
from mentormail.service.models import AgreementGoal, Match, MatchTerm, Participant
from mentormail.service.people import person_view, policy_of
from mentormail.workflows import termend
from mentormail.workflows.effects import Role, SendEmail
from mentormail.workflows.match import MatchState
from mentormail.workflows.spacing import Question
from mentormail.workflows.termend import Stage, Term, TermEvent

DUE_STAGES = (Stage.RUNNING, Stage.ASKED)


def schedule(uow: Unit, pair: Match) -> None:
    """A new match: its wrap-up question is due before it ends."""
    decision = termend.schedule(pair.ends_on, policy_of(pair.mentor.program))
    insert_row(  # one prepared INSERT, no flush
        uow.session,
        MatchTerm(
            match_id=pair.id,
            stage=decision.term.stage,
            due_at=decision.due_at,
            extended=False,
            open_ended=False,
        ),
    )


def due(session: Session, now: datetime) -> list[int]:
    """Matches whose wrap-up question or end has come."""
    return list(
        session.scalars(
            select(MatchTerm.match_id).where(
                MatchTerm.due_at <= now, MatchTerm.stage.in_(DUE_STAGES)
            )
        )
    )


def on_time(uow: Unit, match_id: int) -> None:
    """The sweep found a match's term due: ask, or conclude."""
    row = uow.session.get_one(MatchTerm, match_id)
    pair = uow.session.get_one(Match, match_id)
    term = _term(row, pair)
    ended = pair.state != MatchState.ACTIVE
    event = termend.EndedEarly() if ended else termend.due_event(term, uow.now)
    if isinstance(event, termend.WrapupDue):
        clock = checkins.clock_of(uow, pair)
        if not spacing.may_ask(uow, pair, clock, Question.WRAPUP):
            return  # the pair was asked something a moment ago: it waits (never past the end)
        spacing.asked(clock, uow.now)
    _decide(uow, pair, row, event, "")


def answer(uow: Unit, pair: Match, person: Participant, goes_on: bool, cause: str) -> None:
    """CONTINUE or END to the wrap-up question (raises InvalidTransition when not asked)."""
    row = uow.session.get_one(MatchTerm, pair.id)
    event = termend.Answered(effects.side_of(pair, person), goes_on)
    _decide(uow, pair, row, event, cause, values={"goes_on": goes_on})
    coordinators.heard_from(uow, person, pair)
    checkins.wrote_about_the_pair(uow, pair, person)


def conclude(uow: Unit, pair: Match, person: Participant, text: str, cause: str) -> None:
    """What one side achieved (and the mentee's next steps): kept, copied to the coordinators."""
    row = uow.session.get_one(MatchTerm, pair.id)
    side = effects.side_of(pair, person)
    said = termend.read_conclusion(text)
    if side is Role.MENTOR:
        row.mentor_achieved = said.achieved or text.strip()
    else:
        row.mentee_achieved = said.achieved or text.strip()
        row.next_steps = said.next_steps
    values = {"achieved": said.achieved or text.strip(), "next_steps": said.next_steps}
    _decide(uow, pair, row, termend.Concluded(side), cause, values=values, writer=person)


def ask_again(
    uow: Unit, pair: Match, person: Participant, text: str, cause: str, *, question: bool = False
) -> None:
    """An unclear answer to the wrap-up question changes nothing: the question, again (a
    question in it has gone to the coordinators, and the email says so)."""
    row = uow.session.get_one(MatchTerm, pair.id)
    side = effects.side_of(pair, person)
    again = SendEmail("wrapup_question", side, "wrapup-unclear", with_actions=termend.ACTIONS)
    values = {"unclear": True, "asked_coordinators": question}
    subject = _subject(uow, pair, row, cause, values, None)
    subject.reply_text = text
    effects.apply(uow, subject, (again,))


def mentor_again(uow: Unit, pair: Match, yes: bool) -> None:
    """The mentor says whether they would mentor again next term."""
    uow.session.get_one(MatchTerm, pair.id).mentor_again = yes


def _decide(
    uow: Unit,
    pair: Match,
    row: MatchTerm,
    event: TermEvent,
    cause: str,
    values: dict[str, Any] | None = None,
    writer: Participant | None = None,
) -> None:
    """Decide on the term row, keep the result, carry out the effects."""
    decision = termend.decide(_term(row, pair), event, uow.now, policy_of(pair.mentor.program))
    after = decision.term
    row.stage, row.due_at = after.stage, decision.due_at
    row.mentor_continues, row.mentee_continues = after.mentor_continues, after.mentee_continues
    if after.ends_on != pair.ends_on or after.stage is Stage.OPEN:
        row.extended = True
        row.open_ended = after.stage is Stage.OPEN
    subject = _subject(uow, pair, row, cause, values or {}, writer)
    subject.values["new_ends_on"] = None if row.open_ended else after.ends_on
    effects.apply(uow, subject, decision.effects)


def _term(row: MatchTerm, pair: Match) -> Term:
    """The pure view of a term row."""
    return Term(
        Stage(row.stage),
        pair.ends_on,
        row.mentor_continues,
        row.mentee_continues,
        mentor_concluded=row.mentor_achieved is not None,
        mentee_concluded=row.mentee_achieved is not None,
    )


def _subject(
    uow: Unit,
    pair: Match,
    row: MatchTerm,
    cause: str,
    values: dict[str, Any],
    writer: Participant | None,
) -> Subject:
    """What the term's emails show: the pair, the end date, the goals, the answer given."""
    return effects.match_subject(
        pair,
        "termend",
        cause,
        person=writer,
        values={
            "unclear": False,
            "goes_on": None,
            "achieved": "",
            "next_steps": "",
            **values,
            "ends_on": pair.ends_on,
            "continues_until": termend.next_end(pair.ends_on, policy_of(pair.mentor.program)),
            "goals": goals_of(uow.session, pair.id),
            "writer": person_view(writer) if writer else None,
            "writer_role": writer.role if writer else "",
        },
    )


def goals_of(session: Session, match_id: int) -> list[str]:
    """The pair's agreed goals, in order (none without an agreement)."""
    return list(
        session.scalars(
            select(AgreementGoal.text)
            .where(AgreementGoal.match_id == match_id)
            .order_by(AgreementGoal.position)
        )
    )
