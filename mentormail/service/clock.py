"""One tick of the clock process: sweep what is due, read the drop folder, poll IMAP."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mentormail.service import inbound, sweep
from mentormail.service.context import Services

log = logging.getLogger(__name__)
_last_run: dict[str, float] = {}


def tick(services: Services) -> None:
    """Run each periodic job whose interval has passed; one failing never stops the others."""
    config = services.config
    _every("sweep", config.sweep_seconds, lambda: sweep.sweep(services))
    _every("drop", 2, lambda: read_drop_folder(services, config.drop_dir))
    if config.imap_host:
        _every("imap", config.imap_poll_seconds, lambda: poll_imap(services))


def _every(name: str, seconds: int, job: object) -> None:
    """Run ``job`` if ``seconds`` have passed since it last ran in this process."""
    now = time.monotonic()
    if now - _last_run.get(name, -1e9) < seconds:
        return
    _last_run[name] = now
    try:
        result = job()  # type: ignore[operator]
        log.debug("%s: %r", name, result)
    except Exception:  # a broken IMAP server must not stop the sweep
        log.exception("clock job %s failed", name)


def read_drop_folder(services: Services, folder: Path) -> int:
    """Ingest every readable .eml in the folder, moved to ``done/`` (nothing is deleted);
    what cannot be read goes to ``skipped/`` and is reported (service/drop_folder.py)."""
    from mentormail.service.drop_folder import read_folder

    return read_folder(services, folder).stored


def poll_imap(services: Services) -> int:
    """Fetch new mail from the configured IMAP folder; a Redis lock keeps pollers apart."""
    from mentormail.service.adapters import DbImapStateStore, RqQueue
    from mentormail.service.imap_poller import ImapMailbox, poll_once, redis_poll_lock

    config = services.config
    mailbox = ImapMailbox(
        config.imap_host,
        config.imap_port,
        config.imap_username,
        config.imap_password,
        folder=config.imap_folder,
        ssl=config.imap_ssl,
        state_store=DbImapStateStore(services.sessions),
    )
    lock = None
    if isinstance(services.queue, RqQueue):
        lock = redis_poll_lock(services.queue.connection(), mailbox)
    return poll_once(mailbox, lambda raw: inbound.ingest(services, raw, "imap"), lock)
