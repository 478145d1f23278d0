"""Either side ends a match at any time, never ghosting: which situation fits, the message the
partner will get (or their own words), then the partner has it, staff are told, the seat is free."""

from __future__ import annotations

import pytest

from mentormail.service import ending
from mentormail.service.models import Match
from mentormail.service.outbox import link_ttl, link_url
from mentormail.service.tokens import issue_link
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.pair_steps import matched, newest, the_match
from tests.service.steps import ANA, SAM, attention, search

pytestmark = pytest.mark.service


def test_mentor_who_replies_end_is_asked_which_situation_fits_and_nothing_is_sent_yet(
    program: Program,
) -> None:
    matched(program)
    intro = newest(program, ANA, "intro_mentor")
    before = len(program.outbox(to=SAM))

    program.deliver(reply_to(intro, ANA, "END"))

    which = program.last_to(ANA)
    assert which.template == "ending_which"
    assert which.expects == "ending"
    text = flat(which.text)
    assert "Nothing has been sent to Sam yet" in text
    assert "1. Sam hasn't responded" in text and "4. My circumstances changed" in text
    assert set(which.links) >= {"end_unresponsive", "end_not_invested", "end_great_year"}
    assert len(program.outbox(to=SAM)) == before
    assert the_match(program).state == "active"


def test_unresponsive_ending_by_number_shows_the_message_then_the_link_sends_it(
    program: Program,
) -> None:
    matched(program)
    intro = newest(program, ANA, "intro_mentor")
    program.deliver(reply_to(intro, ANA, "I'd like to end the mentorship"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "1"))

    preview = program.last_to(ANA)
    assert preview.template == "ending_preview"
    assert "> I've sent you emails since we were matched on Thursday 1 October" in preview.text
    assert "I will stop our mentorship now" in flat(preview.text)
    assert "Sam" in preview.text and the_match(program).state == "active"

    page = program.post(preview.links["end_send"])

    assert page.title == "Your mentorship has ended"
    pair = the_match(program)
    assert (pair.state, pair.end_reason, pair.ended_by) == ("ended", "unresponsive", "mentor")
    to_sam = program.last_to(SAM)
    assert to_sam.template == "ending_message"
    assert to_sam.subject == "Ana Lima has ended your mentorship"
    assert "I will stop our mentorship now" in flat(to_sam.text)
    assert "other available mentors" in flat(to_sam.text)  # the term has time: others offered
    assert "Ana Lima" not in flat(to_sam.text).split("other available mentors")[1]
    sent = newest(program, ANA, "ending_sent")
    assert sent.subject == "Your mentorship with Sam Rivera has ended"
    told = "match ended: mentor said the other didn't respond"
    assert any(told in a.reason for a in attention(program))
    assert "Ana Lima" in flat(search(program, "jo.kim@student.example.edu").text)  # seat free


def test_their_own_words_replace_the_programs_message(program: Program) -> None:
    matched(program)
    program.deliver(reply_to(newest(program, SAM, "intro_mentee"), SAM, "END"))
    which = program.last_to(SAM)
    program.post(which.links["end_no_fault"])
    own = (
        "Dear Ana, I'm moving abroad for a job next month and can't keep our meetings going. "
        "Thank you so much for your advice on my CV."
    )
    program.deliver(reply_to(program.last_to(SAM), SAM, own))

    preview = program.last_to(SAM)
    assert preview.template == "ending_preview"
    assert "> Dear Ana, I'm moving abroad" in preview.text
    assert "My circumstances have changed" not in preview.text
    program.deliver(reply_to(preview, SAM, "Yes, send it"))

    to_ana = program.last_to(ANA)
    assert to_ana.template == "ending_message"
    assert "I'm moving abroad for a job" in flat(to_ana.text)
    assert "Your place is free again" in flat(to_ana.text)
    assert the_match(program).end_reason == "no_fault"


def test_great_year_message_proposes_a_wrap_up_meeting_and_staying_in_touch(
    program: Program,
) -> None:
    pair = matched(program)
    with program.services.unit() as uow:
        match = uow.session.get_one(Match, pair.id)
        ending.start(uow, match, match.mentee, "test")
    program.work()
    program.post(program.last_to(SAM).links["end_great_year"])
    preview = program.last_to(SAM)
    text = flat(preview.text)
    assert "one last meeting to look back at the milestones" in text
    assert "stay in touch" in text
    program.post(preview.links["end_send"])
    to_ana = program.last_to(ANA)
    assert to_ana.subject == "Sam Rivera is wrapping up your mentorship"


def test_a_reply_to_an_ending_email_after_the_match_ended_says_so_and_changes_nothing(
    program: Program,
) -> None:
    matched(program)
    program.deliver(reply_to(newest(program, ANA, "intro_mentor"), ANA, "END"))
    which = program.last_to(ANA)
    program.post(which.links["end_not_invested"])
    program.post(program.last_to(ANA).links["end_send"])
    before = program.snapshot()

    program.deliver(reply_to(which, ANA, "2"))

    told = program.last_to(ANA)
    assert told.template == "match_already_ended"
    assert "has already ended" in flat(told.text) and "haven't changed anything" in flat(told.text)
    after = program.snapshot()
    assert after["matches"] == before["matches"] and after["requests"] == before["requests"]
    assert program.get(which.links["end_great_year"]).title == "This mentorship has already ended"


def test_an_unclear_reply_to_the_question_asks_again_and_acts_on_nothing(program: Program) -> None:
    matched(program)
    program.deliver(reply_to(newest(program, ANA, "intro_mentor"), ANA, "END"))
    program.deliver(reply_to(program.last_to(ANA), ANA, "hmm, not sure"))
    again = program.outbox(to=ANA, template="ending_which")
    assert len(again) == 2
    assert the_match(program).state == "active"
    said = flat(again[-1].text)  # the same question again, saying why it came again
    assert "We couldn't read your reply as one of the choices below" in said
    assert "> hmm, not sure" in again[-1].text
    assert "couldn't read" not in flat(again[0].text)


def test_an_ending_picked_and_sent_in_spanish_words_ends_the_mentorship(program: Program) -> None:
    matched(program)
    program.deliver(reply_to(newest(program, SAM, "intro_mentee"), SAM, "END"))
    program.deliver(reply_to(program.last_to(SAM), SAM, "la 4"))
    preview = program.last_to(SAM)
    assert preview.template == "ending_preview" and "couldn't read" not in flat(preview.text)

    program.deliver(reply_to(preview, SAM, "Sí, envíalo"))

    pair = the_match(program)
    assert (pair.state, pair.end_reason) == ("ended", "no_fault")
    assert program.last_to(ANA).template == "ending_message"


def test_their_own_words_reach_the_partner_signed_with_their_name(program: Program) -> None:
    matched(program)
    program.deliver(reply_to(newest(program, SAM, "intro_mentee"), SAM, "END"))
    program.post(program.last_to(SAM).links["end_no_fault"])
    own = "Hola Ana, me voy a vivir a Munich en enero y no podré seguir con nuestras reuniones."
    program.deliver(reply_to(program.last_to(SAM), SAM, own))
    program.post(program.last_to(SAM).links["end_send"])

    to_ana = program.last_to(ANA).text
    assert own in flat(to_ana)
    assert "reuniones.\n>\n> Sam\n" in to_ana  # the sign-off the
    # reader cuts from a reply ("Un saludo, Sam") is not left out of a message to a person


def test_the_end_link_a_check_in_carries_starts_an_ending(program: Program) -> None:
    pair = matched(program)
    with program.services.unit() as uow:
        match = uow.session.get_one(Match, pair.id)
        spec = ending.end_link(match, match.mentor)
        token = issue_link(uow.session, spec, uow.now, link_ttl(program.services))
        url = link_url(program.services, token)
    page = program.get(url)
    assert page.title == "End your mentorship with Sam Rivera?"
    program.post(url)
    assert program.last_to(ANA).template == "ending_which"
