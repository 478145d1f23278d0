"""What a person reads when their reply is not acted on ("did you mean…?"), and what the
coordinators see: their own words quoted, links that say what they do, what happens if they
do nothing, a question or condition passed to a person, and never a second "did you mean"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime

import pytest

from mentormail.service.models import InboundMessage, OutboundMessage
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.pair_steps import matched, newest
from tests.service.steps import (
    ANA,
    SAM,
    ask,
    attention,
    days_pass,
    every_day_until,
    rows_after,
    search,
)

pytestmark = pytest.mark.service

COORDINATOR = "coordinator@example.edu"


def html_text(row: OutboundMessage) -> str:
    """The HTML part's words, quotes included, without tags, on one line."""
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", row.html)))


def to_person(program: Program, count: int, address: str) -> list[OutboundMessage]:
    """What went to one address after the first ``count`` rows."""
    return [r for r in rows_after(program, count) if r.to_addr == address]


def test_a_yes_with_a_condition_reaches_the_mentee_in_the_mentors_own_words(
    program: Program,
) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Yes, as long as we can meet online"))

    to_sam = newest(program, SAM, "intro_mentee")
    for words in (flat(to_sam.text), html_text(to_sam)):
        assert "Ana said yes with a condition" in words
        assert "Yes, as long as we can meet online" in words
    to_ana = newest(program, ANA, "intro_mentor")
    assert "We've passed your condition on to Sam in your own words" in flat(to_ana.text)
    assert "“as long as we can meet online”" in flat(to_ana.text)
    assert "asked a question" not in flat(to_ana.text)
    assert not attention(program)


def test_a_plain_yes_introduces_them_without_any_condition(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    assert "condition" not in newest(program, SAM, "intro_mentee").text
    assert "condition" not in newest(program, ANA, "intro_mentor").text


def test_a_yes_with_a_question_matches_and_the_question_reaches_a_coordinator_at_once(
    program: Program,
) -> None:
    request = ask(program, SAM)
    words = "Happy to, though I'd first like to know how much time it takes?"
    program.deliver(reply_to(request, ANA, words))

    (item,) = attention(program)
    assert "the mentor said yes and asks a question: mentor " in item.reason
    assert words in item.detail
    assert item.participant_id == program.person(ANA).id  # the one who asked
    with program.services.sessions() as session:  # the item names the reply it came from
        raw = session.get_one(InboundMessage, item.inbound_id)
        assert raw.from_addr == ANA
    alert = newest(program, COORDINATOR, "coordinator_alert")
    assert words in flat(alert.text)
    assert "Ana Lima <ana.lima@alumni.example.edu>, mentor" in flat(alert.text)
    to_ana = newest(program, ANA, "intro_mentor")
    assert "we've passed it to the program's coordinators" in flat(to_ana.text)


def test_the_mentors_did_you_mean_says_what_each_link_does_and_when_the_request_closes(
    program: Program,
) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Maybe later"))

    asked = newest(program, ANA, "did_you_mean")
    assert asked.subject == "Did you mean yes or no to Sam Rivera?"
    for words in (flat(asked.text), html_text(asked)):
        assert "Maybe later" in words
        assert "Each link works once and does just what it says" in words
        assert "“yes” introduces you to Sam at once" in words
        assert "“no” lets Sam know kindly and helps them find another mentor" in words
        # asked on Thursday 1 October 2026; the program gives mentors ten days
        assert "If we don't hear from you by Sunday 11 October 2026, the request closes" in words
    assert "by Sunday 11 October 2026" in flat(request.text)  # the same date as the request
    assert "“no”.\n\nIf we don't hear from you by" in asked.text  # its own paragraph


def checkin_to_sam(program: Program) -> OutboundMessage:
    """A matched pair, a month on: Sam's check-in."""
    matched(program)
    days_pass(program, 30)
    return newest(program, SAM, "checkin")


def survey_to_sam(program: Program) -> OutboundMessage:
    """A matched pair, a month and four days on (the pulse waits four days after the
    check-in due with it): Sam's pulse survey."""
    matched(program)
    days_pass(program, 34)
    return newest(program, SAM, "survey")


def wrapup_to_sam(program: Program) -> OutboundMessage:
    """A matched pair three weeks before the term ends: Sam's wrap-up question."""
    matched(program)
    every_day_until(program, datetime(2027, 6, 9, 9, 0))  # the year's questions on their days
    return newest(program, SAM, "wrapup_question")


def request_to_ana(program: Program) -> OutboundMessage:
    """Sam asks Ana."""
    return ask(program, SAM)


@pytest.mark.parametrize(
    ("first", "who", "unclear", "again"),
    [
        (request_to_ana, ANA, "Maybe later", "hmm, not sure really"),
        (checkin_to_sam, SAM, "We met in October but not since", "sort of"),
        (survey_to_sam, SAM, "3 or 4, hard to say", "good I guess"),
        (wrapup_to_sam, SAM, "Yes", "yes"),
    ],
    ids=["request", "checkin", "survey", "wrapup"],
)
def test_a_second_unclear_reply_goes_to_a_coordinator_never_to_another_did_you_mean(
    program: Program,
    first: Callable[[Program], OutboundMessage],
    who: str,
    unclear: str,
    again: str,
) -> None:
    email = first(program)
    count = len(program.outbox())
    program.deliver(reply_to(email, who, unclear))
    (asked,) = to_person(program, count, who)
    assert asked.expects and f"> {unclear}" in asked.text  # a did-you-mean, their words quoted
    before = len(attention(program))

    count = len(program.outbox())
    program.deliver(reply_to(asked, who, again))

    (told,) = to_person(program, count, who)
    assert told.template == "could_not_read"
    words = flat(told.text)
    assert "We still weren't sure what you meant" in words
    assert "we won't ask you again" in words
    assert f"> {again}" in told.text
    assert "The links in our last email still work" in words
    offers_pause = "“pause” (no new requests for now), “available” (take requests again)" in words
    assert offers_pause == (program.person(who).role == "mentor")
    items = attention(program)[before:]
    assert [i.detail for i in items] == [again]
    assert "is still unclear after we asked what they meant" in items[0].reason

    count = len(program.outbox())
    program.deliver(reply_to(told, who, "still thinking"))  # and again: nothing more to them
    assert not to_person(program, count, who)
    program.post(asked.links[next(iter(asked.links))])  # the earlier links still work
    assert to_person(program, count, who)


def test_a_withdrawal_inside_a_checkin_answer_reaches_the_coordinators_and_end_is_offered(
    program: Program,
) -> None:
    checkin = checkin_to_sam(program)
    words = "Not yet — honestly I think I'm dropping out"
    program.deliver(reply_to(checkin, SAM, words))

    asked = newest(program, SAM, "checkin_did_you_mean")
    text = flat(asked.text)
    assert f"> {words}" in asked.text
    assert "If you'd like to end the mentorship, reply END" in text
    assert "nothing is recorded, and we'll ask again at the next check-in" in text
    (item,) = [i for i in attention(program) if "may want to end" in i.reason]
    assert "may want to end their mentorship" in item.reason and item.detail == words


def test_a_question_about_continuing_reaches_a_coordinator_and_the_wrapup_stays_open(
    program: Program,
) -> None:
    wrapup = wrapup_to_sam(program)
    words = "What would continuing involve — is it the same monthly emails?"
    program.deliver(reply_to(wrapup, SAM, words))

    # (the year's silent check-ins are on the list too: nobody answered one)
    (item,) = [a for a in attention(program) if "continuing" in a.reason]
    assert "asks about continuing" in item.reason and item.detail == words
    assert words in flat(newest(program, COORDINATOR, "coordinator_alert").text)
    again = program.last_to(SAM)
    assert again.template == "wrapup_question"
    assert "We've passed your question to the program's coordinators" in flat(again.text)
    assert set(again.links) >= {"wrapup_continue", "wrapup_end"}
    program.deliver(reply_to(again, SAM, "Continue"))  # the answer, once they know, acts
    assert newest(program, SAM, "wrapup_noted")


def test_an_auto_reply_to_a_did_you_mean_gets_no_answer(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Maybe later"))
    asked = newest(program, ANA, "did_you_mean")
    count = len(program.outbox())

    auto = reply_to(asked, ANA, "I am out of the office until Monday.")
    auto = auto.replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:", 1)
    program.deliver(auto)

    assert not rows_after(program, count)


def test_a_mentee_naming_two_mentors_is_asked_which_with_their_words_and_then_not_again(
    program: Program,
) -> None:
    listing = search(program, SAM)
    program.deliver(reply_to(listing, SAM, "Ana or Tom, whoever has time"))

    which = program.last_to(SAM)
    assert which.template == "which_mentor"
    for words in (flat(which.text), html_text(which)):
        assert "Ana or Tom, whoever has time" in words
        assert "we haven't asked anyone yet" in words
        assert "If you'd rather wait, there's nothing to do: no one has been asked." in words
    assert {"ask_1", "ask_2"} <= set(which.links)
    count = len(program.outbox())

    program.deliver(reply_to(which, SAM, "either is fine"))

    (told,) = to_person(program, count, SAM)
    assert told.template == "could_not_read"  # not "no mentors match “either is fine”"
    assert "We still weren't sure what you meant" in flat(told.text)
    # a mentee can't pause or be available: only what they can do is offered (Sam has no
    # mentor yet, so writing what he looks for is one of them)
    offered = "to see who has a free place, “stop” (leave the program), or “report a problem”."
    assert offered in flat(told.text)
    assert "pause" not in told.text and "“available”" not in told.text
    assert attention(program)[-1].detail == "either is fine"
    assert not program.outbox(template="request_to_mentor")


def test_new_search_words_in_answer_to_which_mentor_still_search(program: Program) -> None:
    listing = search(program, SAM)
    program.deliver(reply_to(listing, SAM, "Ana or Tom, whoever has time"))
    which = program.last_to(SAM)

    program.deliver(reply_to(which, SAM, "Actually someone in nursing or healthcare"))

    assert program.last_to(SAM).template == "mentor_list"
    assert not attention(program)


def test_the_midpoint_surveys_did_you_mean_gives_the_surveys_own_due_date(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 127)  # the midpoint survey, due Friday 19 February 2027
    midpoint = program.outbox(to=SAM, template="survey")[-1]
    assert "please answer by Friday 19 February 2027" in midpoint.subject
    days_pass(program, 3)

    program.deliver(reply_to(midpoint, SAM, "9/10"))

    asked = newest(program, SAM, "survey_did_you_mean")
    assert "> 9/10" in asked.text
    assert "Please answer by Friday 19 February 2027." in flat(asked.text)
    assert "Friday 19 February 2027.\n1: " in asked.text  # the list starts on its own line
    assert set(asked.links) == {f"midpoint_{n}" for n in range(1, 6)}
    pulse = survey_to_sam_again(program)
    assert "Please answer by" not in flat(pulse.text)  # the pulse survey has no due date
    assert "(very well)?\n1: " in pulse.text


def survey_to_sam_again(program: Program) -> OutboundMessage:
    """An unclear answer to the first pulse survey of a new program: its did-you-mean."""
    first = program.outbox(to=SAM, template="survey")[0]
    program.deliver(reply_to(first, SAM, "3 or 4, hard to say"))
    return newest(program, SAM, "survey_did_you_mean")


def test_a_mentee_without_a_mentor_handed_over_is_told_they_can_write_what_they_want(
    program: Program,
) -> None:
    from tests.harness import PROGRAM_ADDRESS
    from tests.harness import email as mail

    program.deliver(
        mail(f"Sam <{SAM}>", PROGRAM_ADDRESS, "¿Puedo seguir en el programa el año que viene?")
    )
    told = flat(program.last_to(SAM).text)
    assert "we've passed it to the program's coordinators" in told
    assert (
        "a few words about the mentor you'd like" in told and "to see who has a free place" in told
    )

    matched(program)
    program.services.clock.advance(days=1)  # type: ignore[attr-defined]  # told once a day
    program.deliver(mail(f"Sam <{SAM}>", PROGRAM_ADDRESS, "¿Cómo cambio mi dirección de correo?"))
    told = flat(program.last_to(SAM).text)
    assert "we've passed it to the program's coordinators" in told
    assert "a few words about the mentor you'd like" not in told  # Sam has his mentor
