"""classify: bounce before auto-reply before bulk before a person, always with reasons."""

from __future__ import annotations

import csv

import pytest

from mentormail.inbound.classify import classify
from mentormail.inbound.mime import parse_bytes
from mentormail.inbound.types import Classification, MailKind
from tests.unit.inbound.mail_builders import FIXTURES, fixture, raw_mail

pytestmark = pytest.mark.unit


def kind_of(raw: bytes) -> Classification:
    """Parse and classify one raw message."""
    return classify(parse_bytes(raw))


def _labels() -> list[dict[str, str]]:
    with (FIXTURES / "labels.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize("label", _labels(), ids=lambda row: row["file"])
def test_fixture_is_classified_as_labelled(label: dict[str, str]) -> None:
    result = kind_of(fixture(label["file"]))
    assert result.kind.value == label["kind"], result.reasons
    bounce = result.bounce
    assert (bounce.type if bounce else "") == label["bounce_type"]
    assert ((bounce.recipient or "") if bounce else "") == label["bounce_recipient"]
    assert result.reasons


def test_every_fixture_has_a_label() -> None:
    labelled = {row["file"] for row in _labels()}
    assert {path.name for path in FIXTURES.glob("*.eml")} == labelled


# --- people --------------------------------------------------------------------------


def test_exchange_header_alone_does_not_make_a_human_reply_automatic() -> None:
    result = kind_of(raw_mail("Yes, happy to.\n", X_Auto_Response_Suppress="All"))
    assert result.kind is MailKind.HUMAN
    assert any("X-Auto-Response-Suppress" in r for r in result.reasons)


def test_auto_submitted_no_is_a_person() -> None:
    assert kind_of(raw_mail(Auto_Submitted="no")).kind is MailKind.HUMAN


def test_reply_to_an_automatic_reply_is_a_person() -> None:
    result = kind_of(raw_mail(Subject="Re: Automatic reply: Sam Lee would like you as a mentor"))
    assert result.kind is MailKind.HUMAN


def test_read_subject_without_a_receipt_is_a_person() -> None:
    assert kind_of(raw_mail(Subject="Read: the article you sent")).kind is MailKind.HUMAN


def test_list_unsubscribe_alone_does_not_make_a_person_bulk() -> None:
    result = kind_of(raw_mail(List_Unsubscribe="<mailto:u@x.example>"))
    assert result.kind is MailKind.HUMAN


def test_bounce_words_from_a_person_do_not_make_a_bounce() -> None:
    result = kind_of(
        raw_mail("My last mail was undeliverable, trying again.\n", Subject="Undeliverable?")
    )
    assert result.kind is MailKind.HUMAN


# --- auto-replies --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["auto-replied", "auto-generated", "auto-notified", "auto-replied; owner-email=a@b.c"]
)
def test_auto_submitted_other_than_no_is_an_auto_reply(value: str) -> None:
    result = kind_of(raw_mail(Auto_Submitted=value))
    assert result.kind is MailKind.AUTO_REPLY
    assert any("RFC 3834" in r for r in result.reasons)


@pytest.mark.parametrize("header", ["X-Autoreply", "X-Autorespond", "X-Autoresponder"])
def test_autoresponder_headers_make_an_auto_reply(header: str) -> None:
    assert kind_of(raw_mail(**{header.replace("-", "_"): "yes"})).kind is MailKind.AUTO_REPLY


@pytest.mark.parametrize("value", ["auto_reply", "junk", "bulk", "list"])
def test_precedence_without_list_headers_is_an_auto_reply(value: str) -> None:
    assert kind_of(raw_mail(Precedence=value)).kind is MailKind.AUTO_REPLY


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Sam Lee would like you as a mentor",
        "Auto: Robert Chen is out of the office",
        "AUTO: Out of office",
        "Out of Office: Have you met?",
        "Out of office",
        "Autoreply: Have you met?",
        "Auto-Reply: Have you met?",
        "Abwesenheitsnotiz: Wie war Ihr Jahr?",
        "Automatische Antwort: Wie war Ihr Jahr?",
        "Réponse automatique : Comment s'est passée votre année ?",
        "Respuesta automática: ¿Cómo fue su año?",
        "Resposta automática: Como foi o seu ano?",
        "Risposta automatica: Com'è andato l'anno?",
        "自动回复: 您的导师年度调查",
        "自動回覆：您的導師年度調查",
        "Afwezig: Hoe was uw jaar?",
        "Automatisch antwoord: Hoe was uw jaar?",
        "Autosvar: Hur var ditt år?",
        "Автоматический ответ: Как прошёл год?",
        "[EXTERNAL] Automatic reply: Have you met?",
    ],
)
def test_out_of_office_subjects_in_many_languages_are_auto_replies(subject: str) -> None:
    result = kind_of(raw_mail(Subject=subject))
    assert result.kind is MailKind.AUTO_REPLY, result.reasons


def test_read_receipt_is_an_auto_reply() -> None:
    result = kind_of(fixture("outlook_read_receipt_mdn.eml"))
    assert result.kind is MailKind.AUTO_REPLY
    assert any("read receipt" in r for r in result.reasons)


def test_no_reply_sender_is_an_auto_reply() -> None:
    result = kind_of(raw_mail(From="Portal <no-reply@portal.example>", Subject="Your code"))
    assert result.kind is MailKind.AUTO_REPLY


def test_delivery_success_notice_is_automatic_not_a_bounce() -> None:
    result = kind_of(fixture("dsn_success_delivered.eml"))
    assert result.kind is MailKind.AUTO_REPLY
    assert result.bounce is None


# --- bounces -------------------------------------------------------------------------


def _dsn(status: str, action: str = "failed", extra: str = "") -> bytes:
    """An RFC 3464 report for one recipient."""
    body = (
        "--r\r\nContent-Type: text/plain\r\n\r\nDelivery report.\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example\r\n\r\n"
        f"{extra}Final-Recipient: rfc822; final@example.org\r\n"
        f"Action: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} something\r\n--r--\r\n"
    )
    return raw_mail(
        body,
        From="MAILER-DAEMON@mx.example",
        Subject="Undelivered Mail Returned to Sender",
        Content_Type='multipart/report; report-type=delivery-status; boundary="r"',
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [("5.1.1", "hard"), ("5.7.1", "hard"), ("4.4.7", "soft"), ("4.2.2", "soft"), ("5.2.2", "soft")],
)
def test_status_class_decides_hard_or_soft(status: str, expected: str) -> None:
    result = kind_of(_dsn(status))
    assert result.kind is MailKind.BOUNCE
    assert result.bounce is not None
    assert (result.bounce.type, result.bounce.status) == (expected, status)


def test_delayed_action_is_a_soft_bounce() -> None:
    bounce = kind_of(_dsn("4.0.0", action="delayed")).bounce
    assert bounce is not None and bounce.type == "soft"


def test_bounce_names_the_address_we_sent_to() -> None:
    bounce = kind_of(_dsn("5.1.1", extra="Original-Recipient: rfc822;Alias@Example.org\r\n")).bounce
    assert bounce is not None and bounce.recipient == "alias@example.org"


def test_bounce_without_original_recipient_names_the_final_one() -> None:
    bounce = kind_of(_dsn("5.1.1")).bounce
    assert bounce is not None and bounce.recipient == "final@example.org"
    assert bounce.diagnostic == "550 5.1.1 something"


def test_bounce_is_checked_before_auto_reply() -> None:
    raw = _dsn("5.1.1").replace(b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:")
    assert kind_of(raw).kind is MailKind.BOUNCE


def test_mailer_daemon_with_a_failure_subject_is_a_bounce_without_a_report() -> None:
    raw = raw_mail(
        "<gone@example.org>: host mx.example.org said: 550 5.1.1 User unknown\n",
        From="Mail Delivery System <MAILER-DAEMON@mx.example>",
        Subject="Undelivered Mail Returned to Sender",
    )
    result = kind_of(raw)
    assert result.kind is MailKind.BOUNCE
    assert result.bounce is not None
    assert (result.bounce.type, result.bounce.recipient) == ("hard", "gone@example.org")


def test_x_failed_recipients_alone_marks_a_bounce() -> None:
    result = kind_of(raw_mail("Could not deliver.\n", X_Failed_Recipients="lost@example.org"))
    assert result.kind is MailKind.BOUNCE
    assert result.bounce is not None and result.bounce.recipient == "lost@example.org"


def test_empty_return_path_with_a_failure_body_is_a_bounce() -> None:
    raw = raw_mail(
        "Hi. This is the qmail-send program at mx.example.\n"
        "<who@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n",
        Return_Path="<>",
        From="someone@mx.example",
        Subject="failure notice",
    )
    result = kind_of(raw)
    assert result.kind is MailKind.BOUNCE
    assert result.bounce is not None and result.bounce.recipient == "who@example.org"


def test_forwarded_bounce_from_a_person_is_a_person() -> None:
    assert kind_of(fixture("human_forwarded_bounce.eml")).kind is MailKind.HUMAN


# --- bulk ----------------------------------------------------------------------------


def test_list_id_makes_bulk() -> None:
    result = kind_of(raw_mail(List_Id="Weekly <weekly.example.org>", Subject="This week"))
    assert result.kind is MailKind.BULK
    assert any("List-Id" in r for r in result.reasons)


@pytest.mark.parametrize(
    "companion", [{"Precedence": "bulk"}, {"List_Unsubscribe_Post": "List-Unsubscribe=One-Click"}]
)
def test_list_unsubscribe_with_a_second_sign_is_bulk(companion: dict[str, str]) -> None:
    raw = raw_mail(List_Unsubscribe="<https://u.example/x>", Subject="News", **companion)
    assert kind_of(raw).kind is MailKind.BULK


def test_campaign_header_makes_bulk() -> None:
    assert kind_of(raw_mail(X_Campaign="spring-2026", Subject="News")).kind is MailKind.BULK


def test_newsletter_from_a_no_reply_address_is_bulk() -> None:
    raw = raw_mail(
        From="News <noreply@news.example>",
        List_Unsubscribe="<https://u.example/x>",
        Precedence="bulk",
        Subject="News",
    )
    assert kind_of(raw).kind is MailKind.BULK


def test_auto_reply_is_checked_before_bulk() -> None:
    raw = raw_mail(Auto_Submitted="auto-replied", List_Id="<l.example>")
    assert kind_of(raw).kind is MailKind.AUTO_REPLY
