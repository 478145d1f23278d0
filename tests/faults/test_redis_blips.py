"""Redis killed and restarted under a real ``mentormail work``: the worker waits, says so,
and works again; the backoff and the restart budget of ``mentormail run`` as rules."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentormail.app.resilience import RESTARTS_ALLOWED, Restarts, backoff, work_through_blips
from mentormail.service.exceptions import RedisUnreachable
from tests.faults.installed import MENTORMAIL, mentormail
from tests.harness import EXAMPLES, PROGRAM_ADDRESS, email
from tests.servers.redis_server import RedisServer, start_redis

pytestmark = pytest.mark.integration


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test's own, to kill."""
    server = start_redis()
    yield server
    server.stop()


def test_a_worker_outlives_a_redis_restart(tmp_path: Path, own_redis: RedisServer) -> None:
    env = {
        **os.environ,
        "MENTORMAIL_DATA_DIR": str(tmp_path / "var"),
        "MENTORMAIL_REDIS_URL": own_redis.url,
    }
    assert mentormail(env, "init").returncode == 0
    assert mentormail(env, "program", "load", str(EXAMPLES / "program.yaml")).returncode == 0
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [MENTORMAIL, "work"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(3)
        own_redis.kill()
        time.sleep(6)  # the old worker left about 2 s into an outage
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        own_redis.restart()
        mail = tmp_path / "stranger.eml"
        mail.write_bytes(email("new.person@elsewhere.example", PROGRAM_ADDRESS, "How do I join?"))
        assert "stored as inbound" in mentormail(env, "ingest", str(mail)).stdout
        for _ in range(60):
            listed = mentormail(env, "outbox", "--status", "sent").stdout
            if "new.person@elsewhere.example" in listed:
                break
            time.sleep(1)
        assert "new.person@elsewhere.example" in listed, (tmp_path / "worker.log").read_text()
        said = (tmp_path / "worker.log").read_text()
        assert "Redis unreachable" in said or "could not connect to Redis" in said  # says so
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_backoff_grows_to_thirty_seconds() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 6, 9)] == [1, 2, 4, 8, 16, 30, 30]


class DeadRedis:
    """A worker whose Redis is gone."""

    def work(self, burst: bool, logging_level: str) -> None:
        """Fail as redis-py does."""
        import redis.exceptions

        raise redis.exceptions.ConnectionError("Connection refused")


def test_a_burst_worker_gives_up_after_a_few_tries() -> None:
    waits: list[float] = []
    with pytest.raises(RedisUnreachable):
        work_through_blips(DeadRedis, burst=True, sleep=waits.append)
    assert waits == [1, 2, 4, 8]


def test_run_restarts_a_child_until_it_dies_too_often() -> None:
    now = [0.0]
    restarts = Restarts(clock=lambda: now[0])
    allowed = []
    for _ in range(RESTARTS_ALLOWED + 1):
        now[0] += 10
        allowed.append(restarts.may_restart("work"))
    assert allowed == [True] * RESTARTS_ALLOWED + [False]
    now[0] += 1000  # a blip long after is a new story
    assert restarts.may_restart("work")


def children_of(pid: int) -> dict[str, int]:
    """The mentormail child processes of ``pid``, by command (web, work, clock)."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"mentormail.app.cli" in cmdline:
            found[cmdline[-2].decode() if cmdline[-1] == b"" else cmdline[-1].decode()] = int(
                entry.name
            )
    return found


def test_run_restarts_a_worker_that_was_killed(tmp_path: Path) -> None:
    from tests.e2e.test_make_run import example_program_installed, wait_for

    env, _port = example_program_installed(tmp_path)
    run = subprocess.Popen(
        [sys.executable, "-m", "mentormail.app.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: "work" in children_of(run.pid))
        first = children_of(run.pid)["work"]
        os.kill(first, 9)
        wait_for(lambda: children_of(run.pid).get("work", first) != first)
        assert run.poll() is None  # run itself carries on
    finally:
        run.terminate()
        _, err = run.communicate(timeout=60)
    assert "mentormail work stopped (-9); restarting it" in err
