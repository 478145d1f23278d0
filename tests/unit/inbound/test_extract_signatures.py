"""Signatures, disclaimers, footers and quote headers cut by kind, and the words they leave."""

from __future__ import annotations

import pytest

from mentormail.inbound.extract import extract_reply

pytestmark = pytest.mark.unit


def test_traditional_chinese_gmail_quote_header_ends_the_reply() -> None:
    body = (
        "好的，我下週三有空，可以和她約時間。\n"
        "\n"
        "青禾大學校友會 導師計畫 <mentor@qinghe.org.tw> 於 2027年3月1日 週一 下午2:15寫道：\n"
        "\n"
        "> 林雅琪 您好：\n"
        "> 您與王思涵見過面了嗎？\n"
    )
    assert extract_reply(body) == "好的，我下週三有空，可以和她約時間。"


def test_simplified_chinese_gmail_quote_header_without_spaces_ends_the_reply() -> None:
    body = (
        "已经见过了，上周四一起吃了午饭。\n"
        "\n"
        "青禾导师计划 <mentor@qinghe.cn>于2027年3月1日周一 14:15写道：\n"
        "> 张伟你好：\n"
        "> 自2月1日以来，你和李娜见过面吗？\n"
    )
    assert extract_reply(body) == "已经见过了，上周四一起吃了午饭。"


@pytest.mark.parametrize(
    "marker", ["---- 回复的原邮件 ----", "------------------ Original ------------------"]
)
def test_chinese_webmail_original_mail_markers_end_the_reply(marker: str) -> None:
    body = f"可以，我同意继续。\n\n{marker}\n发件人: 导师计划 <mentor@qinghe.cn>\n主题: 继续吗？"
    assert extract_reply(body) == "可以，我同意继续。"


@pytest.mark.parametrize(
    "footer",
    [
        "Enviado do Yahoo Mail para Android",
        "Enviado do Yahoo Mail no iPhone",
        "发自网易邮箱大师",
        "Obtener Outlook para iOS",
        "Obter o Outlook para Android",
        "Envoyé avec la messagerie sécurisée Proton Mail.",
        "Enviado con el correo electrónico seguro de Proton Mail.",
        "Please consider the environment before printing this email.",
        "P Pensez à l'environnement avant d'imprimer ce courriel.",
    ],
)
def test_mail_app_and_print_footers_are_dropped(footer: str) -> None:
    assert extract_reply(f"Sim, nos vimos na terça.\n\n{footer}\n") == "Sim, nos vimos na terça."


@pytest.mark.parametrize(
    "line",
    [
        "Enviado el informe ayer, ya lo tiene.",
        "发自内心地感谢你们的安排。",
        "I'll print the environment report before our meeting.",
    ],
)
def test_sentences_that_share_a_footers_words_are_kept(line: str) -> None:
    assert extract_reply(f"Yes, we met.\n\n{line}\n") == f"Yes, we met.\n\n{line}"


def test_corporate_signature_block_and_everything_under_it_is_dropped() -> None:
    body = (
        "Happy to take Amir on - please send him my details.\n"
        "\n"
        "Best regards,\n"
        "Helen\n"
        "\n"
        "Helen Marsh\n"
        "Head of Supply Chain | Northern Region\n"
        "Fenwick & Lowe Distribution Ltd.\n"
        "Unit 4, Calder Park, Wakefield WF2 7AW\n"
        "T: +44 1924 555 018 | M: +44 7700 900 514\n"
        "\n"
        "Fenwick & Lowe - Regional Employer of the Year 2026\n"
        "\n"
        "My working days are Monday to Thursday.\n"
    )
    assert extract_reply(body, sender="Helen Marsh") == (
        "Happy to take Amir on - please send him my details."
    )


def test_sender_name_with_letters_heads_a_signature_without_a_closing() -> None:
    body = (
        "Not yet - she has been on nights all month. We have pencilled in the 20th.\n"
        "\n"
        "Dr Amara Okafor FRCS (she/her)\n"
        "Consultant Vascular Surgeon\n"
        "Lindenfield Hospitals NHS Trust\n"
        "Ext. 4471 | Bleep 318\n"
        "\n"
        "I work part time and do not work Fridays.\n"
    )
    assert extract_reply(body, sender="Amara Okafor") == (
        "Not yet - she has been on nights all month. We have pencilled in the 20th."
    )


def test_a_name_heading_a_block_of_contact_lines_is_a_signature() -> None:
    body = (
        "Me quedo con la segunda opción.\n"
        "\n"
        "Dra. Lucía Ferrán Gil\n"
        "Investigadora Principal – Grupo de Ecología\n"
        "Tel. +34 955 12 34 56\n"
    )
    assert extract_reply(body, sender="Lucía Ferrán") == "Me quedo con la segunda opción."


@pytest.mark.parametrize(
    "notice",
    [
        "Kessel Analytics Ltd is registered in England and Wales (No. 07712345). Registered "
        "office: 2 Mill Lane, Leeds LS1 4AB.",
        "Brandt Systeme GmbH · Sitz: Köln · Amtsgericht Köln HRB 45678 · Geschäftsführer: "
        "Dr. Jana Brandt",
        "AVISO LEGAL: Este mensaje y sus anexos son confidenciales y van dirigidos "
        "exclusivamente a su destinatario.",
        "Esta mensagem e os seus anexos são confidenciais e destinam-se exclusivamente ao "
        "destinatário indicado.",
        "Ce message et ses pièces jointes sont confidentiels et destinés exclusivement à leurs "
        "destinataires.",
        "【保密声明】本邮件及其附件含有保密信息，仅供指定收件人使用。",
    ],
)
def test_legal_notices_under_a_signature_are_cut_by_their_words(notice: str) -> None:
    body = (
        f"Ja, wir haben uns am Dienstag getroffen.\n\nJonas Weber\nTeamleiter Einkauf\n\n{notice}\n"
    )
    assert extract_reply(body, sender="Jonas Weber") == "Ja, wir haben uns am Dienstag getroffen."


def test_a_colleagues_contact_details_given_in_the_reply_are_kept() -> None:
    body = (
        "I can't this year, but please contact my colleague:\n"
        "\n"
        "Jane Doyle\n"
        "HR Business Partner\n"
        "jane.doyle@example.com\n"
        "\n"
        "She has offered to mentor in my place.\n"
    )
    assert extract_reply(body, sender="Tom Reed") == body.strip()


def test_a_sentence_with_two_legal_words_is_kept() -> None:
    body = "Yes, we met on Monday.\n\nPlease keep it confidential: the recipient is Maria.\n"
    assert extract_reply(body) == body.strip()


def test_a_first_paragraph_that_only_sounds_like_a_banner_is_kept() -> None:
    body = "WARNING: I am outside the country until May.\n\nSo not this term, sorry.\n"
    assert extract_reply(body) == body.strip()


def test_a_line_that_starts_with_the_senders_chinese_name_and_goes_on_is_kept() -> None:
    body = "好的，没问题。\n\n李静下周二有空\n"
    assert extract_reply(body, sender="李静") == body.strip()


def test_someone_saying_they_are_not_the_intended_recipient_is_kept() -> None:
    body = "Hi,\n\nI think I am not the intended recipient, this reached me in error.\n"
    assert extract_reply(body) == body.strip()


def test_a_gateway_banner_and_a_protective_marking_are_dropped() -> None:
    body = (
        "OFFICIAL\n"
        "\n"
        "[EXTERNAL] This email originated from outside the organisation. Do not click links "
        "unless you recognise the sender.\n"
        "\n"
        "Yes, count me in.\n"
        "\n"
        "OFFICIAL\n"
    )
    assert extract_reply(body) == "Yes, count me in."


@pytest.mark.parametrize(
    ("sender", "signed"),
    [
        ("Olivia Grant", "O."),
        ("Werner Neumann", "W. Neumann"),
        ("Bradley Kerr", "Brad"),
        ("Juan Ignacio Paz", "Juani"),
        ("Pierre-Yves Martin", "PY"),
        ("Jhon Fredy Ramírez", "Jhon Fredy"),
        ("李欣怡", "欣怡"),
        ("Dr Nathalie Girard", "N. Girard"),
        ("Imogen Clarke", "Imogen (Year 12)"),
        ("Isla Brown", "Isla x"),
    ],
)
def test_a_short_form_of_the_senders_name_under_the_reply_is_dropped(
    sender: str, signed: str
) -> None:
    assert extract_reply(f"Continue, please.\n\n{signed}\n", sender=sender) == "Continue, please."


@pytest.mark.parametrize(
    ("sender", "last"),
    [("Noah Berg", "No"), ("Mette Lund", "Met"), ("Jonas Ek", "Jon Snow"), ("Sureka Rao", "Sure")],
)
def test_an_answer_or_another_name_on_the_last_line_is_kept(sender: str, last: str) -> None:
    body = f"Thanks for asking.\n\n{last}\n"
    assert extract_reply(body, sender=sender) == body.strip()


def test_a_short_form_of_the_name_under_a_greeting_alone_is_the_reply() -> None:
    body = "Hi Anna,\n\nDomi\n"  # from Dominika: it may be her answer, so it stays
    assert extract_reply(body, sender="Dominika Nowak") == body.strip()


@pytest.mark.parametrize(
    "closing",
    ["Gruss Felix", "Abs, Ju", "Regards, Priya R.", "Freundliche Grüsse", "Thanks & Regards,",
     "Viele Grüsse / Best regards", "Com os melhores cumprimentos,", "Merci d'avance,"],
)  # fmt: skip
def test_closings_in_more_forms_are_dropped(closing: str) -> None:
    assert extract_reply(f"Yes, we met last week.\n\n{closing}\n") == "Yes, we met last week."


def test_a_postscript_under_a_signature_block_keeps_the_block() -> None:
    body = (
        "Yes, happy to.\n"
        "\n"
        "Kind regards,\n"
        "Tom Reed\n"
        "Senior Engineer\n"
        "T: +44 161 555 0100\n"
        "\n"
        "P.S. I am away from 3 to 14 March.\n"
    )
    assert "P.S. I am away from 3 to 14 March." in extract_reply(body, sender="Tom Reed")


def test_a_reply_that_is_only_a_signature_block_keeps_its_words() -> None:
    body = "Kind regards,\nMaria Lopez\nHead of Finance\nT: +34 600 123 456\n"
    assert extract_reply(body, sender="Maria Lopez") == body.strip()
