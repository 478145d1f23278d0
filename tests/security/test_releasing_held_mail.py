"""Mail held because it failed DMARC: the coordinator sees it, releases it (it then acts
exactly once) or discards it (it never acts), through the CLI, audited."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from mentormail.service.models import CoordinatorAction, InboundMessage, OutboundMessage
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.security.test_dedupe_across_the_upgrade import message_id_of
from tests.security.test_no_token_no_change import DMARC_FAIL
from tests.service.steps import ANA, SAM, ask, attention

pytestmark = pytest.mark.integration


def held_yes(program: Program) -> tuple[int, str]:
    """Ana's yes to Sam's request, arriving with a DMARC failure: its number and Message-ID."""
    raw = reply_to(ask(program, SAM), ANA, "Yes, happy to!")
    message_id = message_id_of(raw)
    inbound_id = program.deliver(b"Authentication-Results: " + DMARC_FAIL.encode() + b"\r\n" + raw)
    assert program.handled[-1] == "held" and program.snapshot()["matches"] == 0
    return inbound_id, message_id


def run(program: Program, *args: str) -> Result:
    """A mentormail command, then whatever it queued, as a worker would run it."""
    bootstrap.install(program.services)
    result = CliRunner().invoke(cli, list(args))
    program.work()
    return result


def audit(program: Program) -> list[tuple[str, str, int | None]]:
    """The coordinators' audit: (command, who, which mail)."""
    with program.services.sessions() as session:
        rows = session.scalars(select(CoordinatorAction).order_by(CoordinatorAction.id))
        return [(r.command, r.address.split(":")[0], r.inbound_id) for r in rows]


def status(program: Program, inbound_id: int) -> str:
    """What became of a stored message."""
    with program.services.sessions() as session:
        return session.get_one(InboundMessage, inbound_id).status


def test_a_released_yes_acts_once_and_sam_is_introduced(program: Program) -> None:
    inbound_id, message_id = held_yes(program)
    shown = run(program, "attention").output
    assert f"mentormail release {inbound_id} lets it act" in shown
    (listed,) = [json.loads(line) for line in run(program, "held", "--json").output.splitlines()]
    assert listed["id"] == inbound_id and listed["message_id"] == message_id
    assert listed["from"] == ANA and "happy to" in listed["text"]

    released = run(program, "release", message_id)

    assert released.exit_code == 0, released.output
    assert f"inbound #{inbound_id} from {ANA} released" in released.output
    assert program.snapshot()["matches"] == 1 and status(program, inbound_id) == "processed"
    intro = program.last_to(SAM)
    assert intro.template == "intro_mentee"
    assert "LinkedIn: linkedin.com/in/ana-lima-example" in flat(intro.text)
    assert not [item for item in attention(program) if not item.resolved]
    assert audit(program) == [("release", "cli", inbound_id)]

    again = run(program, "release", str(inbound_id))

    assert again.exit_code == 1 and "is not held" in again.output
    assert program.snapshot()["matches"] == 1
    with program.services.sessions() as session:
        closed = session.scalars(
            select(OutboundMessage).where(OutboundMessage.template == "request_already_closed")
        ).all()
    assert closed == [] and run(program, "held").output == ""


def test_a_discarded_message_never_acts(program: Program) -> None:
    inbound_id, _ = held_yes(program)
    before = program.snapshot()

    dropped = run(program, "discard", f"#{inbound_id}")

    assert dropped.exit_code == 0, dropped.output
    assert "discarded; nothing done" in dropped.output
    assert program.snapshot() == before and status(program, inbound_id) == "discarded"
    assert audit(program) == [("discard", "cli", inbound_id)]
    assert run(program, "release", str(inbound_id)).exit_code == 1
    assert program.snapshot() == before


def test_only_mail_held_for_dmarc_can_be_released(program: Program) -> None:
    request = ask(program, SAM)
    inbound_id = program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    refused = run(program, "release", str(inbound_id))
    assert refused.exit_code == 1 and "is not held for failing DMARC (processed)" in refused.output
    assert audit(program) == []
