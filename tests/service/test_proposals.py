"""Pairs proposed by the program (double opt-in): both say yes before anyone is introduced;
a no proposes the mentee's next best among those still free; a proposal expires like a request."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from mentormail.service import coordinator_commands, proposals
from mentormail.service.models import Attention, Match, PairProposal
from mentormail.service.models import Program as ProgramRow
from tests.email_checks import flat
from tests.harness import Program, make_services, reply_to
from tests.service.steps import days_pass

pytestmark = pytest.mark.service

PEOPLE = (Path(__file__).parents[1] / "fixtures" / "matching_people.csv").read_text()
# A second software mentor: Jo's next best once Tom says no.
RAJ = "raj.shah@alumni.example.edu"
MORE = (
    f"{RAJ},Raj Shah,mentor,Software Engineer,Technology,Computer Science,"
    "backend systems,1,email,Builds developer tools.,,Berlin,English,weekends,,,\n"
)
JO, TOM = "jo.kim@student.example.edu", "tom.becker@alumni.example.edu"


@pytest.fixture
def cohort(database_url: str, tmp_path: Path) -> Program:
    """The example program with people who gave preferences, and one more mentor."""
    return Program.start(make_services(database_url, tmp_path), PEOPLE + MORE)


def send(cohort: Program) -> list[tuple[str, str]]:
    """``match --send``: the optimal pairs, each proposed to both."""
    with cohort.services.unit() as uow:
        program = uow.session.scalars(select(ProgramRow)).one()
        made = proposals.send_all(uow, program, "coordinator@example.edu")
        pairs = [(row.mentee.email, row.mentor.email) for row in made]
    cohort.work()
    return pairs


def proposal_rows(cohort: Program) -> list[tuple[str, str, str]]:
    """(mentee, mentor, state) of every proposal, oldest first."""
    with cohort.services.sessions() as session:
        rows = session.scalars(select(PairProposal).order_by(PairProposal.id))
        return [(r.mentee.email, r.mentor.email, r.state) for r in rows]


def test_both_say_yes_and_are_introduced_then_a_no_cascades_to_the_next_mentor(
    cohort: Program,
) -> None:
    pairs = send(cohort)
    assert (JO, TOM) in pairs and len(pairs) == 3  # Raj is not proposed: Tom fits Jo better

    to_jo = cohort.outbox(to=JO, template="proposal_to_mentee")[-1]
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]
    assert to_jo.subject == "Would you like Tom Becker as your mentor?"
    text = flat(to_jo.text)
    assert "Why we think you'd fit: software engineering: what you're looking for" in text
    assert "Work: Software Engineer, Finance - Profile: Builds payment systems." in text
    assert "Only when you both say yes do we introduce you" in text
    assert set(to_jo.links) >= {"proposal_yes", "proposal_no"}
    assert to_tom.subject == "Would you mentor Jo Kim?"

    # Jo says yes by link; nobody is introduced yet.
    page = cohort.get(to_jo.links["proposal_yes"])
    assert page.title == "Yes to Tom Becker?" and page.button == "Yes, introduce us"
    cohort.post(to_jo.links["proposal_yes"])
    waiting = cohort.outbox(to=JO, template="proposal_waiting")[-1]
    assert "We're waiting for Tom's answer, due by " in flat(waiting.text)
    assert not cohort.outbox(template="intro_mentee")

    # Tom says no by reply: Jo is told kindly and Raj, the next best still free, is proposed.
    cohort.deliver(reply_to(to_tom, TOM, "Sorry, I can't this year."))
    assert "The introduction to Tom Becker isn't going ahead this time." in flat(
        cohort.outbox(to=JO, template="proposal_not_going_ahead")[-1].text
    )
    assert cohort.outbox(to=TOM, template="proposal_no_noted")
    next_to_jo = cohort.outbox(to=JO, template="proposal_to_mentee")[-1]
    assert next_to_jo.subject == "Would you like Raj Shah as your mentor?"
    to_raj = cohort.outbox(to=RAJ, template="proposal_to_mentor")[-1]

    # Both say yes by reply: introduced exactly as after an accepted request; the year begins.
    cohort.deliver(reply_to(next_to_jo, JO, "Yes please!"))
    cohort.deliver(reply_to(to_raj, RAJ, "Yes, happy to!"))
    intro = cohort.outbox(to=JO, template="intro_mentee")[-1]
    assert intro.subject == "You're matched with Raj Shah!"
    assert "You can reach Raj" in flat(intro.text)
    assert cohort.outbox(to=RAJ, template="intro_mentor")
    with cohort.services.sessions() as session:
        pair = session.scalars(select(Match).where(Match.mentee_id == cohort.person(JO).id)).one()
        assert pair.mentor_id == cohort.person(RAJ).id and pair.state == "active"
        assert pair.request_id is not None  # the year's clock starts from its request
        outcome = session.scalars(select(Attention).order_by(Attention.id)).all()
        assert any(
            "a proposed pair said no" in a.reason and "Raj Shah proposed next" in a.reason
            for a in outcome
        )
    states = [(mentor, state) for mentee, mentor, state in proposal_rows(cohort) if mentee == JO]
    assert states == [(TOM, "declined"), (RAJ, "accepted")]


def test_an_unclear_answer_is_asked_about_and_acts_on_nothing(cohort: Program) -> None:
    send(cohort)
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]
    cohort.deliver(reply_to(to_tom, TOM, "Hmm, let me think about my schedule first"))
    asked = cohort.outbox(to=TOM, template="proposal_did_you_mean")[-1]
    assert asked.subject == "Did you mean yes or no to Jo Kim?"
    assert "let me think about my schedule" in asked.text
    assert set(asked.links) >= {"proposal_yes", "proposal_no"}
    assert [state for _, mentor, state in proposal_rows(cohort) if mentor == TOM] == ["proposed"]


def test_a_second_unclear_answer_goes_to_a_coordinator_not_another_did_you_mean(
    cohort: Program,
) -> None:
    send(cohort)
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]
    cohort.deliver(reply_to(to_tom, TOM, "Hmm, let me think about my schedule first"))
    asked = cohort.outbox(to=TOM, template="proposal_did_you_mean")[-1]

    cohort.deliver(reply_to(asked, TOM, "still checking my calendar"))

    assert len(cohort.outbox(to=TOM, template="proposal_did_you_mean")) == 1
    told = cohort.last_to(TOM)
    assert told.template == "could_not_read"
    assert "We still weren't sure what you meant" in flat(told.text)
    with cohort.services.sessions() as session:
        reasons = [a.reason for a in session.scalars(select(Attention))]
    assert any("is still unclear after we asked what they meant" in r for r in reasons)
    assert [state for _, mentor, state in proposal_rows(cohort) if mentor == TOM] == ["proposed"]


def test_a_proposal_not_answered_in_time_expires_and_the_next_best_is_proposed(
    cohort: Program,
) -> None:
    send(cohort)
    days_pass(cohort, 11)
    expired = cohort.outbox(to=JO, template="proposal_expired")[-1]
    assert expired.subject == "The introduction to Tom has closed"
    assert cohort.outbox(to=JO, template="proposal_to_mentee")[-1].subject == (
        "Would you like Raj Shah as your mentor?"
    )


def test_a_proposed_mentor_who_leaves_closes_the_proposal_and_the_mentee_gets_the_next_best(
    cohort: Program,
) -> None:
    send(cohort)
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]

    cohort.deliver(reply_to(to_tom, TOM, "stop"))

    assert cohort.person(TOM).status == "left"
    told = cohort.outbox(to=JO, template="proposal_not_going_ahead")[-1]
    assert told.subject == "The introduction to Tom isn't going ahead"
    assert "We're looking for another mentor for you now" in flat(told.text)
    assert cohort.outbox(to=JO, template="proposal_to_mentee")[-1].subject == (
        "Would you like Raj Shah as your mentor?"
    )
    states = [(mentor, state) for mentee, mentor, state in proposal_rows(cohort) if mentee == JO]
    assert states == [(TOM, "withdrawn"), (RAJ, "proposed")]
    with cohort.services.sessions() as session:
        reasons = [a.reason for a in session.scalars(select(Attention))]
    assert any(
        "a proposed mentor left the program" in r and "Raj Shah proposed next" in r for r in reasons
    )


def test_a_proposed_mentee_who_leaves_closes_the_proposal_and_the_mentor_is_told(
    cohort: Program,
) -> None:
    send(cohort)
    to_jo = cohort.outbox(to=JO, template="proposal_to_mentee")[-1]

    cohort.deliver(reply_to(to_jo, JO, "stop"))

    told = cohort.outbox(to=TOM, template="proposal_not_going_ahead")[-1]
    assert told.subject == "The introduction to Jo isn't going ahead"
    assert "There's nothing you need to do" in flat(told.text)
    assert [state for mentee, _, state in proposal_rows(cohort) if mentee == JO] == ["withdrawn"]
    days_pass(cohort, 11)
    # the other pairs expire unanswered; nothing of Jo's was left waiting
    assert not cohort.outbox(to=JO, template="proposal_expired")
    assert not cohort.outbox(to=TOM, template="proposal_expired")


def test_a_coordinator_pairs_two_people_directly_and_they_are_introduced_at_once(
    cohort: Program,
) -> None:
    with cohort.services.unit() as uow:
        program = uow.session.scalars(select(ProgramRow)).one()
        said, done = coordinator_commands.pair_directly(uow, program, "cli:maria", JO, RAJ)
    cohort.work()
    assert done and said == "Jo Kim and Raj Shah are matched and were introduced by email"
    assert cohort.outbox(to=JO, template="intro_mentee")[-1].subject == (
        "You're matched with Raj Shah!"
    )
    assert not cohort.outbox(template="proposal_to_mentee")
    with cohort.services.unit() as uow:
        program = uow.session.scalars(select(ProgramRow)).one()
        again, acted = coordinator_commands.match(uow, program, "cli:maria", JO, TOM)
    assert not acted and again == "Jo Kim already has a mentor; nothing done"


def tom_says_after_jo_says_yes(cohort: Program, words: str, paused: bool = False) -> None:
    """Jo and Tom are proposed; Tom pauses first (if ``paused``); Jo says yes, then Tom writes."""
    send(cohort)
    to_jo = cohort.outbox(to=JO, template="proposal_to_mentee")[-1]
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]
    if paused:
        cohort.deliver(reply_to(to_tom, TOM, "pause"))
        assert cohort.person(TOM).availability == "paused"
    cohort.deliver(reply_to(to_jo, JO, "Yes please!"))
    cohort.deliver(reply_to(to_tom, TOM, words))
    assert cohort.outbox(to=JO, template="intro_mentee")
    assert [state for _, mentor, state in proposal_rows(cohort) if mentor == TOM] == ["accepted"]


def test_a_mentor_back_from_leave_who_says_yes_to_a_proposal_is_paired_not_made_available(
    cohort: Program,
) -> None:
    tom_says_after_jo_says_yes(cohort, "Hi,\nback from leave - yes, happy to mentor Jo.\nTom")
    assert not cohort.outbox(to=TOM, template="available_confirmed")


def test_a_paused_mentor_who_says_yes_to_a_proposal_is_available_again_and_paired(
    cohort: Program,
) -> None:
    tom_says_after_jo_says_yes(cohort, "Back from leave - yes, happy to mentor Jo.", paused=True)
    assert cohort.person(TOM).availability == "available"
    assert cohort.outbox(to=TOM, template="available_confirmed")


def test_available_beside_an_unclear_answer_to_a_proposal_asks_yes_or_no(cohort: Program) -> None:
    send(cohort)
    to_tom = cohort.outbox(to=TOM, template="proposal_to_mentor")[-1]

    cohort.deliver(reply_to(to_tom, TOM, "Back from leave, available again."))

    assert cohort.outbox(to=TOM, template="proposal_did_you_mean")
    assert [state for _, mentor, state in proposal_rows(cohort) if mentor == TOM] == ["proposed"]
