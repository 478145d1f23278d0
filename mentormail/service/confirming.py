"""No token, no state change: a plain email (no reply token in its address) asking to stop,
pause or take requests again is confirmed by a one-time link mailed to the person's known
address; anyone can write a From: line, only the person can open their own mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mentormail.inbound.types import Intent
from mentormail.service import outbox
from mentormail.service.context import Unit
from mentormail.service.keys import limited_key
from mentormail.service.outbox import Draft
from mentormail.service.tokens import LinkSpec
from mentormail.workflows.conversation import Limit

if TYPE_CHECKING:
    from mentormail.service.replies import Reply


@dataclass(frozen=True)
class Change:
    """A change of state a plain email may ask for, and the link that makes it."""

    action: str  # a row of the link table (service/links.py ACTIONS)
    subject: str
    words: str
    button: str
    roles: tuple[str, ...] = ("mentor", "mentee")
    already: str = ""  # the person's availability that makes the change true already
    undo: str = ""  # the word that undoes it, told to someone for whom it was true already


CONFIRMED_BY_LINK: dict[Intent, Change] = {
    Intent.STOP: Change(
        "unsubscribe", "leave the program", "take you out of the program", "Leave the program"
    ),
    Intent.PAUSE: Change(
        "pause",
        "pause new requests",
        "stop sending you new requests for now",
        "Pause new requests",
        ("mentor",),
        already="paused",
        undo="available",
    ),
    Intent.AVAILABLE: Change(
        "available",
        "take requests again",
        "send you new mentee requests again",
        "I'm available",
        ("mentor",),
        already="available",
        undo="pause",
    ),
}


def is_mailto_unsubscribe(reply: Reply) -> bool:
    """The mail a client sends for our ``List-Unsubscribe: <mailto:reply+token@…?subject=
    unsubscribe>``: to the person's own reply address, subject "unsubscribe", nothing said."""
    subject = reply.reading.parsed.subject.strip().lower()
    return reply.route.proven and subject == "unsubscribe" and not reply.text.strip()


def needs_link(reply: Reply) -> bool:
    """Whether this reply asks for a change it cannot make by itself (no reply token)."""
    said = reply.understanding
    change = CONFIRMED_BY_LINK.get(said.intent) if said.clear else None
    return change is not None and not reply.route.proven and reply.person.role in change.roles


def ask_to_confirm(uow: Unit, reply: Reply) -> None:
    """Mail the person, at the address we know, a link that makes the change, or, when it is
    true already, a note that nothing needed changing, with no link (each once a day)."""
    person = reply.person
    change = CONFIRMED_BY_LINK[reply.understanding.intent]
    made = bool(change.already) and person.availability == change.already
    context = {
        "change": change.subject,
        "change_words": change.words,
        "button": change.button,
        "already": change.already,
        "undo": change.undo,
        "reply_text": reply.text[:2000],
    }
    outbox.write(
        uow,
        Draft(
            program=person.program,
            template="change_already_made" if made else "confirm_change",
            key=limited_key(
                Limit.CONFIRM_CHANGE,
                f"{person.email}:{change.action}{':made' if made else ''}",
                uow,
            ),
            to=person,
            context=context,
            actions={} if made else {"confirm": LinkSpec(change.action, person.id)},
        ),
    )
