"""What a one-time link says (GET) and does (POST), from the link-action table. Only POST
changes anything; an action the table does not name is an error, never a default."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select

from mentormail.inbound.types import Context
from mentormail.service import (
    agreement,
    availability,
    coordinator_links,
    coordinators,
    ending,
    inbound,
    membership,
    requests,
    termend,
)
from mentormail.service.conflicts import once_more_on_conflict
from mentormail.service.context import Services, Unit
from mentormail.service.exceptions import (
    Busy,
    InvalidTransition,
    LinkError,
    LinkUsed,
    NotFound,
    UnknownAction,
)
from mentormail.service.models import (
    ActionToken,
    CheckIn,
    CoordinatorLink,
    InboundMessage,
    Match,
    MatchTerm,
    MentorshipRequest,
    Participant,
    Program,
    ReplyToken,
)
from mentormail.service.people import first_name, first_word
from mentormail.service.rendering import coordinators_at
from mentormail.service.tokens import (
    LinkFacts,
    check_usable,
    find_link_with_people,
    peek_link,
    use_link,
)
from mentormail.workflows import agreement as agreement_rules
from mentormail.workflows import availability as availability_rules
from mentormail.workflows import checkin as checkin_rules
from mentormail.workflows import ending as ending_rules
from mentormail.workflows import request
from mentormail.workflows import termend as termend_rules
from mentormail.workflows.match import EndReason, MatchState
from mentormail.workflows.request import RequestState


@dataclass(frozen=True)
class LinkPage:
    """What a link page shows: a question with one button, or a result, or why not."""

    title: str
    message: str
    button: str | None = None  # None: nothing to press (used, expired, unknown, done)
    next_step: str = ""
    status: int = 200
    program: str = ""  # the program's name, shown in the page's header
    tone: str = "primary"  # "primary" | "secondary": a decline never looks like an accept


@dataclass(frozen=True)
class LinkAction:
    """One row of the link table: the question GET asks, and what POST does."""

    question: Callable[[Unit, ActionToken, Participant], LinkPage]
    perform: Callable[[Unit, ActionToken, Participant], LinkPage]
    asks: Callable[[LinkFacts], LinkPage] | None = None  # a question from the link's row alone


def _plain(asks: Callable[[LinkFacts], LinkPage], perform: Callable[..., LinkPage]) -> LinkAction:
    """A row whose question needs only the link's own facts: a GET asks it from one prepared
    statement, without a session (the same words as from the loaded rows)."""
    return LinkAction(lambda uow, link, person: asks(_facts(uow, link, person)), perform, asks)


def _facts(uow: Unit, link: ActionToken, person: Participant) -> LinkFacts:
    """The facts of a loaded link (its program and mentor are held by the session)."""
    target = uow.session.get(Participant, link.target_id) if link.target_id else None
    return LinkFacts(
        link.id,
        link.action,
        link.used_at,
        link.expires_at,
        person.status,
        person.name,
        person.program.name,
        target.name if target is not None else None,
    )


def describe(services: Services, token: str) -> LinkPage:
    """The confirmation page for a link; changes nothing (mail scanners open links too).
    A usable link of an active person with a plain question is answered from its facts;
    everything else (unknown, used, expired, left, a question about other rows) as before."""
    facts = peek_link(services.engine(), token)
    if facts is not None and facts.person_status == "active" and facts.usable(services.now()):
        entry = ACTIONS.get(facts.action)
        if entry is not None and entry.asks is not None:
            return replace(entry.asks(facts), program=facts.program_name)
    with services.reading() as uow:
        return _page(uow, token, acting=False)


def act(services: Services, token: str, *, only_action: str | None = None) -> LinkPage:
    """Do what the link is for, once; two answers colliding are tried again, then told kindly.
    ``only_action``: act only if the link is for that (an RFC 8058 one-click POST may only
    unsubscribe)."""

    def attempt() -> LinkPage:
        with services.unit() as uow:
            return _page(uow, token, acting=True, only_action=only_action)

    try:
        return once_more_on_conflict(attempt, "a one-time link")
    except Busy:
        return LinkPage(
            "One moment, please",
            "Several answers reached us at the same instant, so nothing has changed yet.",
            button="Try again",
            next_step="Press the button again; if it still doesn't work, reply to our email.",
            status=503,
        )


def _page(uow: Unit, token: str, *, acting: bool, only_action: str | None = None) -> LinkPage:
    """Find the link, refuse kindly if it can't act, else ask (GET) or act (POST)."""
    try:
        link, person, program, target = find_link_with_people(uow.session, token, acting=acting)
    except NotFound as error:
        found = coordinator_links.find(uow, token)  # a link in a digest
        if found is not None and only_action is None:
            return _coordinator_page(uow, found, acting=acting)
        return LinkPage("Link not found", str(error), status=404)
    if only_action is not None and link.action != only_action:
        return LinkPage("Please use the button on our page", "Nothing has changed.", status=403)
    uow.session.info["held"] = (program, target)  # so the handlers' lookups need no SQL
    entry = ACTIONS.get(link.action)
    if entry is None:
        raise UnknownAction(f"link action {link.action!r}")
    if person.status != "active":
        return _left(person)
    try:
        if acting:
            use_link(uow.session, link, uow.now)
        else:
            check_usable(link, uow.now)
    except LinkError as error:
        return _named(_refusal(uow, error, link, person), program)
    handler = entry.perform if acting else entry.question
    return _named(handler(uow, link, person), program)


def _coordinator_page(uow: Unit, link: CoordinatorLink, *, acting: bool) -> LinkPage:
    """A digest link: refused if it can't act, else asked (GET) or done (POST)."""
    program = uow.session.get_one(Program, link.program_id)
    refused = coordinator_links.refusal(uow, link)
    if refused is not None:
        return LinkPage(
            "This link can't be used",
            f"{refused} Nothing has changed.",
            next_step="Reply to the digest with the command instead.",
            status=410,
            program=program.name,
        )
    if acting:
        said, done = coordinator_links.act(uow, link)
        title = "Done" if done else "Nothing changed"
        return LinkPage(title, said[:1].upper() + said[1:] + ".", program=program.name)
    asked = coordinator_links.question(uow, link)
    return LinkPage(asked.title, asked.message, asked.button, program=program.name)


def _named(page: LinkPage, program: Program) -> LinkPage:
    """The page with the program's name in its header."""
    return replace(page, program=program.name)


def _left(person: Participant) -> LinkPage:
    """Someone who left the program: their links do nothing any more (and mail no one)."""
    program = person.program
    return LinkPage(
        "You've left the program",
        f"{person.name}, you're no longer part of {program.name}, so nothing has changed"
        " and we won't email you.",
        next_step=f"To take part again, write to the coordinators at {program.address}.",
        status=410,
        program=program.name,
    )


# --- ask a mentor --------------------------------------------------------------------------


def _ask_question(link: LinkFacts) -> LinkPage:
    """Ask the mentee to confirm the mentor they picked."""
    mentor = str(link.target_name)
    return LinkPage(
        f"Ask {mentor}?",
        f"We'll send {mentor} your request and tell you as soon as they answer.",
        f"Ask {first_word(mentor)}",
    )


def _ask(uow: Unit, link: ActionToken, mentee: Participant) -> LinkPage:
    """A mentee's "Ask" link: the request goes out if the rules allow; the email says either way."""
    mentor = uow.session.get_one(Participant, link.target_id)
    req = requests.ask_mentor(uow, mentee, mentor, _latest_query(uow, mentee), f"link{link.id}")
    if req is None:
        return LinkPage(
            "We couldn't send that request", "We've emailed you why, and what you can do instead."
        )
    return LinkPage(
        "Request sent", f"We've asked {mentor.name}. We'll email you as soon as they answer."
    )


def _latest_query(uow: Unit, mentee: Participant) -> str:
    """The mentee's latest search words, used as the note of a request made by link."""
    token = uow.session.scalar(
        select(ReplyToken)
        .where(ReplyToken.participant_id == mentee.id, ReplyToken.context == Context.SEARCH)
        .order_by(ReplyToken.id.desc())
    )
    return str(token.payload.get("query", "")) if token else ""


# --- a mentor's answer ----------------------------------------------------------------------


def _accept_question(uow: Unit, link: ActionToken, mentor: Participant) -> LinkPage:
    """Confirm a yes."""
    req = uow.session.get_one(MentorshipRequest, link.request_id)
    return LinkPage(
        f"Mentor {req.mentee.name}?",
        f"You'll be introduced to {req.mentee.name} by email, for the program's term.",
        f"Yes, I'll mentor {first_name(req.mentee)}",
    )


def _decline_question(uow: Unit, link: ActionToken, mentor: Participant) -> LinkPage:
    """Confirm a no."""
    req = uow.session.get_one(MentorshipRequest, link.request_id)
    return LinkPage(
        f"Decline {req.mentee.name}'s request?",
        f"We'll let {first_name(req.mentee)} know kindly and help them find another mentor.",
        "Decline the request",
        tone="secondary",
    )


def _raise_capacity_question(uow: Unit, link: ActionToken, mentor: Participant) -> LinkPage:
    """Confirm taking one more mentee than the mentor's capacity."""
    req = uow.session.get_one(MentorshipRequest, link.request_id)
    return LinkPage(
        f"Mentor {link.target_id} people, {req.mentee.name} included?",
        f"Your capacity goes up to {link.target_id} and you'll be introduced to"
        f" {req.mentee.name} by email.",
        f"Yes, I'll mentor {first_name(req.mentee)} too",
    )


def _accept(uow: Unit, link: ActionToken, mentor: Participant) -> LinkPage:
    """A mentor's Accept link."""
    return _answer(uow, link, request.MentorAccepted())


def _decline(uow: Unit, link: ActionToken, mentor: Participant) -> LinkPage:
    """A mentor's Decline link."""
    return _answer(uow, link, request.MentorDeclined())


def _raise_capacity(uow: Unit, link: ActionToken, mentor: Participant) -> LinkPage:
    """The mentor takes one more: capacity grows, the yes counts."""
    req = uow.session.get_one(MentorshipRequest, link.request_id)
    try:
        state = requests.raise_capacity_and_accept(uow, req, int(link.target_id or 0), _cause(link))
    except InvalidTransition:
        return _request_closed_page(req)
    return _answer_page(req, state)


def _answer(uow: Unit, link: ActionToken, event: request.RequestEvent) -> LinkPage:
    """Carry out a mentor's answer and say what happened."""
    req = uow.session.get_one(MentorshipRequest, link.request_id)
    try:
        state = requests.decide(uow, req, event, _cause(link))
    except InvalidTransition:
        return _request_closed_page(req)
    if state == RequestState.DECLINED and isinstance(event, request.MentorAccepted):
        return LinkPage(
            "Your yes came after your no",
            f"You'd declined {req.mentee.name}'s request, and the match can't be made now: we've"
            " emailed you why. Nothing has changed; the coordinators have your yes.",
        )
    return _answer_page(req, state)


def _answer_page(req: MentorshipRequest, state: str) -> LinkPage:
    """What the mentor is told after answering."""
    mentee = req.mentee.name
    if state == RequestState.ACCEPTED:
        return LinkPage(
            "Thank you!", f"You're now {mentee}'s mentor. We've emailed you both an introduction."
        )
    if state == RequestState.PENDING:  # a yes at capacity: the offer to take one more is mailed
        return LinkPage(
            "You're at your limit",
            f"You already mentor as many people as you said you could. We've emailed you a link"
            f" to take {mentee} too, if you'd like to.",
        )
    if state == RequestState.RELEASED:
        return LinkPage("Thank you", f"We've let {mentee} know kindly.")
    return LinkPage("Thanks for letting us know", f"We've told {mentee} kindly.")


def _request_closed_page(req: MentorshipRequest) -> LinkPage:
    """An answer to a request already decided: say what happened, in words."""
    return LinkPage(
        "This request is already closed",
        f"{requests.outcome_words(req)} Nothing has changed.",
        next_step="If that isn't right, reply to our email or write to"
        f" {req.mentor.program.address}.",
    )


# --- the rest --------------------------------------------------------------------------------


def _confirm_address_question(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Ask whether the address a reply came from is theirs."""
    held = uow.session.get_one(InboundMessage, link.target_id)
    return LinkPage(
        f"Is {held.from_addr} yours?",
        f"Confirm only if you wrote from {held.from_addr}. Your reply will then count, and "
        "so will later replies from that address.",
        f"Yes, {held.from_addr} is mine",
    )


def _confirm_address(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """The participant vouches for the address they wrote from; the held reply now counts."""
    held = uow.session.get_one(InboundMessage, link.target_id)
    address = (held.from_addr or "").lower()
    if address and address not in (person.other_emails or []):
        person.other_emails = [*(person.other_emails or []), address]
    inbound.release_held(uow, held.id)
    coordinators.resolve_about(uow, held.id)
    return LinkPage(
        "Thank you",
        f"Replies from {address} now count as yours; we're reading the one you sent.",
        next_step=f"Our emails still go to {person.email}, as before: it's the address in the"
        f" program's list of people. To get them at {address} instead, ask the coordinators"
        f" ({coordinators_at(person.program)}) to put it in the list for you; the address you"
        " have now will still count as yours.",
    )


def _pause_question(link: LinkFacts) -> LinkPage:
    """Confirm a pause."""
    return LinkPage("Pause new requests?", "You won't get new requests for now.", "Pause")


def _available_question(link: LinkFacts) -> LinkPage:
    """Confirm taking requests again."""
    return LinkPage("Take requests again?", "Mentees will find you again.", "I'm available")


def _availability(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Pause or resume, as the link says."""
    event = availability_rules.event_named(link.action)
    availability.change(uow, person, event, _cause(link))
    return LinkPage("Done", "Your availability is updated; we've emailed you a confirmation.")


def _unsubscribe_question(link: LinkFacts) -> LinkPage:
    """Confirm leaving."""
    return LinkPage(
        "Leave the program?",
        f"{link.person_name}, you'll leave {link.program_name} and we won't email you again.",
        "Leave the program",
        tone="secondary",
    )


def _unsubscribe(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Leave the program."""
    membership.leave(uow, person, _cause(link))
    return LinkPage(
        "You've left the program", "We won't email you again. Thank you for taking part."
    )


# --- a check-in's MET / NOT YET / HELP, and ending after three silent check-ins ---


def _checkin_of(uow: Unit, link: ActionToken) -> tuple[CheckIn, Match]:
    """The check-in a link answers and its pair."""
    row = uow.session.get_one(CheckIn, link.target_id)
    return row, uow.session.get_one(Match, row.match_id)


CHECKIN_QUESTIONS = {
    "met": ("Did you meet {other}?", "We'll note that you met, today.", "Yes, we met"),
    "not_yet": ("Not met {other} yet?", "We'll send you an idea to help you meet.", "Not yet"),
    "help": (
        "Ask a coordinator for help?",
        "A coordinator will get in touch with you personally; nothing is said to {other}.",
        "Yes, please help",
    ),
}


def _checkin_question(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Confirm a check-in answer."""
    from mentormail.service import checkins

    row, pair = _checkin_of(uow, link)
    other = _other_in(pair, person)
    title, message, button = CHECKIN_QUESTIONS[link.action]
    if link.action == "met":  # MET naming no day is the meeting the partner told us of
        day = checkins.partner_met_on(uow.session, row, checkins.role_in(pair, person))
        if day is not None:
            message = (
                f"We'll note that you met on {day:%A %-d %B %Y}, the day {{other}} told us of."
            )
    return LinkPage(title.format(other=other), message.format(other=other), button)


def _checkin_answer(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Carry out MET / NOT YET / HELP from a link."""
    from mentormail.service import checkins
    from mentormail.workflows.checkin import Answer

    row, pair = _checkin_of(uow, link)
    if not checkins.answer(uow, person, row, Answer(link.action), _cause(link)):
        return _ended_page(pair, person)
    return LinkPage("Thank you", "We've noted your answer and emailed you what comes next.")


def _end_silent_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm ending a mentorship with someone who has not answered."""
    return LinkPage(
        f"End your mentorship with {other}?",
        f"We'll tell {other} kindly that it has ended because we couldn't reach them.",
        "End the mentorship",
        tone="secondary",
    )


def _end_silent(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """End the mentorship for want of an answer."""
    from mentormail.service import checkins

    checkins.end_for_silence(uow, person, pair, _cause(link))
    return LinkPage("Your mentorship has ended", "We've told them kindly, and emailed you.")


def _other_in(pair: Match, person: Participant) -> str:
    """The name of the other person in a pair."""
    return (pair.mentee if person.id == pair.mentor_id else pair.mentor).name


FIT_QUESTIONS = {
    "fit_good": ("A good fit?", "We'll note that you and {other} are a good fit.", "Yes"),
    "fit_deciding": ("Still deciding?", "No rush: we'll ask again at the next check-in.", "Yes"),
    "fit_not_a_fit": (
        "Not a fit?",
        "Your mentorship with {other} will end, with no fault on either side, and we'll tell"
        " {other} kindly.",
        "End the mentorship",
    ),
}


def _fit_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm a fit answer."""
    title, message, button = FIT_QUESTIONS[link.action]
    tone = "secondary" if link.action == "fit_not_a_fit" else "primary"
    return LinkPage(title, message.format(other=other), button, tone=tone)


def _fit_answer(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Carry out a fit answer from a link."""
    from mentormail.service import fit
    from mentormail.workflows.fit import Fit

    fit.answer(uow, person, pair, Fit(link.action.removeprefix("fit_")), _cause(link))
    return LinkPage("Thank you", "We've noted your answer and emailed you what comes next.")


def _rating_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm a 1-5 rating."""
    value = link.action.rsplit("_", 1)[1]
    return LinkPage(
        f"Rate your mentorship {value} out of 5?",
        f"Only the program's coordinators see your answer, never {other}.",
        f"Yes, {value} out of 5",
    )


def _rating(uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str) -> LinkPage:
    """Record a rating from a link."""
    from mentormail.service import surveys
    from mentormail.workflows.survey import Survey

    kind, value = link.action.rsplit("_", 1)
    had_words = surveys.words_waiting(uow, pair, Survey(kind), person)
    surveys.answer(uow, person, pair, Survey(kind), int(value), "", _cause(link))
    return LinkPage(
        "Thank you",
        "We've recorded your answer.",
        next_step="The words you wrote are kept with it."
        if had_words
        else "To add a comment, reply to the survey email in your own words.",
    )


def _cause(link: ActionToken) -> str:
    """What keys the steps a link causes."""
    return f"link{link.id}"


# --- ending a match --------------------------------------------------------------


MatchHandler = Callable[[Unit, ActionToken, Participant, Match, str], LinkPage]


def _about_match(
    handler: MatchHandler, *, after_end: bool = False
) -> Callable[[Unit, ActionToken, Participant], LinkPage]:
    """A link about a match (its target): the handler gets the pair and the partner's name;
    a match that has ended says so and nothing changes (unless the link is for ``after_end``)."""

    def page(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
        pair = uow.session.get_one(Match, link.target_id)
        if pair.state != MatchState.ACTIVE and not after_end:
            return _ended_page(pair, person)
        return handler(uow, link, person, pair, _other_in(pair, person))

    return page


def _ended_page(pair: Match, person: Participant) -> LinkPage:
    """A link about a match that has ended: nothing changes, and the page says so."""
    return LinkPage(
        "This mentorship has already ended",
        f"Your mentorship with {_other_in(pair, person)} has ended, so nothing has changed.",
        next_step=f"If that isn't right, write to {person.program.address}.",
        status=410,
    )


def _end_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm wanting to end."""
    return LinkPage(
        f"End your mentorship with {other}?",
        f"We'll email you four short choices of what fits, and show you the message {other}"
        " will get before anything is sent.",
        "Yes, I'd like to end it",
        tone="secondary",
    )


def _end(uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str) -> LinkPage:
    """Start an ending: the choices go out by email."""
    ending.start(uow, pair, person, _cause(link))
    return LinkPage(
        "We've emailed you", "Tell us which situation fits; nothing is sent to anyone yet."
    )


SCENARIO_WORDS = {
    EndReason.UNRESPONSIVE: "They haven't responded",
    EndReason.NOT_INVESTED: "They aren't invested, or don't respect my time",
    EndReason.GREAT_YEAR: "A great year: time to wrap up",
    EndReason.NO_FAULT: "My circumstances changed",
}


def _pick_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm the situation chosen."""
    return LinkPage(
        f"“{SCENARIO_WORDS[_scenario(link)]}”?",
        f"We'll email you the message {other} would get. Nothing is sent until you say so.",
        "Show me the message",
    )


def _pick(uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str) -> LinkPage:
    """Choose the situation: the message is emailed for a last look."""
    ending.pick(uow, pair, person, _scenario(link), _cause(link))
    return LinkPage(
        "We've emailed you the message",
        f"Read it, then send it to {other} from the email, or reply with your own words instead.",
    )


def _scenario(link: ActionToken) -> EndReason:
    """The situation a pick link names (end_<reason>)."""
    return EndReason(link.action.removeprefix("end_"))


def _send_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm sending the message and ending."""
    return LinkPage(
        f"Send your message to {other}?",
        f"{other} gets the message you read, the program's coordinators are told, and your"
        " mentorship ends.",
        "Send it and end the mentorship",
        tone="secondary",
    )


def _send_ending(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Send the message: the match ends."""
    ending.send(uow, pair, person, _cause(link))
    return LinkPage(
        "Your mentorship has ended",
        f"We've sent {other} your message and told the coordinators. Thank you for ending it well.",
    )


def _match_action(
    question: MatchHandler, perform: MatchHandler, *, after_end: bool = False
) -> LinkAction:
    """A row of the link table for a link about a match."""
    return LinkAction(
        _about_match(question, after_end=after_end), _about_match(perform, after_end=after_end)
    )


# --- the end of term ------------------------------------------------------------------


def _wrapup_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm the answer to the wrap-up question."""
    if link.action == "wrapup_continue":
        term = uow.session.get_one(MatchTerm, pair.id)
        theirs = term.mentee_continues if person.id == pair.mentor_id else term.mentor_continues
        if theirs is False:  # the partner said END already: nothing depends on them
            return LinkPage(
                f"Continue with {other}?",
                f"{other} has let us know they won't continue, so your mentorship ends on"
                f" {pair.ends_on:%A %-d %B %Y}, as planned. You can still tell us you'd have"
                " liked to go on.",
                "Note that I'd have liked to",
            )
        return LinkPage(
            f"Continue with {other}?",
            f"If {other} would like to go on too, your mentorship continues past"
            f" {pair.ends_on:%A %-d %B %Y}.",
            "Yes, let's continue",
        )
    return LinkPage(
        f"Wrap up with {other} at the end of term?",
        f"Your mentorship ends on {pair.ends_on:%A %-d %B %Y}, as planned.",
        "End at the end of term",
        tone="secondary",
    )


def _wrapup(uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str) -> LinkPage:
    """Answer the wrap-up question."""
    try:
        termend.answer(uow, pair, person, link.action == "wrapup_continue", _cause(link))
    except InvalidTransition:
        return LinkPage("Already settled", "Your mentorship's end of term is already settled.")
    return LinkPage("Thank you", "We've noted your answer and emailed you what happens next.")


def _again_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm whether they would mentor again next term."""
    if link.action == "mentor_again_yes":
        return LinkPage("Mentor again next term?", "We'll count on you next term.", "Yes, gladly")
    return LinkPage("Not next term?", "Thank you: we won't count on you.", "Not next term")


def _again(uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str) -> LinkPage:
    """Keep whether the mentor would mentor again."""
    termend.mentor_again(uow, pair, link.action == "mentor_again_yes")
    return LinkPage("Thank you", "We've noted it. Thank you for mentoring this year.")


def _approve_question(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """Confirm agreeing to the mentee's draft."""
    return LinkPage(
        "Agree to these goals?",
        f"We'll email the agreed goals to you and {other}, with a copy to the coordinators.",
        "Yes, they look good",
    )


def _approve(
    uow: Unit, link: ActionToken, person: Participant, pair: Match, other: str
) -> LinkPage:
    """The mentor agrees to the draft."""
    try:
        agreement.approve(uow, pair, _cause(link))
    except InvalidTransition:
        return LinkPage("Already agreed", "Your Mentoring Agreement is already settled.")
    return LinkPage("Agreed", f"We've emailed the agreement to you and {other}.")


# --- a pair proposed by the program -----------------------------------------------


def _proposal_question(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Confirm a yes or a no to a proposed introduction."""
    from mentormail.service.models import PairProposal

    row = uow.session.get_one(PairProposal, link.target_id)
    other = row.mentee if person.id == row.mentor_id else row.mentor
    if link.action == "proposal_yes":
        return LinkPage(
            f"Yes to {other.name}?",
            f"When {first_name(other)} says yes too, we'll introduce you both by email.",
            "Yes, introduce us",
        )
    return LinkPage(
        f"Not {other.name}?",
        f"We'll let {first_name(other)} know kindly; no reason is passed on.",
        "No, thank you",
        tone="secondary",
    )


def _proposal_answer(uow: Unit, link: ActionToken, person: Participant) -> LinkPage:
    """Carry out a yes or no from a link."""
    from mentormail.service import proposals
    from mentormail.service.models import PairProposal

    row = uow.session.get_one(PairProposal, link.target_id)
    if not proposals.answer(uow, row, person, link.action == "proposal_yes", _cause(link)):
        return LinkPage("Already settled", proposals.outcome_words(row, person), status=410)
    return LinkPage("Thank you", "We've noted your answer and emailed you what happens next.")


ACTIONS: dict[str, LinkAction] = {
    "ask": _plain(_ask_question, _ask),
    "accept": LinkAction(_accept_question, _accept),
    "decline": LinkAction(_decline_question, _decline),
    "raise_capacity": LinkAction(_raise_capacity_question, _raise_capacity),
    "confirm_address": LinkAction(_confirm_address_question, _confirm_address),
    "pause": _plain(_pause_question, _availability),
    "available": _plain(_available_question, _availability),
    "unsubscribe": _plain(_unsubscribe_question, _unsubscribe),
    "met": LinkAction(_checkin_question, _checkin_answer),
    "not_yet": LinkAction(_checkin_question, _checkin_answer),
    "help": LinkAction(_checkin_question, _checkin_answer),
    checkin_rules.LADDER_ACTION: _match_action(_end_silent_question, _end_silent),
    **{a: _match_action(_fit_question, _fit_answer) for a in FIT_QUESTIONS},
    **{
        f"{kind}_{n}": _match_action(_rating_question, _rating)
        for kind in ("pulse", "midpoint")
        for n in range(1, 6)
    },
    ending.END_ACTION: _match_action(_end_question, _end),
    **{a: _match_action(_pick_question, _pick) for a in ending_rules.PICK_ACTIONS.values()},
    ending_rules.SEND_ACTION: _match_action(_send_question, _send_ending),
    **{a: _match_action(_wrapup_question, _wrapup) for a in termend_rules.ACTIONS},
    **{
        a: _match_action(_again_question, _again, after_end=True)
        for a in termend_rules.AGAIN_ACTIONS
    },
    agreement_rules.APPROVE_ACTION: _match_action(_approve_question, _approve),
    "proposal_yes": LinkAction(_proposal_question, _proposal_answer),
    "proposal_no": LinkAction(_proposal_question, _proposal_answer),
}


# --- links that can't act any more ---------------------------------------------------------


def _refusal(uow: Unit, error: LinkError, link: ActionToken, person: Participant) -> LinkPage:
    """A used or expired link says what happened, kindly, and offers the next step."""
    if isinstance(error, LinkUsed):
        told = _what_happened(uow, link, person)
        if told is not None:
            return told
    return LinkPage(
        "This link can't be used again" if isinstance(error, LinkUsed) else "This link has expired",
        str(error)
        + " Links in our emails work once, for a limited time, to keep your answers safe.",
        next_step=_next_step(person.program),
        status=410,
    )


def _what_happened(uow: Unit, link: ActionToken, person: Participant) -> LinkPage | None:
    """For a used link whose sibling acted: the truth about where things stand."""
    if link.action in ("accept", "decline", "raise_capacity") and link.request_id:
        req = uow.session.get_one(MentorshipRequest, link.request_id)
        return LinkPage("Already answered", requests.outcome_words(req), status=410)
    if link.action == "ask":
        latest = uow.session.scalar(
            select(MentorshipRequest)
            .where(MentorshipRequest.mentee_id == person.id)
            .order_by(MentorshipRequest.id.desc())
        )
        if latest is not None and latest.state == RequestState.PENDING:
            mentor = latest.mentor
            return LinkPage(
                f"You've asked {mentor.name}",
                f"We'll email you as soon as {first_name(mentor)} answers"
                + (f" (by {latest.due_at:%A %-d %B})." if latest.due_at else "."),
                status=410,
            )
        if latest is not None and latest.state == RequestState.ACCEPTED:
            return LinkPage(
                f"{latest.mentor.name} is your mentor",
                "You've been introduced by email; nothing else is needed.",
                status=410,
            )
    return None


def _next_step(program: Program | None) -> str:
    """What to do instead of a dead link."""
    where = f" or write to {program.address}" if program else ""
    return f"To answer, reply to the email the link came in{where}; we'll take it from there."
