"""The Mentoring Agreement (``agreement: true``): the mentee drafts the pair's goals, the mentor
agrees or edits them, and the agreed text goes to both and to the coordinators.

NONE ──ask due──▶ ASKED ──goals from the mentee──▶ DRAFT ──"looks good" | changes──▶ AGREED
ASKED ──remind due──▶ ASKED (one reminder)      DRAFT ──new goals from the mentee──▶ DRAFT
AGREED: a week before each goal's date both are nudged (the goal rows carry that due date).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mentormail.workflows.effects import Effect, Role, SendEmail
from mentormail.workflows.goals import Goal
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.table import handler_for

APPROVE_ACTION = "agreement_approve"
NUDGE_DAYS_BEFORE = 7
MORNING_HOUR = 9


class Stage(StrEnum):
    """Where a pair's agreement stands."""

    NONE = "none"  # the introduction just went; the mentee is asked next
    ASKED = "asked"  # the mentee was asked for the goals
    DRAFT = "draft"  # the mentor has the mentee's draft
    AGREED = "agreed"


@dataclass(frozen=True)
class AskDue:
    """Time to ask the mentee for the goals (right after the introduction)."""


@dataclass(frozen=True)
class RemindDue:
    """``agreement_remind_days`` passed without a draft."""


@dataclass(frozen=True)
class Drafted:
    """The mentee sent the goals."""

    goals: tuple[Goal, ...]


@dataclass(frozen=True)
class Approved:
    """The mentor said the draft looks good."""


@dataclass(frozen=True)
class Changed:
    """The mentor sent the goals as they should be."""

    goals: tuple[Goal, ...]


@dataclass(frozen=True)
class Unclear:
    """A reply that neither gives goals nor approves: asked again, nothing changes."""


AgreementEvent = AskDue | RemindDue | Drafted | Approved | Changed | Unclear


@dataclass(frozen=True)
class AgreementDecision:
    """The new stage, when the sweep should look again (None: not), and what must happen."""

    stage: Stage
    due_at: datetime | None
    effects: tuple[Effect, ...]
    goals: tuple[Goal, ...] | None = None  # the goals to keep, when they changed
    keep_due: bool = False  # the due date stays as it was (an unclear reply loses no reminder)


Handler = Callable[[Stage, AgreementEvent, datetime, ProgramPolicy], AgreementDecision]


def _ask(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """Ask the mentee for the goals; remind them if nothing comes."""
    remind = now + timedelta(days=policy.agreement_remind_days)
    return AgreementDecision(Stage.ASKED, remind, (SendEmail("agreement_ask", Role.MENTEE, "ask"),))


def _remind(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """One reminder, then no more."""
    return AgreementDecision(
        Stage.ASKED, None, (SendEmail("agreement_reminder", Role.MENTEE, "remind"),)
    )


def reminded_by_coordinators(stage: Stage, day: str) -> tuple[Effect, ...]:
    """The coordinators' reminder about an agreement never drafted: the mentee is asked for
    the goals again, as the reminder asks (a reply with goals is the draft); once a draft
    exists, nothing (the generic nudge says the rest)."""
    if stage not in (Stage.NONE, Stage.ASKED):
        return ()
    return (SendEmail("agreement_reminder", Role.MENTEE, f"coordinators-{day}"),)


def _drafted(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """The mentee's goals go to the mentor, who agrees or edits them; the mentee is shown
    the goals as read (dates too) and what happens next."""
    assert isinstance(event, Drafted)
    to_mentor = SendEmail("agreement_draft", Role.MENTOR, "draft", with_actions=(APPROVE_ACTION,))
    to_mentee = SendEmail("agreement_draft_sent", Role.MENTEE, "draft-sent")
    return AgreementDecision(Stage.DRAFT, None, (to_mentor, to_mentee), goals=event.goals)


def _agreed(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """Agreed (as drafted, or with the mentor's changes): both and the coordinators get it."""
    goals = event.goals if isinstance(event, Changed) else None
    effects: tuple[Effect, ...] = (
        SendEmail("agreement_agreed", Role.MENTOR, "agreed"),
        SendEmail("agreement_agreed", Role.MENTEE, "agreed"),
        SendEmail("agreement_agreed", Role.COORDINATOR, "agreed"),
    )
    return AgreementDecision(Stage.AGREED, None, effects, goals=goals)


def _draft_again(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """An unclear answer from the mentor: the draft again, nothing changes."""
    again = SendEmail(
        "agreement_draft", Role.MENTOR, "draft-unclear", with_actions=(APPROVE_ACTION,)
    )
    return AgreementDecision(Stage.DRAFT, None, (again,))


def _ask_again(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """A mentee's reply with no goal in it: the question again (no reminder is lost)."""
    return AgreementDecision(
        Stage.ASKED, None, (SendEmail("agreement_ask", Role.MENTEE, "ask-unclear"),), keep_due=True
    )


S = Stage
TRANSITIONS: dict[tuple[Stage, type], Handler] = {
    (S.NONE, AskDue): _ask,
    (S.ASKED, RemindDue): _remind,
    (S.ASKED, Drafted): _drafted,
    (S.NONE, Drafted): _drafted,  # the mentee wrote before we asked
    (S.DRAFT, Drafted): _drafted,  # the mentee sent a new version
    (S.ASKED, Unclear): _ask_again,
    (S.DRAFT, Approved): _agreed,
    (S.DRAFT, Changed): _agreed,
    (S.DRAFT, Unclear): _draft_again,
}


def decide(
    stage: Stage, event: AgreementEvent, now: datetime, policy: ProgramPolicy
) -> AgreementDecision:
    """Apply an event to a pair's agreement; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "agreement", stage, event)
    return handler(stage, event, now, policy)


def nudge_at(by: date | None) -> datetime | None:
    """When both are nudged about a goal: a week before its date, in the morning."""
    if by is None:
        return None
    return datetime(by.year, by.month, by.day, MORNING_HOUR) - timedelta(days=NUDGE_DAYS_BEFORE)


# A short "looks good" in the six languages: the whole reply is approvals and thanks (after
# accents are dropped), so "Passt so, aber ..." or a question mark is not an approval.
_APPROVALS = (
    r"yes|yep|ok(?:ay)?|sure|great|perfect|agreed|approved?|lgtm|all good|no changes|"
    r"(?:looks|sounds) (?:good|great|fine|perfect)|that'?s (?:good|great|fine|perfect)|"
    r"happy with (?:it|that|this)|let'?s go|"
    r"ja|passt(?: so| gut| perfekt| alles)?|das passt|"
    r"(?:sieht|klingt) (?:gut|super|prima|toll) aus|klingt gut|einverstanden|in ordnung|"
    r"alles (?:gut|klar|prima)|super|prima|perfekt|keine anderungen|genau so|"
    r"oui|(?:ca|cela) me (?:va|convient)(?: (?:tres bien|parfaitement))?|"
    r"c'est (?:parfait|bon|bien|tres bien|super|top)|parfait|d'accord|tres bien|ca marche|"
    r"impeccable|je valide|(?:pas de|aucun) changements?|rien a changer|"
    r"si|me parece (?:bien|perfecto|genial|estupendo)|(?:esta|todo) (?:bien|perfecto|genial)|"
    r"perfecto|de acuerdo|vale|genial|estupendo|sin cambios|"
    r"sim|(?:esta|ta|tudo) (?:otimo|bom|perfeito|certo|bem)|otimo|perfeito|concordo|"
    r"sem alteracoes|aprovado|pode ser|"
    r"没问题|没有问题|就这样(?:吧)?|好的|好|可以|同意|很好|非常好|挺好|不错|没意见|行|👍|"
    r"(?:me parece|esta|estan|ta|esta|sind|ist) (?:muy |muito |sehr )?(?:bien|bem|gut) asi|"
    r"asi (?:esta|estan) bien|"
    r"(?:ils|elles) me (?:vont|conviennent)(?: (?:tres bien|parfaitement))?|"
    r"(?:das|die ziele|sie) (?:passt|passen)(?: so| gut| perfekt)?|passen(?: so| gut| perfekt)?"
)
# "they look good", "me parecen muy bien", "están bien así", "ça me semble très bien", "sehen
# gut aus", "parecem ótimos": who or what, a verb, an intensifier, a word for good, a tail
_LEAD = (
    r"(?:it|this|that|they|these|those|the goals|all|everything)(?: (?:looks?|sounds?|seems?|"
    r"is|are))?|(?:it|this|that)'s|they're|looks?|sounds?|seems?|"
    r"(?:das |die ziele |es )?(?:sieht|sehen|klingt|klingen|ist|sind|passt|passen)|"
    r"(?:ca|cela)(?: me)? (?:va|convient|semble|parait)|c'est|"
    r"(?:ils|elles)(?: me)? (?:sont|semblent|vont|conviennent)|"
    r"(?:tod[oa]s )?(?:me )?(?:parece|parecen|parecem|queda|quedan)|(?:todo )?(?:esta|estan)|todo|"
    r"(?:ta|esta|estao|tao) tudo|(?:tudo )?(?:ta|tao|estao)|tudo"
)
_VERY = r"very|really|sehr|ganz|tres|vraiment|muy|muito"
_GOOD = (
    r"good|great|fine|perfect|excellent|gut|super|prima|toll|perfekt|klasse|"
    r"bien|bon|bons|bonne|bonnes|parfaite?s?|top|impeccable|nickel|"
    r"perfect[oa]s?|genial(?:es)?|estupend[oa]s?|buen[oa]s?|"
    r"otim[oa]s?|bo[am]s?|perfeit[oa]s?|cert[oa]s?|bem|excelentes?"
)
_GOOD_PHRASE = (
    rf"(?:(?:{_LEAD}) )?(?:(?:{_VERY}) )?(?:{_GOOD})(?: (?:aus|so|asi|assim|comme ca|to me))*"
)
_THANKS = (
    r"thanks?|thank you|to me|from me|for me|danke(?: schon| sehr)?|vielen dank|fur mich|"
    r"von mir aus|so|merci(?: beaucoup)?|pour moi|(?:muchas )?gracias|para mi|"
    r"(?:muito )?obrigad[oa]|para mim|por mim|谢谢|多谢|🙂|😊"
)
# between words: punctuation or spaces; none needed next to a Chinese character
_SEP = r"(?:[\s,.!;:~、…–—-]+|(?<=[\u3400-\u9fff])|(?=[\u3400-\u9fff]))"
_LOOKS_GOOD = re.compile(
    rf"[\s!.]*(?:(?:{_THANKS}){_SEP})*(?:{_APPROVALS}|{_GOOD_PHRASE})"
    rf"(?:{_SEP}(?:{_APPROVALS}|{_GOOD_PHRASE}|{_THANKS}))*[\s,.!~]*"
)


def _plain(text: str) -> str:
    """Lower case, one space, no accents, straight apostrophes, full-width punctuation as ASCII."""
    text = unicodedata.normalize("NFKD", " ".join(text.split()).lower()).replace("’", "'")
    return "".join(c for c in text if not unicodedata.combining(c))


def looks_good(text: str) -> bool:
    """A short approval ("Passt so, danke!", "Ça me va", "没问题，就这样") and nothing else."""
    plain = _plain(text)
    return len(plain) <= 120 and bool(_LOOKS_GOOD.fullmatch(plain))


def read_mentor_reply(text: str, goals: tuple[Goal, ...]) -> AgreementEvent:
    """The mentor's answer to a draft: "looks good" approves; their own list of goals (read
    by the caller into ``goals``: two or more, or bulleted) replaces the draft; anything else
    is unclear."""
    if looks_good(text):
        return Approved()
    listed = len(goals) >= 2 or bool(_LISTED.search(text))  # "Will do" is not a list of goals
    return Changed(goals) if goals and listed else Unclear()


_LISTED = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)]|goal\b)", re.IGNORECASE | re.MULTILINE)


def nudge(goal_position: int) -> tuple[Effect, ...]:
    """A week before a goal's date: both are reminded of it."""
    step = f"nudge-{goal_position}"
    return (
        SendEmail("agreement_goal_nudge", Role.MENTOR, step),
        SendEmail("agreement_goal_nudge", Role.MENTEE, step),
    )
