"""Carry out the matching rules: load state, ask a workflow, persist its decision and effects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormail.inbound.types import Context
from mentormail.service import outbox
from mentormail.service.context import Services
from mentormail.service.models import Attention, Match, MentorshipRequest, Participant, Program
from mentormail.service.outbox import Draft
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import asking, availability, request, search
from mentormail.workflows.effects import (
    Effect,
    FlagForCoordinator,
    ForwardText,
    ReleaseOtherRequests,
    Role,
    SendEmail,
    SetDue,
    StartMatch,
)
from mentormail.workflows.policy import ProgramPolicy

BIO_CHARS = 220


def policy_of(program: Program) -> ProgramPolicy:
    """The pure policy the workflows read, from the program row."""
    return ProgramPolicy(
        term_start=program.term_start,
        term_end=program.term_end,
        response_days=program.response_days,
        default_capacity=program.default_capacity,
        max_results=program.max_results,
        contact_every_days=program.contact_every_days,
    )


def capacity_of(mentor: Participant, program: Program) -> int:
    """How many mentees the mentor takes: their own number, else the program's default."""
    return mentor.capacity or program.default_capacity


def active_matches(session: Session, mentor_id: int) -> int:
    """How many active matches a mentor has."""
    count = session.scalar(
        select(func.count(Match.id)).where(Match.mentor_id == mentor_id, Match.state == "active")
    )
    return int(count or 0)


def _active_match_counts(session: Session, program_id: int) -> dict[int, int]:
    """Active matches per mentor in a program, in one query."""
    rows = session.execute(
        select(Match.mentor_id, func.count(Match.id))
        .where(Match.program_id == program_id, Match.state == "active")
        .group_by(Match.mentor_id)
    )
    return {mentor_id: int(count) for mentor_id, count in rows}


def is_available(session: Session, mentor: Participant, program: Program) -> bool:
    """Active, not paused and below capacity: only then does a mentor appear in searches."""
    return (
        mentor.role == "mentor"
        and mentor.status == "active"
        and mentor.availability == availability.Availability.AVAILABLE
        and active_matches(session, mentor.id) < capacity_of(mentor, program)
    )


def first_name(person: Participant) -> str:
    """What we call someone in an email."""
    return person.name.split()[0] if person.name.strip() else person.name


def person_view(person: Participant) -> dict[str, Any]:
    """A participant as templates see them."""
    return {
        "name": person.name,
        "first_name": first_name(person),
        "email": person.email,
        "profession": person.profession,
        "industry": person.industry,
        "major": person.major,
        "interests": list(person.interests or []),
    }


def mentor_contact(mentor: Participant) -> str:
    """The contact method the mentor authorised, shown only after a match."""
    contact = (mentor.contact or "email").strip()
    return mentor.email if contact.lower() in ("email", "e-mail", "") else contact


# --- offering mentors -----------------------------------------------------------------------


def mentors_asked_by(session: Session, mentee_id: int) -> set[int]:
    """Every mentor this mentee has asked before, whatever became of it."""
    rows = session.scalars(
        select(MentorshipRequest.mentor_id).where(MentorshipRequest.mentee_id == mentee_id)
    )
    return set(rows)


def rank_available(
    session: Session, program: Program, query: str, exclude: set[int]
) -> list[Participant]:
    """The best available mentors for the words, excluding some (those already asked)."""
    mentors = session.scalars(
        select(Participant).where(
            Participant.program_id == program.id,
            Participant.role == "mentor",
            Participant.status == "active",
            Participant.availability == "available",
        )
    ).all()
    taken = _active_match_counts(session, program.id)
    pool = {
        m.id: m
        for m in mentors
        if m.id not in exclude and taken.get(m.id, 0) < capacity_of(m, program)
    }
    profiles = [
        search.MentorProfile(
            m.id, m.name, m.profession, m.industry, m.major, tuple(m.interests or ()), m.bio
        )
        for m in pool.values()
    ]
    return [pool[p.mentor_id] for p in search.rank(query, profiles, program.max_results)]


@dataclass
class Offer:
    """A numbered list of mentors for a mentee, and what a reply to it must remember."""

    mentors: list[dict[str, Any]]
    actions: dict[str, LinkSpec]
    payload: dict[str, Any]


def make_offer(
    session: Session, program: Program, mentee: Participant, query: str, group: str
) -> Offer:
    """Rank mentors for a mentee and prepare the list, its "Ask" links and its reply memory."""
    found = rank_available(session, program, query, mentors_asked_by(session, mentee.id))
    return offer_of(found, mentee, query, group)


def offer_of(found: list[Participant], mentee: Participant, query: str, group: str) -> Offer:
    """A numbered list of these mentors with their "Ask" links and the reply memory."""
    mentors = [
        {
            "number": n,
            **{k: v for k, v in person_view(m).items() if k != "email"},
            "bio": _short(m.bio),
        }
        for n, m in enumerate(found, start=1)
    ]
    actions = {
        f"ask_{n}": LinkSpec("ask", mentee.id, target_id=m.id, group_key=group)
        for n, m in enumerate(found, start=1)
    }
    payload = {"mentor_ids": [m.id for m in found], "query": query}
    return Offer(mentors, actions, payload)


def ask_which_mentor(
    session: Session,
    services: Services,
    mentee: Participant,
    mentors: list[Participant],
    query: str,
    cause: str,
) -> None:
    """Never guess which mentor was meant: offer the candidates again, one number or link."""
    available = [m for m in mentors if is_available(session, m, mentee.program)]
    if not available:
        send_mentor_list(session, services, mentee, query, cause)
        return
    offer = offer_of(available, mentee, query, group=f"ask:{mentee.id}:{cause}")
    outbox.write(
        session,
        services,
        Draft(
            program=mentee.program,
            template="which_mentor",
            key=f"which:{mentee.id}:{cause}",
            to=mentee,
            context={"mentors": offer.mentors},
            reply_context=Context.SEARCH,
            reply_payload=offer.payload,
            actions=offer.actions,
        ),
    )


def _short(text: str) -> str:
    """A bio cut to a few lines, at a word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= BIO_CHARS:
        return text
    return text[:BIO_CHARS].rsplit(" ", 1)[0] + "…"


def send_mentor_list(
    session: Session, services: Services, mentee: Participant, query: str, cause: str
) -> None:
    """Answer a mentee's search with the best available mentors, or say none matched."""
    program = mentee.program
    offer = make_offer(session, program, mentee, query, group=f"ask:{mentee.id}:{cause}")
    short = " ".join(query.split())[:80]
    template = "mentor_list" if offer.mentors else "no_mentors_found"
    key = f"search:{mentee.id}:{cause}"
    if not search.keywords(query):  # "Hi, I'd like a mentor": ask what kind, once a day
        template, key = "tell_us_more", f"tell_us_more:{mentee.id}:{services.now():%Y-%m-%d}"
    outbox.write(
        session,
        services,
        Draft(
            program=program,
            template=template,
            key=key,
            to=mentee,
            context={"mentors": offer.mentors, "query_short": short},
            reply_context=Context.SEARCH,
            reply_payload=offer.payload,
            actions=offer.actions,
        ),
    )


# --- asking a mentor ------------------------------------------------------------------------


def ask_mentor(
    session: Session,
    services: Services,
    mentee: Participant,
    mentor: Participant,
    note: str,
    cause: str,
) -> MentorshipRequest | None:
    """A mentee asks a mentor: the rules say whether it goes ahead; either way they hear back."""
    program = mentee.program
    policy = policy_of(program)
    pending = _pending_of_mentee(session, mentee.id)
    mentee_view = asking.MenteeView(
        pending_requests=len(pending),
        active_matches=mentee_matches(session, mentee.id),
        mentors_asked_before=frozenset(mentors_asked_by(session, mentee.id)),
    )
    mentor_view = asking.MentorView(mentor.id, is_available(session, mentor, program))
    outcome = asking.may_ask(mentee_view, mentor_view, policy)
    if outcome is not asking.AskOutcome.ALLOWED:
        _explain_refusal(session, services, mentee, mentor, outcome, pending, note, cause)
        return None
    req = MentorshipRequest(
        program_id=program.id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        state=request.RequestState.PENDING,
        note=note.strip()[:2000],
        created_at=services.now(),
        decided_at=None,
        due_at=None,
    )
    session.add(req)
    session.flush()
    apply_request_event(session, services, req, request.Asked(), cause, new=True)
    return req


def _pending_of_mentee(session: Session, mentee_id: int) -> list[MentorshipRequest]:
    """The mentee's requests still waiting for an answer."""
    return list(
        session.scalars(
            select(MentorshipRequest).where(
                MentorshipRequest.mentee_id == mentee_id,
                MentorshipRequest.state == request.RequestState.PENDING,
            )
        )
    )


def mentee_matches(session: Session, mentee_id: int) -> int:
    """How many active matches a mentee has."""
    count = session.scalar(
        select(func.count(Match.id)).where(Match.mentee_id == mentee_id, Match.state == "active")
    )
    return int(count or 0)


def _explain_refusal(
    session: Session,
    services: Services,
    mentee: Participant,
    mentor: Participant,
    outcome: asking.AskOutcome,
    pending: list[MentorshipRequest],
    note: str,
    cause: str,
) -> None:
    """Tell the mentee why the request did not go, with what they can do instead."""
    context: dict[str, Any] = {"mentor": person_view(mentor), "mentors": []}
    draft = Draft(
        program=mentee.program,
        template=asking.template_for(outcome),
        key=f"ask:{mentee.id}:{mentor.id}:{outcome}:{cause}",
        to=mentee,
        context=context,
    )
    if pending:
        context["pending_mentor"] = person_view(pending[0].mentor)
        context["pending_due_at"] = pending[0].due_at
    if outcome is asking.AskOutcome.MENTOR_UNAVAILABLE:
        _attach_offer(session, draft, mentee, note or mentor.profession, f"refused:{cause}")
    outbox.write(session, services, draft)


def _attach_offer(
    session: Session, draft: Draft, mentee: Participant, query: str, group: str
) -> None:
    """Add other available mentors to an email, answerable by number or link."""
    offer = make_offer(session, mentee.program, mentee, query, group=f"ask:{mentee.id}:{group}")
    if not offer.mentors:
        offer = make_offer(session, mentee.program, mentee, _any_words(session, mentee), group)
    draft.context["mentors"] = offer.mentors
    draft.actions.update(offer.actions)
    draft.reply_context = Context.SEARCH
    draft.reply_payload = offer.payload


def _any_words(session: Session, mentee: Participant) -> str:
    """A query from the mentee's own profile, for when their words found nobody else."""
    return " ".join([mentee.major, *(mentee.interests or [])]) or "mentor"


# --- applying request decisions ------------------------------------------------------------


def request_view(session: Session, req: MentorshipRequest) -> request.RequestView:
    """The pure view of a request the workflow decides on."""
    program = req.mentor.program
    return request.RequestView(
        state=request.RequestState(req.state),
        mentor_capacity=capacity_of(req.mentor, program),
        mentor_active_matches=active_matches(session, req.mentor_id),
        due_at=req.due_at,
    )


def apply_request_event(
    session: Session,
    services: Services,
    req: MentorshipRequest,
    event: request.RequestEvent,
    cause: str,
    *,
    new: bool = False,
    reply_text: str = "",
) -> request.RequestState:
    """Decide on a request event and carry out the decision; raises InvalidTransition."""
    view = request_view(session, req)
    decision = request.decide(
        None if new else view,
        event,
        services.now(),
        policy_of(req.mentor.program),
        mentor_capacity=view.mentor_capacity,
        mentor_active_matches=view.mentor_active_matches,
    )
    changed = new or decision.state.state != req.state
    req.state = decision.state.state
    if changed and not new:
        req.decided_at = services.now()
    runner = _EffectRunner(session, services, req, cause if not changed else "", reply_text)
    runner.question = any(isinstance(e, ForwardText) for e in decision.effects)
    for effect in decision.effects:
        runner.run(effect)
    return decision.state.state


class _EffectRunner:
    """Carries out one decision's effects for one request, in order."""

    def __init__(
        self,
        session: Session,
        services: Services,
        req: MentorshipRequest,
        cause: str,
        reply_text: str,
    ) -> None:
        self.session, self.services, self.req = session, services, req
        self.cause, self.reply_text = cause, reply_text
        self.released = 0
        self.question = False

    def run(self, effect: Effect) -> None:
        """Carry out one effect."""
        if isinstance(effect, SendEmail):
            self._send(effect)
        elif isinstance(effect, StartMatch):
            self._start_match()
        elif isinstance(effect, ReleaseOtherRequests):
            self.released += release_pending(
                self.session, self.services, self.req.mentor, effect.reason, exclude=self.req.id
            )
        elif isinstance(effect, ForwardText):
            self._forward(effect)
        elif isinstance(effect, FlagForCoordinator):
            flag(self.session, self.services, self.req.program_id, effect.reason, req=self.req)
        elif isinstance(effect, SetDue):
            self.req.due_at = effect.at

    def _key(self, step: str, role: Role) -> str:
        """Each step of each request mails each role once; repeatable steps add their cause."""
        suffix = f":{self.cause}" if self.cause else ""
        return f"request:{self.req.id}:{step}:{role}{suffix}"

    def _context(self) -> dict[str, Any]:
        """What request emails show."""
        mentor, mentee = self.req.mentor, self.req.mentee
        return {
            "mentor": person_view(mentor),
            "mentee": person_view(mentee),
            "note": self.req.note,
            "due_at": self.req.due_at,
            "mentor_contact": mentor_contact(mentor),
            "reply_text": self.reply_text,
            "question": self.question,
            "released": self.released,
            "active_matches": active_matches(self.session, mentor.id),
            "reason": "",
            "mentors": [],
        }

    def _send(self, effect: SendEmail) -> None:
        """Write one email of the decision."""
        to = self.req.mentor if effect.to is Role.MENTOR else self.req.mentee
        context = self._context()
        if effect.step.startswith("released-"):
            context["reason"] = effect.step.removeprefix("released-")
        draft = Draft(
            program=to.program,
            template=effect.template,
            key=self._key(effect.step, effect.to),
            to=to,
            context=context,
            reply_context=Context.REQUEST if effect.to is Role.MENTOR else Context.GENERAL,
            request_id=self.req.id,
        )
        for action in effect.with_actions:
            draft.actions[action] = LinkSpec(
                action, to.id, request_id=self.req.id, group_key=f"request:{self.req.id}:answer"
            )
        if effect.with_alternatives:
            _attach_offer(self.session, draft, to, self.req.note, f"req{self.req.id}:{effect.step}")
        outbox.write(self.session, self.services, draft)

    def _start_match(self) -> None:
        """Record the pair."""
        self.session.add(
            Match(
                program_id=self.req.program_id,
                mentor_id=self.req.mentor_id,
                mentee_id=self.req.mentee_id,
                request_id=self.req.id,
                state="active",
                started_at=self.services.now(),
                ends_on=self.req.mentor.program.term_end,
            )
        )
        self.session.flush()

    def _forward(self, effect: ForwardText) -> None:
        """Pass the reply's words to the other participant; their answer comes back here."""
        to = self.req.mentee if effect.to is Role.MENTEE else self.req.mentor
        outbox.write(
            self.session,
            self.services,
            Draft(
                program=to.program,
                template=effect.template,
                key=self._key(f"forward-{effect.template}", effect.to),
                to=to,
                context=self._context(),
                reply_context=Context.REQUEST,
                request_id=self.req.id,
            ),
        )


def release_pending(
    session: Session, services: Services, mentor: Participant, reason: str, exclude: int = 0
) -> int:
    """Release every request still waiting on the mentor, each mentee told kindly."""
    waiting = session.scalars(
        select(MentorshipRequest).where(
            MentorshipRequest.mentor_id == mentor.id,
            MentorshipRequest.state == request.RequestState.PENDING,
            MentorshipRequest.id != exclude,
        )
    ).all()
    for req in waiting:
        apply_request_event(session, services, req, request.MentorUnavailable(reason), "")
    return len(waiting)


def relay_to_mentor(
    session: Session, services: Services, req: MentorshipRequest, text: str, cause: str
) -> None:
    """A mentee's answer to the mentor's question goes to the mentor, with the answer links."""
    mentor = req.mentor
    outbox.write(
        session,
        services,
        Draft(
            program=mentor.program,
            template="message_from_mentee",
            key=f"request:{req.id}:relay:mentor:{cause}",
            to=mentor,
            context={"mentee": person_view(req.mentee), "reply_text": text},
            reply_context=Context.REQUEST,
            request_id=req.id,
            actions={
                a: LinkSpec(a, mentor.id, request_id=req.id, group_key=f"request:{req.id}:answer")
                for a in ("accept", "decline")
            },
        ),
    )


# --- availability, leaving, problems -------------------------------------------------------


def change_availability(
    session: Session,
    services: Services,
    mentor: Participant,
    event: availability.AvailabilityEvent,
    cause: str,
) -> None:
    """Pause or resume a mentor and confirm it to them."""
    program = mentor.program
    decision = availability.decide(
        availability.Availability(mentor.availability), event, services.now(), policy_of(program)
    )
    mentor.availability = decision.state
    released = 0
    for effect in decision.effects:
        if isinstance(effect, ReleaseOtherRequests):
            released += release_pending(session, services, mentor, effect.reason)
        elif isinstance(effect, SendEmail):
            count = active_matches(session, mentor.id)
            outbox.write(
                session,
                services,
                Draft(
                    program=program,
                    template=effect.template,
                    key=f"availability:{mentor.id}:{effect.step}:{cause}",
                    to=mentor,
                    context={
                        "released": released,
                        "full": count >= capacity_of(mentor, program),
                        "capacity": capacity_of(mentor, program),
                    },
                ),
            )


def leave_program(session: Session, services: Services, person: Participant, cause: str) -> None:
    """The person asked to stop: withdraw or release what waits, confirm once, mail no more."""
    released = 0
    if person.role == "mentor":
        released = release_pending(session, services, person, "left")
    for req in _pending_of_mentee(session, person.id):
        apply_request_event(session, services, req, request.MenteeWithdrew(), "")
        released += 1
    person.status = "left"
    if _has_active_match(session, person.id):
        flag(session, services, person.program_id, f"{person.name} left the program with a match")
    outbox.write(
        session,
        services,
        Draft(
            program=person.program,
            template="left_program",
            key=f"left:{person.id}:{cause}",
            to=person,
            context={"released": released},
        ),
    )


def _has_active_match(session: Session, person_id: int) -> bool:
    """Whether the person is in an active match on either side."""
    count = session.scalar(
        select(func.count(Match.id)).where(
            Match.state == "active", (Match.mentor_id == person_id) | (Match.mentee_id == person_id)
        )
    )
    return bool(count)


def flag(
    session: Session,
    services: Services,
    program_id: int | None,
    reason: str,
    detail: str = "",
    req: MentorshipRequest | None = None,
    inbound_id: int | None = None,
) -> None:
    """Add an item to the coordinators' attention list."""
    session.add(
        Attention(
            program_id=program_id,
            reason=reason,
            detail=detail,
            request_id=req.id if req else None,
            inbound_id=inbound_id,
            created_at=services.now(),
            resolved=False,
        )
    )
