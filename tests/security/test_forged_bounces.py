"""A delivery report counts only when it is about a message we sent to that address; one
alone never silences a person; the coordinators see it; ``unsuppress`` lifts it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from mentormail.service import verp
from mentormail.service.models import Suppression
from tests.harness import PROGRAM_ADDRESS, Program, email
from tests.security.bounces import about, mail_sent_to, report, via_verp
from tests.service.steps import ANA, JO, SAM, TOM, ask, attention, count_rows

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("victim", [ANA, SAM, "coordinator@example.edu"])
def test_a_report_that_merely_names_an_address_silences_no_one(
    program: Program, victim: str
) -> None:
    mail_sent_to(program, victim, "earlier")  # we did mail them, but the report quotes nothing
    for n in range(3):
        program.deliver(report(PROGRAM_ADDRESS, victim, n=n))

    assert count_rows(program, Suppression) == 0
    assert attention(program) == []
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "data science mentor please"))
    assert program.last_to(SAM).status == "sent"


def test_a_report_quoting_our_message_to_someone_else_counts_for_no_one(program: Program) -> None:
    to_sam = mail_sent_to(program, SAM, "to-sam")
    forged = report(PROGRAM_ADDRESS, ANA, returned_message_id=to_sam.message_id)
    program.deliver(forged)
    program.deliver(forged.replace(b"dsn-1", b"dsn-2"))
    assert count_rows(program, Suppression) == 0


def test_a_forged_verp_signature_counts_for_nothing(program: Program) -> None:
    row = mail_sent_to(program, TOM, "to-tom")
    real = verp.bounce_address(row.id, "example.edu", program.services.config.secret_key)
    forged = real.split(".")[0] + ".0123456789abcdef@example.edu"
    program.deliver(report(forged, TOM, n=1))
    program.deliver(report(forged, TOM, n=2))
    assert attention(program) == []


def test_one_real_bounce_tells_coordinators_and_a_second_suppresses(program: Program) -> None:
    first = mail_sent_to(program, TOM, "one")
    program.deliver(about(first, n=1))
    program.deliver(about(first, n=2))  # the same message reported again counts once

    assert count_rows(program, Suppression) == 0
    (flag,) = attention(program)
    assert flag.reason.startswith(f"mail to Tom Becker <{TOM}> bounced (5.1.1)")
    assert "one more bounce, or the provider's report, stops mail to it" in flag.reason

    second = mail_sent_to(program, TOM, "two")
    assert second.status == "sent"  # one bounce never silenced him
    program.deliver(via_verp(program, second, n=3))

    assert count_rows(program, Suppression) == 1
    assert attention(program)[-1].reason == (
        f"mail to Tom Becker <{TOM}> bounced for good again; address suppressed"
        f" (mentormail unsuppress {TOM})"
    )
    assert mail_sent_to(program, TOM, "three").status == "suppressed"


def test_a_bounced_request_tells_the_mentee_at_once(program: Program) -> None:
    request = ask(program, JO, "Tom Becker", "software engineering")
    program.deliver(via_verp(program, request))
    assert program.last_to(JO).template == "request_undeliverable"
    assert count_rows(program, Suppression) == 0


def test_unsuppress_lifts_it_and_forgets_the_reports(program: Program) -> None:
    for key in ("a", "b"):
        program.deliver(about(mail_sent_to(program, TOM, key), n=ord(key)))
    assert count_rows(program, Suppression) == 1
    bootstrap.install(program.services)
    runner = CliRunner()

    done = runner.invoke(cli, ["unsuppress", TOM.upper(), "--json"])
    again = runner.invoke(cli, ["unsuppress", TOM])

    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"email": TOM, "lifted": True}
    assert again.output.strip() == f"{TOM} was not suppressed; nothing changed"
    assert count_rows(program, Suppression) == 0
    assert mail_sent_to(program, TOM, "c").status == "sent"
    program.deliver(about(program.last_to(TOM), n=9))  # the old reports are forgotten
    assert count_rows(program, Suppression) == 0
