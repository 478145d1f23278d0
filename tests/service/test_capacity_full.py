"""A mentor who is full stops receiving requests; whoever waits on them hears kindly."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, JO, SAM, TOM, ask, changed, rows_after, search, sent_pairs

pytestmark = pytest.mark.service


def test_mentor_who_is_full_stops_receiving_requests(program: Program) -> None:
    to_ana_for_sam = ask(program, SAM)
    ask(program, JO)  # Jo asks Ana too, and waits
    before, count = program.snapshot(), len(program.outbox())
    (sam_req, _), (jo_req, _) = before["requests"]

    program.deliver(reply_to(to_ana_for_sam, ANA, "Yes, happy to!"))

    after = program.snapshot()
    assert changed(before, after) == {
        "requests": (
            [(sam_req, "pending"), (jo_req, "pending")],
            [(sam_req, "accepted"), (jo_req, "released")],
        ),
        "matches": (0, 1),
        "outbox": (count, count + 3),
    }
    new = rows_after(program, count)
    assert sorted(sent_pairs(new)) == sorted(
        [("intro_mentee", SAM), ("intro_mentor", ANA), ("request_released", JO)]
    )  # the capacity news is in Ana's introduction, not a second email the same minute
    to_jo = next(r for r in new if r.to_addr == JO)
    assert "Ana Lima can't take new mentees right now" in flat(to_jo.text)
    assert "just reached the number of mentees they can support" in flat(to_jo.text)
    assert "other available mentors" in flat(to_jo.text) and "Ask Ana" not in flat(to_jo.text)
    assert ANA not in to_jo.text
    intro = flat(next(r for r in new if r.template == "intro_mentor").text)
    assert intro.startswith("Hi Ana, Thank you for saying yes! You are now Sam Rivera's mentor.")
    assert (
        "Sam takes your last free place: you now mentor one person, the number you told us you "
        "could support, so you won't receive new requests while you're at capacity, and we've "
        "kindly let the mentee who was still waiting for your answer know."
    ) in intro

    listing = search(program, JO, "data science healthcare statistics")
    assert "Ana Lima" not in flat(listing.text)
    assert "Grace Okafor" in flat(listing.text)


def test_a_mentor_with_places_left_reads_no_word_of_capacity(program: Program) -> None:
    request = ask(program, SAM, "Tom Becker")  # Tom mentors two
    program.deliver(reply_to(request, TOM, "Yes, happy to!"))
    assert not program.outbox(template="capacity_reached")
    intro = flat(program.last_to(TOM).text)
    assert "You are now Sam Rivera's mentor" in intro and "last place" not in intro


def test_accept_after_capacity_is_reached_by_another_yes_releases_kindly(
    program: Program,
) -> None:
    """Ana answers Jo's request after she is already full (Jo's mail arrives late)."""
    to_ana_for_sam = ask(program, SAM)
    to_ana_for_jo = ask(program, JO)
    program.deliver(reply_to(to_ana_for_sam, ANA, "Yes, happy to!"))
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(reply_to(to_ana_for_jo, ANA, "Yes, happy to!"))

    assert program.snapshot()["matches"] == before["matches"] == 1
    new = rows_after(program, count)
    assert sent_pairs(new) == [("request_already_closed", ANA)]
    assert "when you reached your number of mentees, and Jo was told kindly" in flat(new[0].text)
    assert "(released)" not in new[0].text
