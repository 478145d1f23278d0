"""One-time links: GET changes nothing, POST acts once, and dead links say so kindly."""

from __future__ import annotations

import pytest

from tests.harness import Program
from tests.service.steps import ANA, SAM, ask, changed, search

pytestmark = pytest.mark.service


def test_replayed_accept_link_says_it_was_used_and_changes_nothing(program: Program) -> None:
    request = ask(program, SAM)
    first = program.post(request.links["accept"])
    assert first.status == 200 and first.title == "Thank you!"
    before = program.snapshot()

    again = program.post(request.links["accept"])

    assert again.status == 410
    assert again.title == "Already answered"
    assert again.message.startswith("You accepted Sam Rivera's request on ")
    assert again.button is None
    assert program.snapshot() == before


def test_accept_link_is_dead_once_the_decline_link_of_the_same_request_was_used(
    program: Program,
) -> None:
    request = ask(program, SAM)
    program.post(request.links["decline"])
    before = program.snapshot()

    shown = program.get(request.links["accept"])
    pressed = program.post(request.links["accept"])

    assert shown.status == pressed.status == 410
    assert shown.button is None
    assert program.snapshot() == before
    assert before["matches"] == 0


def test_expired_link_shows_its_page_with_a_next_step_and_changes_nothing(
    program: Program,
) -> None:
    request = ask(program, SAM)
    ttl = program.services.config.link_ttl_days
    assert ttl == 14
    program.services.clock.advance(days=ttl, seconds=1)  # type: ignore[attr-defined]
    before = program.snapshot()

    shown = program.get(request.links["accept"])
    pressed = program.post(request.links["accept"])

    for page in (shown, pressed):
        assert page.status == 410
        assert page.title == "This link has expired"
        assert page.button is None
        assert "reply to the email the link came in" in page.next_step
    assert program.snapshot() == before


def test_link_still_works_just_before_it_expires(program: Program) -> None:
    request = ask(program, SAM)
    program.services.clock.advance(days=program.services.config.link_ttl_days - 1)  # type: ignore[attr-defined]
    assert program.get(request.links["decline"]).status == 200


def test_opening_any_link_any_number_of_times_changes_nothing(program: Program) -> None:
    listing = search(program, SAM)
    request = ask(program, "jo.kim@student.example.edu")
    urls = [*listing.links.values(), *request.links.values()]
    unsubscribe = next(r for r in program.outbox() if r.to_addr == ANA).headers["List-Unsubscribe"]
    urls.append(unsubscribe.split(">")[0].lstrip("<"))
    before, sends = program.snapshot(), len(program.outbox())

    pages = [program.get(url) for _ in range(3) for url in urls]

    assert all(page.status == 200 and page.button for page in pages)
    assert program.snapshot() == before
    assert len(program.outbox()) == sends
    assert program.services.queue.jobs == []  # type: ignore[attr-defined]
    # and every link still works afterwards
    assert program.post(listing.links["ask_1"]).title == "Request sent"


def test_unknown_link_is_not_found(program: Program) -> None:
    before = program.snapshot()
    page = program.post("http://localhost/a/not-a-real-token-at-all")
    assert page.status == 404
    assert program.snapshot() == before


def test_each_confirmation_page_has_one_button_naming_what_it_does(program: Program) -> None:
    request = ask(program, SAM)
    before = program.snapshot()
    accept, decline = program.get(request.links["accept"]), program.get(request.links["decline"])
    assert (accept.title, accept.button) == ("Mentor Sam Rivera?", "Yes, I'll mentor Sam")
    assert (decline.title, decline.button) == (
        "Decline Sam Rivera's request?",
        "Decline the request",
    )
    assert changed(before, program.snapshot()) == {}
