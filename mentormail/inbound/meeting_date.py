"""The date a person gives for a meeting in a check-in answer ("MET on 12 October", "we met
yesterday", "met 2026-10-12", "am Dienstag", "el 3 de noviembre", "上周二"), in the six
languages, read without guessing: a date is given only when the words name exactly one. Pure;
no clock: the caller says what today is."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentormail.months import MONTH_PATTERN as _EN_MONTH
from mentormail.months import MONTH_PATTERN_ANY_LANGUAGE, MONTHS, MONTHS_ANY_LANGUAGE, month_pattern

_MONTHS = MONTHS_ANY_LANGUAGE
_MONTH = MONTH_PATTERN_ANY_LANGUAGE
_YEAR = r"(?:,?\s+(?:de\s+)?(\d{4}))?"

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\.?\s+(?:of\s+|de\s+)?({_MONTH})\.?(?!\w){_YEAR}"
)
# Month first is English's order only ("October 12"): "Mai 3" may be a person and a count.
_MONTH_DAY = re.compile(rf"\b({_EN_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}")
_CHINESE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号號]")
_GERMAN_NUMERIC = re.compile(r"\bam\s+(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?!\d)")
_DAY_ONLY = re.compile(
    r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:times?|sessions?|meetings?|calls?|weeks?|months?"
    r"|years?|floor|grade|place|one|chapter))"
    r"|\b(?:el\s+d[ií]a|o\s+dia|no\s+dia|dia)\s+(\d{1,2})\b"
    r"|\bam\s+(\d{1,2})\.(?!\s*\d)"
    r"|(?<![月\d第])(\d{1,2})[号號日](?![\d楼樓线線房门門院])"
)
_DAYS_AGO = re.compile(
    r"\b(\d{1,2})\s+days?\s+ago\b|\bvor\s+(\d{1,2})\s+tagen\b|\bil\s+y\s+a\s+(\d{1,2})\s+jours\b"
    r"|\bhace\s+(\d{1,2})\s+d[ií]as\b|\bh[áa]\s+(\d{1,2})\s+dias\b|(\d{1,2})\s*天前"
)
# Longest first: "the day before yesterday" must not also count as "yesterday".
_RELATIVE: tuple[tuple[str, int], ...] = (
    (r"\bthe\s+day\s+before\s+yesterday\b", 2),
    (r"\bvorgestern\b", 2),
    (r"\bavant-hier\b", 2),
    (r"\bante(?:a|ano|on)?yer\b|\bantes\s+de\s+ayer\b", 2),
    (r"\banteontem\b", 2),
    ("前天", 2),
    (r"\byesterday\b", 1),
    (r"\bgestern\b", 1),
    (r"\bayer\b", 1),
    (r"\bontem\b", 1),
    ("昨天|昨日", 1),
    (r"\btoday\b|\bthis\s+(?:morning|afternoon)\b", 0),
    (r"\bheute\b", 0),
    (r"\baujourd['’]hui\b", 0),
    (r"\bhoy\b", 0),
    (r"\bhoje\b", 0),
    ("今天", 0),
)
# French "hier" (yesterday) is German "hier" (here): read it only in mail without German.
_HIER = re.compile(r"\bhier\b")
_GERMAN = re.compile(r"\b(?:wir|uns|ich|haben|sind|und|ist|bin|sich)\b")

_WEEKDAYS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "montag", "lundi", "lunes", "segunda-feira", "na segunda"),
            ("tuesday", "tues", "dienstag", "mardi", "martes", "terça-feira", "terca-feira",
             "na terça", "na terca"),
            ("wednesday", "weds", "mittwoch", "mercredi", "miércoles", "miercoles",
             "quarta-feira", "na quarta"),
            ("thursday", "thurs", "donnerstag", "jeudi", "jueves", "quinta-feira", "na quinta"),
            ("friday", "freitag", "vendredi", "viernes", "sexta-feira", "na sexta"),
            ("saturday", "samstag", "sonnabend", "samedi", "sábado", "sabado", "no sábado",
             "no sabado"),
            ("sunday", "sonntag", "dimanche", "domingo"),
        ),
        start=0,
    )
    for name in names
}  # fmt: skip
_NOT_PAST = r"(?<!next )(?<!nächsten )(?<!kommenden )(?<!prochain )(?<!próximo )(?<!proximo )"
_WEEKDAY_NAMES = "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True))
_WEEKDAY = re.compile(
    rf"{_NOT_PAST}(?<!\w)({_WEEKDAY_NAMES})(?!\w)(?!\s+(?:prochain|que\s+vem|que\s+viene))"
)
# what the day a person asks for is read with too (inbound/time_asked.py)
DAY_MONTH, MONTH_DAY, MONTH_NAMES, WEEKDAYS = _DAY_MONTH, _MONTH_DAY, _MONTHS, _WEEKDAYS
_CHINESE_WEEKDAY = re.compile(r"(上|这|這|本)?(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])")
_CHINESE_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def meeting_date(text: str, today: date) -> date | None:
    """The meeting's date if the words give exactly one, never in the future; else None."""
    lowered = text.lower()[:2000]
    found = {d for d in _dates(lowered, today) if d is not None and d <= today}
    return found.pop() if len(found) == 1 else None


# A month named alone, after the word that says "in" in each language ("in November", "en
# décembre", "en noviembre", "im Oktober", "em novembro", "11月份"); Spanish and Portuguese
# "mar" is the sea, not March.
_MONTH_ALONE_NAMES = month_pattern(without=frozenset({"mar"}))
_MONTH_ALONE = re.compile(
    r"\b(?:in|en|im|em|back\s+in|early\s+in|in\s+early|in\s+late|in\s+mid-?|au\s+mois\s+d[e'’]"
    r"|début|fin|mi-|en\s+el\s+mes\s+de|a\s+principios\s+de|a\s+finales\s+de|no\s+m[eê]s\s+de"
    r"|no\s+início\s+de|no\s+fim\s+de|anfang|ende|mitte)\s*"
    rf"({_MONTH_ALONE_NAMES})\.?(?!\w)(?!\s+\d)"
    r"|(?<![\d个個])(\d{1,2})\s*月份?(?!\s*\d)"
)
_ANY_MONTH = re.compile(rf"(?<!\w)({_MONTH_ALONE_NAMES})(?!\w)")
# Words of a meeting still to come ("we'll meet again in December"): no month is read then.
_TO_COME = re.compile(
    r"\b(?:next|again|will|shall|plan|planning|going\s+to|nächst\w*|wieder|werden|prochain\w*"
    r"|encore|allons|vamos\s+a|próxim\w*|proxim\w*|otra\s+vez|de\s+nuevo|de\s+novo|vou|vai)\b"
    r"|\w+['’]ll\b|下次|下个月|将|會|会"
)


def meeting_month(text: str, today: date) -> date | None:
    """The day a meeting given by its month alone is logged on ("MET in November", "on s'est
    vus en décembre", "nos vimos en noviembre", "im Oktober"): the month's last day, the
    latest the words allow (today in this month), when the words name no day and exactly one
    month and no meeting to come; else None."""
    lowered = text.lower()[:2000]
    if _dates(lowered, today) or _TO_COME.search(lowered):
        return None
    months = {_month_of(found) for found in _MONTH_ALONE.finditer(lowered)}
    named = {_MONTHS[name] for name in _ANY_MONTH.findall(lowered)}
    if len(months) != 1 or 0 in months or not named <= months:
        return None
    month = months.pop()
    if month == today.month:
        return today
    year = today.year if month < today.month else today.year - 1
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _month_of(found: re.Match[str]) -> int:
    """The month a match of ``_MONTH_ALONE`` names (0: no month, such as 13月)."""
    name, number = found.group(1), found.group(2)
    month = _MONTHS[name] if name else int(number)
    return month if 1 <= month <= 12 else 0


def _dates(text: str, today: date) -> list[date | None]:
    """Every date the text names, as far as it can be read: a named date first, and only
    when there is none the week's days and the days counted back."""
    named = _named_dates(text, today)
    if named:
        return named
    return _relative_dates(text, today) + _weekday_dates(text, today) + _day_only(text, today)


def _named_dates(text: str, today: date) -> list[date | None]:
    """Dates with a month: ISO, "12 October", "October 12", "12 de octubre", "10月12日"."""
    dates: list[date | None] = [_safe(int(y), int(m), int(d)) for y, m, d in _ISO.findall(text)]
    for day, month, year in _DAY_MONTH.findall(text):
        dates.append(_in_past_year(int(day), _MONTHS[month], year, today))
    for month, day, year in _MONTH_DAY.findall(text):
        dates.append(_in_past_year(int(day), _MONTHS[month], year, today))
    for year, month, day in _CHINESE.findall(text):
        dates.append(_in_past_year(int(day), int(month), year, today))
    for day, month, year in _GERMAN_NUMERIC.findall(text):
        full_year = f"20{year}" if len(year) == 2 else year
        dates.append(_in_past_year(int(day), int(month), full_year, today))
    return dates


def _relative_dates(text: str, today: date) -> list[date | None]:
    """Today, yesterday, the day before, and "3 days ago", in the six languages."""
    dates: list[date | None] = []
    for pattern, back in _RELATIVE:
        if re.search(pattern, text):
            dates.append(today - timedelta(days=back))
            text = re.sub(pattern, " ", text)
    if _HIER.search(text) and not _GERMAN.search(text):
        dates.append(today - timedelta(days=1))
    for groups in _DAYS_AGO.findall(text):
        back = int(next(g for g in groups if g))
        dates.append(today - timedelta(days=back) if back <= 60 else None)
    return dates


# "last Tuesday" said on a Tuesday is a week ago: the words that make a day of the week past
_LAST_BEFORE = re.compile(r"(?:\blast|\bpast|letzten|letzter|vergangenen|vorigen)\s+$")
_LAST_AFTER = re.compile(r"(?:-feira)?\s+(?:dernier|pasado|passad[oa])\b")


def _weekday_dates(text: str, today: date) -> list[date | None]:
    """A day of the week: the latest one before today; today's own name is no date (today, or
    a week ago?) unless it is "last" ("last Tuesday", "letzten Dienstag", "mardi dernier",
    "el martes pasado", "na terça passada": a week ago). Chinese 上周二 is last week's
    Tuesday, 这周二 this week's."""
    dates = [_named_weekday(text, found, today) for found in _WEEKDAY.finditer(text)]
    monday = today - timedelta(days=today.weekday())
    for week, day in _CHINESE_WEEKDAY.findall(text):
        weekday = _CHINESE_DAYS[day]
        if week == "上":
            dates.append(monday - timedelta(days=7 - weekday))
        elif week:
            dates.append(monday + timedelta(days=weekday))
        else:
            dates.append(_latest_before(today, weekday))
    return dates


def _named_weekday(text: str, found: re.Match[str], today: date) -> date | None:
    """The day a weekday's name gives: the latest before today, or a week ago if "last"."""
    weekday = _WEEKDAYS[found.group(1)]
    latest = _latest_before(today, weekday)
    if latest is not None:
        return latest
    before, after = text[max(0, found.start() - 16) : found.start()], text[found.end() :]
    said_last = _LAST_BEFORE.search(before) or _LAST_AFTER.match(after)
    return today - timedelta(days=7) if said_last else None


def _latest_before(today: date, weekday: int) -> date | None:
    """The latest day of that weekday before today; None when today is one."""
    back = (today.weekday() - weekday) % 7
    return today - timedelta(days=back) if back else None


def _day_only(text: str, today: date) -> list[date | None]:
    """A day of the month without its month ("on the 4th", "el día 4", "am 4.", "4号"):
    the latest such day not after today."""
    dates: list[date | None] = []
    for groups in _DAY_ONLY.findall(text):
        day = int(next(g for g in groups if g))
        this_month = _safe(today.year, today.month, day)
        if this_month is not None and this_month <= today:
            dates.append(this_month)
        else:
            last = today.replace(day=1) - timedelta(days=1)
            dates.append(_safe(last.year, last.month, day))
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
    rf"\bsince\s+(?:\w+day,?\s+)?(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({_EN_MONTH})|({_EN_MONTH})\s+(\d{{1,2}}))"
    r"\b[^?\n]{0,20}\?"
)


def asked_since(text: str) -> int | None:
    """The month of the date a check-in asked about ("have you met since 1 November?"), read
    from the subject or the quote; None when the text gives no such question or two dates."""
    found = {MONTHS[m.group(2) or m.group(3)] for m in _ASKED.finditer(text.lower()[:20000])}
    return found.pop() if len(found) == 1 else None
