"""Mail a machine wrote: never answered. A delivery report counts only when it is about a
message we sent to that address (a signed VERP return path, or our Message-ID quoted with
the address); a hard one tells the other side of what bounced, and a second one (about
another of our messages) suppresses the address; a soft one resends later."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, func, select

from mentormail.inbound.reading import Reading
from mentormail.service import coordinators, verp
from mentormail.service.context import Unit
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.models import (
    BounceReport,
    InboundMessage,
    MentorshipRequest,
    OutboundMessage,
    Suppression,
)
from mentormail.service.people import named_or_address, participant_at
from mentormail.service.routing import recipients
from mentormail.workflows import request

DELAYED = re.compile(r"^Action:\s*delayed", re.IGNORECASE | re.MULTILINE)
QUOTED_MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
HARD_BOUNCES_TO_SUPPRESS = 2  # reports about two of our messages; the provider's event: one
UNSUPPRESS = "mentormail unsuppress"
NOT_OURS = "a delivery report about no message we sent to that address; nothing done"
# An email about a request whose failure the mentee must hear of at once.
TOLD_TO_THE_OTHER_SIDE = {"request_to_mentor": request.MentorUnreachable}


def handle(uow: Unit, message: InboundMessage, reading: Reading) -> str:
    """Never answer a machine; act on a bounce only when it is about mail we sent there."""
    bounce = reading.classification.bounce
    if bounce is None:
        return "ignored"
    row = _bounced_message(uow, reading, (bounce.recipient or "").lower())
    if row is None:
        message.reasons = [*message.reasons, NOT_OURS]
        return "ignored"
    if bounce.type == "hard":
        _hard_bounce(uow, message, row, bounce.status, bounce.diagnostic)
    else:
        _retry_soft_bounce(uow, reading, row)
    return "ignored"


def _bounced_message(uow: Unit, reading: Reading, recipient: str) -> OutboundMessage | None:
    """The message of ours the report is about: named by a signed VERP return path, or by our
    Message-ID in the returned headers together with the address we sent it to."""
    outbox_id = verp.outbox_id_in(recipients(reading), uow.services.config.secret_key)
    if outbox_id is not None:
        row = uow.session.get(OutboundMessage, outbox_id)
        if row is not None:
            return row
    quoted = _our_messages_quoted(uow, reading, recipient) if recipient else []
    return quoted[0] if quoted else None


def _hard_bounce(
    uow: Unit,
    message: InboundMessage,
    row: OutboundMessage,
    status: str | None,
    diagnostic: str | None,
) -> None:
    """Record the report and tell the coordinators; the second report (about another of our
    messages) suppresses the address. Whoever waits on the bounced email is told at once."""
    address = row.to_addr.lower()
    reports = _record_report(uow, address, row.id, message.id, "hard", status or "")
    if reports is None:  # this message's bounce was reported before: said and done
        return
    person = participant_at(uow.session, address)
    who = named_or_address(person, address)
    if reports >= HARD_BOUNCES_TO_SUPPRESS:
        suppress(uow, address, f"hard bounce {status or ''}".strip())
        reason = (
            f"mail to {who} bounced for good again; address suppressed ({UNSUPPRESS} {address})"
        )
    else:
        reason = (
            f"mail to {who} bounced ({status or 'hard'}); one more bounce, or the provider's"
            " report, stops mail to it"
        )
    coordinators.flag(
        uow,
        person.program_id if person else None,
        reason,
        diagnostic or "",
        person=person,
        inbound_id=message.id,
    )
    undeliverable(uow, row)


def _record_report(
    uow: Unit, address: str, outbox_id: int, inbound_id: int, kind: str, status: str
) -> int | None:
    """Keep one report per (address, message, kind); how many messages of ours bounced so
    (None when this one was reported before)."""
    found = uow.session.scalar(
        select(BounceReport.id).where(
            BounceReport.email == address,
            BounceReport.outbox_id == outbox_id,
            BounceReport.kind == kind,
        )
    )
    if found is not None:
        return None
    uow.session.add(
        BounceReport(
            email=address,
            outbox_id=outbox_id,
            inbound_id=inbound_id,
            kind=kind,
            status=status[:20],
            created_at=uow.now,
        )
    )
    uow.session.flush()
    count = uow.session.scalar(
        select(func.count()).where(BounceReport.email == address, BounceReport.kind == kind)
    )
    return int(count or 0)


def unsuppress(uow: Unit, address: str) -> bool:
    """Lift a suppression and forget the bounce reports behind it; False if there was none."""
    address = address.strip().lower()
    found = uow.session.get(Suppression, address)
    uow.session.execute(delete(BounceReport).where(BounceReport.email == address))
    if found is None:
        return False
    uow.session.delete(found)
    return True


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


def _retry_soft_bounce(uow: Unit, reading: Reading, row: OutboundMessage) -> None:
    """A soft failure: the very message that failed is sent again later.

    A "delayed" notice means the sending server is still trying, so nothing is
    resent (that would deliver twice).
    """
    if _is_delay_notice(reading):
        return
    if row.status in ("sent", "delivered") and row.attempts < uow.services.config.send_max_attempts:
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
