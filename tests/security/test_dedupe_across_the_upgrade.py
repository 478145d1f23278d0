"""Mail stored before dedupe keys carried a digest (``mid:<Message-ID>``, else
``sha256:<hash of the bytes>``) and delivered again after the upgrade is still one message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from mentormail.app import bootstrap
from mentormail.app.cli import cli
from mentormail.service.models import InboundMessage
from tests.harness import Program, reply_to
from tests.security.test_duplicates_and_unsubscribe import WITHOUT_ID
from tests.service.steps import ANA, SAM, ask

pytestmark = pytest.mark.integration


def stored_before_the_upgrade(program: Program, inbound_id: int, key: str, raw: bytes) -> None:
    """Give a stored row the key (and bytes) the version before the digest gave it."""
    with program.services.sessions() as session, session.begin():
        session.execute(
            update(InboundMessage)
            .where(InboundMessage.id == inbound_id)
            .values(dedupe_key=key, raw=raw)
        )


def delivered_again(program: Program, raw: bytes, folder: Path) -> str:
    """The same mail through ``mentormail ingest``; what it printed."""
    path = folder / "again.eml"
    path.write_bytes(raw)
    bootstrap.install(program.services)
    said = CliRunner().invoke(cli, ["ingest", str(path)]).output
    program.work()
    return said


def message_id_of(raw: bytes) -> str:
    """The Message-ID header of raw mail."""
    return next(
        line.split(":", 1)[1].strip()
        for line in raw.decode().splitlines()
        if line.lower().startswith("message-id:")
    )


def rows(program: Program) -> list[InboundMessage]:
    """Every stored inbound row."""
    with program.services.sessions() as session:
        return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


@pytest.mark.parametrize("raw_kept", [True, False], ids=["raw kept", "raw removed"])
def test_a_reply_stored_under_the_old_key_and_delivered_again_acts_once(
    program: Program, tmp_path: Path, raw_kept: bool
) -> None:
    raw = reply_to(ask(program, SAM), ANA, "Yes, happy to!")
    first = program.deliver(raw)
    message_id = message_id_of(raw)
    stored_before_the_upgrade(program, first, f"mid:{message_id}", raw if raw_kept else b"")
    sent, stored = len(program.outbox()), len(rows(program))

    said = delivered_again(program, raw, tmp_path)

    assert f"duplicate of inbound #{first}" in said
    assert len(rows(program)) == stored
    assert program.snapshot()["matches"] == 1
    assert len(program.outbox()) == sent  # Ana and Sam hear nothing twice


def test_mail_without_a_message_id_stored_by_its_hash_is_stored_once(
    program: Program, tmp_path: Path
) -> None:
    raw = WITHOUT_ID.encode()
    first = program.deliver(raw)
    stored_before_the_upgrade(program, first, f"sha256:{hashlib.sha256(raw).hexdigest()}", raw)

    said = delivered_again(program, raw, tmp_path)

    assert f"duplicate of inbound #{first}" in said
    assert len(rows(program)) == 1
    assert [r.template for r in program.outbox(to=SAM)] == ["mentor_list"]


def test_another_mail_reusing_an_old_keys_message_id_is_kept(
    program: Program, tmp_path: Path
) -> None:
    raw = ("Message-ID: <same@x.example>\r\n" + WITHOUT_ID).encode()
    first = program.deliver(raw)
    stored_before_the_upgrade(program, first, "mid:<same@x.example>", raw)
    other = raw.replace(b"data science", b"nursing")

    said = delivered_again(program, other, tmp_path)

    assert "stored as inbound" in said
    assert len(rows(program)) == 2
