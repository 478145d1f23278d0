"""The one effects interpreter: every workflow's decision is carried out here, effect by
effect, in order. An effect of a kind it does not know is an error, never skipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from mentormail.service import coordinators, offers, outbox
from mentormail.service.context import Unit
from mentormail.service.db import insert_row
from mentormail.service.exceptions import UnknownEffect
from mentormail.service.keys import idempotency_key, inbound_id_of
from mentormail.service.models import Match, MentorshipRequest, Participant, Program
from mentormail.service.outbox import Draft
from mentormail.service.people import (
    capacity_of,
    mentees_search,
    mentor_contact,
    pair_named,
    person_view,
)
from mentormail.service.tokens import LinkSpec
from mentormail.workflows.conversation import asks_what_they_meant
from mentormail.workflows.effects import (
    Effect,
    EndActiveMatches,
    EndMatch,
    ExtendMatch,
    FlagForCoordinator,
    ForwardText,
    ReleaseOtherRequests,
    Role,
    SendEmail,
    SetDue,
    StartMatch,
    WithdrawOpenProposals,
    WithdrawOwnRequests,
)
from mentormail.workflows.match import EndReason, MatchState
from mentormail.workflows.policy import short_mentorship, time_together


@dataclass
class Subject:
    """What a decision is about: the workflow and its row, the people, and the cause."""

    program: Program
    workflow: str  # "request" | "match" | "membership" | "availability"
    subject_id: int
    cause: str = ""  # the inbound message or link behind a step that may repeat
    mentor: Participant | None = None
    mentee: Participant | None = None
    person: Participant | None = None  # whom a membership or availability decision is about
    request: MentorshipRequest | None = None
    match: Match | None = None
    reply_text: str = ""
    inbound_id: int | None = None  # the reply behind it, when ``cause`` no longer says
    values: dict[str, Any] = field(default_factory=dict)  # extra values for the templates
    # how this subject's one-time links are made when they are not a request's
    # (a check-in's MET / NOT YET / HELP), and what a reply to its emails must remember
    link_for: Callable[[str, Participant], LinkSpec] | None = None
    reply_payload: dict[str, Any] = field(default_factory=dict)


def match_subject(pair: Match, workflow: str, cause: str = "", **fields: Any) -> Subject:
    """The subject of a decision about a match: its program, both people and the pair."""
    return Subject(
        program=pair.mentor.program,
        workflow=workflow,
        subject_id=pair.id,
        cause=cause,
        mentor=pair.mentor,
        mentee=pair.mentee,
        match=pair,
        **fields,
    )


def side_of(pair: Match, person: Participant) -> Role:
    """Which side of the pair a person is on."""
    return Role.MENTOR if person.id == pair.mentor_id else Role.MENTEE


def apply(uow: Unit, subject: Subject, effects: tuple[Effect, ...]) -> None:
    """Carry out a decision's effects in order."""
    for effect in effects:
        handler = HANDLERS.get(type(effect))
        if handler is None:
            raise UnknownEffect(type(effect).__name__)
        handler(uow, subject, effect)


# --- emails ---------------------------------------------------------------------------------


def recipient(subject: Subject, role: Role) -> Participant:
    """The participant a role names in this subject; a role it lacks is an error."""
    found = {Role.MENTOR: subject.mentor, Role.MENTEE: subject.mentee, Role.PERSON: subject.person}
    person = found.get(role)
    if person is None:
        raise UnknownEffect(f"{subject.workflow} has no {role} to write to")
    return person


def template_values(uow: Unit, subject: Subject) -> dict[str, Any]:
    """What every email of a decision may show about its subject."""
    values: dict[str, Any] = {"reply_text": subject.reply_text, "mentors": []}
    if subject.mentor is not None:
        values["mentor"] = person_view(subject.mentor)
        values["mentor_contact"] = mentor_contact(subject.mentor)
        values["capacity"] = capacity_of(subject.mentor, subject.program)
    if subject.mentee is not None:
        values["mentee"] = person_view(subject.mentee)
    if subject.person is not None:
        values["person"] = person_view(subject.person)
    if subject.request is not None:
        values["note"] = " ".join((subject.request.note or "").split())  # quoted in one line:
        # the search's own line breaks broke out of the list item it sits in
        values["mentee_words"] = subject.request.mentee_words or ""
        values["due_at"] = subject.request.due_at
    if subject.match is not None:
        values["match"] = match_values(subject.match)
    values["term_end"] = subject.program.term_end
    values["days_left"] = (subject.program.term_end - uow.now.date()).days
    values["short_year"] = short_mentorship(uow.now.date(), subject.program.term_end)
    values["term_over"] = uow.now.date() > subject.program.term_end  # no one can ask any more
    values["mentees_search"] = mentees_search(subject.program)
    return {**values, **subject.values}


def match_values(pair: Match) -> dict[str, Any]:
    """What an email shows of a match: when it started and ends, whether that is short, and
    how its time together is worded (``span``: short, months or year)."""
    started, ends_on, program = pair.started_at, pair.ends_on, pair.mentor.program
    span = time_together(started.date(), ends_on, program.term_start, program.term_end)
    return {"started_at": started, "ends_on": ends_on, "span": span,
            "short": short_mentorship(started.date(), ends_on)}  # fmt: skip


def _send(uow: Unit, subject: Subject, effect: Any) -> None:
    """Write one email of the decision to the role it names."""
    assert isinstance(effect, SendEmail)
    if effect.to is Role.COORDINATOR:
        _send_to_coordinators(uow, subject, effect.template, effect.step)
        return
    to = recipient(subject, effect.to)
    draft = _draft(uow, subject, effect.template, to, effect.step, effect.to)
    for action in effect.with_actions:
        draft.actions[action] = _link(subject, action, to)
    if effect.with_alternatives and mentees_search(subject.program):  # else: no list to ask
        query = subject.request.note if subject.request else ""
        offers.attach_offer(uow, draft, to, query, f"{subject.workflow}{subject.subject_id}")
    outbox.write(uow, draft)


# Emails that offer HELP: each says so when the reader's own call for help is still open.
OFFERS_HELP = frozenset({"checkin", "checkin_nudge", "not_yet_still"})


def _draft(
    uow: Unit, subject: Subject, template: str, to: Participant, step: str, role: Role
) -> Draft:
    """An email of this subject's workflow, keyed by (workflow, subject, step, role, cause)."""
    context = {**template_values(uow, subject), "recipient_role": str(role)}
    if template in OFFERS_HELP:
        context["help_open_since"] = coordinators.open_call_since(uow.session, to)
    return Draft(
        program=subject.program,
        template=template,
        key=idempotency_key(subject.workflow, subject.subject_id, step, str(role), subject.cause),
        to=to,
        context=context,
        request_id=subject.request.id if subject.request else None,
        reply_payload={
            **({"match_id": subject.match.id} if subject.match else {}),
            **({"asked_again": True} if asks_what_they_meant(step) else {}),
            **subject.reply_payload,
        },
    )


def _link(subject: Subject, action: str, to: Participant) -> LinkSpec:
    """A one-time link for an action offered in a request email (or the subject's own)."""
    if subject.link_for is not None:
        return subject.link_for(action, to)
    req = subject.request
    if req is None and subject.match is not None:  # links about a match
        return match_link(action, to, subject.match)
    if req is None:
        raise UnknownEffect(f"link {action!r} needs a request")
    if action == "raise_capacity":
        assert subject.mentor is not None
        more = capacity_of(subject.mentor, subject.program) + 1
        return LinkSpec(action, to.id, request_id=req.id, target_id=more)
    return LinkSpec(action, to.id, request_id=req.id, group_key=f"request:{req.id}:answer")


def _send_to_coordinators(uow: Unit, subject: Subject, template: str, step: str) -> None:
    """An email to every coordinator of the program."""
    addresses = subject.program.coordinators or []
    for address in addresses:
        outbox.write(
            uow,
            Draft(
                program=subject.program,
                template=template,
                key=idempotency_key(subject.workflow, subject.subject_id, step, address),
                to_addr=address,
                context={
                    **template_values(uow, subject),
                    "recipient_name": coordinators.greeting(len(addresses)),
                    "to_coordinators": True,
                },
            ),
        )


def _forward(uow: Unit, subject: Subject, effect: Any) -> None:
    """Pass the reply's words to the other participant; their answer comes back to the request."""
    assert isinstance(effect, ForwardText)
    to = recipient(subject, effect.to)
    forwarded = replace(subject, values={**subject.values, "question": True})
    outbox.write(
        uow, _draft(uow, forwarded, effect.template, to, f"forward-{effect.template}", effect.to)
    )


# --- state ----------------------------------------------------------------------------------


def _start_match(uow: Unit, subject: Subject, effect: Any) -> None:
    """Record the pair, for the program's term."""
    req = subject.request
    assert req is not None
    match = Match(
        program_id=req.program_id,
        mentor_id=req.mentor_id,
        mentee_id=req.mentee_id,
        request_id=req.id,
        state=MatchState.ACTIVE,
        started_at=uow.now,
        ends_on=subject.program.term_end,
    )
    insert_row(uow.session, match)  # one prepared INSERT, no flush
    subject.match = match
    from mentormail.service import checkins  # the pair's year starts on the clock

    checkins.start_clock(uow, match, subject.program)

    from mentormail.service import agreement, termend  # the match's year, on the clock

    termend.schedule(uow, match)
    agreement.begin(uow, match)


def _set_due(uow: Unit, subject: Subject, effect: Any) -> None:
    """When the sweep looks at the subject again."""
    assert isinstance(effect, SetDue)
    if subject.request is None:
        raise UnknownEffect(f"{subject.workflow} has no due date")
    subject.request.due_at = effect.at


def _release_others(uow: Unit, subject: Subject, effect: Any) -> None:
    """Release what waits on the mentor (nothing, when the person is a mentee)."""
    from mentormail.service import requests  # the request shell applies its own decisions

    assert isinstance(effect, ReleaseOtherRequests)
    mentor = subject.mentor or subject.person
    if mentor is None or mentor.role != "mentor":
        return
    exclude = subject.request.id if subject.request else 0
    released = requests.release_pending(uow, mentor, effect.reason, exclude=exclude)
    subject.values["released"] = subject.values.get("released", 0) + released


def _withdraw_own(uow: Unit, subject: Subject, effect: Any) -> None:
    """Withdraw what the mentee still waits for (nothing, when the person is a mentor)."""
    from mentormail.service import requests

    person = subject.person
    if person is None or person.role != "mentee":
        return
    withdrawn = requests.withdraw_pending(uow, person)
    subject.values["released"] = subject.values.get("released", 0) + withdrawn


def _withdraw_proposals(uow: Unit, subject: Subject, effect: Any) -> None:
    """Close the program's open proposals to the person; the proposal shell tells the other."""
    from mentormail.service import proposals

    person = subject.person
    if person is None:
        raise UnknownEffect(f"{subject.workflow} has no person whose proposals could close")
    proposals.withdraw_open(uow, person)


def _end_matches(uow: Unit, subject: Subject, effect: Any) -> None:
    """End each active match of the person; the match shell tells each partner."""
    from mentormail.service import matches

    assert isinstance(effect, EndActiveMatches)
    person = subject.person
    if person is None:
        raise UnknownEffect(f"{subject.workflow} has no person whose matches could end")
    subject.values["ended_matches"] = matches.end_all(uow, person, effect.reason)


def _flag(uow: Unit, subject: Subject, effect: Any) -> None:
    """Put the decision on the coordinators' list, naming everyone it is about."""
    assert isinstance(effect, FlagForCoordinator)
    people = [p for p in (subject.mentor, subject.mentee) if p is not None] or [
        p for p in (subject.person,) if p is not None
    ]
    who = pair_named(people)
    reason = f"{effect.reason}: {who}" if who else effect.reason
    sides = {Role.MENTOR: subject.mentor, Role.MENTEE: subject.mentee}
    about = sides.get(effect.about) if effect.about else None
    coordinators.flag(
        uow,
        subject.program.id,
        reason,
        subject.reply_text[:4000],
        person=about or subject.person or subject.mentee,
        req=subject.request,
        inbound_id=subject.inbound_id or inbound_id_of(subject.cause),
        urgent=effect.urgent,
        email_now=effect.email_now,
        notice=effect.notice,
    )


# --- a match ended or extended by its own workflow ---------------------------------


def match_link(action: str, to: Participant, pair: Match) -> LinkSpec:
    """A one-time link about a match (e.g. ``end_match`` in a check-in): its id is the target."""
    return LinkSpec(action, to.id, target_id=pair.id)


def _end_match(uow: Unit, subject: Subject, effect: Any) -> None:
    """End the subject's match through the match workflow (the partner hears from it)."""
    from mentormail.service import matches

    assert isinstance(effect, EndMatch)
    if subject.match is None:
        raise UnknownEffect(f"{subject.workflow} has no match to end")
    matches.end(
        uow, subject.match, EndReason(effect.reason), effect.by, values=subject.values, chosen=True
    )


def _extend_match(uow: Unit, subject: Subject, effect: Any) -> None:
    """The pair goes on: a new end date (an open-ended match keeps its old one on the row)."""
    assert isinstance(effect, ExtendMatch)
    if subject.match is None:
        raise UnknownEffect(f"{subject.workflow} has no match to extend")
    if effect.until is not None:
        subject.match.ends_on = effect.until


HANDLERS: dict[type, Callable[[Unit, Subject, Any], None]] = {
    SendEmail: _send,
    ForwardText: _forward,
    StartMatch: _start_match,
    SetDue: _set_due,
    ReleaseOtherRequests: _release_others,
    WithdrawOwnRequests: _withdraw_own,
    WithdrawOpenProposals: _withdraw_proposals,
    EndActiveMatches: _end_matches,
    FlagForCoordinator: _flag,
    EndMatch: _end_match,
    ExtendMatch: _extend_match,
}
