"""A decline's alternatives cost few statements: the search version, the free mentors with
their active matches counted in the same query, their suppressions, and the offered mentors
loaded. A regression guard on the count (no timings): if a change adds a query, it says so."""

from __future__ import annotations

import pytest

from tests.harness import Program
from tests.service.steps import SAM, ask
from tests.service.test_link_statements import Counted

pytestmark = pytest.mark.service

SEARCH_STATEMENTS = 4  # were 5: the active matches had a query of their own
DECLINE_STATEMENTS = 24  # the click, the decision, the search, two emails and their sending


def test_a_decline_by_link_searches_for_alternatives_in_four_statements(program: Program) -> None:
    request = ask(program, SAM)
    counted = Counted(program)
    page = program.post(request.links["decline"])
    assert page.status == 200 and "told Sam Rivera kindly" in page.message
    said = [" ".join(s.split()) for s in counted.statements]
    asked = next(i for i, s in enumerate(said) if s.startswith("SELECT requests.mentor_id "))
    written = next(i for i, s in enumerate(said) if s.startswith("INSERT INTO outbound_messages"))
    assert written - asked - 1 == SEARCH_STATEMENTS, said[asked:written]
    assert len(said) <= DECLINE_STATEMENTS, said
