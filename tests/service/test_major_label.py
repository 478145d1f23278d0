"""The participants file's ``major`` column, named as the program means it: a university's
"field of study", a company's "team" (``major_label``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentormail.service.models import Program as ProgramRow
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.pair_steps import newest
from tests.service.steps import ANA, SAM, ask

pytestmark = pytest.mark.service


def labelled(program: Program, label: str) -> Program:
    """The example program, calling the major column ``label``."""
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "major_label": label}
    return program


def test_a_university_mentor_reads_the_mentees_field_of_study(program: Program) -> None:
    request = ask(program, SAM)
    assert "- Field of study: Biostatistics" in request.text
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    assert "Sam's field of study: Biostatistics" in flat(newest(program, ANA, "intro_mentor").text)


def test_a_company_mentor_reads_the_mentees_team_not_a_field_of_study(program: Program) -> None:
    program = labelled(program, "team")
    request = ask(program, SAM)
    assert "- Team: Biostatistics" in request.text
    assert "field of study" not in request.text.lower()
    program.deliver(reply_to(request, ANA, "Sorry, I can't this year."))

    request = ask(program, SAM, "Grace Okafor")
    program.deliver(reply_to(request, "grace.okafor@alumni.example.edu", "Yes, happy to!"))
    intro = flat(newest(program, "grace.okafor@alumni.example.edu", "intro_mentor").text)
    assert "Sam's team: Biostatistics" in intro and "field of study" not in intro
