"""The one way idempotency keys are built: (workflow, subject, step[, role][, cause])."""

from __future__ import annotations

from mentormail.service.context import Unit
from mentormail.workflows.conversation import Limit, once_a_day


def idempotency_key(workflow: str, subject: int | str, step: str, *parts: str) -> str:
    """A key naming one email of one step of one workflow about one subject.

    ``parts`` add the recipient's role and, for steps that may repeat (a second
    unclear reply), the cause (the inbound message or link that led to it).
    """
    tail = ":".join(p for p in parts if p)
    key = f"{workflow}:{subject}:{step}"
    return f"{key}:{tail}" if tail else key


def inbound_cause(inbound_id: int) -> str:
    """The cause that names an inbound message: what its steps are keyed by."""
    return f"in{inbound_id}"


def inbound_id_of(cause: str) -> int | None:
    """The inbound message a cause names, or None when a link or the clock caused it."""
    digits = cause.removeprefix("in")
    return int(digits) if cause.startswith("in") and digits.isdigit() else None


def limited_key(limit: Limit, who: str, uow: Unit) -> str:
    """The key of an automatic answer that may go to ``who`` once a day (the rule's period)."""
    return idempotency_key(str(limit), who.lower(), once_a_day(uow.now))
