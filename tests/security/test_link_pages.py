"""Link pages under attack: cross-site POSTs act on nothing (one-click unsubscribe still
works), pages refuse frames and referrers, and guessing runs meet a limit kept in Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from redis import Redis
from werkzeug.test import EnvironBuilder, run_wsgi_app

from mentormail.app import bootstrap
from mentormail.app.link_gets import LinkPageGets
from mentormail.app.web import create_app
from mentormail.service.adapters import RqQueue
from tests.harness import Program, make_services
from tests.servers.redis_server import RedisServer
from tests.service.steps import ANA, JO, SAM, ask, request_states

pytestmark = pytest.mark.integration

BASE = "http://links.example.edu"


@pytest.fixture
def site(
    database_url: str, tmp_path: Path, redis_server: RedisServer
) -> Iterator[tuple[Program, FlaskClient]]:
    """The program's web app, its limiter counting in the real Redis."""
    redis_server.flushall()
    queue = RqQueue(redis_server.url)
    services = make_services(database_url, tmp_path, base_url=BASE)
    program = Program.start(services)
    web_services = make_services(database_url, tmp_path, base_url=BASE, queue=queue)
    yield program, create_app(web_services).test_client()
    bootstrap.install(None)


def path(url: str) -> str:
    """The path of a link."""
    return urlsplit(url).path


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_a_cross_site_post_acts_on_nothing(
    site: tuple[Program, FlaskClient], headers: dict[str, str]
) -> None:
    program, client = site
    request = ask(program, SAM)
    before = request_states(program)

    response = client.post(path(request.links["accept"]), headers=headers)

    assert response.status_code == 403
    assert "came from another website, so nothing has changed" in response.text
    assert request_states(program) == before


def test_our_own_page_still_acts(site: tuple[Program, FlaskClient]) -> None:
    program, client = site
    request = ask(program, SAM)
    response = client.post(
        path(request.links["accept"]),
        data={"confirm": "yes"},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": BASE},
    )
    assert response.status_code == 200 and "Thank you!" in response.text
    assert list(request_states(program).values()) == ["accepted"]


def test_one_click_unsubscribe_is_one_click_and_only_unsubscribes(
    site: tuple[Program, FlaskClient],
) -> None:
    program, client = site
    request = ask(program, SAM)
    unsubscribe = request.headers["List-Unsubscribe"].split(",")[0].strip(" <>")
    one_click = {
        "data": "List-Unsubscribe=One-Click",
        "content_type": "application/x-www-form-urlencoded",
    }

    on_accept = client.post(path(request.links["accept"]), **one_click)  # type: ignore[arg-type]
    done = client.post(path(unsubscribe), **one_click)  # type: ignore[arg-type]

    assert on_accept.status_code == 403
    assert done.status_code == 200, done.text
    assert (ANA, "available", "left") in program.snapshot()["availability"]


def test_pages_refuse_frames_and_referrers(site: tuple[Program, FlaskClient]) -> None:
    program, client = site
    response = client.get(path(ask(program, SAM).links["accept"]))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_guessing_run_meets_the_limit_a_person_never_does(
    site: tuple[Program, FlaskClient], redis_server: RedisServer
) -> None:
    program, client = site
    request = ask(program, SAM)
    real = path(request.links["accept"])
    for _ in range(5):  # a person, and their mail scanner, opening the link
        assert client.get(real).status_code == 200
    guesses = [client.get(real[:-4] + f"{n:04d}").status_code for n in range(40)]

    assert 429 in guesses and guesses.index(429) >= 20, guesses
    redis = Redis.from_url(redis_server.url)
    windows = redis.keys("*mentormail-limits*")
    assert len(windows) == 3  # 120 a minute and 2000 an hour per address, 30 a minute per prefix
    assert all(0 < redis.ttl(key) <= 3600 for key in windows)  # no count lives forever


def test_a_redis_that_lost_the_counting_script_still_counts_in_redis(
    site: tuple[Program, FlaskClient], redis_server: RedisServer
) -> None:
    program, client = site
    real = path(ask(program, SAM).links["accept"])
    assert client.get(real).status_code == 200
    redis = Redis.from_url(redis_server.url)
    redis.script_flush()  # as a restarted Redis would have it
    guesses = guess_run(client, real)

    assert 429 in guesses and guesses.index(429) >= 20, guesses
    counts = [int(redis.get(key) or 0) for key in redis.keys("*mentormail-limits*/minute")]
    assert max(counts) > 30  # counted in Redis both before and after the flush


def guess_run(client: FlaskClient, real: str, **headers: str) -> list[int]:
    """40 guessed neighbours of a real link, from one client."""
    return [client.get(real[:-4] + f"{n:04d}", headers=headers).status_code for n in range(40)]


def test_a_guesser_naming_other_addresses_meets_the_same_limit(
    site: tuple[Program, FlaskClient],
) -> None:
    program, client = site
    real = path(ask(program, SAM).links["accept"])
    statuses = [
        client.get(real[:-4] + f"{n:04d}", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
        for n in range(40)
    ]
    assert 429 in statuses and statuses.index(429) >= 20, statuses


def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(
    database_url: str, tmp_path: Path, redis_server: RedisServer
) -> None:
    redis_server.flushall()
    services = make_services(database_url, tmp_path, base_url=BASE)
    program = Program.start(services)
    web = make_services(
        database_url, tmp_path, base_url=BASE, queue=RqQueue(redis_server.url), trusted_proxies=1
    )
    client = create_app(web).test_client()
    first, second = ask(program, SAM), ask(program, JO)
    spent = [
        client.get(path(first.links["accept"]), headers={"X-Forwarded-For": "198.51.100.7"})
        for _ in range(130)
    ]
    others = client.get(path(second.links["accept"]), headers={"X-Forwarded-For": "203.0.113.9"})

    assert spent[-1].status_code == 429
    assert others.status_code == 200
    bootstrap.install(None)


def test_with_redis_gone_pages_answer_and_the_limit_holds_in_memory(
    database_url: str, tmp_path: Path
) -> None:
    services = make_services(database_url, tmp_path, base_url=BASE)
    program = Program.start(services)
    gone = RqQueue(f"unix://{tmp_path}/no-redis-here.sock")
    client = create_app(
        make_services(database_url, tmp_path, base_url=BASE, queue=gone)
    ).test_client()
    real = path(ask(program, SAM).links["accept"])

    assert client.get(real).status_code == 200
    guesses = guess_run(client, real)
    assert 429 in guesses and guesses.index(429) >= 20, guesses
    bootstrap.install(None)


def test_a_link_get_served_before_flask_answers_what_flask_would(
    site: tuple[Program, FlaskClient],
) -> None:
    program, client = site
    request = ask(program, SAM)
    accept, decline = path(request.links["accept"]), path(request.links["decline"])
    program.post(request.links["decline"])  # accept's page now says it was answered
    unsubscribe = path(request.headers["List-Unsubscribe"].split(",")[0].strip(" <>"))
    fast = client.application.wsgi_app
    assert isinstance(fast, LinkPageGets)
    asked = [("GET", decline), ("GET", accept), ("HEAD", unsubscribe), ("GET", unsubscribe)]
    asked += [("GET", "/a/no-such-link"), ("GET", accept + "/"), ("GET", accept + "%7E")]
    for n, (method, link) in enumerate(asked):
        environ = EnvironBuilder(path=link, method=method, query_string="x=1").get_environ()
        environ["REMOTE_ADDR"] = f"10.9.0.{n}"
        by_flask = answer(fast.next, dict(environ, REMOTE_ADDR=f"10.9.1.{n}"))
        assert answer(fast, environ) == by_flask, (method, link)


def answer(app: Any, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """A WSGI app's status, headers in order, and body."""
    body, status, headers = run_wsgi_app(app, environ)
    return status, list(headers.items()), b"".join(body)
