"""Bad input is stored, read as far as it can be, and never crashes the worker."""

from __future__ import annotations

import os

from sqlalchemy import select

from mentormail.service.models import Attention, InboundMessage
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program

SAM = "sam.rivera@student.example.edu"


def stored(program: Program) -> list[InboundMessage]:
    """Every inbound row, oldest first."""
    with program.services.sessions() as session:
        return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def test_random_bytes_are_stored_and_nobody_is_answered(program: Program) -> None:
    garbage = os.urandom(4096)
    program.deliver(garbage)
    [row] = stored(program)
    assert row.raw == garbage and row.status in ("ignored", "unknown_sender", "processed")
    assert program.outbox() == []


def test_a_message_with_500_attachments_from_a_mentee_is_read(program: Program) -> None:
    parts = [
        f"--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
        f'filename="f{i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n'
        for i in range(500)
    ]
    raw = (
        f"From: Sam <{SAM}>\r\nTo: {PROGRAM_ADDRESS}\r\nSubject: files\r\n"
        "Message-ID: <many@student.example.edu>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Looking for a mentor in healthcare\r\n" + "".join(parts) + "--B--\r\n"
    ).encode()
    program.deliver(raw)
    [row] = stored(program)
    assert row.status == "processed" and row.kind == "human"
    assert program.last_to(SAM).template == "mentor_list"


def test_mime_with_a_broken_charset_and_no_boundary_is_still_understood(program: Program) -> None:
    raw = (
        f"From: Sam <{SAM}>\r\nTo: {PROGRAM_ADDRESS}\r\nSubject: =?x-unknown?Q?caf=E9?=\r\n"
        "Message-ID: <broken@student.example.edu>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/alternative\r\n\r\n"
        "Looking for a mentor in nursing \xe9\r\n"
    ).encode("latin-1")
    program.deliver(raw)
    [row] = stored(program)
    assert row.status == "processed"
    assert "nursing" in (row.reply_text or "")
    assert "Grace Okafor" in flat(program.last_to(SAM).text)


def test_mail_over_the_size_limit_is_kept_aside_for_a_person(program: Program) -> None:
    limit = program.services.config.inbound_max_bytes
    raw = (
        f"From: Sam <{SAM}>\r\nTo: {PROGRAM_ADDRESS}\r\nSubject: big\r\n"
        "Message-ID: <big@student.example.edu>\r\n\r\n"
    ).encode() + b"x" * (limit + 10)
    program.deliver(raw)
    [row] = stored(program)
    assert row.status == "quarantined" and row.raw == raw
    assert program.outbox() == []
    with program.services.sessions() as session:
        [item] = session.scalars(select(Attention)).all()
    assert "over the size limit" in item.reason and SAM in item.reason
