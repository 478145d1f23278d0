"""RQ jobs: thin, take ids, safe to run twice. The logic lives in the service modules.

``work_database`` is the worker for a machine without Redis: it finds the same work in the
database that the jobs would have been queued for, and does it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import or_, select

from mentormail.app import bootstrap
from mentormail.service import inbound, sending, sweep
from mentormail.service.context import Services
from mentormail.service.models import InboundMessage, OutboundMessage


def process_inbound(inbound_id: int) -> str:
    """Process one stored inbound message."""
    return inbound.process(bootstrap.current(), inbound_id)


def send_outbound(outbound_id: int) -> str:
    """Send one outbox row and the other due rows of its batch (one job id per batch)."""
    return repr(sending.send_batch(bootstrap.current(), outbound_id).counts())


def send_announcement(outbound_id: int) -> str:
    """Send the next due rows of an announcement from this one (one SendGrid request)."""
    return repr(sending.send_batch(bootstrap.current(), outbound_id).counts())


def run_sweep() -> str:
    """Do whatever the database says is due."""
    return repr(sweep.sweep(bootstrap.current()))


@dataclass
class DatabaseWork:
    """What ``work_database`` did: inbound messages processed, outbox rows sent (or tried)."""

    processed: int = 0
    sent: int = 0


def work_database(services: Services) -> DatabaseWork:
    """Without a queue: process every inbound row still to do (received, or failed and with
    attempts left) and send every due outbox row (pending, or a retry whose time has come),
    until none are left. Each row is tried at most once per call."""
    # Rows the work creates are found by the next pass, so nothing needs queueing meanwhile.
    quiet = replace(services, queue=Nowhere())
    done = DatabaseWork()
    tried_in: set[int] = set()
    tried_out: set[int] = set()
    while True:
        inbound_ids = [i for i in inbound_to_do(services) if i not in tried_in]
        outbound_ids = [i for i in outbound_due(services) if i not in tried_out]
        if not inbound_ids and not outbound_ids:
            return done
        for inbound_id in inbound_ids:
            tried_in.add(inbound_id)
            inbound.process(quiet, inbound_id)
            done.processed += 1
        for start in range(0, len(outbound_ids), sending.BATCH):
            chunk = outbound_ids[start : start + sending.BATCH]
            tried_out.update(chunk)
            sending.send_rows(quiet, chunk)
            done.sent += len(chunk)


def inbound_to_do(services: Services) -> list[int]:
    """Inbound rows a worker would process now, oldest first."""
    with services.sessions() as session:
        return list(
            session.scalars(
                select(InboundMessage.id)
                .where(
                    InboundMessage.status.in_(("received", "error")),
                    InboundMessage.attempts < services.config.inbound_max_attempts,
                )
                .order_by(InboundMessage.id)
            )
        )


def outbound_due(services: Services) -> list[int]:
    """Outbox rows a worker would send now, oldest first."""
    now = services.now()
    with services.sessions() as session:
        return list(
            session.scalars(
                select(OutboundMessage.id)
                .where(
                    or_(
                        OutboundMessage.status == "pending",
                        (OutboundMessage.status == "retry")
                        & (
                            OutboundMessage.next_attempt_at.is_(None)
                            | (OutboundMessage.next_attempt_at <= now)
                        ),
                    )
                )
                .order_by(OutboundMessage.id)
            )
        )


class Nowhere:
    """A queue that drops jobs: ``work_database`` finds their rows on its next pass."""

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Nothing to do."""
