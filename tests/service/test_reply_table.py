"""One reply table: a reply acts by what the answered email expects, kept in its reply token;
tokens of mail sent before every email kept that word still work, and an unknown word is an
error, never a default."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service.models import InboundMessage, OutboundMessage, ReplyToken
from mentormail.service.tokens import find_reply_token
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, days_pass, matched

pytestmark = pytest.mark.service


def payload_of(program: Program, row: OutboundMessage) -> dict[str, Any]:
    """What an email's reply token keeps."""
    with program.services.sessions() as session:
        return dict(_token(session, row).payload)


def rewrite_token(program: Program, row: OutboundMessage, payload: dict[str, Any]) -> None:
    """Give an email's reply token the payload it would have had when sent by an older version."""
    with program.services.unit_of_work() as session:
        _token(session, row).payload = payload


def _token(session: Session, row: OutboundMessage) -> ReplyToken:
    """The reply token in an email's Reply-To."""
    found = re.search(r"reply\+([0-9a-f]+)@", row.reply_to)
    assert found is not None
    kept = find_reply_token(session, found.group(1))
    assert kept is not None
    return kept


def test_every_email_that_asks_for_an_answer_keeps_what_it_expects_in_its_token(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 34)  # the check-in, then the fit question and the pulse days after it
    for template, word in (("checkin", "checkin"), ("fit_check", "fit"), ("survey", "survey")):
        kept = payload_of(program, program.outbox(to=SAM, template=template)[-1])
        assert kept["expects"] == word and "answers" not in kept
    intro = payload_of(program, program.outbox(to=SAM, template="intro_mentee")[-1])
    assert intro["expects"] == "general"  # an email that asks nothing: its reply is general mail


def test_a_fit_question_sent_before_the_one_table_still_takes_its_answer(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 32)  # the fit question comes two days after the first check-in
    asked = program.outbox(to=SAM, template="fit_check")[-1]
    pair_id = payload_of(program, asked)["match_id"]
    rewrite_token(program, asked, {"answers": "fit", "match_id": pair_id})  # year-a's shape
    program.deliver(reply_to(asked, SAM, "Good fit!"))
    (thanks,) = program.outbox(to=SAM, template="fit_thanks")
    assert "Ana" in flat(thanks.text)


def test_a_check_in_sent_before_tokens_kept_what_they_expect_is_read_by_its_context(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    asked = program.outbox(to=ANA, template="checkin")[-1]
    old = {k: v for k, v in payload_of(program, asked).items() if k != "expects"}
    rewrite_token(program, asked, old)
    program.deliver(reply_to(asked, ANA, "MET on 20 October"))
    (logged,) = program.outbox(to=ANA, template="met_logged")
    assert "Tuesday 20 October 2026" in flat(logged.text)


def test_a_reply_to_an_email_expecting_something_the_table_lacks_is_an_error_not_a_guess(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    asked = program.outbox(to=SAM, template="checkin")[-1]
    rewrite_token(program, asked, {"expects": "no-such-answer"})
    before = len(program.outbox(to=SAM))
    program.deliver(reply_to(asked, SAM, "MET"))
    with program.services.sessions() as session:
        message = session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
        assert message is not None
        assert message.status == "error"
        assert "no-such-answer" in (message.error or "")
    assert len(program.outbox(to=SAM)) == before  # nothing acted, nothing was guessed
