"""SendGrid Event Webhook events: each handled once; failures become suppressions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentormail.service import automatic, coordinators
from mentormail.service.context import Services, Unit
from mentormail.service.models import OutboundMessage, WebhookEvent
from mentormail.service.people import named_or_address, participant_at

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
    with services.unit() as uow:
        session = uow.session
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
                    received_at=uow.now,
                )
            )
            report.handled += 1
            report.suppressed += _apply(uow, event)
    return report


def _apply(uow: Unit, event: dict[str, Any]) -> int:
    """Update the outbox row the event is about; suppress the address if it must be."""
    kind = str(event.get("event", ""))
    address = str(event.get("email", "")).strip().lower()
    row = _update_outbox(uow, event, kind)
    reason = SUPPRESSING.get(kind)
    if kind == "bounce" and str(event.get("type", "bounce")) == "blocked":
        reason = None  # a block is temporary: the provider retries, we keep the address
    if not reason or not address:
        return 0
    automatic.suppress(uow, address, reason)
    person = participant_at(uow.session, address)
    coordinators.flag(
        uow,
        person.program_id if person else None,
        f"{named_or_address(person, address)}: {reason}; no more mail will go to this address"
        f" ({automatic.UNSUPPRESS} {address})",
        str(event.get("reason", ""))[:1000],
        person=person,
    )
    if row is not None and row.to_addr.lower() == address:
        automatic.undeliverable(uow, row)
    return 1


def _update_outbox(uow: Unit, event: dict[str, Any], kind: str) -> OutboundMessage | None:
    """Record delivery news on the outbox row named in our custom args; that row, if any."""
    status = STATUS_FOR.get(kind)
    outbox_id = str(event.get("outbox_id", ""))
    row = uow.session.get(OutboundMessage, int(outbox_id)) if outbox_id.isdigit() else None
    if status and row is not None and row.status in ("sent", "delivered"):
        row.status = status
    return row
