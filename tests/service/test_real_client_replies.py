"""Replies shaped the way real mail clients write them act like the plain ones do."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentormail.service.models import OutboundMessage
from tests.harness import Program
from tests.service.steps import ANA, SAM, ask, changed, rows_after, sent_pairs

pytestmark = pytest.mark.service

JOURNEY = Path(__file__).parents[1] / "fixtures/eml/journey"


def client_reply(name: str, answering: OutboundMessage) -> bytes:
    """A hand-written .eml from tests/fixtures/eml/journey, addressed to one of our emails."""
    raw = (JOURNEY / name).read_bytes()
    for placeholder, value in {
        b"{{REPLY_TO}}": answering.reply_to,
        b"{{IN_REPLY_TO}}": answering.message_id,
        b"{{SUBJECT}}": answering.subject,
    }.items():
        raw = raw.replace(placeholder, value.encode("ascii"))
    return raw


@pytest.mark.parametrize("name", ["french_decline.eml"])
def test_mentor_declining_from_a_real_client_has_the_mentee_told_kindly(
    program: Program, name: str
) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(client_reply(name, request))

    diff = changed(before, program.snapshot())
    assert diff["requests"][1] == [(before["requests"][0][0], "declined")]
    assert set(diff) == {"requests", "outbox"}
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("decline_confirmed", ANA),
        ("request_declined", SAM),
    ]


def test_a_long_decline_from_outlook_is_read_and_acted_on(program: Program) -> None:
    """Outlook's header block is cut; the decline ("Sorry, I can't this year - my team is
    moving to a new hospital system and I won't have the time Sam deserves.") is 21 words, and
    a reply of more than 15 words acts only when the second opinion agrees strongly: with the
    pair's and the quote's names read as one mark ("the time <name> deserves") it does (it
    gave 0.64 when it read "Sam"), so the request is declined and Sam told kindly."""
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(client_reply("outlook_decline_with_header_block.eml", request))

    diff = changed(before, program.snapshot())
    assert diff["requests"][1] == [(before["requests"][0][0], "declined")]
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("decline_confirmed", ANA),
        ("request_declined", SAM),
    ]


def test_mentor_accepting_from_apple_mail_is_introduced(program: Program) -> None:
    request = ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(client_reply("apple_mail_accept.eml", request))

    after = program.snapshot()
    assert changed(before, after).keys() == {"requests", "matches", "outbox"}
    assert after["matches"] == 1
    assert sorted(sent_pairs(rows_after(program, count))) == [
        ("intro_mentee", SAM),
        ("intro_mentor", ANA),
    ]


def test_a_reply_routed_only_by_in_reply_to_reaches_its_request_and_links_decide(
    program: Program,
) -> None:
    """Some clients drop the reply+token address (a forward-as-reply); the thread still routes,
    but a Message-ID is no secret (tests/security/test_no_token_no_change.py): the mentor is
    sent the Accept/Decline links at their own address."""
    request = ask(program, SAM)
    raw = client_reply("apple_mail_accept.eml", request).replace(
        request.reply_to.encode(), b"mentors@example.edu"
    )
    program.deliver(raw)
    assert program.snapshot()["matches"] == 0
    did_you_mean = program.last_to(request.to_addr)
    assert did_you_mean.template == "did_you_mean"
    program.post(did_you_mean.links["accept"])
    assert program.snapshot()["matches"] == 1
