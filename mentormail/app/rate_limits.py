"""Rate limits counted together: all the windows a request falls in are counted in one Redis
round trip (fixed windows, keyed as the ``limits`` library keys them), in memory while Redis
is away. Flask-Limiter counted each limit with its own round trip (three per link page)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)
RETRY_REDIS_SECONDS = 5.0  # after Redis failed, count in memory this long before trying again


@dataclass(frozen=True)
class Rule:
    """Limits (``"120/minute;2000/hour"``) on the bucket ``key`` puts a request in."""

    limits: str
    key: Callable[[], str]

    def items(self) -> list[RateLimitItem]:
        """The parsed windows."""
        return parse_many(self.limits)


class RateLimits:
    """Counts hits in fixed windows on one Redis (shared by every web process), or in this
    process's memory when there is no Redis or it does not answer."""

    def __init__(self, redis: Any | None, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._redis_again_at = 0.0  # monotonic instant Redis is tried again after a failure

    def allow(self, hits: Sequence[tuple[RateLimitItem, str, str]]) -> bool:
        """Count one hit in each (window, bucket, scope); True when none is over its limit."""
        keys = [item.key_for(self._prefix, bucket, scope) for item, bucket, scope in hits]
        if self._redis is not None and time.monotonic() >= self._redis_again_at:
            try:
                counts = self._count_in_redis(hits, keys)
            except Exception as error:  # redis-py raises RedisError and OSError subclasses
                log.warning(
                    "rate limits: Redis unreachable (%s); counting in memory for %.0f s",
                    error,
                    RETRY_REDIS_SECONDS,
                )
                self._redis_again_at = time.monotonic() + RETRY_REDIS_SECONDS
            else:
                return all(n <= item.amount for n, (item, _, _) in zip(counts, hits, strict=True))
        return all(
            [self._memory.hit(item, self._prefix, bucket, scope) for item, bucket, scope in hits]
        )

    def _count_in_redis(
        self, hits: Sequence[tuple[RateLimitItem, str, str]], keys: list[str]
    ) -> list[int]:
        """One MULTI/EXEC: each window's key is created with its expiry if new, then counted
        (atomic, so a key can never be counted without an expiry)."""
        pipe = self._redis.pipeline(transaction=True)  # type: ignore[union-attr]
        for (item, _, _), key in zip(hits, keys, strict=True):
            pipe.set(key, 0, ex=item.get_expiry(), nx=True)
            pipe.incr(key)
        return [int(n) for n in pipe.execute()[1::2]]
