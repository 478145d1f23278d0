"""Bounds on automatic answers, so two auto-responders (even ones that send no auto-reply
headers) can never make the service loop: per address, per conversation, and a reply that
answers our own email within minutes, again and again, stops being answered."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import ColumnElement, bindparam, func, select

from mentormail.inbound.reading import Reading
from mentormail.service import authresults
from mentormail.service.context import Unit
from mentormail.service.db import PreparedRead
from mentormail.service.models import Attention, InboundMessage, OutboundMessage, Participant
from mentormail.service.routing import Route

# Mailman answers one address at most 10 times a day (max_autoresponses_per_day); we send a
# person more than that in a busy day (lists, requests, confirmations), so the cap is higher.
PER_ADDRESS_PER_DAY = 30
PER_CONVERSATION_PER_DAY = 20  # emails about one request in a day
QUICK = timedelta(minutes=3)  # an answer to our email this soon is likely a machine's
QUICK_REPLIES_TO_STOP = 3  # the same words, within LOOP_WINDOW
LOOP_WINDOW = timedelta(minutes=30)
QUICK_REASON = "answered our email within minutes"


def reason_to_stop(uow: Unit, message: InboundMessage, reading: Reading, route: Route) -> str:
    """Why this participant's mail must not be answered now ("" when it may be)."""
    person = route.participant
    assert person is not None
    request_id = route.token.request_id if route.token is not None else None
    replied_to = reading.parsed.in_reply_to or None
    since = uow.now - timedelta(days=1)
    asked = {"to": person.email, "request": request_id, "message_id": replied_to, "since": since}
    # the three questions in one round trip; outbox rows are written with Core: nothing to flush
    outbox = _OUTBOX_FACTS.all_on(uow.session.connection(), asked)[0]
    to_them, about, ours = int(outbox[0] or 0), int(outbox[1] or 0), outbox[2]
    if to_them >= PER_ADDRESS_PER_DAY:
        return f"we have written to {person.email} {to_them} times today"
    if request_id is not None and about >= PER_CONVERSATION_PER_DAY:
        return f"we have written {about} emails about this request today"
    if ours is not None and message.received_at - ours <= QUICK:  # it answers us quickly
        mark = f"{QUICK_REASON} ({_text_digest(reading)})"
        message.reasons = [*message.reasons, mark]
        if _quick_replies(uow, person, mark) >= QUICK_REPLIES_TO_STOP:
            return f"{QUICK_REPLIES_TO_STOP} identical answers to our emails, each within minutes"
    return ""


# built once (a statement costs more to build than to run on this path, once per reply)
_TO_THEM = select(func.count(OutboundMessage.id)).where(
    OutboundMessage.to_addr == bindparam("to"), OutboundMessage.created_at >= bindparam("since")
)
_ABOUT = select(func.count(OutboundMessage.id)).where(
    OutboundMessage.request_id == bindparam("request"),
    OutboundMessage.created_at >= bindparam("since"),
)
_WRITTEN_AT = select(OutboundMessage.created_at).where(
    OutboundMessage.message_id == bindparam("message_id")
)
# how many emails to them and about the request in a day, and when the one it answers went
# (compiled once, run as the driver's own SQL)
_OUTBOX_FACTS = PreparedRead(
    select(_TO_THEM.scalar_subquery(), _ABOUT.scalar_subquery(), _WRITTEN_AT.scalar_subquery())
)


def _text_digest(reading: Reading) -> str:
    """A short digest of what the mail says, spacing and case aside: a machine repeats itself
    word for word, a person (however quick) does not."""
    words = " ".join(reading.reply.lower().split())
    return hashlib.sha256(words.encode()).hexdigest()[:12]


def _count(uow: Unit, *where: ColumnElement[bool]) -> int:
    """How many outbox rows match."""
    return int(uow.session.scalar(select(func.count(OutboundMessage.id)).where(*where)) or 0)


def _quick_replies(uow: Unit, person: Participant, mark: str) -> int:
    """How many of the person's recent mails (this one included) answered us within minutes
    with these same words."""
    uow.session.flush()  # this mail's own mark and sender count too
    recent = uow.session.scalars(
        select(InboundMessage.reasons).where(
            InboundMessage.participant_id == person.id,
            InboundMessage.received_at >= uow.now - LOOP_WINDOW,
        )
    )
    return sum(1 for reasons in recent if mark in (reasons or []))


def already_flagged(uow: Unit, person: Participant, reason: str) -> bool:
    """Whether the coordinators already have this, unresolved (one item, not one per mail)."""
    found = uow.session.scalar(
        select(Attention.id).where(
            Attention.participant_id == person.id,
            Attention.reason == reason,
            Attention.resolved.is_(False),
        )
    )
    return found is not None


STRANGER_EVERY = timedelta(days=7)  # one "how to join" a week at most to one address


def may_answer_stranger(uow: Unit, message: InboundMessage, reading: Reading, sender: str) -> bool:
    """A stranger hears "how to join" once a week at most, and only when the receiving side
    did not say the sender failed its checks (forged From: lines make backscatter)."""
    verdict = authresults.verdict_of(reading)
    if verdict.known and not verdict.passed:
        message.reasons = [*message.reasons, f"stranger not answered ({verdict.describe()})"]
        return False
    answered = _count(
        uow,
        OutboundMessage.to_addr == sender,
        OutboundMessage.template == "unknown_sender",
        OutboundMessage.created_at > uow.now - STRANGER_EVERY,
    )
    return answered == 0
