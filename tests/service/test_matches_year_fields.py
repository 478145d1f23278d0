"""`matches --json` shows what the year did to each pair: agreement and goals, extension,
how it ended, and its outcome."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mentormail.app.cli import cli
from mentormail.service.models import Program as ProgramRow
from tests.harness import Program, reply_to
from tests.service.pair_steps import matched, newest
from tests.service.steps import ANA, SAM, every_day_until

pytestmark = pytest.mark.service


def matches_json(program: Program) -> list[dict[str, Any]]:
    """`mentormail matches --json`, read."""
    result = CliRunner().invoke(cli, ["matches", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def at(program: Program, when: datetime) -> None:
    """The clock moves on to ``when``, the sweep running every day on the way."""
    every_day_until(program, when)


def test_a_new_match_has_no_agreement_ending_or_outcome_yet(program: Program) -> None:
    matched(program)
    (row,) = matches_json(program)
    assert row["ends_on"] == "2027-06-30" and row["extended"] is False
    assert (row["agreement"], row["goals"], row["ending"], row["outcome"]) == (
        "none",
        [],
        None,
        None,
    )


def test_goals_and_an_ending_by_the_mentor(program: Program) -> None:
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "agreement": True}
    matched(program)
    at(program, datetime(2026, 10, 1, 9, 5))
    program.deliver(
        reply_to(newest(program, SAM, "agreement_ask"), SAM, "- Learn SQL\n- Two mock interviews")
    )
    assert matches_json(program)[0]["agreement"] == "draft"
    program.deliver(reply_to(newest(program, ANA, "agreement_draft"), ANA, "Looks good!"))
    program.deliver(reply_to(newest(program, ANA, "intro_mentor"), ANA, "END"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "4"))
    program.post(program.last_to(ANA).links["end_send"])

    (row,) = matches_json(program)
    assert row["agreement"] == "agreed"
    assert row["goals"] == ["Learn SQL", "Two mock interviews"]
    assert row["state"] == "ended"
    assert row["ending"]["reason"] == "no_fault" and row["ending"]["by"] == "mentor"


def test_a_continued_match_and_a_concluded_one(program: Program) -> None:
    matched(program)
    at(program, datetime(2027, 6, 9, 9, 0))
    program.deliver(reply_to(newest(program, SAM, "wrapup_question"), SAM, "end"))
    at(program, datetime(2027, 7, 1, 9, 0))
    program.deliver(
        reply_to(
            newest(program, SAM, "conclusion_question"),
            SAM,
            "An internship offer.\nNext steps: finish my degree; no new mentor for now.",
        )
    )
    (row,) = matches_json(program)
    assert row["ending"]["reason"] == "term_end"
    assert row["outcome"] == {
        "achieved": {"mentee": "An internship offer.", "mentor": None},
        "next_steps": "finish my degree; no new mentor for now.",
        "mentor_again": None,
    }
