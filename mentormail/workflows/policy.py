"""A program's policy: the numbers its rules are made of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class ProgramPolicy:
    """What a program decided: how long mentors have to answer, how many mentees, the term."""

    term_start: date
    term_end: date
    response_days: int = 10
    more_time_days: int = 7  # a mentor asking for time to think may have this much more
    default_capacity: int = 2
    max_results: int = 5  # mentors offered per search
    contact_every_days: int = 30  # suggested contact: monthly
    max_pending_per_mentee: int = 1  # a mentee asks one mentor at a time
    max_matches_per_mentee: int = 1
    mentees_search: bool = True  # False where coordinators make every pair (matching: coordinator)
    # --- the year on the clock ---
    checkin_every_days: int = 30  # a check-in each month
    fit_check_days: int = 30  # "is this a good fit?" after the first meeting, or this long
    survey_midpoint: bool = True  # a survey at the middle of the term
    survey_pulse_days: int = 30  # an early pulse survey this long after the match; 0: none
    meeting_ideas: tuple[str, ...] = ()  # the program's own ideas, added to the library
    # --- the agreement and the end of term ---
    agreement: bool = False  # the pair writes a Mentoring Agreement after the introduction
    agreement_remind_days: int = 14  # the mentee is reminded when nothing is drafted by then
    wrapup_days_before_end: int = 21  # both are asked CONTINUE or END this long before the end
    continue_open: bool = False  # a continued match has no end (``continue: open``)
    next_term_end: date | None = None  # where a continued match ends, when the file says
    unmatched_alert_days: int = 14  # a mentee this long without a mentor reaches the digest
    urgent_chase_days: int = 2  # an urgent item still open this long is emailed again; 0: not


SHORT_MENTORSHIP_DAYS = 30  # days: less than this from start to end is a conversation or two


YEAR_SHARE = 2 / 3  # of the term: a pair together this long (or more) has had "the year"


def time_together(start: date, ends_on: date | None, term_start: date, term_end: date) -> str:
    """What a pair's time together is, for the words of its end: "short" (a conversation or
    two), "year" (most of the term, or more), else "months" (a pair who began in February
    has had months, not "a good year")."""
    if short_mentorship(start, ends_on):
        return "short"
    if ends_on is None:
        return "year"
    term_days = max((term_end - term_start).days, 1)
    return "year" if (ends_on - start).days >= term_days * YEAR_SHARE else "months"


def short_mentorship(start: date, ends_on: date | None) -> bool:
    """Whether a mentorship from ``start`` to ``ends_on`` is too short for a year's goals and
    monthly meetings (a mentor who says yes in the year's last weeks): the emails say so."""
    return ends_on is not None and (ends_on - start).days < SHORT_MENTORSHIP_DAYS


def term_has_time(now: datetime, policy: ProgramPolicy) -> bool:
    """Whether a request made now could still be answered in the term: its answer is due (in
    ``response_days``) no later than the term's last day. The one rule for offering a mentee
    who lost a mentor others to ask."""
    return (now + timedelta(days=policy.response_days)).date() <= policy.term_end


def answer_by(now: datetime, policy: ProgramPolicy) -> datetime:
    """When a request or proposal made now must be answered: ``response_days`` on, but never
    past the term's last day (a request of 28 June gave "by 8 July" for a term ending 30 June)."""
    due = now + timedelta(days=policy.response_days)
    last_day = datetime.combine(policy.term_end, time(23, 59))
    return max(now, min(due, last_day))
