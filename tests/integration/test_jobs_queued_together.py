"""The jobs a unit of work asks for are queued together after it commits: one pipeline asks
which already wait, one queues the rest, and each waiting job is there once."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis
from rq import Queue

from mentormail.service.adapters import RqQueue
from mentormail.service.context import PROCESS_JOB, SEND_JOB
from tests.harness import make_services

pytestmark = pytest.mark.integration


def test_a_units_jobs_are_queued_once_each_and_not_before_it_commits(
    tmp_path: Path, fresh_redis_url: str
) -> None:
    services = make_services(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path,
                             queue=RqQueue(fresh_redis_url))  # fmt: skip
    outbound = Queue("outbound", connection=Redis.from_url(fresh_redis_url))
    inbound = Queue("inbound", connection=Redis.from_url(fresh_redis_url))
    services.queue.enqueue("outbound", SEND_JOB, 250)  # batch 2 waits already

    with services.unit() as uow:
        for row_id in (101, 150, 250, 399):  # batches 1, 1, 2 and 3
            uow.after_commit("outbound", SEND_JOB, row_id)
        uow.after_commit("inbound", PROCESS_JOB, 7)
        assert outbound.count == 1 and inbound.count == 0  # nothing before the commit

    assert sorted(outbound.job_ids) == [
        "send_outbound-batch-1",
        "send_outbound-batch-2",
        "send_outbound-batch-3",
    ]
    assert inbound.job_ids == ["process_inbound-7"]
    assert outbound.fetch_job("send_outbound-batch-1").args == (101,)  # type: ignore[union-attr]
