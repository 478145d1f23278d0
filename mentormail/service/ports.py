"""The I/O boundaries of the service, each a small Protocol.

Real adapters live beside their subject (``transports/``, ``imap_poller``,
``queue``); hand-written fakes live in ``tests/fakes.py``; only
``bootstrap`` wires real ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class OutgoingEmail:
    """One rendered message, ready for any transport."""

    message_id: str  # "<...@domain>", ours, so replies thread and route
    from_addr: str  # "Program Name <mentors@example.edu>"
    to_addr: str
    subject: str
    text: str
    html: str
    reply_to: str
    headers: dict[str, str] = field(
        default_factory=dict
    )  # extra headers (Auto-Submitted, List-Unsubscribe, ...)
    categories: tuple[str, ...] = ()  # SendGrid categories / tags
    custom_args: dict[str, str] = field(default_factory=dict)  # e.g. {"outbox_id": "12"}
    to_name: str = ""  # the recipient's name, for "Name <address>"
    date: datetime | None = None  # when it was written (naive UTC); None: now
    envelope_from: str = ""  # the SMTP envelope sender (a VERP bounce address); "": From's


@dataclass(frozen=True)
class Recipient:
    """One person of a personalized message: their address and their own values."""

    to_addr: str
    to_name: str
    substitutions: dict[str, str]  # tag -> their value, put into the subject and bodies
    headers: dict[str, str]  # their own headers (Message-ID, List-Unsubscribe)
    custom_args: dict[str, str]  # e.g. {"outbox_id": "12"}


@dataclass(frozen=True)
class Personalized:
    """One message for many people, each getting it with their own values filled in."""

    from_addr: str
    reply_to: str
    subject: str
    text: str  # with the tags of ``Recipient.substitutions`` still in
    html: str
    headers: dict[str, str]  # the same for everyone
    categories: tuple[str, ...]
    recipients: tuple[Recipient, ...]


@runtime_checkable
class BulkMailer(Protocol):
    """A transport that sends one personalized message to many people in one call."""

    max_recipients: int

    def send_personalized(self, message: Personalized) -> str:
        """Send it; return the provider's id for the call (errors as ``Mailer.send``)."""
        ...


class Mailer(Protocol):
    """Sends one message; returns the provider's id for it.

    Raises ``TransientSendError`` when trying again later may work and
    ``PermanentSendError`` when it never will.
    """

    def send(self, email: OutgoingEmail) -> str: ...


@dataclass(frozen=True)
class FetchedMail:
    """One message fetched from a mailbox, with where it came from."""

    uid: int
    raw: bytes


class Mailbox(Protocol):
    """A remote mailbox we read new mail from (IMAP in production)."""

    def fetch_new(self) -> Iterator[FetchedMail]:
        """Yield mail not yet seen, oldest first; remembers progress only via ``mark_done``."""
        ...

    def mark_done(self, uid: int) -> None:
        """Record that mail up to ``uid`` is stored and need not be fetched again."""
        ...


class Queue(Protocol):
    """Puts work on a named queue for a worker; jobs take ids only."""

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None: ...


@runtime_checkable
class BatchQueue(Protocol):
    """A queue that takes several (queue, job, args) at once, in few round trips."""

    def enqueue_many(self, jobs: Sequence[tuple[str, str, tuple[int | str, ...]]]) -> None: ...


class Clock(Protocol):
    """Tells the time; the only place the service reads it."""

    def now(self) -> datetime: ...
