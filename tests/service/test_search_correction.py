"""A mentee who corrects their search is answered for the words they meant."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import SAM, number_of, search

pytestmark = pytest.mark.service


def test_a_corrected_search_searches_the_words_meant_not_the_apology_or_the_words_taken_back(
    program: Program,
) -> None:
    listing = search(program, SAM, "Looking for a mentor in data entry")

    program.deliver(reply_to(listing, SAM, "sorry, I meant data science, not data entry"))

    again = program.last_to(SAM)
    assert again.template == "mentor_list"
    assert again.subject == "Mentors who match “data science”"
    assert "what you wrote (“data science”)" in flat(again.text)
    assert number_of(again, "Ana Lima") == 1
