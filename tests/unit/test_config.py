"""Configuration: every setting documented, read from the environment, clear when wrong."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from mentormail.service.config import SETTINGS, Config
from mentormail.service.exceptions import ConfigError


def test_every_config_field_is_a_documented_setting_and_back() -> None:
    assert {f.name.upper() for f in fields(Config)} == {s.name for s in SETTINGS}
    assert all(s.help.strip() for s in SETTINGS)


def test_defaults_work_on_a_fresh_machine(tmp_path: Path) -> None:
    config = Config.from_env({"MENTORMAIL_DATA_DIR": str(tmp_path)})
    assert config.database_url == f"sqlite:///{tmp_path / 'mentormail.db'}"
    assert config.transport == "file" and config.outbox_dir == tmp_path / "sent"
    assert config.drop_dir == tmp_path / "drop" and config.redis_url == ""
    assert config.inbound_max_bytes == 30 * 1024 * 1024


def test_settings_are_read_with_their_types() -> None:
    config = Config.from_env(
        {
            "MENTORMAIL_SMTP_PORT": "2525",
            "MENTORMAIL_IMAP_SSL": "no",
            "MENTORMAIL_BASE_URL": "https://mentors.example.edu/",
        }
    )
    assert config.smtp_port == 2525 and config.imap_ssl is False
    assert config.base_url == "https://mentors.example.edu"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SMTP_PORT", "twenty-five", "MENTORMAIL_SMTP_PORT must be a whole number"),
        ("TRANSPORT", "pigeon", "MENTORMAIL_TRANSPORT must be one of file, smtp, sendgrid"),
    ],
)
def test_a_wrong_setting_names_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_env({f"MENTORMAIL_{name}": value})
