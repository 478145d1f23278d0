"""A trial run: is this a good fit? Asked of both after the first reported meeting, or after
``fit_check_days``; "still deciding" is asked again at the next check-ins, at most
``FIT_ASKS`` times in all; "not a fit" from either side ends the match without fault.

asked ──good──▶ thanks · ──deciding──▶ thanks, asked again with the next check-in
      ──not a fit──▶ the match ends (no fault): the partner is told kindly, the one who said
                     it hears it is done, the mentee is offered others while the term has time
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mentormail.workflows.effects import Effect, Role, SendEmail
from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.policy import ProgramPolicy, term_has_time

FIT_LINKS = ("fit_good", "fit_deciding", "fit_not_a_fit")
FIT_ASKS = 3  # the question and two more with check-ins: never every month of the year


class Fit(StrEnum):
    """One side's answer."""

    GOOD = "good"
    DECIDING = "deciding"
    NOT_A_FIT = "not_a_fit"


FIT_ORDER = ("not_a_fit", "deciding")  # one side's "not a fit" decides the pair
ONE_SIDE_GOOD = "good_one_side"  # one said good; the other has not answered (no one deciding)


def pair_fit(mentor: str | None, mentee: str | None) -> str | None:
    """The pair's fit from both answers, as ``matches`` shows it: not a fit if either says so,
    deciding if either says that, good if both say good, and good on one side when the other
    has not answered (it was "deciding", which no one had said)."""
    answers = [a for a in (mentor, mentee) if a]
    if not answers:
        return None
    for fit in FIT_ORDER:
        if fit in answers:
            return fit
    return str(Fit.GOOD) if len(answers) == 2 else ONE_SIDE_GOOD


def first_fit_check_at(started_at: datetime, policy: ProgramPolicy) -> datetime:
    """When the question goes if no meeting is reported first."""
    return started_at + timedelta(days=policy.fit_check_days)


def after_first_meeting(fit_due_at: datetime | None, asked: int, now: datetime) -> datetime | None:
    """A first meeting was reported: the question goes now, unless it went already."""
    if asked:
        return fit_due_at
    return now if fit_due_at is None or fit_due_at > now else fit_due_at


def ask(sides: tuple[Role, ...], step: str) -> tuple[Effect, ...]:
    """The question, to each side named."""
    return tuple(SendEmail("fit_check", role, step, with_actions=FIT_LINKS) for role in sides)


def ask_again(answers: dict[Role, str | None], asked: int) -> tuple[Role, ...]:
    """Who is asked again with a check-in: both, while one of them is still deciding (and
    nobody said it is not a fit), except whoever already said it is a good fit; nobody once
    the question has gone ``FIT_ASKS`` times."""
    values = set(answers.values())
    if asked >= FIT_ASKS or Fit.NOT_A_FIT in values or Fit.DECIDING not in values:
        return ()
    return tuple(role for role, said in answers.items() if said != Fit.GOOD)


@dataclass(frozen=True)
class FitDecision:
    """What one side's answer does: end the match (no fault), and the emails."""

    ends_match: bool
    effects: tuple[Effect, ...]


def answered(role: Role, fit: Fit, now: datetime, policy: ProgramPolicy) -> FitDecision:
    """Good or deciding: thanks. Not a fit: the match ends; the mentee may choose again."""
    if role not in (Role.MENTOR, Role.MENTEE):
        raise UnknownValue("fit side", str(role))
    if fit is Fit.NOT_A_FIT:
        offer = role is Role.MENTEE and term_has_time(now, policy)
        return FitDecision(
            True,
            (SendEmail("not_a_fit_confirmed", role, "not-a-fit", with_alternatives=offer),),
        )
    if fit in (Fit.GOOD, Fit.DECIDING):
        return FitDecision(False, (SendEmail("fit_thanks", role, f"fit-{fit}"),))
    raise UnknownValue("fit answer", str(fit))


def unclear(role: Role) -> tuple[Effect, ...]:
    """An unclear answer never acts: ask which of the three was meant, with links."""
    return (SendEmail("fit_did_you_mean", role, "unclear", with_actions=FIT_LINKS),)
