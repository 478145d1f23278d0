"""Feedback from both sides: an early pulse (``survey_pulse_days`` after the introduction;
0: none) and a midpoint survey (``survey_midpoint``, at the middle of the term, with its due
date in the subject and one reminder). A 1-5 rating and any comment, by reply or link.

due ──▶ both asked "how is it going? 1-5" ──(midpoint: a week on, whoever has not answered)──▶
        one reminder
answer ──▶ recorded; thanks · a score of 2 or less, or a comment asking for help ──▶ the
           coordinators at once, with the words
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mentormail.workflows.effects import Effect, FlagForCoordinator, Role, SendEmail
from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.policy import ProgramPolicy

ANSWER_DAYS = 14  # the midpoint survey's due date, after it goes out
REMIND_AFTER_DAYS = 7  # its one reminder
LOW_SCORE = 2  # this or less reaches the coordinators at once
SIDES = (Role.MENTOR, Role.MENTEE)


class Survey(StrEnum):
    """Which survey."""

    PULSE = "pulse"
    MIDPOINT = "midpoint"


def rating_links(survey: Survey) -> tuple[str, ...]:
    """The five one-time links of a survey email (``pulse_1`` … ``midpoint_5``)."""
    return tuple(f"{survey}_{n}" for n in range(1, 6))


def schedule(
    started_at: datetime, ends_on: date, policy: ProgramPolicy
) -> tuple[datetime | None, datetime | None]:
    """When a new pair's pulse and midpoint surveys are due (None: not for this pair)."""
    pulse = None
    if policy.survey_pulse_days:
        pulse = started_at + timedelta(days=policy.survey_pulse_days)
        pulse = pulse if pulse.date() <= ends_on else None
    midpoint = None
    if policy.survey_midpoint:
        middle = policy.term_start + (policy.term_end - policy.term_start) / 2
        at = datetime.combine(middle, started_at.time())
        midpoint = at if at > started_at else None  # a pair matched after it is not asked
    return pulse, midpoint


@dataclass(frozen=True)
class SurveyDecision:
    """The emails, and when the reminder is due (None: no reminder)."""

    remind_at: datetime | None
    effects: tuple[Effect, ...]


def due(survey: Survey, now: datetime) -> SurveyDecision:
    """Ask both; the midpoint survey has a due date and one reminder."""
    effects = tuple(
        SendEmail("survey", role, f"survey-{survey}", with_actions=rating_links(survey))
        for role in SIDES
    )
    remind = now + timedelta(days=REMIND_AFTER_DAYS) if survey is Survey.MIDPOINT else None
    return SurveyDecision(remind, effects)


def answer_by(sent_at: datetime) -> date:
    """The midpoint survey's due date."""
    return (sent_at + timedelta(days=ANSWER_DAYS)).date()


def reminder(answered: dict[Role, bool], sent_at: datetime, now: datetime) -> tuple[Effect, ...]:
    """The one reminder, to whoever has not answered the midpoint survey (none once its due
    date has come: a late sweep never asks for an answer by a day gone by)."""
    if now.date() >= answer_by(sent_at):
        return ()
    links = rating_links(Survey.MIDPOINT)
    return tuple(
        SendEmail("survey_reminder", role, "survey-midpoint-reminder", with_actions=links)
        for role in SIDES
        if not answered.get(role)
    )


def answered(role: Role, value: int, asks_for_help: bool) -> tuple[Effect, ...]:
    """Thank them; a low score or a call for help goes to the coordinators at once."""
    if role not in SIDES:
        raise UnknownValue("survey side", str(role))
    if not 1 <= value <= 5:
        raise UnknownValue("survey rating", str(value))
    effects: list[Effect] = []
    if value <= LOW_SCORE or asks_for_help:
        why = (
            f"rated the mentorship {value} of 5"
            if value <= LOW_SCORE
            else "asks for help in a survey"
        )
        effects.append(FlagForCoordinator(f"the {role} {why}", urgent=True, about=role))
    effects.append(SendEmail("survey_thanks", role, "thanks"))
    return tuple(effects)


def score_of(rating: int | None, clear: bool, story_for_a_person: bool) -> int | None:
    """The score a survey reply gives, or None (asked about): a clear rating, or a low one whose
    words the reader hands to a person ("un 2, la verdad. … no sé qué hacer"): its number was
    read, only its story needs someone, and a low score reaches the coordinators at once."""
    if rating is None or not 1 <= rating <= 5:
        return None
    if clear or (story_for_a_person and rating <= LOW_SCORE):
        return rating
    return None


def unclear(role: Role, survey: Survey) -> tuple[Effect, ...]:
    """A reply without a clear 1-5 never records a score: ask again, with the links."""
    return (SendEmail("survey_did_you_mean", role, "unclear", with_actions=rating_links(survey)),)
