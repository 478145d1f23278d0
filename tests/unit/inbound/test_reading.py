"""read_message and reading_as_json: a whole reading, as `mentormail parse` shows it."""

from __future__ import annotations

import csv
import json

import pytest

from mentormail.inbound.reading import Reading, read_message, reading_as_json
from mentormail.inbound.types import Context, Intent, MailKind
from tests.unit.inbound.mail_builders import FIXTURES, fixture, raw_mail

pytestmark = pytest.mark.unit

FIXTURE_FILES = sorted(path.name for path in FIXTURES.glob("*.eml"))
JSON_KEYS = {"file", "kind", "reply", "intent", "rating", "bounce", "reasons", "clear", "choice",
             "confidence", "why", "condition", "also", "candidates"}  # fmt: skip


def test_human_reply_is_understood_and_quote_is_not_part_of_it() -> None:
    reading = read_message(fixture("gmail_human_accept.eml"), Context.REQUEST)
    assert reading.kind is MailKind.HUMAN
    assert reading.reply.startswith("Yes, happy to!")
    assert "Reply YES to accept" not in reading.reply
    assert reading.understanding is not None
    assert reading.context is Context.REQUEST


@pytest.mark.parametrize(
    ("name", "context", "intent", "rating"),
    [
        ("gmail_human_accept.eml", Context.REQUEST, Intent.ACCEPT, None),
        ("apple_mail_human_decline.eml", Context.REQUEST, Intent.DECLINE, None),
        ("human_iso_8859_1_qp.eml", Context.REQUEST, Intent.ACCEPT, None),
        ("human_gb2312_base64.eml", Context.REQUEST, Intent.ACCEPT, None),
        ("outlook_human_checkin.eml", Context.CHECKIN, Intent.MET, None),
        ("human_auto_submitted_no.eml", Context.SURVEY, Intent.RATING, 4),
    ],
)
def test_whole_path_reads_the_intent_in_context(
    name: str, context: Context, intent: Intent, rating: int | None
) -> None:
    understanding = read_message(fixture(name), context).understanding
    assert understanding is not None
    assert (understanding.intent, understanding.clear, understanding.rating) == (
        intent,
        True,
        rating,
    )


def test_machine_mail_is_never_given_an_intent() -> None:
    for name in ("exchange_oof_automatic_reply.eml", "qmail_failure_notice.eml"):
        reading = read_message(fixture(name), Context.REQUEST)
        assert reading.kind is not MailKind.HUMAN
        assert reading.understanding is None


def test_html_only_reply_is_read_from_its_html() -> None:
    reading = read_message(fixture("human_html_only.eml"), Context.REQUEST)
    assert reading.reply.startswith("Sure, I can do it. Let's start in November.")
    assert "<p>" not in reading.reply
    assert "Sam Lee would like you" not in reading.reply


def test_reply_in_a_legacy_charset_is_decoded() -> None:
    reading = read_message(fixture("human_gb2312_base64.eml"), Context.REQUEST)
    assert reading.reply.startswith("好的，我很乐意做Sam的导师。")
    assert "希望您担任导师" not in reading.reply


def test_without_a_context_the_reply_is_read_in_general() -> None:
    reading = read_message(raw_mail("Please stop sending me these emails.\n"))
    assert reading.context is None
    assert reading.understanding is not None


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_fixture_reads_without_a_failing_step(name: str) -> None:
    reading = read_message(fixture(name), Context.REQUEST)
    assert reading.problems == ()
    assert (reading.understanding is not None) == (reading.kind is MailKind.HUMAN)


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_json_line_has_the_parse_fields_and_serialises(name: str) -> None:
    reading = read_message(fixture(name), Context.SURVEY)
    line = reading_as_json(name, reading)
    assert set(line) >= JSON_KEYS
    assert line["file"] == name
    assert line["kind"] in {kind.value for kind in MailKind}
    json.dumps(line, ensure_ascii=False).encode("utf-8")


def test_bounce_json_names_type_and_recipient() -> None:
    line = reading_as_json("b.eml", read_message(fixture("postfix_rfc3464_hard_5_1_1.eml")))
    assert line["kind"] == "bounce"
    assert line["bounce"]["type"] == "hard"
    assert line["bounce"]["recipient"] == "old.mentor@alumni.example.edu"
    assert line["intent"] is None and line["rating"] is None


def test_human_json_has_no_bounce_and_names_the_sender() -> None:
    reading = read_message(fixture("gmail_human_accept.eml"), Context.REQUEST)
    line = reading_as_json("g.eml", reading)
    assert line["bounce"] is None
    assert line["from"] == "dana.okafor@gmail.com"
    assert line["message_id"] == "<CAJx7q8n3ZbF0w2Lk9Qm5pR=v8y+Tt1@mail.gmail.com>"
    assert line["intent"] in {intent.value for intent in Intent}


def test_labels_file_lists_kinds_the_reading_agrees_with() -> None:
    with (FIXTURES / "labels.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        reading: Reading = read_message(fixture(row["file"]))
        assert reading.kind.value == row["kind"], row["file"]
