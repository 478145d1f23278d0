"""The match shell: end a pair through the pure match workflow; the seat is freed at once."""

from __future__ import annotations

from typing import Any

from mentormail.service import effects
from mentormail.service.context import Unit
from mentormail.service.models import Match, Participant
from mentormail.service.people import active_matches_of, policy_of
from mentormail.workflows import match
from mentormail.workflows.effects import Role
from mentormail.workflows.match import EndReason, MatchState


def end(
    uow: Unit,
    pair: Match,
    reason: EndReason,
    by: Role,
    values: dict[str, Any] | None = None,
    *,
    chosen: bool = False,
) -> None:
    """End one match for ``reason``, decided by ``by``; raises InvalidTransition if over.
    ``values`` are shown in the partner's email (an ending's own message)."""
    program = pair.mentor.program
    decision = match.decide(
        MatchState(pair.state), match.MatchEnded(reason, by, chosen), uow.now, policy_of(program)
    )
    pair.state = decision.state
    pair.ended_at, pair.end_reason, pair.ended_by = uow.now, str(reason), str(by)
    uow.session.flush()  # the seat is free before anyone counts it again
    subject = effects.match_subject(
        pair, "match", values={**(values or {}), "reason": str(reason), "by": str(by)}
    )
    effects.apply(uow, subject, decision.effects)


def end_all(uow: Unit, person: Participant, reason: str) -> int:
    """End every active match the person is in, as the side they are on."""
    pairs = active_matches_of(uow.session, person.id)
    side = Role.MENTOR if person.role == "mentor" else Role.MENTEE
    for pair in pairs:
        end(uow, pair, EndReason(reason), side)
    return len(pairs)
