"""One-time link tokens and reply-address tokens: random, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, event, insert, or_, select, update
from sqlalchemy.orm import Session, aliased, defer, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from mentormail.service.db import PreparedRead
from mentormail.service.exceptions import LinkExpired, LinkUsed, NotFound
from mentormail.service.models import ActionToken, Participant, Program, ReplyToken


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, so a database leak yields no working link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LinkSpec:
    """A one-time link to make: what it does and for whom."""

    action: str  # "ask" | "accept" | "decline" | "pause" | "available" | "unsubscribe"
    participant_id: int
    request_id: int | None = None
    target_id: int | None = None
    group_key: str = ""  # links in one group die together (accept/decline of one request)


def issue_link(session: Session, spec: LinkSpec, now: datetime, ttl: timedelta) -> str:
    """Create a one-time link token and return it (the only time it exists in clear)."""
    made = NewTokens()
    token = made.link(spec, now, ttl)
    made.store(session)
    return token


@dataclass
class NewTokens:
    """Tokens made for one email, stored together when the email is: one INSERT a table on
    the session's connection (its transaction, without a flush: nothing reads a token in the
    unit that issues it)."""

    links: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)

    def link(self, spec: LinkSpec, now: datetime, ttl: timedelta) -> str:
        """A one-time link token, returned in clear (the only time it exists so)."""
        token = secrets.token_urlsafe(24)
        self.links.append(
            {
                "token_hash": token_hash(token),
                "participant_id": spec.participant_id,
                "action": spec.action,
                "request_id": spec.request_id,
                "target_id": spec.target_id,
                "group_key": spec.group_key,
                "created_at": now,
                "expires_at": now + ttl,
                "used_at": None,
            }
        )
        return token

    def reply(
        self,
        participant_id: int,
        context: str,
        now: datetime,
        request_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> str:
        """The token of a ``reply+<token>@`` address; lower-case hex survives every MTA."""
        token = secrets.token_hex(12)
        self.replies.append(
            {
                "token_hash": token_hash(token),
                "participant_id": participant_id,
                "context": context,
                "request_id": request_id,
                "payload": payload or {},
                "created_at": now,
            }
        )
        return token

    def store(self, session: Session) -> None:
        """Write the tokens made, in the session's transaction, and forget them."""
        connection = session.connection()
        if self.links:
            connection.execute(_INSERT_LINK, self.links)
        if self.replies:
            connection.execute(_INSERT_REPLY_TOKEN, self.replies)
        self.links, self.replies = [], []

    def add(self, other: NewTokens) -> None:
        """Take another email's tokens, to be stored with these."""
        self.links += other.links
        self.replies += other.replies


PENDING = "tokens_to_store"  # session.info: the unit's emails' tokens, stored before it commits


def pending(session: Session) -> NewTokens:
    """The tokens of the emails this session's unit wrote and has not stored yet."""
    found = session.info.get(PENDING)
    if found is None:
        found = session.info[PENDING] = NewTokens()
    return found


def keep_stored(factory: sessionmaker[Session]) -> None:
    """Have every session of the factory store its emails' tokens before it commits (one
    INSERT a table for all of them) and drop them when it rolls back."""
    event.listen(factory, "before_commit", _store_before_commit)
    event.listen(factory, "after_soft_rollback", _drop_after_rollback)


def _store_before_commit(session: Session) -> None:
    """The tokens go in with the commit (a savepoint's are stored by whoever releases it)."""
    if not session.in_nested_transaction() and session.info.get(PENDING) is not None:
        pending(session).store(session)


def _drop_after_rollback(session: Session, _previous: object) -> None:
    """Tokens of a transaction rolled back are never stored."""
    if not session.in_transaction():
        session.info.pop(PENDING, None)


_INSERT_LINK = insert(ActionToken)
_INSERT_REPLY_TOKEN = insert(ReplyToken)


def find_link(session: Session, token: str) -> ActionToken:
    """The link behind a token, used or not; NotFound when there is none."""
    row = session.scalar(select(ActionToken).where(ActionToken.token_hash == token_hash(token)))
    if row is None:
        raise NotFound(NO_SUCH_LINK)
    return row


NO_SUCH_LINK = "This link is not one of ours, or it was mistyped."
_TARGET = aliased(Participant)
_LINK_WITH_PEOPLE = (  # built once: a link page's only query, compiled once per process
    select(ActionToken, Participant, Program, _TARGET)
    .join(Participant, Participant.id == ActionToken.participant_id)
    .join(Program, Program.id == Participant.program_id)
    .outerjoin(_TARGET, _TARGET.id == ActionToken.target_id)
    .where(ActionToken.token_hash == bindparam("token_hash"))
)
# A GET only asks its question: what no question shows stays in the database (a third fewer
# columns to send and read, five JSON values not parsed; one touched anyway is loaded then).
_LINK_PAGE = _LINK_WITH_PEOPLE.options(
    *[
        defer(column)
        for entity in (Participant, _TARGET)
        for column in (entity.bio, entity.interests, entity.other_emails, entity.preferences)
    ],
    defer(Program.settings),
    defer(Program.coordinators),
)


def find_link_with_people(session: Session, token: str, *, acting: bool = True) -> tuple[Any, ...]:
    """``find_link`` in one query that also loads the link's participant, their program and
    the participant it names (an "ask" link's mentor, else None), so a page reads them
    without SQL while the caller holds them (the session keeps only weak references).
    Not ``acting`` (a GET): without the columns no question shows."""
    query = _LINK_WITH_PEOPLE if acting else _LINK_PAGE
    row = session.execute(query, {"token_hash": token_hash(token)}).first()
    if row is None:
        raise NotFound(NO_SUCH_LINK)
    return tuple(row)


@dataclass(frozen=True)
class LinkFacts:
    """A link's row with what its plainer questions show (an "ask" link's mentor's name):
    enough for a GET to answer without a session."""

    id: int
    action: str
    used_at: datetime | None
    expires_at: datetime
    person_status: str
    person_name: str
    program_name: str
    target_name: str | None

    def usable(self, now: datetime) -> bool:
        """Whether the link can still act: ``check_usable`` does not refuse it."""
        try:
            check_usable(self, now)
        except (LinkUsed, LinkExpired):
            return False
        return True


_LINK_FACTS = PreparedRead(
    select(
        ActionToken.id,
        ActionToken.action,
        ActionToken.used_at,
        ActionToken.expires_at,
        Participant.status,
        Participant.name,
        Program.name,
        _TARGET.name,
    )
    .join(Participant, Participant.id == ActionToken.participant_id)
    .join(Program, Program.id == Participant.program_id)
    .outerjoin(_TARGET, _TARGET.id == ActionToken.target_id)
    .where(ActionToken.token_hash == bindparam("token_hash")),
    held=True,  # every link page's GET reads it: on a connection the thread keeps
)


def peek_link(engine: Engine, token: str) -> LinkFacts | None:
    """A link's facts by its token's hash in one prepared statement, no session; None when
    there is no such link (a digest's link, or not ours)."""
    row = _LINK_FACTS.first(engine, {"token_hash": token_hash(token)})
    return None if row is None else LinkFacts(*row)


def check_usable(link: ActionToken | LinkFacts, now: datetime) -> None:
    """Raise LinkUsed or LinkExpired when the link cannot act any more."""
    if link.used_at is not None:
        raise LinkUsed("This link was already used.")
    if link.expires_at <= now:
        raise LinkExpired("This link has expired.")


def use_link(session: Session, link: ActionToken, now: datetime) -> ActionToken:
    """Claim a found link once: concurrent uses race on one conditional UPDATE; one wins."""
    check_usable(link, now)
    this_one = ActionToken.id == link.id
    named = or_(this_one, ActionToken.group_key == link.group_key) if link.group_key else this_one
    claimed = session.scalars(  # the link and its group in one UPDATE; it says which it claimed
        update(ActionToken)
        .where(named, ActionToken.used_at.is_(None))
        .values(used_at=now)
        .returning(ActionToken.id)
    ).all()
    if link.id not in claimed:  # a concurrent use committed first (its group with it)
        raise LinkUsed("This link was already used.")
    set_committed_value(link, "used_at", now)  # what the UPDATE wrote; no reload
    return link


def find_reply_token(session: Session, token: str) -> ReplyToken | None:
    """The reply token behind an address's token part, or None."""
    return session.scalar(select(ReplyToken).where(ReplyToken.token_hash == token_hash(token)))
