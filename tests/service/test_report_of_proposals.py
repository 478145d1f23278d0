"""The coordinators' numbers of a program that proposes pairs: a proposal counts as accepted
only when both said yes; one declined by either side, or closed with no answer in time, is
counted as declined or expired, in the report and in the digest."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from mentormail.service import digest, proposals, reports
from mentormail.service.models import Program as ProgramRow
from tests.email_checks import flat
from tests.harness import Program, make_services, reply_to
from tests.service.steps import days_pass
from tests.service.test_proposals import MORE, PEOPLE, TOM

pytestmark = pytest.mark.service

SAM, ANA = "sam.rivera@student.example.edu", "ana.lima@alumni.example.edu"
COORDINATOR = "coordinator@example.edu"


@pytest.fixture
def cohort(database_url: str, tmp_path: Path) -> Program:
    """The example program with people who gave preferences, and one more mentor."""
    return Program.start(make_services(database_url, tmp_path), PEOPLE + MORE)


def a_round_of_proposals(cohort: Program) -> None:
    """Four proposals: Sam and Ana both say yes, Tom says no to Jo, and Jo's next (Raj)
    and Maya's (Grace) are never answered."""
    with cohort.services.unit() as uow:
        program = uow.session.scalars(select(ProgramRow)).one()
        proposals.send_all(uow, program, COORDINATOR)
    cohort.work()
    cohort.deliver(reply_to(cohort.outbox(to=SAM, template="proposal_to_mentee")[-1], SAM, "Yes!"))
    cohort.deliver(reply_to(cohort.outbox(to=ANA, template="proposal_to_mentor")[-1], ANA, "Yes"))
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]
    cohort.deliver(reply_to(to_tom, TOM, "Sorry, I can't this year."))
    days_pass(cohort, 11)
    assert len(cohort.outbox(template="proposal_expired")) == 4  # two proposals, both sides


def report_page(cohort: Program, tmp_path: Path) -> str:
    """The HTML report as its reader sees it: the words of the page, without tags."""
    out = tmp_path / "report.html"
    reports.write(cohort.services, "alumni-2026", (None, None), "html", out)
    page = re.sub(r"<svg.*?</svg>", " ", out.read_text(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def digest_now(cohort: Program) -> str:
    """A digest of the last fortnight, sent now, as the coordinator reads its text."""
    with cohort.services.unit() as uow:
        row = uow.session.scalars(select(ProgramRow)).one()
        digest.send(uow, row, uow.now - timedelta(days=14), uow.now)
    cohort.work()
    return flat(cohort.outbox(to=COORDINATOR, template="digest")[-1].text)


def test_the_report_counts_only_proposals_both_said_yes_to_as_accepted(
    cohort: Program, tmp_path: Path
) -> None:
    a_round_of_proposals(cohort)
    page = report_page(cohort, tmp_path)
    assert (
        "25% of proposals both said yes to (1 of 6 proposed: 1 declined by either side,"
        " 2 closed without an answer, 2 still waiting)"  # the two expired ones' next best
    ) in page
    assert "— of answered requests accepted (0 of 0 made)" in page  # no mentee asked anyone


def test_the_digest_counts_a_declined_or_expired_proposal_as_such(cohort: Program) -> None:
    a_round_of_proposals(cohort)
    text = digest_now(cohort)
    assert "- Proposed pairs who both said yes: 1" in text
    assert "- Proposed pairs declined by either side: 1" in text
    assert "- Proposals closed with no answer in time: 2" in text
    assert "Accepted: 100%" not in text
    assert "- Requests made: 0" in text  # no mentee asked anyone; the program proposed
