"""The pure rules of announcements (who gets one, who is left out, the personal tags) and
of the report (the figures of given rows)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mentormail.workflows import announcement as rules
from mentormail.workflows import report
from mentormail.workflows.announcement import Audience, LeftOut, Person


def people() -> list[Person]:
    """Two mentors, four mentees: one matched, one who left, one suppressed."""
    return [
        Person(1, "mentor", active=True, suppressed=False, matched=True),
        Person(2, "mentor", active=True, suppressed=True, matched=False),
        Person(3, "mentee", active=True, suppressed=False, matched=True),
        Person(4, "mentee", active=True, suppressed=False, matched=False),
        Person(5, "mentee", active=False, suppressed=False, matched=False),
        Person(6, "mentee", active=True, suppressed=True, matched=False),
    ]


def test_each_audience_leaves_out_who_left_and_who_is_suppressed() -> None:
    assert rules.choose(Audience.MENTORS, people()).recipients == [1]
    assert rules.choose(Audience.MENTEES, people()).recipients == [3, 4]
    unmatched = rules.choose(Audience.UNMATCHED, people())
    assert unmatched.recipients == [4]
    assert unmatched.left_out == {LeftOut.LEFT: 1, LeftOut.SUPPRESSED: 1}
    everyone = rules.choose(Audience.ALL, people())
    assert everyone.recipients == [1, 3, 4]
    assert everyone.left_out == {LeftOut.SUPPRESSED: 2, LeftOut.LEFT: 1}


def test_the_tags_are_filled_with_each_persons_values_and_never_overlap() -> None:
    template = f"Hi {rules.NAME_TEXT}, <b>{rules.NAME_HTML}</b> {rules.UNSUBSCRIBE}"
    values = {rules.NAME_TEXT: "O'Neil", rules.NAME_HTML: "O&#39;Neil", rules.UNSUBSCRIBE: "u"}
    assert rules.fill(template, values) == "Hi O'Neil, <b>O&#39;Neil</b> u"
    assert all(a == b or a not in b for a in rules.TAGS for b in rules.TAGS)


def test_the_same_words_to_the_same_audience_are_one_announcement() -> None:
    one = rules.key_of("p", Audience.ALL, "Hello  there", "Words")
    assert one == rules.key_of("p", Audience.ALL, "Hello there", "Words")
    assert one != rules.key_of("p", Audience.MENTEES, "Hello there", "Words")
    assert one != rules.key_of("p", Audience.ALL, "Hello there", "Other words")


def test_a_thousand_recipients_take_one_request_and_a_thousand_and_one_two() -> None:
    assert [rules.requests_needed(n) for n in (0, 1, 1000, 1001, 2500, 10_000)] == [
        0, 1, 1, 2, 3, 10,
    ]  # fmt: skip


def match(n: int, cohort: str, **values: object) -> report.MatchRow:
    """A match with sensible defaults."""
    defaults: dict[str, object] = dict(
        match_id=n, cohort=cohort, mentee=f"Mentee {n}", mentee_email=f"e{n}@x.edu",
        mentor=f"Mentor {n}", mentor_email=f"o{n}@x.edu", started=datetime(2026, 9, 20),
        ended=None, state="active", end_reason="", hours_to_answer=10.0, meetings=2,
        months=2.0,
    )  # fmt: skip
    return report.MatchRow(**{**defaults, **values})  # type: ignore[arg-type]


def test_the_figures_of_a_program_and_of_each_cohort() -> None:
    rows = report.Rows(
        program="P",
        start=date(2026, 9, 1),
        end=date(2027, 6, 30),
        mentees=tuple(report.MenteeRow(i, "A" if i < 4 else "B", i in (0, 1, 4)) for i in range(6)),
        requests=(
            report.RequestRow("A", "accepted", 10.0),
            report.RequestRow("A", "accepted", 50.0),
            report.RequestRow("B", "accepted", 100.0),
            report.RequestRow("B", "declined", 200.0),
            report.RequestRow("B", "expired", None),
        ),
        matches=(
            match(1, "A", ratings={"mentee": (5, 4)}, fit={"mentee": "good"},
                  achieved={"mentee": "An internship"}, next_steps="Apply"),
            match(2, "A", meetings=0, state="ended", end_reason="not_a_fit",
                  ended=datetime(2026, 11, 1), fit={"mentee": "not_a_fit"}),
            match(3, "B", meetings=6, months=0.5, ratings={"mentor": (3,)}, mentor_again=True),
        ),
    )  # fmt: skip
    found = report.compute(rows)
    o = found.overall
    assert (o.mentees, o.matched, round(o.match_rate or 0)) == (6, 3, 50)
    assert (o.requests, o.accepted, o.acceptance_rate) == (5, 3, 75.0)  # of the 4 answered
    assert o.median_hours_to_answer == 75.0
    assert o.answer_times == {"under a day": 1, "1–3 days": 1, "3–7 days": 1, "over a week": 1}
    assert o.meetings == 8 and o.meetings_histogram == {0: 1, 2: 1, 6: 1}
    assert o.meetings_per_pair_month == (1.0 + 0.0 + 6.0) / 3  # a first month counts whole
    assert o.ratings["mentee"] == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert o.average_rating == {"mentee": 4.5, "mentor": 3.0}
    assert o.fit["mentee"] == {"good": 1, "deciding": 0, "not_a_fit": 1}
    assert o.endings == {"not_a_fit": 1}
    assert (o.achieved, o.next_steps, o.mentor_again, o.quotes) == (1, 1, 1, ("An internship",))
    assert list(found.cohorts) == ["A", "B"]
    assert found.cohorts["A"].match_rate == 50.0 and found.cohorts["B"].acceptance_rate == 50.0
    line = dict(zip(report.CSV_HEADER, report.csv_row(rows.matches[0]), strict=True))
    assert line["mentee_ratings"] == "5;4" and line["meetings_per_month"] == "1.00"
    assert line["ended"] == "" and line["mentor_again"] == ""


def test_a_proposal_is_accepted_only_when_both_said_yes() -> None:
    states = ("accepted", "declined", "declined", "expired", "withdrawn", "proposed")
    rows = report.Rows(
        program="P",
        start=date(2026, 9, 1),
        end=date(2027, 6, 30),
        mentees=(),
        requests=(),
        matches=(),
        proposals=tuple(report.ProposalRow("A", state) for state in states),
    )
    o = report.compute(rows).overall
    assert o.proposals == {
        "accepted": 1, "declined": 2, "expired": 1, "withdrawn": 1, "proposed": 1,
    }  # fmt: skip
    assert o.proposal_rate == 25.0  # of the 4 settled: withdrawn and waiting ones are neither
    assert (o.requests, o.accepted, o.acceptance_rate) == (0, 0, None)


@pytest.mark.parametrize(
    ("audience", "count", "words"),
    [
        (Audience.ALL, 14, "14 mentors and mentees"),
        (Audience.ALL, 1, "1 person"),
        (Audience.MENTEES, 14, "14 mentees"),
        (Audience.MENTORS, 1, "1 mentor"),
        (Audience.UNMATCHED, 3, "3 mentees without a mentor"),
        (Audience.UNMATCHED, 1, "1 mentee without a mentor"),
    ],
)
def test_the_preview_names_its_audience_as_a_person_would(
    audience: Audience, count: int, words: str
) -> None:
    from mentormail.workflows.announcement import audience_in_words

    assert audience_in_words(audience, count) == words
