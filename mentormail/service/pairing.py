"""The matching-by-the-program shell: load who may be paired; the rules give the best pairs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormail.service.models import (
    Match,
    MentorshipRequest,
    PairProposal,
    Participant,
    Program,
    Suppression,
)
from mentormail.service.people import capacity_of, policy_of
from mentormail.workflows.match import MatchState
from mentormail.workflows.pairing import Person, Proposal, propose, reasons, score_matrix
from mentormail.workflows.pairing_rules import DEFAULT_WEIGHTS
from mentormail.workflows.proposal import ProposalState
from mentormail.workflows.request import RequestState

Progress = Callable[[str], None]


def preview(session: Session, program: Program, progress: Progress | None = None) -> Proposal:
    """The pairs the program's matching would propose now, and who would be left, with why."""
    say = progress or (lambda _: None)
    say("loading participants")
    mentees, mentors = candidates(session, program)
    say(f"scoring {len(mentees)} mentees × {len(mentors)} mentors")
    weights = (program.settings or {}).get("match_weights") or DEFAULT_WEIGHTS
    return propose(mentees, mentors, weights)


def fit_of(
    program: Program, mentee: Participant, mentor: Participant
) -> tuple[float, tuple[str, ...]]:
    """How well a pair chosen by hand fits: its score and the fields that matched."""
    weights = (program.settings or {}).get("match_weights") or DEFAULT_WEIGHTS
    one, other = _person(mentee, 1, {}), _person(mentor, 1, {})
    return float(score_matrix([one], [other], weights)[0, 0]), reasons(one, other, weights)


def candidates(session: Session, program: Program) -> tuple[list[Person], list[Person]]:
    """Active mentees who may have a mentor now, and active, reachable, available mentors
    with their free seats; pairs asked before are never proposed again."""
    people = list(
        session.scalars(
            select(Participant)
            .where(Participant.program_id == program.id, Participant.status == "active")
            .order_by(Participant.id)
        )
    )
    matched = _active_counts(session, program.id)
    waiting = _pending_mentees(session, program.id)
    proposed = _open_proposals(session, program.id)  # held while both answer
    waiting |= {mentee_id for mentee_id, _ in proposed}
    held = Counter(mentor_id for _, mentor_id in proposed)
    asked = _asked_before(session, program.id)
    blocked = _suppressed(session, [p.email for p in people])
    limit = policy_of(program).max_matches_per_mentee
    mentees = [
        _person(p, 1 if matched.get(p.id, 0) < limit and p.id not in waiting else 0, asked)
        for p in people
        if p.role == "mentee" and p.email not in blocked
    ]
    mentors = [
        _person(p, max(0, capacity_of(p, program) - matched.get(p.id, 0) - held[p.id]), {})
        for p in people
        if p.role == "mentor"
        and p.availability == "available"
        and p.approval == "approved"
        and p.email not in blocked
    ]
    return [m for m in mentees if m.seats], mentors


def _person(p: Participant, seats: int, asked: dict[int, set[int]]) -> Person:
    """A participant as the matcher sees them."""
    prefs: dict[str, Any] = p.preferences or {}
    fields = {
        "profession": [p.profession],
        "industry": [p.industry],
        "major": [p.major],
        "interests": list(p.interests or ()),
        "goals": [prefs.get("goals", "")],
        "location": [prefs.get("location", "")],
        "wants": list(prefs.get("wants", ())),
        "languages": list(prefs.get("languages", ())),
        "availability": list(prefs.get("availability", ())),
    }
    return Person(
        person_id=p.id,
        email=p.email,
        name=p.name,
        seats=seats,
        fields={k: [v for v in values if v] for k, values in fields.items()},
        prefer=frozenset(prefs.get("prefer", ())),
        avoid=frozenset(prefs.get("avoid", ())),
        never=frozenset(asked.get(p.id, ())),
    )


def _active_counts(session: Session, program_id: int) -> dict[int, int]:
    """Active matches per participant (either side), in one query per side."""
    counts: dict[int, int] = {}
    for column in (Match.mentor_id, Match.mentee_id):
        rows = session.execute(
            select(column, func.count(Match.id))
            .where(Match.program_id == program_id, Match.state == MatchState.ACTIVE)
            .group_by(column)
        )
        for person_id, count in rows:
            counts[person_id] = counts.get(person_id, 0) + int(count)
    return counts


def _pending_mentees(session: Session, program_id: int) -> set[int]:
    """Mentees waiting on a mentor's answer: not proposed to anyone else meanwhile."""
    return set(
        session.scalars(
            select(MentorshipRequest.mentee_id).where(
                MentorshipRequest.program_id == program_id,
                MentorshipRequest.state == RequestState.PENDING,
            )
        )
    )


def _asked_before(session: Session, program_id: int) -> dict[int, set[int]]:
    """Mentee id to the mentors they asked (or were proposed) before, whatever became of it."""
    asked: dict[int, set[int]] = {}
    for table in (MentorshipRequest, PairProposal):
        rows = session.execute(
            select(table.mentee_id, table.mentor_id).where(table.program_id == program_id)
        )
        for mentee_id, mentor_id in rows:
            asked.setdefault(mentee_id, set()).add(mentor_id)
    return asked


def _open_proposals(session: Session, program_id: int) -> set[tuple[int, int]]:
    """(mentee, mentor) of proposals still waiting for both answers."""
    rows = session.execute(
        select(PairProposal.mentee_id, PairProposal.mentor_id).where(
            PairProposal.program_id == program_id, PairProposal.state == ProposalState.PROPOSED
        )
    )
    return {(mentee_id, mentor_id) for mentee_id, mentor_id in rows}


def _suppressed(session: Session, addresses: list[str]) -> set[str]:
    """Which addresses must not be mailed (in chunks, for large programs)."""
    found: set[str] = set()
    for start in range(0, len(addresses), 500):
        chunk = addresses[start : start + 500]
        found.update(session.scalars(select(Suppression.email).where(Suppression.email.in_(chunk))))
    return found


def as_json(proposal: Proposal) -> dict[str, Any]:
    """A proposal as ``mentormail match --preview --json`` prints it."""
    return {
        "pairs": [
            {
                "mentee": p.mentee.email,
                "mentor": p.mentor.email,
                "score": round(p.score, 3),
                "reasons": list(p.reasons),
            }
            for p in proposal.pairs
        ],
        "unmatched": [{"mentee": u.mentee.email, "why": u.why} for u in proposal.unmatched],
        "total": round(proposal.total, 3),
        "stable": {
            "total": round(proposal.stable_total, 3),
            "matched": proposal.stable_matched,
            "differs": list(proposal.differs),
        },
    }
