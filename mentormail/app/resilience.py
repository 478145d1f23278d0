"""Processes that outlive a Redis blip: the worker reconnects with backoff and says so;
``mentormail run`` restarts a child that dies and gives up (non-zero) only after many."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import redis.exceptions

from mentormail.service.exceptions import RedisUnreachable

log = logging.getLogger(__name__)

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
FIRST_WAIT, LONGEST_WAIT = 1.0, 30.0  # seconds between reconnection attempts
BURST_TRIES = 5  # a --burst worker gives up after this many failed connections


def backoff(attempt: int) -> float:
    """Seconds to wait before reconnection ``attempt`` (1, 2, 4 … up to 30)."""
    return float(min(LONGEST_WAIT, FIRST_WAIT * 2 ** max(0, attempt - 1)))


def work_through_blips(
    make_worker: Callable[[], Any],
    burst: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run an RQ worker; when Redis goes away, wait (longer each time) and start a new one.
    A long-running worker never gives up; a --burst one does after BURST_TRIES."""
    failures = 0
    while True:
        try:
            make_worker().work(burst=burst, logging_level="WARNING" if burst else "INFO")
            return
        except REDIS_DOWN as error:
            failures += 1
            if burst and failures >= BURST_TRIES:
                raise RedisUnreachable(
                    f"Redis unreachable after {failures} tries: {error}"
                ) from error
            wait = backoff(failures)
            log.warning("Redis unreachable (%s); trying again in %.0f s", error, wait)
            sleep(wait)


RESTARTS_ALLOWED = 5  # within RESTART_WINDOW, per child
RESTART_WINDOW = 300.0  # seconds


class Restarts:
    """When each child last died, to tell a blip from a crash loop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._deaths: dict[str, list[float]] = {}

    def may_restart(self, name: str) -> bool:
        """Record a death of ``name``; whether it may be started again."""
        now = self._clock()
        recent = [t for t in self._deaths.get(name, []) if now - t < RESTART_WINDOW]
        recent.append(now)
        self._deaths[name] = recent
        return len(recent) <= RESTARTS_ALLOWED
