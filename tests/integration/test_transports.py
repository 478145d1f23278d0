"""Each transport delivers a real message through its real peer, and maps failures right."""

from __future__ import annotations

import email
import email.policy
import mailbox
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports import make_mailer
from mentormail.service.transports.errors import PermanentSendError, TransientSendError
from mentormail.service.transports.maildir import MaildirMailer
from mentormail.service.transports.sendgrid import SendGridMailer
from mentormail.service.transports.smtp import SmtpMailer
from tests.servers.sendgrid_api import SendGridApi
from tests.servers.smtp_server import SmtpServer

pytestmark = pytest.mark.integration

EMAIL = OutgoingEmail(
    message_id="<req-42.7f3a@mentors.example.edu>",
    from_addr="Alumni Mentor Program <mentors@example.edu>",
    to_addr="Zoë Müller <zoe@example.org>",
    subject="Mentors for you — data science",
    text="Hi Zoë,\n\nHere are mentors in data science.\n",
    html="<p>Hi Zoë,</p><p>Here are mentors in <b>data science</b>.</p>",
    reply_to="reply+tok123@reply.example.edu",
    headers={
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": "<https://mentors.example.edu/u/abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    categories=("request", "alumni-2026"),
    custom_args={"outbox_id": "12"},
)


def assert_is_our_message(msg: EmailMessage) -> None:
    """The parsed message carries our headers and both UTF-8 parts."""
    assert msg["Message-ID"] == EMAIL.message_id
    assert msg["Reply-To"] == EMAIL.reply_to
    assert msg["Subject"] == EMAIL.subject
    assert msg["To"] == EMAIL.to_addr
    assert msg["Date"]
    for name, value in EMAIL.headers.items():
        assert msg[name] == value
    text_part = msg.get_body(("plain",))
    html_part = msg.get_body(("html",))
    assert text_part is not None and html_part is not None
    assert text_part.get_content().replace("\r\n", "\n") == EMAIL.text  # SMTP is CRLF
    assert "<b>data science</b>" in html_part.get_content()
    assert text_part.get_content_charset() == "utf-8"


def test_maildir_writes_a_message_that_parses_back(tmp_path: Path) -> None:
    """The file transport stores a complete message under the key it returns."""
    key = MaildirMailer(tmp_path / "outbox").send(EMAIL)
    box = mailbox.Maildir(tmp_path / "outbox", create=False)
    assert list(box.keys()) == [key]
    raw = box.get_bytes(key)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert_is_our_message(parsed)


def test_maildir_into_an_unwritable_place_is_permanent(tmp_path: Path) -> None:
    """A maildir path under a regular file can never work."""
    (tmp_path / "file").write_text("")
    with pytest.raises(PermanentSendError):
        MaildirMailer(tmp_path / "file" / "outbox").send(EMAIL)


def test_smtp_delivers_with_headers_preserved(smtp_server: SmtpServer) -> None:
    """SMTP sends the envelope from the bare addresses and keeps every header."""
    mailer = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10)
    assert mailer.send(EMAIL) == EMAIL.message_id
    [mail] = smtp_server.messages
    assert mail.mail_from == "mentors@example.edu"
    assert mail.rcpt_tos == ("zoe@example.org",)
    assert_is_our_message(mail.message)


def test_smtp_logs_in_when_given_credentials(smtp_server: SmtpServer) -> None:
    """With a username and password the mailer authenticates before sending."""
    mailer = SmtpMailer(
        smtp_server.host,
        smtp_server.port,
        username=smtp_server.username,
        password=smtp_server.password,
        timeout=10,
    )
    mailer.send(EMAIL)
    assert len(smtp_server.messages) == 1


def test_smtp_wrong_password_is_permanent(smtp_server: SmtpServer) -> None:
    """A 535 authentication failure will not pass by retrying."""
    mailer = SmtpMailer(
        smtp_server.host,
        smtp_server.port,
        username=smtp_server.username,
        password="wrong",
        timeout=10,
    )
    with pytest.raises(PermanentSendError):
        mailer.send(EMAIL)
    assert smtp_server.messages == []


def test_smtp_451_is_transient(smtp_server: SmtpServer) -> None:
    """A 4xx reply means try again later."""
    smtp_server.fail_next(451)
    with pytest.raises(TransientSendError, match="451"):
        SmtpMailer(smtp_server.host, smtp_server.port, timeout=10).send(EMAIL)
    assert smtp_server.messages == []


def test_smtp_550_is_permanent(smtp_server: SmtpServer) -> None:
    """A 5xx reply means never."""
    smtp_server.fail_next(550)
    with pytest.raises(PermanentSendError, match="550"):
        SmtpMailer(smtp_server.host, smtp_server.port, timeout=10).send(EMAIL)


def test_smtp_relay_down_is_transient() -> None:
    """Nobody listening on the port is a transient failure."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(TransientSendError):
            SmtpMailer("127.0.0.1", port, timeout=5).send(EMAIL)


def sendgrid(api: SendGridApi, **kw: float) -> SendGridMailer:
    """A mailer pointed at the local endpoint, never at SendGrid."""
    return SendGridMailer(api.api_key, host=api.url, **kw)


def test_sendgrid_sends_the_right_json(sendgrid_api: SendGridApi) -> None:
    """The request carries both contents, reply_to, headers, custom_args and categories."""
    provider_id = sendgrid(sendgrid_api).send(EMAIL)
    [sent] = sendgrid_api.requests
    assert provider_id == sent.message_id
    assert sent.headers["Authorization"] == f"Bearer {sendgrid_api.api_key}"
    body = sent.body
    assert body["from"] == {"email": "mentors@example.edu", "name": "Alumni Mentor Program"}
    assert body["personalizations"][0]["to"] == [{"email": "zoe@example.org", "name": "Zoë Müller"}]
    assert body["subject"] == EMAIL.subject
    assert body["content"] == [
        {"type": "text/plain", "value": EMAIL.text},
        {"type": "text/html", "value": EMAIL.html},
    ]
    assert body["reply_to"] == {"email": "reply+tok123@reply.example.edu"}
    assert body["headers"] == {"Message-ID": EMAIL.message_id, **EMAIL.headers}
    assert body["custom_args"] == {"outbox_id": "12"}
    assert sorted(body["categories"]) == ["alumni-2026", "request"]


def test_sendgrid_leaves_out_headers_sendgrid_sets_itself(sendgrid_api: SendGridApi) -> None:
    """Reserved headers (Subject, Reply-To, ...) never reach the API, which would refuse them."""
    email = OutgoingEmail(
        **{
            **EMAIL.__dict__,
            "headers": {
                "Reply-To": "x@example.org",
                "Date": "Mon, 1 Jan 2024 00:00:00 +0000",
                "X-Program": "alumni-2026",
            },
        }
    )
    sendgrid(sendgrid_api).send(email)
    [sent] = sendgrid_api.requests
    assert sent.body["headers"] == {"Message-ID": EMAIL.message_id, "X-Program": "alumni-2026"}


@pytest.mark.parametrize("status", [429, 500, 503])
def test_sendgrid_rate_limit_and_server_errors_are_transient(
    sendgrid_api: SendGridApi, status: int
) -> None:
    """429 and 5xx mean try again later."""
    sendgrid_api.fail_next(status)
    with pytest.raises(TransientSendError, match=str(status)):
        sendgrid(sendgrid_api).send(EMAIL)
    assert sendgrid(sendgrid_api).send(EMAIL)  # and the retry goes through


def test_sendgrid_bad_request_is_permanent(sendgrid_api: SendGridApi) -> None:
    """A 400 (here: an empty text body) will never pass."""
    email = OutgoingEmail(**{**EMAIL.__dict__, "text": ""})
    with pytest.raises(PermanentSendError, match="400"):
        sendgrid(sendgrid_api).send(email)
    assert sendgrid_api.requests == []


def test_sendgrid_wrong_key_is_permanent(sendgrid_api: SendGridApi) -> None:
    """A 401 will not pass by retrying."""
    with pytest.raises(PermanentSendError, match="401"):
        SendGridMailer("SG.wrong", host=sendgrid_api.url).send(EMAIL)


def test_sendgrid_unreachable_is_transient() -> None:
    """A refused connection is a transient failure."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(TransientSendError):
            SendGridMailer("SG.k", host=f"http://127.0.0.1:{port}", timeout=5).send(EMAIL)


def test_sendgrid_timeout_is_transient() -> None:
    """An endpoint that never answers within the timeout is a transient failure."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # accepts the connection, never answers
        port = sock.getsockname()[1]
        with pytest.raises(TransientSendError):
            SendGridMailer("SG.k", host=f"http://127.0.0.1:{port}", timeout=0.5).send(EMAIL)


def test_make_mailer_builds_each_kind(
    tmp_path: Path, smtp_server: SmtpServer, sendgrid_api: SendGridApi
) -> None:
    """Configuration names a transport; each kind delivers."""
    make_mailer("file", path=tmp_path / "mail").send(EMAIL)
    make_mailer("smtp", host=smtp_server.host, port=smtp_server.port).send(EMAIL)
    make_mailer("sendgrid", api_key=sendgrid_api.api_key, host=sendgrid_api.url).send(EMAIL)
    assert len(mailbox.Maildir(tmp_path / "mail")) == 1
    assert len(smtp_server.messages) == 1
    assert len(sendgrid_api.requests) == 1
    with pytest.raises(ValueError, match="unknown transport"):
        make_mailer("pigeon")


@pytest.mark.parametrize("where", ["three/levels/down", "an-empty-folder"])
def test_maildir_is_made_where_nothing_is_yet(tmp_path: Path, where: str) -> None:
    """A fresh data folder (or an empty one someone made) becomes a working maildir."""
    (tmp_path / "an-empty-folder").mkdir()
    key = MaildirMailer(tmp_path / where).send(EMAIL)
    assert list(mailbox.Maildir(tmp_path / where, create=False).keys()) == [key]
