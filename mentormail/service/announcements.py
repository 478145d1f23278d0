"""Announcements to a program's people: a preview, then one outbox row per person.

The announcement is rendered once with the personal tags of ``workflows.announcement``
left in (``Announcement.text_template``/``html_template``); each person's row is that
message with their first name and their own unsubscribe link put in, written through
``outbox.write`` like any other email (reply and unsubscribe tokens, List-Unsubscribe and
one-click, the idempotency key ``announce:<announcement>:<person>``). Rows are queued one
job per ``PER_REQUEST`` of them, and a transport that can (SendGrid) sends each such job's
rows as one request with a personalization per person (``bundles``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import markdown_text, outbox
from mentormail.service.context import ANNOUNCE_JOB, Services
from mentormail.service.exceptions import PermanentError
from mentormail.service.models import (
    Announcement,
    Match,
    OutboundMessage,
    Participant,
    Program,
    Suppression,
)
from mentormail.service.outbox import Draft
from mentormail.service.people import first_name as called
from mentormail.service.people import first_word
from mentormail.service.ports import Personalized, Recipient
from mentormail.service.programs import find_program
from mentormail.service.rendering import Rendered, render
from mentormail.service.transports.headers import clean_text
from mentormail.workflows import announcement as rules
from mentormail.workflows.announcement import Audience, LeftOut

TEMPLATE = "announcement"
KEY_PREFIX = "announce"
WRITE_EVERY = 500  # people written per transaction
PREVIEW_NAMES = 5
_UNSUBSCRIBE = re.compile(r"^<(https?://[^>]+)>")


@dataclass(frozen=True)
class Words:
    """What a coordinator wants to say, and to whom."""

    audience: Audience
    subject: str
    markdown: str


@dataclass
class Plan:
    """Who an announcement goes to and what the first of them reads."""

    program: Program
    words: Words
    recipients: list[Participant]
    left_out: dict[LeftOut, int]
    first: Rendered | None  # as the first recipient reads it (their name; a sample link)


@dataclass
class Summary:
    """What ``send`` did."""

    announcement_id: int
    recipients: int
    written: int = 0
    already: int = 0  # had it before (the same words to the same audience)
    left_out: dict[str, int] = field(default_factory=dict)
    jobs: int = 0

    def as_json(self) -> dict[str, Any]:
        """The summary ``announce --send --json`` prints."""
        return {
            "announcement": self.announcement_id,
            "recipients": self.recipients,
            "written": self.written,
            "already_sent": self.already,
            "left_out": self.left_out,
            "send_jobs": self.jobs,
            "sendgrid_requests": rules.requests_needed(self.written),
        }


def plan(session: Session, slug: str, words: Words, base_url: str) -> Plan:
    """The audience's recipients (suppressed and departed people left out) and the message."""
    if not words.subject.strip():
        raise PermanentError("the announcement needs a subject (--subject TEXT)")
    if not words.markdown.strip():
        raise PermanentError("the announcement file is empty")
    program = find_program(session, slug)
    people = list(
        session.scalars(
            select(Participant)
            .where(Participant.program_id == program.id)
            .order_by(Participant.name, Participant.id)
        )
    )
    choice = rules.choose(words.audience, _facts(session, program, people))
    by_id = {p.id: p for p in people}
    recipients = [by_id[i] for i in choice.recipients]
    first = None
    if recipients:
        sample = f"{base_url}/a/(their-own-unsubscribe-link)"
        first = personal(_rendered(program, words), called(recipients[0]), sample)
    return Plan(program, words, recipients, choice.left_out, first)


def _facts(session: Session, program: Program, people: list[Participant]) -> list[rules.Person]:
    """What choosing needs of each person, in two queries."""
    matched = set(
        session.scalars(
            select(Match.mentee_id).where(Match.program_id == program.id, Match.state == "active")
        )
    ) | set(
        session.scalars(
            select(Match.mentor_id).where(Match.program_id == program.id, Match.state == "active")
        )
    )
    suppressed = set(session.scalars(select(Suppression.email)))
    return [
        rules.Person(
            id=p.id,
            role=p.role,
            active=p.status == "active",
            suppressed=p.email.lower() in suppressed,
            matched=p.id in matched,
        )
        for p in people
    ]


def _rendered(program: Program, words: Words) -> Rendered:
    """The announcement once, on the program's layout, with the personal tags left in."""
    context = {
        "program": program,
        "recipient_name": rules.NAME_TEXT,
        "name_html": rules.NAME_HTML,
        "unsubscribe_url": rules.UNSUBSCRIBE,
        "links": {},
        "sender": "",
        "announcement": {
            "subject": " ".join(words.subject.split()),
            "text": markdown_text.to_text(words.markdown),
            "html": markdown_text.to_html(words.markdown),
        },
    }
    return render(TEMPLATE, context, program.settings.get("templates"))


def values(name: str, unsubscribe_url: str) -> dict[str, str]:
    """One person's tag values."""
    return {
        rules.NAME_TEXT: name,
        rules.NAME_HTML: str(escape(name)),
        rules.UNSUBSCRIBE: unsubscribe_url,
    }


def personal(message: Rendered, name: str, unsubscribe_url: str) -> Rendered:
    """The message as one person reads it."""
    filled = values(name, unsubscribe_url)
    return Rendered(
        message.subject, rules.fill(message.text, filled), rules.fill(message.html, filled)
    )


def send(
    services: Services, slug: str, words: Words, actor: str, progress: Callable[[int], None]
) -> Summary:
    """Write one outbox row per recipient (never twice for the same words), then queue one
    send job per ``PER_REQUEST`` new rows; ``progress`` hears how many people were done."""
    with services.unit() as uow:
        found = plan(uow.session, slug, words, services.config.base_url)
        record = _record(uow.session, found, actor, uow.now)
        ids = [p.id for p in found.recipients]
    summary = Summary(record.id, len(ids), left_out={r.value: n for r, n in found.left_out.items()})
    new_rows: list[int] = []
    for chunk in _chunks(ids, WRITE_EVERY):
        with services.unit() as uow:
            program = uow.session.get_one(Program, record.program_id)
            had = _had_it(uow.session, record, chunk)
            people = {
                p.id: p
                for p in uow.session.scalars(select(Participant).where(Participant.id.in_(chunk)))
            }
            for person_id in chunk:
                person = people[person_id]
                row_id = None if person_id in had else _write_one(uow, program, record, person)
                if row_id is None:
                    summary.already += 1
                else:
                    new_rows.append(row_id)
        progress(len(chunk))
    summary.written = len(new_rows)
    for start in range(0, len(new_rows), rules.PER_REQUEST):
        services.enqueue_safely("outbound", ANNOUNCE_JOB, new_rows[start])
        summary.jobs += 1
    return summary


def _record(session: Session, found: Plan, actor: str, now: Any) -> Announcement:
    """The announcement's row: found by its words, or made now."""
    words = found.words
    key = rules.key_of(found.program.slug, words.audience, words.subject, words.markdown)
    record = session.scalar(select(Announcement).where(Announcement.key == key))
    if record is None:
        message = _rendered(found.program, words)
        record = Announcement(
            program_id=found.program.id,
            key=key,
            audience=words.audience.value,
            subject=message.subject,
            markdown=words.markdown,
            text_template=message.text,
            html_template=message.html,
            created_by=actor[:200],
            created_at=now,
        )
        session.add(record)
        session.flush()
    session.expunge(record)
    return record


def _key(record: Announcement, person_id: int) -> str:
    """The idempotency key of one person's copy."""
    return f"{KEY_PREFIX}:{record.id}:{person_id}"


def _had_it(session: Session, record: Announcement, people: list[int]) -> set[int]:
    """Which of these people have their row already, in one query."""
    keys = {_key(record, i): i for i in people}
    found = session.scalars(
        select(OutboundMessage.idempotency_key).where(OutboundMessage.idempotency_key.in_(keys))
    )
    return {keys[k] for k in found}


def _write_one(uow: Any, program: Program, record: Announcement, person: Participant) -> int | None:
    """One person's row (None when the outbox will not write to them)."""
    message = Rendered(record.subject, record.text_template, record.html_template)
    return outbox.write(
        uow,
        Draft(
            program=program,
            template=TEMPLATE,
            key=_key(record, person.id),
            to=person,
            reply_address=program.address,  # per request on SendGrid: the program's
            renderer=lambda context: personal(
                message, str(context["recipient_name"]), str(context["unsubscribe_url"])
            ),
            queue=False,
        ),
    )


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    """``items`` in runs of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- sending: one request for many rows -------------------------------------------------


def announcement_of(row: OutboundMessage) -> int | None:
    """The announcement an outbox row belongs to, from its key; None for other mail."""
    parts = row.idempotency_key.split(":")
    if row.template != TEMPLATE or len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    return int(parts[1]) if parts[1].isdigit() else None


def group_prefix(row: OutboundMessage) -> str | None:
    """The key prefix every row of the same announcement shares."""
    found = announcement_of(row)
    return None if found is None else f"{KEY_PREFIX}:{found}:"


Bundle = tuple[Personalized, list[OutboundMessage]]


def bundles(
    session: Session, rows: list[OutboundMessage], size: int
) -> tuple[list[Bundle], list[OutboundMessage]]:
    """Rows of one announcement that are exactly its message with their own values put in,
    as personalized messages of at most ``size`` people; every other row on its own."""
    groups: dict[tuple[Any, ...], list[OutboundMessage]] = {}
    alone: list[OutboundMessage] = []
    templates: dict[int, Announcement | None] = {}
    known = _names_gone_by(session, rows)
    for row in rows:
        found = announcement_of(row)
        if found is not None and found not in templates:
            templates[found] = session.get(Announcement, found)
        record = templates.get(found) if found is not None else None
        if record is None or not _fits(record, row, known):
            alone.append(row)
            continue
        shared = tuple(sorted(_shared_headers(row).items()))
        groups.setdefault((found, row.from_addr, row.reply_to, row.subject, shared), []).append(row)
    made: list[Bundle] = []
    for members in groups.values():
        record = templates[announcement_of(members[0]) or 0]
        assert record is not None
        for start in range(0, len(members), size):
            chunk = members[start : start + size]
            made.append((_personalized(record, chunk, known), chunk))
    return made, alone


def _names_gone_by(session: Session, rows: list[OutboundMessage]) -> dict[int, str]:
    """The name each row's person goes by, for those who have one (one query)."""
    ids = {row.participant_id for row in rows if row.participant_id is not None}
    if not ids:
        return {}
    found = session.execute(
        select(Participant.id, Participant.known_as).where(
            Participant.id.in_(ids), Participant.known_as.is_not(None)
        )
    )
    return {person_id: known_as for person_id, known_as in found if known_as}


def _row_values(row: OutboundMessage, known: dict[int, str]) -> dict[str, str]:
    """A row's own tag values, read back from the row (the greeting as ``send`` wrote it)."""
    match = _UNSUBSCRIBE.match(str((row.headers or {}).get("List-Unsubscribe", "")))
    return values(_greeting_name(row, known), match.group(1) if match else "")


def _greeting_name(row: OutboundMessage, known: dict[int, str]) -> str:
    """The name the row's greeting used (the outbox's ``recipient_name`` rule)."""
    if not row.to_name:
        return "there"
    gone_by = known.get(row.participant_id) if row.participant_id is not None else None
    return gone_by or first_word(row.to_name)


def _fits(record: Announcement, row: OutboundMessage, known: dict[int, str]) -> bool:
    """Whether the row is the announcement's message with its own values (a row changed
    since, say by forget-person, is sent as it is, on its own)."""
    filled = _row_values(row, known)
    return (
        bool(filled[rules.UNSUBSCRIBE])
        and rules.fill(record.text_template, filled) == row.text
        and rules.fill(record.html_template, filled) == row.html
    )


def _shared_headers(row: OutboundMessage) -> dict[str, str]:
    """The row's headers that are the same for everyone (List-Id, Auto-Submitted, ...)."""
    return {k: str(v) for k, v in (row.headers or {}).items() if k != "List-Unsubscribe"}


def _personalized(
    record: Announcement, rows: list[OutboundMessage], known: dict[int, str]
) -> Personalized:
    """One message for these rows, each person with their values, headers and row keys."""
    first = rows[0]
    return Personalized(
        from_addr=first.from_addr,
        reply_to=first.reply_to,
        subject=first.subject,
        text=record.text_template,
        html=record.html_template,
        headers=_shared_headers(first),
        categories=(TEMPLATE,),
        recipients=tuple(
            Recipient(
                to_addr=row.to_addr,
                to_name=clean_text(row.to_name or ""),
                substitutions=_row_values(row, known),
                headers={
                    "Message-ID": row.message_id,
                    "List-Unsubscribe": str(row.headers["List-Unsubscribe"]),
                },
                custom_args={"outbox_id": str(row.id), "idempotency_key": row.idempotency_key},
            )
            for row in rows
        ),
    )
