"""The coordinators' digest, pure: when it is due, what its numbers say, what a reply asks.

A coordinator acts by replying to the digest, one command a line:
``done 3`` (or ``done 3 5 8``), ``note 3 <text>``, ``pause EMAIL``, ``resume EMAIL``,
``capacity EMAIL N``, ``remind 3``, ``end 3 <reason>``, ``approve EMAIL``,
``match MENTEE-EMAIL with MENTOR-EMAIL``. Anything else is unclear, acts on nothing, and is
answered with the command it most looks like ("did you mean"), or with the commands there
are; only greetings and thanks are not commands (the quote and the signature are cut before).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from mentormail.workflows.exceptions import UnknownValue

SEND_AT = time(8, 0)  # in the program's time zone (the shell converts from and to UTC)


class Schedule(StrEnum):
    """How often a program's coordinators get a digest."""

    WEEKLY = "weekly"  # Mondays
    DAILY = "daily"
    OFF = "off"


def schedule_of(value: str) -> Schedule:
    """The schedule a program file names; an unknown one is an error."""
    try:
        return Schedule(value)
    except ValueError as exc:
        raise UnknownValue("digest schedule", value) from exc


def _sends_on(schedule: Schedule, day: date) -> bool:
    """Whether the schedule has a digest on this day (weekly: Mondays)."""
    return schedule is Schedule.DAILY or day.weekday() == 0


def next_due(schedule: Schedule, after: datetime) -> datetime | None:
    """The first digest instant strictly after ``after`` (None when digests are off)."""
    if schedule is Schedule.OFF:
        return None
    day = after.date()
    while not (_sends_on(schedule, day) and datetime.combine(day, SEND_AT) > after):
        day += timedelta(days=1)
    return datetime.combine(day, SEND_AT)


def last_due(schedule: Schedule, at: datetime) -> datetime | None:
    """The latest digest instant at or before ``at``: the one a sweep at ``at`` sends, so a
    digest due between two sweeps is dated by when it was due (None when digests are off)."""
    if schedule is Schedule.OFF:
        return None
    day = at.date()
    while not (_sends_on(schedule, day) and datetime.combine(day, SEND_AT) <= at):
        day -= timedelta(days=1)
    return datetime.combine(day, SEND_AT)


def period_before(schedule: Schedule, due: datetime) -> tuple[datetime, datetime]:
    """The period a digest sent at ``due`` reports on: the week (or day) before it."""
    length = timedelta(days=1 if schedule is Schedule.DAILY else 7)
    return due - length, due


# --- the numbers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number of the digest with the one from the period before."""

    label: str
    now: float | None
    before: float | None
    unit: str = ""  # "%", " days", …

    def trend(self) -> str:
        """How it moved, in words: "up from 3", "down from 80%", "same as before", or ""."""
        if self.now is None or self.before is None:
            return ""
        if round(self.now, 1) == round(self.before, 1):
            return "same as before"
        direction = "up" if self.now > self.before else "down"
        return f"{direction} from {_number(self.before)}{self.unit}"

    def shown(self) -> str:
        """The number as the digest prints it ("—" when there is nothing to count)."""
        return self._as_shown(self.now)

    def before_shown(self) -> str:
        """The period before's number, printed the same way."""
        return self._as_shown(self.before)

    def _as_shown(self, value: float | None) -> str:
        """A value with its unit; under a day of days is "less than a day"."""
        if value is None:
            return "—"
        if self.unit == " days" and value < 1:
            return "less than a day"
        return f"{_number(value)}{self.unit}"


def _number(value: float) -> str:
    """Whole numbers without decimals, others with one."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def rate(part: int, whole: int) -> float | None:
    """A percentage, or None when there is nothing to divide."""
    return None if whole == 0 else 100.0 * part / whole


def median(values: list[float]) -> float | None:
    """The middle value, or None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


# --- commands by reply -----------------------------------------------------------------------


class Verb(StrEnum):
    """What a coordinator's line asks for."""

    DONE = "done"
    NOTE = "note"
    PAUSE = "pause"
    RESUME = "resume"
    CAPACITY = "capacity"
    REMIND = "remind"
    END = "end"
    APPROVE = "approve"
    MATCH = "match"


@dataclass(frozen=True)
class Command:
    """One understood line of a coordinator's reply."""

    verb: Verb
    line: str
    items: tuple[int, ...] = ()
    email: str = ""
    number: int = 0
    text: str = ""
    other_email: str = ""  # the mentor of ``match MENTEE with MENTOR``


@dataclass(frozen=True)
class Unclear:
    """A line that is not a command; it acts on nothing."""

    line: str
    prose: bool = False  # plain words, not shaped like a command ("Could you check on Jo?")

    def items(self) -> tuple[int, ...]:
        """The item numbers the line names ("ok #8", "item 5 is sorted"), for saying which
        of them there is no such item, or it is closed."""
        return tuple(int(n) for n in _NAMED_ITEM.findall(self.line))


_ITEM = r"#?(\d+)"
_EMAIL = r"<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?"
_PATTERNS: tuple[tuple[Verb, re.Pattern[str]], ...] = (
    (
        Verb.DONE,
        re.compile(rf"^(?:done|resolved?|closed?)\s+((?:{_ITEM}[\s,]*(?:and\s+)?)+)$", re.I),
    ),
    (Verb.NOTE, re.compile(rf"^note\s+{_ITEM}\s*[:\-–]?\s+(.+)$", re.I)),
    (Verb.PAUSE, re.compile(rf"^pause\s+{_EMAIL}$", re.I)),
    (Verb.RESUME, re.compile(rf"^(?:resume|unpause)\s+{_EMAIL}$", re.I)),
    (Verb.CAPACITY, re.compile(rf"^capacity\s+{_EMAIL}\s+(\d{{1,2}})$", re.I)),
    (Verb.REMIND, re.compile(rf"^remind\s+((?:{_ITEM}[\s,]*(?:and\s+)?)+)$", re.I)),
    (Verb.END, re.compile(rf"^end\s+{_ITEM}\s*[:\-–]?\s+(.+)$", re.I)),
    (Verb.APPROVE, re.compile(rf"^approve\s+{_EMAIL}$", re.I)),
    (Verb.MATCH, re.compile(rf"^(?:match|pair)\s+{_EMAIL}\s+(?:with|and|to)\s+{_EMAIL}$", re.I)),
)
# What each command looks like, for "did you mean" (keyed by the line's first word).
USAGE: dict[str, str] = {
    "done": "done 3 (or done 3 5 8), with the item numbers",
    "note": "note 3 <text>",
    "pause": "pause EMAIL",
    "resume": "resume EMAIL",
    "capacity": "capacity EMAIL N (a number from 1 to 20)",
    "remind": "remind 3 (or remind 3 5), with the item numbers",
    "end": "end 3 <reason> (the reason is kept for you, never shared)",
    "approve": "approve EMAIL",
    "match": "match MENTEE-EMAIL with MENTOR-EMAIL",
}
ALIASES = {
    "resolve": "done",
    "resolved": "done",
    "close": "done",
    "closed": "done",
    "unpause": "resume",
    "pair": "match",
}
# A reply ends where the quoted digest or a signature begins.
_END_OF_REPLY = re.compile(r"^(?:>|--\s*$|On .+ wrote:$|-----Original Message-----)")


# A line starting with one of these was meant as a command: if it does not read, say so.
COMMAND_WORDS = frozenset({*USAGE, *ALIASES})


def read_commands(text: str) -> list[Command | Unclear]:
    """Each line of the new text: a command, or unclear. A line in plain words is unclear
    too (its writer is told, never left to think it acted); only greetings and thanks
    ("Hi team,", "Thanks!") are left out."""
    found: list[Command | Unclear] = []
    for raw in text.splitlines():
        line = " ".join(raw.strip().split())
        if _END_OF_REPLY.match(line):
            break
        if line and line.split()[0].lower().strip(":#") in COMMAND_WORDS:
            found.append(_command(line))
        elif _looks_like_a_command(line):  # "hecho 1", "pausa EMAIL": said so, never dropped
            found.append(Unclear(line))
        elif line and not _courtesy(line):
            found.append(Unclear(line, prose=True))
    return found


# Greetings and thanks, in the languages replies are read in: short, and never a command.
_COURTESY = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|thanks?|thank you|thx|ty|"
    r"many thanks|cheers|best|regards|kind regards|best regards|all the best|sincerely|"
    r"ok|okay|great|perfect|gracias|merci|danke|obrigad[oa]|hola|bonjour|hallo|olá|oi|谢谢)"
    r"\b",
    re.I,
)
_COURTESY_WORDS = 6
_NAMED_ITEM = re.compile(r"(?:#|\bitems?\s+#?|\bno\.?\s*)(\d+)", re.I)


def _courtesy(line: str) -> bool:
    """A greeting or thanks ("Hi team,", "Thanks, all good!"): short, naming no item or
    address."""
    return (
        _COURTESY.match(line) is not None
        and len(line.split()) <= _COURTESY_WORDS
        and not re.search(r"\d|@", line)
    )


# A line shaped like a command: one word, then item numbers or an address.
_COMMAND_SHAPE = re.compile(rf"^([^\W\d_]+)\s+(?:{_ITEM}\b|{_EMAIL})", re.I)
_SHORT_LINE = 4  # words: "ok #6" is meant as a command; "Item 5 is sorted, …" is prose
# The commands' words in the other languages replies are read in, for "did you mean".
TRANSLATED = {
    "done": "hecho hecha listo lista resuelto cerrado fait fini résolu erledigt fertig feito "
    "resolvido concluído 完成",
    "note": "nota notiz",
    "pause": "pausa pausar pausieren pauser",
    "resume": "reanudar reactivar reprendre fortsetzen retomar",
    "capacity": "capacidad capacité kapazität capacidade",
    "remind": "recordar recuerda recordatorio rappeler rappel erinnern erinnerung lembrar",
    "end": "terminar finalizar fin acabar terminer finir beenden encerrar",
    "approve": "aprobar approuver genehmigen aprovar",
    "match": "emparejar juntar associer zuordnen",
}
_MEANT = {w: verb for verb, words in TRANSLATED.items() for w in words.split()}


def _looks_like_a_command(line: str) -> bool:
    """A line shaped like a command whose first word is close to one, or that is as short as
    a command is ("ok #6")."""
    shaped = _COMMAND_SHAPE.match(line)
    if shaped is None:
        return False
    return _closest_verb(shaped.group(1)) is not None or len(line.split()) <= _SHORT_LINE


def _closest_verb(word: str) -> str | None:
    """The command a word most likely means: its translation, or a command it is a typo of."""
    word = word.lower().strip(":#")
    if word in _MEANT:
        return _MEANT[word]
    close = difflib.get_close_matches(word, [*USAGE, *ALIASES], n=1, cutoff=0.75)
    return ALIASES.get(close[0], close[0]) if close else None


def _command(line: str) -> Command | Unclear:
    """One line: the first pattern that reads it whole, else unclear."""
    bare = line.rstrip(".!")
    for verb, pattern in _PATTERNS:
        match = pattern.match(bare)
        if match is None:
            continue
        if verb in (Verb.DONE, Verb.REMIND):
            return Command(
                verb, line, items=tuple(int(n) for n in re.findall(r"\d+", match.group(1)))
            )
        if verb in (Verb.NOTE, Verb.END):
            return Command(verb, line, items=(int(match.group(1)),), text=match.group(2))
        if verb is Verb.MATCH:
            return Command(
                verb, line, email=match.group(1).lower(), other_email=match.group(2).lower()
            )
        if verb is Verb.CAPACITY:
            return Command(verb, line, email=match.group(1).lower(), number=int(match.group(2)))
        return Command(verb, line, email=match.group(1).lower())
    return Unclear(line)


NO_LIKENESS = "write one command a line; the commands are below."  # the email lists USAGE


def did_you_mean(line: str, open_items: frozenset[int] | None = None) -> str:
    """What an unclear line most looks like, as the command to write instead: the line itself
    with the command's word ("hecho 1" → "done 1") when that reads, else the command's form;
    a line that names an open item ("ok #8") is offered done and note for it; with no
    likeness, the commands there are. ``open_items``: the list's open items (None: unknown)."""
    words = line.split()
    word = words[0].lower().strip(":#") if words else ""
    verb = ALIASES.get(word, word) if word in COMMAND_WORDS else _closest_verb(word)
    usage = USAGE.get(verb or "")
    if verb is None or usage is None:
        named = [n for n in Unclear(line).items() if open_items is None or n in open_items]
        if named:
            n = named[0]
            return f"did you mean “done {n}”, or “note {n} <your words>” to keep them on it?"
        return NO_LIKENESS
    rewritten = " ".join([verb, *words[1:]])
    if verb != word and isinstance(_command(rewritten), Command):
        return f"did you mean “{rewritten}”?"
    return f"did you mean {usage}?"
