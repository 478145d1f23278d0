"""SendGrid Event Webhook events: each handled once; failures become suppressions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import matching
from mentormail.service.context import Services
from mentormail.service.inbound import suppress
from mentormail.service.models import OutboundMessage, Participant, WebhookEvent

# SendGrid event → why the address must not be mailed again (None: nothing to suppress).
SUPPRESSING = {
    "bounce": "hard bounce (SendGrid)",
    "dropped": "dropped by SendGrid",
    "spamreport": "spam report",
    "unsubscribe": "unsubscribed (SendGrid)",
    "group_unsubscribe": "unsubscribed (SendGrid group)",
}
STATUS_FOR = {"delivered": "delivered", "bounce": "bounced", "dropped": "dropped", "deferred": None}


@dataclass
class EventReport:
    """What a batch of events did."""

    handled: int = 0
    duplicates: int = 0
    suppressed: int = 0


def record_events(services: Services, events: list[Any]) -> EventReport:
    """Handle each event once (by ``sg_event_id``), all in one transaction."""
    report = EventReport()
    with services.unit_of_work() as session:
        for event in events:
            if not isinstance(event, dict) or not event.get("sg_event_id"):
                continue
            event_id = str(event["sg_event_id"])[:200]
            if session.get(WebhookEvent, event_id) is not None:
                report.duplicates += 1
                continue
            session.add(
                WebhookEvent(
                    event_id=event_id,
                    kind=str(event.get("event", ""))[:50],
                    received_at=services.now(),
                )
            )
            report.handled += 1
            report.suppressed += _apply(session, services, event)
    return report


def _apply(session: Session, services: Services, event: dict[str, Any]) -> int:
    """Update the outbox row the event is about; suppress the address if it must be."""
    kind = str(event.get("event", ""))
    address = str(event.get("email", "")).strip().lower()
    _update_outbox(session, event, kind)
    reason = SUPPRESSING.get(kind)
    if kind == "bounce" and str(event.get("type", "bounce")) == "blocked":
        reason = None  # a block is temporary: the provider retries, we keep the address
    if not reason or not address:
        return 0
    suppress(session, services, address, reason)
    person = session.scalars(select(Participant).where(Participant.email == address)).first()
    matching.flag(
        session,
        services,
        person.program_id if person else None,
        f"{address}: {reason}; no more mail will go to this address",
        str(event.get("reason", ""))[:1000],
    )
    return 1


def _update_outbox(session: Session, event: dict[str, Any], kind: str) -> None:
    """Record delivery news on the outbox row named in our custom args."""
    status = STATUS_FOR.get(kind)
    outbox_id = str(event.get("outbox_id", ""))
    if status and outbox_id.isdigit():
        row = session.get(OutboundMessage, int(outbox_id))
        if row is not None and row.status in ("sent", "delivered"):
            row.status = status
