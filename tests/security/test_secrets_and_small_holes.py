"""Secrets stay out of what is printed and logged; the production web process refuses the
published default key; attacker text is escaped on a terminal; an overflowing webhook
timestamp is a 400."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from mentormail.app.web import create_app
from mentormail.app.web_security import LogWithoutQuery, masked
from mentormail.service import coordinators
from mentormail.service.exceptions import ConfigError
from tests.harness import Program, make_services

pytestmark = pytest.mark.integration


def test_passwords_are_masked_where_urls_are_printed() -> None:
    assert masked("redis://:hunter2@redis.internal:6380/0") == "redis://:***@redis.internal:6380/0"
    assert masked("redis://app:hunter2@redis.internal/0") == "redis://app:***@redis.internal/0"
    assert masked("unix:///tmp/redis.sock") == "unix:///tmp/redis.sock"


def test_the_run_banner_prints_no_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mentormail.app import runner
    from mentormail.service.config import Config

    config = Config.from_env(
        {
            "MENTORMAIL_DATA_DIR": str(tmp_path),
            "MENTORMAIL_DATABASE_URL": "postgresql+psycopg://mm:s3cr3t-db@db.internal/mm",
        }
    )
    runner._announce(config, "redis://:s3cr3t-redis@redis.internal:6379/0")
    printed = capsys.readouterr().out
    assert "s3cr3t" not in printed and "***" in printed
    assert "db.internal/mm" in printed and "redis.internal:6379" in printed


def test_gunicorn_entry_point_refuses_the_default_secret_key(tmp_path: Path) -> None:
    services = make_services(f"sqlite:///{tmp_path / 'mm.db'}", tmp_path)
    bootstrap.install(services)
    try:
        with pytest.raises(ConfigError, match="SECRET_KEY is the development default"):
            bootstrap.web_app()
    finally:
        bootstrap.install(None)
    good = make_services(f"sqlite:///{tmp_path / 'mm.db'}", tmp_path, secret_key="x" * 48)
    bootstrap.install(good)
    try:
        assert bootstrap.web_app() is not None
    finally:
        bootstrap.install(None)


def test_a_real_gunicorn_will_not_serve_on_the_default_key(tmp_path: Path) -> None:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in this environment")
    done = subprocess.run(
        [str(gunicorn), "--bind", "127.0.0.1:0", "mentormail.app.bootstrap:web_app()"],
        env={"MENTORMAIL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "SECRET_KEY is the development default" in done.stderr


def test_the_development_server_logs_no_query_string(caplog: pytest.LogCaptureFixture) -> None:
    handler = LogWithoutQuery.__new__(LogWithoutQuery)
    handler.path = "/webhooks/sendgrid/inbound?key=s3cret"
    handler.command, handler.request_version = "POST", "HTTP/1.1"
    lines: list[str] = []
    handler.log = lambda _type, message, *args: lines.append(message % args)  # type: ignore[method-assign]
    handler.log_request(200, 12)
    assert lines == ['"POST /webhooks/sendgrid/inbound HTTP/1.1" 200 12']


def test_attention_output_escapes_terminal_control_characters(program: Program) -> None:
    with program.services.unit() as uow:
        coordinators.flag(
            uow, None, "mail from \x1b[2J\x1b]0;owned\x07evil", "line\x1b[31mred\u202e"
        )
    bootstrap.install(program.services)
    shown = CliRunner().invoke(cli, ["attention"]).output
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b[2J" in shown and "\\u202e" in shown


def test_an_overflowing_event_timestamp_is_a_bad_request(tmp_path: Path) -> None:
    services = make_services(
        f"sqlite:///{tmp_path / 'mm.db'}", tmp_path, sendgrid_event_public_key="MFkw"
    )
    client = create_app(services).test_client()
    response = client.post(
        "/webhooks/sendgrid/events",
        data="[]",
        content_type="application/json",
        headers={
            "X-Twilio-Email-Event-Webhook-Signature": "c2ln",
            "X-Twilio-Email-Event-Webhook-Timestamp": "9" * 40,
        },
    )
    assert response.status_code == 400, response.data


def test_a_query_string_secret_is_accepted_but_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services = make_services(f"sqlite:///{tmp_path / 'mm.db'}", tmp_path, inbound_secret="s3")
    client = create_app(services).test_client()
    with caplog.at_level(logging.WARNING):
        client.post("/webhooks/sendgrid/inbound?key=s3", data=b"", content_type="text/plain")
    assert "prefer HTTP Basic" in caplog.text and "s3" not in caplog.text.replace("s3 ", "")
