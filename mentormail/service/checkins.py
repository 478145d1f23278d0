"""The check-in shell: open a pair's check-in when the cadence comes round (or skip it,
or climb the unresponsive ladder), and carry out MET / NOT YET / HELP from a reply or link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mentormail.service import availability, coordinators, effects, ending, spacing
from mentormail.service.context import Unit
from mentormail.service.db import PreparedRead, insert_row, write_changes
from mentormail.service.effects import Subject
from mentormail.service.models import (
    CheckIn,
    Match,
    MatchClock,
    MatchTerm,
    Meeting,
    Participant,
    Program,
)
from mentormail.service.people import policy_of
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import availability as availability_rules
from mentormail.workflows import checkin, termend
from mentormail.workflows.checkin import Answer, PairYear
from mentormail.workflows.effects import Role, SendEmail
from mentormail.workflows.match import MatchState
from mentormail.workflows.spacing import Question

PROGRAM_IDEA = "program-"  # keys of a program's own ideas: program-1, program-2, …


@cache
def built_in_ideas() -> dict[str, str]:
    """The library of meeting ideas shipped in the package (service/meeting_ideas.yaml)."""
    text = resources.files("mentormail.service").joinpath("meeting_ideas.yaml").read_text("utf-8")
    return {str(k): " ".join(str(v).split()) for k, v in yaml.safe_load(text).items()}


def ideas_of(program: Program) -> dict[str, str]:
    """The built-in ideas and, after them, the program's own."""
    own = policy_of(program).meeting_ideas
    return {
        **built_in_ideas(),
        **{f"{PROGRAM_IDEA}{n}": t for n, t in enumerate(own, 1)},
    }


# --- the pair's clock ------------------------------------------------------------------------


def start_clock(uow: Unit, pair: Match, program: Program) -> MatchClock:
    """A new pair: the first check-in gets its due date."""
    from mentormail.workflows import fit

    policy = policy_of(program)
    clock = MatchClock(
        match_id=pair.id,
        next_checkin_at=checkin.first_checkin_at(pair.started_at, policy),
        fit_due_at=fit.first_fit_check_at(pair.started_at, policy),
        checkins_sent=0,
        missed_mentor=0,
        missed_mentee=0,
        fit_asked=0,
        tips_used=[],
    )
    from mentormail.service import surveys

    surveys.schedule_new(clock, pair, policy)
    insert_row(uow.session, clock)  # one prepared INSERT: its key is the pair's, known
    return clock


def clock_of(uow: Unit, pair: Match) -> MatchClock:
    """The pair's clock row, locked (made now for a pair from before the year's clock)."""
    clock = uow.session.scalars(_LOCKED_CLOCK, {"match_id": pair.id}).first()
    return clock if clock is not None else start_clock(uow, pair, pair.mentor.program)


def open_checkin(session: Session, match_id: int) -> CheckIn | None:
    """The pair's newest check-in still open (the next has not come round)."""
    return session.scalars(_OPEN_CHECKIN, {"match_id": match_id}).first()


# built once: every answer to a check-in reads both (building one costs more than running it)
_LOCKED_CLOCK = (
    select(MatchClock)
    .where(MatchClock.match_id == bindparam("match_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
_OPEN_CHECKIN = (
    select(CheckIn)
    .where(CheckIn.match_id == bindparam("match_id"), CheckIn.closed.is_(False))
    .order_by(CheckIn.number.desc())
)


def year_of(
    pair: Match, clock: MatchClock, current: CheckIn | None, term: MatchTerm | None = None
) -> PairYear:
    """The pure view of a pair's year from its rows (with its end-of-term row, when given)."""
    answers = None
    if current is not None:
        answers = {Role.MENTOR: current.mentor_answer, Role.MENTEE: current.mentee_answer}
    return PairYear(
        started_at=pair.started_at,
        ends_on=pair.ends_on,
        checkins_sent=clock.checkins_sent,
        last_checkin_at=current.sent_at if current else None,
        open_answers=answers,
        missed={Role.MENTOR: clock.missed_mentor, Role.MENTEE: clock.missed_mentee},
        last_met_at=clock.last_met_at,
        last_met_month_only=clock.last_met_month_only,
        tips_used=tuple(clock.tips_used or ()),
        wrapup_answered=term is not None and termend.wrapup_answered(_term_of(term, pair)),
    )


def _term_of(row: MatchTerm, pair: Match) -> termend.Term:
    """The pure view of the pair's end of term, as far as the check-ins need it."""
    return termend.Term(
        termend.Stage(row.stage), pair.ends_on, row.mentor_continues, row.mentee_continues
    )


def wrote_about_the_pair(uow: Unit, pair: Match, person: Participant) -> None:
    """A person answered a question that supersedes the check-in: no miss counts against them."""
    clock = clock_of(uow, pair)
    _store(clock, checkin.wrote_about_the_pair(year_of(pair, clock, None), role_in(pair, person)))


def _store(clock: MatchClock, year: PairYear) -> None:
    """Write the pure year back to the clock row."""
    clock.checkins_sent = year.checkins_sent
    clock.missed_mentor = year.missed_by(Role.MENTOR)
    clock.missed_mentee = year.missed_by(Role.MENTEE)
    clock.last_met_at = year.last_met_at
    clock.last_met_month_only = year.last_met_month_only
    clock.tips_used = list(year.tips_used)


# --- the cadence comes round -----------------------------------------------------------------


def due_pairs(column: Any) -> Callable[[Session, datetime], list[int]]:
    """The sweep's query for one of the clock's due columns: active pairs due by ``now``."""

    def due(session: Session, now: datetime) -> list[int]:
        return list(
            session.scalars(
                select(MatchClock.match_id)
                .join(Match, Match.id == MatchClock.match_id)
                .where(column <= now, Match.state == MatchState.ACTIVE)
            )
        )

    return due


checkins_due = due_pairs(MatchClock.next_checkin_at)  # active pairs whose check-in is due


def checkin_due(uow: Unit, match_id: int) -> None:
    """Close the open check-in, then ask both (with a tip), skip, nudge or escalate."""
    pair = uow.session.get_one(Match, match_id)
    clock = clock_of(uow, pair)
    if pair.state != MatchState.ACTIVE or clock.next_checkin_at is None:
        return
    if clock.next_checkin_at > uow.now:
        return  # done by another sweep meanwhile
    if not spacing.may_ask(uow, pair, clock, Question.CHECKIN):
        return  # the pair was asked something a moment ago: it waits
    program = pair.mentor.program
    current = open_checkin(uow.session, pair.id)
    ideas = ideas_of(program)
    term = uow.session.get(MatchTerm, pair.id)
    decision = checkin.checkin_due(
        year_of(pair, clock, current, term), uow.now, policy_of(program), tuple(ideas)
    )
    if current is not None:
        current.closed = True
    _store(clock, decision.year)
    clock.next_checkin_at = decision.next_at
    if not decision.opened:
        return
    assert decision.since is not None  # an opened check-in always asks about a day
    row = CheckIn(
        match_id=pair.id,
        number=decision.year.checkins_sent,
        sent_at=uow.now,
        since=decision.since,
        tip=decision.tip,
        closed=False,
    )
    uow.session.add(row)
    uow.session.flush()
    spacing.asked(clock, uow.now)
    from mentormail.service import fit

    fit.again_after_checkin(clock, uow.now)
    subject = checkin_subject(pair, row, ideas.get(decision.tip, ""))
    subject.values["since_meeting"] = decision.since_meeting
    subject.values["since_month_only"] = decision.since_month_only
    subject.reply_payload["ladder"] = [  # whoever may answer END to the ladder's question
        str(e.to)
        for e in decision.effects
        if isinstance(e, SendEmail) and e.template == "checkin_partner_silent"
    ]
    subject.values["missed"] = {
        "mentor": decision.year.missed_by(Role.MENTOR),
        "mentee": decision.year.missed_by(Role.MENTEE),
    }
    effects.apply(uow, subject, decision.effects)


def checkin_subject(pair: Match, row: CheckIn, tip: str, cause: str = "") -> Subject:
    """What a check-in's emails are about: the pair, the check-in, its links and its tip."""

    def link_for(action: str, to: Participant) -> LinkSpec:
        if action == checkin.LADDER_ACTION:
            return LinkSpec(action, to.id, target_id=pair.id, group_key=f"ladder:{pair.id}")
        if action == ending.END_ACTION:
            return ending.end_link(pair, to)
        return LinkSpec(action, to.id, target_id=row.id, group_key=f"checkin:{row.id}:{to.id}")

    return effects.match_subject(
        pair,
        "checkin",
        cause,
        values={"since": row.since, "tip": tip, "number": row.number},
        link_for=link_for,
        reply_payload={"checkin_id": row.id, "match_id": pair.id, "since": row.since.isoformat()},
    )


# --- an answer -------------------------------------------------------------------------------


role_in = effects.side_of  # which side of the pair a person is on


def answer(
    uow: Unit,
    person: Participant,
    row: CheckIn,
    said: Answer,
    cause: str,
    *,
    met_on: date | None = None,
    words: str = "",
    month_only: bool = False,
    quietly: bool = False,
) -> bool:
    """Carry out an answer to a check-in; False (and a kind word) when the match has ended.
    ``month_only``: the person gave the month alone, and ``met_on`` is its last day;
    ``quietly``: no email (the answer came in another email's reply, which says it)."""
    pair = uow.session.get_one(Match, row.match_id)
    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return False
    clock = clock_of(uow, pair)
    role = role_in(pair, person)
    coordinators.heard_from(uow, person, pair)
    current = open_checkin(uow.session, pair.id)
    decision = checkin.answered(
        year_of(pair, clock, current),
        role,
        said,
        uow.now,
        met_on=met_on,
        is_open=current is not None and current.id == row.id,
        partner_met_on=partner_met_on(uow.session, row, role) if said is Answer.MET else None,
        month_only=month_only,
    )
    setattr(row, f"{role}_answer", str(said))
    _store(clock, decision.year)
    if decision.meeting_on is not None:
        meeting = Meeting(
            match_id=pair.id,
            reported_by=str(role),
            met_on=decision.meeting_on,
            reported_at=uow.now,
            checkin_id=row.id,
        )
        insert_row(uow.session, meeting)  # one prepared INSERT, no flush
        from mentormail.service import fit

        fit.first_meeting(clock, uow.now)
    # the answer and the clock in a prepared UPDATE each, before the effects (not by a flush)
    write_changes(uow.session, row, ANSWER_COLUMNS)
    write_changes(uow.session, clock, CLOCK_COLUMNS)
    subject = checkin_subject(pair, row, ideas_of(pair.mentor.program).get(row.tip, ""), cause)
    subject.reply_text = words
    subject.person = person
    subject.values["met_on"] = decision.meeting_on
    subject.values["met_on_given"] = decision.day_given and not month_only
    subject.values["met_in"] = decision.meeting_on if decision.day_given and month_only else None
    found = decision.effects
    effects.apply(
        uow, subject, tuple(e for e in found if not isinstance(e, SendEmail)) if quietly else found
    )
    return True


def partner_met_on(session: Session, row: CheckIn, role: Role) -> date | None:
    """The day the partner said they met, answering this same check-in (None if they didn't)."""
    found = _PARTNER_MET_ON.first_in(session, {"checkin_id": row.id, "role": str(role)})
    return found[0] if found is not None else None


_PARTNER_MET_ON = PreparedRead(  # prepared once: every MET answer asks it
    select(Meeting.met_on)
    .where(Meeting.checkin_id == bindparam("checkin_id"), Meeting.reported_by != bindparam("role"))
    .limit(1)
)


ANSWER_COLUMNS = ("mentor_answer", "mentee_answer")  # what an answer sets on its check-in
CLOCK_COLUMNS = tuple(c.key for c in MatchClock.__table__.columns if c.key != "match_id")


def did_you_mean(uow: Unit, person: Participant, row: CheckIn, words: str, cause: str) -> None:
    """An unclear answer never acts: ask which of the three was meant, with links."""
    pair = uow.session.get_one(Match, row.match_id)
    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return
    role = role_in(pair, person)
    coordinators.heard_from(uow, person, pair)  # unclear, but not silent
    answer = f"{role}_answer"
    setattr(row, answer, checkin.heard_from(getattr(row, answer)))
    subject = checkin_subject(pair, row, "", cause)
    subject.reply_text = words
    effects.apply(uow, subject, checkin.unclear(role))


def heard(uow: Unit, person: Participant, row: CheckIn) -> None:
    """A reply to a check-in that a person must read (a question) is no answer, but it is not
    silence: no nudge later says "we haven't heard back" to someone who wrote."""
    pair = uow.session.get_one(Match, row.match_id)
    coordinators.heard_from(uow, person, pair)
    answer = f"{role_in(pair, person)}_answer"
    setattr(row, answer, checkin.heard_from(getattr(row, answer)))


DUE = (("checkins", checkins_due, checkin_due),)  # rows of the sweep's DUE table


def meeting_counts(
    session: Session, match_ids: list[int], period: tuple[date, date] | None = None
) -> dict[int, tuple[int, Any]]:
    """Per match: the days the pair met (both sides reporting one day is one meeting) and the
    latest, in the period when one is given; ``matches`` and ``report`` both count so."""
    from sqlalchemy import func

    query = select(
        Meeting.match_id, func.count(func.distinct(Meeting.met_on)), func.max(Meeting.met_on)
    ).where(Meeting.match_id.in_(match_ids))
    if period is not None:
        query = query.where(Meeting.met_on.between(*period))
    rows = session.execute(query.group_by(Meeting.match_id))
    return {match_id: (int(count), latest) for match_id, count, latest in rows}


def end_for_silence(uow: Unit, person: Participant, pair: Match, cause: str) -> bool:
    """The partner of a silent person ends the match (reason unresponsive); False if over."""
    from mentormail.service import matches
    from mentormail.workflows.match import EndReason

    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return False
    role = role_in(pair, person)
    if role is Role.MENTEE:  # before the ending's email, which tells the mentor so
        availability.change(uow, pair.mentor, availability_rules.WentSilent(), f"silent{pair.id}")
    matches.end(uow, pair, EndReason.UNRESPONSIVE, role)
    subject = effects.match_subject(pair, "checkin")
    policy = policy_of(pair.mentor.program)
    effects.apply(uow, subject, checkin.ended_for_silence(role, uow.now, policy))
    return True
