"""Send one outbox row through the transport: claim it, honour suppressions, record, retry."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import update

from mentormail.service import automatic, coordinators
from mentormail.service.context import Services
from mentormail.service.exceptions import PermanentSendError, TransientSendError
from mentormail.service.models import OutboundMessage
from mentormail.service.people import is_suppressed
from mentormail.service.ports import OutgoingEmail

log = logging.getLogger(__name__)
SENDABLE = ("pending", "retry")
SEND_LEASE = timedelta(minutes=15)


def send(services: Services, outbound_id: int) -> str:
    """Send one outbox row once; safe to call twice (only one caller can claim the row)."""
    row = _claim(services, outbound_id)
    if row is None:
        return "skipped"
    with services.sessions() as session:
        suppressed = is_suppressed(session, row.to_addr)
    if suppressed:
        return _undeliverable(services, outbound_id)
    try:
        provider_id = services.mailer().send(outgoing(row))
    except TransientSendError as error:
        return _retry_or_shunt(services, row, str(error))
    except PermanentSendError as error:
        return _shunt(services, row, f"refused: {error}")
    return _finish(services, outbound_id, "sent", provider_id=provider_id)


def _claim(services: Services, outbound_id: int) -> OutboundMessage | None:
    """Mark the row as being sent, if it still needs sending; a race has one winner."""
    with services.sessions() as session, session.begin():
        claimed = session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == outbound_id, OutboundMessage.status.in_(SENDABLE))
            .values(
                status="sending",
                attempts=OutboundMessage.attempts + 1,
                next_attempt_at=services.now() + SEND_LEASE,  # then the sweep takes it back
            )
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            return None
        row = session.get_one(OutboundMessage, outbound_id)
        session.expunge(row)
        return row


def outgoing(row: OutboundMessage) -> OutgoingEmail:
    """The transport's view of an outbox row."""
    return OutgoingEmail(
        message_id=row.message_id,
        from_addr=row.from_addr,
        to_addr=row.to_addr,
        subject=row.subject,
        text=row.text,
        html=row.html,
        reply_to=row.reply_to,
        headers=dict(row.headers or {}),
        categories=(row.template,),
        # the same on every attempt, so a duplicate delivery is recognisable downstream
        custom_args={"outbox_id": str(row.id), "idempotency_key": row.idempotency_key},
        to_name=row.to_name or "",
        date=row.created_at,
    )


def _finish(
    services: Services,
    outbound_id: int,
    status: str,
    provider_id: str | None = None,
    error: str | None = None,
) -> str:
    """Record the outcome of a send."""
    with services.sessions() as session, session.begin():
        row = session.get_one(OutboundMessage, outbound_id)
        row.status, row.last_error, row.next_attempt_at = status, error, None
        if provider_id is not None:
            row.provider_id, row.sent_at = provider_id, services.now()
    return status


def _undeliverable(services: Services, outbound_id: int) -> str:
    """Never sent to a suppressed address; whoever waits on its answer is told at once."""
    with services.unit() as uow:
        row = uow.session.get_one(OutboundMessage, outbound_id)
        row.status, row.last_error, row.next_attempt_at = (
            "suppressed",
            "address is suppressed",
            None,
        )
        automatic.undeliverable(uow, row)
    return "suppressed"


def _retry_or_shunt(services: Services, row: OutboundMessage, error: str) -> str:
    """Try again later with growing gaps, until the attempts run out."""
    if row.attempts >= services.config.send_max_attempts:
        return _shunt(services, row, f"gave up after {row.attempts} attempts: {error}")
    delay = timedelta(minutes=2 ** (row.attempts - 1))
    with services.sessions() as session, session.begin():
        current = session.get_one(OutboundMessage, row.id)
        current.status, current.last_error = "retry", error[:2000]
        current.next_attempt_at = services.now() + delay
    log.warning("outbox %s: transient failure, retry in %s: %s", row.id, delay, error)
    return "retry"


def _shunt(services: Services, row: OutboundMessage, error: str) -> str:
    """Never drop a message: set it aside for a person, with the reason."""
    with services.unit() as uow:
        current = uow.session.get_one(OutboundMessage, row.id)
        current.status, current.last_error, current.next_attempt_at = "shunted", error[:2000], None
        coordinators.flag(
            uow,
            current.program_id,
            f"email to {current.to_addr} could not be sent",
            f"{current.subject}: {error}",
        )
    return "shunted"
