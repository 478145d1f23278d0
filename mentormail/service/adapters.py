"""Real adapters for the queue, clock and IMAP progress ports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from mentormail.service.exceptions import ConfigError
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
    """A clock that stands at one instant (MENTORMAIL_NOW, ``sweep --at``): a year played
    through the real commands acts at the times it names."""

    instant: datetime

    def now(self) -> datetime:
        """The instant, in naive UTC."""
        return self.instant


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant as naive UTC (no offset means UTC); ConfigError when unreadable."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"expected an ISO-8601 instant such as 2027-01-15T09:00, found {text!r}"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


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

    def worker(self, queue_names: Sequence[str]) -> Any:
        """A worker on these queues of this Redis (``rq_worker.PromptWorker``)."""
        from mentormail.service.rq_worker import PromptWorker

        return PromptWorker(list(queue_names), connection=self.connection())

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Put a job on a queue, unless the same job (its id names it) already waits there.

        The job takes ids only and is safe to run twice; a job already running may be
        queued again (it may have looked at its rows before the new work was written).
        """
        from rq import Queue
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        name = job_id(func_path, args)
        try:
            status = Job.fetch(name, connection=self.connection()).get_status()
        except NoSuchJobError:
            status = None
        if status in (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED):
            return
        Queue(queue_name, connection=self.connection()).enqueue(
            func_path,
            *args,
            job_id=name,
            job_timeout=JOB_TIMEOUT,
            failure_ttl=FAILURE_TTL,
            result_ttl=3600,
        )

    def enqueue_many(self, jobs: Sequence[tuple[str, str, tuple[int | str, ...]]]) -> None:
        """``enqueue`` for several jobs in two round trips: one pipeline asks which already
        wait, one pipeline queues the rest (a job named twice is queued once)."""
        from rq import Queue
        from rq.job import Job, JobStatus

        named: dict[str, tuple[str, str, tuple[int | str, ...]]] = {}
        for queue, func, args in jobs:
            named.setdefault(job_id(func, args), (queue, func, args))  # the first, as one by one
        if not named:
            return
        connection = self.connection()
        looking = connection.pipeline(transaction=False)
        for name in named:
            looking.hget(Job.key_for(name), "status")
        waiting = {s.value.encode() for s in (JobStatus.QUEUED, JobStatus.DEFERRED)}
        waiting.add(JobStatus.SCHEDULED.value.encode())
        by_queue: dict[str, list[Any]] = {}
        for (name, (queue, func, args)), status in zip(
            named.items(), looking.execute(), strict=True
        ):
            if status not in waiting:
                by_queue.setdefault(queue, []).append(
                    Queue.prepare_data(
                        func,
                        args,
                        job_id=name,
                        timeout=JOB_TIMEOUT,
                        failure_ttl=FAILURE_TTL,
                        result_ttl=3600,
                    )
                )
        with connection.pipeline() as queuing:
            for queue, datas in by_queue.items():
                Queue(queue, connection=connection).enqueue_many(datas, pipeline=queuing)
            queuing.execute()


def job_id(func_path: str, args: tuple[int | str, ...]) -> str:
    """The RQ job id naming this work: a send job by its batch of rows, others by their ids
    (RQ allows letters, digits, underscores and dashes)."""
    from mentormail.service.context import SEND_JOB
    from mentormail.service.sending import batch_of

    short = func_path.rsplit(".", 1)[-1]
    if func_path == SEND_JOB and args:
        return f"{short}-batch-{batch_of(int(args[0]))}"
    return "-".join([short, *(re.sub(r"[^A-Za-z0-9_]", "_", str(a)) for a in args)])


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
