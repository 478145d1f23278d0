"""A coordinator ends someone's participation for conduct: every match ends, partners are told
kindly (never why), the person leaves searches, and the record keeps who and why."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mentormail.app.cli import cli
from mentormail.service.models import ParticipationEnd
from tests.email_checks import flat
from tests.harness import Program
from tests.service.pair_steps import matched, the_match
from tests.service.steps import ANA, JO, SAM, search

pytestmark = pytest.mark.service

REASON = "Repeated inappropriate messages to the mentee (report #12)"


def end_participation(program: Program, *args: str) -> str:
    """Run the coordinators' command against the test program; its output."""
    result = CliRunner().invoke(cli, ["end-participation", *args], catch_exceptions=False)
    program.work()
    assert result.exit_code == 0, result.output
    return result.output


def test_ending_a_mentors_participation_ends_their_matches_and_tells_partners_kindly(
    program: Program,
) -> None:
    matched(program)

    output = end_participation(
        program, ANA, "--reason", REASON, "--by", "dana@example.edu", "--json"
    )

    record = json.loads(output)
    assert record["participant"] == ANA and record["matches_ended"] == 1
    assert record["by"] == "dana@example.edu" and record["reason"] == REASON
    pair = the_match(program)
    assert (pair.state, pair.end_reason) == ("ended", "conduct")
    to_sam = program.last_to(SAM)
    assert to_sam.template == "partner_left"
    assert "Ana Lima is no longer taking part" in flat(to_sam.text)
    assert "We're sorry it ended early" in flat(to_sam.text)
    assert "anything you did" not in flat(to_sam.text)  # the program can't know that
    assert "inappropriate" not in to_sam.text and "report" not in to_sam.subject.lower()
    assert program.last_to(ANA).template == "removed_from_program"
    assert "write to the coordinators at coordinator@example.edu" in flat(program.last_to(ANA).text)
    assert "Ana Lima" not in flat(search(program, JO, "data science statistics").text)
    with program.services.sessions() as session:
        kept = session.scalars(select(ParticipationEnd)).one()
        assert (kept.reason, kept.ended_by, kept.matches_ended) == (REASON, "dana@example.edu", 1)


def test_the_command_says_what_it_did_and_refuses_someone_already_gone(program: Program) -> None:
    matched(program)
    said = end_participation(program, SAM, "--reason", "Harassment reported by the mentor")
    assert "1 match ended, each partner told kindly (not why)" in said

    again = CliRunner().invoke(cli, ["end-participation", SAM, "--reason", "again"])
    assert again.exit_code != 0
    assert "no longer taking part" in str(again.exception)
