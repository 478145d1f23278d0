"""Two transactions that collide (a deadlock, a serialization failure): try once more."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from mentormail.service.exceptions import Busy

log = logging.getLogger(__name__)
T = TypeVar("T")

# PostgreSQL's serialization_failure and deadlock_detected: the transaction was rolled back
# whole, so running it again from the start is safe.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def is_conflict(error: BaseException) -> bool:
    """Whether the database rolled this transaction back because another one collided."""
    if not isinstance(error, DBAPIError):
        return False
    return getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def once_more_on_conflict(work: Callable[[], T], what: str) -> T:
    """Run ``work`` (a whole unit of work); after a collision run it once more, then Busy."""
    try:
        return work()
    except DBAPIError as error:
        if not is_conflict(error):
            raise
        log.warning("%s collided with another transaction; trying once more", what)
    try:
        return work()
    except DBAPIError as error:
        if not is_conflict(error):
            raise
        raise Busy(f"{what} collided twice with other transactions") from error
