"""Mail a machine wrote: never answered. A hard bounce suppresses the address and tells the
other side of whatever the bounced email was about; a soft one resends later."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from mentormail.inbound.reading import Reading
from mentormail.service import coordinators
from mentormail.service.context import Unit
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.models import (
    InboundMessage,
    MentorshipRequest,
    OutboundMessage,
    Suppression,
)
from mentormail.service.people import named_or_address, participant_at
from mentormail.workflows import request

DELAYED = re.compile(r"^Action:\s*delayed", re.IGNORECASE | re.MULTILINE)
QUOTED_MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
# An email about a request whose failure the mentee must hear of at once.
TOLD_TO_THE_OTHER_SIDE = {"request_to_mentor": request.MentorUnreachable}


def handle(uow: Unit, message: InboundMessage, reading: Reading) -> str:
    """Never answer a machine; act on what a bounce reports."""
    bounce = reading.classification.bounce
    if bounce is not None and bounce.recipient:
        recipient = bounce.recipient.lower()
        if bounce.type == "hard":
            _hard_bounce(uow, message, reading, recipient, bounce.status, bounce.diagnostic)
        else:
            _retry_soft_bounce(uow, reading, recipient)
    return "ignored"


def _hard_bounce(
    uow: Unit,
    message: InboundMessage,
    reading: Reading,
    recipient: str,
    status: str | None,
    diagnostic: str | None,
) -> None:
    """Suppress the address, tell the coordinators, and the other side of what bounced."""
    suppress(uow, recipient, f"hard bounce {status or ''}".strip())
    person = participant_at(uow.session, recipient)
    coordinators.flag(
        uow,
        person.program_id if person else None,
        f"mail to {named_or_address(person, recipient)} bounced for good; address suppressed",
        diagnostic or "",
        person=person,
        inbound_id=message.id,
    )
    for row in _our_messages_quoted(uow, reading, recipient):
        undeliverable(uow, row)


def suppress(uow: Unit, address: str, reason: str) -> None:
    """Never mail this address again (until a person lifts it)."""
    if uow.session.get(Suppression, address) is None:
        uow.session.add(Suppression(email=address, reason=reason, created_at=uow.now))
        uow.session.flush()


def undeliverable(uow: Unit, row: OutboundMessage) -> None:
    """An email that will never arrive: whoever waits on its answer is told at once."""
    from mentormail.service import requests  # the request shell decides on its own request

    event = TOLD_TO_THE_OTHER_SIDE.get(row.template)
    if event is None or row.request_id is None:
        return
    req = uow.session.get_one(MentorshipRequest, row.request_id)
    try:
        requests.decide(uow, req, event(), "")
    except InvalidTransition:  # answered or closed meanwhile: nobody waits
        return


def _retry_soft_bounce(uow: Unit, reading: Reading, address: str) -> None:
    """A soft failure: the very message that failed is sent again later.

    A "delayed" notice means the sending server is still trying, so nothing is
    resent (that would deliver twice); nor is anything when the report does not
    say which of our messages failed.
    """
    if _is_delay_notice(reading):
        return
    failed = [
        r for r in _our_messages_quoted(uow, reading, address) if r.status in ("sent", "delivered")
    ]
    row = failed[0] if failed else None
    if row is not None and row.attempts < uow.services.config.send_max_attempts:
        row.status = "retry"
        row.next_attempt_at = uow.now + timedelta(hours=1)


def _our_messages_quoted(uow: Unit, reading: Reading, address: str) -> list[OutboundMessage]:
    """Our messages to this address whose Message-IDs the report quotes."""
    ids = _quoted_message_ids(reading)[:20]
    if not ids:
        return []
    return list(
        uow.session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.message_id.in_(ids), OutboundMessage.to_addr == address
            )
        )
    )


def _is_delay_notice(reading: Reading) -> bool:
    """Whether a bounce only reports a delay (RFC 3464 ``Action: delayed`` or a Delay subject)."""
    reports = "\n".join(text for _, text in reading.parsed.report_parts)
    return bool(DELAYED.search(reports)) or "delay" in reading.parsed.subject.lower()


def _quoted_message_ids(reading: Reading) -> list[str]:
    """Message-IDs quoted in a bounce's returned headers or text: which mail failed."""
    texts = [text for _, text in reading.parsed.report_parts] + [reading.parsed.text or ""]
    own = reading.parsed.message_id
    found = [m for text in texts for m in QUOTED_MESSAGE_ID.findall(text[:200_000])]
    return [m for m in dict.fromkeys(found) if m != own]
