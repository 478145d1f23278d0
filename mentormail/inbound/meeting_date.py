"""The date a person gives for a meeting in a check-in answer ("MET on 12 October",
"we met yesterday", "met 2026-10-12"), read without guessing. Pure; no clock: the caller
says what today is."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentormail.months import MONTH_PATTERN as _MONTH
from mentormail.months import MONTHS

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?\b(?:,?\s+(\d{{4}}))?"
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_RELATIVE = {"today": 0, "yesterday": 1}


def meeting_date(text: str, today: date) -> date | None:
    """The meeting's date if the words give exactly one, never in the future; else None."""
    lowered = text.lower()[:2000]
    found = {d for d in _dates(lowered, today) if d is not None and d <= today}
    return found.pop() if len(found) == 1 else None


def _dates(text: str, today: date) -> list[date | None]:
    """Every date the text names, as far as it can be read."""
    dates: list[date | None] = [_safe(int(y), int(m), int(d)) for y, m, d in _ISO.findall(text)]
    for day, month, year in _DAY_MONTH.findall(text):
        dates.append(_in_past_year(int(day), MONTHS[month], year, today))
    for month, day, year in _MONTH_DAY.findall(text):
        dates.append(_in_past_year(int(day), MONTHS[month], year, today))
    for word, back in _RELATIVE.items():
        if re.search(rf"\b{word}\b", text):
            dates.append(today - timedelta(days=back))
    return dates


def _in_past_year(day: int, month: int, year: str, today: date) -> date | None:
    """A day and month without a year: the latest one not after today."""
    if year:
        return _safe(int(year), month, day)
    this_year = _safe(today.year, month, day)
    if this_year is not None and this_year <= today:
        return this_year
    return _safe(today.year - 1, month, day)


def _safe(year: int, month: int, day: int) -> date | None:
    """A date, or None when the numbers make none (31 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


_ASKED = re.compile(
    rf"\bsince\s+(?:\w+day,?\s+)?(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})|({_MONTH})\s+(\d{{1,2}}))"
    r"\b[^?\n]{0,20}\?"
)


def asked_since(text: str) -> int | None:
    """The month of the date a check-in asked about ("have you met since 1 November?"), read
    from the subject or the quote; None when the text gives no such question or two dates."""
    found = {MONTHS[m.group(2) or m.group(3)] for m in _ASKED.finditer(text.lower()[:20000])}
    return found.pop() if len(found) == 1 else None
