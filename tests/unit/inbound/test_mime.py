"""parse_bytes: headers, addresses, Message-IDs, bodies and charsets, never an exception."""

from __future__ import annotations

import base64

import pytest

from mentormail.inbound.mime import MAX_BODY_CHARS, parse_bytes
from tests.unit.inbound.mail_builders import fixture, raw_mail

pytestmark = pytest.mark.unit


def test_message_ids_keep_their_angle_brackets() -> None:
    mail = parse_bytes(
        raw_mail(
            Message_ID="<abc@host.example>",
            In_Reply_To="<parent@mentors.example.edu> (from the program)",
            References="<root@x.example>\r\n <parent@mentors.example.edu>",
        )
    )
    assert mail.message_id == "<abc@host.example>"
    assert mail.in_reply_to == "<parent@mentors.example.edu>"
    assert mail.references == ("<root@x.example>", "<parent@mentors.example.edu>")


def test_bare_message_id_is_wrapped_in_angle_brackets() -> None:
    mail = parse_bytes(raw_mail(Message_ID="abc@host.example", In_Reply_To="p@q.example"))
    assert mail.message_id == "<abc@host.example>"
    assert mail.in_reply_to == "<p@q.example>"


def test_references_are_listed_once_each_in_order() -> None:
    mail = parse_bytes(raw_mail(References="<a@x> <b@x> <a@x>"))
    assert mail.references == ("<a@x>", "<b@x>")


def test_missing_message_id_is_none() -> None:
    mail = parse_bytes(raw_mail())
    assert mail.message_id is None
    assert mail.in_reply_to is None
    assert mail.references == ()


def test_addresses_are_bare_and_lower_case_to_then_cc() -> None:
    mail = parse_bytes(
        raw_mail(
            From='"Okafor, Dana" <Dana.Okafor@Gmail.COM>',
            To="Program <Reply+Tok@In.Example.edu>, other@x.org",
            Cc="OTHER@x.org, third@y.org",
        )
    )
    assert mail.from_addr == "dana.okafor@gmail.com"
    assert mail.from_name == "Okafor, Dana"
    assert mail.to_addrs == ("reply+tok@in.example.edu", "other@x.org", "third@y.org")


def test_encoded_display_name_with_a_comma_stays_one_address() -> None:
    mail = parse_bytes(raw_mail(From="=?utf-8?q?Doe=2C_J=C3=B6rg?= <jorg@example.de>"))
    assert mail.from_name == "Doe, Jörg"
    assert mail.from_addr == "jorg@example.de"


def test_missing_from_gives_no_sender() -> None:
    mail = parse_bytes(b"Subject: hi\r\n\r\nbody\r\n")
    assert mail.from_addr is None
    assert mail.from_name is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?iso-8859-1?q?R=E9ponse_automatique?= : Bonjour", "Réponse automatique : Bonjour"),
        ("=?utf-8?b?6Ieq5Yqo5Zue5aSNOiDmgqjlpb0=?=", "自动回复: 您好"),
        ("=?gb2312?B?19S2r7vYuLQ=?=", "自动回复"),
        ("Re: =?utf-8?q?caf=C3=A9?=\r\n =?utf-8?q?_cr=C3=A8me?=", "Re: café crème"),
        ("plain words", "plain words"),
    ],
)
def test_encoded_subjects_are_decoded(header: str, expected: str) -> None:
    assert parse_bytes(raw_mail(Subject=header)).subject == expected


def test_raw_utf8_header_bytes_are_read_as_utf8() -> None:
    raw = b"From: a@b.c\r\nSubject: R\xc3\xa9ponse\r\n\r\nhi\r\n"
    assert parse_bytes(raw).subject == "Réponse"


def test_unknown_charset_in_an_encoded_word_is_recorded() -> None:
    mail = parse_bytes(raw_mail(Subject="=?x-nonsense?q?hello?="))
    assert mail.subject == "hello"
    assert any("x-nonsense" in d for d in mail.defects)


def test_every_header_is_kept_decoded_in_order() -> None:
    mail = parse_bytes(raw_mail(X_One="1", X_Two="=?utf-8?q?deux_=C3=A9?="))
    names = [name for name, _ in mail.headers]
    assert names[-2:] == ["X-One", "X-Two"]
    assert mail.header("x-two") == "deux é"


def test_unknown_body_charset_is_decoded_with_replacement_and_recorded() -> None:
    raw = raw_mail(
        "Caf\xe9 next week".encode("latin-1"),
        Content_Type="text/plain; charset=x-made-up",
    )
    mail = parse_bytes(raw)
    assert mail.text == "Café next week"
    assert any("x-made-up" in d for d in mail.defects)


def test_bytes_invalid_in_the_declared_charset_are_replaced_and_recorded() -> None:
    raw = raw_mail(b"ok \xff\xfe ok", Content_Type="text/plain; charset=utf-8")
    mail = parse_bytes(raw)
    assert mail.text == "ok \ufffd\ufffd ok"
    assert mail.defects


def test_unlabelled_8bit_body_is_read_as_utf8_when_it_is() -> None:
    mail = parse_bytes(raw_mail("Jörg says yes".encode()))
    assert mail.text == "Jörg says yes"


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("gb2312", "好的，我愿意"),
        ("shift_jis", "はい、喜んで"),
        ("koi8-r", "Да, с удовольствием"),
        ("windows-1252", "I can’t — sorry"),
        ("iso-8859-1", "Oui, avec plaisir"),
        ("big5", "好的"),
        ("euc-kr", "네, 좋습니다"),
    ],
)
def test_common_charsets_decode_in_base64(charset: str, text: str) -> None:
    body = base64.b64encode(text.encode(charset)).decode() + "\n"
    raw = raw_mail(
        body,
        Content_Type=f"text/plain; charset={charset}",
        Content_Transfer_Encoding="base64",
    )
    assert parse_bytes(raw).text == text


def test_gb2312_label_covers_characters_only_gbk_has() -> None:
    # 镕 is outside GB2312; Chinese clients label GBK text as gb2312 all the time.
    raw = raw_mail("朱镕基".encode("gbk"), Content_Type="text/plain; charset=gb2312")
    mail = parse_bytes(raw)
    assert mail.text == "朱镕基"
    assert mail.defects == ()


def test_quoted_printable_body_is_decoded() -> None:
    raw = raw_mail(
        "I=E2=80=99m in =E2=80=94 happy to=\n help.\n",
        Content_Type="text/plain; charset=utf-8",
        Content_Transfer_Encoding="quoted-printable",
    )
    assert parse_bytes(raw).text == "I’m in — happy to help.\n"


def test_body_that_only_claims_base64_is_read_as_text() -> None:
    raw = raw_mail("Not this time, sorry. Maybe next year.\n", Content_Transfer_Encoding="base64")
    mail = parse_bytes(raw)
    assert mail.text == "Not this time, sorry. Maybe next year.\n"
    assert any("base64" in d for d in mail.defects)


def test_base64_with_broken_padding_still_decodes() -> None:
    encoded = base64.b64encode(b"Yes, happy to help!").decode().rstrip("=") + "A"
    raw = raw_mail(encoded + "\n", Content_Transfer_Encoding="base64")
    assert parse_bytes(raw).text.startswith("Yes, happy to help!")  # type: ignore[union-attr]


def test_unknown_transfer_encoding_is_read_as_is_and_recorded() -> None:
    mail = parse_bytes(raw_mail("hello\n", Content_Transfer_Encoding="x-rot13"))
    assert mail.text == "hello\n"
    assert any("x-rot13" in d for d in mail.defects)


def test_crlf_line_endings_become_lf() -> None:
    assert parse_bytes(raw_mail("a\nb\n")).text == "a\nb\n"


def test_alternative_gives_both_text_and_html() -> None:
    mail = parse_bytes(fixture("gmail_human_accept.eml"))
    assert mail.content_type == "multipart/alternative"
    assert mail.text is not None and mail.text.startswith("Yes, happy to!")
    assert mail.html is not None and "<div" in mail.html


def test_html_only_mail_has_html_and_no_text() -> None:
    mail = parse_bytes(fixture("human_html_only.eml"))
    assert mail.text is None
    assert mail.html is not None and "Sure, I can do it" in mail.html


def test_text_attachment_is_not_taken_for_the_body() -> None:
    raw = raw_mail(
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Disposition: attachment; filename=cv.txt\r\n\r\nMY CV\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee my CV attached.\r\n--b--\r\n",
        MIME_Version="1.0",
        Content_Type='multipart/mixed; boundary="b"',
    )
    assert parse_bytes(raw).text == "See my CV attached."


def test_message_without_a_body_has_empty_text() -> None:
    mail = parse_bytes(b"From: a@b.example\r\nSubject: empty\r\n")
    assert mail.text == ""
    assert mail.subject == "empty"


def test_multipart_without_a_boundary_is_read_as_one_text() -> None:
    mail = parse_bytes(fixture("malformed_multipart_no_boundary.eml"))
    assert mail.text == "Not yet, we plan to meet next week.\n"
    assert any("boundary" in d.lower() for d in mail.defects)


def test_delivery_report_sections_are_given_as_text() -> None:
    mail = parse_bytes(fixture("postfix_rfc3464_hard_5_1_1.eml"))
    kinds = [ctype for ctype, _ in mail.report_parts]
    assert kinds == ["message/delivery-status", "text/rfc822-headers"]
    status = dict(mail.report_parts)["message/delivery-status"]
    assert "Final-Recipient: rfc822; old.mentor@alumni.example.edu" in status
    assert "Status: 5.1.1" in status


def test_ordinary_mail_has_no_report_sections() -> None:
    assert parse_bytes(fixture("gmail_human_accept.eml")).report_parts == ()


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02\xff" * 10,
        b"Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n--\r\n",
        b"From: <<<@@@>>>\r\nTo: ,,,;;\r\nMessage-ID: <<>>\r\n\r\n",
        b'Content-Type: text/plain; charset="\xff\xfe"\r\n\r\n\xff\r\n',
        b"Content-Type: message/rfc822\r\n\r\nnot a message",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n"
        b"--x\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n"
        b"\r\n!!!!\r\n--x--\r\n",
    ],
)
def test_malformed_input_is_read_not_raised(raw: bytes) -> None:
    mail = parse_bytes(raw)
    assert isinstance(mail.subject, str)


def test_huge_body_is_truncated_and_recorded() -> None:
    raw = raw_mail("yes\n" + "x" * 80 + "\n" * 1 + ("y" * 79 + "\n") * 40_000)
    mail = parse_bytes(raw)
    assert mail.text is not None and len(mail.text) <= MAX_BODY_CHARS
    assert mail.text.startswith("yes\n")
    assert any("truncated" in d for d in mail.defects)


def test_thirty_megabyte_message_is_read() -> None:
    blob = base64.encodebytes(b"\x89PNG" + b"\x00" * (22 * 1024 * 1024)).decode()
    raw = raw_mail(
        "--b\r\nContent-Type: text/plain\r\n\r\nPhotos from our meeting attached.\r\n"
        "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=p.png\r\n\r\n" + blob + "--b--\r\n",
        Content_Type='multipart/mixed; boundary="b"',
    )
    assert len(raw) > 29 * 1024 * 1024
    assert parse_bytes(raw).text == "Photos from our meeting attached."


def test_five_hundred_attachments_do_not_hide_the_body() -> None:
    parts = ["--b\r\nContent-Type: text/plain\r\n\r\nWe met, it went well.\r\n"]
    attachment = base64.encodebytes(b"%PDF-1.4" + b"\x00" * 2000).decode()
    parts += [
        f"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; filename=f{i}.pdf\r\n\r\n{attachment}"
        for i in range(500)
    ]
    raw = raw_mail("".join(parts) + "--b--\r\n", Content_Type='multipart/mixed; boundary="b"')
    mail = parse_bytes(raw)
    assert mail.text == "We met, it went well."
    assert mail.html is None


def test_half_a_surrogate_pair_in_utf7_is_replaced_and_reported() -> None:
    """UTF-7 decodes "+2D0-" to a lone surrogate without error; no database takes one (a
    property test found it in a mutated real mail: the reading could not be written)."""
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n"
        b"Yes +2D0- happy to\r\n"
    )
    parsed = parse_bytes(raw)
    assert parsed.text == "Yes \ufffd happy to\n"
    assert "lone surrogates in utf-7 in text/plain: replaced" in parsed.defects
    parsed.text.encode("utf-8")
