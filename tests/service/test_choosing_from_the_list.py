"""Answering the list of mentors: a number asks; a doubtful pick is asked about; words search."""

from __future__ import annotations

from datetime import timedelta

from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to

SAM = "sam.rivera@student.example.edu"
ANA = "ana.lima@alumni.example.edu"


def listing(program: Program) -> None:
    """Sam asks for mentors and gets the list (1. Ana, 2. Grace, 3. Tom)."""
    program.deliver(
        email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "Looking for a mentor in data science or healthcare")
    )
    assert program.last_to(SAM).text.index("1. Ana Lima") < program.last_to(SAM).text.index(
        "2. Grace Okafor"
    )


def answer(program: Program, text: str) -> None:
    """Sam replies to the newest email he got."""
    program.deliver(reply_to(program.last_to(SAM), SAM, text))


def test_a_number_asks_that_mentor(program: Program) -> None:
    listing(program)
    answer(program, "2")
    assert [state for _, state in program.snapshot()["requests"]] == ["pending"]
    assert program.last_to("grace.okafor@alumni.example.edu").template == "request_to_mentor"


def test_what_a_mentee_writes_beside_the_number_reaches_the_mentor(program: Program) -> None:
    listing(program)
    answer(program, "2 please. I'd love to hear how you planned your first year after graduating.")
    asked = flat(program.last_to("grace.okafor@alumni.example.edu").text)
    assert "Sam wrote with their request: > I'd love to hear how you planned your first" in asked
    assert "2 please" not in asked  # the pick itself is ours to read, not the mentor's


def test_a_bare_number_with_thanks_sends_no_words_to_the_mentor(program: Program) -> None:
    listing(program)
    answer(program, "2, thanks!")
    assert "wrote with their request" not in program.last_to("grace.okafor@alumni.example.edu").text


def test_two_numbers_ask_nobody_and_offer_just_those_two_again(program: Program) -> None:
    listing(program)
    answer(program, "#1 and #3 both look good")
    assert program.snapshot()["requests"] == []
    which = program.last_to(SAM)
    assert which.template == "which_mentor"
    assert "Ana Lima" in flat(which.text) and "Tom Becker" in flat(which.text)
    assert "Grace Okafor" not in flat(which.text)
    answer(program, "1")
    assert program.last_to(ANA).template == "request_to_mentor"


def test_a_plain_name_asks_that_mentor_without_another_round_trip(program: Program) -> None:
    listing(program)
    answer(program, "I'd really like Ana, she sounds great")
    assert [state for _, state in program.snapshot()["requests"]] == ["pending"]
    assert program.last_to(ANA).template == "request_to_mentor"
    assert program.last_to(SAM).template == "request_sent"


def test_a_pick_by_what_the_mentor_does_asks_that_mentor(program: Program) -> None:
    """The reader gets the list the reply token remembers, so a word only one mentor's
    description has picks them."""
    listing(program)
    answer(program, "The nurse practitioner sounds ideal for me!")
    assert [state for _, state in program.snapshot()["requests"]] == ["pending"]
    assert program.last_to("grace.okafor@alumni.example.edu").template == "request_to_mentor"


def test_a_name_with_a_hedge_asks_nobody_but_offers_that_mentor(program: Program) -> None:
    listing(program)
    answer(program, "Maybe Ana? Not sure yet")
    assert program.snapshot()["requests"] == []
    which = program.last_to(SAM)
    assert which.template == "which_mentor" and "1. Ana Lima" in flat(which.text)
    assert "Grace" not in which.text


def test_a_thank_you_gets_no_answer(program: Program) -> None:
    listing(program)
    before = program.snapshot()
    answer(program, "Thanks so much!")
    assert program.snapshot() == before


def test_other_words_are_a_new_search(program: Program) -> None:
    listing(program)
    answer(program, "Actually, someone in finance instead")
    again = program.last_to(SAM)
    assert again.template == "mentor_list" and "1. Tom Becker" in flat(again.text)


def test_a_first_email_without_any_field_asks_what_kind_of_mentor_once_a_day(
    program: Program,
) -> None:
    for text in ("Hi! I'd like a mentor please.", "Hello again, could I get a mentor?"):
        program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, text))
    assert [r.template for r in program.outbox(to=SAM)] == ["tell_us_more"]
    answer(program, "Healthcare, ideally nursing")
    assert program.last_to(SAM).template == "mentor_list"
    assert "Grace Okafor" in flat(program.last_to(SAM).text)


def test_a_search_that_finds_no_one_names_what_the_free_mentors_do(program: Program) -> None:
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "astrophysics and volcanology"))
    nobody = flat(program.last_to(SAM).text)
    assert (
        "Mentors with a free place right now work in Healthcare, Finance and Technology" in nobody
    )
    assert "for example: " in nobody and "Data Scientist" in nobody


def test_when_every_mentor_is_taken_a_search_that_finds_no_one_says_so(program: Program) -> None:
    from mentormail.service.models import Participant

    with program.services.unit_of_work() as session:
        for mentor in session.query(Participant).filter_by(role="mentor"):
            mentor.availability = "paused"
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "data science in healthcare"))
    nobody = flat(program.last_to(SAM).text)
    assert "Every mentor's places are taken right now. Write again in a few weeks" in nobody
    assert "Try other words" not in nobody


def test_a_search_written_over_several_lines_reaches_the_mentor_as_one_quoted_line(
    program: Program,
) -> None:
    program.deliver(
        email(
            f"Sam <{SAM}>", PROGRAM_ADDRESS, "Looking for a mentor in data science\nor\nhealthcare"
        )
    )
    answer(program, "La 1, por favor. Me encantaría saber cómo llegó a la ciencia de datos.")
    asked = program.last_to(ANA).text
    assert "searched for: “Looking for a mentor in data science or healthcare”" in asked
    assert "Sam wrote with their request:" in asked and "La 1" not in asked


def test_the_list_says_until_when_its_ask_links_work_and_a_number_still_asks_after(
    program: Program,
) -> None:
    listing(program)
    listed = flat(program.last_to(SAM).text)
    days = program.services.config.link_ttl_days
    until = program.services.clock.now() + timedelta(days=days)
    assert f"the links work until {until:%A %-d %B %Y}; a reply with the number works" in listed
    program.services.clock.advance(days=days + 5)  # type: ignore[attr-defined]
    answer(program, "2")
    assert program.last_to("grace.okafor@alumni.example.edu").template == "request_to_mentor"
