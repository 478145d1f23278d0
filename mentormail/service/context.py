"""The wired parts a service function works with, and its unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mentormail.service.config import Config
from mentormail.service.ports import BatchQueue, Clock, Mailer, Queue

log = logging.getLogger(__name__)

SEND_JOB = "mentormail.app.jobs.send_outbound"
ANNOUNCE_JOB = "mentormail.app.jobs.send_announcement"  # one per 1,000 rows of one
PROCESS_JOB = "mentormail.app.jobs.process_inbound"
AFTER_COMMIT = "jobs_after_commit"
ItemId = int | Callable[[], int]  # an id, or how to read it once the commit has flushed the row


def queue_after_commit(session: Session, queue_name: str, job: str, item_id: ItemId) -> None:
    """Ask for a job once this session's transaction has committed (never before)."""
    session.info.setdefault(AFTER_COMMIT, []).append((queue_name, job, item_id))


def committed_ids(jobs: list[tuple[str, str, ItemId]]) -> list[tuple[str, str, int]]:
    """The jobs with every id read (the rows are flushed and committed by now)."""
    return [(q, job, item if isinstance(item, int) else item()) for q, job, item in jobs]


@dataclass
class Unit:
    """One unit of work: its session, the instant it acts at, and the jobs for after commit."""

    session: Session
    services: Services
    now: datetime

    def after_commit(self, queue_name: str, job: str, item_id: ItemId) -> None:
        """Ask for a job once this unit's transaction has committed (never before)."""
        queue_after_commit(self.session, queue_name, job, item_id)


@dataclass
class Services:
    """Configuration plus one adapter per I/O boundary; built by ``bootstrap`` or by tests."""

    config: Config
    sessions: sessionmaker[Session]
    queue: Queue
    clock: Clock
    mailer_factory: Callable[[], Mailer]
    _mailer: Mailer | None = field(default=None, repr=False)

    def now(self) -> datetime:
        """The current time, from the one clock."""
        return self.clock.now()

    def engine(self) -> Engine:
        """The database engine the sessions are bound to (for reads without a session)."""
        engine: Engine = self.sessions.kw["bind"]
        return engine

    def mailer(self) -> Mailer:
        """The outbound transport, made on first use (nothing connects at import time)."""
        if self._mailer is None:
            self._mailer = self.mailer_factory()
        return self._mailer

    @contextmanager
    def unit(self) -> Iterator[Unit]:
        """One transaction at one instant; the jobs it asked for are queued after it commits."""
        with self.sessions() as session:
            with session.begin():
                session.info[AFTER_COMMIT] = []
                yield Unit(session, self, self.now())
            jobs = committed_ids(session.info[AFTER_COMMIT])
        self.enqueue_all_safely(jobs)

    @contextmanager
    def single_writes(self) -> Iterator[Unit]:
        """A unit whose statements each commit as they run on PostgreSQL (one round trip per
        statement instead of BEGIN, statements, COMMIT): only for work that writes with one
        statement, whose reads before it need no transaction (read committed gives each
        statement its own snapshot in a transaction too). SQLite: a transaction as ``unit``
        (its BEGIN costs nothing, and its commit is the statement's)."""
        with self.sessions() as session:
            with session.begin():
                if session.get_bind().dialect.name == "postgresql":
                    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                session.info[AFTER_COMMIT] = []
                yield Unit(session, self, self.now())
            jobs = committed_ids(session.info[AFTER_COMMIT])
        self.enqueue_all_safely(jobs)

    @contextmanager
    def reading(self) -> Iterator[Unit]:
        """A unit that only reads: no transaction is opened or committed (one round trip per
        query on PostgreSQL instead of BEGIN, query, COMMIT). Nothing it changes is kept."""
        with self.sessions() as session:
            if session.get_bind().dialect.name == "postgresql":  # SQLite's BEGIN costs nothing
                session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            session.info[AFTER_COMMIT] = []
            yield Unit(session, self, self.now())
            # no rollback() first: closing the session rolls back and returns the connection
            # once (a rollback then the close did the bookkeeping twice)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A unit of work for callers that need only its session (imports, the CLI)."""
        with self.unit() as uow:
            yield uow.session

    def enqueue_all_safely(self, jobs: list[tuple[str, str, int]]) -> None:
        """Queue a unit's jobs, in one go when the queue can (RQ: two round trips in all)."""
        if len(jobs) > 1 and isinstance(self.queue, BatchQueue):
            try:
                self.queue.enqueue_many([(q, job, (item_id,)) for q, job, item_id in jobs])
            except Exception as error:  # the rows are committed; the sweep re-queues them
                log.warning("could not queue %d jobs, the sweep will retry: %s", len(jobs), error)
            return
        for queue_name, job, item_id in jobs:
            self.enqueue_safely(queue_name, job, item_id)

    def enqueue_safely(self, queue_name: str, job: str, item_id: int) -> None:
        """Queue a job; if the queue is down the sweep finds the row later, so log and go on."""
        try:
            self.queue.enqueue(queue_name, job, item_id)
        except Exception as error:  # the row is committed; the sweep re-queues it
            log.warning("could not queue %s(%s), the sweep will retry: %s", job, item_id, error)
