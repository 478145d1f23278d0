"""The year's part of the coordinator commands: what ``matches`` shows of a pair's
year. (``sweep --at`` lives with ``sweep`` in cli.py.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.checkins import meeting_counts
from mentormail.service.models import MatchClock, Rating
from mentormail.workflows.fit import pair_fit


def year_of_matches(session: Session, match_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per match: meetings (count), last_met_at, ratings and fit, in three queries."""
    met = meeting_counts(session, match_ids)
    clocks = {
        c.match_id: c
        for c in session.scalars(select(MatchClock).where(MatchClock.match_id.in_(match_ids)))
    }
    ratings: dict[int, list[dict[str, Any]]] = {}
    query = select(Rating).where(Rating.match_id.in_(match_ids)).order_by(Rating.id)
    for rating in session.scalars(query):
        ratings.setdefault(rating.match_id, []).append(
            {
                "by": rating.by,
                "value": rating.value,
                "comment": rating.comment,
                "at": rating.at.isoformat(),
            }
        )
    year: dict[int, dict[str, Any]] = {}
    for match_id in match_ids:
        count, latest = met.get(match_id, (0, None))
        clock = clocks.get(match_id)
        year[match_id] = {
            "meetings": count,
            "last_met_at": latest.isoformat() if latest else None,
            "ratings": ratings.get(match_id, []),
            "fit": pair_fit(clock.fit_mentor, clock.fit_mentee) if clock else None,
        }
    return year
