"""Mail held because it failed DMARC: a coordinator lists it, releases it (processed once
more, the receiving side's verdict set aside) or discards it; each is audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import coordinators
from mentormail.service.context import PROCESS_JOB, Unit, queue_after_commit
from mentormail.service.models import (
    CoordinatorAction,
    InboundMessage,
    Participant,
)

DMARC_REASON = "failed DMARC"  # the word inbound._hold_failed_dmarc records on the row
RELEASE, DISCARD = "release", "discard"  # the audit's command, and the release's proof


def held_for_dmarc(session: Session) -> list[InboundMessage]:
    """Messages waiting on a coordinator because they failed DMARC, oldest first."""
    rows = session.scalars(
        select(InboundMessage).where(InboundMessage.status == "held").order_by(InboundMessage.id)
    )
    return [row for row in rows if failed_dmarc(row)]


def failed_dmarc(message: InboundMessage) -> bool:
    """Whether the message was held for failing DMARC."""
    return any(DMARC_REASON in reason for reason in message.reasons or [])


def find(session: Session, ref: str) -> InboundMessage | None:
    """A stored message by its number (``12`` or ``#12``) or its Message-ID header."""
    ref = ref.strip()
    if ref.lstrip("#").isdigit():
        return session.get(InboundMessage, int(ref.lstrip("#")))
    wanted = ref if ref.startswith("<") else f"<{ref}>"
    return session.scalar(
        select(InboundMessage).where(InboundMessage.dedupe_key.like(f"mid:{wanted}:%"))
    )


def message_id_of(dedupe_key: str) -> str:
    """The Message-ID a dedupe key was made from (``mid:<id>:<digest>``), else empty."""
    return dedupe_key[4:].rsplit(":", 1)[0] if dedupe_key.startswith("mid:") else ""


def released(session: Session, inbound_id: int) -> bool:
    """Whether a coordinator released this message (its DMARC verdict no longer holds it)."""
    found = session.scalar(
        select(CoordinatorAction.id).where(
            CoordinatorAction.inbound_id == inbound_id, CoordinatorAction.command == RELEASE
        )
    )
    return found is not None


def release(uow: Unit, message: InboundMessage, actor: str) -> str:
    """Let a held message act once: processed again, with the DMARC hold waived."""
    refusal = _refusal(message)
    if refusal:
        return refusal
    message.status, message.attempts, message.error = "received", 0, None
    _done(uow, message, actor, RELEASE, "released; it is read and acted on once")
    queue_after_commit(uow.session, "inbound", PROCESS_JOB, message.id)
    return f"inbound #{message.id} from {message.from_addr} released; it will act once"


def discard(uow: Unit, message: InboundMessage, actor: str) -> str:
    """Drop a held message: nothing it asked for happens, and it is never processed."""
    refusal = _refusal(message)
    if refusal:
        return refusal
    message.status = "discarded"
    _done(uow, message, actor, DISCARD, "discarded; nothing done")
    return f"inbound #{message.id} from {message.from_addr} discarded; nothing done"


def _refusal(message: InboundMessage) -> str:
    """Why this message cannot be released or discarded (empty: it can)."""
    if message.status != "held" or not failed_dmarc(message):
        return (
            f"inbound #{message.id} is not held for failing DMARC ({message.status}); nothing done"
        )
    return ""


def _done(uow: Unit, message: InboundMessage, actor: str, command: str, outcome: str) -> None:
    """Audit the coordinator's decision and close the attention items about the message."""
    person = uow.session.get(Participant, message.participant_id or 0)
    if person is not None:
        uow.session.add(
            CoordinatorAction(
                program_id=person.program_id,
                address=actor[:320],
                command=command,
                outcome=outcome,
                inbound_id=message.id,
                at=uow.now,
            )
        )
    coordinators.resolve_about(uow, message.id)
