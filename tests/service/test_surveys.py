"""Feedback from both sides (year-a): the early pulse and the midpoint survey (due date in
the subject, one reminder); ratings recorded; low scores and calls for help reach the
coordinators at once."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from mentormail.service.models import Program as ProgramRow
from mentormail.service.models import Rating
from tests.email_checks import flat
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, attention, days_pass, matched

pytestmark = pytest.mark.service


def ratings(program: Program) -> list[tuple[str, str, int | None, str]]:
    """Every rating recorded."""
    with program.services.sessions() as session:
        rows = session.scalars(select(Rating).order_by(Rating.id))
        return [(r.survey, r.by, r.value, r.comment) for r in rows]


def test_the_pulse_asks_both_for_a_rating_and_records_it_with_the_comment(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 34)  # the pulse comes four days after the first check-in
    (to_sam,) = program.outbox(to=SAM, template="survey")
    assert to_sam.subject == "How is it going with Ana? One quick question"
    assert to_sam.expects == "survey"
    assert {"pulse_1", "pulse_5"} <= set(to_sam.links)
    assert "Ana never sees it" in flat(to_sam.text)
    program.deliver(reply_to(to_sam, SAM, "4 - we meet every month"))
    assert ratings(program) == [("pulse", "mentee", 4, "we meet every month")]
    (thanks,) = program.outbox(to=SAM, template="survey_thanks")
    assert "(4 out of 5)" in flat(thanks.text)
    assert not [a for a in attention(program) if "rated" in a.reason]  # a 4 needs no one


def test_a_low_score_reaches_the_coordinators_at_once(program: Program) -> None:
    matched(program)
    days_pass(program, 34)  # the pulse comes four days after the first check-in
    to_ana = program.outbox(to=ANA, template="survey")[-1]
    program.post(to_ana.links["pulse_2"])
    assert ratings(program) == [("pulse", "mentor", 2, "")]
    (alert,) = program.outbox(template="coordinator_alert")
    assert alert.subject.startswith("Urgent: the mentor rated the mentorship 2 of 5: mentor Ana")
    assert "What they wrote" not in flat(alert.text)  # a link press: no words of theirs
    assert "Ana Lima <ana.lima@alumni.example.edu>, mentor" in flat(alert.text)
    thanks = program.outbox(to=ANA, template="survey_thanks")[-1]
    assert "one of them will get in touch with you personally" in flat(thanks.text)


def test_the_coordinators_alert_gives_the_time_in_the_programs_time_zone(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 34)
    with program.services.unit_of_work() as session:
        row = session.scalars(select(ProgramRow)).one()
        row.settings = {**row.settings, "timezone": "Europe/Berlin"}
    program.post(program.outbox(to=ANA, template="survey")[-1].links["pulse_2"])
    (alert,) = program.outbox(template="coordinator_alert")
    (item,) = [a for a in attention(program) if "rated the mentorship 2" in a.reason]
    assert item.created_at == datetime(2026, 11, 4, 9, 0)  # naive UTC
    assert "(Wednesday 4 November, 10:00 Berlin time)." in flat(alert.text)  # winter: UTC+1
    assert "UTC" not in alert.text


def test_the_midpoint_survey_has_its_due_date_and_one_reminder(program: Program) -> None:
    matched(program)
    # the example term runs 14 September 2026 to 30 June 2027: its middle is 5 February
    days_pass(program, 126)
    assert program.outbox(template="survey", to=SAM)[-1].subject.startswith("How is it going")
    days_pass(program, 1)
    midpoint = program.outbox(to=SAM, template="survey")[-1]
    assert midpoint.subject == (
        "Halfway there: how is your mentorship going? (please answer by Friday 19 February 2027)"
    )
    program.deliver(reply_to(program.outbox(to=ANA, template="survey")[-1], ANA, "5"))
    days_pass(program, 7)
    days_pass(program, 1)
    (reminder,) = program.outbox(template="survey_reminder")
    assert reminder.to_addr == SAM  # Ana answered
    assert "please answer by Friday 19 February 2027" in reminder.subject
    program.deliver(reply_to(midpoint, SAM, "3, it's fine but we could meet more often"))
    assert ("midpoint", "mentee", 3, "it's fine but we could meet more often") in ratings(program)


def test_a_reply_without_a_clear_number_records_no_score_keeps_the_words_and_asks(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 34)  # the pulse comes four days after the first check-in
    program.deliver(reply_to(program.outbox(to=SAM, template="survey")[-1], SAM, "pretty good"))
    (asked,) = program.outbox(to=SAM, template="survey_did_you_mean")
    assert "we haven't recorded a score yet" in flat(asked.text)
    assert ratings(program) == [("pulse", "mentee", None, "pretty good")]


def test_a_score_picked_after_an_unclear_reply_keeps_the_words_for_the_coordinators(
    program: Program,
) -> None:
    matched(program)
    days_pass(program, 34)  # the pulse comes four days after the first check-in
    survey = program.outbox(to=SAM, template="survey")[-1]
    program.deliver(reply_to(survey, SAM, "2 or 3 - Ana has cancelled twice"))
    (asked,) = program.outbox(to=SAM, template="survey_did_you_mean")
    assert "> 2 or 3 - Ana has cancelled twice" in asked.text
    page = program.post(asked.links["pulse_2"])
    assert "To add a comment" not in page.next_step  # the words are kept already
    assert "The words you wrote are kept with it" in page.next_step
    assert ratings(program) == [("pulse", "mentee", 2, "2 or 3 - Ana has cancelled twice")]
    (alert,) = program.outbox(template="coordinator_alert")
    assert "Ana has cancelled twice" in flat(alert.text)


@pytest.mark.parametrize(
    "words",
    [
        "un 2, la verdad. Carmen cancela casi siempre a última hora y no sé qué hacer.",
        "2. Ana cancels almost every time at the last minute and we have barely met since May.",
    ],
)
def test_a_low_score_with_a_story_is_recorded_and_reaches_the_coordinators_with_the_words(
    program: Program, words: str
) -> None:
    matched(program)
    days_pass(program, 34)  # the pulse comes four days after the first check-in
    program.deliver(reply_to(program.outbox(to=SAM, template="survey")[-1], SAM, words))
    assert [r[2] for r in ratings(program)] == [2]  # the 2 was read: it is the score
    (alert,) = program.outbox(template="coordinator_alert")
    assert alert.subject.startswith("Urgent: the mentee rated the mentorship 2 of 5")
    assert words.split(". ")[1][:20] in flat(alert.text)  # the story, for a person to read
    assert [a for a in attention(program) if "rated the mentorship 2" in a.reason]
    assert not program.outbox(to=SAM, template="survey_did_you_mean")
    (thanks,) = program.outbox(to=SAM, template="survey_thanks")
    assert "(2 out of 5)" in flat(thanks.text)
    assert "one of them will get in touch with you personally" in flat(thanks.text)


def test_met_with_a_date_to_a_survey_is_no_rating_it_asks_again_and_notes_the_meeting(
    program: Program,
) -> None:
    from mentormail.service.models import Meeting

    matched(program)
    days_pass(program, 34)  # the pulse, four days after the first check-in (still open)
    program.deliver(reply_to(program.outbox(to=SAM, template="survey")[-1], SAM, "MET am 20.10."))
    assert ratings(program) == [("pulse", "mentee", None, "MET am 20.10.")]  # no score
    (asked,) = program.outbox(to=SAM, template="survey_did_you_mean")
    text = flat(asked.text)
    assert "we haven't recorded a score yet" in text and "> MET am 20.10." in asked.text
    assert "Which number fits best, from 1 (not well) to 5 (very well)?" in text
    with program.services.sessions() as session:
        (meeting,) = session.scalars(select(Meeting)).all()
        assert (meeting.reported_by, meeting.met_on.isoformat()) == ("mentee", "2026-10-20")
    # one email: the rating asked again, saying the meeting is noted (no met_logged as well)
    assert "We've noted that you and Ana Lima met on Tuesday 20 October 2026: thank you" in text
    assert not program.outbox(to=SAM, template="met_logged")


def test_met_without_a_day_to_a_survey_notes_no_meeting(program: Program) -> None:
    from mentormail.service.models import Meeting

    matched(program)
    days_pass(program, 34)
    program.deliver(reply_to(program.outbox(to=SAM, template="survey")[-1], SAM, "MET"))
    asked = program.outbox(to=SAM, template="survey_did_you_mean")[-1]
    assert "We've noted" not in flat(asked.text)
    with program.services.sessions() as session:
        assert not session.scalars(select(Meeting)).all()
