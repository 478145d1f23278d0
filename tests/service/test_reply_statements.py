"""Reading a reply costs few database round trips: the names the second opinion reads as one
mark (the writer's, and the two people of the pair or request the reply is about) are one read
of both names, made only when the model is asked, and none when the session holds them already.
Regression guards on statement counts (no timings): if a change adds a query, the count says so."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mentormail.inbound.types import Context
from mentormail.service.inbound import pair_names
from mentormail.service.models import MentorshipRequest, Participant, ReplyToken
from mentormail.service.routing import Route
from tests.harness import Program, reply_to
from tests.service.statements import Counted
from tests.service.steps import ANA, SAM, ask, days_pass, matched, request_states

pytestmark = pytest.mark.service

# a read of a request, a match or a person (routing reads the reply token joined to its owner)
_PEOPLE_OR_PAIR = re.compile(r"\bFROM (?:requests|matches|participants)\b")
_STORED = re.compile(r"UPDATE inbound_messages SET status=.*\bcontext=")


def _reads_before_acting(counted: Counted) -> list[str]:
    """The reads of a request, match or person made while the reply was routed and read: the
    statements before the one that stores its context and intent, as it starts to act."""
    stored = next(k for k, sql in enumerate(counted.statements) if _STORED.match(sql))
    return [sql for sql in counted.statements[:stored] if _PEOPLE_OR_PAIR.search(sql)]


def test_a_clear_yes_to_a_request_reads_the_two_names_in_one_statement(program: Program) -> None:
    request = ask(program, SAM)
    counted = Counted(program)
    program.deliver(reply_to(request, ANA, "Yes, happy to mentor Sam!"))
    assert list(request_states(program).values()) == ["accepted"]
    assert len(_reads_before_acting(counted)) == 1, _reads_before_acting(counted)


def test_a_clear_checkin_answer_reads_the_pairs_names_in_one_statement(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    counted = Counted(program)
    program.deliver(reply_to(to_sam, SAM, "Met on Friday, coffee and a long walk"))
    assert program.outbox(to=SAM, template="met_logged")
    assert len(_reads_before_acting(counted)) == 1, _reads_before_acting(counted)


def test_an_unclear_reply_reads_no_names(program: Program) -> None:
    request = ask(program, SAM)
    counted = Counted(program)
    program.deliver(reply_to(request, ANA, "Hmm, maybe? Let me think about it"))
    assert list(request_states(program).values()) == ["pending"]
    assert _reads_before_acting(counted) == []


def test_names_the_session_holds_cost_no_statement(program: Program) -> None:
    ask(program, SAM)
    with program.services.unit_of_work() as session:
        req = session.scalars(select(MentorshipRequest)).one()
        mentor = session.get_one(Participant, req.mentor_id)
        mentee = session.get(Participant, req.mentee_id)  # both people are now in the session
        asked = (ReplyToken.request_id == req.id) & (ReplyToken.participant_id == mentor.id)
        token = session.scalars(select(ReplyToken).where(asked)).first()
        route = Route(mentor.program, mentor, Context.REQUEST, token, True)
        counted = Counted(program)
        assert pair_names(session, route) == ("Ana Lima", "Sam Rivera")
        assert mentee is not None and token is not None and counted.statements == []
