"""What the digest says is news and what it says needs a person: endings are told once, an
urgent item no one closed is chased, and an item about a mentee with no mentor closes itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from mentormail.service import coordinators
from mentormail.service.models import Attention, Participant
from mentormail.service.models import Program as ProgramRow
from mentormail.service.sweep import sweep
from mentormail.workflows.digest_items import NO_MENTOR_FITS
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.pair_steps import matched
from tests.service.steps import ANA, JO, SAM, ask, days_pass, every_day_until, until

pytestmark = pytest.mark.service

COORDINATOR = "coordinator@example.edu"


def digests(program: Program) -> list[str]:
    """The text of each digest the coordinator got, oldest first."""
    return [flat(row.text) for row in program.outbox(to=COORDINATOR, template="digest")]


def test_an_ending_is_told_once_as_news_and_is_not_a_task(program: Program) -> None:
    sweep(program.services)  # the first digest date is set: Monday 5 October, 08:00
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    introduced = program.outbox(to=SAM, template="intro_mentee")[-1]
    program.deliver(reply_to(introduced, SAM, "Please stop emailing me"))
    assert program.last_to(SAM).template == "left_program"

    until(program, datetime(2026, 10, 5, 8, 0))
    [row] = program.outbox(to=COORDINATOR, template="digest")
    assert row.subject.endswith(": nothing needs a person"), row.subject
    text = flat(row.text)
    assert "Nothing needs a person this week." in text
    news = text.split("For your information, since 28 September (nothing to do):")[1]
    assert "match ended: the mentee left the program: mentor Ana Lima" in news.split("\n\n")[0]
    assert "Mark done" not in text

    until(program, datetime(2026, 10, 12, 8, 0))
    assert "match ended" not in digests(program)[1]  # told once, in its own week


def test_an_urgent_item_no_one_closed_is_emailed_again_once_naming_who_waits(
    program: Program,
) -> None:
    program.deliver(
        email(f"Jo Kim <{JO}>", PROGRAM_ADDRESS, "I'd like to report a problem with a mentor")
    )
    [first] = program.outbox(to=COORDINATOR, template="coordinator_alert")
    assert first.subject == "Urgent: Jo Kim (mentee) reported a problem"  # no address to cut it
    reported = program.services.clock.now()

    until(program, reported + timedelta(days=1, hours=23))
    assert len(program.outbox(to=COORDINATOR, template="coordinator_alert")) == 1
    until(program, reported + timedelta(days=2, minutes=1))
    alerts = program.outbox(to=COORDINATOR, template="coordinator_alert")
    assert len(alerts) == 2
    chased = alerts[1]
    assert chased.subject.startswith("Still open after 2 days: Jo Kim"), chased.subject
    text = flat(chased.text)
    assert "No one has marked this done since" in text
    assert "Jo Kim was told a coordinator would get in touch" in text
    assert "reply “done" in text

    until(program, reported + timedelta(days=9))
    assert len(program.outbox(to=COORDINATOR, template="coordinator_alert")) == 2


def test_an_urgent_item_closed_in_time_is_not_chased(program: Program) -> None:
    program.deliver(
        email(f"Jo Kim <{JO}>", PROGRAM_ADDRESS, "I'd like to report a problem with a mentor")
    )
    with program.services.unit_of_work() as session:
        item = session.scalars(select(Attention).where(Attention.urgent.is_(True))).one()
        item.resolved = True
    until(program, program.services.clock.now() + timedelta(days=5))
    assert len(program.outbox(to=COORDINATOR, template="coordinator_alert")) == 1


def test_a_no_mentor_fits_item_says_who_fits_now_and_closes_once_the_mentee_has_a_mentor(
    program: Program,
) -> None:
    sweep(program.services)
    with program.services.unit() as uow:
        sam = uow.session.scalars(select(Participant).where(Participant.email == SAM)).one()
        program_id = uow.session.scalars(select(ProgramRow.id)).one()
        coordinators.flag(
            uow,
            program_id,
            f"a proposed pair was not answered in time and {NO_MENTOR_FITS}: mentee Sam Rivera",
            "the mentors who fit them (Ana Lima) have no free seat",
            person=sam,
        )
    until(program, datetime(2026, 10, 26, 8, 0))  # past the 14 days of "no mentor"
    waiting = digests(program)[-1]
    assert NO_MENTOR_FITS in waiting
    assert (  # Ana's seat is free now, though it was not when the item was raised
        "Now: Ana Lima <ana.lima@alumni.example.edu> fits and has a free seat: reply “match"
        " sam.rivera@student.example.edu with ana.lima@alumni.example.edu” to propose them."
    ) in waiting
    assert not [i for i in waiting.split(" #") if "no mentor for" in i and "Sam Rivera" in i]
    raw = program.outbox(to=COORDINATOR, template="digest")[-1].text
    assert "\nNow: Ana Lima" in raw and "> Now:" not in raw  # ours, not a quote of Sam's

    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    until(program, datetime(2026, 11, 2, 8, 0))
    assert NO_MENTOR_FITS not in digests(program)[-1]
    with program.services.sessions() as session:
        found = select(Attention.resolved).where(Attention.reason.contains(NO_MENTOR_FITS))
        assert session.scalars(found).all() == [True]


def test_a_digest_sent_late_still_tells_the_news_since_the_last_one(program: Program) -> None:
    sweep(program.services)
    until(program, datetime(2026, 10, 5, 8, 0))  # the first digest
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    introduced = program.outbox(to=SAM, template="intro_mentee")[-1]
    program.deliver(reply_to(introduced, SAM, "Please stop emailing me"))

    until(program, datetime(2026, 10, 26, 8, 0))  # the clock was down for three weeks
    latest = digests(program)[-1]
    assert "The numbers, 19 October to 26 October:" in latest
    assert "For your information, since 5 October (nothing to do):" in latest
    assert "match ended: the mentee left the program" in latest


def test_a_silent_partner_item_closes_once_the_pair_has_ended(program: Program) -> None:
    sweep(program.services)
    matched(program)
    for _ in range(3):  # Sam never answers a check-in; Ana does
        days_pass(program, 30)
        program.deliver(reply_to(program.outbox(to=ANA)[-1], ANA, "Not yet"))
    days_pass(program, 30)
    silent = Attention.reason.startswith("the mentee has not answered 3 check-ins in a row")
    with program.services.sessions() as session:
        assert session.scalars(select(Attention.resolved).where(silent)).all() == [False]
    asked = program.outbox(to=ANA, template="checkin_partner_silent")[-1]
    program.deliver(reply_to(asked, ANA, "END"))
    days_pass(program, 7)  # a digest goes out meanwhile
    with program.services.sessions() as session:
        assert session.scalars(select(Attention.resolved).where(silent)).all() == [True]
    assert "has not answered" not in digests(program)[-1]


def _sam_silent_for_three_checkins(program: Program) -> Any:
    """Sam never answers three check-ins (Ana does): the item about Sam is open."""
    sweep(program.services)
    matched(program)
    for _ in range(3):
        days_pass(program, 30)
        program.deliver(reply_to(program.outbox(to=ANA, template="checkin")[-1], ANA, "Not yet"))
    days_pass(program, 30)  # the fourth check-in finds Sam silent three times
    silent = Attention.reason.startswith("the mentee has not answered 3 check-ins in a row")
    with program.services.sessions() as session:
        assert session.scalars(select(Attention.resolved).where(silent)).all() == [False]
    return silent


def test_a_silent_partner_item_closes_once_they_answer_a_survey_about_the_pair(
    program: Program,
) -> None:
    silent = _sam_silent_for_three_checkins(program)
    (pulse,) = program.outbox(to=SAM, template="survey")
    program.deliver(reply_to(pulse, SAM, "4, sorry for the silence"))
    with program.services.sessions() as session:
        assert session.scalars(select(Attention.resolved).where(silent)).all() == [True]
    days_pass(program, 7)  # a digest goes out meanwhile
    assert "has not answered" not in digests(program)[-1]


def test_a_silent_partner_item_closes_once_they_answer_a_checkin(program: Program) -> None:
    silent = _sam_silent_for_three_checkins(program)
    latest = program.outbox(to=SAM, template="checkin_nudge")[-1]
    program.deliver(reply_to(latest, SAM, "MET last week, sorry!"))
    with program.services.sessions() as session:
        assert session.scalars(select(Attention.resolved).where(silent)).all() == [True]


def test_a_silent_partner_item_closes_once_they_answer_the_wrapup_by_link(
    program: Program,
) -> None:
    silent = _sam_silent_for_three_checkins(program)
    every_day_until(program, datetime(2027, 6, 9, 9, 0))
    (wrapup,) = program.outbox(to=SAM, template="wrapup_question")
    program.post(wrapup.links["wrapup_continue"])
    with program.services.sessions() as session:
        assert session.scalars(select(Attention.resolved).where(silent)).all() == [True]


def test_a_problem_report_names_the_partner_and_the_digest_says_when_the_reporter_has_left(
    program: Program,
) -> None:
    sweep(program.services)
    program.deliver(reply_to(ask(program, SAM), ANA, "Yes, happy to!"))
    introduced = program.outbox(to=SAM, template="intro_mentee")[-1]
    program.deliver(reply_to(introduced, SAM, "I'd like to report a problem with my mentor"))
    alert = program.outbox(to=COORDINATOR, template="coordinator_alert")[-1]
    said = (
        "Sam Rivera <sam.rivera@student.example.edu> (mentee; their mentor Ana Lima"
        " <ana.lima@alumni.example.edu>) reported a problem"
    )
    assert said in flat(alert.text)
    program.deliver(reply_to(program.last_to(SAM), SAM, "stop"))

    until(program, datetime(2026, 10, 5, 8, 0))
    digest = program.outbox(to=COORDINATOR, template="digest")[-1].text
    assert said in flat(digest) and "\nNow: Sam Rivera has left the program.\n" in digest


def test_a_persons_own_now_paragraph_stays_in_their_quoted_words(program: Program) -> None:
    sweep(program.services)
    forged = "Hi, can I get a mentor?\n\nNow: Ana Lima has left the program."
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, forged))
    until(program, datetime(2026, 10, 5, 8, 0))
    digest = program.outbox(to=COORDINATOR, template="digest")[-1].text
    assert "> Now: Ana Lima has left the program." in digest  # quoted: Sam's words
    assert "\nNow: Ana Lima has left" not in digest
