"""Real adapters for the queue, clock and IMAP progress ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from mentormail.service.models import ImapState

JOB_TIMEOUT = 600  # seconds; a 30 MB message parses well within this
FAILURE_TTL = 7 * 24 * 3600  # keep failed jobs a week for a person to look at


class SystemClock:
    """The machine's clock, in naive UTC (how every time is stored)."""

    def now(self) -> datetime:
        """The current UTC time without tzinfo."""
        return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one instant: a command asked to act as if it were then (``--at``)."""

    at: datetime

    def now(self) -> datetime:
        """Always the same instant, naive UTC."""
        return self.at


class RqQueue:
    """RQ queues on one Redis; connects on first use."""

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self._connection: Any = None

    def connection(self) -> Any:
        """The Redis connection, made on first use."""
        if self._connection is None:
            from redis import Redis

            self._connection = Redis.from_url(self.redis_url)
        return self._connection

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Put a job on a queue; the job takes ids only and is safe to run twice."""
        from rq import Queue

        Queue(queue_name, connection=self.connection()).enqueue(
            func_path, *args, job_timeout=JOB_TIMEOUT, failure_ttl=FAILURE_TTL, result_ttl=3600
        )


class DbImapStateStore:
    """IMAP progress kept in the database, so any machine's poller can carry on."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def load(self, key: str) -> tuple[int, int] | None:
        """The saved (uidvalidity, last uid) for a mailbox, or None."""
        with self.sessions() as session:
            row = session.get(ImapState, key)
            return (row.uidvalidity, row.last_uid) if row else None

    def save(self, key: str, uidvalidity: int, last_uid: int) -> None:
        """Remember progress for a mailbox."""
        with self.sessions() as session, session.begin():
            row = session.get(ImapState, key)
            if row is None:
                session.add(ImapState(key=key, uidvalidity=uidvalidity, last_uid=last_uid))
            else:
                row.uidvalidity, row.last_uid = uidvalidity, last_uid
