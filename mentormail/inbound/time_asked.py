"""The day a person asks for, to answer by ("Can I think about it until next week?", "let me
get back to you by Friday", "bis nächste Woche", "d'ici vendredi", "hasta el 15 de marzo",
"até sexta", "下周告诉你"), in the six languages. Pure; no clock: the caller says what today is.
Read only where a reply is neither yes nor no: a request's mentor asking for time."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentormail.inbound.meeting_date import DAY_MONTH, MONTH_DAY, MONTH_NAMES, WEEKDAYS

_NEXT_WEEK = re.compile(
    r"\bnext\s+week\b|\bn[äa]chste[nr]?\s+woche\b|\bkommende[nr]?\s+woche\b"
    r"|\bsemaine\s+prochaine\b|\bprochaine\s+semaine\b|\bpr[óo]xima\s+semana\b"
    r"|\bsemana\s+que\s+(?:viene|vem)\b|\bsemana\s+pr[óo]xima\b|下(?:个)?(?:周|週|星期|礼拜|禮拜)"
)
_FEW_DAYS = re.compile(
    r"\b(?:a\s+few|a\s+couple(?:\s+of)?|couple(?:\s+of)?)\s+(?:more\s+)?days\b"
    r"|\bein\s+paar\s+tage|\bquelques\s+jours\b|\bunos\s+(?:pocos\s+)?d[ií]as\b"
    r"|\balguns\s+dias\b|几天|幾天"
)
_WEEKS = re.compile(
    r"\b(a|one|two|1|2)\s+(?:more\s+)?weeks?\b|\b(eine|zwei)\s+wochen?\b"
    r"|\b(une|deux)\s+semaines?\b|\b(una|dos|uma|duas)\s+semanas?\b|([一两兩])(?:个|個)?(?:星期|周|週|礼拜)"
)
_WEEK_COUNTS = {
    **dict.fromkeys(("a", "one", "1", "eine", "une", "una", "uma", "一"), 1),
    **dict.fromkeys(("two", "2", "zwei", "deux", "dos", "duas", "两", "兩"), 2),
}
# Portuguese says the weekday without "-feira" after "até" ("até sexta")
_DAY_NAMES = {
    **WEEKDAYS,
    **{"segunda": 0, "terça": 1, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4},
}
# a day of the week named as the day to answer by, not one in the past
_BY_WEEKDAY = re.compile(
    r"(?:\buntil|\btill|\bby|\bbefore|\bbis|\bvor|jusqu'(?:à|a)|d'ici|\bavant|\bhasta(?:\s+el)?"
    r"|\bpara\s+el|\bantes\s+del?|\baté(?:\s+[ao])?|\bate(?:\s+[ao])?|\bantes\s+de)\s+"
    r"(?:(?:this|next|coming|nächsten|kommenden|ce|le|el|la|o|a)\s+)?("
    + "|".join(sorted(map(re.escape, _DAY_NAMES), key=len, reverse=True))
    + r")(?!\w)"
)


def asked_until(text: str, today: date) -> date | None:
    """The latest day the words ask for to answer by, after today; None when they name none."""
    lowered = text.lower()[:2000]
    found = [d for d in _days(lowered, today) if d > today]
    return max(found) if found else None


def _days(text: str, today: date) -> list[date]:
    """Every day the words ask for: next week, a few days, weeks, a weekday, a date."""
    days: list[date] = []
    if _NEXT_WEEK.search(text):
        days.append(today + timedelta(days=7))
    if _FEW_DAYS.search(text):
        days.append(today + timedelta(days=3))
    for groups in _WEEKS.findall(text):
        days.append(today + timedelta(days=7 * _WEEK_COUNTS[next(g for g in groups if g)]))
    for name in _BY_WEEKDAY.findall(text):
        ahead = (_DAY_NAMES[name] - today.weekday()) % 7 or 7
        days.append(today + timedelta(days=ahead))
    for day, month, _year in DAY_MONTH.findall(text):
        days.extend(_next(int(day), MONTH_NAMES[month], today))
    for month, day, _year in MONTH_DAY.findall(text):
        days.extend(_next(int(day), MONTH_NAMES[month], today))
    return days


def _next(day: int, month: int, today: date) -> list[date]:
    """The next time that day and month come, from today (none when there is no such day)."""
    for year in (today.year, today.year + 1):
        try:
            named = date(year, month, day)
        except ValueError:
            return []
        if named >= today:
            return [named]
    return []
