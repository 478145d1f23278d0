"""Quiet hours: scheduled mail (what the clock's sweep writes) never goes out in a person's
quiet hours, nor at weekends where the program says so; it waits for their morning. Answers
to a person's own message are not scheduled and go at once. Pure: times are local and naive
(the shell converts from and to UTC in the program's time zone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from mentormail.workflows.exceptions import UnknownValue

SATURDAY = 5


@dataclass(frozen=True)
class QuietHours:
    """When a program keeps quiet: each night from ``start`` to ``end``, and maybe weekends."""

    start: time | None = time(21, 0)  # None: no quiet hours
    end: time | None = time(8, 0)
    weekends: bool = False


def parse(text: str | None, weekends: str = "send") -> QuietHours:
    """``"21:00-08:00"`` (empty or None: none) and ``weekends: quiet | send``."""
    if weekends not in ("quiet", "send"):
        raise UnknownValue("weekends (quiet or send)", weekends)
    if not text:
        return QuietHours(None, None, weekends == "quiet")
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise UnknownValue("quiet hours (HH:MM-HH:MM)", text) from None
    return QuietHours(start, end, weekends == "quiet")


def is_quiet_time(local: datetime, quiet: QuietHours) -> bool:
    """Whether this local time falls in the nightly quiet hours."""
    if quiet.start is None or quiet.end is None or quiet.start == quiet.end:
        return False
    now = local.time()
    if quiet.start < quiet.end:
        return quiet.start <= now < quiet.end
    return now >= quiet.start or now < quiet.end


def _quiet_day(local: datetime, quiet: QuietHours) -> bool:
    """Whether the program keeps the whole day quiet (a weekend, where it says so)."""
    return quiet.weekends and local.weekday() >= SATURDAY


# Held mail that no longer applies once its request was answered (never sent after it).
ONLY_WHILE_PENDING = frozenset({"request_reminder"})


def still_wanted(template: str, request_state: str | None) -> bool:
    """Whether held mail should still go when its morning comes."""
    return template not in ONLY_WHILE_PENDING or request_state == "pending"


def release_at(local: datetime, quiet: QuietHours) -> datetime | None:
    """When mail written at this local time may go: None for at once, else the next morning
    (the end of the quiet hours) that is not a quiet day."""
    if not is_quiet_time(local, quiet) and not _quiet_day(local, quiet):
        return None
    morning = quiet.end or time(8, 0)
    candidate = local
    if is_quiet_time(local, quiet):
        candidate = datetime.combine(local.date(), morning)
        if candidate <= local:
            candidate += timedelta(days=1)
    while _quiet_day(candidate, quiet):
        candidate = datetime.combine(candidate.date() + timedelta(days=1), morning)
    return candidate
