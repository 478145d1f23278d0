"""Names and senders written to inject headers (encoded words hiding CR LF, raw line breaks)
reach a real SMTP server as text inside one header, never as a header of their own
(issue 10, item 4): imported names, a mentee's name in the mail to a mentor, a stranger's
encoded-word From."""

from __future__ import annotations

import csv
import io
from base64 import b64encode
from collections.abc import Iterator
from email.utils import make_msgid
from pathlib import Path

import pytest

from mentormail.app import bootstrap
from mentormail.service.mailcheck import problems
from mentormail.service.transports.smtp import SmtpMailer
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, Program, email, make_services, reply_to
from tests.servers.smtp_server import ReceivedMail, SmtpServer

pytestmark = pytest.mark.integration

ATTACKER = "attacker@evil.example"
HOSTILE_NAMES = {
    "eve@student.example.edu": "=?utf-8?q?Eve=0D=0AReply-To=3A_attacker=40evil.example?=",
    "mal@student.example.edu": "=?utf-8?b?"
    + b64encode(b"Mallory\r\nBcc: attacker@evil.example").decode()
    + "?=",
    "raw@student.example.edu": "Rae\r\nBcc: attacker@evil.example",
}
ALLOWED = {
    "message-id", "date", "from", "to", "subject", "reply-to", "auto-submitted",
    "x-auto-response-suppress", "list-unsubscribe", "list-unsubscribe-post", "list-id",
    "mime-version", "content-type",
}  # fmt: skip


def people_csv() -> str:
    """The example people plus three mentees whose names try to add headers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for address, name in HOSTILE_NAMES.items():
        writer.writerow(
            [address, name, "mentee", "", "", "Data Science", "data science", "", "", "x"]
        )
    return (EXAMPLES / "participants.csv").read_text() + out.getvalue()


@pytest.fixture
def program_over_smtp(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Program]:
    """The example program with the hostile mentees, sending through real SMTP."""
    mailer = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10)
    services = make_services(
        f"sqlite:///{tmp_path / 'mm.db'}",
        tmp_path,
        mailer=mailer,
        base_url="https://mentors.example.edu",
    )
    yield Program.start(services, people_csv())
    mailer.close()
    bootstrap.install(None)


def encoded_word_sender() -> bytes:
    """A stranger's mail whose From name is an encoded word hiding a second header."""
    return (
        b'From: "=?utf-8?q?ana.lima=40alumni.example.edu=0D=0ABcc=3A_attacker=40evil.example?="'
        b" <attacker@evil.example>\r\nTo: " + PROGRAM_ADDRESS.encode() + b"\r\n"
        b"Subject: =?utf-8?q?hello=0D=0AReply-To=3A_attacker=40evil.example?=\r\n"
        b"Date: Thu, 01 Oct 2026 09:00:00 +0000\r\nMessage-ID: "
        + make_msgid(domain="evil.example").encode()
        + b"\r\n\r\nHi, can I get a mentor?\r\n"
    )


def assert_only_our_headers(mail: ReceivedMail) -> None:
    """One To (the envelope's), one Reply-To of ours, no header an attacker added."""
    message = mail.message
    assert {k.lower() for k in message} <= ALLOWED, sorted(message.keys())
    assert [a.addr_spec for a in message["To"].addresses] == list(mail.rcpt_tos)
    [reply] = message["Reply-To"].addresses
    assert reply.domain == "example.edu" and ATTACKER not in str(message["Reply-To"])
    for name, value in message.items():
        assert "\r" not in str(value) and "\n" not in str(value), (name, str(value))
    assert problems(mail.raw) == []


def test_hostile_names_and_senders_stay_inside_their_header(
    program_over_smtp: Program, smtp_server: SmtpServer
) -> None:
    program = program_over_smtp
    for mentee in HOSTILE_NAMES:
        program.deliver(email(mentee, PROGRAM_ADDRESS, "data science healthcare"))
        listing = program.last_to(mentee)
        assert listing.template == "mentor_list", listing.template
        program.deliver(reply_to(listing, mentee, "1"))
    program.deliver(encoded_word_sender())
    asked = [
        m for m in smtp_server.messages if "Data Science" in m.message.get_body().get_content()
    ]
    assert len(asked) >= 3  # the mentors were told who asks
    for mail in smtp_server.messages:
        assert_only_our_headers(mail)
    names = [str(m.message["To"]) for m in smtp_server.messages if m.rcpt_tos[0] in HOSTILE_NAMES]
    assert '"Eve Reply-To: attacker@evil.example" <eve@student.example.edu>' in names
