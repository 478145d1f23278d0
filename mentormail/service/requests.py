"""The request shell: load a request (locked), ask the pure workflow, apply its decision."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key

from mentormail.service import coordinators, effects, offers, outbox, reminders
from mentormail.service.context import Unit
from mentormail.service.db import PreparedRead, write_changes
from mentormail.service.effects import Subject
from mentormail.service.keys import idempotency_key, inbound_id_of
from mentormail.service.models import MentorshipRequest, Participant
from mentormail.service.outbox import Draft
from mentormail.service.people import (
    active_matches,
    active_matches_of_both,
    capacity_of,
    first_name,
    is_available,
    mentee_matches,
    named,
    person_view,
    policy_of,
)
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import asking, request
from mentormail.workflows.availability import Availability
from mentormail.workflows.effects import ForwardText, SetDue
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.request import RequestState


def ask_mentor(
    uow: Unit,
    mentee: Participant,
    mentor: Participant,
    note: str,
    cause: str,
    mentee_words: str = "",
) -> MentorshipRequest | None:
    """A mentee asks a mentor: the rules say whether it goes ahead; either way they hear back.
    ``note`` is what they searched for, ``mentee_words`` what they wrote with their pick."""
    program = mentee.program
    _lock_people(uow, mentor.id, mentee.id)
    made = requests_of_mentee(uow, mentee.id)  # pending or not: who was asked before
    pending = [r for r in made if r.state == RequestState.PENDING]
    # counted once, in one query; the mentor's row is locked
    mentee_active, taken = active_matches_of_both(uow.session, mentee.id, mentor.id)
    mentee_view = asking.MenteeView(
        pending_requests=len(pending),
        active_matches=mentee_active,
        mentors_asked_before=frozenset(r.mentor_id for r in made),
    )
    mentor_view = asking.MentorView(mentor.id, is_available(uow.session, mentor, program, taken))
    outcome = asking.may_ask(mentee_view, mentor_view, policy_of(program), uow.now.date())
    if outcome is not asking.AskOutcome.ALLOWED:
        _explain_refusal(uow, mentee, mentor, outcome, pending, note, cause)
        return None
    asked = request.decide(  # the row is written once, with the due date the decision sets
        None,
        request.Asked(),
        uow.now,
        policy_of(program),
        mentor_capacity=capacity_of(mentor, program),
        mentor_active_matches=taken,
    )
    req = MentorshipRequest(
        program_id=program.id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        state=RequestState.PENDING,
        note=note.strip()[:2000],
        mentee_words=mentee_words.strip()[:2000] or None,
        created_at=uow.now,
        decided_at=None,
        due_at=asked.state.due_at,
    )
    reminders.schedule_first(req)  # the mentor is reminded if no answer comes
    uow.session.add(req)
    uow.session.flush()
    decide(uow, req, request.Asked(), cause, new=True, mentor_taken=taken)
    return req


def _lock_people(uow: Unit, mentor_id: int, mentee_id: int) -> None:
    """Lock the mentor, then the mentee: always in that order, so two decisions never deadlock.

    The mentor's row is where answers for one mentor queue up: a decision that fills the
    mentor goes on to release (and lock) other mentees, so no one may hold a mentee while
    waiting for their mentor (id order did exactly that when a mentee's id was the lower).
    """
    # one round trip; PostgreSQL locks the rows in the order returned
    _LOCK_PEOPLE.all_in(uow.session, {"mentor_id": mentor_id, "mentee_id": mentee_id})


_LOCK_PEOPLE = PreparedRead(  # prepared once: every request decision takes these locks
    select(Participant.id)
    .where(Participant.id.in_((bindparam("mentor_id"), bindparam("mentee_id"))))
    .order_by(case((Participant.id == bindparam("mentor_id"), 0), else_=1))
    .with_for_update()
)


def requests_of_mentee(uow: Unit, mentee_id: int) -> list[MentorshipRequest]:
    """Every request the mentee has made, whatever became of it (oldest first)."""
    return list(
        uow.session.scalars(
            select(MentorshipRequest)
            .where(MentorshipRequest.mentee_id == mentee_id)
            .order_by(MentorshipRequest.id)
        )
    )


def pending_of_mentee(uow: Unit, mentee_id: int) -> list[MentorshipRequest]:
    """The mentee's requests still waiting for an answer."""
    return list(
        uow.session.scalars(
            select(MentorshipRequest).where(
                MentorshipRequest.mentee_id == mentee_id,
                MentorshipRequest.state == RequestState.PENDING,
            )
        )
    )


def _explain_refusal(
    uow: Unit,
    mentee: Participant,
    mentor: Participant,
    outcome: asking.AskOutcome,
    pending: list[MentorshipRequest],
    note: str,
    cause: str,
) -> None:
    """Tell the mentee why the request did not go, with what they can do instead."""
    context = {"mentor": person_view(mentor), "mentors": [], "term_end": mentee.program.term_end}
    draft = Draft(
        program=mentee.program,
        template=asking.template_for(outcome),
        key=idempotency_key("ask", mentee.id, str(mentor.id), str(outcome), cause),
        to=mentee,
        context=context,
    )
    if pending:
        context["pending_mentor"] = person_view(pending[0].mentor)
        context["pending_due_at"] = pending[0].due_at
    if outcome is asking.AskOutcome.MENTOR_UNAVAILABLE:
        offers.attach_offer(uow, draft, mentee, note or mentor.profession, f"refused:{cause}")
    if outcome is asking.AskOutcome.COORDINATORS_PAIR:  # the choice is theirs to weigh now
        wish = f"{named(mentee)} (mentee) would like {mentor.name} as a mentor"
        coordinators.flag(uow, mentee.program_id, wish, note, person=mentee)
    outbox.write(uow, draft)


class RequestKeys(NamedTuple):
    """A request's id and its two people's: enough to take its locks."""

    id: int
    mentor_id: int
    mentee_id: int


def keys_of(uow: Unit, request_id: int) -> RequestKeys | None:
    """A request's keys, read without loading it (a decision loads it once, under its locks);
    a request the session holds already (its batch read it) gives them without a query (a
    request's people never change)."""
    held = uow.session.identity_map.get(identity_key(MentorshipRequest, request_id))
    if isinstance(held, MentorshipRequest):
        return RequestKeys(held.id, held.mentor_id, held.mentee_id)
    row = _KEYS.first_in(uow.session, {"request_id": request_id})
    return None if row is None else RequestKeys(*row)


_KEYS = PreparedRead(  # prepared once: every answer to a request reads it first
    select(MentorshipRequest.id, MentorshipRequest.mentor_id, MentorshipRequest.mentee_id).where(
        MentorshipRequest.id == bindparam("request_id")
    )
)


def locked(uow: Unit, req: MentorshipRequest | RequestKeys) -> MentorshipRequest:
    """The request re-read under a lock, its mentor and then its mentee locked first.

    Two answers at once (a link and a reply, or two accepts for one mentor) each wait
    here for the other's commit, then decide on what it left.
    """
    _lock_people(uow, req.mentor_id, req.mentee_id)
    return uow.session.scalars(_LOCKED, {"request_id": req.id}).one()


# built once: the request and its two people read again, as they are now the locks are held
# (one query; the people's rows are locked already, so only the request's is locked here)
_LOCKED = (
    select(MentorshipRequest)
    .where(MentorshipRequest.id == bindparam("request_id"))
    .options(
        joinedload(MentorshipRequest.mentor, innerjoin=True),
        joinedload(MentorshipRequest.mentee, innerjoin=True),
    )
    .with_for_update(of=MentorshipRequest)
    .execution_options(populate_existing=True)
)


def decide(
    uow: Unit,
    req: MentorshipRequest | RequestKeys,
    event: request.RequestEvent,
    cause: str,
    *,
    new: bool = False,
    reply_text: str = "",
    mentor_taken: int | None = None,
) -> RequestState:
    """Decide on a request event and carry out the decision; raises InvalidTransition.
    ``mentor_taken``: the mentor's active matches, when the caller counted them already."""
    req = req if new and isinstance(req, MentorshipRequest) else locked(uow, req)
    program = req.mentor.program
    if mentor_taken is None:
        mentor_taken = active_matches(uow.session, req.mentor_id)
    after_no = req.state == RequestState.DECLINED and isinstance(event, request.MentorAccepted)
    view = request.RequestView(
        state=RequestState(req.state),
        mentor_capacity=capacity_of(req.mentor, program),
        mentor_active_matches=mentor_taken,
        due_at=req.due_at,
        asked_at=req.created_at,
        **(_mentee_since_the_no(uow, req) if after_no else {}),
    )
    declined_on = req.decided_at
    decision = request.decide(
        None if new else view,
        event,
        uow.now,
        policy_of(program),
        mentor_capacity=view.mentor_capacity,
        mentor_active_matches=view.mentor_active_matches,
    )
    changed = new or decision.state.state != req.state
    req.state = decision.state.state
    if changed and not new:
        req.decided_at = uow.now
    subject = Subject(
        program=program,
        workflow="request",
        subject_id=req.id,
        cause="" if changed else cause,  # a repeatable step (a second unclear reply) keys by cause
        mentor=req.mentor,
        mentee=req.mentee,
        # a yes with a question: the coordinators' alert is about the mentor who asked
        person=req.mentor if isinstance(event, request.MentorAccepted) and event.question else None,
        request=req,
        reply_text=reply_text,
        inbound_id=inbound_id_of(cause),
        values={
            "released": 0,
            "active_matches": view.mentor_active_matches,  # before this event
            "capacity": view.mentor_capacity,  # at capacity, how many they now mentor
            "fills_mentor": request.fills_mentor(view),  # a yes takes the mentor's last place
            "question": any(isinstance(e, ForwardText) for e in decision.effects),
            "reason": getattr(event, "reason", ""),
            "condition": getattr(event, "condition", ""),  # a yes's condition, for the mentee
            "asked_coordinators": getattr(event, "question", False),  # a yes with a question
            "asked_until": getattr(event, "wants_until", None),  # the time a mentor asked for
            "after_no": after_no,  # a yes after the mentor's own no
            "declined_on": declined_on if after_no else None,
            "why_not": _why_not_after_no(req, view, uow.now, policy_of(program))
            if after_no
            else "",
        },
    )
    # the due date is every decision's first step; with it the request's row is complete and
    # written in one prepared UPDATE (the row is locked already), not by the next flush
    lead = 1 if decision.effects and isinstance(decision.effects[0], SetDue) else 0
    effects.apply(uow, subject, decision.effects[:lead])
    if lead and isinstance(event, request.MentorUnclear):  # more time: remind by the new date
        reminders.after_more_time(req, uow.now)
    write_changes(uow.session, req, _DECIDED)
    effects.apply(uow, subject, decision.effects[lead:])
    return decision.state.state


def _mentee_since_the_no(uow: Unit, req: MentorshipRequest) -> dict[str, bool]:
    """Whether the mentee of a declined request has a mentor now, or another request waiting:
    a yes after the no makes the pair only when neither."""
    waiting = [r for r in pending_of_mentee(uow, req.mentee_id) if r.id != req.id]
    return {
        "mentee_matched": mentee_matches(uow.session, req.mentee_id) > 0,
        "mentee_waiting": bool(waiting),
        "mentor_available": req.mentor.availability == Availability.AVAILABLE
        and req.mentor.status == "active",
    }


def _why_not_after_no(
    req: MentorshipRequest, view: request.RequestView, now: datetime, policy: ProgramPolicy
) -> str:
    """Why a yes after the mentor's no made no pair, in words for the mentor ("" when it did)."""
    why = request.yes_after_no_blocked(view, now, policy)
    mentee = first_name(req.mentee)
    words = {
        None: "",
        "late": "the time for answering it has passed",
        "mentee_matched": f"{mentee} has a mentor now",
        "mentee_waiting": f"{mentee} has asked another mentor since",
        "full": "you have no place left for another mentee",
        "paused": "you've paused new requests",
        "term": "the program year has ended",
    }
    return words[why]


# what a decision changes on the request's row
_DECIDED = ("state", "decided_at", "due_at", "remind_at")


def release_pending(uow: Unit, mentor: Participant, reason: str, exclude: int = 0) -> int:
    """Release every request still waiting on the mentor, each mentee told kindly."""
    waiting = uow.session.scalars(
        select(MentorshipRequest).where(
            MentorshipRequest.mentor_id == mentor.id,
            MentorshipRequest.state == RequestState.PENDING,
            MentorshipRequest.id != exclude,
        )
    ).all()
    for req in waiting:
        decide(uow, req, request.MentorUnavailable(reason), "")
    return len(waiting)


def withdraw_pending(uow: Unit, mentee: Participant) -> int:
    """Withdraw every request the mentee still waits on; each mentor is told."""
    waiting = pending_of_mentee(uow, mentee.id)
    for req in waiting:
        decide(uow, req, request.MenteeWithdrew(), "")
    return len(waiting)


def raise_capacity_and_accept(
    uow: Unit, req: MentorshipRequest, capacity: int, cause: str
) -> RequestState:
    """The mentor confirmed one more mentee: their capacity grows, then the yes counts."""
    req = locked(uow, req)
    mentor = req.mentor
    if capacity > capacity_of(mentor, mentor.program):
        mentor.capacity = capacity
    return decide(uow, req, request.MentorAccepted(), cause)


def relay_to_mentor(uow: Unit, req: MentorshipRequest, text: str, cause: str) -> None:
    """A mentee's answer to the mentor's question goes to the mentor, with the answer links."""
    mentor = req.mentor
    outbox.write(
        uow,
        Draft(
            program=mentor.program,
            template="message_from_mentee",
            key=idempotency_key("request", req.id, "relay", "mentor", cause),
            to=mentor,
            context={"mentee": person_view(req.mentee), "reply_text": text},
            request_id=req.id,
            actions={
                a: LinkSpec(a, mentor.id, request_id=req.id, group_key=f"request:{req.id}:answer")
                for a in ("accept", "decline")
            },
        ),
    )


def outcome_words(req: MentorshipRequest) -> str:
    """What became of a request, as a sentence for its mentor."""
    on = f" on {req.decided_at:%A %-d %B}" if req.decided_at else ""
    mentee = req.mentee.name
    words = {
        RequestState.PENDING: f"{mentee}'s request is still waiting for your answer.",
        RequestState.ACCEPTED: f"You accepted {mentee}'s request{on}.",
        RequestState.DECLINED: f"You declined {mentee}'s request{on}.",
        RequestState.EXPIRED: f"{mentee}'s request closed{on} without an answer, so"
        f" {first_name(req.mentee)} was offered other mentors.",
        RequestState.RELEASED: _released_words(req, on),
        RequestState.WITHDRAWN: f"{mentee} withdrew the request{on}.",
    }
    return words[RequestState(req.state)]


def _released_words(req: MentorshipRequest, on: str) -> str:
    """How a request that was let go closed: with the term (on its last day, not the day the
    sweep found it over), or when the mentor paused or was full."""
    told = f"and {first_name(req.mentee)} was told kindly."
    term_end = req.mentor.program.term_end
    if req.decided_at is not None and req.decided_at.date() >= term_end:
        ended = f"the program year ended on {term_end:%A %-d %B}"
        return f"{req.mentee.name}'s request closed when {ended}, {told}"
    return f"{req.mentee.name}'s request closed{on} when {_why_released(req)}, {told}"


def _why_released(req: MentorshipRequest) -> str:
    """Why a request was let go, as far as the mentor's state tells: a pause, or full places
    (it said "your number of mentees (or paused)" to a mentor who never paused)."""
    if req.mentor.availability == Availability.PAUSED:
        return "you paused new requests"
    return "you reached your number of mentees"


def tell_request_closed(uow: Unit, mentor: Participant, req: MentorshipRequest, cause: str) -> None:
    """An answer to a request that is no longer open: say, in words, what became of it."""
    outbox.write(
        uow,
        Draft(
            program=mentor.program,
            template="request_already_closed",
            key=idempotency_key("request", req.id, "closed", cause),
            to=mentor,
            context={
                "mentee": person_view(req.mentee),
                "outcome": outcome_words(req),
            },
        ),
    )
