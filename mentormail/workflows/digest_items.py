"""What the digest finds by looking (no one raised it): mentees long without a mentor,
agreements never drafted, midpoint surveys not answered, requests waiting long. Pure: facts
in, findings out; the shell keeps each as one attention item while it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    """A kind of finding; each item's reason starts with its words."""

    UNMATCHED = "no mentor"
    AGREEMENT = "no agreement drafted"
    SURVEY = "midpoint survey not answered"
    WAITING = "request waiting"


# The words of the item raised when no mentor fits a mentee now (the proposals' shell): it
# closes once the mentee has a mentor or has gone, and says "no mentor" while it is open.
NO_MENTOR_FITS = "no other mentor fits"
# The words of the item raised when one side of a pair stops answering check-ins: it closes
# once that person has no active match (the pair ended) or has gone.
SILENT_IN_PAIR = "check-ins in a row"


@dataclass(frozen=True)
class Finding:
    """One thing the digest should list, about one person (and request), since when."""

    kind: Kind
    reason: str
    since: datetime
    participant_id: int
    request_id: int | None = None


def _day(at: datetime) -> str:
    """A date as the reason says it ("3 November")."""
    return f"{at.day} {at:%B}"


def unmatched(
    person_id: int, who: str, since: datetime, now: datetime, alert_days: int
) -> Finding | None:
    """A mentee without a mentor for more than ``alert_days``."""
    if now - since <= timedelta(days=alert_days):
        return None
    days = (now - since).days  # the item's line ends with "since <day>": said once
    spell = f"{days} days" if days > alert_days else f"more than {alert_days} days"
    return Finding(Kind.UNMATCHED, f"{Kind.UNMATCHED} for {spell}: {who}", since, person_id)


def agreement_not_drafted(
    person_id: int, who: str, partner: str, asked_at: datetime, reminded: bool
) -> Finding | None:
    """A mentee asked for the pair's goals and reminded once, who has sent nothing."""
    if not reminded:
        return None
    return Finding(
        Kind.AGREEMENT,
        f"{Kind.AGREEMENT} (asked and reminded): {who}, with {partner}",
        asked_at,
        person_id,
    )


def survey_not_answered(
    person_id: int, who: str, answer_by: datetime, now: datetime
) -> Finding | None:
    """A side of a pair that let the midpoint survey's due date pass without a rating."""
    if now <= answer_by:
        return None
    return Finding(
        Kind.SURVEY,
        f"{Kind.SURVEY} (due {_day(answer_by)}): {who}",
        answer_by,
        person_id,
    )


def request_waiting(
    person_id: int,
    request_id: int,
    mentee: str,
    mentor: str,
    made_at: datetime,
    now: datetime,
    response_days: int,
) -> Finding | None:
    """A request past half its window with no answer (the mentor has been reminded)."""
    if now - made_at <= timedelta(days=response_days / 2):
        return None
    return Finding(
        Kind.WAITING,
        f"{Kind.WAITING} for an answer from {mentor}: {mentee}",
        made_at,
        person_id,
        request_id,
    )
