"""Check-ins at the program's cadence, and the unresponsive ladder.

every ``checkin_every_days``:
  pair met within the last half-cadence ──▶ no check-in (they are meeting); look again later
  otherwise ──▶ each is asked "Have you met since <date>? MET, NOT YET or HELP", with a tip
the previous check-in closes then; whoever did not answer has missed one more in a row:
  two in a row ──▶ a personal nudge instead of the plain check-in
  three in a row ──▶ the partner is asked whether to go on (END ends it); coordinators told
  once either has answered the wrap-up question, the ladder is over: plain check-ins only
answers: MET logs a meeting (its date when given) · NOT YET gets a friendly suggestion ·
  HELP goes to the coordinators at once with the words
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from mentormail.workflows.digest_items import SILENT_IN_PAIR
from mentormail.workflows.effects import Effect, FlagForCoordinator, Role, SendEmail
from mentormail.workflows.ending import END_ACTION
from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.policy import ProgramPolicy, term_has_time

SIDES = (Role.MENTOR, Role.MENTEE)
NUDGE_AFTER = 2  # missed check-ins in a row before a personal nudge
ASK_PARTNER_AFTER = 3  # ... before the partner is asked whether to go on
ANSWER_LINKS = ("met", "not_yet", "help")
CHECKIN_LINKS = (*ANSWER_LINKS, END_ACTION)  # every check-in also offers to end
LADDER_ACTION = "end_silent"  # the partner of a silent person ends for want of an answer


class Answer(StrEnum):
    """What a person answered to "have you met?"."""

    MET = "met"
    NOT_YET = "not_yet"
    HELP = "help"


@dataclass(frozen=True)
class PairYear:
    """What the check-in rules know about a pair."""

    started_at: datetime
    ends_on: date
    checkins_sent: int = 0
    last_checkin_at: datetime | None = None
    open_answers: dict[Role, str | None] | None = None  # the open check-in's answers, if any
    missed: dict[Role, int] | None = None
    last_met_at: datetime | None = None
    last_met_month_only: bool = False  # that meeting was given by its month alone
    tips_used: tuple[str, ...] = ()
    wrapup_answered: bool = False  # either side answered CONTINUE or END: the end is in hand

    def missed_by(self, role: Role) -> int:
        """Check-ins this side missed in a row."""
        return (self.missed or {}).get(role, 0)


@dataclass(frozen=True)
class CheckinDecision:
    """The pair's new year, the check-in to open (its tip; None: none sent), what to do."""

    year: PairYear
    next_at: datetime | None
    opened: bool
    tip: str
    effects: tuple[Effect, ...]
    since: date | None = None  # the day the opened check-in asks about ("met since …?")
    since_meeting: bool = False  # whether that day is the last meeting the pair told us of
    since_month_only: bool = False  # and that meeting was given by its month alone


def first_checkin_at(started_at: datetime, policy: ProgramPolicy) -> datetime:
    """When a new pair's first check-in is due."""
    return started_at + timedelta(days=policy.checkin_every_days)


def pick_tip(library: tuple[str, ...], used: tuple[str, ...]) -> str:
    """The first idea this pair has not had yet ("" when they have had them all)."""
    return next((key for key in library if key not in used), "")


STILL_APART_AFTER = 2  # check-ins: from the second without a meeting, "busy weeks" is not it


def never_met_after_checkins(year: PairYear) -> bool:
    """Whether the pair has logged no meeting after ``STILL_APART_AFTER`` check-ins: a NOT YET
    then hears how a coordinator can help, not the same cheerful idea again."""
    return year.last_met_at is None and year.checkins_sent >= STILL_APART_AFTER


def met_recently(year: PairYear, now: datetime, policy: ProgramPolicy) -> bool:
    """Whether the pair reported a meeting within the last half-cadence."""
    half = timedelta(days=policy.checkin_every_days / 2)
    return year.last_met_at is not None and now - year.last_met_at < half


class AskedSince(NamedTuple):
    """The day a check-in asks about, and whether it is a meeting (known by its month alone)."""

    day: date
    meeting: bool
    month_only: bool


def asked_since(year: PairYear) -> AskedSince:
    """The day a new check-in asks about: the latest of the pair's start, the check-in before
    and the last meeting they told us of (asking "since 1 November?" of a pair who said they
    met on the 3rd asks what we know); and whether that day is the meeting."""
    asked = max(year.started_at, year.last_checkin_at or year.started_at).date()
    met = year.last_met_at.date() if year.last_met_at is not None else None
    if met is not None and met > asked:
        return AskedSince(met, True, year.last_met_month_only)
    return AskedSince(asked, False, False)


def checkin_due(
    year: PairYear, now: datetime, policy: ProgramPolicy, library: tuple[str, ...]
) -> CheckinDecision:
    """The cadence came round: close the open check-in, then ask, skip, nudge or escalate."""
    if now.date() > year.ends_on:
        return CheckinDecision(year, None, False, "", ())
    next_at = now + timedelta(days=policy.checkin_every_days)
    if met_recently(year, now, policy):
        closed = replace(year, open_answers=None, missed={Role.MENTOR: 0, Role.MENTEE: 0})
        return CheckinDecision(closed, next_at, False, "", ())
    missed = _count_missed(year)
    number = year.checkins_sent + 1
    tip = pick_tip(library, year.tips_used)
    effects: list[Effect] = []
    silent = [] if year.wrapup_answered else [r for r in SIDES if missed[r] >= ASK_PARTNER_AFTER]
    for role in SIDES:
        template = "checkin" if year.wrapup_answered else _ladder_step(role, missed)
        effects.append(
            SendEmail(template, role, f"checkin-{number}", with_actions=_links(template))
        )
    for role in silent:
        if missed[role] == ASK_PARTNER_AFTER:
            effects.append(FlagForCoordinator(silence_reason(role), about=role))
    new_year = replace(
        year,
        checkins_sent=number,
        last_checkin_at=now,
        open_answers={Role.MENTOR: None, Role.MENTEE: None},
        missed=missed,
        tips_used=(*year.tips_used, tip) if tip else year.tips_used,
    )
    since = asked_since(year)
    return CheckinDecision(
        new_year, next_at, True, tip, tuple(effects), since.day, since.meeting, since.month_only
    )


def _ladder_step(role: Role, missed: dict[Role, int]) -> str:
    """The check-in a side gets on the unresponsive ladder: plain, a nudge, or the partner's
    question whether to go on."""
    if missed[_other(role)] == ASK_PARTNER_AFTER and missed[role] < ASK_PARTNER_AFTER:
        return "checkin_partner_silent"
    return "checkin_nudge" if missed[role] == NUDGE_AFTER else "checkin"


def wrote_about_the_pair(year: PairYear, role: Role) -> PairYear:
    """An answer to a question that supersedes the check-in (the wrap-up) is word from that
    side: no check-in missed before it counts against them."""
    return replace(year, missed={**{r: year.missed_by(r) for r in SIDES}, role: 0})


def silence_reason(role: Role) -> str:
    """The coordinators' item when one side has not answered check-ins in a row."""
    return f"the {role} has not answered {ASK_PARTNER_AFTER} {SILENT_IN_PAIR}"


def _links(template: str) -> tuple[str, ...]:
    """The one-time links an email of the check-in offers."""
    if template == "checkin_partner_silent":
        return (LADDER_ACTION,)
    return CHECKIN_LINKS


def _count_missed(year: PairYear) -> dict[Role, int]:
    """Each side's misses in a row, counting the open check-in as missed if unanswered."""
    if year.open_answers is None:
        return {role: year.missed_by(role) for role in SIDES}
    return {role: 0 if year.open_answers.get(role) else year.missed_by(role) + 1 for role in SIDES}


def _other(role: Role) -> Role:
    """The partner's side."""
    return Role.MENTEE if role is Role.MENTOR else Role.MENTOR


@dataclass(frozen=True)
class AnswerDecision:
    """What an answer to a check-in changes: the year, a meeting to log, what to do."""

    year: PairYear
    meeting_on: date | None
    effects: tuple[Effect, ...]
    day_given: bool = False  # the meeting's day is the one the person named, not today


def answered(
    year: PairYear,
    role: Role,
    answer: Answer,
    now: datetime,
    met_on: date | None = None,
    is_open: bool = True,
    partner_met_on: date | None = None,
    month_only: bool = False,
) -> AnswerDecision:
    """MET logs a meeting, NOT YET gets a suggestion, HELP reaches the coordinators at once.

    An answer to an older check-in (``is_open`` False) still counts for the one it answers.
    MET naming no day, to a check-in the partner said they met on ``partner_met_on``, is
    that meeting (a pair's meetings are counted by day), not one on the day of the reply.
    ``month_only``: ``met_on`` stands for a month the person named without a day.
    """
    if role not in SIDES:
        raise UnknownValue("check-in side", str(role))
    missed = {**{r: year.missed_by(r) for r in SIDES}, role: 0}
    answers = dict(year.open_answers) if year.open_answers is not None else None
    if answers is not None and is_open:
        answers[role] = str(answer)
    new_year = replace(year, missed=missed, open_answers=answers)
    if answer is Answer.MET:
        plausible = met_on is not None and year.started_at.date() <= met_on <= now.date()
        day = met_on if met_on is not None and plausible else (partner_met_on or now.date())
        met_at = datetime.combine(day, now.time())
        new_year = _met_latest(new_year, met_at, plausible and month_only)
        effects = (SendEmail("met_logged", role, "met"),)
        return AnswerDecision(new_year, day, effects, day_given=plausible)
    if answer is Answer.NOT_YET:
        template = "not_yet_still" if never_met_after_checkins(year) else "not_yet_suggestion"
        return AnswerDecision(
            new_year, None, (SendEmail(template, role, "not-yet", with_actions=("met",)),)
        )
    if answer is Answer.HELP:
        return AnswerDecision(
            new_year,
            None,
            (
                FlagForCoordinator(f"HELP from {role}", urgent=True, about=role),
                SendEmail("help_passed_on", role, "help"),
            ),
        )
    raise UnknownValue("check-in answer", str(answer))


def _met_latest(year: PairYear, met_at: datetime, month_only: bool) -> PairYear:
    """The year with its last meeting the later of the one known and this one (a day named
    for the same day wins over a month alone)."""
    known = year.last_met_at
    if known is not None and known.date() > met_at.date():
        return year
    if known is not None and known.date() == met_at.date():
        month_only = month_only and year.last_met_month_only
        met_at = max(known, met_at)
    return replace(year, last_met_at=met_at, last_met_month_only=month_only)


UNCLEAR = "unclear"  # the open check-in's answer of someone whose reply was unclear


def heard_from(answer: str | None) -> str:
    """An unclear reply is no answer, but it is not silence either: the ladder counts no
    miss for it ("we haven't heard back" went to someone who had replied "Hmm, sort of")."""
    return answer or UNCLEAR


def unclear(role: Role) -> tuple[Effect, ...]:
    """An unclear answer never acts: ask which of the three was meant, with links."""
    return (SendEmail("checkin_did_you_mean", role, "unclear", with_actions=ANSWER_LINKS),)


def ended_for_silence(role: Role, now: datetime, policy: ProgramPolicy) -> tuple[Effect, ...]:
    """The partner chose to end after three silent check-ins: they hear it is done (a mentee
    with other mentors to ask, while the term has time)."""
    offer = role is Role.MENTEE and term_has_time(now, policy)
    return (SendEmail("unresponsive_ended", role, "ended-unresponsive", with_alternatives=offer),)
