"""A mentee finds a mentor and the mentor answers, through the service's own doors."""

from __future__ import annotations

from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to

SAM = "sam.rivera@student.example.edu"
ANA = "ana.lima@alumni.example.edu"


def ask_for_mentors(
    program: Program, words: str = "Looking for a mentor in data science or healthcare"
) -> None:
    """Sam writes to the program address."""
    program.deliver(email(f"Sam Rivera <{SAM}>", PROGRAM_ADDRESS, words, subject="Mentor?"))


def test_mentee_gets_matching_mentors_without_their_addresses(program: Program) -> None:
    ask_for_mentors(program)
    listing = program.last_to(SAM)
    assert listing.template == "mentor_list"
    assert "1. Ana Lima — Data Scientist, Healthcare" in flat(listing.text)
    assert "@alumni.example.edu" not in listing.text
    assert "@alumni.example.edu" not in listing.html
    assert listing.reply_to.startswith("reply+")
    assert set(listing.links) >= {"ask_1", "ask_2"}


def test_mentor_who_says_yes_is_introduced_with_the_contact_they_authorised(
    program: Program,
) -> None:
    ask_for_mentors(program)
    program.deliver(reply_to(program.last_to(SAM), SAM, "1"))
    request = program.last_to(ANA)
    assert request.template == "request_to_mentor"
    assert "Sam Rivera" in flat(request.text) and "Biostatistics" in request.text
    assert "data science or healthcare" in flat(request.text)
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    intro_to_sam = program.last_to(SAM)
    assert intro_to_sam.template == "intro_mentee"
    assert "LinkedIn: linkedin.com/in/ana-lima-example" in flat(intro_to_sam.text)
    to_ana = {row.template: row for row in program.outbox(to=ANA)}
    assert SAM in to_ana["intro_mentor"].text
    assert "capacity_reached" not in to_ana  # Ana's one place is taken: her introduction says so
    assert "Sam takes your last free place" in flat(to_ana["intro_mentor"].text)
