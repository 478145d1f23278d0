"""The values that flow between the inbound steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class MailKind(StrEnum):
    """Who wrote a message: a person, or a machine we must never answer."""

    HUMAN = "human"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    BULK = "bulk"


class Context(StrEnum):
    """What the message being answered asked for; decides how a reply is read."""

    REQUEST = "request"  # a mentor answering a mentee's request
    CHECKIN = "checkin"  # a participant answering "have you met?"
    SURVEY = "survey"  # a 1-5 rating with a comment
    WRAPUP = "wrapup"  # continue past the term, or end
    SEARCH = "search"  # a mentee answering a list of mentors (a number, or new keywords)
    GENERAL = "general"  # mail to the program address, no context


class Intent(StrEnum):
    """What a person means. Context intents first, then those valid anywhere."""

    ACCEPT = "accept"
    DECLINE = "decline"
    MET = "met"
    NOT_YET = "not_yet"
    HELP = "help"
    RATING = "rating"
    CONTINUE = "continue"
    END = "end"
    CHOOSE = "choose"  # SEARCH: picked a numbered option (see Understanding.choice)
    STOP = "stop"  # unsubscribe / leave the program
    PAUSE = "pause"
    AVAILABLE = "available"  # a paused mentor taking requests again
    REPORT_PROBLEM = "report_problem"
    OTHER = "other"


@dataclass(frozen=True)
class Bounce:
    """A delivery failure report: which address failed, and for good or for now."""

    type: str  # "hard" | "soft"
    recipient: str | None
    status: str | None = None  # RFC 3463 code such as "5.1.1"
    diagnostic: str | None = None


@dataclass(frozen=True)
class Classification:
    """The kind of a message and the evidence for it."""

    kind: MailKind
    reasons: tuple[str, ...] = ()
    bounce: Bounce | None = None


@dataclass(frozen=True)
class ParsedMail:
    """A decoded message: the headers we route on and the best text and HTML bodies."""

    message_id: str | None
    from_addr: str | None
    from_name: str | None
    to_addrs: tuple[str, ...]
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]  # every header, decoded to str, in order
    text: str | None  # the first text/plain body, decoded
    html: str | None  # the first text/html body, decoded
    defects: tuple[str, ...] = ()  # what was wrong with the MIME, for the record
    content_type: str = "text/plain"
    report_parts: tuple[tuple[str, str], ...] = ()  # (content-type, text) of report sub-parts

    def header(self, name: str) -> str | None:
        """The first value of a header, case-insensitively, or None."""
        return self._first_values.get(name.lower())

    @cached_property
    def _first_values(self) -> dict[str, str]:
        """Each header's first value by its lower-case name, made once: a message's headers
        are asked for some thirty times on its way through the service."""
        found: dict[str, str] = {}
        for key, value in self.headers:
            found.setdefault(key.lower(), value)
        return found


@dataclass(frozen=True)
class Option:
    """One entry of a numbered list a reply may answer ("2. Daniel Osei — Product Lead")."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Understanding:
    """What a reply means: a clear intent acts; anything else never does."""

    intent: Intent
    clear: bool  # True only when the intent is unambiguous enough to act on
    rating: int | None = None  # SURVEY: 1..5
    choice: int | None = None  # SEARCH: the 1-based option picked
    question: bool = False  # the text asks something of the other person
    candidates: tuple[Intent, ...] = ()  # what an unclear reply might mean ("did you mean…?")
    comment: str = ""  # the reply text that remains after the intent words
    reasons: tuple[str, ...] = field(default_factory=tuple)
    confidence: float = 1.0  # 0-1: how sure the reading is; clear means >= ACT_THRESHOLD
    why: tuple[str, ...] = ()  # the evidence, clause by clause, for the record and `parse`
    condition: str = ""  # a yes with a condition ("as long as we meet online"), passed on
    also: tuple[Intent, ...] = ()  # what the reply also asks for (a decline that also leaves)


ACT_THRESHOLD = 0.8  # a reading is clear (acts) only at or above this confidence
