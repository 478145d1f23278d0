"""What people's mail means outside an expected answer, which answer each email expects,
and how often an automatic answer may go to one address. Pure rules, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentormail.workflows.exceptions import UnknownValue


class MailAction(StrEnum):
    """What to do with mail that answers nothing we asked."""

    SEARCH = "search"  # an unmatched mentee saying what kind of mentor they want
    FOR_PAIRING = "for_pairing"  # that wish, where coordinators make the pairs: it goes to them
    TO_COORDINATORS = "to_coordinators"  # a person must read it and answer
    URGENT = "urgent"  # someone asks for help: the coordinators are emailed at once
    NOTHING = "nothing"  # a thank-you: no answer, no work for anyone


@dataclass(frozen=True)
class GeneralMail:
    """What the rules need to know about one such message and its writer."""

    role: str  # "mentor" | "mentee"
    matched: bool
    asks_for_help: bool
    question: bool
    courtesy: bool  # only thanks and pleasantries
    has_search_words: bool
    search_finds_mentors: bool  # the words, as a search, would offer someone
    mentees_search: bool = True  # False where coordinators make every pair (matching: coordinator)


def meaning_of(mail: GeneralMail) -> MailAction:
    """Help is urgent; thanks need nothing; an unmatched mentee's wish is a search where mentees
    search (a question only when it finds someone: "I'm a bit confused… is G still free?" is for
    a person); where coordinators make the pairs, it goes to them."""
    if mail.asks_for_help:
        return MailAction.URGENT
    if mail.courtesy and not mail.question:
        return MailAction.NOTHING
    if mail.role != "mentee" or mail.matched:
        return MailAction.TO_COORDINATORS
    if not mail.mentees_search:
        return MailAction.TO_COORDINATORS if mail.question else MailAction.FOR_PAIRING
    if mail.question and mail.has_search_words and not mail.search_finds_mentors:
        return MailAction.TO_COORDINATORS
    return MailAction.SEARCH  # with no field in it, the answer asks what kind of mentor


class Limit(StrEnum):
    """Automatic answers that go to one address at most once a day (never a hand-over)."""

    UNKNOWN_SENDER = "unknown"
    HANDED_OVER = "handed_over"  # "we've passed your message on"
    TELL_US_MORE = "tell_us_more"
    CONFIRM_CHANGE = "confirm_change"  # --- security: "did you ask us to pause?" with a link
    JOIN_QUESTIONS = "join_questions"  # the application questions to a stranger


def once_a_day(now: datetime) -> str:
    """The step of a limited answer: the day, so its idempotency key lets it go once a day."""
    return f"{now:%Y-%m-%d}"


# The steps of an email that asks "did you mean…?" (or asks the wrap-up again): a reply to
# one that is still unclear goes to a person, never to another "did you mean…?", so asking
# cannot go on for ever.
ASKING_STEPS = frozenset({"unclear", "wrapup-unclear"})


# Words valid anywhere that, in an answer to these emails, are a side fact of the answer and
# not a command: "back from leave - yes, happy to mentor Emma" answers a proposal (the answer's
# handler reads it as a yes or no first; a paused mentor is available again too).
SIDE_FACTS: dict[str, frozenset[str]] = {"proposal": frozenset({"available"})}


def is_side_fact(expected: str, intent: str) -> bool:
    """Whether a word valid anywhere is, in an answer to an email expecting this, beside the
    answer (the answer's handler acts on it) rather than a command acting on its own."""
    return intent in SIDE_FACTS.get(expected, frozenset())


def asks_what_they_meant(step: str) -> bool:
    """Whether an email of this step asks the person what their last reply meant."""
    return step in ASKING_STEPS


# The context in which a reply to each email is read; None: it asks for no answer.
EXPECTS: dict[str, str | None] = {
    "request_to_mentor": "request",
    "did_you_mean": "request",
    "message_from_mentee": "request",
    "question_from_mentor": "request",
    "request_more_time": "request",  # the mentee's reply reaches the mentor
    "mentor_list": "search",
    "which_mentor": "search",
    "no_mentors_found": "search",
    "tell_us_more": "search",
    "request_declined": "search",
    "request_expired": "search",
    "request_released": "search",
    "request_undeliverable": "search",
    "ask_refused_mentor_unavailable": "search",
    "ask_refused_term_ended": None,
    "ask_refused_coordinators_pair": None,
    "ask_refused_already_pending": None,
    "ask_refused_already_matched": None,
    "ask_refused_already_asked_this_mentor": None,
    "request_sent": None,
    "intro_mentee": None,
    "intro_mentor": None,
    "decline_confirmed": None,
    "request_expired_mentor": None,
    "request_withdrawn": None,
    "request_term_ended": None,
    "request_already_closed": None,
    "yes_after_no": None,
    "paused_confirmed": None,
    "available_confirmed": None,
    "paused_by_coordinators": None,  # "available" is understood anywhere
    "resumed_by_coordinators": None,
    "capacity_offer": None,
    "left_program": None,
    "removed_from_program": None,
    "partner_left": None,
    "confirm_address": None,
    "could_not_read": None,
    "wish_for_pairing": None,  # a mentee's wish, passed to the coordinators who pair people
    "problem_reported": None,
    "unknown_sender": None,
    "coordinator_alert": None,
    # Coordinators' mail: a reply is read as commands (service/digest.py), not as a context.
    "digest": "digest",
    "digest_confirmation": "digest",
    # --- security
    "confirm_change": None,
    "change_already_made": None,  # a plain pause from a paused mentor: no link, nothing to do
    # --- the year on the clock ---
    "request_reminder": "request",
    "still_available": None,  # "available" is understood anywhere
    "checkin": "checkin",
    "checkin_nudge": "checkin",
    "checkin_partner_silent": "checkin",
    "met_logged": None,
    "not_yet_suggestion": "checkin",
    "not_yet_still": "checkin",  # NOT YET with no meeting after two check-ins: HELP offered
    "help_passed_on": None,
    "checkin_did_you_mean": "checkin",
    "fit_check": "fit",
    "survey": "survey",
    "survey_reminder": "survey",
    "survey_did_you_mean": "survey",
    "survey_thanks": None,
    "fit_did_you_mean": "fit",
    "fit_thanks": None,
    "not_a_fit_confirmed": "search",
    "ended_not_a_fit": "search",
    "unresponsive_ended": "search",
    "ended_unresponsive": None,
    "match_already_ended": None,
    # --- endings, the end of term, the agreement, conduct ---
    "ending_which": "ending",
    "ending_preview": "ending",
    "ending_sent": None,
    "ending_message": "search",  # a mentee offered others answers by number or words
    "wrapup_question": "wrapup",
    "wrapup_noted": None,
    "wrapup_outcome": None,
    "match_extended": None,
    "conclusion_question": "conclusion",
    "conclusion_thanks": None,
    "conclusion_to_coordinators": None,
    "agreement_ask": "agreement",
    "agreement_reminder": "agreement",
    "agreement_draft": "agreement",
    "agreement_draft_sent": "agreement",  # a new version of the goals replaces the draft
    "agreement_agreed": None,
    "agreement_goal_nudge": None,
    # --- pairs proposed by the program (the token's payload says what they answer)
    "proposal_to_mentee": "proposal",
    "proposal_to_mentor": "proposal",
    "proposal_did_you_mean": "proposal",
    "proposal_waiting": None,
    "proposal_no_noted": None,
    "proposal_not_going_ahead": None,
    "proposal_expired": None,
    "proposal_none_left": None,
    "match_ended_by_coordinators": None,
    "coordinator_reminder": None,
    "approval_given": None,
    "join_questions": None,  # a stranger's answer comes back as a stranger's mail
    "join_received": None,
    # --- the welcome sequence (a reply is read as general mail: a question) ---
    "welcome_day0": None,
    "welcome_day3": None,
    "welcome_day7": None,
    "welcome_own": None,
    # --- announcements (a reply goes to the program's address, read as general mail)
    "announcement": None,
}


def expects(template: str) -> str | None:
    """Which answer an email expects; an email missing from the table is an error."""
    if template not in EXPECTS:
        raise UnknownValue("email template (add it to conversation.EXPECTS)", template)
    return EXPECTS[template]
