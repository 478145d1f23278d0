"""Whether a mentee may ask a given mentor now, and what to tell them if not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mentormail.workflows.policy import ProgramPolicy


class AskOutcome(StrEnum):
    """The answer to "may this mentee ask this mentor?"."""

    ALLOWED = "allowed"
    TERM_ENDED = "term_ended"  # no request starts after the term's end
    COORDINATORS_PAIR = "coordinators_pair"  # a list sent before the program switched to it
    ALREADY_PENDING = "already_pending"  # one request at a time
    ALREADY_MATCHED = "already_matched"
    ALREADY_ASKED_THIS_MENTOR = "already_asked_this_mentor"
    MENTOR_UNAVAILABLE = "mentor_unavailable"  # full, paused or gone since the list was sent


@dataclass(frozen=True)
class MenteeView:
    """What the rules need to know about the mentee."""

    pending_requests: int
    active_matches: int
    mentors_asked_before: frozenset[int]


@dataclass(frozen=True)
class MentorView:
    """What the rules need to know about the mentor."""

    mentor_id: int
    available: bool  # active, not paused, below capacity


def may_ask(
    mentee: MenteeView, mentor: MentorView, policy: ProgramPolicy, today: date
) -> AskOutcome:
    """Decide whether the mentee's request goes to the mentor."""
    if today > policy.term_end:
        return AskOutcome.TERM_ENDED
    if not policy.mentees_search:
        return AskOutcome.COORDINATORS_PAIR
    if mentee.active_matches >= policy.max_matches_per_mentee:
        return AskOutcome.ALREADY_MATCHED
    if mentee.pending_requests >= policy.max_pending_per_mentee:
        return AskOutcome.ALREADY_PENDING
    if mentor.mentor_id in mentee.mentors_asked_before:
        return AskOutcome.ALREADY_ASKED_THIS_MENTOR
    if not mentor.available:
        return AskOutcome.MENTOR_UNAVAILABLE
    return AskOutcome.ALLOWED


def template_for(outcome: AskOutcome) -> str:
    """The email that explains a refused request to the mentee."""
    return f"ask_refused_{outcome.value}"
