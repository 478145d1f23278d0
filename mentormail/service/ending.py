"""The ending shell: one side ends a match by reply or link (load → decide → apply); the
partner gets the message only when the one ending sends it."""

from __future__ import annotations

from sqlalchemy import select

from mentormail.service import effects, outbox
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.keys import idempotency_key
from mentormail.service.models import Match, MatchEnding, Participant
from mentormail.service.outbox import Draft
from mentormail.service.people import BOTH_OF_MATCH, active_matches_of, person_view, policy_of
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import ending
from mentormail.workflows.ending import Ending, EndingEvent, Stage
from mentormail.workflows.match import EndReason, MatchState

END_ACTION = ending.END_ACTION  # the link every check-in carries


def end_link(pair: Match, person: Participant) -> LinkSpec:
    """The one-time "end the mentorship" link for one side of a pair (for check-in emails)."""
    return effects.match_link(END_ACTION, person, pair)


def start(uow: Unit, pair: Match, person: Participant, cause: str) -> None:
    """They want to end: ask which situation fits (or tell them it has ended already)."""
    _decide(uow, pair, person, ending.EndWanted(), cause)


def answer(uow: Unit, pair: Match, person: Participant, text: str, cause: str) -> None:
    """A reply to an ending email: a situation, "send it", their own words, or unclear."""
    row = _row(uow, pair, person)
    stage = Stage(row.state) if row else Stage.NONE
    _decide(uow, pair, person, ending.read_reply(text, stage), cause, text)


def pick(uow: Unit, pair: Match, person: Participant, scenario: EndReason, cause: str) -> None:
    """A situation's link was pressed."""
    _decide(uow, pair, person, ending.ScenarioPicked(scenario), cause)


def send(uow: Unit, pair: Match, person: Participant, cause: str) -> None:
    """The "send it" link was pressed."""
    _decide(uow, pair, person, ending.SendConfirmed(), cause)


def _decide(
    uow: Unit, pair: Match, person: Participant, event: EndingEvent, cause: str, text: str = ""
) -> None:
    """Load the ending, decide, keep the new state, carry out the effects."""
    if pair.state != MatchState.ACTIVE:
        tell_already_ended(uow, pair, person, cause)
        return
    row = _row(uow, pair, person)
    if row is None:
        row = MatchEnding(
            match_id=pair.id,
            by_role=str(effects.side_of(pair, person)),
            state=Stage.NONE,
            own_words="",
            created_at=uow.now,
        )
        uow.session.add(row)
    before = Ending(
        Stage(row.state), EndReason(row.scenario) if row.scenario else None, row.own_words
    )
    by = effects.side_of(pair, person)
    decision = ending.decide(before, event, uow.now, policy_of(pair.mentor.program), by)
    after = decision.ending
    row.state, row.scenario, row.own_words = after.stage, after.scenario, after.own_words
    if after.stage is Stage.SENT:
        row.sent_at = uow.now
    uow.session.flush()
    not_understood = isinstance(event, ending.Unclear)  # the email says why it came again
    effects.apply(uow, _subject(pair, person, after, cause, text, not_understood), decision.effects)


def _row(uow: Unit, pair: Match, person: Participant) -> MatchEnding | None:
    """This person's ending of this match, if they started one."""
    side = effects.side_of(pair, person)
    return uow.session.scalar(
        select(MatchEnding)
        .where(MatchEnding.match_id == pair.id, MatchEnding.by_role == side)
        .order_by(MatchEnding.id.desc())
    )


def _subject(
    pair: Match, person: Participant, state: Ending, cause: str, text: str, not_understood: bool
) -> Subject:
    """What the ending emails show: both people, who ends, the situation, the message."""
    partner = pair.mentee if person.id == pair.mentor_id else pair.mentor
    return effects.match_subject(
        pair,
        "ending",
        cause,
        reply_text=text,
        values={
            "ender": person_view(person),
            "partner": person_view(partner),
            "scenario": str(state.scenario or ""),
            "scenario_number": ending.SCENARIOS.index(state.scenario) + 1 if state.scenario else 0,
            "own_words": state.own_words,
            "started_at": pair.started_at,
            "not_understood": not_understood,
        },
    )


def tell_already_ended(uow: Unit, pair: Match, person: Participant, cause: str) -> None:
    """A reply or link about a match that has ended: say so kindly; nothing acts."""
    partner = pair.mentee if person.id == pair.mentor_id else pair.mentor
    outbox.write(
        uow,
        Draft(
            program=person.program,
            template="match_already_ended",
            key=idempotency_key("ended", pair.id, cause, str(person.id)),
            to=person,
            context={
                "partner": person_view(partner),
                "ended_at": pair.ended_at,
                "end_reason": pair.end_reason or "",
            },
        ),
    )


# --- a reply that says END, whatever it answers -----------------------------------------------


def match_for(uow: Unit, person: Participant, match_id: object) -> Match | None:
    """The match a reply is about: the one its email named, else the person's only one."""
    if isinstance(match_id, int):
        pair = uow.session.get(Match, match_id, options=BOTH_OF_MATCH)
        if pair is not None and person.id in (pair.mentor_id, pair.mentee_id):
            return pair
    pairs = active_matches_of(uow.session, person.id)
    return pairs[0] if len(pairs) == 1 else None
