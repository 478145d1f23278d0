"""A mentor says no: the mentee hears kindly at once, with other mentors; nobody waits."""

from __future__ import annotations

import pytest

from tests.email_checks import flat
from tests.harness import Program, reply_to
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
