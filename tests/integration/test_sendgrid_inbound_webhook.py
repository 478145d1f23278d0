"""SendGrid Inbound Parse (raw mode) over real HTTP: authenticated, lossless, up to 30 MB."""

from __future__ import annotations

import base64
import http.client
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from mentormail.service.models import InboundMessage
from tests.e2e.conftest import WebServer
from tests.harness import Program, make_services

SECRET = "s3cret-inbound"


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[Program, WebServer]]:
    """The example program behind a real HTTP server, on SQLite and on PostgreSQL."""
    server = WebServer()
    services = make_services(database_url, tmp_path, inbound_secret=SECRET, base_url=server.url)
    program = Program.start(services)
    server.serve(create_app(services))
    yield program, server
    server.stop()
    bootstrap.install(None)


def post(server: WebServer, raw: bytes, password: str | None = SECRET) -> tuple[int, bytes]:
    """POST a raw message as SendGrid's raw-mode multipart form."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\n'
            f"mentors@example.edu\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n'
        ).encode()
        + raw
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if password is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"sg:{password}".encode()).decode()
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    conn.request("POST", "/webhooks/sendgrid/inbound", body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def stored(program: Program) -> list[InboundMessage]:
    """Every stored inbound message."""
    with program.services.sessions() as session:
        return list(session.scalars(select(InboundMessage)))


def latin1_mail(size: int = 0) -> bytes:
    """An 8-bit ISO-8859-1 message (bytes that are not UTF-8), padded to about ``size``."""
    head = (
        b"From: Ren\xe9 <rene@example.org>\r\nTo: mentors@example.edu\r\n"
        b"Subject: Caf\xe9\r\nMessage-ID: <" + uuid.uuid4().hex.encode() + b"@example.org>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Bonjour, je cherche un mentor \xe0 Montr\xe9al.\r\n"
    )
    padding = (b"x" * 76 + b"\r\n") * max(0, (size - len(head)) // 78)
    return head + padding


def test_raw_mail_is_stored_byte_for_byte(served: tuple[Program, WebServer]) -> None:
    program, server = served
    raw = latin1_mail()
    status, _ = post(server, raw)
    assert status == 200
    assert stored(program)[0].raw == raw


def test_a_29_megabyte_message_is_accepted_whole(served: tuple[Program, WebServer]) -> None:
    program, server = served
    raw = latin1_mail(29 * 1024 * 1024)
    status, _ = post(server, raw)
    assert status == 200
    [row] = stored(program)
    assert row.size == len(raw) and row.raw == raw


def test_mail_over_the_limit_is_refused_with_413_and_nothing_is_stored(
    served: tuple[Program, WebServer],
) -> None:
    program, server = served
    status, _ = post(server, latin1_mail(32 * 1024 * 1024))
    assert status == 413
    assert stored(program) == []


def test_without_the_secret_nothing_is_stored(served: tuple[Program, WebServer]) -> None:
    program, server = served
    assert post(server, latin1_mail(), password=None)[0] == 401
    assert post(server, latin1_mail(), password="guess")[0] == 401
    assert stored(program) == []


def test_the_same_message_twice_is_stored_once(served: tuple[Program, WebServer]) -> None:
    program, server = served
    raw = latin1_mail()
    post(server, raw)
    status, body = post(server, raw)
    assert status == 200 and b'"duplicate":true' in body.replace(b" ", b"")
    assert len(stored(program)) == 1
