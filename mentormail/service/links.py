"""What a one-time link says (GET) and does (POST). Only POST changes anything."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.inbound.types import Context
from mentormail.service import inbound, matching
from mentormail.service.context import Services
from mentormail.service.exceptions import InvalidTransition, LinkError, LinkUsed, NotFound
from mentormail.service.models import (
    ActionToken,
    InboundMessage,
    MentorshipRequest,
    Participant,
    Program,
    ReplyToken,
)
from mentormail.service.tokens import check_usable, find_link, use_link
from mentormail.workflows import availability, request


@dataclass(frozen=True)
class LinkPage:
    """What a link page shows: a question with one button, or a result, or why not."""

    title: str
    message: str
    button: str | None = None  # None: nothing to press (used, expired, unknown, done)
    next_step: str = ""
    status: int = 200


def describe(services: Services, token: str) -> LinkPage:
    """The confirmation page for a link; changes nothing (mail scanners open links too)."""
    with services.sessions() as session:
        try:
            link = find_link(session, token)
        except NotFound as error:
            return LinkPage("Link not found", str(error), status=404)
        if (left := _left(session, link)) is not None:
            return left
        try:
            check_usable(link, services.now())
        except LinkError as error:
            return _refusal(session, error, link)
        return _question(session, link)


def act(services: Services, token: str) -> LinkPage:
    """Do what the link is for, once."""
    with services.unit_of_work() as session:
        try:
            link = find_link(session, token)
        except NotFound as error:
            return LinkPage("Link not found", str(error), status=404)
        if (left := _left(session, link)) is not None:
            return left
        try:
            use_link(session, link, services.now())
        except LinkError as error:
            return _refusal(session, error, link)
        return _perform(session, services, link)


def _left(session: Session, link: ActionToken) -> LinkPage | None:
    """Someone who left the program: their links do nothing any more (and mail no one)."""
    person = session.get_one(Participant, link.participant_id)
    if person.status == "active":
        return None
    return LinkPage(
        "You've left the program",
        f"{person.name}, you're no longer part of {person.program.name}, so nothing has changed"
        " and we won't email you.",
        next_step=f"To take part again, write to the coordinators at {person.program.address}.",
        status=410,
    )


def _question(session: Session, link: ActionToken) -> LinkPage:
    """Ask the person to confirm what the link will do."""
    person = session.get_one(Participant, link.participant_id)
    if link.action == "ask":
        mentor = session.get_one(Participant, link.target_id)
        return LinkPage(
            f"Ask {mentor.name}?",
            f"We'll send {mentor.name} your request and tell you as soon as they answer.",
            f"Ask {matching.first_name(mentor)}",
        )
    if link.action in ("accept", "decline"):
        req = session.get_one(MentorshipRequest, link.request_id)
        if link.action == "accept":
            return LinkPage(
                f"Mentor {req.mentee.name}?",
                f"You'll be introduced to {req.mentee.name} by email, for the program's term.",
                f"Yes, I'll mentor {matching.first_name(req.mentee)}",
            )
        return LinkPage(
            f"Decline {req.mentee.name}'s request?",
            f"We'll let {matching.first_name(req.mentee)} know kindly and suggest other mentors.",
            "Decline the request",
        )
    if link.action == "confirm_address":
        held = session.get_one(InboundMessage, link.target_id)
        return LinkPage(
            f"Is {held.from_addr} yours?",
            f"Confirm only if you wrote from {held.from_addr}. Your reply will then count, and "
            "so will later replies from that address.",
            f"Yes, {held.from_addr} is mine",
        )
    if link.action == "pause":
        return LinkPage("Pause new requests?", "You won't get new requests.", "Pause")
    if link.action == "available":
        return LinkPage("Take requests again?", "Mentees will find you again.", "I'm available")
    return LinkPage(
        "Leave the program?",
        f"{person.name}, you'll leave {person.program.name} and we won't email you again.",
        "Unsubscribe",
    )


def _perform(session: Session, services: Services, link: ActionToken) -> LinkPage:
    """Carry out a claimed link's action and say what happened."""
    person = session.get_one(Participant, link.participant_id)
    cause = f"link{link.id}"
    if link.action == "ask":
        return _ask(session, services, person, link, cause)
    if link.action in ("accept", "decline"):
        return _answer(session, services, link, cause)
    if link.action == "confirm_address":
        return _confirm_address(session, services, person, link)
    if link.action in ("pause", "available"):
        event = availability.event_named(link.action)
        matching.change_availability(session, services, person, event, cause)
        return LinkPage("Done", "Your availability is updated; we've emailed you a confirmation.")
    matching.leave_program(session, services, person, cause)
    return LinkPage(
        "You've left the program", "We won't email you again. Thank you for taking part."
    )


def _ask(
    session: Session, services: Services, mentee: Participant, link: ActionToken, cause: str
) -> LinkPage:
    """A mentee's "Ask" link: the request goes out if the rules allow; the email says either way."""
    mentor = session.get_one(Participant, link.target_id)
    req = matching.ask_mentor(
        session, services, mentee, mentor, _latest_query(session, mentee), cause
    )
    if req is None:
        return LinkPage(
            "We couldn't send that request",
            "We've emailed you why, and what you can do instead.",
        )
    return LinkPage(
        "Request sent",
        f"We've asked {mentor.name}. We'll email you as soon as they answer.",
    )


def _confirm_address(
    session: Session, services: Services, person: Participant, link: ActionToken
) -> LinkPage:
    """The participant vouches for the address they wrote from; the held reply now counts."""
    held = session.get_one(InboundMessage, link.target_id)
    address = (held.from_addr or "").lower()
    if address and address not in (person.other_emails or []):
        person.other_emails = [*(person.other_emails or []), address]
    inbound.release_held(services, session, held.id)
    return LinkPage(
        "Thank you",
        f"Replies from {address} now count as yours; we're reading the one you sent.",
    )


def _answer(session: Session, services: Services, link: ActionToken, cause: str) -> LinkPage:
    """A mentor's Accept or Decline link."""
    req = session.get_one(MentorshipRequest, link.request_id)
    event = request.MentorAccepted() if link.action == "accept" else request.MentorDeclined()
    try:
        state = matching.apply_request_event(session, services, req, event, cause)
    except InvalidTransition:
        return LinkPage(
            "This request is already closed",
            f"{req.mentee.name}'s request is already {req.state}; nothing has changed.",
            next_step=f"If that isn't right, reply to our email or write to {_address(req)}.",
        )
    if state == request.RequestState.ACCEPTED:
        return LinkPage(
            "Thank you!",
            f"You're now {req.mentee.name}'s mentor. We've emailed you both an introduction.",
        )
    if state == request.RequestState.RELEASED:
        return LinkPage("You're already at capacity", "We've let them know kindly; thank you!")
    return LinkPage("Thanks for letting us know", f"We've told {req.mentee.name} kindly.")


def _latest_query(session: Session, mentee: Participant) -> str:
    """The mentee's latest search words, used as the note of a request made by link."""
    token = session.scalar(
        select(ReplyToken)
        .where(ReplyToken.participant_id == mentee.id, ReplyToken.context == Context.SEARCH)
        .order_by(ReplyToken.id.desc())
    )
    return str(token.payload.get("query", "")) if token else ""


def _address(req: MentorshipRequest) -> str:
    """The program's address, for "write to us" hints."""
    return req.mentor.program.address


def _refusal(session: Session, error: LinkError, link: ActionToken) -> LinkPage:
    """A used or expired link says so kindly and offers the next step."""
    person = session.get(Participant, link.participant_id)
    return LinkPage(
        "This link can't be used again" if isinstance(error, LinkUsed) else "This link has expired",
        str(error)
        + " Links in our emails work once, for a limited time, to keep your answers safe.",
        next_step=_next_step(person.program if person else None),
        status=410,
    )


def _next_step(program: Program | None) -> str:
    """What to do instead of a dead link."""
    where = f" or write to {program.address}" if program else ""
    return f"To answer, reply to the email the link came in{where}; we'll take it from there."
