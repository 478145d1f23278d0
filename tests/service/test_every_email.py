"""Every email a person can receive, written by a realistic term through the service's doors,
is rendered at least once and reads well: no empty placeholders, no internal words, no past
deadlines, no cut subjects (the rules are in tests/email_checks.py)."""

from __future__ import annotations

import pytest

from mentormail.service.rendering import message_names
from tests import journey
from tests.email_checks import problems
from tests.harness import Program

pytestmark = pytest.mark.service


@pytest.fixture
def term(database_url: str, tmp_path) -> Program:  # type: ignore[no-untyped-def]
    """The example program with four more mentees, before anything happens."""
    from mentormail.app import bootstrap
    from tests.harness import make_services

    services = make_services(database_url, tmp_path)
    yield Program.start(services, journey.people_csv())
    bootstrap.install(None)


def test_the_journey_renders_every_template_and_each_reads_well(term: Program) -> None:
    said = journey.run(term)
    rows = term.outbox()
    rendered = {row.template for row in rows}

    missing = set(message_names()) - rendered - set(journey.UNREACHABLE)
    assert not missing, f"no journey step renders: {sorted(missing)}"
    assert not set(journey.UNREACHABLE) & rendered, "reachable now: remove from UNREACHABLE"

    found = [
        f"{row.template} to {row.to_addr}: {problem}"
        for row in rows
        for problem in problems(row.subject, row.text, row.html, row.created_at, said)
    ]
    assert not found, "\n".join(found)

    to_coordinators = [row for row in rows if row.to_addr == journey.COORDINATOR]
    assert to_coordinators
    for row in to_coordinators:  # they coordinate the program: they do not take part in it
        assert "you coordinate" in row.text and "you take part" not in row.text, row.template
        assert "you take part" not in row.html and "“stop”" not in row.html, row.template
    assert not [row.template for row in rows if "`" in row.html]  # commands are <code>
