"""Delivery reports as mail servers write them, about our messages or about nothing of ours."""

from __future__ import annotations

from sqlalchemy import select

from mentormail.service import outbox, verp
from mentormail.service.models import OutboundMessage, Program
from tests.harness import PROGRAM_ADDRESS
from tests.harness import Program as ProgramBox


def report(
    to: str,
    recipient: str,
    *,
    status: str = "5.1.1",
    returned_message_id: str | None = None,
    n: int = 1,
) -> bytes:
    """An RFC 3464 report mailed to ``to`` about ``recipient``, optionally returning the
    headers of one message (its Message-ID)."""
    returned = f"Message-ID: {returned_message_id}\r\n" if returned_message_id else ""
    return (
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
        f"To: {to}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn-{n}-{recipient}@mx.example.net>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} user unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {PROGRAM_ADDRESS}\r\nTo: {recipient}\r\n{returned}\r\n--B--\r\n"
    ).encode()


def about(row: OutboundMessage, n: int = 1, status: str = "5.1.1") -> bytes:
    """A hard bounce of one of our messages, quoting its Message-ID, to the program address."""
    return report(
        PROGRAM_ADDRESS, row.to_addr, status=status, returned_message_id=row.message_id, n=n
    )


def via_verp(program: ProgramBox, row: OutboundMessage, n: int = 1) -> bytes:
    """A hard bounce mailed to the message's signed VERP return path (no headers returned)."""
    secret = program.services.config.secret_key
    return report(verp.bounce_address(row.id, "example.edu", secret), row.to_addr, n=n)


def mail_sent_to(program: ProgramBox, address: str, key: str) -> OutboundMessage:
    """An email of ours to the address, written and sent as any other."""
    with program.services.unit() as uow:
        found = uow.session.scalars(select(Program)).first()
        assert found is not None
        row_id = outbox.write(
            uow, outbox.Draft(program=found, template="unknown_sender", key=key, to_addr=address)
        )
        assert row_id is not None
    program.work()
    with program.services.sessions() as session:
        return session.get_one(OutboundMessage, row_id)
