"""Matching by the program: who is proposed to whom, from the participants' own preferences."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentormail.service import pairing
from mentormail.service.models import Program as ProgramRow
from mentormail.service.programs import import_participants
from tests.harness import Program, make_services, reply_to
from tests.service.steps import ask

pytestmark = pytest.mark.service

PEOPLE = (Path(__file__).parents[1] / "fixtures" / "matching_people.csv").read_text()


@pytest.fixture
def cohort(database_url: str, tmp_path: Path) -> Program:
    """The example program with people who gave preferences."""
    return Program.start(make_services(database_url, tmp_path), PEOPLE)


def proposal_of(cohort: Program) -> dict[str, object]:
    with cohort.services.sessions() as session:
        program = session.query(ProgramRow).one()
        return pairing.as_json(pairing.preview(session, program))


def test_each_mentee_is_proposed_the_mentor_their_preferences_point_to(cohort: Program) -> None:
    found = proposal_of(cohort)
    assert {(p["mentee"], p["mentor"]) for p in found["pairs"]} == {  # type: ignore[index]
        ("jo.kim@student.example.edu", "tom.becker@alumni.example.edu"),
        ("sam.rivera@student.example.edu", "ana.lima@alumni.example.edu"),
        ("maya.patel@student.example.edu", "grace.okafor@alumni.example.edu"),
    }
    jo = next(p for p in found["pairs"] if p["mentee"].startswith("jo."))  # type: ignore[index,union-attr]
    assert "wants: software engineering" in jo["reasons"]
    assert found["unmatched"] == [
        {
            "mentee": "lee.park@student.example.edu",
            "why": "no mentor shares anything they asked for (or those who do are avoided)",
        }
    ]


def test_a_mentee_waiting_on_a_request_is_not_proposed_and_a_pair_asked_before_never(
    cohort: Program,
) -> None:
    jo = "jo.kim@student.example.edu"
    to_tom = ask(cohort, jo, "Tom Becker", "software engineering in finance")
    waiting = proposal_of(cohort)
    assert jo not in {p["mentee"] for p in waiting["pairs"]}  # type: ignore[index]
    assert jo not in {u["mentee"] for u in waiting["unmatched"]}  # type: ignore[index]

    cohort.deliver(reply_to(to_tom, "tom.becker@alumni.example.edu", "Sorry, I can't this year"))
    declined = proposal_of(cohort)
    assert (jo, "tom.becker@alumni.example.edu") not in {
        (p["mentee"], p["mentor"])
        for p in declined["pairs"]  # type: ignore[index]
    }
    assert jo in {p["mentee"] for p in declined["pairs"]} | {  # type: ignore[index]
        u["mentee"]
        for u in declined["unmatched"]  # type: ignore[index]
    }


def test_a_bad_preference_is_reported_with_its_line(cohort: Program) -> None:
    bad = PEOPLE.splitlines()[0] + "\nx@student.example.edu,X,mentee,,,,,,,,,,,,,not-an-email,\n"
    with cohort.services.unit_of_work() as session:
        program = session.query(ProgramRow).one()
        report = import_participants(session, program, bad)
    assert report.errors == [
        (2, "prefer must list email addresses separated by ;, not 'not-an-email'")
    ]
