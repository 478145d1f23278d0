"""The IMAP poller against a real Dovecot: fetch once, resume, survive renumbering and failures."""

from __future__ import annotations

import logging
import threading
import time

import pytest
import redis

from mentormail.service.imap_poller import (
    ImapMailbox,
    MemoryStateStore,
    poll_once,
    redis_poll_lock,
    thread_poll_lock,
)
from tests.servers.dovecot_server import ImapAccount

pytestmark = pytest.mark.integration


def raw_mail(n: int, size: int = 0) -> bytes:
    """A small message numbered ``n`` (padded to about ``size`` bytes if asked)."""
    body = f"Message number {n}.\r\n" + ("x" * 76 + "\r\n") * (size // 78)
    return (
        f"From: mentee{n}@example.org\r\nTo: mentors@example.edu\r\n"
        f"Subject: Mail {n}\r\nMessage-ID: <m{n}@example.org>\r\n\r\n{body}"
    ).encode()


def mailbox_for(
    account: ImapAccount,
    store: MemoryStateStore | None = None,
    folder: str = "INBOX",
    batch_count: int = 50,
    batch_bytes: int = 25_000_000,
) -> ImapMailbox:
    """An ImapMailbox on ``account`` keeping progress in ``store``."""
    return ImapMailbox(
        account.host,
        account.port,
        account.user,
        account.password,
        folder=folder,
        state_store=store or MemoryStateStore(),
        batch_count=batch_count,
        batch_bytes=batch_bytes,
    )


class Collector:
    """An ``ingest`` that keeps what it gets and can be told to fail on one message."""

    def __init__(self, fail_on: bytes | None = None, delay: float = 0) -> None:
        """Fail when a message contains ``fail_on``; take ``delay`` seconds per message."""
        self.got: list[bytes] = []
        self.fail_on = fail_on
        self.delay = delay

    def __call__(self, raw: bytes) -> None:
        """Store ``raw`` or raise."""
        if self.fail_on is not None and self.fail_on in raw:
            raise RuntimeError("database is down")
        time.sleep(self.delay)
        self.got.append(raw)

    def subjects(self) -> list[str]:
        """The Subject of every message stored so far."""
        return [r.split(b"Subject: ")[1].split(b"\r\n")[0].decode() for r in self.got]


def test_new_mail_is_fetched_once(imap_account: ImapAccount) -> None:
    """Two messages arrive, are stored, and a second poll finds nothing new."""
    for n in (1, 2):
        imap_account.append(raw_mail(n))
    box, ingest = mailbox_for(imap_account), Collector()
    assert poll_once(box, ingest) == 2
    assert ingest.subjects() == ["Mail 1", "Mail 2"]
    assert poll_once(box, ingest) == 0
    assert len(ingest.got) == 2


def test_only_mail_after_the_last_done_is_fetched(imap_account: ImapAccount) -> None:
    """Mail arriving later is fetched on the next poll, and nothing before it."""
    store = MemoryStateStore()
    imap_account.append(raw_mail(1))
    poll_once(mailbox_for(imap_account, store), Collector())
    imap_account.append(raw_mail(2))
    ingest = Collector()
    assert poll_once(mailbox_for(imap_account, store), ingest) == 1  # a new process, same store
    assert ingest.subjects() == ["Mail 2"]


def test_fetching_leaves_mail_unseen_on_the_server(imap_account: ImapAccount) -> None:
    """BODY.PEEK and a read-only select never set \\Seen."""
    uid = imap_account.append(raw_mail(1))
    poll_once(mailbox_for(imap_account), Collector())
    with imap_account.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert b"\\Seen" not in client.get_flags([uid])[uid]


def test_a_failed_ingest_loses_nothing(imap_account: ImapAccount) -> None:
    """If storing message 2 fails, message 1 stays done and 2 and 3 come again next poll."""
    for n in (1, 2, 3):
        imap_account.append(raw_mail(n))
    store = MemoryStateStore()
    box = mailbox_for(imap_account, store)
    failing = Collector(fail_on=b"Subject: Mail 2")
    with pytest.raises(RuntimeError, match="database is down"):
        poll_once(box, failing)
    assert failing.subjects() == ["Mail 1"]
    retry = Collector()
    assert poll_once(box, retry) == 2
    assert retry.subjects() == ["Mail 2", "Mail 3"]


def test_uidvalidity_change_starts_over_from_the_folder(
    imap_account: ImapAccount, caplog: pytest.LogCaptureFixture
) -> None:
    """When the folder is recreated, what is in it is fetched again, and the log says why."""
    folder = "Inbound"
    imap_account.recreate_folder(folder)
    imap_account.append(raw_mail(1), folder)
    store = MemoryStateStore()
    poll_once(mailbox_for(imap_account, store, folder), Collector())
    before = imap_account.uidvalidity(folder)
    imap_account.recreate_folder(folder)
    imap_account.append(raw_mail(2), folder)
    imap_account.append(raw_mail(3), folder)
    assert imap_account.uidvalidity(folder) != before
    ingest = Collector()
    with caplog.at_level(logging.WARNING, logger="mentormail.service.imap_poller"):
        assert poll_once(mailbox_for(imap_account, store, folder), ingest) == 2
    assert ingest.subjects() == ["Mail 2", "Mail 3"]
    assert "UIDVALIDITY changed" in caplog.text
    assert store.load(mailbox_for(imap_account, store, folder).key) == (
        imap_account.uidvalidity(folder),
        2,
    )


def test_saved_progress_from_another_uidvalidity_is_ignored(imap_account: ImapAccount) -> None:
    """A stale (UIDVALIDITY, last UID) pair never hides mail in the current folder."""
    imap_account.append(raw_mail(1))
    store = MemoryStateStore()
    box = mailbox_for(imap_account, store)
    store.save(box.key, imap_account.uidvalidity() + 1, 999)
    ingest = Collector()
    assert poll_once(box, ingest) == 1


def test_many_and_big_messages_come_in_batches(imap_account: ImapAccount) -> None:
    """Twelve messages, some over a megabyte, arrive whole and in order in small batches."""
    sizes = [0, 1_500_000, 0, 2_000_000] * 3
    for n, size in enumerate(sizes, start=1):
        imap_account.append(raw_mail(n, size))
    ingest = Collector()
    box = mailbox_for(imap_account, batch_count=5, batch_bytes=1_000_000)
    assert poll_once(box, ingest) == 12
    assert ingest.subjects() == [f"Mail {n}" for n in range(1, 13)]
    assert [len(r) for r in ingest.got] == [len(raw_mail(n, s)) for n, s in enumerate(sizes, 1)]


def test_a_held_lock_makes_a_second_poller_skip(imap_account: ImapAccount) -> None:
    """While one poller holds the mailbox's lock another does not fetch."""
    imap_account.append(raw_mail(1))
    lock = thread_poll_lock()
    assert lock.acquire(blocking=False)
    ingest = Collector()
    assert poll_once(mailbox_for(imap_account), ingest, lock=lock) == 0
    lock.release()
    assert poll_once(mailbox_for(imap_account), ingest, lock=lock) == 1


def test_two_pollers_on_one_redis_lock_never_fetch_the_same_mail(
    imap_account: ImapAccount, fresh_redis_url: str
) -> None:
    """Pollers racing with a Redis lock store each message exactly once.

    Ingest is slow on purpose: without the lock these four pollers store every message
    about four times.
    """
    for n in range(1, 6):
        imap_account.append(raw_mail(n))
    store = MemoryStateStore()  # shared, like the database the service uses
    client = redis.Redis.from_url(fresh_redis_url)
    ingest = Collector(delay=0.05)
    start = threading.Barrier(4)

    def poller() -> None:
        box = mailbox_for(imap_account, store)
        start.wait()
        for _ in range(3):
            poll_once(box, ingest, lock=redis_poll_lock(client, box, timeout=60))

    threads = [threading.Thread(target=poller) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    client.close()
    assert sorted(ingest.subjects()) == sorted(f"Mail {n}" for n in range(1, 6))
    assert store.load(mailbox_for(imap_account, store).key) is not None
