"""Reading a Mentoring Agreement's goals from a reply: one goal a line, each with optional
activities and an optional "by <date>". Pure; the reply's quoted text is already gone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mentormail.months import MONTH_PATTERN_ANY_LANGUAGE as _MONTH
from mentormail.months import MONTHS_ANY_LANGUAGE as MONTHS

# "by", in the six languages: "antes del 15 de noviembre", "para el 1 de marzo", "d'ici le
# 15 mars", "bis zum 15. März", "até 15 de março", "3月15日之前" is the Chinese order (below)
_BY_WORD = (
    r"by|before|until|deadline:?|due:?|antes\s+del?|para\s+(?:el|finales\s+de)|para|"
    r"hasta\s+(?:el|finales\s+de)|hasta|a\s+m[aá]s\s+tardar\s+el|avant\s+(?:le|la\s+fin\s+de)|"
    r"avant|d'ici\s+(?:le|à|fin)|d'ici|pour\s+le|jusqu'au|bis\s+(?:zum|ende|spätestens)|bis|vor\s+dem|"
    r"spätestens\s+(?:am|bis)|até\s+(?:ao|o|a|dia|final\s+de)|até"
)


def _by_pattern(month: str, tail: str) -> re.Pattern[str]:
    """ "by <date>" with these month names, followed by ``tail``."""
    return re.compile(
        rf"[\s,(]*\b(?:{_BY_WORD})\s+(?:the\s+)?(?:end\s+of\s+)?"
        rf"(?P<when>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:of\s+|de\s+)?"
        rf"(?:{month})\.?(?:,?\s+(?:de\s+)?\d{{4}})?"
        rf"|(?:{month})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:de\s+)?\d{{4}})?)"
        rf"(?!\w){tail}",
        re.IGNORECASE,
    )


_BY = _by_pattern(_MONTH, r"[\s).]*$")
# Within a goal's sentence ("Two mock interviews by 15 March with Ana's team") the months'
# short forms are left out: "a talk by Jan", "para el mar" are a person and the sea.
_BY_WITHIN = _by_pattern(
    "|".join(
        sorted(
            (re.escape(m) for m in MONTHS if len(m) > 3 or m in ("may", "mai")),
            key=len,
            reverse=True,
        )
    ),
    r"(?!\s*\d)",
)
_BY_CHINESE = re.compile(
    r"[\s,，(（]*(?:在)?(?P<when>(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?)(?:之前|前|以前)[\s,，)）。.]*"
)
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)]|goal\s*\d*\s*[:.)-])\s*", re.IGNORECASE)
_ACTIVITIES = re.compile(r"^\s*(?:activities|activity|how|steps?)\s*[:\-–—]\s*", re.IGNORECASE)
_SPLIT = re.compile(r"\s+[—–-]\s+|\s*;\s+|:\s+")
_NOT_A_GOAL = re.compile(
    r"^(?:hi|hello|hey|dear|thanks|thank you|many thanks|best|cheers|regards|kind regards|"
    r"here (?:are|is)|our goals|goals|my goals|sent from)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Goal:
    """One goal of the agreement."""

    text: str
    activities: str = ""
    by: date | None = None


def read_goals(text: str, today: date) -> list[Goal]:
    """The goals in a reply, in order. A line is a goal; an indented or "Activities:" line
    under one adds its activities; "by 15 March", "by March 2027", "by 2027-03-15" dates it
    (the next such day after ``today`` when no year is given)."""
    goals: list[Goal] = []
    listed = after_blank = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            after_blank = bool(goals)
            continue
        if _is_chatter(line):
            continue
        if goals and (_ACTIVITIES.match(line) or _sub_item(raw)):
            goals[-1] = _with_activities(goals[-1], _ACTIVITIES.sub("", _BULLET.sub("", line)))
            continue
        bulleted = bool(_BULLET.match(line))
        if listed and after_blank and not bulleted:
            continue  # the bulleted list has ended: a signed name ("María José") or a comment
        goal = _goal(_BULLET.sub("", line).strip(), today)
        if goal.text:
            goals.append(goal)
            listed, after_blank = listed or bulleted, False
    return goals


def _is_chatter(line: str) -> bool:
    """A greeting, a thank-you, a heading or a signed name: not a goal."""
    words = line.strip().rstrip(",.!:").split()
    one_word = len(words) <= 1 and len(_CJK.findall(line)) < 5  # Chinese has no spaces
    return bool(_NOT_A_GOAL.match(line.strip())) or line.strip().endswith(":") or one_word


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _sub_item(raw: str) -> bool:
    """An indented bullet under a goal: one of its activities."""
    return bool(re.match(r"^\s{2,}(?:[-*•–]|\d{1,2}[.)])\s+", raw))


def _with_activities(goal: Goal, more: str) -> Goal:
    """A goal with one more activity."""
    activities = f"{goal.activities}; {more.strip()}" if goal.activities else more.strip()
    return Goal(goal.text, activities, goal.by)


def _goal(line: str, today: date) -> Goal:
    """One goal line: its date, then its text and activities."""
    by = None
    found = _BY.search(line) or _BY_CHINESE.search(line)
    if found:
        by = parse_date(found.group("when"), today)
        if by is not None:  # the date is cut out: it ends the line, or opens it in Chinese
            line = (line[: found.start()] + line[found.end() :]).strip(" ,.;(—–-")
    if by is None:  # a date inside the sentence is read and left in the writer's words
        within = list(_BY_WITHIN.finditer(line))
        dates = {parse_date(m.group("when"), today) for m in within}
        by = dates.pop() if len(dates) == 1 else None
    parts = _SPLIT.split(line, maxsplit=1)
    text = parts[0].strip(" .")
    activities = parts[1].strip(" .") if len(parts) > 1 else ""
    return Goal(text, activities, by)


def parse_date(words: str, today: date) -> date | None:
    """ "2027-03-15", "15 March", "March 15, 2027", "March 2027" (its last day); None if not."""
    words = words.strip().lower().replace(",", " ").replace(".", " ")
    chinese = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号])?", words)
    if chinese:
        year, month, day = (int(g) if g else None for g in chinese.groups())
        return _dated(year, month, day, today) if month and 1 <= month <= 12 else None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words):
        try:
            return date.fromisoformat(words)
        except ValueError:
            return None
    tokens = [
        re.sub(r"(?<=\d)(st|nd|rd|th|er|º)$", "", t) for t in words.split() if t not in ("of", "de")
    ]
    month = next((MONTHS[t] for t in tokens if t in MONTHS), None)
    numbers = [int(t) for t in tokens if t.isdigit()]
    year = next((n for n in numbers if n >= 1000), None)
    day = next((n for n in numbers if n < 1000), None)
    if month is None:
        return None
    return _dated(year, month, day, today)


def _dated(year: int | None, month: int, day: int | None, today: date) -> date | None:
    """The date meant, the month's last day when no day is given; next year when it passed."""
    chosen_year = year or today.year
    try:
        found = date(chosen_year, month, day) if day else _last_day(chosen_year, month)
    except ValueError:
        return None
    if year is None and found < today:
        return _dated(today.year + 1, month, day, today)
    return found


def _last_day(year: int, month: int) -> date:
    """The last day of a month."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


def agreement_text(goals: list[Goal]) -> str:
    """The agreement as it is emailed: one numbered goal a line, activities and date under it."""
    lines: list[str] = []
    for number, goal in enumerate(goals, start=1):
        when = f" (by {goal.by:%A %-d %B %Y})" if goal.by else ""
        lines.append(f"{number}. {goal.text}{when}")
        if goal.activities:
            lines.append(f"   Activities: {goal.activities}")
    return "\n".join(lines)


def example_dates(today: date, ends_on: date) -> tuple[str, str]:
    """Two dates to show in the agreement's example goals, as people write them ("by 15 March",
    "by May"): about two and four months on, never past the match's end (fixed examples said
    "by 15 January" to a pair asked in March)."""
    soon = _months_on(today, 2, ends_on)
    later = _months_on(today, 4, ends_on)
    return f"{soon.day} {soon:%B}", f"{later:%B}"


def _months_on(today: date, months: int, ends_on: date) -> date:
    """The 15th of the month ``months`` after today's, or the match's end if sooner."""
    index = today.month - 1 + months
    day = date(today.year + index // 12, index % 12 + 1, 15)
    return min(day, ends_on)
