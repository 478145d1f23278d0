"""The proposal rules (double opt-in), joining by email and the digest's new commands, pure."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mentormail.workflows import digest, joining
from mentormail.workflows import proposal as rules
from mentormail.workflows.effects import Role, SendEmail, SetDue
from mentormail.workflows.exceptions import InvalidTransition
from mentormail.workflows.policy import ProgramPolicy

NOW = datetime(2026, 10, 1, 9, 0)
POLICY = ProgramPolicy(term_start=date(2026, 9, 1), term_end=date(2027, 6, 30))
OPEN = rules.ProposalView(rules.ProposalState.PROPOSED)


def sent(decision: rules.Decision) -> list[tuple[str, Role]]:
    return [(e.template, e.to) for e in decision.effects if isinstance(e, SendEmail)]


def test_a_proposal_asks_both_with_links_and_a_due_date() -> None:
    made = rules.decide(None, rules.Proposed(), NOW, POLICY)
    assert made.state.due_at == datetime(2026, 10, 11, 9, 0)
    assert isinstance(made.effects[0], SetDue)
    assert sent(made) == [
        ("proposal_to_mentee", Role.MENTEE),
        ("proposal_to_mentor", Role.MENTOR),
    ]


def test_one_yes_waits_and_the_second_yes_begins_the_match() -> None:
    one = rules.decide(OPEN, rules.SaidYes(Role.MENTOR), NOW, POLICY)
    assert one.state.state is rules.ProposalState.PROPOSED
    assert sent(one) == [("proposal_waiting", Role.MENTOR)]
    again = rules.decide(one.state, rules.SaidYes(Role.MENTOR), NOW, POLICY)
    assert again.effects == ()
    both = rules.decide(one.state, rules.SaidYes(Role.MENTEE), NOW, POLICY)
    assert both.state.state is rules.ProposalState.ACCEPTED
    assert any(isinstance(e, rules.BeginMatch) for e in both.effects)


def test_a_no_from_either_side_tells_the_other_and_proposes_the_next_best() -> None:
    for side, other in ((Role.MENTOR, Role.MENTEE), (Role.MENTEE, Role.MENTOR)):
        no = rules.decide(OPEN, rules.SaidNo(side), NOW, POLICY)
        assert no.state.state is rules.ProposalState.DECLINED
        assert sent(no) == [("proposal_no_noted", side), ("proposal_not_going_ahead", other)]
        assert isinstance(no.effects[-1], rules.ProposeNext)


def test_a_side_who_leaves_withdraws_the_proposal_and_only_a_mentee_still_here_gets_the_next() -> (
    None
):
    mentor_gone = rules.decide(OPEN, rules.Left(Role.MENTOR), NOW, POLICY)
    assert mentor_gone.state.state is rules.ProposalState.WITHDRAWN
    assert sent(mentor_gone) == [("proposal_not_going_ahead", Role.MENTEE)]
    assert isinstance(mentor_gone.effects[-1], rules.ProposeNext)
    mentee_gone = rules.decide(OPEN, rules.Left(Role.MENTEE), NOW, POLICY)
    assert sent(mentee_gone) == [("proposal_not_going_ahead", Role.MENTOR)]
    assert not any(isinstance(e, rules.ProposeNext) for e in mentee_gone.effects)
    with pytest.raises(InvalidTransition):
        rules.decide(mentee_gone.state, rules.SaidYes(Role.MENTOR), NOW, POLICY)


def test_a_closed_proposal_takes_no_more_answers() -> None:
    no = rules.decide(OPEN, rules.SaidNo(Role.MENTOR), NOW, POLICY)
    with pytest.raises(InvalidTransition):
        rules.decide(no.state, rules.SaidYes(Role.MENTEE), NOW, POLICY)


def test_the_digest_reads_the_new_commands_and_says_what_an_unclear_one_looks_like() -> None:
    lines = digest.read_commands(
        "remind 3 5\nend 4 moved away\napprove ana@x.edu\nmatch sam@x.edu with ana@x.edu\n"
        "end 4\nThanks"
    )
    assert [getattr(line, "verb", None) for line in lines] == [
        digest.Verb.REMIND,
        digest.Verb.END,
        digest.Verb.APPROVE,
        digest.Verb.MATCH,
        None,
    ]
    assert lines[0].items == (3, 5)  # type: ignore[union-attr]
    assert lines[1].text == "moved away"  # type: ignore[union-attr]
    assert (lines[3].email, lines[3].other_email) == ("sam@x.edu", "ana@x.edu")  # type: ignore[union-attr]
    assert digest.did_you_mean("end 4") == (
        "did you mean end 3 <reason> (the reason is kept for you, never shared)?"
    )


def test_an_application_is_read_one_answer_a_line_and_names_what_is_missing() -> None:
    assert joining.wants_to_mentor("Hi! I'd love to become a mentor this year")
    assert not joining.wants_to_mentor("I'm looking for a mentor in data science")
    partial = joining.read_application("Name: Pat Lee\n> Topics: quoted, not theirs")
    assert partial.missing == ("Profession", "Topics") and partial.answered_any
    full = joining.read_application("name: Pat\nProfession: Nurse\nTopics: a; b\nMentees: 9")
    assert full.complete and "capacity" not in full.answers
    assert joining.participant_values(full)["interests"] == ["a", "b"]


def test_available_beside_a_proposal_answer_is_a_side_fact_and_stop_still_acts_alone() -> None:
    from mentormail.workflows.conversation import is_side_fact

    assert is_side_fact("proposal", "available")  # "back from leave - yes, happy to mentor"
    assert not is_side_fact("proposal", "stop")
    assert not is_side_fact("request", "available") and not is_side_fact("general", "available")
