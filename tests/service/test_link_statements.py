"""A link page costs few database round trips: a GET reads its link, person, program and the
mentor it names in one statement; pressing "Ask" counts each thing once. These are regression
guards on the statement counts (no timings): if a change adds a query, the count says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from tests.harness import Program, make_services
from tests.service.statements import Counted
from tests.service.steps import SAM, request_states, search

pytestmark = pytest.mark.service

BASE = "http://links.example.edu"
SAME_SITE = {"Sec-Fetch-Site": "same-origin", "Origin": BASE}
GET_STATEMENTS = 1
# The ask: the claim (with its group), locks, the rules' reads (the mentee's requests, both
# sides' active matches counted together), the request, two emails' keys, and their rows: on
# PostgreSQL one INSERT per table for both emails (links, reply tokens, outbox); SQLite, in
# process and without round trips, gets an INSERT a row.
POST_STATEMENTS = {"postgresql": 13, "sqlite": 18}
POST_FLUSHES = 2  # the request (its id keys the emails), then everything else at commit


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[tuple[Program, FlaskClient]]:
    """The example program and its web app."""
    services = make_services(database_url, tmp_path, base_url=BASE)
    program = Program.start(services)
    yield program, create_app(services).test_client()
    bootstrap.install(None)


def test_a_link_page_is_one_statement_and_pressing_ask_stays_within_its_count(
    site: tuple[Program, FlaskClient],
) -> None:
    program, client = site
    listing = search(program, SAM)
    link = urlsplit(listing.links["ask_1"]).path
    counted = Counted(program)

    page = client.get(link)
    assert page.status_code == 200 and "Ask " in page.text
    assert len(counted.statements) <= GET_STATEMENTS, counted.statements
    if program.services.sessions.kw["bind"].dialect.name == "sqlite":
        assert len(counted.driver) == GET_STATEMENTS, counted.driver

    counted.reset()
    done = client.post(link, data={"confirm": "yes"}, headers=SAME_SITE)
    assert done.status_code == 200 and "Request sent" in done.text
    dialect = program.services.sessions.kw["bind"].dialect.name
    assert len(counted.statements) <= POST_STATEMENTS[dialect], counted.statements
    assert counted.flushes <= POST_FLUSHES
    assert list(request_states(program).values()) == ["pending"]
