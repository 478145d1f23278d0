"""A trial run (year-a): both are asked "is this a good fit?" after the first meeting or
after fit_check_days; "still deciding" is asked again; "not a fit" ends the match kindly."""

from __future__ import annotations

import pytest

from mentormail.service.models import Program as ProgramRow
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, attention, days_pass, matched

pytestmark = pytest.mark.service


def test_both_are_asked_after_fit_check_days_with_three_links(program: Program) -> None:
    matched(program)
    days_pass(program, 29)
    assert program.outbox(template="fit_check") == []
    days_pass(program, 1)
    assert program.outbox(to=SAM, template="checkin") and not program.outbox(template="fit_check")
    days_pass(program, 2)  # due with the first check-in, it comes two days after it
    (to_sam,) = program.outbox(to=SAM, template="fit_check")
    assert to_sam.subject == "Is this a good fit? A quick question about Ana"
    assert to_sam.expects == "fit"
    assert set(to_sam.links) >= {"fit_good", "fit_deciding", "fit_not_a_fit"}
    assert "that's nobody's fault" in flat(to_sam.text)
    assert len(program.outbox(to=ANA, template="fit_check")) == 1
    days_pass(program, 0)
    assert len(program.outbox(template="fit_check")) == 2  # asked once


def test_the_first_meeting_brings_the_question_sooner(program: Program) -> None:
    with program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "fit_check_days": 60}
    matched(program)
    days_pass(program, 30)
    assert program.outbox(template="fit_check") == []
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "We met!"))
    days_pass(program, 2)  # the next morning but one: not with the check-in
    assert len(program.outbox(to=SAM, template="fit_check")) == 1
    assert len(program.outbox(to=ANA, template="fit_check")) == 1
    days_pass(program, 30)  # 60 days: not asked a second time
    assert len(program.outbox(to=SAM, template="fit_check")) == 1


def test_still_deciding_is_asked_again_with_the_next_checkin(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    days_pass(program, 2)  # the fit question comes two days after the first check-in
    program.deliver(
        reply_to(program.outbox(to=SAM, template="fit_check")[-1], SAM, "Still deciding")
    )
    program.deliver(reply_to(program.outbox(to=ANA, template="fit_check")[-1], ANA, "Good fit!"))
    (thanks,) = program.outbox(to=SAM, template="fit_thanks")
    assert "we'll ask again with the next check-in" in flat(thanks.text)
    days_pass(program, 30)
    assert len(program.outbox(to=SAM, template="fit_check")) == 2
    assert len(program.outbox(to=ANA, template="fit_check")) == 1  # Ana said good


def test_not_a_fit_from_the_mentor_ends_without_fault_and_offers_the_mentee_others(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    days_pass(program, 2)  # the fit question comes two days after the first check-in
    program.deliver(
        reply_to(program.outbox(to=ANA, template="fit_check")[-1], ANA, "Honestly, not a fit")
    )
    (told,) = program.outbox(to=SAM, template="ended_not_a_fit")
    text = flat(told.text)
    assert "Your mentorship with Ana Lima has ended. Thank you for the time you gave it." in text
    assert "Not every pairing" not in text  # a hint at what Ana said
    assert "Here are other mentors you could ask" in text
    assert not any(word in text for word in ("felt", "said", "decided"))  # as promised
    assert "Grace Okafor" in text and "Ana Lima —" not in text
    assert "Questions about it? Write to the coordinators at coordinator@" in text  # not a reply
    (done,) = program.outbox(to=ANA, template="not_a_fit_confirmed")
    assert "without passing on what you said" in flat(done.text)
    assert any("not a fit" in a.reason for a in attention(program))
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "MET"))
    assert program.outbox(to=SAM, template="match_already_ended")


def test_an_unclear_fit_answer_records_nothing_and_asks(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    days_pass(program, 2)  # the fit question comes two days after the first check-in
    program.deliver(reply_to(program.outbox(to=SAM, template="fit_check")[-1], SAM, "Hmm"))
    (asked,) = program.outbox(to=SAM, template="fit_did_you_mean")
    assert "we haven't recorded anything yet" in flat(asked.text)
    page = program.post(asked.links["fit_good"])
    assert page.title == "Thank you"
    assert program.outbox(to=SAM, template="fit_thanks")


def test_praise_of_the_match_in_spanish_or_french_is_a_good_fit(program: Program) -> None:
    matched(program)
    days_pass(program, 32)
    lists = len(program.outbox(template="mentor_list"))
    praise = (
        (SAM, "Sí, es muy buena combinación"),
        (ANA, "C'est exactement ce que je cherchais !"),
    )
    for person, words in praise:
        program.deliver(
            reply_to(program.outbox(to=person, template="fit_check")[-1], person, words)
        )
        (thanks,) = program.outbox(to=person, template="fit_thanks")
        assert "We're glad you and" in flat(thanks.text) and "are a good fit" in flat(thanks.text)
    assert not program.outbox(template="fit_did_you_mean")
    assert len(program.outbox(template="mentor_list")) == lists  # no new search
