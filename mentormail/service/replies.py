"""What a person's reply does: commands valid anywhere first, then the handler for what the
answered email expects (the reply table, keyed on its reply token's "expects"). A key the
table lacks is an error, never a default."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from mentormail.inbound.handover import (
    asks_for_help,
    courtesy_only,
    plain_pick,
    words_beside_pick,
)
from mentormail.inbound.reading import Reading, understand_safely
from mentormail.inbound.time_asked import asked_until
from mentormail.inbound.types import Context, Intent, Understanding
from mentormail.service import (
    agreement,
    availability,
    confirming,
    coordinators,
    effects,
    ending,
    membership,
    offers,
    outbox,
    requests,
    termend,
)
from mentormail.service.context import Unit
from mentormail.service.exceptions import InvalidTransition, UnknownValue
from mentormail.service.keys import idempotency_key, inbound_cause, limited_key
from mentormail.service.models import InboundMessage, Match, MentorshipRequest, Participant
from mentormail.service.outbox import Draft
from mentormail.service.people import (
    BOTH_OF_MATCH,
    active_matches_of,
    first_name,
    mentee_matches,
    mentees_search,
    named,
    policy_of,
)
from mentormail.service.rendering import join_and
from mentormail.service.routing import Route
from mentormail.workflows import availability as availability_rules
from mentormail.workflows import policy as policy_rules
from mentormail.workflows import request, search
from mentormail.workflows.conversation import (
    GeneralMail,
    Limit,
    MailAction,
    is_side_fact,
    meaning_of,
)
from mentormail.workflows.match import MatchState


@dataclass
class Reply:
    """One human reply, routed and read, from an active participant whose address checked out."""

    message: InboundMessage
    route: Route
    reading: Reading
    understanding: Understanding
    person: Participant
    # the match its email was about, once looked up (None: none), held for the reply's
    # handlers: the session keeps rows only weakly, so each would read it again
    pair: list[Match | None] = field(default_factory=list)

    @property
    def cause(self) -> str:
        """What keys the steps this reply causes: its inbound row."""
        return inbound_cause(self.message.id)

    @property
    def text(self) -> str:
        """The new text the person wrote."""
        return self.reading.reply


def handle(uow: Unit, reply: Reply) -> None:
    """Do what the person clearly asked; otherwise what the answered email's context says."""
    said = reply.understanding
    if confirming.is_mailto_unsubscribe(reply):  # --- security: List-Unsubscribe's mailto:
        _stop(uow, reply)
        return
    if confirming.needs_link(reply):  # --- security: no token, no state change
        confirming.ask_to_confirm(uow, reply)
        return
    command = COMMANDS.get(said.intent) if said.clear else None
    if command and not is_side_fact(expected(reply), said.intent) and command(uow, reply):
        return
    if _about_an_ended_match(uow, reply) or _asks_to_end(uow, reply):
        return
    handler_for(expected(reply))(uow, reply)


def expected(reply: Reply) -> str:
    """What the answered email expects, the reply table's key: its reply token's "expects".
    Tokens written before every email kept that word name it "answers" (the fit
    question) or not at all (then the reader's context says), so mail already sent still works."""
    token = reply.route.token
    kept = (token.payload.get("expects") or token.payload.get("answers")) if token else None
    return str(kept or reply.route.context)


def handler_for(key: str) -> Callable[[Unit, Reply], None]:
    """The reply table's handler for what an email expects; a key it lacks is an error."""
    handler = BY_EXPECTS.get(key)
    if handler is None:
        raise UnknownValue("answer an email expects (add it to replies.BY_EXPECTS)", key)
    return handler


# --- valid in any context -------------------------------------------------------------------


def _stop(uow: Unit, reply: Reply) -> bool:
    """Leave the program."""
    membership.leave(uow, reply.person, reply.cause)
    return True


def _pause_or_resume(uow: Unit, reply: Reply) -> bool:
    """A mentor pauses or takes requests again; from a mentee the words mean something else."""
    if reply.person.role != "mentor":
        return False
    event = availability_rules.event_named(reply.understanding.intent)
    availability.change(uow, reply.person, event, reply.cause)
    return True


def _report_problem(uow: Unit, reply: Reply) -> bool:
    """A reported problem goes to the coordinators by email at once; the reporter hears so."""
    person = reply.person
    coordinators.flag(
        uow,
        person.program_id,
        f"{_who(reply, _their_partners(uow.session, person))} reported a problem",
        reply.understanding.comment or reply.text,
        person=person,
        inbound_id=reply.message.id,
        urgent=True,
    )
    outbox.write(
        uow,
        Draft(
            program=person.program,
            template="problem_reported",
            key=idempotency_key("problem", person.id, reply.cause),
            to=person,
        ),
    )
    return True


COMMANDS: dict[Intent, Callable[[Unit, Reply], bool]] = {
    Intent.STOP: _stop,
    Intent.PAUSE: _pause_or_resume,
    Intent.AVAILABLE: _pause_or_resume,
    Intent.REPORT_PROBLEM: _report_problem,
}


# --- answering a list of mentors -----------------------------------------------------------


def _answer_to_list(uow: Unit, reply: Reply) -> None:
    """A number or a plain name picks a mentor; a doubtful pick is asked about; words search."""
    mentee, token = reply.person, reply.route.token
    if mentee.role != "mentee" or token is None:
        _general(uow, reply)
        return
    offered = [
        found
        for mentor_id in token.payload.get("mentor_ids", [])
        if (found := uow.session.get(Participant, mentor_id)) is not None
    ]
    query = str(token.payload.get("query", ""))
    said = reply.understanding
    choice = said.choice
    if said.intent is Intent.CHOOSE and said.clear and choice and 1 <= choice <= len(offered):
        _ask_picked(uow, reply, offered, offered[choice - 1], query)
        return
    named_ = _mentors_named(offered, reply.text)
    numbered = _mentors_numbered(offered, reply.text)
    picked = {m.id: m for m in [*named_, *numbered]}
    if len(picked) == 1 and plain_pick(_without_numbers_and_names(reply.text, offered)):
        _ask_picked(uow, reply, offered, next(iter(picked.values())), query)
        return
    doubtful_pick = not said.clear and Intent.CHOOSE in said.candidates
    if picked or (doubtful_pick and re.search(r"\d", reply.text)):
        candidates = list(picked.values()) or offered
        offers.ask_which_mentor(uow, mentee, candidates, query, reply.cause, reply.text)
        return
    if _asked_already(reply) and not _finds_mentors(uow, reply):  # "either is fine"
        _still_unclear(uow, reply)
        return
    _general(uow, reply)


def _finds_mentors(uow: Unit, reply: Reply) -> bool:
    """Whether the reply's words, read as a new search, find any mentor to offer."""
    words = reply.understanding.comment or reply.text
    person = reply.person
    return bool(offers.available_for(uow.session, person.program, person, words))


def _mentors_numbered(offered: list[Participant], text: str) -> list[Participant]:
    """The offered mentors whose numbers the reply mentions ("#1 and #3 both look good")."""
    numbers = {int(n) for n in re.findall(r"\b\d{1,2}\b", text[:2000])}
    return [m for n, m in enumerate(offered, start=1) if n in numbers]


def _mentors_named(offered: list[Participant], text: str) -> list[Participant]:
    """The offered mentors whose first name the reply mentions ("I'd like Ana")."""
    words = set(re.findall(r"[^\W\d_]+", text.lower()))
    return [m for m in offered if first_name(m).lower() in words]


def _ask_picked(
    uow: Unit, reply: Reply, offered: list[Participant], chosen: Participant, query: str
) -> None:
    """Ask the mentor picked from the list, with what the mentee wrote beside the pick."""
    number = offered.index(chosen) + 1
    words = words_beside_pick(reply.text, number, (chosen.name, first_name(chosen)))
    requests.ask_mentor(uow, reply.person, chosen, query, reply.cause, words)


def _without_numbers_and_names(text: str, offered: list[Participant]) -> str:
    """The reply without the picks themselves, to see whether anything else hedges."""
    names = "|".join(re.escape(first_name(m)) for m in offered) or "(?!)"
    return re.sub(rf"#?\b\d{{1,2}}\b|\b({names})\b", " ", text, flags=re.IGNORECASE)


# --- answering a request -------------------------------------------------------------------


def _answer_to_request(uow: Unit, reply: Reply) -> None:
    """A mentor's yes or no acts; anything unclear is asked about; a mentee's words relay."""
    token = reply.route.token
    if token is None or token.request_id is None:
        _general(uow, reply)
        return
    keys = requests.keys_of(uow, token.request_id)  # the request is loaded under its locks
    if keys is None or reply.person.id == keys.mentee_id:
        req = uow.session.get_one(MentorshipRequest, token.request_id)  # raises when gone
        if req.state == request.RequestState.PENDING:
            requests.relay_to_mentor(uow, req, reply.text, reply.cause)
        return
    said = reply.understanding
    event: request.RequestEvent
    if not reply.route.proven:  # --- security: found by thread only: the links decide,
        event = request.MentorUnclear(question=False)  # and nothing is relayed to the mentee
    elif said.clear and said.intent is Intent.ACCEPT:
        event = request.MentorAccepted(condition=said.condition, question=said.question)
    elif said.clear and said.intent is Intent.DECLINE:
        event = request.MentorDeclined()
    elif (wants_until := asked_until(reply.text, uow.now.date())) is not None:
        event = request.MentorUnclear(question=said.question, wants_until=wants_until)
    elif _asked_already(reply) and not said.question:
        _still_unclear(uow, reply)
        return
    else:
        event = request.MentorUnclear(question=said.question)
    try:
        requests.decide(uow, keys, event, reply.cause, reply_text=reply.text)
    except InvalidTransition:  # the request, loaded under its locks, is closed
        req = uow.session.get_one(MentorshipRequest, keys.id)
        requests.tell_request_closed(uow, reply.person, req, reply.cause)


# --- mail that answers nothing we asked ------------------------------------------------------


def _general(uow: Unit, reply: Reply) -> None:
    """Help is urgent, thanks need nothing, a mentee's wish searches; a person reads the rest."""
    person = reply.person
    # without greeting and sign-off, and a corrected search as the words meant
    words = search.corrected_search(reply.understanding.comment or reply.text)
    question = reply.understanding.question or "?" in reply.text
    has_search_words = bool(search.keywords(words))
    found = None  # ranked only when a question's meaning depends on it, then reused
    if person.role == "mentee" and question and has_search_words:
        found = offers.available_for(uow.session, person.program, person, words)
    mail = GeneralMail(
        role=person.role,
        matched=_matched(uow.session, person),
        asks_for_help=asks_for_help(reply.text),
        question=question,
        courtesy=courtesy_only(reply.text),
        has_search_words=has_search_words,
        search_finds_mentors=bool(found),
        mentees_search=mentees_search(person.program),
    )
    action = meaning_of(mail)
    if action is MailAction.SEARCH:
        offers.send_mentor_list(uow, person, words, reply.cause, found)
    elif action is MailAction.FOR_PAIRING:
        hand_over(uow, reply, f"{named(person)} (mentee) would like a mentor", for_pairing=True)
    elif action is MailAction.URGENT:
        hand_over(uow, reply, f"{_who(reply)} asks for help", urgent=True)
    elif action is MailAction.TO_COORDINATORS:
        reason = "asks a question" if mail.question else "wrote something we can't act on"
        hand_over(uow, reply, f"{_who(reply)} {reason}", email_now=mail.question)
    elif action is not MailAction.NOTHING:
        raise UnknownValue("mail action", str(action))


def hand_over(
    uow: Unit,
    reply: Reply,
    reason: str,
    *,
    urgent: bool = False,
    email_now: bool = False,
    for_pairing: bool = False,
    still_unclear: bool = False,
) -> None:
    """A person reads it (never throttled); the writer hears so at most once a day."""
    person = reply.person
    _tell_coordinators(uow, reply, reason, urgent=urgent, email_now=email_now)
    outbox.write(
        uow,
        Draft(
            program=person.program,
            template=_handed_over_template(urgent, for_pairing),
            key=limited_key(Limit.HANDED_OVER, person.email, uow),
            to=person,
            context={
                "question": email_now,
                "still_unclear": still_unclear,
                "reply_text": reply.text,
                "recipient_role": person.role,  # only a mentor can pause or be available
                "may_search": _may_search(uow, person),
            },
        ),
    )


def _may_search(uow: Unit, person: Participant) -> bool:
    """Whether a mentee may look for a mentor by writing what they want, now: a mentee who
    lost theirs heard only "stop" or "report a problem" with months of the term left."""
    program_policy = policy_of(person.program)
    return (
        person.role == "mentee"
        and mentees_search(person.program)
        and not _matched(uow.session, person)
        and policy_rules.term_has_time(uow.now, program_policy)
    )


def _handed_over_template(urgent: bool, for_pairing: bool) -> str:
    """What the writer is told when a person takes their message over."""
    if urgent:
        return "problem_reported"
    return "wish_for_pairing" if for_pairing else "could_not_read"


def _matched(session: Session, person: Participant) -> bool:
    """Whether a mentee has all the mentors they may have (mentors are never searching):
    with ``max_mentors_per_mentee`` above 1, a mentee with a mentor may search for another."""
    limit = policy_of(person.program).max_matches_per_mentee
    return person.role == "mentee" and mentee_matches(session, person.id) >= limit


# --- answering a check-in (MET / NOT YET / HELP, or END to the ladder's question) ---


def _answer_to_checkin(uow: Unit, reply: Reply) -> None:
    """A clear MET / NOT YET / HELP acts on the check-in it answers; else "did you mean…?"."""
    from mentormail.inbound.meeting_date import meeting_date, meeting_month
    from mentormail.service import checkins
    from mentormail.service.models import CheckIn
    from mentormail.workflows.checkin import Answer

    token = reply.route.token
    row = uow.session.get(CheckIn, token.payload.get("checkin_id")) if token else None
    if row is None:
        _general(uow, reply)
        return
    said = reply.understanding
    pair = uow.session.get_one(Match, row.match_id, options=BOTH_OF_MATCH)
    if reply.person.id not in (pair.mentor_id, pair.mentee_id):
        _general(uow, reply)
        return
    if said.clear and said.intent is Intent.END:  # the ladder's question, or a wish to end
        if token is not None and str(checkins.role_in(pair, reply.person)) in token.payload.get(
            "ladder", []
        ):
            checkins.end_for_silence(uow, reply.person, pair, reply.cause)
        else:
            hand_over(uow, reply, f"{_who(reply)} may want to end")
        return
    answers = {Intent.MET: Answer.MET, Intent.NOT_YET: Answer.NOT_YET, Intent.HELP: Answer.HELP}
    answer = answers.get(said.intent) if said.clear else None
    if answer is not None:
        met_on = meeting_date(reply.text, uow.now.date())
        month = None if met_on else meeting_month(reply.text, uow.now.date())
        checkins.answer(
            uow,
            reply.person,
            row,
            answer,
            reply.cause,
            met_on=met_on or month,
            words=reply.text,
            month_only=month is not None,
        )
    elif said.question:  # they wrote back: a person answers, and it is no missed check-in
        checkins.heard(uow, reply.person, row)
        _asks_a_question(uow, reply)
    elif _asked_already(reply):
        _still_unclear(uow, reply)
    else:
        if Intent.END in said.candidates or Intent.STOP in said.candidates:
            _tell_coordinators(uow, reply, f"{_who(reply)} may want to end their mentorship")
        checkins.did_you_mean(uow, reply.person, row, reply.text, reply.cause)


def _their_partners(session: Session, person: Participant) -> str:
    """Who a report may be about: the writer's partners in active pairs, as the list names
    them ("; their mentor Ana Lima <…>"), or nothing when they are in no pair."""
    partners = [
        match.mentee if match.mentor_id == person.id else match.mentor
        for match in active_matches_of(session, person.id)
    ]
    if not partners:
        return ""
    side = "mentee" if person.role == "mentor" else "mentor"
    names = join_and([named(partner) for partner in partners])
    return f"; their {side}{'s' if len(partners) > 1 else ''} {names}"


def _who(reply: Reply, more: str = "") -> str:
    """The writer as the coordinators' list names them: "Sam Rivera <…> (mentee)", with
    ``more`` inside the brackets after the role."""
    return f"{named(reply.person)} ({reply.person.role}{more})"


def _asked_already(reply: Reply) -> bool:
    """Whether the answered email was itself a "did you mean…?" (or the question again)."""
    token = reply.route.token
    return bool(token is not None and token.payload.get("asked_again"))


def _still_unclear(uow: Unit, reply: Reply) -> None:
    """A second unclear answer goes to a person, never to another "did you mean…?"."""
    reason = f"{_who(reply)} is still unclear after we asked what they meant"
    hand_over(uow, reply, reason, still_unclear=True)


def _tell_coordinators(
    uow: Unit, reply: Reply, reason: str, *, urgent: bool = False, email_now: bool = False
) -> None:
    """Put the reply on the coordinators' list (urgent items and questions emailed at once);
    whoever calls this answers the writer."""
    person = reply.person
    coordinators.flag(
        uow,
        person.program_id,
        reason,
        reply.text[:4000],
        person=person,
        inbound_id=reply.message.id,
        urgent=urgent,
        email_now=email_now,
    )


def _asks_a_question(uow: Unit, reply: Reply) -> None:
    """A question instead of an answer goes to a person, at once."""
    hand_over(uow, reply, f"{_who(reply)} asks a question", email_now=True)


def _answer_to_fit(uow: Unit, reply: Reply, pair: Match) -> None:
    """Good fit / still deciding / not a fit, read strictly; anything else is asked about."""
    from mentormail.inbound.fit_answers import fit_answer
    from mentormail.service import fit
    from mentormail.workflows.fit import Fit

    said = fit_answer(reply.text)
    if said is not None:
        fit.answer(uow, reply.person, pair, Fit(said), reply.cause)
    elif reply.understanding.question or "?" in reply.text:
        _asks_a_question(uow, reply)
    elif _asked_already(reply):
        _still_unclear(uow, reply)
    else:
        fit.did_you_mean(uow, reply.person, pair, reply.text, reply.cause)


def _answer_to_survey(uow: Unit, reply: Reply, pair: Match) -> None:
    """A clear 1-5 (and any comment) is recorded for the survey it answers; else asked."""
    from mentormail.service import surveys
    from mentormail.workflows import survey
    from mentormail.workflows.survey import Survey

    token = reply.route.token
    kind = Survey(token.payload.get("survey", Survey.PULSE) if token else Survey.PULSE)
    said = reply.understanding
    helps = asks_for_help(reply.text)
    # the reader hands a low rating with a story to a person: HELP is among its readings
    story = Intent.RATING in said.candidates and Intent.HELP in said.candidates
    rating = said.rating if said.intent is Intent.RATING or not said.clear else None
    score = survey.score_of(rating, said.clear, story)
    if score is not None:
        surveys.answer(
            uow, reply.person, pair, kind, score, said.comment, reply.cause, asks_for_help=helps
        )
    elif helps:
        hand_over(uow, reply, f"{_who(reply)} asks for help", urgent=True)
    elif _asked_already(reply):
        _still_unclear(uow, reply)
    else:
        met_on = _meeting_in_survey_reply(uow, reply, pair)
        due = token.payload.get("answer_by") if token else None  # the survey's own due date
        answer_by = date.fromisoformat(due) if isinstance(due, str) else None
        surveys.did_you_mean(
            uow, reply.person, pair, kind, reply.text, reply.cause, answer_by, met_on
        )


def _meeting_in_survey_reply(uow: Unit, reply: Reply, pair: Match) -> date | None:
    """A survey reply saying they met on a day ("MET am 20.05."): no rating, but the meeting
    is noted as the pair's open check-in's MET answer, when they have not answered it yet;
    the day noted (the survey's question again says it, in one email)."""
    from mentormail.inbound.meeting_date import meeting_date
    from mentormail.service import checkins
    from mentormail.workflows.checkin import Answer

    row = checkins.open_checkin(uow.session, pair.id)
    if row is None or getattr(row, f"{checkins.role_in(pair, reply.person)}_answer"):
        return None
    said = understand_safely(reply.text, Context.CHECKIN, [])
    met_on = meeting_date(reply.text, uow.now.date())
    if not (said.clear and said.intent is Intent.MET) or met_on is None:
        return None  # "MET" alone, or a month: the check-in asks for it itself
    if not pair.started_at.date() <= met_on <= uow.now.date():
        return None  # a day before the pair began, or to come: not this pair's meeting
    checkins.answer(
        uow,
        reply.person,
        row,
        Answer.MET,
        reply.cause,
        met_on=met_on,
        words=reply.text,
        quietly=True,
    )
    return met_on


# --- answering a pair proposed by the program ---------------------------------------


def _answer_to_proposal(uow: Unit, reply: Reply) -> None:
    """A clear yes or no from one of the pair acts; anything else is asked about."""
    from mentormail.service import proposals
    from mentormail.service.models import PairProposal

    token = reply.route.token
    row = uow.session.get(PairProposal, token.payload.get("proposal_id")) if token else None
    said_available = reply.understanding.clear and reply.understanding.intent is Intent.AVAILABLE
    if row is None or reply.person.id not in (row.mentee_id, row.mentor_id):
        if not (said_available and _pause_or_resume(uow, reply)):  # nothing else to answer
            _general(uow, reply)
        return
    if said_available and reply.person.availability == availability_rules.Availability.PAUSED:
        _pause_or_resume(uow, reply)  # "back from leave - yes, ...": available again too
    said = proposals.read_answer(reply.text)
    answer: bool | None = None
    if reply.route.proven and said.clear and said.intent in (Intent.ACCEPT, Intent.DECLINE):
        answer = said.intent is Intent.ACCEPT
    elif said.question or "?" in reply.text:
        _asks_a_question(uow, reply)
        return
    elif _asked_already(reply) and row.state == "proposed":
        _still_unclear(uow, reply)
        return
    if not proposals.answer(uow, row, reply.person, answer, reply.cause, reply.text):
        hand_over(uow, reply, f"{named(reply.person)} answered a proposal already settled")


# --- endings, the end of term, the agreement ----------------------------------------

# Replies in these contexts may say END at any time (in a wrap-up, END answers the wrap-up).
END_ANYWHERE_IN = frozenset({"general", "checkin", "survey", "fit"})


def _match_of(uow: Unit, reply: Reply) -> Match | None:
    """The match the answered email was about (its reply token names it), if any; looked up
    once a reply (nothing a reply does changes it before its handler runs)."""
    if not reply.pair:
        token = reply.route.token
        match_id = token.payload.get("match_id") if token is not None else None
        found = ending.match_for(uow, reply.person, match_id) if match_id is not None else None
        reply.pair.append(found)
    return reply.pair[0]


def _about_an_ended_match(uow: Unit, reply: Reply) -> bool:
    """A reply to an email of a match that has ended: said so kindly; nothing acts."""
    if expected(reply) in ("search", "general", "conclusion"):  # a conclusion follows the end
        return False
    pair = _match_of(uow, reply)
    if pair is None or pair.state == MatchState.ACTIVE:
        return False
    ending.tell_already_ended(uow, pair, reply.person, reply.cause)
    return True


def _asks_to_end(uow: Unit, reply: Reply) -> bool:
    """END (or "I'd like to end the mentorship", in six languages) starts an ending."""
    if expected(reply) not in END_ANYWHERE_IN or not _says_end(reply):
        return False
    pair = _match_of(uow, reply) or ending.match_for(uow, reply.person, None)
    if pair is None:
        return False
    token = reply.route.token
    ladder = token.payload.get("ladder", []) if token is not None else []
    if str(effects.side_of(pair, reply.person)) in ladder:  # END answers the ladder
        return False
    ending.start(uow, pair, reply.person, reply.cause)
    return True


def _says_end(reply: Reply) -> bool:
    """A clear END, read as the wrap-up question reads it (the reader's words for ending);
    a reply that clearly answers its own email ("Ainda não": not yet) is not an ending."""
    said = reply.understanding
    if said.clear:
        return said.intent is Intent.END
    again = understand_safely(reply.text, Context.WRAPUP, [])
    return again.clear and again.intent is Intent.END


def _with_match(
    answer: Callable[[Unit, Reply, Match], None],
) -> Callable[[Unit, Reply], None]:
    """A reply handler for an email about a match; without one, the reply is general mail."""

    def handle_reply(uow: Unit, reply: Reply) -> None:
        pair = _match_of(uow, reply)
        if pair is None:
            _general(uow, reply)
            return
        answer(uow, reply, pair)

    return handle_reply


def _answer_to_ending(uow: Unit, reply: Reply, pair: Match) -> None:
    """A situation's number, "send it", or their own message to the partner."""
    ending.answer(uow, pair, reply.person, reply.text, reply.cause)


def _answer_to_wrapup(uow: Unit, reply: Reply, pair: Match) -> None:
    """CONTINUE or END before the term ends; anything unclear gets the question again."""
    said = reply.understanding
    if said.clear and said.intent in (Intent.CONTINUE, Intent.END):
        try:
            termend.answer(uow, pair, reply.person, said.intent is Intent.CONTINUE, reply.cause)
        except InvalidTransition:  # the question was answered by both, or the term is over
            ending.tell_already_ended(uow, pair, reply.person, reply.cause)
        return
    if said.question:  # "what would continuing involve?": a person answers; the question stays
        _tell_coordinators(uow, reply, f"{_who(reply)} asks about continuing", email_now=True)
    elif _asked_already(reply):
        _still_unclear(uow, reply)
        return
    termend.ask_again(uow, pair, reply.person, reply.text, reply.cause, question=said.question)


def _answer_to_conclusion(uow: Unit, reply: Reply, pair: Match) -> None:
    """What was achieved and what comes next: kept as the outcome, copied to the coordinators."""
    if not reply.text.strip():
        return  # an empty reply says nothing to keep
    termend.conclude(uow, pair, reply.person, reply.text, reply.cause)


def _answer_to_agreement(uow: Unit, reply: Reply, pair: Match) -> None:
    """The mentee's goals, or the mentor's "looks good" or changes."""
    try:
        agreement.answer(uow, pair, reply.person, reply.text, reply.cause)
    except InvalidTransition:  # agreed already, or the mentor writing before any draft
        hand_over(uow, reply, f"{named(reply.person)} wrote about their agreement")


# The reply table: what the answered email expects (its token's "expects") -> what a reply does.
BY_EXPECTS: dict[str, Callable[[Unit, Reply], None]] = {
    "search": _answer_to_list,
    "request": _answer_to_request,
    "general": _general,
    "checkin": _answer_to_checkin,
    "survey": _with_match(_answer_to_survey),
    "fit": _with_match(_answer_to_fit),
    "wrapup": _with_match(_answer_to_wrapup),
    "ending": _with_match(_answer_to_ending),
    "conclusion": _with_match(_answer_to_conclusion),
    "agreement": _with_match(_answer_to_agreement),
    "proposal": _answer_to_proposal,  # its token names the proposal
}
