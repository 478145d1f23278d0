"""A person's data on request: everything held about them, or all of it erased but counts.

Both walk every table that points at a participant, so a table added later is covered
without a change here: its rows are exported, and its free text (Text, JSON, raw bytes) is
cleared when the person is forgotten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    CursorResult,
    FromClause,
    LargeBinary,
    Table,
    Text,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from mentormail.service import membership
from mentormail.service.context import Unit
from mentormail.service.exceptions import NotFound, StillTakingPart
from mentormail.service.models import (
    ActionToken,
    Attention,
    Base,
    InboundMessage,
    OutboundMessage,
    Participant,
    Program,
    ReplyToken,
    Suppression,
)

FORGOTTEN_NAME = "Forgotten participant"
UNSENT = ("pending", "sending", "retry")  # outbox rows that have not gone out yet
DEFAULT_RAW_MAIL_DAYS = 400  # for mail that belongs to no program's participant


def people_with(session: Session, address: str) -> list[Participant]:
    """Every participant row (one per program) with this address; NotFound if none."""
    wanted = address.strip().lower()
    people = list(session.scalars(select(Participant).where(Participant.email == wanted)))
    if not people:
        raise NotFound(f"no participant has the address {wanted}")
    return people


# --- export ----------------------------------------------------------------------------------


def export_person(session: Session, address: str, now: datetime) -> dict[str, Any]:
    """Everything held about the person with this address, as JSON-ready data."""
    people = people_with(session, address)
    ids = [p.id for p in people]
    wanted = people[0].email
    return {
        "email": wanted,
        "exported_at": now.isoformat(),
        "participants": [_row_of(Participant.__table__, p.__dict__) for p in people],
        "programs": sorted({p.program.slug for p in people}),
        "rows_about_them": _rows_pointing_at(session, ids),
        "mail_from_their_address": _rows(
            session,
            InboundMessage.__table__,
            (InboundMessage.from_addr == wanted) & InboundMessage.participant_id.is_(None),
        ),
        "suppression": _rows(session, Suppression.__table__, Suppression.email == wanted),
    }


def _rows_pointing_at(session: Session, ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """For each table with a column that refers to a participant: its rows that refer to one
    of ``ids``."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table, columns in _tables_pointing_at_participants():
        rows = _rows(session, table, _refers_to(columns, ids))
        if rows:
            found[table.name] = rows
    return found


def _refers_to(columns: list[Any], ids: list[int]) -> Any:
    """Rows where any of these participant columns holds one of ``ids``."""
    return or_(*(column.in_(ids) for column in columns))


def _tables_pointing_at_participants() -> list[tuple[Table, list[Any]]]:
    """Every table (but participants) with its columns that are foreign keys to participants."""
    result = []
    for table in Base.metadata.sorted_tables:
        if table.name == Participant.__tablename__:
            continue
        columns = [
            column
            for column in table.columns
            if any(fk.column.table.name == Participant.__tablename__ for fk in column.foreign_keys)
        ]
        if columns:
            result.append((table, columns))
    return result


def _rows(session: Session, table: FromClause, condition: Any) -> list[dict[str, Any]]:
    """Rows of a table as plain, JSON-ready dicts, in primary key order."""
    query = select(table).where(condition).order_by(*table.primary_key)
    return [_row_of(table, dict(row._mapping)) for row in session.execute(query)]


def _row_of(table: FromClause, values: dict[str, Any]) -> dict[str, Any]:
    """One row's columns (only the table's own), JSON-ready."""
    return {column.name: _plain(values.get(column.key)) for column in table.columns}


def _plain(value: Any) -> Any:
    """Dates as ISO text, raw mail as text; everything else as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


# --- forget ----------------------------------------------------------------------------------


@dataclass
class Forgotten:
    """What forgetting a person did: erased, or what it waits for first."""

    participants: int
    erased: bool
    ended_participation: int = 0  # removals done now; their partners' notices are queued
    waiting_for_mail: int = 0  # queued mail to others that names them: erase once it is sent
    rows_cleared: int = 0
    mentions_redacted: int = 0


def forget_person(uow: Unit, address: str, *, end_participation: bool = False) -> Forgotten:
    """Erase a person's personal data everywhere; keep only what counts need (ids, states,
    dates). Someone still taking part is removed first (``end_participation``), and nothing
    is erased while mail naming them is still to be sent: run it again once it is."""
    session = uow.session
    people = people_with(session, address)
    active = [p for p in people if p.status == "active"]
    if active and not end_participation:
        raise StillTakingPart(
            f"{people[0].email} still takes part in {', '.join(p.program.slug for p in active)}:"
            " end their participation first (--end-participation), so partners are told"
        )
    for person in active:
        membership.remove(uow, person, "forget")
    session.flush()
    names, profile = _identifying_words(people)
    ids = [p.id for p in people]
    waiting = _unsent_mail_naming(session, names, ids)
    if waiting:
        return Forgotten(len(people), False, len(active), waiting)
    cleared = _clear_their_rows(session, ids) + _forget_their_mail(session, people[0].email, ids)
    redacted = _redact_mentions(session, names, profile, ids)
    for person in people:
        _anonymise(person)
    session.execute(delete(ReplyToken).where(ReplyToken.participant_id.in_(ids)))
    session.execute(delete(ActionToken).where(ActionToken.participant_id.in_(ids)))
    _record(uow, people)
    return Forgotten(len(people), True, len(active), 0, cleared, redacted)


def _unsent_mail_naming(session: Session, names: list[str], ids: list[int]) -> int:
    """Queued mail to others that names the person (a partner's notice, say)."""
    naming = _pattern(names)
    query = select(OutboundMessage).where(
        _not_theirs(OutboundMessage, ids), OutboundMessage.status.in_(UNSENT)
    )
    return sum(1 for row in session.scalars(query) if naming.search(row.text or ""))


def _identifying_words(people: list[Participant]) -> tuple[list[str], list[str]]:
    """What names the person anywhere (name, addresses, contact), and what describes them
    in mail about them (their profile): each longest first."""
    names: set[str] = set()
    profile: set[str] = set()
    for person in people:
        names.update([person.name, person.email, person.contact, *(person.other_emails or [])])
        profile.update([person.profession, person.industry, person.major, person.bio])
        profile.update(person.interests or [])
    return _longest_first(names), _longest_first(profile - names)


def _longest_first(words: set[str]) -> list[str]:
    """Non-trivial strings, longest first so a name goes before a part of it."""
    return sorted((w.strip() for w in words if w and len(w.strip()) >= 3), key=len, reverse=True)


def _clear_their_rows(session: Session, ids: list[int]) -> int:
    """In every table that points at them: their rows' free text, JSON and raw bytes emptied."""
    cleared = 0
    for table, columns in _tables_pointing_at_participants():
        blank = _blank_values(table)
        if not blank:
            continue
        cleared += _changed(session, update(table).where(_refers_to(columns, ids)).values(blank))
    return cleared


def _blank_values(table: Table) -> dict[str, Any]:
    """The empty value of each free-text, JSON and binary column of a table."""
    blank: dict[str, Any] = {}
    for column in table.columns:
        if isinstance(column.type, LargeBinary):
            blank[column.name] = b""
        elif isinstance(column.type, Text):
            blank[column.name] = None if column.nullable else ""
        elif isinstance(column.type, JSON):
            blank[column.name] = None if column.nullable else _empty_default(column)
    return blank


def _empty_default(column: Any) -> Any:
    """A non-null JSON column's own empty value ([] for ``default=list``, {} for dict)."""
    default = column.default
    if default is not None and default.is_callable:
        return default.arg(None)
    return {}


def _forget_their_mail(session: Session, address: str, ids: list[int]) -> int:
    """Mail from their address with no participant, mail to them, their suppression: gone."""
    stranger_mail = _changed(
        session,
        update(InboundMessage)
        .where((InboundMessage.from_addr == address) | InboundMessage.participant_id.in_(ids))
        .values(raw=b"", size=0, from_addr=None, subject=None, reply_text=None, error=None),
    )
    to_them = _changed(
        session,
        update(OutboundMessage)
        .where(OutboundMessage.participant_id.in_(ids) | (OutboundMessage.to_addr == address))
        .values(to_addr=_forgotten_address(ids[0]), to_name="", subject="", text="", html=""),
    )
    session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.participant_id.in_(ids), OutboundMessage.status.in_(UNSENT))
        .values(status="cancelled", next_attempt_at=None)
    )
    session.execute(delete(Suppression).where(Suppression.email == address))
    return stranger_mail + to_them


def _changed(session: Session, statement: Any) -> int:
    """Run an UPDATE; how many rows it changed."""
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount or 0


def _redact_mentions(session: Session, names: list[str], profile: list[str], ids: list[int]) -> int:
    """In mail to and from others and in attention items: their name, addresses and contact
    replaced, and where they are named their profile too. Raw mail is redacted
    where the words appear as plain UTF-8 (encoded words and base64 parts are not)."""
    if not names:
        return 0
    naming = _pattern(names)
    about = _pattern(names + profile)
    redacted = 0
    for row in session.scalars(select(OutboundMessage).where(_not_theirs(OutboundMessage, ids))):
        fields = [row.subject, row.text, row.html]
        if not any(naming.search(text) for text in fields if text):
            continue
        row.subject, row.text, row.html = (about.sub(REDACTED, t) for t in fields)
        redacted += 1
    for mail in session.scalars(select(InboundMessage).where(_not_theirs(InboundMessage, ids))):
        if naming.search(mail.raw.decode("utf-8", errors="replace")):
            mail.raw = about.sub(REDACTED, mail.raw.decode("utf-8", errors="replace")).encode()
            mail.size = len(mail.raw)
            mail.reply_text = about.sub(REDACTED, mail.reply_text or "") or None
            mail.subject = about.sub(REDACTED, mail.subject or "") or None
            redacted += 1
    for item in session.scalars(select(Attention)):
        if naming.search(item.reason) or naming.search(item.detail or ""):
            item.reason = about.sub(REDACTED, item.reason)
            item.detail = about.sub(REDACTED, item.detail or "")
            redacted += 1
    return redacted


REDACTED = "[forgotten]"


def _pattern(words: list[str]) -> re.Pattern[str]:
    """Any of the words, whole, in any case."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def _not_theirs(model: Any, ids: list[int]) -> Any:
    """Rows of a mail table that belong to someone else (or to no participant)."""
    return model.participant_id.not_in(ids) | model.participant_id.is_(None)


def _anonymise(person: Participant) -> None:
    """The participant row keeps its id, role and status for the counts; nothing else."""
    person.name = FORGOTTEN_NAME
    person.email = _forgotten_address(person.id)
    person.profession = person.industry = person.major = person.contact = person.bio = ""
    person.interests, person.other_emails = [], []


def _forgotten_address(participant_id: int) -> str:
    """A placeholder address that can never receive mail (RFC 2606 .invalid)."""
    return f"forgotten-{participant_id}@forgotten.invalid"


def _record(uow: Unit, people: list[Participant]) -> None:
    """The audit trail: that someone was forgotten, when, and their anonymous ids only."""
    for person in people:
        uow.session.add(
            Attention(
                program_id=person.program_id,
                reason=f"participant #{person.id}'s personal data was erased (forget-person)",
                detail="",
                participant_id=None,
                created_at=uow.now,
                resolved=True,
            )
        )


# --- raw mail retention ----------------------------------------------------------------------


def raw_mail_due(session: Session, now: datetime) -> list[int]:
    """Inbound mail older than its program's ``raw_mail_days`` whose raw bytes are still kept."""
    due: list[int] = []
    keep_days = []
    for program in session.scalars(select(Program)):
        days = raw_mail_days(program)
        keep_days.append(days)
        due += session.scalars(
            select(InboundMessage.id)
            .join(Participant, InboundMessage.participant_id == Participant.id)
            .where(
                Participant.program_id == program.id,
                InboundMessage.received_at <= now - timedelta(days=days),
                InboundMessage.size > 0,
            )
        )
    strangers_days = min(keep_days, default=DEFAULT_RAW_MAIL_DAYS)
    due += session.scalars(
        select(InboundMessage.id).where(
            InboundMessage.participant_id.is_(None),
            InboundMessage.received_at <= now - timedelta(days=strangers_days),
            InboundMessage.size > 0,
        )
    )
    return due


def remove_raw_mail(uow: Unit, inbound_id: int) -> None:
    """The raw bytes go; what was read from them (kind, intent, routing) stays."""
    row = uow.session.get_one(InboundMessage, inbound_id)
    row.raw, row.size = b"", 0


def raw_mail_days(program: Program) -> int:
    """How many days a program keeps raw inbound mail."""
    return int((program.settings or {}).get("raw_mail_days") or DEFAULT_RAW_MAIL_DAYS)
