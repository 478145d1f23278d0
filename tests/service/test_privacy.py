"""A person's data on request: exported whole, or erased everywhere but the counts."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from mentormail.service import privacy
from mentormail.service.models import Base, InboundMessage, Match, MentorshipRequest
from mentormail.service.sweep import sweep
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, HEALTH_DATA, SAM, ask

pytestmark = pytest.mark.service


def matched_sam_and_ana(program: Program) -> None:
    """Sam writes about herself, asks Ana, and Ana says yes."""
    to_ana = ask(program, SAM)
    program.deliver(reply_to(to_ana, ANA, "Yes, happy to mentor Sam!"))
    program.work()


def everything_stored(program: Program) -> str:
    """Every value of every row of every table, as one text to search in."""
    parts: list[str] = []
    with program.services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="replace")
                    parts.append(str(value))
    return "\n".join(parts)


def counts(program: Program) -> dict[str, Any]:
    """What the program's figures are made of."""
    with program.services.sessions() as session:
        return {
            "requests": session.scalar(select(func.count(MentorshipRequest.id))),
            "matches": session.scalar(select(func.count(Match.id))),
            "inbound": session.scalar(select(func.count(InboundMessage.id))),
        }


def test_export_holds_their_profile_requests_match_and_the_mail_they_wrote(
    program: Program,
) -> None:
    matched_sam_and_ana(program)
    with program.services.sessions() as session:
        data = privacy.export_person(session, SAM.upper(), program.services.now())

    assert data["email"] == SAM
    [sam] = data["participants"]
    assert (sam["name"], sam["role"], sam["status"]) == ("Sam Rivera", "mentee", "active")
    about = data["rows_about_them"]
    assert [r["state"] for r in about["requests"]] == ["accepted"]
    assert [r["state"] for r in about["matches"]] == ["active"]
    assert any("Sam" in r["text"] for r in about["outbound_messages"])
    assert any("From: Sam Rivera" in (r["raw"] or "") for r in about["inbound_messages"])


def test_export_of_an_unknown_address_says_so(program: Program) -> None:
    with program.services.sessions() as session, pytest.raises(privacy.NotFound) as error:
        privacy.export_person(session, "nobody@example.org", program.services.now())
    assert "no participant has the address nobody@example.org" in str(error.value)


def test_forgetting_a_person_erases_them_everywhere_and_keeps_the_counts(
    program: Program,
) -> None:
    matched_sam_and_ana(program)
    before = counts(program)
    assert "Sam Rivera" in everything_stored(program)

    with program.services.unit() as uow, pytest.raises(privacy.StillTakingPart) as refused:
        privacy.forget_person(uow, SAM)
    assert "still takes part in alumni-2026" in str(refused.value)

    with program.services.unit() as uow:
        first = privacy.forget_person(uow, SAM, end_participation=True)
    assert (first.erased, first.ended_participation, first.waiting_for_mail) == (False, 1, 1)
    program.work()  # the notice to Ana goes out, naming Sam, as it should ...
    [notice] = program.outbox(to=ANA, template="partner_left")
    assert "Sam" in flat(notice.text)
    with program.services.unit() as uow:  # ... and is erased once sent
        second = privacy.forget_person(uow, SAM)
    assert second.erased and second.mentions_redacted >= 2

    stored = everything_stored(program)
    for trace in ("Sam Rivera", "sam.rivera", "Biostatistics", HEALTH_DATA):
        assert trace.lower() not in stored.lower(), trace
    assert "Ana Lima" in stored  # Ana is not forgotten
    assert counts(program) == before
    with program.services.sessions() as session:
        assert list(session.scalars(select(Match.state))) == ["ended"]


def test_raw_mail_older_than_the_programs_raw_mail_days_is_removed_by_the_sweep(
    program: Program,
) -> None:
    matched_sam_and_ana(program)
    program.services.clock.advance(days=399)  # type: ignore[attr-defined]
    sweep(program.services)
    with program.services.sessions() as session:
        assert all(session.scalars(select(InboundMessage.size)))
    program.services.clock.advance(days=2)  # type: ignore[attr-defined]
    report = sweep(program.services)
    with program.services.sessions() as session:
        rows = session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert report.done["raw_mail_removed"] == len(rows) == 3  # search, pick, Ana's yes
        assert {(r.raw, r.size) for r in rows} == {(b"", 0)}
        assert rows[-1].intent == "accept"  # what was read from it stays
