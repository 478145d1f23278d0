"""The survey shell: send the pulse and midpoint surveys when due (and the midpoint's one
reminder), and record each 1-5 rating and comment (table ``ratings``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, select

from mentormail.service import checkins, coordinators, effects, ending, spacing
from mentormail.service.context import Unit
from mentormail.service.db import insert_row
from mentormail.service.effects import Subject
from mentormail.service.models import Match, MatchClock, Participant, Rating
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import survey
from mentormail.workflows.effects import Role
from mentormail.workflows.match import MatchState
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.spacing import Question
from mentormail.workflows.survey import Survey


def schedule_new(clock: MatchClock, pair: Match, policy: ProgramPolicy) -> None:
    """A new pair: when its pulse and midpoint surveys are due."""
    clock.pulse_due_at, clock.midpoint_due_at = survey.schedule(
        pair.started_at, pair.ends_on, policy
    )


def survey_subject(pair: Match, kind: Survey, sent_at: datetime, cause: str = "") -> Subject:
    """What a survey's emails are about: the pair and the survey; links name both."""
    answer_by = survey.answer_by(sent_at) if kind is Survey.MIDPOINT else None
    return _subject(pair, kind, answer_by, cause)


def _subject(pair: Match, kind: Survey, answer_by: date | None, cause: str) -> Subject:
    """The survey's subject with its answer-by date (shown, and kept in the reply token)."""
    return effects.match_subject(
        pair,
        "survey",
        cause,
        values={"survey": str(kind), "answer_by": answer_by},
        link_for=lambda action, to: LinkSpec(
            action, to.id, target_id=pair.id, group_key=f"survey:{pair.id}:{kind}:{to.id}"
        ),
        reply_payload={
            "survey": str(kind),
            "match_id": pair.id,
            **({"answer_by": answer_by.isoformat()} if answer_by else {}),
        },
    )


def _locked(uow: Unit, match_id: int) -> tuple[Match, MatchClock] | None:
    """The pair and its clock (locked), or None when the pair has ended."""
    pair = uow.session.get_one(Match, match_id)
    if pair.state != MatchState.ACTIVE:
        return None
    return pair, checkins.clock_of(uow, pair)


def _send(uow: Unit, match_id: int, kind: Survey) -> None:
    """One survey, to both, once; the midpoint's reminder is scheduled."""
    found = _locked(uow, match_id)
    due_column = f"{kind}_due_at"
    due_at = getattr(found[1], due_column) if found else None
    if found is None or due_at is None or due_at > uow.now:
        return
    pair, clock = found
    if not spacing.may_ask(uow, pair, clock, Question(str(kind))):
        return  # the pair was asked something a moment ago: it waits
    setattr(clock, due_column, None)
    decision = survey.due(kind, uow.now)
    if kind is Survey.MIDPOINT:
        clock.midpoint_remind_at, clock.midpoint_sent_at = decision.remind_at, uow.now
    spacing.asked(clock, uow.now)
    effects.apply(uow, survey_subject(pair, kind, uow.now), decision.effects)


def send_pulse(uow: Unit, match_id: int) -> None:
    """The early pulse survey, to both."""
    _send(uow, match_id, Survey.PULSE)


def send_midpoint(uow: Unit, match_id: int) -> None:
    """The midpoint survey, to both, with its due date and (later) one reminder."""
    _send(uow, match_id, Survey.MIDPOINT)


def send_reminder(uow: Unit, match_id: int) -> None:
    """The midpoint's one reminder, to whoever has not answered."""
    found = _locked(uow, match_id)
    remind_at = found[1].midpoint_remind_at if found else None
    if found is None or remind_at is None or remind_at > uow.now:
        return
    pair, clock = found
    if clock.midpoint_sent_at is None:  # a clock from before 0015: the reminder was due a week on
        clock.midpoint_sent_at = remind_at - timedelta(days=survey.REMIND_AFTER_DAYS)
    sent_at = clock.midpoint_sent_at
    if not spacing.may_ask(uow, pair, clock, Question.MIDPOINT_REMINDER):
        return  # the pair was asked something a moment ago: it waits
    clock.midpoint_remind_at = None
    rated = set(
        uow.session.scalars(
            select(Rating.by).where(
                Rating.match_id == pair.id,
                Rating.survey == Survey.MIDPOINT,
                Rating.value.is_not(None),  # words without a score are not an answer yet
            )
        )
    )
    answered = {role: str(role) in rated for role in survey.SIDES}
    reminders = survey.reminder(answered, sent_at, uow.now)
    if reminders:
        spacing.asked(clock, uow.now)
    effects.apply(uow, survey_subject(pair, Survey.MIDPOINT, sent_at), reminders)


def answer(
    uow: Unit,
    person: Participant,
    pair: Match,
    kind: Survey,
    value: int,
    comment: str,
    cause: str,
    *,
    asks_for_help: bool = False,
) -> bool:
    """Record a rating and its comment; a low one or a call for help reaches the
    coordinators at once. False (and a kind word) when the match has ended."""
    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return False
    role = effects.side_of(pair, person)
    coordinators.heard_from(uow, person, pair)
    row = _unscored(uow, pair, kind, role) if not comment.strip() else None
    if row is not None:  # a score for the words they wrote before (by the "which?" links)
        row.value, row.at = value, uow.now
    else:
        row = _rating_row(uow, pair, kind, role, comment)
        row.value = value
        insert_row(uow.session, row)  # one prepared INSERT, no flush
    comment = row.comment
    subject = survey_subject(pair, kind, uow.now, cause)
    subject.person = person
    subject.reply_text = comment.strip()  # their own words only: the rating is in the reason
    subject.values["rating"] = value
    subject.values["flagged"] = value <= survey.LOW_SCORE or asks_for_help
    effects.apply(uow, subject, survey.answered(role, value, asks_for_help))
    return True


def did_you_mean(
    uow: Unit,
    person: Participant,
    pair: Match,
    kind: Survey,
    words: str,
    cause: str,
    answer_by: date | None = None,
    met_on: date | None = None,
) -> None:
    """A reply without a clear 1-5 records no score: ask again, with the five links (and the
    survey's own due date, ``answer_by``, never one counted from today; ``met_on``: the
    meeting the reply told of, noted)."""
    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return
    coordinators.heard_from(uow, person, pair)  # unclear, but not silent
    subject = _subject(pair, kind, answer_by, cause)
    subject.reply_text = words
    subject.values["met_on"] = met_on
    role: Role = effects.side_of(pair, person)
    uow.session.add(_rating_row(uow, pair, kind, role, words))  # the words are kept, unscored
    effects.apply(uow, subject, survey.unclear(role, kind))


def words_waiting(uow: Unit, pair: Match, kind: Survey, person: Participant) -> bool:
    """Whether their words to this survey wait for a score (a link's score will carry them)."""
    return _unscored(uow, pair, kind, effects.side_of(pair, person)) is not None


def _rating_row(uow: Unit, pair: Match, kind: Survey, role: Role, comment: str) -> Rating:
    """A new rating of the pair (its score set by the caller, or none yet)."""
    return Rating(
        match_id=pair.id,
        survey=str(kind),
        by=str(role),
        value=None,
        comment=comment.strip()[:4000],
        at=uow.now,
    )


def _unscored(uow: Unit, pair: Match, kind: Survey, role: Role) -> Rating | None:
    """Their latest words to this survey that had no clear score yet, if any."""
    asked = {"match_id": pair.id, "survey": str(kind), "by": str(role)}
    return uow.session.scalar(_UNSCORED, asked)


_UNSCORED = (  # built once: every rating without words reads it
    select(Rating)
    .where(
        Rating.match_id == bindparam("match_id"),
        Rating.survey == bindparam("survey"),
        Rating.by == bindparam("by"),
        Rating.value.is_(None),
    )
    .order_by(Rating.id.desc())
)


DUE = (  # rows of the sweep's DUE table
    ("pulse_surveys", checkins.due_pairs(MatchClock.pulse_due_at), send_pulse),
    ("midpoint_surveys", checkins.due_pairs(MatchClock.midpoint_due_at), send_midpoint),
    ("survey_reminders", checkins.due_pairs(MatchClock.midpoint_remind_at), send_reminder),
)
