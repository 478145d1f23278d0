"""What the service reads as a reply: mentorship-style mail from many clients and languages."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentormail.inbound.extract import Style, extract_reply

pytestmark = pytest.mark.unit


def test_gmail_two_line_attribution_is_not_part_of_the_reply() -> None:
    body = (
        "Yes, happy to!\n"
        "\n"
        "On Tue, Mar 4, 2025 at 9:12 AM Westbrook Mentoring Program <\n"
        "reply+k3j2h1@mentor.westbrook.edu> wrote:\n"
        "\n"
        "> Hi Dana,\n"
        ">\n"
        "> Priya Patel (Computer Science, class of 2026) would like you to be her\n"
        "> mentor. Would you accept?\n"
    )
    assert extract_reply(body) == "Yes, happy to!"


def test_french_outlook_header_block_and_sign_off_are_dropped() -> None:
    body = (
        "Bonjour,\n"
        "\n"
        "Oui, avec plaisir. Je suis disponible jeudi après-midi.\n"
        "\n"
        "Cordialement,\n"
        "Marie Dupont\n"
        "\n"
        "De : Programme de mentorat <reply+x1@mentor.example.org>\n"
        "Envoyé : mardi 4 mars 2025 09:12\n"
        "À : Marie Dupont <marie.dupont@example.fr>\n"
        "Objet : Nouvelle demande de mentorat\n"
        "\n"
        "Bonjour Marie, Lucas souhaiterait que vous soyez sa mentore.\n"
    )
    want = "Bonjour,\n\nOui, avec plaisir. Je suis disponible jeudi après-midi."
    assert extract_reply(body) == want


def test_german_von_gesendet_block_ends_the_reply() -> None:
    body = (
        "Leider nicht, ich bin dieses Semester schon voll.\n"
        "\n"
        "Viele Grüße\n"
        "Jonas\n"
        "\n"
        "Von: Mentoring-Programm <reply+x2@mentor.example.org>\n"
        "Gesendet: Dienstag, 4. März 2025 09:12\n"
        "An: Jonas Weber <jonas@example.de>\n"
        "Betreff: Neue Mentoring-Anfrage\n"
        "\n"
        "Hallo Jonas, möchtest du Mentor von Lea werden?\n"
    )
    assert extract_reply(body) == "Leider nicht, ich bin dieses Semester schon voll."


def test_spanish_el_escribio_attribution_and_quote_are_dropped() -> None:
    body = (
        "Sí, acepto con gusto.\n"
        "\n"
        "El mar, 4 mar 2025 a las 9:12, Programa de Mentoría (<reply+x3@mentor.example.org>)\n"
        "escribió:\n"
        "\n"
        "> Hola Carmen, ¿aceptas ser mentora de Diego?\n"
    )
    assert extract_reply(body) == "Sí, acepto con gusto."


def test_indonesian_pada_menulis_attribution_is_dropped() -> None:
    body = (
        "5! Bu Ratna super helpful. Terima kasih ya!\n\n"
        "Pada tanggal Sen, 1 Feb 2027 pukul 09.00 Akar Mentoring <akar@example.org> menulis:\n"
        "> How is your mentorship going, from 1 (poor) to 5 (great)?\n"
    )
    assert extract_reply(body) == "5! Bu Ratna super helpful. Terima kasih ya!"


def test_chinese_client_original_mail_block_is_dropped() -> None:
    body = (
        "好的，我愿意。\n"
        "\n"
        "------------------ 原始邮件 ------------------\n"
        '发件人: "导师计划"<reply+x4@mentor.example.org>;\n'
        "发送时间: 2025年3月4日(星期二) 上午9:12\n"
        '收件人: "李雷"<lilei@example.cn>;\n'
        "主题: 新的指导请求\n"
        "\n"
        "李雷，你好！王芳希望你成为她的导师。\n"
    )
    assert extract_reply(body) == "好的，我愿意。"


def test_chinese_foxmail_header_without_separator_is_dropped() -> None:
    body = (
        "我们这个月见过两次了。\n"
        "\n"
        "发件人：导师计划\n"
        "发送时间：2025年3月4日 9:12\n"
        "收件人：李雷\n"
        "主题：本月进展如何？\n"
    )
    assert extract_reply(body) == "我们这个月见过两次了。"


def test_iphone_reply_loses_sent_from_line_and_quote() -> None:
    body = (
        "Sounds good, count me in\n"
        "\n"
        "Sent from my iPhone\n"
        "\n"
        "> On Mar 4, 2025, at 9:12 AM, Westbrook Mentoring <reply+x5@mentor.example.org> wrote:\n"
        ">\n"
        "> Would you like to continue past June?\n"
    )
    assert extract_reply(body) == "Sounds good, count me in"


@pytest.mark.parametrize(
    "signature",
    [
        "Envoyé de mon iPhone",
        "Von meinem iPhone gesendet",
        "Enviado desde mi iPhone",
        "Enviado do meu iPhone",
        "Inviato da iPhone",
        "Verstuurd vanaf mijn iPhone",
        "发自我的iPhone",
        "Get Outlook for Android",
        "Sent from my Galaxy",
    ],
)
def test_sent_from_my_device_lines_are_dropped_in_several_languages(signature: str) -> None:
    assert extract_reply(f"Yes, we met last week.\n\n{signature}\n") == "Yes, we met last week."


def test_sent_from_my_desk_sentence_is_kept() -> None:
    body = "Here is my answer\n\nSent from my desk, which is easier than my phone.\n"
    assert extract_reply(body) == body.strip()


def test_corporate_disclaimer_and_signature_block_are_dropped() -> None:
    body = (
        "Yes, we met on Tuesday and set three goals.\n"
        "\n"
        "Best regards,\n"
        "Priya Patel\n"
        "Senior Engineer | Acme Corp\n"
        "+1 (555) 010-2030\n"
        "\n"
        "CONFIDENTIALITY NOTICE: This email and any attachments are confidential and\n"
        "intended solely for the addressee. If you are not the intended recipient,\n"
        "please delete it and notify the sender.\n"
    )
    assert extract_reply(body) == "Yes, we met on Tuesday and set three goals."


def test_interleaved_reply_keeps_only_the_new_lines() -> None:
    body = (
        "On Tue, Mar 4, 2025 at 9:12 AM Westbrook Mentoring <reply+x6@mentor.example.org> wrote:\n"
        "> Have you and your mentee met this month?\n"
        "\n"
        "Yes, twice.\n"
        "\n"
        "> Is there anything we can help with?\n"
        "\n"
        "No, all good.\n"
    )
    assert extract_reply(body) == "Yes, twice.\n\nNo, all good."


def test_signature_after_dash_dash_is_dropped() -> None:
    body = "I'd like to continue next year.\n\n-- \nSam Lee\nProduct Manager, Initech\n"
    assert extract_reply(body) == "I'd like to continue next year."


def test_outlook_separator_and_original_message_are_dropped() -> None:
    body = (
        "4 out of 5, it was really useful.\n"
        "\n"
        "-----Original Message-----\n"
        "From: Westbrook Mentoring [mailto:reply+x7@mentor.example.org]\n"
        "Sent: Tuesday, March 4, 2025 9:12 AM\n"
        "To: Sam Lee\n"
        "Subject: How was your mentorship? (1-5)\n"
    )
    assert extract_reply(body) == "4 out of 5, it was really useful."


def test_outlook_web_underscore_separator_ends_the_reply() -> None:
    body = (
        "Not yet, we are still finding a time.\n"
        "________________________________\n"
        "From: Westbrook Mentoring <reply+x8@mentor.example.org>\n"
        "Sent: Tuesday, March 4, 2025 9:12 AM\n"
        "To: Sam Lee <sam@example.com>\n"
        "Subject: Have you met?\n"
    )
    assert extract_reply(body) == "Not yet, we are still finding a time."


def test_portuguese_gmail_attribution_is_dropped() -> None:
    body = (
        "Sim, aceito!\n"
        "\n"
        "Em ter., 4 de mar. de 2025 às 09:12, Programa de Mentoria <\n"
        "reply+x9@mentor.example.org> escreveu:\n"
        "\n"
        "> Olá Ana, você aceita ser mentora do Pedro?\n"
    )
    assert extract_reply(body) == "Sim, aceito!"


def test_thunderbird_bottom_posted_reply_is_found_under_the_quote() -> None:
    body = (
        "On 04/03/2025 09:12, Westbrook Mentoring wrote:\n"
        "> Would you like to continue past June?\n"
        "\n"
        "Yes, let's continue.\n"
    )
    assert extract_reply(body) == "Yes, let's continue."


def test_a_lone_thanks_is_the_reply_not_a_sign_off() -> None:
    body = "Thanks!\n\nOn Tue, Mar 4, 2025 at 9:12 AM X <x@y.org> wrote:\n> Hi\n"
    assert extract_reply(body) == "Thanks!"


def test_sender_name_under_the_reply_is_dropped() -> None:
    body = "Sure, Tuesday works for me.\n\nAlex\n"
    assert extract_reply(body, sender="Alex Kim") == "Sure, Tuesday works for me."


def test_a_reply_that_only_quotes_has_no_new_text() -> None:
    assert extract_reply("> Would you accept?\n>\n") == ""


def test_html_only_gmail_reply_is_converted_and_trimmed() -> None:
    html = (
        '<div dir="ltr">Happy to help!<div><br></div><div>Best,</div><div>Dana</div></div>'
        '<br><div class="gmail_quote"><div class="gmail_attr">On Tue, Mar 4, 2025 at 9:12 AM '
        "Westbrook Mentoring &lt;reply+x@mentor.example.org&gt; wrote:<br></div>"
        '<blockquote class="gmail_quote">Would you accept?</blockquote></div>'
    )
    assert extract_reply("", html=html) == "Happy to help!"


def test_talon_style_keeps_the_signature_default_drops_it() -> None:
    body = "Hello\n\n-- \nDana\nSent from my iPhone\n\nOn Tue, Mar 4, 2025, X wrote:\n> Hi\n"
    assert extract_reply(body, style="talon") == "Hello\n\n--\nDana\nSent from my iPhone"
    assert extract_reply(body) == "Hello"


def test_a_huge_body_is_handled_quickly() -> None:
    attribution = "On Tue, Mar 4, 2025 at 9:12 AM X <x@y.org> wrote:\n"
    body = "Yes!\n\n" + attribution + "> quoted line\n" * 2_000_000
    started = time.perf_counter()
    assert extract_reply(body) == "Yes!"
    assert time.perf_counter() - started < 1.0


def test_a_long_line_without_newlines_does_not_hang() -> None:
    body = "On " + "1 wrote " * 200_000
    started = time.perf_counter()
    extract_reply(body)
    assert time.perf_counter() - started < 1.0


def test_thanks_followed_by_more_words_is_not_a_sign_off() -> None:
    body = "Hi Sam,\nThanks!\nYes I accept\n"
    assert extract_reply(body) == "Hi Sam,\nThanks!\nYes I accept"


def test_a_lone_line_that_looks_like_a_header_is_kept() -> None:
    body = "Sounds good.\nDate: next Tuesday at 5 works for me\n"
    assert extract_reply(body) == "Sounds good.\nDate: next Tuesday at 5 works for me"


def test_ordinary_sentences_about_messages_are_not_disclaimers() -> None:
    body = (
        "Yes, I can do it.\n\nThis message is to confirm I will attend.\n"
        "If you are not free, tell me.\n"
    )
    assert extract_reply(body) == body.strip()


def test_on_monday_sentence_is_not_a_quote_header() -> None:
    body = "On Monday at 3pm I can meet.\nI wrote down the agenda already.\n"
    assert extract_reply(body) == body.strip()


def test_yahoo_reply_with_unprefixed_quote_is_cut_at_the_attribution() -> None:
    body = (
        "We met on Friday, it went well.\n"
        "\n"
        "    On Tuesday, March 4, 2025, 09:12:03 AM GMT+1, Westbrook Mentoring "
        "<reply+y1@mentor.example.org> wrote:\n"
        "\n"
        "     Hi Ana, have you met your mentor this month?\n"
    )
    assert extract_reply(body) == "We met on Friday, it went well."


def test_html_outlook_reply_is_cut_at_its_header_block() -> None:
    html = (
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body>"
        "<p class=MsoNormal>I&#39;d like to pause until May.</p><p>&nbsp;</p>"
        "<div style='border:none;border-top:solid #E1E1E1 1.0pt'>"
        "<p><b>From:</b> Westbrook Mentoring &lt;reply+h1@mentor.example.org&gt;<br>"
        "<b>Sent:</b> Tuesday, March 4, 2025 9:12 AM<br><b>To:</b> Sam Lee<br>"
        "<b>Subject:</b> Your mentee request</p></div><p>Hi Sam, ...</p></body></html>"
    )
    assert extract_reply("", html=html) == "I'd like to pause until May."


def test_interleaved_quote_context_is_kept_only_under_the_github_convention() -> None:
    body = "Hi,\nOn Tue, Mar 4, 2025 at 9:12 AM, X wrote:\n> Can you meet?\n\nYes.\n"
    assert extract_reply(body, style="github") == (
        "Hi,\nOn Tue, Mar 4, 2025 at 9:12 AM, X wrote:\n> Can you meet?\n\nYes."
    )
    assert extract_reply(body) == "Hi,\n\nYes."


def test_outlook_separator_is_kept_only_under_the_mail_parser_reply_convention() -> None:
    body = "Fine by me\n\n" + "-" * 30 + "\n\n*From:* X\n*Sent:* Tuesday, 4 March 2025\n"
    assert extract_reply(body, style="mail_parser_reply") == (
        "Fine by me\n\n------------------------------"
    )
    assert extract_reply(body) == "Fine by me"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*"> -_\n\r\tOnwrote:<@.2016abc写道发件人From:Sent:", "\u00a0"]),
        max_size=400,
    ),
    st.sampled_from(["default", "discourse", "github", "talon", "mail_parser_reply"]),
)
def test_any_text_gives_a_string_without_error(text: str, style: Style) -> None:
    assert isinstance(extract_reply(text, style=style), str)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_any_html_gives_a_string_without_error(html: str) -> None:
    assert isinstance(extract_reply("", html="<div>" + html), str)
