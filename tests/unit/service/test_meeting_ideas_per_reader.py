"""A check-in's meeting idea is worded for whoever reads it: "you" to one side, the
partner's first name to the other, never "the mentee" to the mentee."""

from __future__ import annotations

import pytest

from mentormail.service.checkins import built_in_ideas
from mentormail.service.rendering import addressed

pytestmark = pytest.mark.unit

ANA, SAM = {"first_name": "Ana"}, {"first_name": "Sam"}


@pytest.mark.parametrize("reader", ["mentor", "mentee"])
def test_no_built_in_idea_speaks_of_its_reader_in_the_third_person(reader: str) -> None:
    for key, idea in built_in_ideas().items():
        read = addressed(idea, reader, ANA, SAM)
        assert "{" not in read and "}" not in read, key
        assert "the mentor" not in read.lower() and "the mentee" not in read.lower(), key
        assert read[0].isupper(), key


def test_the_shadowing_idea_reads_from_each_side() -> None:
    idea = built_in_ideas()["shadow-a-meeting"]
    assert addressed(idea, "mentor", ANA, SAM).startswith(
        "If your work allows it, Sam could shadow you at a meeting"
    )
    assert addressed(idea, "mentee", ANA, SAM).startswith(
        "If Ana's work allows it, you could shadow Ana at a meeting"
    )


def test_a_programs_own_idea_without_names_is_kept_as_written() -> None:
    own = "Visit the campus library's careers corner {together}."
    assert addressed(own, "mentee", ANA, SAM) == own


def test_a_programs_own_placeholders_in_any_case_and_apostrophe_read_for_the_reader() -> None:
    own = "{Mentor} could ask about {mentee}’s plans. {mentor's} advice first."
    assert (
        addressed(own, "mentee", ANA, SAM) == "Ana could ask about your plans. Ana's advice first."
    )
    assert (
        addressed(own, "mentor", ANA, SAM) == "You could ask about Sam’s plans. Your advice first."
    )
