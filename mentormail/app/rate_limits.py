"""Rate limits counted together: all the windows a request falls in are counted in one Redis
command (fixed windows, keyed as the ``limits`` library keys them), in memory while Redis is
away. Flask-Limiter, like ``limits``, counts each limit with a round trip of its own (three per
link page); neither can count several in one, hence the few lines of Lua below. The command
goes out on a connection of this process and thread's own, past redis-py's per-command pool
and retry bookkeeping (a third of a link page's Python time before)."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from redis.exceptions import NoScriptError

log = logging.getLogger(__name__)
RETRY_REDIS_SECONDS = 5.0  # after Redis failed, count in memory this long before trying again
# limits' incr_expire.lua for several keys at once: count each window, give a new one its expiry.
COUNT_WINDOWS = """
local counts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('incr', key)
  if n == 1 then redis.call('expire', key, ARGV[i]) end
  counts[i] = n
end
return counts
"""
COUNT_SHA = hashlib.sha1(COUNT_WINDOWS.encode()).hexdigest()  # the name EVALSHA calls it by


@dataclass(frozen=True)
class Rule:
    """Limits (``"120/minute;2000/hour"``) on the bucket ``key`` puts a request in (from
    its address and, for a link, its token)."""

    limits: str
    key: Callable[[str, str], str]

    def items(self) -> list[RateLimitItem]:
        """The parsed windows."""
        return parse_many(self.limits)


class RateLimits:
    """Counts hits in fixed windows on one Redis (shared by every web process), or in this
    process's memory when there is no Redis or it does not answer."""

    def __init__(self, redis: Any | None, prefix: str) -> None:
        self._redis = redis
        self._own = threading.local()  # (pid, connection) of this thread
        self._prefix = prefix
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._redis_again_at = 0.0  # monotonic instant Redis is tried again after a failure
        self._key_parts: dict[tuple[str, int, int, str], tuple[str, str]] = {}

    def allow(self, hits: Sequence[tuple[RateLimitItem, str, str]]) -> bool:
        """Count one hit in each (window, bucket, scope); True when none is over its limit."""
        keys = [self._key(item, bucket, scope) for item, bucket, scope in hits]
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

    def _key(self, item: RateLimitItem, bucket: str, scope: str) -> str:
        """``item.key_for(prefix, bucket, scope)``, its fixed head and tail joined once per
        window (the library's join of five strings was a tenth of a link GET's CPU)."""
        name = (item.namespace, item.amount, item.multiples, item.GRANULARITY.name)
        parts = self._key_parts.get(name)
        if parts is None:
            head, tail = item.key_for(self._prefix, "\0", "\0").split("/\0/\0/")
            parts = self._key_parts[name] = (f"{head}/", f"/{tail}")
        return f"{parts[0]}{bucket}/{scope}{parts[1]}"

    def _count_in_redis(
        self, hits: Sequence[tuple[RateLimitItem, str, str]], keys: list[str]
    ) -> list[int]:
        """One EVALSHA (the script is loaded again if Redis lost it): each window counted, and
        given its expiry when new, atomically (a count never lives without its expiry). A
        failed connection is dropped; the next count makes a new one."""
        expiries = [item.get_expiry() for item, _, _ in hits]
        connection = self._connection()
        try:
            try:
                counts = self._evalsha(connection, keys, expiries)
            except NoScriptError:  # a new or flushed Redis: load the script, count again
                connection.send_command("SCRIPT", "LOAD", COUNT_WINDOWS)
                connection.read_response()  # its SHA1, the one we name
                counts = self._evalsha(connection, keys, expiries)
        except NoScriptError:
            raise
        except BaseException:
            connection.disconnect()
            raise
        return [int(n) for n in counts]

    def _evalsha(self, connection: Any, keys: list[str], expiries: list[int]) -> Any:
        """Send the counting script's EVALSHA and read its answer."""
        head, tail = _evalsha_around(len(keys), tuple(expiries))
        connection.send_packed_command([head + bulks(keys) + tail])  # resp(EVALSHA ...)
        return connection.read_response()

    def _connection(self) -> Any:
        """This thread's connection to the limits' Redis, made with the client's settings
        (a new one in a forked worker: a socket is never shared across processes)."""
        own = getattr(self._own, "connection", None)
        if own is None or own[0] != os.getpid():
            client: Any = self._redis  # counting in Redis: there is one
            pool = client.connection_pool
            own = self._own.connection = (
                os.getpid(),
                pool.connection_class(**pool.connection_kwargs),
            )
        return own[1]


def resp(args: Sequence[str | int]) -> bytes:
    """A command in Redis's protocol (RESP), as redis-py packs one of strings and ints (UTF-8)
    but without its per-argument type checks (a third of the count's CPU)."""
    return b"*%d\r\n%b" % (len(args), bulks(args))


def bulks(args: Sequence[str | int]) -> bytes:
    """The arguments of a RESP command, each a bulk string."""
    encoded = [str(arg).encode() for arg in args]
    return b"".join([b"$%d\r\n%b\r\n" % (len(a), a) for a in encoded])


@cache
def _evalsha_around(count: int, expiries: tuple[int, ...]) -> tuple[bytes, bytes]:
    """``resp`` of the counting EVALSHA before its keys and after them (the same every count)."""
    head = b"*%d\r\n%b" % (3 + count + len(expiries), bulks(["EVALSHA", COUNT_SHA, count]))
    return head, bulks(expiries)
