"""Where coordinators make the pairs (``matching: coordinator``), a mentee's wish goes to them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentormail.service.models import Attention
from mentormail.service.models import Program as ProgramRow
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email

pytestmark = pytest.mark.service

SAM = "sam.rivera@student.example.edu"
WISH = "Hello, I'm looking for a mentor in data science or healthcare."


def matching(program: Program, who: str) -> None:
    """The coordinators set the program's ``matching`` key."""
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "matching": who}


def test_a_mentees_wish_is_a_search_where_mentees_search(program: Program) -> None:
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, WISH))
    assert program.last_to(SAM).template == "mentor_list"


def test_where_coordinators_pair_a_mentees_wish_goes_to_them_and_no_list_is_sent(
    program: Program,
) -> None:
    matching(program, "coordinator")
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, WISH))
    assert not program.outbox(to=SAM, template="mentor_list")
    told = program.last_to(SAM)
    assert told.template == "wish_for_pairing"
    assert told.subject == "Your wish for a mentor is with the coordinators"
    text = flat(told.text)
    assert "the coordinators pair each mentee with a mentor themselves" in text
    assert "you'll get an email introducing them and asking whether you'd like to go ahead" in text
    assert "“pause”" not in text  # a mentee's "pause" stops nothing: it is not offered
    with program.services.sessions() as session:
        item = session.scalars(select(Attention).order_by(Attention.id.desc())).first()
        assert item is not None and item.reason.endswith("(mentee) would like a mentor")
        assert "data science or healthcare" in item.detail


def test_where_both_pair_a_mentee_still_searches(program: Program) -> None:
    matching(program, "both")
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, WISH))
    assert program.last_to(SAM).template == "mentor_list"


def test_a_mentee_asking_a_coordinator_for_help_reaches_them_and_no_mentor_reads_it(
    program: Program,
) -> None:
    plea = (
        "it isn't really working for me - I haven't found anyone yet and the coffee morning "
        "clashes with my lab. Could a coordinator help?"
    )
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, plea))
    assert not program.outbox(to=SAM, template="mentor_list")
    assert program.last_to(SAM).template == "problem_reported"
    with program.services.sessions() as session:
        item = session.scalars(select(Attention).order_by(Attention.id.desc())).first()
        assert item is not None and item.urgent and "coffee morning" in item.detail
