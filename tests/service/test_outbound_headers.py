"""Every email we write threads, routes replies back, says it is automatic, and can be left."""

from __future__ import annotations

import re

import pytest

from tests.fakes import FakeMailer
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, JO, MENTOR_ADDRESSES, SAM, ask

pytestmark = pytest.mark.service

REPLY_TO = re.compile(r"^reply\+[0-9a-f]{24}@example\.edu$")
UNSUBSCRIBE = re.compile(
    r"<http[^>]+/a/[A-Za-z0-9_\-]+>, "
    r"<mailto:reply\+[0-9a-f]+@example\.edu\?subject=unsubscribe>"
)


def journey(program: Program) -> None:
    """Sam is declined by Ana, asks another, who is unsure then says yes; Jo searches."""
    program.deliver(reply_to(ask(program, SAM), ANA, "Sorry, I can't this year"))
    declined = program.last_to(SAM)
    program.post(declined.links["ask_1"])
    to_mentor = program.outbox(template="request_to_mentor")[-1]
    program.deliver(reply_to(to_mentor, to_mentor.to_addr, "Maybe later"))
    program.deliver(reply_to(program.last_to(to_mentor.to_addr), to_mentor.to_addr, "Yes"))
    program.deliver(email(JO, PROGRAM_ADDRESS, "software engineering in finance"))


def test_every_email_has_our_headers(program: Program) -> None:
    journey(program)
    rows = program.outbox()
    assert {r.template for r in rows} >= {
        "mentor_list",
        "request_to_mentor",
        "request_sent",
        "request_declined",
        "decline_confirmed",
        "did_you_mean",
        "intro_mentee",
        "intro_mentor",
    }
    ids = [r.message_id for r in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert re.fullmatch(r"<[^@<>\s]+@example\.edu>", row.message_id), row.message_id
        assert REPLY_TO.match(row.reply_to), row.reply_to
        assert row.from_addr == f"Alumni Mentor Program 2026-27 <{PROGRAM_ADDRESS}>"
        assert row.headers["Auto-Submitted"] == "auto-generated"
        unsubscribe = row.headers["List-Unsubscribe"]
        assert UNSUBSCRIBE.fullmatch(unsubscribe), unsubscribe
        assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert row.text.strip() and row.html.strip()


def test_the_transport_receives_the_same_headers(program: Program) -> None:
    journey(program)
    mailer = program.services.mailer()
    assert isinstance(mailer, FakeMailer)
    by_id = {r.message_id: r for r in program.outbox()}
    assert len(mailer.sent) == len(by_id)
    for sent in mailer.sent:
        row = by_id[sent.message_id]
        assert (sent.reply_to, sent.to_addr, sent.subject) == (
            row.reply_to,
            row.to_addr,
            row.subject,
        )
        assert sent.headers == row.headers


def test_mail_from_a_stranger_is_marked_automatic_and_has_no_reply_token(
    program: Program,
) -> None:
    program.deliver(email("pat@elsewhere.example.com", PROGRAM_ADDRESS, "Hi"))
    (row,) = program.outbox()
    assert row.headers == {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    assert row.reply_to == PROGRAM_ADDRESS
    assert re.fullmatch(r"<[^@<>\s]+@example\.edu>", row.message_id)


def test_no_mentor_address_reaches_a_mentee_before_a_match(program: Program) -> None:
    journey(program)
    to_mentees = [r for r in program.outbox() if r.to_addr in (SAM, JO)]
    intro = next(i for i, r in enumerate(to_mentees) if r.template == "intro_mentee")
    for row in to_mentees[:intro] + [r for r in to_mentees[intro + 1 :] if r.to_addr == JO]:
        whole = " ".join([row.subject, row.text, row.html, str(row.headers), str(row.links)])
        leaked = [a for a in MENTOR_ADDRESSES if a in whole]
        assert not leaked, (row.template, leaked)
