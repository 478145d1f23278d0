"""What the year added to each match, as ``matches --json`` shows it: end date, extension,
agreement and goals, how it ended, and its outcome (read in a few queries)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.models import Agreement, AgreementGoal, Match, MatchTerm

AGREEMENT_SHOWN = {"none": "none", "asked": "none", "draft": "draft", "agreed": "agreed"}


def year_fields(session: Session, matches: list[Match]) -> dict[int, dict[str, Any]]:
    """Per match id: ends_on (None when open-ended), extended, agreement (none | draft |
    agreed), goals, ending ({reason, by, at} or None) and outcome ({achieved, next_steps,
    mentor_again} or None)."""
    ids = [m.id for m in matches]
    terms = {
        t.match_id: t for t in session.scalars(select(MatchTerm).where(MatchTerm.match_id.in_(ids)))
    }
    agreements = {
        a.match_id: a for a in session.scalars(select(Agreement).where(Agreement.match_id.in_(ids)))
    }
    goals: dict[int, list[str]] = {}
    for goal in session.scalars(
        select(AgreementGoal)
        .where(AgreementGoal.match_id.in_(ids))
        .order_by(AgreementGoal.position)
    ):
        goals.setdefault(goal.match_id, []).append(goal.text)
    return {
        m.id: _fields(m, terms.get(m.id), agreements.get(m.id), goals.get(m.id, []))
        for m in matches
    }


def _fields(
    pair: Match, term: MatchTerm | None, agreement: Agreement | None, goals: list[str]
) -> dict[str, Any]:
    """One match's fields of the year."""
    open_ended = bool(term and term.open_ended)
    return {
        "ends_on": None if open_ended else pair.ends_on.isoformat(),
        "extended": bool(term and term.extended),
        "agreement": AGREEMENT_SHOWN.get(agreement.state, "none") if agreement else "none",
        "goals": goals,
        "ending": _ending(pair),
        "outcome": _outcome(term),
    }


def _ending(pair: Match) -> dict[str, Any] | None:
    """How the match ended, if it has."""
    if pair.ended_at is None:
        return None
    return {"reason": pair.end_reason, "by": pair.ended_by, "at": pair.ended_at.isoformat()}


def _outcome(term: MatchTerm | None) -> dict[str, Any] | None:
    """What the pair said at the end of term, if anything."""
    if term is None or (term.mentor_achieved is None and term.mentee_achieved is None):
        return None
    return {
        "achieved": {"mentee": term.mentee_achieved, "mentor": term.mentor_achieved},
        "next_steps": term.next_steps,
        "mentor_again": term.mentor_again,
    }
