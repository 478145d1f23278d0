"""A soft bounce resends the very message that failed; a delay notice resends nothing."""

from __future__ import annotations

from tests.harness import PROGRAM_ADDRESS, Program, email

SAM = "sam.rivera@student.example.edu"


def dsn(action: str, status: str, message_id: str | None, n: int) -> bytes:
    """An RFC 3464 report for Sam, returning the headers of the failed message."""
    returned = f"Message-ID: {message_id}\r\n" if message_id else ""
    return (
        "From: MAILER-DAEMON@mx.student.example.edu\r\n"
        f"To: {PROGRAM_ADDRESS}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn-{n}@mx.student.example.edu>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mailbox is full.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.student.example.edu\r\n\r\n"
        f"Final-Recipient: rfc822; {SAM}\r\nAction: {action}\r\nStatus: {status}\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {PROGRAM_ADDRESS}\r\nTo: {SAM}\r\n{returned}\r\n--B--\r\n"
    ).encode()


def sent_list(program: Program) -> str:
    """Sam searches; the list is sent; its Message-ID."""
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "a mentor in healthcare please"))
    row = program.last_to(SAM)
    assert row.status == "sent"
    return row.message_id


def test_a_failed_soft_bounce_resends_the_message_it_names(program: Program) -> None:
    message_id = sent_list(program)
    program.deliver(dsn("failed", "4.2.2", message_id, 1))
    row = program.last_to(SAM)
    assert row.message_id == message_id and row.status == "retry"
    assert row.next_attempt_at is not None


def test_a_delay_notice_resends_nothing(program: Program) -> None:
    message_id = sent_list(program)
    program.deliver(dsn("delayed", "4.4.7", message_id, 2))
    assert program.last_to(SAM).status == "sent"


def test_a_soft_bounce_that_names_no_message_of_ours_resends_nothing(program: Program) -> None:
    sent_list(program)
    program.deliver(dsn("failed", "4.2.2", None, 3))
    assert program.last_to(SAM).status == "sent"
