"""The one place that wires real adapters to the service (and nothing connects at import)."""

from __future__ import annotations

from typing import Any

from mentormail.service.adapters import RqQueue, SystemClock
from mentormail.service.config import Config
from mentormail.service.context import Services
from mentormail.service.db import make_engine, make_sessionmaker
from mentormail.service.exceptions import ConfigError
from mentormail.service.ports import Mailer
from mentormail.service.transports import make_mailer

_current: Services | None = None


def build(config: Config) -> Services:
    """Services wired to the real database, Redis queue, clock and transport."""
    engine = make_engine(config.database_url)
    return Services(
        config=config,
        sessions=make_sessionmaker(engine),
        queue=RqQueue(config.redis_url) if config.redis_url else _NoQueue(),
        clock=SystemClock(),
        mailer_factory=lambda: mailer_for(config),
    )


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


def install(services: Services | None) -> None:
    """Make ``services`` the process's services (tests, the CLI, the worker)."""
    global _current
    _current = services


def web_app() -> Any:
    """The WSGI app for gunicorn: ``gunicorn 'mentormail.app.bootstrap:web_app()'``."""
    from mentormail.app.web import create_app

    return create_app(current())


class _NoQueue:
    """Used when no Redis is configured: the sweep picks rows up instead."""

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Refuse loudly, so the caller logs it; the committed row waits for the sweep."""
        raise ConfigError("MENTORMAIL_REDIS_URL is not set; no queue to put work on")
