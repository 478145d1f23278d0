"""Write outbound email as outbox rows, in the caller's transaction, once per idempotency key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formataddr, make_msgid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.inbound.types import Context
from mentormail.service.context import SEND_JOB, Services, queue_after_commit
from mentormail.service.models import OutboundMessage, Participant, Program
from mentormail.service.rendering import render
from mentormail.service.tokens import LinkSpec, issue_link, issue_reply_token

UNSUBSCRIBE_TTL = timedelta(days=400)


@dataclass
class Draft:
    """Everything needed to write one email row."""

    program: Program
    template: str
    key: str  # idempotency key: (workflow, subject, step[, cause])
    to: Participant | None = None
    to_addr: str | None = None  # for people who are not participants
    context: dict[str, Any] = field(default_factory=dict)
    reply_context: Context = Context.GENERAL
    request_id: int | None = None
    reply_payload: dict[str, Any] = field(default_factory=dict)
    actions: dict[str, LinkSpec] = field(default_factory=dict)


def write(session: Session, services: Services, draft: Draft) -> OutboundMessage | None:
    """Render and store the email unless its key was written before; None if not to be sent."""
    existing = session.scalar(
        select(OutboundMessage).where(OutboundMessage.idempotency_key == draft.key)
    )
    if existing is not None:
        return existing
    if draft.to is not None and draft.to.status != "active" and draft.template != "left_program":
        return None
    row = _build_row(session, services, draft)
    session.add(row)
    session.flush()
    queue_after_commit(session, "outbound", SEND_JOB, row.id)
    return row


def _build_row(session: Session, services: Services, draft: Draft) -> OutboundMessage:
    """Issue the tokens, render the templates and fill an outbox row."""
    now = services.now()
    program, domain = draft.program, reply_domain(services, draft.program)
    links = {
        name: link_url(services, issue_link(session, spec, now, link_ttl(services)))
        for name, spec in draft.actions.items()
    }
    to_addr = draft.to.email if draft.to else (draft.to_addr or "")
    reply_to, headers, unsubscribe_url = program.address, {"Auto-Submitted": "auto-generated"}, ""
    if draft.to is not None:
        token = issue_reply_token(
            session, draft.to.id, draft.reply_context, now, draft.request_id, draft.reply_payload
        )
        reply_to = f"reply+{token}@{domain}"
        unsubscribe_url = link_url(
            services,
            issue_link(session, LinkSpec("unsubscribe", draft.to.id), now, UNSUBSCRIBE_TTL),
        )
        headers["List-Unsubscribe"] = (
            f"<{unsubscribe_url}>, <mailto:{reply_to}?subject=unsubscribe>"
        )
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    context = _template_context(draft, links, unsubscribe_url, to_addr)
    rendered = render(draft.template, context, program.settings.get("templates"))
    return OutboundMessage(
        idempotency_key=draft.key,
        program_id=program.id,
        participant_id=draft.to.id if draft.to else None,
        to_addr=to_addr,
        from_addr=formataddr((program.name, program.address)),
        reply_to=reply_to,
        subject=rendered.subject,
        template=draft.template,
        text=rendered.text,
        html=rendered.html,
        headers=headers,
        links=links,
        message_id=make_msgid(domain=domain),
        status="pending",
        attempts=0,
        created_at=now,
    )


def _template_context(
    draft: Draft, links: dict[str, str], unsubscribe_url: str, to_addr: str
) -> dict[str, Any]:
    """What every template may use, plus the draft's own values."""
    for mentor in draft.context.get("mentors", []):
        mentor["ask_url"] = links.get(f"ask_{mentor['number']}", "")
    recipient_name = draft.to.name.split()[0] if draft.to and draft.to.name else "there"
    return {
        "program": draft.program,
        "recipient_name": recipient_name,
        "links": links,
        "unsubscribe_url": unsubscribe_url,
        "sender": to_addr,
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
