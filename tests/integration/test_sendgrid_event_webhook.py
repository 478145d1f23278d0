"""The signed SendGrid Event Webhook: verified, deduplicated, and turned into suppressions."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask.testing import FlaskClient
from sqlalchemy import select

from mentormail.app import bootstrap
from mentormail.app.web import create_app
from mentormail.service import sending
from mentormail.service.models import Attention, OutboundMessage, Suppression
from tests.fakes import FakeClock, FakeMailer
from tests.harness import PROGRAM_ADDRESS, Program, email, make_services

SAM = "sam.rivera@student.example.edu"


@pytest.fixture
def signing_key() -> ec.EllipticCurvePrivateKey:
    """Our own key pair, standing in for SendGrid's."""
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def world(
    database_url: str, tmp_path: Path, signing_key: ec.EllipticCurvePrivateKey
) -> Iterator[tuple[Program, FlaskClient, FakeMailer, FakeClock]]:
    """The example program with the events webhook verifying against our public key."""
    public_der = signing_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mailer, clock = FakeMailer(), FakeClock()
    services = make_services(
        database_url,
        tmp_path,
        mailer=mailer,
        clock=clock,
        sendgrid_event_public_key=base64.b64encode(public_der).decode(),
    )
    program = Program.start(services)
    yield program, create_app(services).test_client(), mailer, clock
    bootstrap.install(None)


def signed_post(
    client: FlaskClient,
    key: ec.EllipticCurvePrivateKey,
    events: list[dict[str, Any]],
    timestamp: int,
    tamper: bool = False,
) -> Any:
    """POST events as SendGrid does: ECDSA over timestamp + body, base64 in a header."""
    body = json.dumps(events)
    signature = key.sign((str(timestamp) + body).encode(), ec.ECDSA(hashes.SHA256()))
    if tamper:
        body = body.replace("bounce", "delivered")
    return client.post(
        "/webhooks/sendgrid/events",
        data=body,
        content_type="application/json",
        headers={
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": str(timestamp),
        },
    )


def now_ts(clock: FakeClock) -> int:
    """The fake clock's time as a Unix timestamp."""
    from datetime import UTC

    return int(clock.now().replace(tzinfo=UTC).timestamp())


def a_sent_message(program: Program) -> OutboundMessage:
    """Sam asks for mentors; the list is sent (by the fake mailer)."""
    program.deliver(email(f"Sam <{SAM}>", PROGRAM_ADDRESS, "data science mentor please"))
    return program.last_to(SAM)


def suppressed(program: Program) -> list[str]:
    """Every suppressed address."""
    with program.services.sessions() as session:
        return [s.email for s in session.scalars(select(Suppression))]


def test_signed_bounce_event_suppresses_the_address_and_tells_the_coordinator(
    world: Any, signing_key: Any
) -> None:
    program, client, _mailer, clock = world
    row = a_sent_message(program)
    events = [
        {
            "email": SAM,
            "event": "bounce",
            "type": "bounce",
            "sg_event_id": "ev-1",
            "reason": "550 5.1.1 no such user",
            "outbox_id": str(row.id),
        }
    ]
    response = signed_post(client, signing_key, events, now_ts(clock))
    assert response.status_code == 200 and response.json == {"handled": 1, "duplicates": 0}
    assert suppressed(program) == [SAM]
    assert program.last_to(SAM).status == "bounced"
    with program.services.sessions() as session:
        reasons = [a.reason for a in session.scalars(select(Attention))]
    assert any(SAM in r for r in reasons)


def test_the_same_event_twice_is_handled_once(world: Any, signing_key: Any) -> None:
    program, client, _, clock = world
    events = [{"email": SAM, "event": "spamreport", "sg_event_id": "ev-9"}]
    signed_post(client, signing_key, events, now_ts(clock))
    second = signed_post(client, signing_key, events, now_ts(clock))
    assert second.json == {"handled": 0, "duplicates": 1}
    with program.services.sessions() as session:
        assert len(session.scalars(select(Attention)).all()) == 1


def test_a_forged_or_tampered_batch_is_refused_and_changes_nothing(
    world: Any, signing_key: Any
) -> None:
    program, client, _, clock = world
    events = [{"email": SAM, "event": "bounce", "sg_event_id": "ev-2"}]
    tampered = signed_post(client, signing_key, events, now_ts(clock), tamper=True)
    assert tampered.status_code == 401
    other_key = ec.generate_private_key(ec.SECP256R1())
    forged = signed_post(client, other_key, events, now_ts(clock))
    assert forged.status_code == 401
    unsigned = client.post("/webhooks/sendgrid/events", json=events)
    assert unsigned.status_code == 401
    assert suppressed(program) == []


def test_a_replayed_old_batch_is_refused(world: Any, signing_key: Any) -> None:
    program, client, _, clock = world
    events = [{"email": SAM, "event": "unsubscribe", "sg_event_id": "ev-3"}]
    stale = signed_post(client, signing_key, events, now_ts(clock) - 3600)
    assert stale.status_code == 401
    assert suppressed(program) == []


def test_a_blocked_bounce_is_temporary_and_suppresses_nothing(world: Any, signing_key: Any) -> None:
    program, client, _, clock = world
    events = [{"email": SAM, "event": "bounce", "type": "blocked", "sg_event_id": "ev-4"}]
    assert signed_post(client, signing_key, events, now_ts(clock)).status_code == 200
    assert suppressed(program) == []


def test_a_suppressed_address_is_never_mailed_again(world: Any, signing_key: Any) -> None:
    program, client, mailer, clock = world
    events = [
        {"email": SAM, "event": "dropped", "sg_event_id": "ev-5", "reason": "Bounced Address"}
    ]
    signed_post(client, signing_key, events, now_ts(clock))
    row = a_sent_message(program)
    assert row.status == "suppressed"
    assert all(m.to_addr != SAM for m in mailer.sent)
    assert sending.send(program.services, row.id) == "skipped"
