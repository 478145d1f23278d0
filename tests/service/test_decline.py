"""A mentor says no: the mentee hears kindly at once, with other mentors; nobody waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mentormail.app import bootstrap
from tests.email_checks import flat
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, Program, email, make_services, reply_to
from tests.service.steps import (
    ANA,
    MENTOR_ADDRESSES,
    SAM,
    ask,
    changed,
    rows_after,
    sent_pairs,
)

pytestmark = pytest.mark.service


def assert_declined_kindly(program: Program, before: dict[str, object], count: int) -> None:
    """What a decline must leave behind: two kind emails, one declined request, no match."""
    after = program.snapshot()
    ((req_id, _),) = before["requests"]  # type: ignore[misc]
    assert changed(before, after) == {
        "requests": ([(req_id, "pending")], [(req_id, "declined")]),
        "outbox": (count, count + 2),
    }
    new = rows_after(program, count)
    assert sorted(sent_pairs(new)) == [("decline_confirmed", ANA), ("request_declined", SAM)]
    to_sam = next(r for r in new if r.to_addr == SAM)
    assert "Ana Lima has let us know they can't be your mentor this time" in flat(to_sam.text)
    assert "not about you" in flat(to_sam.text)
    assert "other available mentors" in flat(to_sam.text)
    assert "Grace Okafor" in flat(to_sam.text)  # another healthcare mentor is offered
    assert "1. Ana Lima" not in flat(to_sam.text) and "Ask Ana" not in flat(to_sam.text)
    assert not any(address in to_sam.text + to_sam.html for address in MENTOR_ADDRESSES)
    assert to_sam.links and all(name.startswith("ask_") for name in to_sam.links)
    to_ana = next(r for r in new if r.to_addr == ANA)
    assert "Thank you for answering" in flat(to_ana.text)


def test_mentor_who_replies_no_has_the_mentee_told_kindly_with_other_mentors(
    program: Program,
) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())
    program.deliver(reply_to(request, ANA, "Sorry, I can't this year"))
    assert_declined_kindly(program, before, count)


def test_mentor_who_clicks_decline_has_the_mentee_told_kindly_with_other_mentors(
    program: Program,
) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())
    page = program.post(request.links["decline"])
    assert page.status == 200 and "told Sam Rivera kindly" in page.message
    assert_declined_kindly(program, before, count)


def test_mentee_can_ask_one_of_the_offered_mentors_straight_away(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Sorry, I can't this year"))
    declined = program.last_to(SAM)
    program.post(declined.links["ask_1"])
    assert program.outbox(template="request_to_mentor")[-1].to_addr != ANA


PABLO, JUERGEN = "pablo.gomez@student.example.edu", "juergen.mueller@alumni.example.edu"
PEOPLE_WITH_PABLO = (
    (EXAMPLES / "participants.csv").read_text().rstrip("\n")
    + f"\n{JUERGEN},Jürgen Müller,mentor,Vehicle Engineer,Automotive,Mechanics,cars,2,email,"
    + "Jürgen builds driver-assistance systems."
    + f"\n{PABLO},Pablo Gómez,mentee,,,Mechanics,cars,,,\n"
)


@pytest.fixture
def with_pablo(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program with a mentee whose field only one mentor shares."""
    yield Program.start(make_services(database_url, tmp_path), PEOPLE_WITH_PABLO)
    bootstrap.install(None)


def test_after_a_no_that_leaves_no_one_matching_the_mentee_is_offered_the_mentors_with_a_free_place(
    with_pablo: Program,
) -> None:
    program = with_pablo
    program.deliver(email(f"Pablo Gómez <{PABLO}>", PROGRAM_ADDRESS, "automotive, cars please"))
    listing = program.last_to(PABLO)
    assert "Jürgen Müller" in listing.text and "Ana Lima" not in listing.text
    program.deliver(reply_to(listing, PABLO, "1"))
    request = program.outbox(template="request_to_mentor")[-1]
    program.deliver(reply_to(request, JUERGEN, "Sorry, I can't take anyone on this year."))
    (declined,) = program.outbox(to=PABLO, template="request_declined")
    told = flat(declined.text)
    assert "No one else matched what you were looking for" in told
    assert "Tom Becker" in told and "Jürgen Müller —" not in told
    assert declined.links and all(name.startswith("ask_") for name in declined.links)


def test_a_search_after_a_no_suggests_no_field_of_the_mentor_who_said_no(
    with_pablo: Program,
) -> None:
    program = with_pablo
    program.deliver(email(f"Pablo Gómez <{PABLO}>", PROGRAM_ADDRESS, "automotive, cars please"))
    program.deliver(reply_to(program.last_to(PABLO), PABLO, "1"))
    request = program.outbox(template="request_to_mentor")[-1]
    program.deliver(reply_to(request, JUERGEN, "Sorry, I can't take anyone on this year."))
    program.deliver(email(f"Pablo Gómez <{PABLO}>", PROGRAM_ADDRESS, "someone in automotive"))
    (none,) = program.outbox(to=PABLO, template="no_mentors_found")
    told = flat(none.text)
    assert "Mentors with a free place right now work in" in told
    assert "Automotive" not in told.split("found none right now")[1]
    assert "Vehicle Engineer" not in told
