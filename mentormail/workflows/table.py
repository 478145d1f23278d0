"""The one way every workflow reads its transition table: a pair it lacks is an error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from mentormail.workflows.exceptions import InvalidTransition

Handler = TypeVar("Handler")


def handler_for(
    table: Mapping[tuple[Any, type], Handler], machine: str, state: Any, event: object
) -> Handler:
    """The handler for (state, the event's type) in ``machine``'s table, or InvalidTransition."""
    handler = table.get((state, type(event)))
    if handler is None:
        raise InvalidTransition(machine, str(state), type(event).__name__)
    return handler
