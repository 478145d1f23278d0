"""Ending a match, never ghosting: the one ending says which situation fits, sees the message
their partner will get (or writes their own), and sends it; only then does the match end.

(none) ──end wanted──▶ ASKED ──situation picked──▶ DRAFTED ──send──▶ SENT   the match ends
          ASKED ──own words──▶ ASKED (which situation fits?)   DRAFTED ──own words──▶ DRAFTED
A sent ending takes no more events: the shell says, kindly, that the match has ended.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from mentormail.workflows.effects import Effect, EndMatch, Role, SendEmail
from mentormail.workflows.match import EndReason
from mentormail.workflows.policy import ProgramPolicy
from mentormail.workflows.table import handler_for


class Stage(StrEnum):
    """Where one person's ending stands."""

    NONE = "none"  # nothing asked yet
    ASKED = "asked"  # asked which situation fits
    DRAFTED = "drafted"  # shown the message that will go to the partner
    SENT = "sent"  # the partner has it; the match has ended


# The four situations, numbered as the email lists them (the programs' own scenarios).
SCENARIOS: tuple[EndReason, ...] = (
    EndReason.UNRESPONSIVE,  # 1. the other person has not responded
    EndReason.NOT_INVESTED,  # 2. not invested, or not respectful of my time
    EndReason.GREAT_YEAR,  # 3. a great year: time to wrap up
    EndReason.NO_FAULT,  # 4. my circumstances changed
)
PICK_ACTIONS: dict[EndReason, str] = {reason: f"end_{reason}" for reason in SCENARIOS}
SEND_ACTION = "end_send"
END_ACTION = "end_match"  # the link every check-in carries: it starts an ending


@dataclass(frozen=True)
class Ending:
    """One person's ending of one match."""

    stage: Stage = Stage.NONE
    scenario: EndReason | None = None
    own_words: str = ""  # their message, replacing the program's


@dataclass(frozen=True)
class EndWanted:
    """They asked to end (a reply END, or the link in a check-in)."""


@dataclass(frozen=True)
class ScenarioPicked:
    """They said which situation fits."""

    scenario: EndReason


@dataclass(frozen=True)
class OwnWords:
    """They wrote the message their partner should get instead of ours."""

    text: str


@dataclass(frozen=True)
class SendConfirmed:
    """They pressed "send" (or replied "send it")."""


@dataclass(frozen=True)
class Unclear:
    """A reply we can't read as any of the above: ask again, change nothing."""


EndingEvent = EndWanted | ScenarioPicked | OwnWords | SendConfirmed | Unclear


@dataclass(frozen=True)
class EndingDecision:
    """The ending's new state and what must happen."""

    ending: Ending
    effects: tuple[Effect, ...]


Handler = Callable[[Ending, EndingEvent, Role, ProgramPolicy], EndingDecision]


def _ask_which(ending: Ending, step: str, by: Role) -> EndingDecision:
    """Ask which situation fits, with one link per situation."""
    actions = tuple(PICK_ACTIONS[s] for s in SCENARIOS)
    return EndingDecision(ending, (SendEmail("ending_which", by, step, with_actions=actions),))


def _preview(ending: Ending, step: str, by: Role) -> EndingDecision:
    """Show the message that will go to the partner, with a link that sends it."""
    email = SendEmail("ending_preview", by, step, with_actions=(SEND_ACTION,))
    return EndingDecision(ending, (email,))


def _wanted(ending: Ending, event: EndingEvent, by: Role, policy: ProgramPolicy) -> EndingDecision:
    """Asked to end: the first question, or the one they have not answered yet, again."""
    if ending.stage is Stage.DRAFTED:
        return _preview(ending, "preview-again", by)
    return _ask_which(replace(ending, stage=Stage.ASKED), "which", by)


def _picked(ending: Ending, event: EndingEvent, by: Role, policy: ProgramPolicy) -> EndingDecision:
    """A situation chosen (again, if they changed their mind): show the message."""
    assert isinstance(event, ScenarioPicked)
    chosen = replace(ending, stage=Stage.DRAFTED, scenario=event.scenario)
    return _preview(chosen, f"preview-{event.scenario}", by)


def _words(ending: Ending, event: EndingEvent, by: Role, policy: ProgramPolicy) -> EndingDecision:
    """Their own message: kept; shown again to send, or first asked which situation fits."""
    assert isinstance(event, OwnWords)
    worded = replace(ending, own_words=event.text.strip())
    if ending.stage is Stage.DRAFTED:
        return _preview(worded, "preview-words", by)
    return _ask_which(worded, "which-words", by)


def _send(ending: Ending, event: EndingEvent, by: Role, policy: ProgramPolicy) -> EndingDecision:
    """Send it: the match ends for the chosen reason (the partner gets the message)."""
    assert ending.scenario is not None
    return EndingDecision(
        replace(ending, stage=Stage.SENT),
        (EndMatch(str(ending.scenario), by), SendEmail("ending_sent", by, "sent")),
    )


def _unclear(ending: Ending, event: EndingEvent, by: Role, policy: ProgramPolicy) -> EndingDecision:
    """Nothing acts on an unclear reply: the question they are at is asked again."""
    if ending.stage is Stage.DRAFTED:
        return _preview(ending, "preview-unclear", by)
    return _ask_which(ending, "which-unclear", by)


S = Stage
TRANSITIONS: dict[tuple[Stage, type], Handler] = {
    (S.NONE, EndWanted): _wanted,
    (S.ASKED, EndWanted): _wanted,
    (S.DRAFTED, EndWanted): _wanted,
    (S.ASKED, ScenarioPicked): _picked,
    (S.DRAFTED, ScenarioPicked): _picked,
    (S.ASKED, OwnWords): _words,
    (S.DRAFTED, OwnWords): _words,
    (S.DRAFTED, SendConfirmed): _send,
    (S.ASKED, Unclear): _unclear,
    (S.DRAFTED, Unclear): _unclear,
}


def decide(
    ending: Ending, event: EndingEvent, now: datetime, policy: ProgramPolicy, by: Role
) -> EndingDecision:
    """Apply an event to ``by``'s ending; any pair not in the table is an error."""
    handler = handler_for(TRANSITIONS, "ending", ending.stage, event)
    return handler(ending, event, by, policy)


# --- reading a reply to the ending emails ----------------------------------------------------

# a number alone, with an article or "option" before it and "please" after, in six languages
# ("la 2", "die 3 bitte", "option 1", "第2个"); the emails ask for "just the number"
_PLEASE = (
    r"(?:please|thanks?|thank you|por\s*favor|porfa|gracias|bitte|danke|s'il vous pla[iî]t|svp|"
    r"merci|obrigad[oa]|谢谢|请)"
)
_PICK = re.compile(
    r"^\W*(?:(?:the|la|el|le|lo|o|a|die|der|den|option|opción|opção|number|número|numéro|"
    r"numero|nummer|no\.?|n[º°o]\.?|situation|situación|situação|#|选|第)\s*)*([1-4])"
    rf"(?:\s*(?:号|个))?(?!\w)\W*(?:{_PLEASE})?\W*$",
    re.I,
)
_SEND = re.compile(
    r"^\W*(?:yes|ok(?:ay)?|sure|fine|s[ií]|oui|ja|sim|vale|d'accord|好的?|可以)?[\s,.!，。！]*"
    r"(?:please\s+|por\s+favor\s+|bitte\s+)?"
    r"(?:send(?:\s+it)?|go ahead|looks good|that'?s fine|sounds good|"
    r"env[ií]a(?:lo|la)?|m[aá]nda(?:lo|la)?|enviar|adelante|está bien|"
    r"envoie[sz]?(?:-le)?|envoyez(?:-le)?|vas-y|allez-y|c'est bon|"
    r"schick(?:en|e es|s ab)?|abschicken|senden|passt|"
    r"envie|pode enviar|pode mandar|manda|"
    r"发送|发吧|发出去|就这样发)"
    rf"\W*(?:{_PLEASE})?\W*$",
    re.I,
)
OWN_WORDS_MIN = 6  # fewer words than this are not a message to a partner


def read_reply(text: str, stage: Stage) -> EndingEvent:
    """What a reply to an ending email says: a number picks, "send it" sends (once a message
    is shown), a message of a few sentences replaces ours; anything else is unclear."""
    words = " ".join(text.split())
    picked = _PICK.match(words)
    if picked:
        return ScenarioPicked(SCENARIOS[int(picked.group(1)) - 1])
    if stage is Stage.DRAFTED and _SEND.match(words):
        return SendConfirmed()
    if len(words.split()) >= OWN_WORDS_MIN:
        return OwnWords(text.strip())
    return Unclear()
