"""Every email of the realistic journey, built as the transports put it on the wire, is one
that strict parsers read the same way (mentormail.service.mailcheck), carries the headers
large mailbox providers ask of bulk senders, is DKIM-signed so that it verifies, and its
one-click unsubscribe shows a page on GET and acts only on POST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import dkim
import pytest

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from mentormail.service.mailcheck import problems
from mentormail.service.models import OutboundMessage
from mentormail.service.sending import outgoing
from mentormail.service.transports.dkim_signing import DkimSigner
from mentormail.service.transports.mime import as_bytes
from tests import journey
from tests.dkim_keys import DOMAIN, SELECTOR, key_pair
from tests.harness import Program, make_services

pytestmark = pytest.mark.service

# A production-sized base URL and reply domain: long List-Unsubscribe lines.
BASE_URL = "https://mentoring.alumni-relations.example-university.edu/programs/mentormail"
REPLY_DOMAIN = "replies.mentoring.alumni-relations.example-university.edu"


@pytest.fixture
def term(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The journey's program, with production-length links and reply addresses."""
    services = make_services(database_url, tmp_path, base_url=BASE_URL, reply_domain=REPLY_DOMAIN)
    yield Program.start(services, journey.people_csv())
    bootstrap.install(None)


def wire(row: OutboundMessage) -> bytes:
    """The row as the SMTP and file transports send it, DKIM-signed."""
    signer = DkimSigner(DOMAIN, SELECTOR, key_pair().private_pem)
    return signer.sign(as_bytes(outgoing(row)))


def test_every_email_of_the_journey_passes_the_conformance_check(term: Program) -> None:
    journey.run(term)
    rows = term.outbox()
    assert len({r.template for r in rows}) > 30
    found = [
        f"{row.template} to {row.to_addr}: {problem}"
        for row in rows
        for problem in problems(wire(row), program_mail=row.participant_id is not None)
    ]
    assert not found, "\n".join(found)


def test_list_headers_are_plain_ascii_uri_lists_folded_only_between_uris(term: Program) -> None:
    journey.run(term)
    for row in term.outbox():
        head = wire(row).split(b"\r\n\r\n", 1)[0].decode("ascii")
        if row.participant_id is None:
            assert "List-Unsubscribe" not in head
            continue
        block = re.search(r"^List-Unsubscribe: .*?(?=\r\n\S)", head, re.M | re.S)
        assert block is not None, head
        assert "=?" not in block.group(0)
        unfolded = block.group(0).replace("\r\n ", " ")
        assert re.fullmatch(
            rf"List-Unsubscribe: <{re.escape(BASE_URL)}/a/[\w-]+>, "
            rf"<mailto:reply\+[0-9a-f]+@{re.escape(REPLY_DOMAIN)}\?subject=unsubscribe>",
            unfolded,
        ), unfolded
        assert "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head
        assert re.search(
            rf'^List-Id: "Alumni Mentor Program 2026-27" <alumni-2026\.{re.escape(REPLY_DOMAIN)}>',
            head.replace("\r\n ", " "),
            re.M,
        ), head
        name = journey.NAMES.get(row.to_addr)
        if name:
            assert f"\r\nTo: {name} <{row.to_addr}>\r\n" in head
        assert re.search(rf"^Message-ID: <[^@\s]+@{re.escape(REPLY_DOMAIN)}>\r?$", head, re.M)
        assert "\r\nAuto-Submitted: auto-generated\r\n" in head
        assert re.search(r"^Date: \w{3}, \d\d \w{3} 20\d\d \d\d:\d\d:\d\d \+0000\r?$", head, re.M)


def test_every_signature_verifies_and_covers_the_unsubscribe_headers(term: Program) -> None:
    journey.run(term)
    pair = key_pair()
    for row in term.outbox():
        raw = wire(row)
        assert pair.verifies(raw), row.template
        signature = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").split(b"\r\n")[0]
        assert b"c=relaxed/relaxed" in signature
        signed = set(re.search(rb"h=([^;]+)", signature).group(1).replace(b" ", b"").split(b":"))  # type: ignore[union-attr]
        assert {b"from", b"to", b"subject", b"date", b"message-id"} <= signed
        if row.participant_id is not None:
            assert {b"list-unsubscribe", b"list-unsubscribe-post", b"list-id"} <= signed


def test_a_changed_header_fails_the_signature(term: Program) -> None:
    journey.run(term)
    raw = wire(term.outbox()[-1])
    assert key_pair().verifies(raw)
    assert not dkim.verify(raw.replace(b"Subject: ", b"Subject: Re: "), dnsfunc=key_pair().dns())


def test_one_click_unsubscribe_shows_a_page_on_get_and_acts_only_on_post(term: Program) -> None:
    journey.run(term)
    client = create_app(term.services).test_client()
    rows = [r for r in term.outbox() if r.participant_id is not None]
    by_person: dict[str, OutboundMessage] = {r.to_addr: r for r in rows}
    assert sum(term.person(a).status == "active" for a in by_person) >= 5
    for address, row in by_person.items():
        url = re.search(r"<(https://[^>]+)>", row.headers["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]
        path = url.removeprefix(BASE_URL)
        status_before = term.person(address).status
        page = client.get(path)
        if status_before != "active":  # left during the term: the page says so, kindly
            assert page.status_code in (200, 410), (address, page.status_code)
            continue
        assert page.status_code == 200, (address, page.status_code)
        assert b"Leave the program" in page.data
        assert term.person(address).status == status_before, "a GET changed something"
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200, (address, done.status_code, done.data[:300])
        assert term.person(address).status != "active", address
