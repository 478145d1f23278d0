"""`mentormail digest --now`: one digest at once, never the same one twice."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mentormail.app.cli import cli
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, JO, SAM, ask, days_pass
from tests.service.test_digest import COORDINATOR


def digest_now(program: Program) -> str:
    """`mentormail digest --program alumni-2026 --now`, its output."""
    done = CliRunner().invoke(
        cli, ["digest", "--program", "alumni-2026", "--now"], catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    program.work()
    return done.stdout


def digests(program: Program) -> int:
    """How many digests went to the coordinator."""
    return len(program.outbox(to=COORDINATOR, template="digest"))


pytestmark = pytest.mark.service


def test_a_digest_by_hand_twice_at_one_instant_is_sent_once_and_the_second_says_why(
    program: Program,
) -> None:
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))

    assert digest_now(program) == "1 digest written to the outbox\n"
    second = digest_now(program)

    assert second.splitlines()[0].startswith("alumni-2026: nothing new since its digest of ")
    assert second.splitlines()[0].endswith(" UTC; none sent")  # the program keeps UTC
    assert second.splitlines()[1] == "0 digests written to the outbox"
    assert digests(program) == 1


def test_a_digest_by_hand_later_with_nothing_new_is_not_sent_again(program: Program) -> None:
    digest_now(program)
    days_pass(program, 0.25)

    assert "nothing new" in digest_now(program)
    assert digests(program) == 1


def test_a_digest_by_hand_after_something_new_is_sent(program: Program) -> None:
    digest_now(program)
    program.deliver(
        email(f"Jo Kim <{JO}>", PROGRAM_ADDRESS, "I'd like to report a problem with a mentor")
    )

    assert digest_now(program).endswith("1 digest written to the outbox\n")
    assert digests(program) == 2
    assert "report" in program.outbox(to=COORDINATOR, template="digest")[-1].text.lower()


def test_a_digest_by_hand_says_when_the_last_one_went_on_the_programs_clock(
    program: Program,
) -> None:
    from mentormail.service.models import Program as ProgramRow

    with program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "timezone": "Pacific/Auckland"}
    digest_now(program)  # 1 October 2026, 09:00 UTC: 22:00 in Auckland
    said = digest_now(program).splitlines()[0]
    assert said == (
        "alumni-2026: nothing new since its digest of Thursday 1 October, 22:00 Auckland time; "
        "none sent"
    )
