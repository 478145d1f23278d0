"""The proposal shell: pairs proposed by the program (double opt-in), answered by reply or
link; both yes begins the match as an accepted request does; a no proposes the next best."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.inbound.reading import understand_safely
from mentormail.inbound.types import Context, Understanding
from mentormail.service import coordinators, effects, pairing, requests
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.models import MentorshipRequest, PairProposal, Participant, Program
from mentormail.service.people import first_name, mentee_matches, named, policy_of
from mentormail.service.rendering import major_label
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import proposal as rules
from mentormail.workflows import request
from mentormail.workflows.digest_items import NO_MENTOR_FITS
from mentormail.workflows.effects import Effect, Role, SendEmail, SetDue
from mentormail.workflows.pairing import Proposal, reason_in_words
from mentormail.workflows.pairing import propose as best_pairs
from mentormail.workflows.pairing_rules import DEFAULT_WEIGHTS
from mentormail.workflows.proposal import ProposalState

# How coordinators read what became of a proposal that did not go ahead.
CLOSED_WORDS = {
    ProposalState.DECLINED: "a proposed pair said no",
    ProposalState.EXPIRED: "a proposed pair was not answered in time",
    ProposalState.WITHDRAWN: "a proposed mentor left the program",
}


def send_all(uow: Unit, program: Program, by: str) -> list[PairProposal]:
    """Propose every pair of the optimal assignment now; each side is asked yes or no."""
    found = pairing.preview(uow.session, program)
    made = []
    for pair in found.pairs:
        mentee = uow.session.get_one(Participant, pair.mentee.person_id)
        mentor = uow.session.get_one(Participant, pair.mentor.person_id)
        made.append(propose(uow, mentee, mentor, by, pair.score, pair.reasons))
    return made


def propose(
    uow: Unit,
    mentee: Participant,
    mentor: Participant,
    by: str,
    score: float = 0.0,
    reasons: tuple[str, ...] = (),
) -> PairProposal:
    """Propose one pair: both hear of it, each with yes and no links."""
    row = PairProposal(
        program_id=mentee.program_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        state=ProposalState.PROPOSED,
        score=float(score),
        reasons=list(reasons),
        proposed_by=by[:320],
        created_at=uow.now,
    )
    uow.session.add(row)
    uow.session.flush()
    decide(uow, row, rules.Proposed(), "", new=True)
    return row


def pair_directly(uow: Unit, mentee: Participant, mentor: Participant, by: str) -> None:
    """A coordinator pairs two people without asking them: introduced at once."""
    row = PairProposal(
        program_id=mentee.program_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        state=ProposalState.ACCEPTED,
        mentee_answer="yes",
        mentor_answer="yes",
        proposed_by=by[:320],
        created_at=uow.now,
        decided_at=uow.now,
    )
    uow.session.add(row)
    uow.session.flush()
    _begin(uow, row, f"direct:{row.id}")


def why_not(session: Session, mentee: Participant, mentor: Participant) -> str:
    """Why these two cannot be proposed now, in words ("" when they can)."""
    if mentee.program_id != mentor.program_id:
        return "they are not in the same program"
    if mentee.role != "mentee" or mentor.role != "mentor":
        return f"{mentee.name} must be a mentee and {mentor.name} a mentor"
    if mentee.status != "active" or mentor.status != "active":
        return "both must be taking part in the program"
    if mentor.approval != "approved":
        return f"{mentor.name} is still awaiting approval"
    if mentee_matches(session, mentee.id) >= policy_of(mentee.program).max_matches_per_mentee:
        return f"{mentee.name} already has a mentor"
    if open_of(session, mentee.id):
        return f"{mentee.name} already has a proposal waiting for answers"
    return ""


def open_of(session: Session, mentee_id: int) -> list[PairProposal]:
    """The mentee's proposals still waiting for answers."""
    return list(
        session.scalars(
            select(PairProposal).where(
                PairProposal.mentee_id == mentee_id,
                PairProposal.state == ProposalState.PROPOSED,
            )
        )
    )


# --- answers ---------------------------------------------------------------------------------


def role_in(row: PairProposal, person: Participant) -> Role:
    """Which side of the proposal a person is."""
    return Role.MENTOR if person.id == row.mentor_id else Role.MENTEE


def read_answer(text: str) -> Understanding:
    """A reply to a proposal read as a yes or no to a request is read (the reply itself is
    read as general mail first: a word valid anywhere may act, or be a side fact)."""
    return understand_safely(text, Context.REQUEST, [])


def answer(
    uow: Unit,
    row: PairProposal,
    person: Participant,
    said: bool | None,
    cause: str,
    words: str = "",
) -> bool:
    """One side's yes (True), no (False) or unclear (None); False when it is already settled."""
    role = role_in(row, person)
    event: rules.ProposalEvent
    if said is None:
        event = rules.Unclear(role)
    else:
        event = rules.SaidYes(role) if said else rules.SaidNo(role)
    try:
        decide(uow, row, event, cause, reply_text=words)
    except InvalidTransition:
        return False
    return True


def outcome_words(row: PairProposal, person: Participant) -> str:
    """Where a proposal stands, for one of its two people."""
    other = row.mentee if person.id == row.mentor_id else row.mentor
    words = {
        ProposalState.PROPOSED: f"The introduction to {other.name} is waiting for answers.",
        ProposalState.ACCEPTED: f"You and {other.name} both said yes, and were introduced.",
        ProposalState.DECLINED: f"The introduction to {other.name} is not going ahead.",
        ProposalState.EXPIRED: f"The introduction to {other.name} closed without an answer.",
        ProposalState.WITHDRAWN: f"The introduction to {other.name} closed: one of you left.",
    }
    return words[ProposalState(row.state)]


# --- the decision ----------------------------------------------------------------------------


def decide(
    uow: Unit,
    row: PairProposal,
    event: rules.ProposalEvent,
    cause: str,
    *,
    new: bool = False,
    reply_text: str = "",
) -> None:
    """Decide on a proposal event and carry out the decision; raises InvalidTransition."""
    if not new:
        row = _locked(uow, row)
    view = rules.ProposalView(
        ProposalState(row.state),
        rules.Answer(row.mentee_answer),
        rules.Answer(row.mentor_answer),
        row.due_at,
    )
    decision = rules.decide(None if new else view, event, uow.now, policy_of(row.mentee.program))
    changed = decision.state.state != row.state
    row.state = decision.state.state
    row.mentee_answer, row.mentor_answer = decision.state.mentee, decision.state.mentor
    if changed:
        row.decided_at = uow.now
    subject = _subject(row, "" if new or changed else cause, reply_text)
    for effect in decision.effects:
        _carry_out(uow, row, subject, effect, cause)


def _carry_out(
    uow: Unit,
    row: PairProposal,
    subject: Subject,
    effect: Effect | rules.BeginMatch | rules.ProposeNext,
    cause: str,
) -> None:
    """One effect: the proposal's own here, the rest by the one interpreter."""
    if isinstance(effect, SetDue):
        row.due_at = subject.values["due_at"] = effect.at
    elif isinstance(effect, rules.BeginMatch):
        _begin(uow, row, cause)
    elif isinstance(effect, rules.ProposeNext):
        propose_next(uow, row)
    else:
        effects.apply(uow, subject, (effect,))


def _subject(row: PairProposal, cause: str, reply_text: str) -> Subject:
    """What the proposal's emails are about: the pair; links and replies name the proposal."""
    return Subject(
        program=row.mentee.program,
        workflow="proposal",
        subject_id=row.id,
        cause=cause,
        mentor=row.mentor,
        mentee=row.mentee,
        reply_text=reply_text,
        values={"reasons": _reasons_for_each(row), "due_at": row.due_at},
        link_for=lambda action, to: LinkSpec(
            action, to.id, target_id=row.id, group_key=f"proposal:{row.id}:{to.id}"
        ),
        reply_payload={"answers": "proposal", "proposal_id": row.id},
    )


def _locked(uow: Unit, row: PairProposal) -> PairProposal:
    """The proposal re-read under a lock (its mentor, then its mentee, locked first)."""
    for person_id in (row.mentor_id, row.mentee_id):
        uow.session.execute(
            select(Participant.id).where(Participant.id == person_id).with_for_update()
        ).all()
    return uow.session.scalars(
        select(PairProposal)
        .where(PairProposal.id == row.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _begin(uow: Unit, row: PairProposal, cause: str) -> None:
    """Both said yes: a request accepted at once, so the introduction and the year begin
    exactly as when a mentor accepts a request."""
    note = "Proposed by the program" + (f" ({'; '.join(row.reasons)})" if row.reasons else "")
    req = MentorshipRequest(
        program_id=row.program_id,
        mentee_id=row.mentee_id,
        mentor_id=row.mentor_id,
        state=request.RequestState.PENDING,
        note=note[:2000],
        created_at=row.created_at,
        decided_at=None,
        due_at=None,
    )
    uow.session.add(req)
    uow.session.flush()
    row.request_id = req.id
    state = requests.decide(uow, req, request.MentorAccepted(), cause or f"proposal{row.id}")
    if state == request.RequestState.PENDING:  # the mentor filled up meanwhile: offered one
        days = policy_of(row.mentee.program).response_days  # more seat; it expires like any
        req.due_at = uow.now + timedelta(days=days)


# --- the next best ---------------------------------------------------------------------------


def _best_for(session: Session, mentee: Participant) -> Proposal | None:
    """The program's best pairing for one mentee among the mentors free now (None: the
    mentee may not have a mentor now)."""
    return _best_among(session, mentee.program, [mentee.id]).get(mentee.id)


def _best_among(session: Session, program: Program, mentee_ids: list[int]) -> dict[int, Proposal]:
    """Each mentee's own best pairing among the mentors free now, the program's candidates
    read once (mentees who may not have a mentor now are left out)."""
    mentees, mentors = pairing.candidates(session, program)
    weights = (program.settings or {}).get("match_weights") or DEFAULT_WEIGHTS
    wanted = set(mentee_ids)
    return {
        m.person_id: best_pairs([m], mentors, weights) for m in mentees if m.person_id in wanted
    }


def fits_now(session: Session, program: Program, mentee_ids: list[int]) -> dict[int, Participant]:
    """The mentor who fits each mentee best and has a free seat now, for those one fits (the
    digest says so beside an item that once found none)."""
    found = _best_among(session, program, mentee_ids)
    return {
        mentee_id: session.get_one(Participant, best.pairs[0].mentor.person_id)
        for mentee_id, best in found.items()
        if best.pairs
    }


def propose_next(uow: Unit, row: PairProposal) -> PairProposal | None:
    """The mentee's next best mentor among those still free, recomputed now; if none fits,
    the mentee is told kindly and the coordinators see it."""
    mentee = row.mentee
    program = mentee.program
    limit = policy_of(program).max_matches_per_mentee
    if mentee.status != "active" or mentee_matches(uow.session, mentee.id) >= limit:
        return None
    found = _best_for(uow.session, mentee)
    if found is None or not found.pairs:
        why = found.unmatched[0].why if found and found.unmatched else "no mentor is free"
        _none_left(uow, row, why)
        return None
    best = found.pairs[0]
    mentor = uow.session.get_one(Participant, best.mentor.person_id)
    coordinators.flag(
        uow,
        program.id,
        f"{CLOSED_WORDS[ProposalState(row.state)]}: mentee {named(mentee)} and mentor"
        f" {named(row.mentor)}; {mentor.name} proposed next",
        notice=True,
    )
    return propose(uow, mentee, mentor, row.proposed_by, best.score, best.reasons)


def _none_left(uow: Unit, row: PairProposal, why: str) -> None:
    """No one else fits now: the mentee hears so; a coordinator will look."""
    subject = _subject(row, "", "")
    subject.values["why"] = why
    effects.apply(uow, subject, (SendEmail("proposal_none_left", Role.MENTEE, "none-left"),))
    coordinators.flag(
        uow,
        row.program_id,
        f"{CLOSED_WORDS[ProposalState(row.state)]} and {NO_MENTOR_FITS}: mentee"
        f" {named(row.mentee)}",
        why,
        person=row.mentee,
    )


# --- the sweep -------------------------------------------------------------------------------


def past_due(session: Session, now: datetime) -> list[int]:
    """Proposals still waiting past their due date."""
    return list(
        session.scalars(
            select(PairProposal.id).where(
                PairProposal.state == ProposalState.PROPOSED, PairProposal.due_at <= now
            )
        )
    )


def withdraw_open(uow: Unit, person: Participant) -> None:
    """The person left: each proposal still waiting on them closes, the other side told."""
    column = PairProposal.mentor_id if person.role == "mentor" else PairProposal.mentee_id
    waiting = uow.session.scalars(
        select(PairProposal).where(
            column == person.id, PairProposal.state == ProposalState.PROPOSED
        )
    ).all()
    for row in waiting:
        decide(uow, row, rules.Left(role_in(row, person)), "")


def expire(uow: Unit, proposal_id: int) -> None:
    """No answer in time: both told; the mentee's next best is proposed."""
    row = uow.session.get_one(PairProposal, proposal_id)
    decide(uow, row, rules.WindowPassed(), "")


DUE = (("expired_proposals", past_due, expire),)  # rows of the sweep's DUE table


def _reasons_for_each(row: PairProposal) -> dict[str, list[str]]:
    """Why the pair may fit, in the words each side's email gives it."""
    name, label = first_name(row.mentee), major_label(row.mentee.program)
    return {
        side: [reason_in_words(r, name, side == "mentee", label) for r in row.reasons or ()]
        for side in ("mentee", "mentor")
    }
