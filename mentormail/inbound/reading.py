"""The whole inbound reading of one raw message: parse, classify, extract, understand.

This is what ``mentormail parse`` prints and what the benchmark times. It changes
nothing and never raises: a step that fails is written to ``problems`` and the
reading goes on with what it has, acting on nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mentormail.inbound.classify import classify
from mentormail.inbound.extract import extract_reply
from mentormail.inbound.intent import understand
from mentormail.inbound.intent_names import names_in, quote_of
from mentormail.inbound.intent_options import quoted_options
from mentormail.inbound.meeting_date import asked_since
from mentormail.inbound.mime import parse_bytes
from mentormail.inbound.types import (
    Classification,
    Context,
    Intent,
    MailKind,
    Option,
    ParsedMail,
    Understanding,
)


@dataclass(frozen=True)
class Reading:
    """Everything read from one message, step by step."""

    parsed: ParsedMail
    classification: Classification
    reply: str  # the new text only: no quoted mail, no signature
    understanding: Understanding | None  # only for mail from a person
    context: Context | None = None
    problems: tuple[str, ...] = ()  # steps that failed, for the record

    @property
    def kind(self) -> MailKind:
        """The kind of the message."""
        return self.classification.kind


def read_message(
    raw: bytes,
    context: Context | None = None,
    *,
    with_intent: bool = True,
    options: Sequence[Option] = (),
) -> Reading:
    """Read one raw message; intent is read only for mail a person wrote.

    The service passes ``with_intent=False``: it learns the context by routing
    first, then calls ``understand_safely`` once, in that context. A search reply is read
    with ``options`` (the list it answers), else with the list its quote holds.
    """
    parsed = parse_bytes(raw)
    classification = classify(parsed)
    problems: list[str] = []
    reply = _reply(parsed, problems)
    understanding = None
    if classification.kind is MailKind.HUMAN and with_intent:
        if context is Context.SEARCH and not options:
            options = quoted_options(parsed.text or "")
        since = asked_since_in(parsed) if context is Context.CHECKIN else None
        understanding = understand_safely(
            reply,
            context or Context.GENERAL,
            problems,
            options,
            since_month=since,
            names=lambda: names_of(parsed, reply),
        )
    return Reading(parsed, classification, reply, understanding, context, tuple(problems))


def _reply(parsed: ParsedMail, problems: list[str]) -> str:
    """The new text of the message (HTML-only mail is read from its HTML), or all its text."""
    try:
        return extract_reply(parsed.text or "", html=parsed.html, sender=parsed.from_name)
    except Exception as error:  # another step's bug must not lose the message
        problems.append(f"extract_reply failed: {type(error).__name__}: {error}"[:300])
        return (parsed.text or "").strip()


def names_of(parsed: ParsedMail, reply: str, *known: str) -> frozenset[str]:
    """People's names the second opinion reads as one mark: the sender's, those of the email
    answered (subject and quote), and ``known`` (the pair's, from the service)."""
    return names_in(parsed.from_name, parsed.subject, quote_of(parsed.text or "", reply), *known)


def asked_since_in(parsed: ParsedMail) -> int | None:
    """The month of the date a check-in reply's subject or quote asks about, if it gives one."""
    return asked_since(f"{parsed.subject}\n{parsed.text or ''}")


def understand_safely(
    reply: str,
    context: Context,
    problems: list[str],
    options: Sequence[Option] = (),
    *,
    since_month: int | None = None,
    names: Callable[[], Iterable[str]] = tuple,
) -> Understanding:
    """The intent of a reply; a failure reads as unclear, so nothing acts on it."""
    try:
        return understand(reply, context, options, since_month, names)
    except Exception as error:
        problems.append(f"understand failed: {type(error).__name__}: {error}"[:300])
        return Understanding(Intent.OTHER, clear=False, reasons=("intent reading failed",))


def reading_as_json(file: str, reading: Reading) -> dict[str, Any]:
    """One line of ``mentormail parse`` output."""
    parsed, classification, understanding = (
        reading.parsed,
        reading.classification,
        reading.understanding,
    )
    bounce = classification.bounce
    return {
        "file": file,
        "kind": classification.kind.value,
        "reply": reading.reply,
        "intent": understanding.intent.value if understanding else None,
        "rating": understanding.rating if understanding else None,
        "clear": understanding.clear if understanding else False,
        "choice": understanding.choice if understanding else None,
        "question": understanding.question if understanding else False,
        "candidates": [c.value for c in understanding.candidates] if understanding else [],
        "bounce": (
            {"type": bounce.type, "recipient": bounce.recipient, "status": bounce.status}
            if bounce
            else None
        ),
        "reasons": list(classification.reasons),
        "intent_reasons": list(understanding.reasons) if understanding else [],
        "confidence": understanding.confidence if understanding else 0.0,
        "why": list(understanding.why) if understanding else [],
        "condition": understanding.condition if understanding else "",
        "also": [a.value for a in understanding.also] if understanding else [],
        "context": reading.context.value if reading.context else None,
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "from": parsed.from_addr,
        "subject": parsed.subject,
        "defects": list(parsed.defects),
        "problems": list(reading.problems),
    }
