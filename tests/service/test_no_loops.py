"""Never answer a machine, and never more than one "we could not read that" a day."""

from __future__ import annotations

from tests.fakes import FakeClock
from tests.harness import PROGRAM_ADDRESS, Program, email

TOM = "tom.becker@alumni.example.edu"
SAM = "sam.rivera@student.example.edu"


def test_unreadable_mail_gets_at_most_one_could_not_read_a_day(program: Program) -> None:
    for text in ("Hmm, about the thing last week", "And also the other thing"):
        program.deliver(email(f"Tom <{TOM}>", PROGRAM_ADDRESS, text))
    assert [r.template for r in program.outbox(to=TOM)] == ["could_not_read"]
    clock = program.services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(days=1)
    program.deliver(email(f"Tom <{TOM}>", PROGRAM_ADDRESS, "One more thing"))
    assert [r.template for r in program.outbox(to=TOM)] == ["could_not_read"] * 2


def test_an_out_of_office_from_a_participant_is_never_answered(program: Program) -> None:
    before = program.snapshot()
    auto = email(
        f"Sam <{SAM}>",
        PROGRAM_ADDRESS,
        "I am away until Monday with limited access to email.",
        subject="Automatic reply: Mentors who match",
        headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
    )
    program.deliver(auto)
    assert program.snapshot() == before
    assert program.handled == ["ignored"]


def test_a_bounce_is_never_answered_and_one_about_no_message_of_ours_suppresses_no_one(
    program: Program,
) -> None:
    bounce = (
        b"From: MAILER-DAEMON@mx.example.edu (Mail Delivery System)\r\n"
        b"To: " + PROGRAM_ADDRESS.encode() + b"\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <bounce-1@mx.example.edu>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.edu\r\n\r\n"
        b"Final-Recipient: rfc822; " + SAM.encode() + b"\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n"
        b"Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n--B--\r\n"
    )
    before = len(program.outbox())
    program.deliver(bounce)
    assert len(program.outbox()) == before
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "data science mentor please"))
    assert program.last_to(SAM).status == "sent"  # see tests/security/test_forged_bounces.py
