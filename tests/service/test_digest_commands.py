"""Coordinators act on people by replying to the digest (remind, end, approve, match) or by its
one-time links; each command is confirmed and audited, and refused from anyone else."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from mentormail.service.models import Attention, CoordinatorAction, Match, OutboundMessage
from mentormail.service.models import Program as ProgramRow
from mentormail.service.programs import import_participants
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.pair_steps import matched
from tests.service.steps import ANA, JO, SAM, TOM, ask, days_pass, search
from tests.service.test_digest import COORDINATOR, the_digest, until

pytestmark = pytest.mark.service

DANA = "dana.cruz@alumni.example.edu"
DANA_ROW = (
    "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"
    f"{DANA},Dana Cruz,mentor,Data Scientist,Healthcare,Statistics,"
    "data science;healthcare analytics,2,email,Builds hospital dashboards.\n"
)
MONDAY = datetime(2026, 10, 5, 8, 0)


def sam_and_ana_then_sam_writes(
    program: Program, words: str = "I'd like to report a problem with my mentor"
) -> int:
    """Sam asks Ana, who says yes; then Sam writes to the program (by default, to report a
    problem). Returns the number of the item Sam's words made."""
    sweep_first_date(program)
    to_ana = ask(program, SAM)
    program.deliver(reply_to(to_ana, ANA, "Yes, happy to!"))
    program.deliver(email(f"Sam Rivera <{SAM}>", PROGRAM_ADDRESS, words))
    with program.services.sessions() as session:
        return max(session.scalars(select(Attention.id)).all())


def sweep_first_date(program: Program) -> None:
    """The program's first digest date is set."""
    from mentormail.service.sweep import sweep

    sweep(program.services)


def confirmation(program: Program) -> str:
    """The newest confirmation's text, flattened."""
    return flat(program.outbox(to=COORDINATOR, template="digest_confirmation")[-1].text)


def sam_silent_then_remind(program: Program) -> int:
    """Sam never answers three check-ins (Ana does); on the next Monday the coordinator
    replies "remind N" to the digest for the item that made. Returns N."""
    for _ in range(3):  # Sam never answers; Ana does
        days_pass(program, 30)
        program.deliver(reply_to(program.outbox(to=ANA)[-1], ANA, "Not yet"))
    days_pass(program, 30)
    with program.services.sessions() as session:
        silent = Attention.reason.startswith("the mentee has not answered 3 check-ins")
        item = session.scalars(select(Attention.id).where(silent)).one()
    now = program.services.clock.now()
    until(program, datetime.combine(now.date() + timedelta(days=7 - now.weekday()), time(8)))
    program.deliver(reply_to(the_digest_now(program), COORDINATOR, f"remind {item}"))
    return item


def test_remind_nudges_a_silent_partner_kindly_and_is_confirmed(program: Program) -> None:
    sweep_first_date(program)
    matched(program)
    item = sam_silent_then_remind(program)
    assert f"“remind {item}”: #{item}: reminded Sam Rivera." in confirmation(program)
    nudge = program.outbox(to=SAM, template="coordinator_reminder")[-1]
    assert nudge.subject == "A friendly nudge from Alumni Mentor Program 2026-27"
    assert "How are things going with Ana Lima?" in flat(nudge.text)
    assert "nothing is wrong" not in nudge.text  # the coordinators' item may say otherwise
    with program.services.sessions() as session:
        [audit] = session.scalars(select(CoordinatorAction)).all()
        assert (audit.address, audit.command) == (COORDINATOR, f"remind {item}")


def test_remind_never_nudges_someone_whose_own_call_for_help_is_still_open(
    program: Program,
) -> None:
    sweep_first_date(program)
    matched(program)
    program.deliver(email(f"Sam Rivera <{SAM}>", PROGRAM_ADDRESS, "HELP, I need a coordinator"))
    with program.services.sessions() as session:
        call = max(session.scalars(select(Attention.id).where(Attention.urgent)).all())
    item = sam_silent_then_remind(program)  # Sam, waiting on a coordinator, is silent
    said = confirmation(program)
    assert f"#{item}: no one reminded" in said
    assert f"Sam Rivera not reminded: their own #{call} is still open" in said
    assert not program.outbox(to=SAM, template="coordinator_reminder")


def test_a_question_is_never_answered_with_a_nudge_it_waits_for_an_answer(
    program: Program,
) -> None:
    item = sam_and_ana_then_sam_writes(program, "Hello, a question about the spring schedule")
    until(program, MONDAY)
    digest = the_digest(program)
    assert "Remind them kindly" not in digest.text  # type: ignore[attr-defined]
    program.deliver(reply_to(digest, COORDINATOR, f"remind {item}"))  # type: ignore[arg-type]
    said = f"#{item}: their message needs an answer, not a reminder; no one reminded"
    assert said in confirmation(program)
    assert not program.outbox(template="coordinator_reminder")


def the_digest_now(program: Program) -> OutboundMessage:
    """The coordinator's newest digest."""
    return program.outbox(to=COORDINATOR, template="digest")[-1]


def test_a_reported_problem_is_never_answered_with_a_friendly_nudge(program: Program) -> None:
    item = sam_and_ana_then_sam_writes(program)
    until(program, MONDAY)
    digest = the_digest(program)
    assert "Remind them kindly" not in flat(digest.text)  # type: ignore[union-attr]
    program.deliver(reply_to(digest, COORDINATOR, f"remind {item}"))  # type: ignore[arg-type]
    said = f"#{item}: urgent: it needs a person, not a reminder; no one reminded"
    assert said in confirmation(program)
    assert not program.outbox(template="coordinator_reminder")


def test_end_ends_the_items_match_both_told_kindly_and_the_reason_is_not_shared(
    program: Program,
) -> None:
    item = sam_and_ana_then_sam_writes(program)
    until(program, MONDAY)
    reason = "conflict of interest found by the office"
    program.deliver(reply_to(the_digest(program), COORDINATOR, f"end {item} {reason}"))  # type: ignore[arg-type]
    assert (
        f"#{item}: the match of Sam Rivera and Ana Lima has ended; both were told kindly"
        in confirmation(program)
    )
    for address, other in ((SAM, "Ana Lima"), (ANA, "Sam Rivera")):
        told = program.outbox(to=address, template="match_ended_by_coordinators")[-1]
        assert told.subject == f"Your mentorship with {other} has ended"
        assert "conflict of interest" not in told.text
        assert "This isn't a judgement of you" in flat(told.text)
        assert "Questions about it? Write to the coordinators at" in flat(told.text)
        assert "reply to this email and the coordinators" not in told.text  # a reply searches
    assert f"(not the reason); #{item} is done" in confirmation(program)
    with program.services.sessions() as session:
        assert session.scalars(select(Match)).one().state == "ended"
        audit = session.scalars(select(CoordinatorAction)).one()
        assert reason in audit.command
        assert session.get_one(Attention, item).resolved  # handled: never chased as open


def test_match_by_reply_proposes_the_pair_to_both_and_unknown_people_are_named(
    program: Program,
) -> None:
    sweep_first_date(program)
    until(program, MONDAY)
    program.deliver(
        reply_to(
            the_digest(program),  # type: ignore[arg-type]
            COORDINATOR,
            f"match {JO} with {TOM}\nmatch nobody@example.edu with {TOM}\nend 999 gone\nmatch {JO}",
        )
    )
    text = confirmation(program)
    assert (
        f"“match {JO} with {TOM}”: Jo Kim and Tom Becker were each asked to say yes or no by "
        in text
    )
    assert "they are introduced when both say yes." in text
    assert "“match nobody@example.edu with " in text
    assert "no one in Alumni Mentor Program 2026-27 has the address nobody@example.edu" in text
    assert "“end 999 gone”: #999: no such item in Alumni Mentor Program 2026-27's list." in text
    assert f"“match {JO}”: not understood, nothing done. Did you mean match MENTEE-EMAIL" in text
    assert program.outbox(to=JO, template="proposal_to_mentee")[-1].subject == (
        "Would you like Tom Becker as your mentor?"
    )
    assert program.outbox(to=TOM, template="proposal_to_mentor")


def test_new_commands_from_someone_not_a_coordinator_change_nothing(program: Program) -> None:
    item = sam_and_ana_then_sam_writes(program)
    until(program, MONDAY)
    before = program.snapshot()
    program.deliver(
        reply_to(
            the_digest(program),  # type: ignore[arg-type]
            "eve@evil.example",
            f"remind {item}\nend {item} bye\napprove {ANA}\nmatch {JO} with {TOM}",
        )
    )
    after = program.snapshot()
    assert after["matches"] == before["matches"] and after["requests"] == before["requests"]
    assert not program.outbox(template="digest_confirmation")
    assert not program.outbox(template="coordinator_reminder")
    assert not program.outbox(template="proposal_to_mentee")
    with program.services.sessions() as session:
        assert not session.scalars(select(CoordinatorAction)).all()


def test_a_mentor_awaiting_approval_is_not_offered_until_a_coordinator_approves(
    program: Program,
) -> None:
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "approval": "required"}
        assert import_participants(session, row, DANA_ROW).created == 1
    assert program.person(DANA).approval == "awaiting"
    listing = search(program, SAM, "a mentor in healthcare analytics")
    assert "Dana Cruz" not in listing.text

    sweep_first_date(program)
    until(program, MONDAY)
    digest = the_digest(program)
    text = flat(digest.text)  # type: ignore[attr-defined]
    assert "Mentors awaiting approval (1): mentees can't find them until you approve them." in text
    assert f"Dana Cruz <{DANA}>, Data Scientist (Healthcare)" in text
    assert f"(or reply “approve {DANA}”)" in text
    program.deliver(reply_to(digest, COORDINATOR, f"approve {DANA}\napprove {DANA}\napprove {SAM}"))  # type: ignore[arg-type]
    text = confirmation(program)
    assert f"“approve {DANA}”: Dana Cruz is approved: mentees can find them now" in text
    assert "Dana Cruz is already approved; nothing changed" in text
    assert "Sam Rivera is a mentee, not a mentor; nothing done" in text
    told = program.outbox(to=DANA, template="approval_given")
    assert len(told) == 1 and "mentees can now find you" in flat(told[0].text)
    assert "Dana Cruz" in search(program, JO, "a mentor in healthcare analytics").text


def test_a_digest_link_asks_first_then_acts_once_as_the_coordinator(program: Program) -> None:
    item = sam_and_ana_then_sam_writes(program)
    until(program, MONDAY)
    text = the_digest(program).text  # type: ignore[attr-defined]
    url = next(
        line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Mark done:")
    )
    page = program.get(url)
    assert page.title == f"Mark #{item} done?" and page.button == "Mark it done"
    with program.services.sessions() as session:
        assert not session.get_one(Attention, item).resolved
    done = program.post(url)
    assert done.title == "Done" and done.message.startswith(f"#{item} done: ")
    again = program.post(url)
    assert again.status == 410
    with program.services.sessions() as session:
        assert session.get_one(Attention, item).resolved
        audit = session.scalars(select(CoordinatorAction)).one()
        assert (audit.address, audit.command) == (COORDINATOR, f"done {item} (link)")


def test_someone_who_writes_asking_to_mentor_answers_the_questions_and_awaits_approval(
    program: Program,
) -> None:
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "approval": "required"}
    pat = "pat.lee@gmail.example.com"
    program.deliver(
        email(f"Pat Lee <{pat}>", PROGRAM_ADDRESS, "Hello! I'd like to become a mentor.")
    )
    asked = program.outbox(to=pat, template="join_questions")[-1]
    assert asked.subject == "Mentoring in Alumni Mentor Program 2026-27: a few questions"
    assert "Name: your name as mentees will see it" in asked.text
    program.deliver(reply_to(asked, pat, "Name: Pat Lee\nProfession: Epidemiologist"))
    again = program.outbox(to=pat, template="join_questions")[-1]
    assert "We still need: Topics." in flat(again.text)
    program.deliver(
        reply_to(
            again,
            pat,
            "Name: Pat Lee\nProfession: Epidemiologist\nIndustry: Public health\n"
            "Topics: healthcare analytics; outbreak data\nMentees: 2",
        )
    )
    assert program.outbox(to=pat, template="join_received")
    person = program.person(pat)
    assert (person.role, person.approval, person.capacity) == ("mentor", "awaiting", 2)
    assert person.interests == ["healthcare analytics", "outbreak data"]
    assert "Pat Lee" not in search(program, SAM, "a mentor in healthcare analytics").text
