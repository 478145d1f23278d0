"""Mail as it arrives at a real SMTP server and in the maildir: every journey email passes
the conformance check and its DKIM signature verifies; `mentormail check-mail` says what is
wrong with any message; a fresh data folder is made for every embedded default."""

from __future__ import annotations

import json
import mailbox
import os
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from mentormail.app import bootstrap
from mentormail.service.clock import read_drop_folder
from mentormail.service.config import Config
from mentormail.service.mailcheck import problems
from mentormail.service.transports.dkim_signing import DkimSigner
from mentormail.service.transports.smtp import SmtpMailer
from tests import journey
from tests.dkim_keys import DOMAIN, SELECTOR, key_pair
from tests.harness import EXAMPLES, Program, make_services
from tests.servers.smtp_server import SmtpServer

pytestmark = pytest.mark.integration
HTTPS = "https://mentors.example.edu"  # RFC 8058: one-click unsubscribe is an https URI


@pytest.fixture
def term_over_smtp(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Program]:
    """The journey's program sending through the real SMTP server, DKIM-signed."""
    signer = DkimSigner(DOMAIN, SELECTOR, key_pair().private_pem)
    mailer = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10, signer=signer)
    services = make_services(
        f"sqlite:///{tmp_path / 'mm.db'}", tmp_path, mailer=mailer, base_url=HTTPS
    )
    yield Program.start(services, journey.people_csv())
    mailer.close()
    bootstrap.install(None)


def test_every_email_received_over_smtp_conforms_and_its_signature_verifies(
    term_over_smtp: Program, smtp_server: SmtpServer
) -> None:
    journey.run(term_over_smtp)
    rows = {r.message_id: r for r in term_over_smtp.outbox()}
    received = smtp_server.messages
    assert len(received) == len(rows) > 50
    pair = key_pair()
    for mail in received:
        row = rows[str(mail.message["Message-ID"])]
        assert problems(mail.raw, program_mail=row.participant_id is not None) == [], row.template
        assert pair.verifies(mail.raw), row.template
        assert b"\r\n" in mail.raw and b"\n" not in mail.raw.replace(b"\r\n", b"")


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The installed `mentormail` command, as an operator runs it."""
    command = [sys.executable, "-c", "from mentormail.app.cli import main; main()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    """A data folder that does not exist yet, three levels down, and a DKIM key."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MENTORMAIL_")}
    return {
        **clean,
        "MENTORMAIL_DATA_DIR": str(tmp_path / "new" / "deeper" / "var"),
        "MENTORMAIL_BASE_URL": HTTPS,
        "MENTORMAIL_DKIM_DOMAIN": DOMAIN,
        "MENTORMAIL_DKIM_SELECTOR": SELECTOR,
        "MENTORMAIL_DKIM_PRIVATE_KEY_FILE": str(key_pair().write_private(tmp_path)),
    }


def test_a_fresh_data_folder_gets_its_database_maildir_and_drop_folder(
    fresh_env: dict[str, str], tmp_path: Path
) -> None:
    assert cli(fresh_env, "init").returncode == 0
    assert cli(fresh_env, "program", "load", str(EXAMPLES / "program.yaml")).returncode == 0
    imported = cli(
        fresh_env, "import", str(EXAMPLES / "participants.csv"), "--program", "alumni-2026"
    )
    assert imported.returncode == 0, imported.stderr
    ingested = cli(fresh_env, "ingest", str(EXAMPLES / "mentee-asks.eml"))
    assert ingested.returncode == 0, ingested.stderr
    var = Path(fresh_env["MENTORMAIL_DATA_DIR"])
    sent = mailbox.Maildir(var / "sent", create=False)
    assert len(sent) == 1, ingested.stdout + ingested.stderr
    raw = sent.get_bytes(next(iter(sent.keys())))
    assert problems(raw, program_mail=True) == []
    assert key_pair().verifies(raw)

    config = Config.from_env(fresh_env)
    services = make_services(config.database_url, tmp_path / "other")
    drop = tmp_path / "another" / "drop"
    assert read_drop_folder(services, drop) == 0 and (drop / "done").is_dir()
    bootstrap.install(None)


def test_check_mail_says_ok_for_our_mail_and_names_each_problem_of_other_mail(
    fresh_env: dict[str, str], tmp_path: Path
) -> None:
    ours = tmp_path / "ours.eml"
    theirs = tmp_path / "theirs.eml"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "Hi"
    message["List-Unsubscribe"] = "<https://lists.example.org/u/" + "x" * 90 + ">"
    message.set_content("hello")
    theirs.write_bytes(message.as_bytes())
    signer = DkimSigner(DOMAIN, SELECTOR, key_pair().private_pem)
    from mentormail.service.transports.mime import as_bytes
    from tests.unit.service.test_mailcheck import EMAIL

    ours.write_bytes(signer.sign(as_bytes(EMAIL)))

    good = cli(fresh_env, "check-mail", "--program-mail", str(ours))
    assert (good.returncode, good.stdout) == (0, f"{ours}: ok\n")
    bad = cli(fresh_env, "check-mail", str(theirs), str(ours))
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert f"{theirs}: wire: a line does not end in CRLF" in lines
    assert f"{theirs}: Date: missing" in lines
    assert any(line.startswith(f"{theirs}: List-Unsubscribe: encoded words") for line in lines)
    assert f"{ours}: ok" in lines
    as_json = cli(fresh_env, "check-mail", "--json", str(theirs))
    [record] = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert record["file"] == str(theirs) and record["ok"] is False and record["problems"]
    helped = cli(fresh_env, "check-mail", "--help")
    assert "List-Unsubscribe=One-Click" in helped.stdout and "--json" in helped.stdout
