"""Coordinators' commands about people and items: remind, end, approve, match.

Each answers (what to tell the coordinator, whether it acted); the digest reply, a digest
link and the CLI all come here, and their caller audits what came of it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from mentormail.service import agreement, coordinators, matches, outbox, pairing, proposals
from mentormail.service.context import Unit
from mentormail.service.keys import idempotency_key
from mentormail.service.models import (
    Attention,
    Match,
    MentorshipRequest,
    Participant,
    Program,
)
from mentormail.service.outbox import Draft
from mentormail.service.people import active_matches_of, person_view
from mentormail.workflows.digest import Command, Verb
from mentormail.workflows.digest_items import Kind
from mentormail.workflows.effects import Role
from mentormail.workflows.match import EndReason, MatchState
from mentormail.workflows.request import RequestState

Said = tuple[str, bool]
VERBS = frozenset({Verb.REMIND, Verb.END, Verb.APPROVE, Verb.MATCH})


def perform(uow: Unit, program: Program, sender: str, command: Command) -> Said:
    """Carry out remind, end, approve or match."""
    if command.verb is Verb.REMIND:
        return _each_item(uow, program, command, lambda item: remind(uow, program, item))
    if command.verb is Verb.END:
        return _each_item(
            uow, program, command, lambda item: end_item(uow, program, item, command.text)
        )
    if command.verb is Verb.APPROVE:
        return approve(uow, program, command.email)
    if command.verb is Verb.MATCH:
        return match(uow, program, sender, command.email, command.other_email)
    raise ValueError(f"not a command about people or items: {command.verb}")


def person_in(uow: Unit, program: Program, email: str) -> Participant | None:
    """The participant of the program with this address, if any."""
    return uow.session.scalar(
        select(Participant).where(
            Participant.program_id == program.id, Participant.email == email.lower()
        )
    )


def _each_item(
    uow: Unit, program: Program, command: Command, act: Callable[[Attention], Said]
) -> Said:
    """Do the command for each item it names; an unknown item says so."""
    said, acted = [], False
    for item_id in command.items:
        item = uow.session.get(Attention, item_id)
        if item is None or item.program_id != program.id:
            said.append(f"#{item_id}: no such item in {program.name}'s list")
            continue
        words, done = act(item)
        said.append(f"#{item_id}: {words}")
        acted = acted or done
    return "; ".join(said), acted


def _people_of(uow: Unit, item: Attention) -> list[Participant]:
    """The participants an item is about: its person, and its request's two people."""
    found: dict[int, Participant] = {}
    if item.request_id:
        req = uow.session.get_one(MentorshipRequest, item.request_id)
        found[req.mentor_id], found[req.mentee_id] = req.mentor, req.mentee
    if item.participant_id:
        person = uow.session.get_one(Participant, item.participant_id)
        found.setdefault(person.id, person)
    return [p for p in found.values() if p.status == "active"]


# --- remind ------------------------------------------------------------------------------------


def remind(uow: Unit, program: Program, item: Attention) -> Said:
    """A kind nudge to each person of the item with something waiting on them: a request to
    answer, or a partner to write to; never for an urgent item (a reported problem, HELP, a
    low rating), whose person would get a cheerful "nothing is wrong" about it, nor for one
    raised by someone's own message (a question): it waits for an answer, not a nudge."""
    if item.resolved:  # its matter is settled: a nudge about it would be news to no one
        return "already done (closed); no one reminded", False
    if refused := _not_for_reminding(item):
        return f"{refused}; no one reminded", False
    people = _people_of(uow, item)
    calls = {p.id: call for p in people if (call := coordinators.open_call(uow.session, p))}
    waiting = "".join(
        f"; {p.name} not reminded: their own #{calls[p.id].id} is still open, a coordinator"
        " is awaited"
        for p in people
        if p.id in calls
    )
    asked = [p for p in people if p.id not in calls and _asked_for_goals(uow, item, p)]
    drafts = [
        d
        for p in people
        if p.id not in calls and p not in asked and (d := _reminder(uow, program, item, p))
    ]
    if not drafts and not asked:
        nothing = "nothing waits on its people (no request to answer, no partner)"
        return f"{'no one reminded' if calls else nothing + '; no one reminded'}{waiting}", False
    for draft in drafts:
        outbox.write(uow, draft)
    said = [f"asked {' and '.join(p.name for p in asked)} for the goals"] if asked else []
    if drafts:
        said.append(f"reminded {' and '.join(d.to.name for d in drafts if d.to)}")
    return f"{'; '.join(said)}{waiting}", True


def remindable(uow: Unit, item: Attention) -> bool:
    """Whether ``remind`` would nudge anyone for this item (the digest offers the link then)."""
    if _not_for_reminding(item):
        return False
    return any(
        _reminder(uow, None, item, p)
        for p in _people_of(uow, item)
        if coordinators.open_call(uow.session, p) is None
    )


def _asked_for_goals(uow: Unit, item: Attention, person: Participant) -> bool:
    """An item about an agreement never drafted: its mentee is asked for the goals (a reply
    with them is the draft), not sent the general nudge; False when that does not apply."""
    if not item.reason.startswith(Kind.AGREEMENT) or person.role != "mentee":
        return False
    pairs = active_matches_of(uow.session, person.id)
    cause = f"remind{item.id}"
    return bool(pairs) and agreement.remind_for_coordinators(uow, pairs[0], cause)


def _not_for_reminding(item: Attention) -> str | None:
    """Why an item is never answered with a nudge (urgent, or someone's own message), if so."""
    if item.urgent:
        return "urgent: it needs a person, not a reminder"
    if item.inbound_id is not None:
        return "their message needs an answer, not a reminder"
    return None


def _reminder(
    uow: Unit, program: Program | None, item: Attention, person: Participant
) -> Draft | None:
    """The nudge for one person: what waits on them, said kindly; None when nothing does."""
    context: dict[str, object] = {"waiting_mentee": None, "partner": None}
    waiting = uow.session.scalar(
        select(MentorshipRequest)
        .where(
            MentorshipRequest.mentor_id == person.id,
            MentorshipRequest.state == RequestState.PENDING,
        )
        .order_by(MentorshipRequest.id)
    )
    if waiting is not None:
        context["waiting_mentee"] = person_view(waiting.mentee)
        context["waiting_due"] = waiting.due_at
    pairs = active_matches_of(uow.session, person.id)
    if pairs:
        pair = pairs[0]
        context["partner"] = person_view(
            pair.mentee if person.id == pair.mentor_id else pair.mentor
        )
    if waiting is None and not pairs:
        return None
    return Draft(
        program=program or person.program,
        template="coordinator_reminder",
        key=idempotency_key("remind", item.id, str(person.id), f"{uow.now:%Y-%m-%d}"),
        to=person,
        context=context,
    )


# --- end ---------------------------------------------------------------------------------------


def end_item(uow: Unit, program: Program, item: Attention, reason: str) -> Said:
    """End the match the item is about; both told kindly, the reason kept for staff. Ending
    it handles the item, so it is done too (it was chased as still open)."""
    pair = _match_of_item(uow, item)
    if isinstance(pair, str):
        return pair, False
    said, done = end_match(uow, pair, reason)
    if done:
        item.resolved = True
        said = f"{said}; #{item.id} is done"
    return said, done


def _match_of_item(uow: Unit, item: Attention) -> Match | str:
    """The one active match an item is about, or why there is none to end."""
    if item.request_id:
        pair = uow.session.scalar(select(Match).where(Match.request_id == item.request_id))
        if pair is not None and pair.state == MatchState.ACTIVE:
            return pair
    people = _people_of(uow, item)
    pairs = {m.id: m for p in people for m in active_matches_of(uow.session, p.id)}
    if not pairs:
        return "no active match to end; nothing done"
    if len(pairs) > 1:
        return "its people are in several matches; use end-match MENTEE MENTOR; nothing done"
    return next(iter(pairs.values()))


def end_match(uow: Unit, pair: Match, reason: str) -> Said:
    """End one match as the coordinators; the partners are told kindly, never the reason."""
    if pair.state != MatchState.ACTIVE:
        return "that match has already ended; nothing done", False
    matches.end(uow, pair, EndReason.COORDINATOR, Role.COORDINATOR, {"why": reason})
    return (
        f"the match of {pair.mentee.name} and {pair.mentor.name} has ended; both were told"
        " kindly (not the reason)",
        True,
    )


def end_pair(
    uow: Unit, program: Program, mentee_email: str, mentor_email: str, reason: str
) -> Said:
    """End the active match of two people named by address."""
    people = _two(uow, program, mentee_email, mentor_email)
    if isinstance(people, str):
        return people, False
    mentee, mentor = people
    pair = uow.session.scalar(
        select(Match).where(
            Match.mentee_id == mentee.id,
            Match.mentor_id == mentor.id,
            Match.state == MatchState.ACTIVE,
        )
    )
    if pair is None:
        return f"{mentee.name} and {mentor.name} have no active match; nothing done", False
    return end_match(uow, pair, reason)


def _two(
    uow: Unit, program: Program, mentee_email: str, mentor_email: str
) -> tuple[Participant, Participant] | str:
    """The mentee and the mentor named, or which address is unknown."""
    mentee = person_in(uow, program, mentee_email)
    mentor = person_in(uow, program, mentor_email)
    for email, person in ((mentee_email, mentee), (mentor_email, mentor)):
        if person is None:
            return f"no one in {program.name} has the address {email}; nothing done"
    assert mentee is not None and mentor is not None
    return mentee, mentor


# --- approve -----------------------------------------------------------------------------------


def approve(uow: Unit, program: Program, email: str) -> Said:
    """Approve a mentor awaiting approval: they are listed and told."""
    mentor = person_in(uow, program, email)
    if mentor is None:
        return f"no one in {program.name} has the address {email}; nothing done", False
    if mentor.role != "mentor":
        return f"{mentor.name} is a mentee, not a mentor; nothing done", False
    if mentor.approval == "approved":
        return f"{mentor.name} is already approved; nothing changed", False
    mentor.approval = "approved"
    outbox.write(
        uow,
        Draft(
            program=program,
            template="approval_given",
            key=idempotency_key("approval", mentor.id, "given"),
            to=mentor,
        ),
    )
    return f"{mentor.name} is approved: mentees can find them now, and they were told", True


def awaiting(uow: Unit, program: Program) -> list[Participant]:
    """Mentors of the program waiting for a coordinator's approval, oldest first."""
    return list(
        uow.session.scalars(
            select(Participant)
            .where(
                Participant.program_id == program.id,
                Participant.role == "mentor",
                Participant.status == "active",
                Participant.approval == "awaiting",
            )
            .order_by(Participant.id)
        )
    )


# --- match -------------------------------------------------------------------------------------


def match(uow: Unit, program: Program, sender: str, mentee_email: str, mentor_email: str) -> Said:
    """Propose a pair by hand (double opt-in), as ``mentormail pair`` does."""
    people = _two(uow, program, mentee_email, mentor_email)
    if isinstance(people, str):
        return people, False
    mentee, mentor = people
    why = proposals.why_not(uow.session, mentee, mentor)
    if why:
        return f"{why}; nothing done", False
    score, why_they_fit = pairing.fit_of(program, mentee, mentor)
    row = proposals.propose(uow, mentee, mentor, sender, score, why_they_fit)
    due = f" by {row.due_at:%A %-d %B}" if row.due_at else ""
    return (
        f"{mentee.name} and {mentor.name} were each asked to say yes or no{due}; they are"
        " introduced when both say yes",
        True,
    )


def pair_directly(
    uow: Unit, program: Program, sender: str, mentee_email: str, mentor_email: str
) -> Said:
    """Pair two people at once (``pair --direct``): introduced as after an accepted request."""
    people = _two(uow, program, mentee_email, mentor_email)
    if isinstance(people, str):
        return people, False
    mentee, mentor = people
    why = proposals.why_not(uow.session, mentee, mentor)
    if why:
        return f"{why}; nothing done", False
    proposals.pair_directly(uow, mentee, mentor, sender)
    return f"{mentee.name} and {mentor.name} are matched and were introduced by email", True
