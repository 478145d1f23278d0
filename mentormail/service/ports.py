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
