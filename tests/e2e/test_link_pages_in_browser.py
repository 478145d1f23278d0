"""One-time link pages in a real browser: GET shows a question, the button acts once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from werkzeug.serving import BaseWSGIServer, make_server

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from tests.fakes import FakeClock
from tests.harness import Program, make_services
from tests.service.steps import ANA, JO, SAM, ask

pytestmark = pytest.mark.e2e

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Site:
    """The example program behind a real HTTP server."""

    program: Program
    url: str
    clock: FakeClock


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """Serve ``create_app(services)`` on 127.0.0.1 with an ephemeral port, in a thread."""
    app: dict[str, WsgiApp] = {}

    def late_bound(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return app["app"](environ, start_response)

    server: BaseWSGIServer = make_server("127.0.0.1", 0, late_bound, threaded=True)
    url = f"http://127.0.0.1:{server.port}"
    clock = FakeClock()
    services = make_services(f"sqlite:///{tmp_path / 'mm.db'}", tmp_path, clock=clock, base_url=url)
    app["app"] = create_app(services)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(Program.start(services), url, clock)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        bootstrap.install(None)


def test_accept_link_in_a_browser_asks_then_acts_once(site: Site, page: Page) -> None:
    program = site.program
    request = ask(program, SAM)
    accept = request.links["accept"]
    assert accept.startswith(f"{site.url}/a/")
    before = program.snapshot()

    shown = page.goto(accept)
    assert shown is not None and shown.status == 200
    assert page.locator("h1").inner_text() == "Mentor Sam Rivera?"
    button = page.locator("button")
    assert button.count() == 1
    assert button.inner_text() == "Yes, I'll mentor Sam"
    page.reload()  # a scanner, a second look: still nothing happens
    assert program.snapshot() == before
    program.work()
    assert program.snapshot() == before

    second_tab = page.context.new_page()  # the same link, open in another tab
    second_tab.goto(accept)

    with page.expect_navigation():
        button.click()
    assert page.locator("h1").inner_text() == "Thank you!"
    assert "You're now Sam Rivera's mentor" in page.locator(".message").inner_text()
    program.work()
    after = program.snapshot()
    assert after["matches"] == 1
    assert program.last_to(SAM).template == "intro_mentee"
    assert {r.template for r in program.outbox(to=ANA)} >= {"intro_mentor"}

    with second_tab.expect_navigation():
        second_tab.locator("button").click()  # re-posting from the tab opened earlier
    assert second_tab.locator("h1").inner_text() == "Already answered"
    assert second_tab.locator("button").count() == 0
    assert "You accepted Sam Rivera's request on" in second_tab.locator(".message").inner_text()

    again = page.goto(accept)  # coming back to the link later
    assert again is not None and again.status == 410
    assert page.locator("h1").inner_text() == "Already answered"
    assert page.locator(".program").inner_text().lower() == "alumni mentor program 2026-27"
    program.work()
    assert program.snapshot() == after


def test_expired_link_in_a_browser_says_so_and_offers_the_next_step(
    site: Site, page: Page, tmp_path: Path
) -> None:
    program = site.program
    request = ask(program, JO, "Tom Becker", "software engineering")
    site.clock.advance(days=program.services.config.link_ttl_days + 1)
    before = program.snapshot()

    shown = page.goto(request.links["accept"])

    assert shown is not None and shown.status == 410
    assert page.locator("h1").inner_text() == "This link has expired"
    assert page.locator("button").count() == 0
    next_step = page.locator(".next").inner_text()
    assert "reply to the email the link came in or write to mentors@example.edu" in next_step
    posted = page.request.post(request.links["accept"])
    assert posted.status == 410 and "This link has expired" in posted.text()
    program.work()
    assert program.snapshot() == before

    shot = tmp_path / "expired.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
