"""Check-ins through the year: asked at the cadence with a tip, answered MET / NOT YET / HELP
by reply or link, skipped while the pair meets, and the unresponsive ladder."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mentormail.service.models import CheckIn, Match, Meeting, OutboundMessage
from tests.email_checks import flat
from tests.harness import Program, email, reply_to
from tests.service.steps import ANA, SAM, attention, days_pass, matched

pytestmark = pytest.mark.service


def test_a_pair_is_asked_each_month_whether_they_met_with_links_and_a_tip(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 29)
    assert not program.outbox(template="checkin")
    days_pass(program, 1)
    (to_ana,) = program.outbox(to=ANA, template="checkin")
    (to_sam,) = program.outbox(to=SAM, template="checkin")
    assert to_sam.subject == "Have you and Ana met since Thursday 1 October 2026?"
    text = flat(to_sam.text)
    assert "your mentorship with Ana Lima" in text
    assert "Reply with one word" in text and "MET" in text and "NOT YET" in text
    assert set(to_sam.links) >= {"met", "not_yet", "help"}
    idea = "An idea for your next conversation: Talk about {}: the turns it took, what {} would"
    assert idea.format("Ana's career path", "Ana") in text  # the same idea, worded for each
    assert idea.format("your career path", "you") in flat(to_ana.text)
    assert to_sam.expects == "checkin" and to_ana.expects == "checkin"
    days_pass(program, 0)
    assert len(program.outbox(template="checkin")) == 2  # the sweep again sends nothing


def _sam_answers_the_first_checkin(
    program: Program, words: str
) -> tuple[OutboundMessage, OutboundMessage]:
    """A month into the match, Sam answers the check-in in these words: it and the thanks."""
    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    program.deliver(reply_to(to_sam, SAM, words))
    (thanks,) = program.outbox(to=SAM, template="met_logged")
    return to_sam, thanks


def test_met_with_a_date_logs_the_meeting_and_thanks_them(program: Program) -> None:
    _, thanks = _sam_answers_the_first_checkin(program, "MET on 20 October, it was great")
    assert "we've noted that you and Ana Lima met on Tuesday 20 October 2026." in flat(thanks.text)
    with program.services.sessions() as session:
        (meeting,) = session.scalars(select(Meeting)).all()
        assert (meeting.reported_by, meeting.met_on.isoformat()) == ("mentee", "2026-10-20")


def test_the_check_ins_own_example_answer_logs_a_meeting_on_the_day_it_names(
    program: Program,
) -> None:
    to_sam, thanks = _sam_answers_the_first_checkin(program, "MET yesterday")
    text = flat(to_sam.text)
    assert "MET (add when, if you like: “MET yesterday”, or a day and month)" in text
    assert re.search(r'class="button primary"[^>]*>MET</a>', to_sam.html)  # the hint is for replies
    with program.services.sessions() as session:
        (meeting,) = session.scalars(select(Meeting)).all()
    assert meeting.met_on == to_sam.created_at.date() - timedelta(days=1)
    day = f"{meeting.met_on:%A} {meeting.met_on.day} {meeting.met_on:%B %Y}"
    assert f"we've noted that you and Ana Lima met on {day}." in flat(thanks.text)


FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")  # fmt: skip


def test_met_given_by_its_month_alone_is_logged_in_that_month_not_on_the_replys_day(
    program: Program,
) -> None:
    matched(program)
    started = program.services.clock.now().date()
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    while program.services.clock.now().month == started.month:
        days_pass(program, 1)
    program.deliver(
        reply_to(to_sam, SAM, f"Oui, on s'est vus en {FRENCH_MONTHS[started.month - 1]}")
    )

    (thanks,) = program.outbox(to=SAM, template="met_logged")
    assert f"you and Ana Lima met in {started:%B %Y}." in flat(thanks.text)
    with program.services.sessions() as session:
        (meeting,) = session.scalars(select(Meeting)).all()
    last_day = program.services.clock.now().date().replace(day=1) - timedelta(days=1)
    assert meeting.met_on == last_day and last_day.month == started.month


def test_after_a_meeting_given_by_its_month_the_next_check_in_names_the_month_not_a_day(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    days_pass(program, 20)  # into the next month, and they met in it
    month = program.services.clock.now().date()
    assert month.month != to_sam.created_at.month
    program.deliver(reply_to(to_sam, SAM, f"Met in {month:%B} - a long walk by the river"))
    assert f"you and Ana Lima met in {month:%B %Y}." in flat(program.last_to(SAM).text)
    while len(program.outbox(to=ANA, template="checkin")) < 2:
        days_pass(program, 5)

    for person, other in ((ANA, "Sam"), (SAM, "Ana")):
        checkin = program.outbox(to=person, template="checkin")[-1]
        assert checkin.subject == f"Have you and {other} met since your meeting in {month:%B %Y}?"
        asked = f"since your meeting in {month:%B %Y}, the last one you told us of?"
        assert asked in flat(checkin.text)
        assert f"meeting of {month:%A}" not in flat(checkin.text)  # no day nobody named


def test_met_without_a_day_thanks_them_without_naming_one(program: Program) -> None:
    _, thanks = _sam_answers_the_first_checkin(program, "Met – coffee and a long walk")
    assert "we've noted that you and Ana Lima met. There's nothing else" in flat(thanks.text)


def test_no_checkin_while_the_pair_met_within_half_the_cadence(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    to_ana = program.outbox(to=ANA, template="checkin")[-1]
    program.get(to_ana.links["met"])
    program.post(to_ana.links["met"])
    days_pass(program, 30)  # they met 30 days ago: more than half a cadence, so asked again
    assert len(program.outbox(to=ANA, template="checkin")) == 2
    to_ana = program.outbox(to=ANA, template="checkin")[-1]
    days_pass(program, 20)
    program.deliver(reply_to(to_ana, ANA, "met"))
    days_pass(program, 10)  # they met 10 days ago: no check-in this time
    assert len(program.outbox(to=ANA, template="checkin")) == 2
    days_pass(program, 30)  # the next asks about the time since that meeting, not the start
    checkins = program.outbox(to=ANA, template="checkin")
    assert len(checkins) == 3
    met = checkins[-1].created_at.date() - timedelta(days=40)
    day = f"{met:%A} {met.day} {met:%B %Y}"
    assert checkins[-1].subject == f"Have you and Sam met since {day}?"
    asked = f"have you met or talked since your meeting of {day}, the last one you told us of?"
    assert asked in flat(checkins[-1].text)
    assert asked in flat(program.outbox(to=SAM, template="checkin")[-1].text)


def test_not_yet_gets_a_suggestion_and_help_reaches_the_coordinators_at_once(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=ANA, template="checkin")[-1], ANA, "Not yet"))
    (idea,) = program.outbox(to=ANA, template="not_yet_suggestion")
    assert "proposing two or three times" in flat(idea.text)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    program.deliver(reply_to(to_sam, SAM, "HELP - my mentor keeps cancelling on me"))
    (alert,) = program.outbox(template="coordinator_alert")
    assert "keeps cancelling" in flat(alert.text)
    (told,) = program.outbox(to=SAM, template="help_passed_on")
    assert "Nothing has been said to your mentor" in flat(told.text)
    assert any(a.urgent and a.reason.startswith("HELP from mentee") for a in attention(program))


def test_a_second_not_yet_with_no_meeting_offers_a_coordinator_not_the_same_idea(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "Not yet"))
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "not yet"))

    assert len(program.outbox(to=SAM, template="not_yet_suggestion")) == 1
    still = program.last_to(SAM)
    assert still.template == "not_yet_still"
    assert still.subject == "Not met Ana yet: can we help?"
    words = flat(still.text)
    started = the_match_start(program)
    assert f"You and Ana haven't met yet since your mentorship began on {started}" in words
    assert "reply HELP and one of the program's coordinators will get in touch" in words
    assert "Busy weeks happen" not in words
    assert set(still.links) >= {"met"}


def test_someone_whose_help_is_still_open_is_told_so_not_offered_help_again(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "HELP"))
    asked_on = f"{program.services.clock.now():%A %-d %B %Y}"
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "not yet"))
    days_pass(program, 30)
    checkin = flat(program.outbox(to=SAM, template="checkin")[-1].text)
    assert f"Your message to the coordinators of {asked_on} is still open with them" in checkin
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "not yet"))
    still = flat(program.last_to(SAM).text)
    assert program.last_to(SAM).template == "not_yet_still"
    assert f"The program's coordinators have had your message since {asked_on}" in still
    assert "write to them directly at" in still and "reply HELP" not in still
    to_ana = flat(program.outbox(to=ANA, template="checkin")[-1].text)
    assert "still open" not in to_ana  # Ana asked nothing


def the_match_start(program: Program) -> str:
    """The pair's start day as emails write it."""
    with program.services.sessions() as session:
        pair = session.scalars(select(Match)).one()
        return f"{pair.started_at:%A %-d %B %Y}"


def test_an_unclear_answer_records_nothing_and_asks_what_they_meant(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    program.deliver(
        reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "Hmm, sort of, maybe")
    )
    (asked,) = program.outbox(to=SAM, template="checkin_did_you_mean")
    assert "we haven't recorded anything yet" in flat(asked.text)
    with program.services.sessions() as session:
        assert session.scalars(select(Meeting)).all() == []
        (row,) = session.scalars(select(CheckIn)).all()
        assert row.mentee_answer == "unclear"  # no answer, but a reply: not a missed one


def test_two_missed_checkins_bring_a_nudge_and_three_ask_the_partner(program: Program) -> None:
    matched(program)
    for _ in range(3):
        days_pass(program, 30)
        latest = program.outbox(to=ANA)[-1]
        program.deliver(reply_to(latest, ANA, "Not yet"))
    # Sam never answered: after two a nudge, after three Ana is asked whether to go on
    (nudge,) = program.outbox(to=SAM, template="checkin_nudge")
    assert "We haven't heard back from our last two check-ins" in flat(nudge.text)
    days_pass(program, 30)
    (ask_ana,) = program.outbox(to=ANA, template="checkin_partner_silent")
    assert "We haven't heard from Sam Rivera for the last three check-ins" in flat(ask_ana.text)
    assert any(
        a.reason.startswith("the mentee has not answered 3 check-ins in a row: mentor Ana Lima")
        for a in attention(program)
    )
    program.deliver(reply_to(ask_ana, ANA, "END"))
    (ended,) = program.outbox(to=SAM, template="ended_unresponsive")
    assert "so your mentorship with Ana Lima has ended" in flat(ended.text)
    assert "decided" not in flat(ended.text)  # Ana was told Sam hears we couldn't reach him
    assert "The coordinators are at coordinator@example.edu" in flat(ended.text)
    (done,) = program.outbox(to=ANA, template="unresponsive_ended")
    assert "we've told Sam kindly" in flat(done.text)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "MET"))
    (kind,) = program.outbox(to=SAM, template="match_already_ended")
    assert "so we haven't changed anything" in flat(kind.text)
    assert "program's coordinators at coordinator@example.edu" in flat(kind.text)


def test_an_unclear_reply_is_not_silence_so_no_nudge_says_we_havent_heard_back(
    program: Program,
) -> None:
    matched(program)
    for answer in ("Hmm, sort of", None):  # Sam answers the first unclearly, not the second
        days_pass(program, 30)
        if answer:
            to_sam = program.outbox(to=SAM, template="checkin")[-1]
            program.deliver(reply_to(to_sam, SAM, answer))
    days_pass(program, 30)
    assert program.outbox(to=SAM, template="checkin_did_you_mean")
    assert not program.outbox(to=SAM, template="checkin_nudge")  # one miss in a row, not two


def test_a_checkin_answered_with_a_question_is_not_silence_so_no_nudge_says_we_havent_heard(
    program: Program,
) -> None:
    matched(program)
    words = "Not yet. I wrote to Ana twice (21.09. and 05.10.), no answer. Is her address right?"
    for answer in (words, None):  # Sam answers the first with a question, not the second
        days_pass(program, 30)
        if answer:
            to_sam = program.outbox(to=SAM, template="checkin")[-1]
            program.deliver(reply_to(to_sam, SAM, answer))
    days_pass(program, 30)
    (item,) = [a for a in attention(program) if "Sam Rivera" in a.reason]
    assert "asks a question" in item.reason and "Is her address right?" in item.detail
    assert not program.outbox(to=SAM, template="checkin_nudge")  # one miss in a row, not two


def test_a_reply_to_an_older_checkin_still_counts_for_the_one_it_answers(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    first = program.outbox(to=SAM, template="checkin")[-1]
    days_pass(program, 30)
    assert len(program.outbox(to=SAM, template="checkin")) == 2
    program.deliver(reply_to(first, SAM, "MET on 15 October"))
    with program.services.sessions() as session:
        rows = session.scalars(select(CheckIn).order_by(CheckIn.number)).all()
        assert [r.mentee_answer for r in rows] == ["met", None]
        (meeting,) = session.scalars(select(Meeting)).all()
        assert meeting.checkin_id == rows[0].id and meeting.met_on.isoformat() == "2026-10-15"


def test_not_yet_in_portuguese_is_not_yet_and_never_starts_an_ending(program: Program) -> None:
    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    program.deliver(reply_to(to_sam, SAM, "Ainda não, estamos a marcar uma data."))
    answer = program.last_to(SAM)
    assert answer.template == "not_yet_suggestion"
    assert not program.outbox(template="ending_which")


def test_both_saying_met_to_one_checkin_is_one_meeting(program: Program) -> None:
    from mentormail.service.checkins import meeting_counts

    matched(program)
    days_pass(program, 30)
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "MET"))
    program.deliver(reply_to(program.outbox(to=ANA, template="checkin")[-1], ANA, "MET"))
    with program.services.sessions() as session:
        (pair,) = session.scalars(select(Match)).all()
        assert meeting_counts(session, [pair.id])[pair.id][0] == 1


def test_the_met_link_page_names_the_day_the_partner_gave_which_it_records(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    met_on = program.services.clock.now().date() - timedelta(days=3)
    said = f"MET on {met_on:%-d %B}, at her office"
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, said))
    link = program.outbox(to=ANA, template="checkin")[-1].links["met"]
    page = program.get(link)
    assert "today" not in page.message
    assert f"{met_on:%A %-d %B}" in page.message and "Sam Rivera" in page.message
    program.post(link)
    with program.services.sessions() as session:
        assert {m.met_on for m in session.scalars(select(Meeting))} == {met_on}


def test_every_check_in_offers_to_end_and_its_link_starts_the_ending_only_when_pressed(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    url = to_sam.links["end_match"]
    assert f"Want to end the mentorship? Reply END or use this link: {url}" in flat(to_sam.text)
    assert re.search(f'class="button secondary"[^>]*href="{url}"', to_sam.html)  # a quiet END
    assert re.search(f'class="button primary"[^>]*href="{to_sam.links["met"]}"', to_sam.html)
    page = program.get(url)  # a mail scanner, or a first look: nothing happens
    assert (page.title, page.button) == (
        "End your mentorship with Ana Lima?",
        "Yes, I'd like to end it",
    )
    assert not program.outbox(to=SAM, template="ending_which")
    assert program.post(url).title == "We've emailed you"
    (which,) = program.outbox(to=SAM, template="ending_which")
    assert "Nothing has been sent to Ana yet" in flat(which.text)
    assert "1. Ana hasn't responded" in flat(which.text)
    assert program.post(url).status == 410  # once only
    assert not program.outbox(to=ANA, template="ending_message")


def test_the_personal_nudge_also_offers_to_end(program: Program) -> None:
    matched(program)
    for _ in range(3):
        days_pass(program, 30)
        program.deliver(reply_to(program.outbox(to=ANA)[-1], ANA, "Not yet"))
    (nudge,) = program.outbox(to=SAM, template="checkin_nudge")
    url = nudge.links["end_match"]
    assert f"Reply END or use this link: {url}" in flat(nudge.text)
    program.post(url)
    assert program.outbox(to=SAM, template="ending_which")


def test_the_partner_of_a_silent_person_ends_by_the_ladders_own_link(program: Program) -> None:
    matched(program)
    for _ in range(3):
        days_pass(program, 30)
        program.deliver(reply_to(program.outbox(to=ANA)[-1], ANA, "Not yet"))
    days_pass(program, 30)
    (ask_ana,) = program.outbox(to=ANA, template="checkin_partner_silent")
    url = ask_ana.links["end_silent"]
    assert f"reply END or use this link: {url}" in flat(ask_ana.text)
    assert program.get(url).title == "End your mentorship with Sam Rivera?"
    assert program.post(url).title == "Your mentorship has ended"
    (ended,) = program.outbox(to=SAM, template="ended_unresponsive")
    assert "so your mentorship with Ana Lima has ended" in flat(ended.text)
    assert not program.outbox(to=ANA, template="ending_preview")  # not the pick of an ending


def test_met_before_the_month_asked_but_not_since_is_not_yet_without_the_quote(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 30)
    to_sam = program.outbox(to=SAM, template="checkin")[-1]
    with program.services.sessions() as session:
        (row,) = session.scalars(select(CheckIn)).all()
    before = date(2026, row.since.month, 1) - timedelta(days=1)  # the month before the one asked
    said = f"We met in {before:%B} but not since, sorry"
    bare = email(SAM, to_sam.reply_to, said, subject="Re: check-in", in_reply_to=to_sam.message_id)
    program.deliver(bare)  # no quote and no date in the subject: the check-in's own date decides
    assert program.last_to(SAM).template == "not_yet_suggestion"


def test_a_pairs_meetings_are_the_days_they_met_the_same_in_matches_and_the_report(
    program: Program,
) -> None:
    from mentormail.service.checkins import meeting_counts
    from mentormail.service.models import Program as ProgramRow
    from mentormail.service.reports import load

    matched(program)
    days_pass(program, 30)
    first_to_ana = program.outbox(to=ANA, template="checkin")[-1]
    program.deliver(reply_to(first_to_ana, ANA, "MET on 20 October"))
    days_pass(program, 30)
    # Sam answers the first check-in late, naming another day: a second meeting, not the same
    first_to_sam = program.outbox(to=SAM, template="checkin")[0]
    program.deliver(reply_to(first_to_sam, SAM, "MET on 5 November"))
    second_to_ana = program.outbox(to=ANA, template="checkin")[-1]
    program.deliver(reply_to(second_to_ana, ANA, "MET on 27 November"))
    days_pass(program, 30)
    third = program.outbox(to=ANA, template="checkin")[-1]
    program.deliver(reply_to(third, ANA, "MET"))
    days_pass(program, 2)  # Sam says MET to the same check-in, naming no day: the same meeting
    program.deliver(reply_to(program.outbox(to=SAM, template="checkin")[-1], SAM, "MET"))
    with program.services.sessions() as session:
        (pair,) = session.scalars(select(Match)).all()
        row = session.scalars(select(ProgramRow)).one()
        (reported,) = load(session, row, (None, None), program.services.now()).matches
        assert meeting_counts(session, [pair.id])[pair.id][0] == 4 == reported.meetings
