"""The one place that wires real adapters to the service (and nothing connects at import)."""

from __future__ import annotations

import importlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from mentormail.service.adapters import RqQueue, SystemClock
from mentormail.service.config import Config
from mentormail.service.context import Services
from mentormail.service.db import make_engine, make_sessionmaker
from mentormail.service.exceptions import ConfigError
from mentormail.service.ports import Mailer
from mentormail.service.transports import make_mailer

log = logging.getLogger(__name__)
_current: Services | None = None
REDIS_URL_FILE = "redis.url"  # DATA_DIR/redis.url: where a running `mentormail run` has Redis


def build(config: Config, *, inline_without_redis: bool = False) -> Services:
    """Services wired to the real database, Redis queue, clock and transport.

    Redis is MENTORMAIL_REDIS_URL, else the one a running ``mentormail run`` recorded in
    DATA_DIR/redis.url (if it answers). With no Redis at all, jobs either run at once in
    this process (``inline_without_redis``: the CLI) or wait for the sweep.
    """
    redis_url = find_redis(config)
    if redis_url != config.redis_url:
        config = replace(config, redis_url=redis_url)
    queue: Any = RqQueue(redis_url) if redis_url else None
    if queue is None:
        queue = InlineQueue() if inline_without_redis else _NoQueue()
    engine = make_engine(config.database_url)
    return Services(
        config=config,
        sessions=make_sessionmaker(engine),
        queue=queue,
        clock=SystemClock(),
        mailer_factory=lambda: mailer_for(config),
    )


def redis_url_file(config: Config) -> Path:
    """Where ``mentormail run`` records the URL of the Redis it started."""
    return config.data_dir / REDIS_URL_FILE


def find_redis(config: Config) -> str:
    """MENTORMAIL_REDIS_URL; else the recorded Redis of a running ``mentormail run``; else ""."""
    if config.redis_url:
        return config.redis_url
    try:
        recorded = redis_url_file(config).read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return recorded if recorded and redis_answers(recorded) else ""


def redis_answers(url: str) -> bool:
    """True when a Redis server answers PING at ``url`` within a second."""
    from redis import Redis

    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except Exception:  # a stale file: that Redis is gone
        return False
    finally:
        client.close()


def mailer_for(config: Config) -> Mailer:
    """The transport the configuration names."""
    if config.transport == "smtp":
        return make_mailer(
            "smtp",
            host=config.smtp_host,
            port=config.smtp_port,
            username=config.smtp_username or None,
            password=config.smtp_password or None,
            starttls=config.smtp_starttls,
        )
    if config.transport == "sendgrid":
        if not config.sendgrid_api_key:
            raise ConfigError("MENTORMAIL_SENDGRID_API_KEY is required for the sendgrid transport")
        return make_mailer(
            "sendgrid",
            api_key=config.sendgrid_api_key,
            host=config.sendgrid_api_host,
            timeout=config.sendgrid_timeout,
        )
    return make_mailer("file", path=config.outbox_dir)


def current() -> Services:
    """The process's services: installed by the caller, or built from the environment once."""
    global _current
    if _current is None:
        _current = build(Config.from_env())
    return _current


def installed() -> Services | None:
    """The services installed for this process, if any (tests install their own)."""
    return _current


def install(services: Services | None) -> None:
    """Make ``services`` the process's services (tests, the CLI, the worker)."""
    global _current
    _current = services


def web_app() -> Any:
    """The WSGI app for gunicorn: ``gunicorn 'mentormail.app.bootstrap:web_app()'``."""
    from mentormail.app.web import create_app
    from mentormail.app.web_security import refuse_default_secret

    services = current()
    refuse_default_secret(services.config)
    return create_app(services)


class _NoQueue:
    """Used when no Redis is configured: the sweep picks rows up instead."""

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Refuse loudly, so the caller logs it; the committed row waits for the sweep."""
        raise ConfigError("MENTORMAIL_REDIS_URL is not set; no queue to put work on")


class InlineQueue:
    """No Redis: run each job at once in this process, as a worker would (the CLI's fallback).

    Jobs are looked up by name like RQ does and use ``current()``, so the services that own
    this queue must be the installed ones.
    """

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Run the job now."""
        module, name = func_path.rsplit(".", 1)
        log.debug("no Redis queue: running %s%r now", func_path, args)
        getattr(importlib.import_module(module), name)(*args)
