"""Write outbound email as outbox rows, in the caller's transaction, once per idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr, make_msgid
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mentormail.inbound.types import Context
from mentormail.service.context import SEND_JOB, Services, Unit
from mentormail.service.db import PreparedRead, insert_on_conflict
from mentormail.service.models import OutboundMessage, Participant, Program
from mentormail.service.people import first_name, mentees_search
from mentormail.service.rendering import Rendered, render
from mentormail.service.tokens import LinkSpec, NewTokens, pending
from mentormail.service.transports.headers import clean_text, list_id
from mentormail.workflows.conversation import expects

UNSUBSCRIBE_TTL = timedelta(days=400)
# On every email: it is automatic (RFC 3834), and Exchange should not answer it automatically.
AUTOMATIC_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


@dataclass
class Draft:
    """Everything needed to write one email row."""

    program: Program
    template: str
    key: str  # idempotency key: (workflow, subject, step[, cause])
    to: Participant | None = None
    to_addr: str | None = None  # for people who are not participants
    reply_address: str | None = None  # their Reply-To (a digest's token); else the program's
    context: dict[str, Any] = field(default_factory=dict)
    request_id: int | None = None
    reply_payload: dict[str, Any] = field(default_factory=dict)
    actions: dict[str, LinkSpec] = field(default_factory=dict)
    # The message from the template context, when it is not the template's own (an
    # announcement: its one message with the person's name and unsubscribe link put in).
    renderer: Callable[[dict[str, Any]], Rendered] | None = None
    queue: bool = True  # False: the caller queues the send (one job for many rows)


FAREWELLS = ("left_program", "removed_from_program")  # the one email after someone goes


_WRITTEN_UNDER = select(OutboundMessage.id).where(
    OutboundMessage.idempotency_key == bindparam("key")
)


WRITTEN = "outbox_rows_written"  # the session's count of the emails it wrote (session.info)


def written_in(session: Session) -> int:
    """How many emails the session has written (each once, under its own key)."""
    return int(session.info.get(WRITTEN, 0))


def write(uow: Unit, draft: Draft) -> int | None:
    """Render and store the email unless its key was written before; its row's id, None if
    not to be sent. The row is one INSERT on the unit's connection (its transaction, no
    flush of the session's other changes, no ORM bookkeeping for a row nothing here reads)
    that does nothing when the key is there already: then the tokens made are not stored;
    else they are, with the unit's other emails' tokens, just before it commits.
    """
    session = uow.session
    if draft.to is not None and draft.to.status != "active" and draft.template not in FAREWELLS:
        return _written(session, draft.key)  # never written to them now
    row, tokens = _build_row(uow.services, draft, uow.now)
    held = _quiet_until(uow, draft)  # scheduled mail waits for the person's morning
    if held is not None:
        row["status"], row["next_attempt_at"] = "waiting", held
    connection = session.connection()
    written = _insert_once(connection.dialect.name).all_on(connection, row)
    row_id = written[0][0] if written else None
    if row_id is None:  # written before under this key, by this unit or another
        return _written(session, draft.key)
    pending(session).add(tokens)  # stored with the unit's others, before it commits
    session.info[WRITTEN] = session.info.get(WRITTEN, 0) + 1
    if draft.queue and held is None:
        uow.after_commit("outbound", SEND_JOB, int(row_id))
    return int(row_id)


# every column ``_build_row`` fills, in its order
_ROW_COLUMNS = (
    "idempotency_key", "program_id", "participant_id", "request_id", "to_addr", "to_name",
    "from_addr", "reply_to", "subject", "template", "expects", "text", "html", "headers",
    "links", "message_id", "status", "attempts", "created_at", "next_attempt_at",
)  # fmt: skip


@cache
def _insert_once(dialect: str) -> PreparedRead:
    """The row's INSERT, doing nothing when its idempotency key is taken: compiled once and
    run as the driver's own SQL (the same statement SQLAlchemy's execute would send, without
    its per-call work: this is written 1.5 times a reply)."""
    table = OutboundMessage.__table__.c
    values = {name: bindparam(name, type_=table[name].type) for name in _ROW_COLUMNS}
    statement = insert_on_conflict(dialect)(OutboundMessage).values(values)
    statement = statement.on_conflict_do_nothing(index_elements=[OutboundMessage.idempotency_key])
    return PreparedRead(statement.returning(OutboundMessage.id))


def _written(session: Session, key: str) -> int | None:
    """The id of the row already written under this key (written by this unit or before)."""
    found = session.connection().execute(_WRITTEN_UNDER, {"key": key}).scalar()
    return None if found is None else int(found)


def _quiet_until(uow: Unit, draft: Draft) -> datetime | None:
    """When the sweep's mail to a participant may go, if not now (quiet hours, weekends)."""
    from mentormail.service import quiet

    if draft.to is None or not quiet.is_scheduled(uow.session):
        return None
    return quiet.hold_until(draft.program, uow.now, draft.to.timezone or "")


def reply_context(template: str) -> Context:
    """The context a reply to this email is read in (general when it expects no answer)."""
    expected = expects(template)
    # An answer the reader has no context for (fit, ending, conclusion, agreement, digest) is
    # read as general mail; the reply token keeps what it answers (replies.BY_EXPECTS).
    if expected not in set(Context):
        return Context.GENERAL
    return Context(expected)


def _build_row(services: Services, draft: Draft, now: datetime) -> tuple[dict[str, Any], NewTokens]:
    """Make the tokens, render the templates and fill an outbox row's values."""
    program, domain = draft.program, reply_domain(services, draft.program)
    tokens = NewTokens()
    links = {
        name: link_url(services, tokens.link(spec, now, link_ttl(services)))
        for name, spec in draft.actions.items()
    }
    to_addr = draft.to.email if draft.to else (draft.to_addr or "")
    reply_to = draft.reply_address or program.address
    headers, unsubscribe_url = dict(AUTOMATIC_HEADERS), ""
    if draft.to is not None:
        token = tokens.reply(
            draft.to.id,
            reply_context(draft.template),
            now,
            draft.request_id,
            {**draft.reply_payload, "expects": expects(draft.template) or str(Context.GENERAL)},
        )
        personal = f"reply+{token}@{domain}"
        reply_to = draft.reply_address or personal
        unsubscribe = LinkSpec("unsubscribe", draft.to.id)
        unsubscribe_url = link_url(services, tokens.link(unsubscribe, now, UNSUBSCRIBE_TTL))
        headers["List-Unsubscribe"] = (
            f"<{unsubscribe_url}>, <mailto:{personal}?subject=unsubscribe>"
        )
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-Id"] = list_id(program.name, program.slug, domain)
    context = _template_context(draft, links, unsubscribe_url, to_addr, now)
    context["links_until"] = now + link_ttl(services)  # the day a one-time link stops working
    rendered = (
        draft.renderer(context)
        if draft.renderer is not None
        else render(draft.template, context, program.settings.get("templates"))
    )
    row = {
        "idempotency_key": draft.key,
        "program_id": program.id,
        "participant_id": draft.to.id if draft.to else None,
        "request_id": draft.request_id,
        "to_addr": to_addr,
        "to_name": clean_text(draft.to.name) if draft.to else None,
        "from_addr": formataddr((clean_text(program.name), program.address)),
        "reply_to": reply_to,
        "subject": clean_text(rendered.subject),
        "template": draft.template,
        "expects": expects(draft.template),
        "text": rendered.text,
        "html": rendered.html,
        "headers": headers,
        "links": links,
        "message_id": make_msgid(domain=domain),
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": None,
    }
    return row, tokens


def _template_context(
    draft: Draft, links: dict[str, str], unsubscribe_url: str, to_addr: str, now: datetime
) -> dict[str, Any]:
    """What every template may use, plus the draft's own values."""
    for mentor in draft.context.get("mentors", []):
        mentor["ask_url"] = links.get(f"ask_{mentor['number']}", "")
    recipient_name = first_name(draft.to) if draft.to and draft.to.name else "there"
    return {
        "program": draft.program,
        "recipient_name": recipient_name,
        "to_coordinators": False,  # a coordinators' email says so (its greeting is a name)
        "links": links,
        "unsubscribe_url": unsubscribe_url,
        "sender": to_addr,
        "now": now,
        "mentees_search": mentees_search(draft.program),  # matching: coordinator says no
        **draft.context,
    }


def reply_domain(services: Services, program: Program) -> str:
    """The domain of reply addresses: configured, or the program address's own."""
    return services.config.reply_domain or program.address.rsplit("@", 1)[-1]


def link_url(services: Services, token: str) -> str:
    """The public URL of a one-time link."""
    return f"{services.config.base_url}/a/{token}"


def link_ttl(services: Services) -> timedelta:
    """How long one-time links live."""
    return timedelta(days=services.config.link_ttl_days)
