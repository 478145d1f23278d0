"""The fit-check shell: ask both "is this a good fit?" when it is due (or after the first
meeting), ask again with a check-in while one is still deciding, and carry out the answer."""

from __future__ import annotations

from datetime import datetime

from mentormail.service import checkins, coordinators, effects, ending, matches, spacing
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.models import Match, MatchClock, Participant
from mentormail.service.people import policy_of
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import fit
from mentormail.workflows.effects import Effect, Role
from mentormail.workflows.match import EndReason, MatchState
from mentormail.workflows.spacing import Question


def fit_subject(pair: Match, clock: MatchClock, cause: str = "") -> Subject:
    """What the fit emails are about: the pair; links and replies name the pair."""
    return effects.match_subject(
        pair,
        "fit",
        cause,
        link_for=lambda action, to: LinkSpec(
            action, to.id, target_id=pair.id, group_key=f"fit:{pair.id}:{to.id}:{clock.fit_asked}"
        ),
        reply_payload={"match_id": pair.id},
    )


fits_due = checkins.due_pairs(MatchClock.fit_due_at)  # active pairs whose question is due


def ask_due(uow: Unit, match_id: int) -> None:
    """Ask both the first time, and again (after a check-in) whoever is still deciding; the
    due date is cleared."""
    pair = uow.session.get_one(Match, match_id)
    clock = checkins.clock_of(uow, pair)
    if pair.state != MatchState.ACTIVE or clock.fit_due_at is None or clock.fit_due_at > uow.now:
        return
    if not spacing.may_ask(uow, pair, clock, Question.FIT):
        return  # the pair was asked something a moment ago: it waits
    clock.fit_due_at = None
    if not clock.fit_asked:
        _ask(uow, pair, clock, fit.ask((Role.MENTOR, Role.MENTEE), "fit-1"))
        return
    again = fit.ask_again(_answers(clock), clock.fit_asked)
    if again:
        _ask(uow, pair, clock, fit.ask(again, f"fit-again-{clock.checkins_sent}"))


def again_after_checkin(clock: MatchClock, now: datetime) -> None:
    """ "Still deciding" is asked again after each check-in (of whoever has not said good), a
    few times at most: due now, it waits its turn behind the check-in."""
    again = clock.fit_asked and fit.ask_again(_answers(clock), clock.fit_asked)
    if again and clock.fit_due_at is None:
        clock.fit_due_at = now


def _answers(clock: MatchClock) -> dict[Role, str | None]:
    """Each side's answer to the fit question so far."""
    return {Role.MENTOR: clock.fit_mentor, Role.MENTEE: clock.fit_mentee}


def _ask(uow: Unit, pair: Match, clock: MatchClock, asks: tuple[Effect, ...]) -> None:
    """Send the question and count it."""
    clock.fit_asked += 1
    spacing.asked(clock, uow.now)
    effects.apply(uow, fit_subject(pair, clock), asks)


def first_meeting(clock: MatchClock, now: datetime) -> None:
    """A meeting was reported: the fit question goes at the next sweep, if not asked yet."""
    clock.fit_due_at = fit.after_first_meeting(clock.fit_due_at, clock.fit_asked, now)


def answer(uow: Unit, person: Participant, pair: Match, said: fit.Fit, cause: str) -> bool:
    """Record one side's answer; "not a fit" ends the match without fault. False if over."""
    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return False
    clock = checkins.clock_of(uow, pair)
    role = effects.side_of(pair, person)
    coordinators.heard_from(uow, person, pair)
    setattr(clock, f"fit_{role}", str(said))
    decision = fit.answered(role, said, uow.now, policy_of(pair.mentor.program))
    if decision.ends_match:
        matches.end(uow, pair, EndReason.NOT_A_FIT, role)
    subject = fit_subject(pair, clock, cause)
    subject.person = person
    subject.values["fit"] = str(said)
    effects.apply(uow, subject, decision.effects)
    return True


def did_you_mean(uow: Unit, person: Participant, pair: Match, words: str, cause: str) -> None:
    """An unclear answer never acts: ask which of the three was meant."""
    if pair.state != MatchState.ACTIVE:
        ending.tell_already_ended(uow, pair, person, cause)
        return
    coordinators.heard_from(uow, person, pair)  # unclear, but not silent
    clock = checkins.clock_of(uow, pair)
    subject = fit_subject(pair, clock, cause)
    subject.reply_text = words
    effects.apply(uow, subject, fit.unclear(effects.side_of(pair, person)))


DUE = (("fit_checks", fits_due, ask_due),)  # rows of the sweep's DUE table
