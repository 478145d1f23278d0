"""What no email may contain, as one reusable check: ``problems(subject, text, html, now)``.

Every rule here is a mistake someone actually received, or one a missing value would
make: an empty placeholder ("by :", "until  to answer"), a Python value (None, [], {}),
an internal state word, a deadline in the past, a subject cut in the middle of a word,
Jinja left unrendered, prose too wide to read. People's own words (quoted with "> " in
the text part, in <blockquote> in the HTML part) are theirs and are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from html.parser import HTMLParser

TEXT_WIDTH = 78

# A date as the templates print it: "Saturday 11 October 2025".
_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{1,2}) "
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{4})\b"
)
_FUTURE_DATE = re.compile(
    r"(?:\b(\w+)\s+)?\b(?:until|by|before|on) (" + _DATE.pattern[2:-2] + r")\b"
)
# "ended on 30 June", "you accepted on …": a past date told as past is right.
_PAST_TENSE = re.compile(r"(?:ed|was|were|met|left|began)$")
_URL = re.compile(r"(?:https?://|mailto:|tel:)\S+")

RULES: list[tuple[str, re.Pattern[str]]] = [
    ("empty placeholder before a colon", re.compile(r"\b(?:by|until|to|from|at|on|of|in) :")),
    ("a line ending in ' :'", re.compile(r" :$", re.M)),
    ("empty parentheses", re.compile(r"\(\s*\)")),
    ("empty quotes", re.compile(r"[“\"]\s*[”\"]")),
    ("a placeholder left empty between words", re.compile(r"\b(?:until|by) +(?:to\b|and\b|,|\.)")),
    ("None", re.compile(r"\bNone\b")),
    ("an empty list", re.compile(r"\[\s*\]")),
    ("an empty mapping", re.compile(r"\{\s*\}")),
    ("a doubled space (a missing value?)", re.compile(r"\S {2,}\S")),
    ("a space before punctuation (a missing value?)", re.compile(r"\w [,.;!?](?:\s|$)", re.M)),
    ("unrendered Jinja", re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")),
    (
        "a request state shown as a word",
        re.compile(r"\((?:pending|accepted|declined|expired|released|withdrawn)\)"),
    ),
    ("an internal state word", re.compile(r"\b(?:pending|released|expired)\b", re.I)),
    ("an internal name", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("a number before a singular noun", re.compile(r"\bthe 1 \w+|\b1 (?:mentees|people|days)\b")),
    ("a slash choice", re.compile(r"\b\w+ / \w+\b")),
    ("a broken article", re.compile(r"\b(?:a|an) (?:a|an|the)\b", re.I)),
]


def problems(
    subject: str, text: str, html: str, now: datetime, said: Sequence[str] = ()
) -> list[str]:
    """Every problem found in one email, as short sentences naming the part and the excerpt.

    ``now`` is when the email was written (a deadline before it is in the past); ``said``
    is what people wrote to the service: a subject quoting their words must quote whole
    words of it (never cut "healthc…").
    """
    found: list[str] = []
    found += [f"subject: {p}" for p in _prose_problems(subject, now)]
    found += [f"subject: {p}" for p in _subject_problems(subject, said)]
    text_prose = _our_lines(text)
    found += [f"text: {p}" for p in _prose_problems(text_prose, now)]
    found += [f"text: {p}" for p in _width_problems(text)]
    found += [f"html: {p}" for p in _prose_problems(html_prose(html), now)]
    found += [f"html: {p}" for p in _html_problems(html)]
    return found


def _our_lines(text: str) -> str:
    """The text part without people's quoted words and without URLs."""
    lines = [line for line in text.splitlines() if not line.startswith(">")]
    return "\n".join(_URL.sub("URL", line) for line in lines)


def _prose_problems(prose: str, now: datetime) -> list[str]:
    """The rules, and deadlines in the past."""
    found = []
    for name, rule in RULES:
        for match in rule.finditer(prose):
            found.append(f"{name}: {_excerpt(prose, match.start(), match.end())!r}")
    for match in _FUTURE_DATE.finditer(prose):
        if match.group(1) and _PAST_TENSE.search(match.group(1)):
            continue
        when = datetime.strptime(match.group(2).split(" ", 1)[1], "%d %B %Y")
        if when.date() < now.date():
            found.append(f"a past date as a deadline: {match.group(0)!r} (now {now:%d %B %Y})")
    return found


def _subject_problems(subject: str, said: Sequence[str]) -> list[str]:
    """A quoted fragment must be whole words of what someone wrote."""
    found = []
    for fragment in re.findall(r"“([^”]*)”", subject):
        words = fragment.rstrip("…").strip()
        if not words:
            found.append("empty quote")
            continue
        pattern = re.compile(re.escape(words) + r"(?!\w)")
        if said and not any(pattern.search(" ".join(s.split())) for s in said):
            found.append(f"quote cut in the middle of a word: {fragment!r}")
    if len(subject) > 120:
        found.append(f"too long ({len(subject)} characters)")
    return found


def _width_problems(text: str) -> list[str]:
    """Prose lines no wider than TEXT_WIDTH; a line holding a URL, or quoted, may be."""
    return [
        f"line wider than {TEXT_WIDTH} columns: {line!r}"
        for line in text.splitlines()
        if len(line) > TEXT_WIDTH and not line.startswith(">") and not _URL.search(line)
    ]


def _excerpt(text: str, start: int, end: int) -> str:
    """The match with a little of what is around it."""
    return text[max(0, start - 30) : end + 30].replace("\n", "⏎")


class _Prose(HTMLParser):
    """The words of an HTML part (not style, not people's quoted words), one node per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "blockquote", "title", "head"):
            self.skip += 1
        self.tags.append(tag)
        self.attributes += [(tag, k, v or "") for k, v in attrs]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "blockquote", "title", "head"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            for line in data.splitlines():
                if line.strip():
                    self.parts.append(_URL.sub("URL", line.strip()))


def html_prose(html: str) -> str:
    """What a reader of the HTML part sees as words, without quotes of people's words."""
    parser = _Prose()
    parser.feed(html)
    return "\n".join(parser.parts)


def _html_problems(html: str) -> list[str]:
    """Email-client safety: no external fonts or stylesheets, no scripts, inline CSS only."""
    parser = _Prose()
    parser.feed(html)
    found = []
    if "script" in parser.tags:
        found.append("a script")
    if "link" in parser.tags:
        found.append("an external stylesheet or font (<link>)")
    if re.search(r"@import|@font-face|fonts\.googleapis", html):
        found.append("an external font")
    if "<style" in html:
        found.append("a <style> block left after inlining")
    for glued in _GLUED.finditer(_without_quotes(html)):  # a blank line lost to trim_blocks
        found.append(f"two paragraphs run together: {glued.group(0)!r}")
    for tag, name, value in parser.attributes:
        if name == "href" and not re.match(r"(?:https?://|mailto:|tel:)", value):
            found.append(f"a link that goes nowhere: <{tag} href={value!r}>")
    return found


# A sentence ends and the next begins on a new line of the same paragraph: a template whose
# line ends in a block tag lost its blank line ("...at the start.<br>\nHow to answer").
_GLUED = re.compile(r"[^<>\n]{0,40}[.?!]<br>\n[A-Z][^<>\n]{0,30}")


def _without_quotes(html: str) -> str:
    """The HTML without the people's words it quotes (their lines are theirs)."""
    return re.sub(r"<blockquote.*?</blockquote>", "", html, flags=re.S)


def flat(text: str) -> str:
    """A text part as one line, so a phrase can be found wherever the wrapping broke it."""
    return " ".join(text.split())
