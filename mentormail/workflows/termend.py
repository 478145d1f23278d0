"""The term ends well: before a match's end both are asked CONTINUE or END; both continuing
extends it; otherwise at the end the conclusion asks each what was achieved and what comes next.

RUNNING ──wrap-up due──▶ ASKED ──both continue──▶ RUNNING (until the next end) | OPEN (no end)
ASKED ──term end due──▶ CONCLUDING (the match ends: term_end) ──both answered──▶ CONCLUDED
RUNNING | ASKED ──ended early──▶ CLOSED    (found by the sweep when its day comes)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from mentormail.workflows.effects import Effect, EndMatch, ExtendMatch, Role, SendEmail
from mentormail.workflows.match import EndReason
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.table import handler_for

MORNING = time(9, 0)  # scheduled term mail goes out in the morning
ACTIONS = ("wrapup_continue", "wrapup_end")
AGAIN_ACTIONS = ("mentor_again_yes", "mentor_again_no")


class Stage(StrEnum):
    """Where a match stands with its end of term."""

    RUNNING = "running"  # the wrap-up question is due before the end
    ASKED = "asked"  # both asked CONTINUE or END; the end is due
    OPEN = "open"  # continued with no end date
    CONCLUDING = "concluding"  # ended at the term's end; each asked what was achieved
    CONCLUDED = "concluded"  # both answered
    CLOSED = "closed"  # the match ended before its end of term: nothing more is asked


@dataclass(frozen=True)
class Term:
    """A match's end of term: when it ends, what each side said."""

    stage: Stage
    ends_on: date
    mentor_continues: bool | None = None
    mentee_continues: bool | None = None
    mentor_concluded: bool = False
    mentee_concluded: bool = False


@dataclass(frozen=True)
class WrapupDue:
    """The wrap-up question's day has come."""


@dataclass(frozen=True)
class TermEndDue:
    """The match's end has come."""


@dataclass(frozen=True)
class Answered:
    """One side answered the wrap-up question: go on (CONTINUE) or not (END)."""

    side: Role
    goes_on: bool


@dataclass(frozen=True)
class Concluded:
    """One side said what was achieved (and, for the mentee, what comes next)."""

    side: Role


@dataclass(frozen=True)
class EndedEarly:
    """The match ended another way (an ending, a departure) before its end of term."""


TermEvent = WrapupDue | TermEndDue | Answered | Concluded | EndedEarly


@dataclass(frozen=True)
class TermDecision:
    """The new state, when the sweep should look again (None: never), and what must happen."""

    term: Term
    due_at: datetime | None
    effects: tuple[Effect, ...]


Handler = Callable[[Term, TermEvent, datetime, ProgramPolicy], TermDecision]


def wrapup_at(ends_on: date, policy: ProgramPolicy) -> datetime:
    """When the wrap-up question goes: ``wrapup_days_before_end`` before the end, mornings."""
    return datetime.combine(ends_on - timedelta(days=policy.wrapup_days_before_end), MORNING)


def end_at(ends_on: date) -> datetime:
    """When the conclusion goes: the morning after the last day."""
    return datetime.combine(ends_on + timedelta(days=1), MORNING)


def schedule(ends_on: date, policy: ProgramPolicy) -> TermDecision:
    """A new match: the wrap-up question is due before its end."""
    return TermDecision(Term(Stage.RUNNING, ends_on), wrapup_at(ends_on, policy), ())


def wrapup_answered(term: Term) -> bool:
    """Whether either side has answered the wrap-up question of this end (CONTINUE or END)."""
    said = (term.mentor_continues, term.mentee_continues)
    return term.stage is Stage.ASKED and any(answer is not None for answer in said)


def due_event(term: Term, now: datetime) -> TermEvent:
    """What a due term row means now: its end if that has come, else the wrap-up question."""
    return TermEndDue() if now >= end_at(term.ends_on) else WrapupDue()


def next_end(ends_on: date, policy: ProgramPolicy) -> date | None:
    """Where a continued match ends: open (None), the next term's end, or a year on."""
    if policy.continue_open:
        return None
    if policy.next_term_end is not None and policy.next_term_end > ends_on:
        return policy.next_term_end
    try:
        return ends_on.replace(year=ends_on.year + 1)
    except ValueError:  # 29 February
        return ends_on + timedelta(days=365)


def _both(template: str, step: str, actions: tuple[str, ...] = ()) -> tuple[Effect, ...]:
    """The same email to each side."""
    return (
        SendEmail(template, Role.MENTOR, step, with_actions=actions),
        SendEmail(template, Role.MENTEE, step, with_actions=actions),
    )


def _ask(term: Term, event: TermEvent, now: datetime, policy: ProgramPolicy) -> TermDecision:
    """Ask both: continue past the end, or end there?"""
    asked = replace(term, stage=Stage.ASKED, mentor_continues=None, mentee_continues=None)
    step = f"wrapup-{term.ends_on}"
    return TermDecision(asked, end_at(term.ends_on), _both("wrapup_question", step, ACTIONS))


def _answer(term: Term, event: TermEvent, now: datetime, policy: ProgramPolicy) -> TermDecision:
    """Keep one side's answer; when both go on, the match is extended."""
    assert isinstance(event, Answered)
    if event.side is Role.MENTOR:
        answered = replace(term, mentor_continues=event.goes_on)
    else:
        answered = replace(term, mentee_continues=event.goes_on)
    if answered.mentor_continues and answered.mentee_continues:
        return _extend(answered, policy)
    other = Role.MENTEE if event.side is Role.MENTOR else Role.MENTOR
    partner = answered.mentee_continues if event.side is Role.MENTOR else answered.mentor_continues
    to = event.side if event.goes_on else other
    outcome = SendEmail("wrapup_outcome", to, f"outcome-{term.ends_on}")
    if event.goes_on and partner is False:  # the partner said END already: the outcome, at once
        return TermDecision(answered, end_at(term.ends_on), (outcome,))
    step = f"noted-{term.ends_on}-{'continue' if event.goes_on else 'end'}"
    noted = SendEmail("wrapup_noted", event.side, step)
    # one who chose to continue was told "if … would like to as well": now they hear it ends
    told = (outcome,) if not event.goes_on and partner else ()
    return TermDecision(answered, end_at(term.ends_on), (noted, *told))


def _extend(term: Term, policy: ProgramPolicy) -> TermDecision:
    """Both go on: to the next end (asked again before it), or open-ended."""
    until = next_end(term.ends_on, policy)
    emails = _both("match_extended", f"extended-{term.ends_on}")
    if until is None:
        return TermDecision(replace(term, stage=Stage.OPEN), None, (ExtendMatch(None), *emails))
    going_on = Term(Stage.RUNNING, until)
    return TermDecision(going_on, wrapup_at(until, policy), (ExtendMatch(until), *emails))


def _conclude(term: Term, event: TermEvent, now: datetime, policy: ProgramPolicy) -> TermDecision:
    """The end has come without both continuing: the match ends; each is asked how it went."""
    step = f"conclusion-{term.ends_on}"
    effects: tuple[Effect, ...] = (
        EndMatch(str(EndReason.TERM_END), Role.COORDINATOR),
        SendEmail("conclusion_question", Role.MENTOR, step, with_actions=AGAIN_ACTIONS),
        SendEmail("conclusion_question", Role.MENTEE, step),
    )
    return TermDecision(replace(term, stage=Stage.CONCLUDING), None, effects)


def _concluded(term: Term, event: TermEvent, now: datetime, policy: ProgramPolicy) -> TermDecision:
    """One side's answer: copied to the coordinators, thanked; both in: concluded."""
    assert isinstance(event, Concluded)
    if event.side is Role.MENTOR:
        answered = replace(term, mentor_concluded=True)
    else:
        answered = replace(term, mentee_concluded=True)
    if answered.mentor_concluded and answered.mentee_concluded:
        answered = replace(answered, stage=Stage.CONCLUDED)
    effects: tuple[Effect, ...] = (
        SendEmail("conclusion_to_coordinators", Role.COORDINATOR, f"outcome-{event.side}"),
        SendEmail("conclusion_thanks", event.side, "thanks"),
    )
    return TermDecision(answered, None, effects)


def _close(term: Term, event: TermEvent, now: datetime, policy: ProgramPolicy) -> TermDecision:
    """Nothing is asked of a pair that has ended already."""
    return TermDecision(replace(term, stage=Stage.CLOSED), None, ())


S = Stage
TRANSITIONS: dict[tuple[Stage, type], Handler] = {
    (S.RUNNING, WrapupDue): _ask,
    (S.RUNNING, TermEndDue): _conclude,  # matched too late for the question
    (S.ASKED, Answered): _answer,
    (S.ASKED, TermEndDue): _conclude,
    (S.CONCLUDING, Concluded): _concluded,
    (S.CONCLUDED, Concluded): _concluded,  # a second word from one side: kept, copied again
    (S.RUNNING, EndedEarly): _close,
    (S.ASKED, EndedEarly): _close,
}


def decide(term: Term, event: TermEvent, now: datetime, policy: ProgramPolicy) -> TermDecision:
    """Apply an event to a match's end of term; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "term end", term.stage, event)
    return handler(term, event, now, policy)


# --- reading the conclusion ---------------------------------------------------------------------

_NEXT = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(?:next(?:\s+(?:career\s+)?steps?)?|what'?s\s+next|what\s+comes\s+next|"
    r"after\s+this|going\s+forward|"
    r"(?:pr[óo]ximos|siguientes)\s+pas(?:os|sos)|prochaines?\s+[ée]tapes?|la\s+suite|"
    r"n[äa]chste\s+schritte|als\s+n[äa]chstes)(?!\w)\W*|^\W*(?:下一步|接下来)[:：\s]*",
    re.IGNORECASE | re.MULTILINE,
)
_ACHIEVED = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(?:(?:achieved|what\s+(?:we|i)\s+achieved|achievements?)\b\W*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Outcome:
    """What one side said at the end: what was achieved, and what comes next."""

    achieved: str
    next_steps: str


def read_conclusion(text: str) -> Outcome:
    """Split a conclusion reply at a "Next steps:" line (or "What's next", "Next:"); what
    comes before is what was achieved. With no such line it is all about what was achieved."""
    found = _NEXT.search(text)
    before, after = (text[: found.start()], text[found.end() :]) if found else (text, "")
    achieved = _ACHIEVED.sub("", before.strip(), count=1).strip()
    return Outcome(achieved, after.strip())
