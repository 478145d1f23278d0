"""A worker on a real redis-server lets go within seconds when it is done or told to stop.

With RQ's own SimpleWorker (RQ 3.0.0, redis-py 8.2.0) the same check took 60 s, the
listener's whole wait (2026-12-07); so did every ``mentormail work --burst`` that had sent
mail, and the tests that ran one."""

from __future__ import annotations

import threading
import time

import pytest
from rq.worker import SimpleWorker

from mentormail.service.adapters import RqQueue
from mentormail.service.rq_worker import LISTEN_WAKE

STOP_WITHIN = 15.0  # seconds: far above LISTEN_WAKE, far below RQ's own 60 s listening wait

pytestmark = pytest.mark.integration


def _seconds_to_let_go(worker: SimpleWorker) -> float:
    """Listen, have the unsubscribe's reply reach the listener before it is told to stop (the
    order a worker finishing its last job met every time here), then let go as RQ's teardown
    does; the seconds that took (STOP_WITHIN + 1 when it did not let go by then)."""
    worker.subscribe()
    deadline = time.monotonic() + 5
    while not worker.pubsub.subscribed and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.pubsub.unsubscribe()
    while worker.pubsub.subscribed and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the listener is back in its wait, subscribed to nothing
    began = time.monotonic()
    letting_go = threading.Thread(target=worker.unsubscribe, daemon=True)
    letting_go.start()
    letting_go.join(STOP_WITHIN + 1)
    return time.monotonic() - began


def test_a_worker_lets_go_of_its_command_listener_within_seconds(fresh_redis_url: str) -> None:
    worker = RqQueue(fresh_redis_url).worker(["inbound", "outbound"])
    assert _seconds_to_let_go(worker) < STOP_WITHIN
    assert LISTEN_WAKE < STOP_WITHIN
