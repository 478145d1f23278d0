"""A From: that does not name exactly one plain address is a stranger, whatever it hides.

These run on the interpreter ``make install`` picks (the project's .venv), whose address
parser reads ``ana@x <attacker@evil>`` as two addresses; patched ones read none.
"""

from __future__ import annotations

import sys

import pytest

from mentormail.inbound.mime import parse_bytes, single_sender
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to
from tests.service.steps import ANA, SAM, ask, attention

pytestmark = pytest.mark.integration

FORGED_SENDERS = [
    f"{ANA} <attacker@evil.example>",
    '"mentor"@evil.example',
    f"Ana <{ANA}>attacker@evil.example",
    f"Ana Lima <{ANA}>, attacker@evil.example",
    f"{ANA}, attacker@evil.example",
    "Ana <ana.lima>",
    f"Lima, Ana <{ANA}>, attacker@evil.example",
    f"Lima, <{ANA}> <attacker@evil.example>",
    f"=?utf-8?q?Ana_Lima?= <{ANA}> attacker@evil.example",
]


@pytest.mark.parametrize("sender", FORGED_SENDERS)
def test_a_sender_that_is_not_one_address_reads_as_no_sender(sender: str) -> None:
    parsed = parse_bytes(email(sender, PROGRAM_ADDRESS, "pause"))
    assert parsed.from_addr is None, (sys.version, sender, parsed.from_addr)
    assert any("does not name exactly one address" in d for d in parsed.defects)


@pytest.mark.parametrize(
    ("sender", "address"),
    [
        (f"Ana Lima <{ANA}>", ANA),
        (f'"Lima, Ana (ana@x.example)" <{ANA.upper()}>', ANA),
        (f"{ANA} (Ana Lima)", ANA),
        (f"=?utf-8?q?Ana_Lima?= <{ANA}>", ANA),
        (f"=?utf-8?q?Mar=C3=ADa_Jos=C3=A9?= <{ANA}>", ANA),
        (f"=?utf-8?q?Iglesias=2C_Mar=C3=ADa?= <{ANA}>", ANA),
        (f"María José <{ANA}>", ANA),
        (f"Iglesias, María José <{ANA}>", ANA),
        (f"Iglesias García, María José; Universidad [Salamanca] <{ANA}>", ANA),
        (f"=?utf-8?q?tom=40alumni=2Eexample=2Eedu?= <{ANA}>", ANA),
    ],
)
def test_ordinary_senders_still_read_as_themselves(sender: str, address: str) -> None:
    assert parse_bytes(raw_email(sender, PROGRAM_ADDRESS, "hello")).from_addr == address


def raw_email(sender: str, to: str, body: str) -> bytes:
    """Mail with the From header exactly as written, raw UTF-8 included, as some clients send
    it (the harness's writer would quote or encode the name)."""
    head = f"From: {sender}\r\nTo: {to}\r\nSubject: Mentor?\r\nMessage-ID: <{id(body)}@x.example>"
    return f"{head}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n".encode()


@pytest.mark.parametrize(
    "sender",
    [
        f"=?utf-8?q?Sam_Rivera_Mu=C3=B1oz?= <{SAM}>",
        f"Rivera Muñoz, Sam <{SAM}>",
        f"=?utf-8?q?Rivera_Mu=C3=B1oz=2C_Sam?= <{SAM}>",
    ],
)
def test_a_participant_with_a_non_ascii_name_is_known_by_address(
    program: Program, sender: str
) -> None:
    program.deliver(raw_email(sender, PROGRAM_ADDRESS, "Looking for a mentor in data science"))

    assert program.last_to(SAM).template == "mentor_list"


@pytest.mark.parametrize(
    "sender",
    [
        f"=?utf-8?q?Ana_Lima_=3C{ANA.replace('@', '=40')}=3E?= <attacker@evil.example>",
        f"Lima, Ana ({ANA}) <attacker@evil.example>",
        f'"Lima, Ana <{ANA}>" <attacker@evil.example>',
    ],
)
def test_a_name_holding_a_participants_address_changes_nothing(
    program: Program, sender: str
) -> None:
    before = program.snapshot()

    program.deliver(raw_email(sender, PROGRAM_ADDRESS, "pause"))

    assert program.person(ANA).availability == "available"
    assert [row.to_addr for row in program.outbox()[before["outbox"] :]] in (
        [],
        ["attacker@evil.example"],
    )


def test_an_internationalised_address_is_one_address() -> None:
    assert single_sender("José <josé@universidad.example>") == ("José", "josé@universidad.example")


@pytest.mark.parametrize("sender", FORGED_SENDERS[:3])
def test_a_forwarded_reply_token_with_a_forged_sender_accepts_nothing(
    program: Program, sender: str
) -> None:
    request = ask(program, SAM)
    before = program.snapshot()

    program.deliver(reply_to(request, sender, "Yes, happy to!"))

    assert program.snapshot() == before  # no accept, and no "is this address yours?" mail
    assert all(ANA not in a.detail or "Yes" in a.detail for a in attention(program))


@pytest.mark.parametrize("sender", FORGED_SENDERS[:3])
def test_plain_mail_with_a_forged_sender_is_neither_the_mentor_nor_answered(
    program: Program, sender: str
) -> None:
    before = program.snapshot()

    program.deliver(email(sender, PROGRAM_ADDRESS, "pause"))

    assert program.snapshot() == before  # not paused, no "how to join" sent anywhere
