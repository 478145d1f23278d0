"""Read new mail from an IMAP folder and hand each message to ``ingest`` before forgetting it.

Progress is (UIDVALIDITY, last UID done) per mailbox, kept in an ``ImapStateStore``.
Messages are fetched with ``BODY.PEEK[]`` from a read-only (EXAMINE) selection, so the
server's flags never change: what we have not stored, we fetch again next time.
"""

from __future__ import annotations

import logging
import ssl as ssl_module
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from imapclient import IMAPClient

from mentormail.service.ports import FetchedMail, Mailbox

log = logging.getLogger(__name__)

DEFAULT_BATCH_BYTES = 25 * 1024 * 1024
DEFAULT_BATCH_COUNT = 50


class ImapStateStore(Protocol):
    """Where a poller remembers its progress per mailbox key."""

    def load(self, key: str) -> tuple[int, int] | None:
        """Return (uidvalidity, last_uid) saved for ``key``, or None if never saved."""
        ...

    def save(self, key: str, uidvalidity: int, last_uid: int) -> None:
        """Remember that mail up to ``last_uid`` under ``uidvalidity`` is done."""
        ...


class MemoryStateStore:
    """An ``ImapStateStore`` in a dict: for tests and single-run tools."""

    def __init__(self) -> None:
        """Start with no progress for any mailbox."""
        self.state: dict[str, tuple[int, int]] = {}

    def load(self, key: str) -> tuple[int, int] | None:
        """Return the saved progress for ``key``."""
        return self.state.get(key)

    def save(self, key: str, uidvalidity: int, last_uid: int) -> None:
        """Save the progress for ``key``."""
        self.state[key] = (uidvalidity, last_uid)


class PollLock(Protocol):
    """A lock taken without waiting; ``redis.lock.Lock`` and ``threading.Lock`` fit."""

    def acquire(self, blocking: bool = ...) -> bool:
        """Take the lock; with ``blocking=False`` return False at once if it is held."""
        ...

    def release(self) -> None:
        """Give the lock back."""
        ...


class NoLock:
    """The single-process default: always free."""

    def acquire(self, blocking: bool = True) -> bool:
        """Always succeed."""
        return True

    def release(self) -> None:
        """Nothing to release."""


class ImapMailbox:
    """A ``Mailbox`` over one IMAP folder, resuming from the saved (UIDVALIDITY, last UID)."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        folder: str = "INBOX",
        ssl: bool = False,
        state_store: ImapStateStore | None = None,
        timeout: float = 60,
        batch_count: int = DEFAULT_BATCH_COUNT,
        batch_bytes: int = DEFAULT_BATCH_BYTES,
        ssl_context: ssl_module.SSLContext | None = None,
    ) -> None:
        """Remember where the folder is; nothing connects until ``fetch_new``."""
        self.host, self.port, self.folder = host, port, folder
        self.username, self.password = username, password
        self.ssl, self.ssl_context, self.timeout = ssl, ssl_context, timeout
        self.state_store: ImapStateStore = state_store or MemoryStateStore()
        self.batch_count, self.batch_bytes = batch_count, batch_bytes
        self._uidvalidity: int | None = None

    @property
    def key(self) -> str:
        """Name this mailbox for the state store and for a poll lock."""
        return f"imap://{self.username}@{self.host}:{self.port}/{self.folder}"

    def fetch_new(self) -> Iterator[FetchedMail]:
        """Yield mail with a UID above the last one done, oldest first, in small batches."""
        client = self._connect()
        try:
            status = client.select_folder(self.folder, readonly=True)
            uidvalidity = int(status[b"UIDVALIDITY"])
            after = self._start_after(uidvalidity)
            self._uidvalidity = uidvalidity
            uids = sorted(u for u in client.search(["UID", f"{after + 1}:*"]) if u > after)
            for batch in self._batches(client, uids):
                fetched = client.fetch(batch, ["BODY.PEEK[]"])
                for uid in batch:
                    data = fetched.get(uid)
                    if data is None:  # expunged between SEARCH and FETCH
                        continue
                    yield FetchedMail(uid=uid, raw=bytes(data[b"BODY[]"]))
        finally:
            _logout(client)

    def mark_done(self, uid: int) -> None:
        """Save that mail up to ``uid`` is stored, under the UIDVALIDITY just fetched."""
        if self._uidvalidity is None:
            raise RuntimeError("mark_done called before fetch_new")
        saved = self.state_store.load(self.key)
        if saved is not None and saved[0] == self._uidvalidity and saved[1] >= uid:
            return
        self.state_store.save(self.key, self._uidvalidity, uid)

    def _start_after(self, uidvalidity: int) -> int:
        """Return the last UID done, or 0 when the folder is new to us or was renumbered."""
        saved = self.state_store.load(self.key)
        if saved is None:
            log.info("IMAP %s: no saved progress; reading everything in the folder", self.key)
            return 0
        if saved[0] != uidvalidity:
            log.warning(
                "IMAP %s: UIDVALIDITY changed from %s to %s; starting over from what is in "
                "the folder (ingest drops duplicates by Message-ID)",
                self.key,
                saved[0],
                uidvalidity,
            )
            return 0
        return saved[1]

    def _batches(self, client: IMAPClient, uids: Sequence[int]) -> Iterator[list[int]]:
        """Group UIDs so no batch holds more than ``batch_count`` mails or ~``batch_bytes``."""
        for start in range(0, len(uids), self.batch_count):
            chunk = list(uids[start : start + self.batch_count])
            sizes = client.fetch(chunk, ["RFC822.SIZE"])
            batch: list[int] = []
            total = 0
            for uid in chunk:
                size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
                if batch and total + size > self.batch_bytes:
                    yield batch
                    batch, total = [], 0
                batch.append(uid)
                total += size
            if batch:
                yield batch

    def _connect(self) -> IMAPClient:
        """Open and log in a fresh connection."""
        client = IMAPClient(
            self.host,
            port=self.port,
            ssl=self.ssl,
            ssl_context=self.ssl_context,
            timeout=self.timeout,
        )
        try:
            client.login(self.username, self.password)
        except Exception:
            _logout(client)
            raise
        return client


def _logout(client: IMAPClient) -> None:
    """Close the connection, ignoring a server that already hung up."""
    try:
        client.logout()
    except Exception:  # the connection is going away either way
        log.debug("IMAP logout failed", exc_info=True)


def poll_once(
    mailbox: Mailbox, ingest: Callable[[bytes], Any], lock: PollLock | None = None
) -> int:
    """Store each new message via ``ingest``, then ``mark_done``; return how many were stored.

    If another poller holds ``lock`` this returns 0 at once. If ``ingest`` raises, the
    error propagates and that message (and any after it) is fetched again next time.
    """
    lock = lock or NoLock()
    if not lock.acquire(blocking=False):
        log.info("another poller holds the lock; skipping this poll")
        return 0
    try:
        count = 0
        mails = mailbox.fetch_new()
        try:
            for mail in mails:
                ingest(mail.raw)
                mailbox.mark_done(mail.uid)
                count += 1
        finally:
            close = getattr(mails, "close", None)
            if close is not None:
                close()
        return count
    finally:
        lock.release()


def redis_poll_lock(redis: Any, mailbox: ImapMailbox, timeout: float = 900) -> PollLock:
    """Return a Redis lock for ``mailbox`` that expires after ``timeout`` s if a poller dies."""
    lock: PollLock = redis.lock(f"mentormail:imap-poll:{mailbox.key}", timeout=timeout)
    return lock


def thread_poll_lock() -> PollLock:
    """Return an in-process lock for pollers that share one process."""
    lock: PollLock = threading.Lock()
    return lock
