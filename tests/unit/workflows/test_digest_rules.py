"""The digest's rules: when it is due, how its numbers read, what a coordinator's line asks."""

from __future__ import annotations

from datetime import datetime

import pytest

from mentormail.workflows.digest import (
    NO_LIKENESS,
    Command,
    Figure,
    Schedule,
    Unclear,
    Verb,
    did_you_mean,
    last_due,
    median,
    next_due,
    rate,
    read_commands,
    schedule_of,
)
from mentormail.workflows.exceptions import UnknownValue

pytestmark = pytest.mark.unit


def test_a_weekly_digest_is_due_on_mondays_at_eight_and_a_daily_one_every_morning() -> None:
    tuesday = datetime(2026, 12, 1, 9, 30)
    assert next_due(Schedule.WEEKLY, tuesday) == datetime(2026, 12, 7, 8, 0)
    assert next_due(Schedule.WEEKLY, datetime(2026, 12, 7, 8, 0)) == datetime(2026, 12, 14, 8)
    assert next_due(Schedule.DAILY, datetime(2026, 12, 1, 7, 59)) == datetime(2026, 12, 1, 8)
    assert next_due(Schedule.DAILY, tuesday) == datetime(2026, 12, 2, 8, 0)
    assert next_due(Schedule.OFF, tuesday) is None


def test_a_sweep_after_a_digest_instant_sends_the_one_due_then_not_one_for_its_own_time() -> None:
    wednesday = datetime(2026, 12, 9, 8, 0)
    assert last_due(Schedule.WEEKLY, wednesday) == datetime(2026, 12, 7, 8, 0)
    assert last_due(Schedule.WEEKLY, datetime(2026, 12, 7, 8, 0)) == datetime(2026, 12, 7, 8)
    assert last_due(Schedule.DAILY, datetime(2026, 12, 9, 7, 59)) == datetime(2026, 12, 8, 8)
    assert last_due(Schedule.OFF, wednesday) is None


def test_an_unknown_schedule_is_an_error() -> None:
    with pytest.raises(UnknownValue):
        schedule_of("fortnightly")


def test_a_figure_says_how_it_moved_and_nothing_when_there_is_nothing_to_compare() -> None:
    assert Figure("Requests made", 6, 4).trend() == "up from 4"
    assert Figure("Accepted", 50.0, 75.0, "%").trend() == "down from 75%"
    assert Figure("Active pairs", 2, 2).trend() == "same as before"
    assert Figure("Accepted", None, 75.0, "%").shown() == "—"
    assert Figure("Accepted", 66.666, None, "%").shown() == "66.7%"
    assert Figure("Median days to answer", 0.2, None, " days").shown() == "less than a day"
    assert Figure("Median days to answer", 2.0, 0.4, " days").before_shown() == "less than a day"
    assert Figure("Accepted", 50.0, 66.666, "%").before_shown() == "66.7%"
    assert Figure("Accepted", 50.0, None, "%").before_shown() == "—"
    assert rate(1, 0) is None and rate(1, 4) == 25.0
    assert median([]) is None and median([3, 1, 2]) == 2 and median([1, 2, 3, 10]) == 2.5


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("done 3", Command(Verb.DONE, "done 3", items=(3,))),
        ("Done #3, #5 and 8.", Command(Verb.DONE, "Done #3, #5 and 8.", items=(3, 5, 8))),
        ("resolved 12", Command(Verb.DONE, "resolved 12", items=(12,))),
        (
            "note 4: called her, all fine",
            Command(
                Verb.NOTE, "note 4: called her, all fine", items=(4,), text="called her, all fine"
            ),
        ),
        (
            "PAUSE Tom@Example.org",
            Command(Verb.PAUSE, "PAUSE Tom@Example.org", email="tom@example.org"),
        ),
        (
            "resume <tom@example.org>",
            Command(Verb.RESUME, "resume <tom@example.org>", email="tom@example.org"),
        ),
        (
            "capacity tom@example.org 3",
            Command(Verb.CAPACITY, "capacity tom@example.org 3", email="tom@example.org", number=3),
        ),
    ],
)
def test_each_command_a_coordinator_may_write_is_read(line: str, command: Command) -> None:
    assert read_commands(line) == [command]


def test_a_line_meant_as_a_command_that_does_not_read_is_unclear_and_thanks_are_left_out() -> None:
    reply = (
        "Hi team,\ndone\nremind everyone\npause tomorrow\nThanks, all good!\n\n"
        "On Mon wrote:\n> done 9"
    )
    assert read_commands(reply) == [
        Unclear("done"),
        Unclear("remind everyone"),
        Unclear("pause tomorrow"),
    ]


def test_a_line_shaped_like_a_command_with_a_word_it_does_not_know_is_unclear() -> None:
    reply = (
        "hecho 1\npausa carmen@example.es\nrmind 3 4\nok #6\n"
        "Item 5 is sorted, I called her on Monday\nGracias!"
    )
    assert read_commands(reply) == [  # the sentence about item 5 is said not understood too
        Unclear("hecho 1"),
        Unclear("pausa carmen@example.es"),
        Unclear("rmind 3 4"),
        Unclear("ok #6"),
        Unclear("Item 5 is sorted, I called her on Monday", prose=True),
    ]
    assert read_commands(reply)[-1].items() == (5,)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "open_items", "hint"),
    [
        ("ok #6", None, "did you mean “done 6”, or “note 6 <your words>” to keep them on it?"),
        ("ok #6", frozenset(), NO_LIKENESS),  # no item 6 open: the commands instead
        ("Could you check on Jo?", None, NO_LIKENESS),
    ],
)
def test_a_line_like_no_command_is_offered_the_open_item_it_names_or_the_commands(
    line: str, open_items: frozenset[int] | None, hint: str
) -> None:
    assert did_you_mean(line, open_items) == hint


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("hecho 1", "did you mean “done 1”?"),
        ("pausa carmen@example.es", "did you mean “pause carmen@example.es”?"),
        ("rmind 3 4", "did you mean “remind 3 4”?"),
        ("remind everyone", "did you mean remind 3 (or remind 3 5), with the item numbers?"),
    ],
)
def test_an_unclear_line_gets_the_command_it_is_closest_to(line: str, hint: str) -> None:
    assert did_you_mean(line) == hint
