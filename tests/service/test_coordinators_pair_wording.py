"""Where coordinators make the pairs (``matching: coordinator``), no email tells a mentee to
search, to reply with search words, or to ask a mentor: they read that the coordinators
will propose someone, and a mentor reads that the coordinators may propose a new mentee
to them. Where mentees search, the same emails still say how to search and be found."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mentormail.service import coordinator_commands
from mentormail.service.models import Match
from mentormail.service.models import Program as ProgramRow
from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, make_services, reply_to
from tests.service.pair_steps import matched, newest
from tests.service.steps import ANA, SAM, ask, days_pass
from tests.service.test_digest import COORDINATOR, until
from tests.service.test_proposals import JO, MORE, PEOPLE, TOM

pytestmark = pytest.mark.service

SELF_SERVICE = (
    "search",
    "send you names",
    "send you more names",
    "list of mentors",
    "mentors you could ask",
    "ask another",
    "ask someone else",
    "with their number",
    "“Ask” link",
)
PROPOSE = "the coordinators pair each mentee with a mentor, and they'll propose someone to you"


def matching(program: Program, who: str) -> None:
    """The coordinators set the program's ``matching`` key."""
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "matching": who}


def no_self_service(text: str) -> None:
    """The mentee is not told to search or ask a mentor themselves."""
    for words in SELF_SERVICE:
        assert words not in text, f"{words!r} in: {text}"


def test_a_mentee_whose_proposals_all_end_in_no_is_only_ever_told_the_coordinators_propose(
    database_url: str, tmp_path: Path
) -> None:
    program = Program.start(make_services(database_url, tmp_path), PEOPLE + MORE)
    matching(program, "coordinator")
    sweep(program.services)  # the program's first digest date is set
    program.deliver(
        email(f"Jo Kim <{JO}>", PROGRAM_ADDRESS, "Hello, I'm looking for a mentor in fintech.")
    )
    until(program, datetime(2026, 10, 5, 8, 0))
    digest = program.outbox(to=COORDINATOR, template="digest")[-1]
    program.deliver(reply_to(digest, COORDINATOR, f"match {JO} with {TOM}"))
    for _ in range(5):  # each mentor proposed to Jo says no, until no one is left
        if program.last_to(JO).template != "proposal_to_mentee":
            break
        to_mentor = program.outbox(template="proposal_to_mentor")[-1]
        program.deliver(reply_to(to_mentor, to_mentor.to_addr, "No, sorry, not this time."))

    got = program.outbox(to=JO)
    assert [r.template for r in got][:3] == [
        "wish_for_pairing",
        "proposal_to_mentee",
        "proposal_not_going_ahead",
    ]
    assert got[-1].template == "proposal_none_left"
    for row in got:
        no_self_service(flat(row.text))
    assert "We're looking for another mentor for you now, and will email you when we have one" in (
        flat(program.outbox(to=JO, template="proposal_not_going_ahead")[-1].text)
    )
    assert "The program's coordinators have been told and will be in touch." in flat(got[-1].text)


def _ended_by_coordinators(program: Program, who: str) -> None:
    """Sam and Ana are matched in a program of that kind, and the coordinators end it."""
    pair = matched(program)
    matching(program, who)
    with program.services.unit() as uow:
        said, done = coordinator_commands.end_match(
            uow, uow.session.get_one(Match, pair.id), "a conflict"
        )
    program.work()
    assert done, said


@pytest.mark.parametrize("who", ["coordinator", "self"])
def test_a_mentee_whose_match_the_coordinators_end_reads_what_comes_next_in_their_program(
    program: Program, who: str
) -> None:
    _ended_by_coordinators(program, who)
    text = flat(program.outbox(to=SAM, template="match_ended_by_coordinators")[-1].text)
    if who == "coordinator":
        assert PROPOSE in text
        no_self_service(text)
    else:
        assert PROPOSE not in text
        assert "mentors" in text and ("Ask" in text or "send you names" in text)


@pytest.mark.parametrize("who", ["coordinator", "self"])
def test_a_mentee_whose_request_closes_unanswered_reads_what_comes_next_in_their_program(
    program: Program, who: str
) -> None:
    ask(program, SAM)  # asked before the program's coordinators took the pairing over
    matching(program, who)
    days_pass(program, 11)
    told = program.outbox(to=SAM, template="request_expired")[-1]
    text = flat(told.text)
    if who == "coordinator":
        assert told.subject == "Ana Lima didn't answer in time"
        assert (
            "Ana Lima hasn't been able to answer your request within 10 days, so the request"
            " is closed."
        ) in text
        assert PROPOSE in text
        no_self_service(text)
    else:
        assert told.subject == "You can ask another mentor now"
        assert "so you're free to ask someone else" in text


MENTOR_PROPOSE = "the program's coordinators may propose a new mentee to you"


def mentor_reads(text: str, who: str, self_service: str) -> None:
    """A mentor reads the coordinators may propose a mentee, or that mentees find them."""
    if who == "coordinator":
        assert "find you" not in text and "ask you" not in text, text
    else:
        assert self_service in text, text


@pytest.mark.parametrize("who", ["coordinator", "self"])
def test_a_mentor_who_ends_a_mentorship_reads_how_new_mentees_reach_them_in_their_program(
    program: Program, who: str
) -> None:
    matched(program)
    matching(program, who)
    program.deliver(reply_to(newest(program, ANA, "intro_mentor"), ANA, "END"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "1"))
    program.post(program.last_to(ANA).links["end_send"])
    text = flat(newest(program, ANA, "ending_sent").text)
    mentor_reads(text, who, "Your place is free again, so new mentees can find you.")
    if who == "coordinator":
        assert (
            f"Your place is free again, so {MENTOR_PROPOSE}. Reply “pause” if you'd rather not"
            " receive proposals for now."
        ) in text


@pytest.mark.parametrize("who", ["coordinator", "self"])
def test_a_mentor_whose_match_the_coordinators_end_reads_how_new_mentees_reach_them(
    program: Program, who: str
) -> None:
    _ended_by_coordinators(program, who)
    text = flat(newest(program, ANA, "match_ended_by_coordinators").text)
    mentor_reads(text, who, "Your place is free again, so new mentees can find you.")
    assert (MENTOR_PROPOSE in text) is (who == "coordinator")
    assert "Reply “pause”" in text


@pytest.mark.parametrize("who", ["coordinator", "self"])
def test_a_mentor_available_again_reads_how_new_mentees_reach_them_in_their_program(
    program: Program, who: str
) -> None:
    matching(program, who)
    program.deliver(email(f"Ana Lima <{ANA}>", PROGRAM_ADDRESS, "pause"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "available"))
    told = program.last_to(ANA)
    assert told.template == "available_confirmed"
    text = flat(told.text)
    mentor_reads(text, who, "Mentees can find you and ask you again")
    if who == "coordinator":
        assert "The coordinators may propose new mentees to you again." in text
