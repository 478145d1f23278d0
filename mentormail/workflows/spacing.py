"""A pair's questions come one at a time: a fit check or a survey that falls due with a
check-in (all three default to a month in) waits a few days after it, so no one is asked
three things in one morning.

check-in sent ──▶ fit check held until 2 days after it, a survey until 4 days after it
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mentormail.workflows.exceptions import UnknownValue

AFTER_CHECKIN: dict[str, timedelta] = {
    "fit": timedelta(days=2),
    "pulse": timedelta(days=4),
    "midpoint": timedelta(days=4),
}


def held_until(question: str, checkin_sent_at: datetime | None, now: datetime) -> datetime | None:
    """When a question due now goes instead, because a check-in went to the pair just before
    it; None: it goes now. An unknown question is an error."""
    gap = AFTER_CHECKIN.get(question)
    if gap is None:
        raise UnknownValue("question spaced after a check-in", question)
    if checkin_sent_at is None or now >= checkin_sent_at + gap:
        return None
    return checkin_sent_at + gap
