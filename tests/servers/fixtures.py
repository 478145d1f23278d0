"""pytest plugin: real servers for the tests, each started once per session on loopback.

Fixtures (session scope unless noted):

- ``redis_server`` → RedisServer; ``redis_url`` → str (``unix:///.../redis.sock``);
  ``fresh_redis_url`` (function) → the same URL after FLUSHALL.
- ``postgres_server`` → PostgresServer; ``postgres_url`` → str (the ``postgres`` database);
  ``postgres_db_url`` (function) → str, a new empty ``test_<n>`` database, dropped after.
- ``dovecot`` → DovecotServer (host, port, user, password, append(raw, folder));
  ``imap_account`` (function) → ImapAccount, a brand-new user with an empty mailbox.
- ``smtp_server`` (function) → SmtpServer (host, port, messages, fail_next(code)), emptied.
- ``sendgrid_api`` (function) → SendGridApi (url, api_key, requests, rejected,
  fail_next(status)), emptied.
- ``browser`` → playwright Browser; ``page`` (function) → a Page in a fresh context.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.servers.browser import RunningBrowser, start_browser
from tests.servers.dovecot_server import DovecotServer, ImapAccount, start_dovecot
from tests.servers.postgres_server import PostgresMissing, PostgresServer, start_postgres
from tests.servers.redis_server import RedisServer, start_redis
from tests.servers.sendgrid_api import SendGridApi, start_sendgrid_api
from tests.servers.smtp_server import SmtpServer, start_smtp


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server for the whole session."""
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's redis-server."""
    return redis_server.url


@pytest.fixture
def fresh_redis_url(redis_server: RedisServer) -> str:
    """The session's redis-server, emptied for this test."""
    redis_server.flushall()
    return redis_server.url


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL cluster; fails loudly when PostgreSQL is not installed."""
    if os.environ.get("MENTORMAIL_TEST_SKIP_PG") == "1":
        pytest.skip("MENTORMAIL_TEST_SKIP_PG=1: PostgreSQL tests skipped on request")
    missing: str | None = None
    try:
        server = start_postgres()
    except PostgresMissing as exc:
        missing = str(exc)
    if missing is not None:  # outside the except block, so the report shows one clear message
        pytest.fail(missing, pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """SQLAlchemy URL of the cluster's ``postgres`` database."""
    return postgres_server.url()


@pytest.fixture
def postgres_db_url(postgres_server: PostgresServer) -> Iterator[str]:
    """SQLAlchemy URL of a new empty database for this test only."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A private Dovecot IMAP server."""
    server = start_dovecot()
    yield server
    server.stop()


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> ImapAccount:
    """A new Dovecot user with an empty mailbox, for this test only."""
    return dovecot.add_user()


@pytest.fixture(scope="session")
def _smtp_session() -> Iterator[SmtpServer]:
    """The session's aiosmtpd server."""
    server = start_smtp()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_session: SmtpServer) -> Iterator[SmtpServer]:
    """The session's SMTP server with no mail and no pending faults."""
    _smtp_session.reset()
    yield _smtp_session
    _smtp_session.reset()


@pytest.fixture(scope="session")
def _sendgrid_session() -> Iterator[SendGridApi]:
    """The session's local SendGrid v3 endpoint."""
    api = start_sendgrid_api()
    yield api
    api.stop()


@pytest.fixture
def sendgrid_api(_sendgrid_session: SendGridApi) -> Iterator[SendGridApi]:
    """The session's SendGrid endpoint with no recorded requests and no pending faults."""
    _sendgrid_session.reset()
    yield _sendgrid_session
    _sendgrid_session.reset()


@pytest.fixture(scope="session")
def _browser_session() -> Iterator[RunningBrowser]:
    """Playwright with a headless system Chromium."""
    running = start_browser()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser(_browser_session: RunningBrowser) -> Browser:
    """The session's headless Chromium."""
    return _browser_session.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies shared between tests)."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
