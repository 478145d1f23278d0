"""The least a link page's GET must do, done plainly (not a benchmark itself): count the request
in the rate limits' three windows with one EVALSHA on Redis, read its link's row with one
prepared statement on PostgreSQL, answer "hello". No template, no join, no headers of ours.

Under the same gunicorn as ours and the bare app it measures how near 1.0 any page can come
that reads the link and counts the request on a shared Redis: a floor for the GET's ratio.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import psycopg
import redis
from flask import Flask

from mentormail.app.rate_limits import COUNT_SHA, COUNT_WINDOWS

app = Flask(__name__)
READ = (
    "SELECT id, participant_id, action, target_id, expires_at, used_at"
    " FROM action_tokens WHERE token_hash = %s"
)
_own: dict[str, Any] = {}  # this worker process's connections, made on its first request


def _connections() -> tuple[psycopg.Connection[Any], redis.Redis]:
    """One PostgreSQL and one Redis connection for this process (gunicorn forks first)."""
    if _own.get("pid") != os.getpid():
        url = os.environ["MENTORMAIL_DATABASE_URL"].replace(
            "postgresql+psycopg://", "postgresql://"
        )
        _own.update(
            pid=os.getpid(),
            database=psycopg.connect(url, autocommit=True, prepare_threshold=0),
            redis=redis.Redis.from_url(os.environ["MENTORMAIL_REDIS_URL"]),
        )
        _own["redis"].script_load(COUNT_WINDOWS)
    return _own["database"], _own["redis"]


@app.get("/a/<token>")
def floor(token: str) -> tuple[str, int]:
    """Count, read, answer."""
    database, counter = _connections()
    keys = ("floor/address/minute", "floor/address/hour", f"floor/token/{token[:8]}")
    counts = counter.evalsha(COUNT_SHA, 3, *keys, 60, 3600, 60)
    if max(counts) > 10**9:
        return "too many", 429
    found = database.execute(READ, (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
    return ("hello", 200) if found is not None else ("unknown", 404)
