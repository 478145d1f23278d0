"""No token, no state change: plain mail may search, ask or reach a coordinator; a stop or a
pause it asks for is confirmed by a one-time link to the person's known address. Mail the
receiving side says failed DMARC is held whatever it carries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from tests.email_checks import flat
from tests.harness import PROGRAM_ADDRESS, Program, email, make_services, reply_to
from tests.security.bounces import mail_sent_to
from tests.service.steps import ANA, SAM, ask, attention, changed, rows_after, sent_pairs

pytestmark = pytest.mark.integration

SECRET = "inbound-secret"
DMARC_FAIL = (
    "mx.example.edu; spf=fail smtp.mailfrom=alumni.example.edu;"
    " dkim=none; dmarc=fail (p=none) header.from=alumni.example.edu"
)


def test_a_plain_pause_from_a_mentors_address_changes_nothing_until_she_confirms(
    program: Program,
) -> None:
    ask(program, SAM)
    before, count = program.snapshot(), len(program.outbox())

    program.deliver(email(f"Ana Lima <{ANA}>", PROGRAM_ADDRESS, "pause"))

    assert changed(before, program.snapshot()) == {"outbox": (count, count + 1)}
    [confirm] = rows_after(program, count)
    assert sent_pairs([confirm]) == [("confirm_change", ANA)]
    assert confirm.subject.endswith("Please confirm: pause new requests")
    text = flat(confirm.text)
    assert "asking us to stop sending you new requests for now" in text
    assert "we haven't done anything yet" in text and "ignore this email" in text
    assert program.get(confirm.links["confirm"]).button == "Pause"

    program.post(confirm.links["confirm"])

    assert (ANA, "paused", "active") in program.snapshot()["availability"]
    assert program.last_to(SAM).template == "request_released"


def test_forged_stops_mail_the_person_once_a_day_and_remove_no_one(program: Program) -> None:
    before = program.snapshot()
    for words in ("stop", "Please stop emailing me", "unsubscribe", "stop", "Stop."):
        program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, words))

    after = program.snapshot()
    assert after["availability"] == before["availability"]  # Sam is still active
    assert [r.template for r in program.outbox(to=SAM)] == ["confirm_change"]


def test_a_plain_pause_from_a_mentor_already_paused_offers_no_link_and_says_nothing_changed(
    program: Program,
) -> None:
    program.deliver(reply_to(ask(program, SAM), ANA, "pause"))
    count = len(program.outbox())
    for _ in range(3):  # a flood of forged pauses sends one note a day
        program.deliver(email(f"Ana Lima <{ANA}>", PROGRAM_ADDRESS, "Please pause my requests"))

    [note] = rows_after(program, count)
    assert sent_pairs([note]) == [("change_already_made", ANA)]
    assert note.subject.endswith("You're already paused: nothing has changed")
    text = flat(note.text)
    assert "asking us to stop sending you new requests for now" in text
    assert "You're paused already (no new requests come to you), so nothing has changed" in text
    assert "> Please pause my requests" in note.text
    assert "reply “available” to any of our emails" in text
    assert not note.links and "confirm" not in text.lower()
    assert (ANA, "paused", "active") in program.snapshot()["availability"]


def test_a_reply_with_its_token_still_acts_at_once(program: Program) -> None:
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "pause"))
    assert (ANA, "paused", "active") in program.snapshot()["availability"]


def test_plain_mail_may_still_search(program: Program) -> None:
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "a mentor in data science please"))
    assert program.last_to(SAM).template == "mentor_list"


def test_a_tokened_yes_that_failed_dmarc_is_held_for_a_person(program: Program) -> None:
    request = ask(program, SAM)
    forged = reply_to(request, ANA, "Yes, happy to!")
    before = program.snapshot()

    program.deliver(b"Authentication-Results: " + DMARC_FAIL.encode() + b"\r\n" + forged)

    assert program.snapshot() == before
    assert program.handled[-1] == "held"
    (flag,) = attention(program)
    assert flag.reason == (
        f"mail in the name of Ana Lima <{ANA}> failed the sender check"
        " (spf=fail dkim=none dmarc=fail); held, nothing done:"
        f" mentormail release {flag.inbound_id} lets it act,"
        f" mentormail discard {flag.inbound_id} drops it"
    )


def test_a_pass_below_the_receiving_sides_fail_is_not_believed(program: Program) -> None:
    request = ask(program, SAM)
    forged = reply_to(request, ANA, "Yes, happy to!").replace(
        b"Subject:", b"Authentication-Results: evil.example; dmarc=pass\r\nSubject:", 1
    )
    program.deliver(b"Authentication-Results: " + DMARC_FAIL.encode() + b"\r\n" + forged)
    assert program.snapshot()["matches"] == 0


@pytest.fixture
def webhook(database_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program with the inbound webhook's secret set."""
    yield Program.start(make_services(database_url, tmp_path, inbound_secret=SECRET))
    bootstrap.install(None)


def test_sendgrid_spf_and_dkim_fields_hold_a_failing_reply(webhook: Program) -> None:
    request = ask(webhook, SAM)
    raw = reply_to(request, ANA, "Yes, happy to!")
    boundary = uuid.uuid4().hex
    fields = {"SPF": "fail", "dkim": "{@evil.example : fail}"}
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n'.encode()
    body += raw + f"\r\n--{boundary}--\r\n".encode()
    client = create_app(webhook.services).test_client()

    response = client.post(
        "/webhooks/sendgrid/inbound",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        auth=("sendgrid", SECRET),
    )
    webhook.work()

    assert response.status_code == 200, response.data
    assert webhook.handled[-1] == "held"
    assert webhook.snapshot()["matches"] == 0
    assert "spf=fail dkim=fail dmarc=none" in attention(webhook)[-1].reason


def test_mail_we_sent_is_unaffected(program: Program) -> None:
    assert mail_sent_to(program, SAM, "x").status == "sent"
