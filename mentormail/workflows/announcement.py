"""Announcements, pure: who an audience is, who is left out and why, and the personal tags.

Every recipient's message is the announcement's one message with three tags filled in
(their name as text and as HTML, and their own unsubscribe link), so the same message can
go out as one SendGrid request for a thousand people (``substitutions``) and be exactly
what each row of the outbox holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

NAME_TEXT = "%mm_name%"
NAME_HTML = "%mm_name_html%"
UNSUBSCRIBE = "%mm_unsubscribe%"
TAGS = (NAME_TEXT, NAME_HTML, UNSUBSCRIBE)
PER_REQUEST = 1000  # SendGrid v3: at most 1,000 personalizations (recipients) per request


class Audience(StrEnum):
    """Who an announcement is for."""

    MENTORS = "mentors"
    MENTEES = "mentees"
    UNMATCHED = "unmatched"  # active mentees without an active match
    ALL = "all"


class LeftOut(StrEnum):
    """Why someone of the audience gets no copy."""

    SUPPRESSED = "suppressed"  # their address bounced or complained
    LEFT = "left the program"  # unsubscribed, left or removed


@dataclass(frozen=True)
class Person:
    """What choosing an audience needs to know of one participant."""

    id: int
    role: str  # mentor | mentee
    active: bool
    suppressed: bool
    matched: bool  # has an active match


@dataclass
class Choice:
    """The people an announcement goes to, in order, and those of the audience left out."""

    recipients: list[int] = field(default_factory=list)
    left_out: dict[LeftOut, int] = field(default_factory=dict)


_AUDIENCE_WORDS = {  # (one, several)
    Audience.MENTORS: ("mentor", "mentors"),
    Audience.MENTEES: ("mentee", "mentees"),
    Audience.UNMATCHED: ("mentee without a mentor", "mentees without a mentor"),
    Audience.ALL: ("person", "mentors and mentees"),
}


def audience_in_words(audience: Audience, count: int) -> str:
    """Who an announcement goes to, as the preview says it: "14 mentors and mentees"."""
    one, several = _AUDIENCE_WORDS[audience]
    return f"{count} {one if count == 1 else several}"


def in_audience(audience: Audience, person: Person) -> bool:
    """Whether the person belongs to the audience (before anyone is left out)."""
    if audience is Audience.MENTORS:
        return person.role == "mentor"
    if audience is Audience.MENTEES:
        return person.role == "mentee"
    if audience is Audience.UNMATCHED:
        return person.role == "mentee" and not person.matched
    return True


def choose(audience: Audience, people: Iterable[Person]) -> Choice:
    """The audience's recipients; those who left or whose address is suppressed are counted
    apart and get nothing."""
    choice = Choice()
    for person in people:
        if not in_audience(audience, person):
            continue
        reason = (
            LeftOut.LEFT if not person.active else LeftOut.SUPPRESSED if person.suppressed else None
        )
        if reason is None:
            choice.recipients.append(person.id)
        else:
            choice.left_out[reason] = choice.left_out.get(reason, 0) + 1
    return choice


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each tag replaced by its value (tags are never part of another)."""
    for tag in TAGS:
        template = template.replace(tag, values.get(tag, ""))
    return template


def key_of(program_slug: str, audience: Audience, subject: str, markdown: str) -> str:
    """One announcement's identity: the same words to the same audience are sent once."""
    words = "\x1f".join((program_slug, audience.value, " ".join(subject.split()), markdown))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def requests_needed(recipients: int) -> int:
    """SendGrid requests for this many recipients: one per thousand, rounded up."""
    return -(-recipients // PER_REQUEST)
