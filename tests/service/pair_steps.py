"""Steps the endings, agreement and conduct tests share: a matched pair, the newest email."""

from __future__ import annotations

from sqlalchemy import select

from mentormail.service.models import Match, OutboundMessage
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, ask


def matched(program: Program, mentee: str = SAM, mentor: str = ANA) -> Match:
    """A mentee asks Ana and Ana says yes: the newest match."""
    request = ask(program, mentee)
    program.deliver(reply_to(request, mentor, "Yes, happy to!"))
    return the_match(program)


def the_match(program: Program) -> Match:
    """The newest match, as it is now."""
    with program.services.sessions() as session:
        found = session.scalar(select(Match).order_by(Match.id.desc()))
        assert found is not None
        return found


def newest(program: Program, to: str, template: str) -> OutboundMessage:
    """The newest email of a template to an address."""
    rows = program.outbox(to=to, template=template)
    assert rows, f"no {template} to {to}: {[r.template for r in program.outbox(to=to)]}"
    return rows[-1]
