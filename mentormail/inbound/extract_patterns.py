"""Line patterns for reply extraction: quote headers, signatures, sign-offs, disclaimers.

The line classes and many of the multilingual markers are ported from the ideas in
discourse/email_reply_trimmer (MIT, https://github.com/discourse/email_reply_trimmer);
the regexes here are our own, bounded so that no line can make them backtrack badly.
"""

from __future__ import annotations

import re
from typing import Final

_B = r"[ \t\u00a0\u200e\u200f]"  # blanks, including the no-break and direction marks clients add

EMPTY: Final = re.compile(rf"^{_B}*$")

# A quote marker with nothing quoted: as good as an empty line.
BARE_QUOTE: Final = re.compile(r"^[ \t>]*$")

# A line made only of separator characters: "--", "-- ", "_____", "-----", "====" ...
DELIMITER: Final = re.compile(rf"^{_B}*[-_,=+~#*ᐧ—–]+{_B}*$")

# The classic "-- " signature separator, which some conventions keep and others strip.
SIG_DASHES: Final = re.compile(rf"^{_B}*--{_B}*$")

QUOTE: Final = re.compile(rf"^{_B}*[A-Z]?>")

CODE_FENCE: Final = re.compile(r"^ {0,3}```")

_MD_LINK: Final = re.compile(r"\[([^\]\n]{1,200})\]\([^)\n]{0,500}\)")
_ANGLE_URL: Final = re.compile(r"<(?:https?:|mailto:)[^>\n]{0,500}>|https?://\S{1,500}")

# "Sent from my iPhone" and its cousins, in several languages.
_MOBILE_FIXED: Final = re.compile(
    rf"""^{_B}*[(<\[]*{_B}*(?:
        從我的\s?iPhone\s?傳送 | 从我的\s?\w+\s?发送 | [发發]自我的\s?\w+ | 来自我的\s?\w+
      | \w+から送信
      | \w+\s+from\s+mobile\W*$ | via\s+mobile\W*$
      | from\s+my\s+(?:i?phone|ipad|mobile|android|cell|\w+\s+phone)\b.{{0,12}}$
      | Get\s+Outlook\s+for\b
      | Envoyé\s+(?:depuis|de)\s+(?:mon|ma|Yahoo|Outlook|l'application)\b
      | Von\s+meinem\s.{{1,60}}\sgesendet | Diese\s+Nachricht\s+wurde\s+von\s.{{1,80}}\sgesendet
      | Gesendet\s+(?:von|mit)\s+(?:meinem\s+)?\S.{{0,40}}$
      | Inviato\s+da\s
      | Sendt\s+fra\s+min\s | Skickat\s+från\s+min\s | från\s+min\s
      | Enviado\s+(?:do|desde)\s+(?:meu|mi|o|el)\s | Enviado\s+desde\s
      | Verzonden\s+(?:met|vanaf)\s | Verstuurd\s+(?:met|vanaf)\s
      | Отправлено\s+с\s | Wysłane\s+z\s | Odesláno\s+z\s
      | [发發]自(?:\S{{0,8}}(?:邮箱|郵箱|手机|手機|客户端|客戶端)\S{{0,4}}
               |\s?(?:iPhone|iPad|Android))\W*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A mail app's footer in any of several languages: a sending (or "get the app") verb, then
# the app or the device within a few words: "Enviado do Yahoo Mail para Android",
# "Obtener Outlook para iOS", "Envoyé avec la messagerie sécurisée Proton Mail."
_APP_FOOTER: Final = re.compile(
    rf"""^{_B}*[(<\[]*{_B}*(?:
        Enviad[oa]|Envoyée?|Inviato|Gesendet|Verzonden|Verstuurd|Sendt|Skickat|Wysłane|Odesláno|
        Obtener|Obter|Baixe|Descargar|Télécharger|Holen\s+Sie\s+sich|Scarica
    )\s(?:\S+\s){{0,6}}?(?:
        (?:Yahoo|Proton|AOL|GMX|Zoho|Samsung|Huawei)\s?Mail|Outlook|Gmail|iPhone|iPad|Android|
        iOS|BlackBerry|Galaxy|smartphone|móvil|movil|celular|telemóvel|Handy|portable
    )\b.{{0,24}}$""",
    re.IGNORECASE | re.VERBOSE,
)
_SENT_FROM: Final = re.compile(
    rf"^{_B}*[(<\[]*{_B}*Sent\s+(?:from|via|with|by|using)\s+(?P<rest>.{{1,200}})$", re.IGNORECASE
)
_DEVICE_WORDS: Final = re.compile(
    r"\b(?:i?phone|ipad|ipod|android|blackberry|mobile|cell|galaxy|samsung|htc|nokia|pixel|"
    r"tablet|device|watch|outlook|mail|gmail|yahoo|airmail|mailbox|sparrow|spark|windows|"
    r"verizon|motorola|huawei|xiaomi|kindle|surface|newton|ti-\d+)\b",
    re.IGNORECASE,
)
_FIRST_CLAUSE: Final = re.compile(r"([^,.;!:]*)(.*)", re.DOTALL)
_EXCUSE_WORDS: Final = re.compile(r"\b(?:excuse|typo|brevity|autocorrect|pardon)", re.IGNORECASE)


def strip_links(line: str) -> str:
    """The line with markdown links reduced to their text."""
    return _MD_LINK.sub(r"\1", line) if "](" in line else line


# "Please consider the environment before printing this email", in several languages.
_PRINT_FOOTER: Final = re.compile(
    r"^\W{0,4}(?:P\s)?\W{0,4}(?:please|consider|think|before|save|antes|avant|pensez|pense|piense|"
    r"por\s+favor|bitte|denken|vor\s+dem|prima|respecte)\b"
    r"(?=.{0,160}\b(?:environment|environnement|ambiente|umwelt|milieu)\b)"
    r".{0,160}\b(?:print\w*|imprim\w*|ausdruck\w*|druck\w*|stampa\w*|afdruk\w*)",
    re.IGNORECASE,
)


def is_footer(line: str) -> bool:
    """True for a mail app's or an organisation's footer line ("Sent from my iPhone", "Please
    consider the environment before printing this email")."""
    return is_mobile_signature(line) or (len(line) <= 160 and bool(_PRINT_FOOTER.match(line)))


def is_mobile_signature(line: str) -> bool:
    """True for 'Sent from my iPhone'-style lines, in several languages."""
    line = strip_links(line)
    if _MOBILE_FIXED.match(line) or (len(line) <= 90 and _APP_FOOTER.match(line)):
        return True
    m = _SENT_FROM.match(line)
    if not m:
        return False
    rest = _ANGLE_URL.sub(" ", m.group("rest")).strip(" \t)>]")
    head, tail = _FIRST_CLAUSE.match(rest).groups()  # type: ignore[union-attr]
    if not tail.strip(" \t.!"):
        return len(head.split()) <= 7
    return bool(_DEVICE_WORDS.search(head) or _EXCUSE_WORDS.search(tail))


# Quote headers ("attributions") and forward/original-message markers.
_OPENERS = r"(?:On|At|Le|Am|El|Il|Em|Op|Dnia|Dňa|Den|Der|Kl\.|På|Pada)"  # Pada: Indonesian, Malay
_WROTE = (
    r"(?:wrote|writes:|says:|said:|a\s+écrit|nous\s+a\s+dit|schrieb\w*|geschrieben|escribió|"
    r"ha\s+scritto|escreveu|napisał(?:\(a\))?|napisała|het\s+volgende\s+geschreven|schreef|"
    r"skrev|kirjoitti|napsal(?:\(a\))?|yazdı|написал(?:\(а\))?|написала|пише|写道|寫道|menulis)"
)
_ANCHOR = rf"^{_B}*[<>\-]*{_B}*"
ATTRIBUTION_ANCHORED: Final = re.compile(
    rf"""{_ANCHOR}(?:
        # On <date>, <someone> wrote:   (and its translations)
        {_OPENERS}\s(?=.{{0,300}}\d).{{1,300}}?{_WROTE}{_B}*[.:：>\-]*{_B}*$
      | {_OPENERS}\s(?=.{{0,300}}\d).{{1,300}}?(?:schrieb|schreef|skrev|wrote|escribió|a\s+écrit)
        \s.{{1,160}}:{_B}*$
      | In\s+message\s.{{1,200}}writes{_B}*:?{_B}*$
        # 在 2016年12月12日，下午8:45，X <x@y> 写道：
      | [在於]\s?.{{1,200}}?[写寫]道{_B}*[:：]?{_B}*$
        # 2016-03-03 17:21 GMT+01:00 Some One
      | 20\d\d-\d\d-\d\d\s\d\d?:\d\d\sGMT[+-]\d\d:\d\d\s[\w \t]{{1,80}}$
        # 2013/10/2 someone <x@y>
      | \d{{4}}/\d{{1,2}}/\d{{1,2}}\s.{{1,100}}$
      | Posted\s+by\s.{{1,100}}\son\s\d{{2}}/\d{{2}}/\d{{4}}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Cheap tests run before the costly patterns: a "wrote" verb, a first character that
# can start an anchored attribution, four digits in a row.
_WROTE_WORDS: Final = (
    "wrote", "schrieb", "écrit", "escribió", "escreveu", "scritto", "skrev", "kirjoitti",
    "написал", "napisał", "пише", "写道", "寫道", "menulis",
)  # fmt: skip
_ANCHORED_FIRST: Final = frozenset("OoAaLlEeIiDdKkPp在於0123456789")
_FOUR_DIGITS: Final = re.compile(r"\d{4}")
_LEAD: Final = " \t\u00a0\u200e\u200f<>-"
ATTRIBUTION_VERB: Final = re.compile(
    rf"""{_ANCHOR}(?:
        # <someone> <x@y> wrote: / schrieb am <date>:
        .{{1,200}}\b(?:wrote|schrieb|a\s+écrit|escribió|escreveu|ha\s+scritto|skrev)\s+
        (?:on|am|le|el|em|il|den)\b.{{1,120}}:{_B}*$
      | .{{1,200}}\s(?:via\s.{{1,120}}\s)?(?:wrote|schrieb|a\s+écrit|escribió|escreveu|
        ha\s+scritto|skrev|kirjoitti|написал(?:\(а\))?|napisał\(a\)|пише|写道){_B}*[:：]{_B}*$
      | .{{1,120}}\svia\s.{{1,120}}\s(?:wrote|schrieb){_B}*:?{_B}*$
        # X <x@y> 于2027年5月10日周一 11:30写道：   X 於 2027年5月10日 週一 上午9:00 寫道：
      | .{{0,200}}[于於]{_B}*\d{{4}}{_B}*年{_B}*\d{{1,2}}{_B}*月.{{1,50}}?[写寫]道{_B}*[:：]?{_B}*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# <date> <someone> <x@y>:   (Gmail in some locales, mail.ru, Yandex)
ATTRIBUTION_DATE_EMAIL: Final = re.compile(
    rf"{_ANCHOR}.{{0,80}}\d{{4}}.{{1,100}}<\s?[^@<>\s]{{1,100}}@[^@<>\s]{{1,100}}>{_B}*:?{_B}*$"
)


def is_attribution(line: str) -> bool:
    """True for a quote header such as "On <date>, <someone> wrote:"."""
    if line.lstrip(_LEAD)[:1] in _ANCHORED_FIRST and ATTRIBUTION_ANCHORED.match(line):
        return True
    lowered = line.lower()
    if _has_wrote_word(lowered) and ATTRIBUTION_VERB.match(line):
        return True
    return "@" in line and bool(_FOUR_DIGITS.search(line) and ATTRIBUTION_DATE_EMAIL.match(line))


def _has_wrote_word(lowered: str) -> bool:
    """Whether a lower-cased line holds one of the "wrote" verbs (a plain loop: ``any`` over a
    generator cost twice as much, and this runs for every line an attribution may start)."""
    for word in _WROTE_WORDS:  # noqa: SIM110 (the loop is the point)
        if word in lowered:
            return True
    return False


FORWARD_MARKER: Final = re.compile(
    rf"""^{_B}*[>*]*{_B}*(?:
        (?:Begin\s+forwarded\s+message|Début\s+du\s+message\s+réexpédié|
           Début\s+du\s+message\s+transféré|Anfang\s+der\s+weitergeleiteten\s+Nachricht)\s*:
      | [-_=]{{2,}}{_B}*(?:Forwarded|Original|Reply)\s+(?:message|e-?mail)[-_= \t:]*
      | [-_=]{{2,}}{_B}*(?:Message\s+transféré|Message\s+d'origine|Ursprüngliche\s+Nachricht|
          Weitergeleitete\s+Nachricht|Originalnachricht|Mensaje\s+original|Mensaje\s+reenviado|
          Messaggio\s+originale|Messaggio\s+inoltrato|Mensagem\s+original|
          Mensagem\s+encaminhada|Oorspronkelijk\s+bericht|Origineel\s+bericht|
          Doorgestuurd\s+bericht|Ursprungligt\s+meddelande|Vidarebefordrat\s+meddelande|
          Opprinnelig\s+melding|Oprindelig\s+meddelelse|Wiadomość\s+oryginalna|
          Původní\s+zpráva|Исходное\s+сообщение|Пересылаемое\s+сообщение|原始邮件|
          原始郵件|转发邮件|Alkuperäinen\s+viesti)[-_= \t:]*
      | [-_=]{{2,}}{_B}*(?:Original|Forwarded)(?:\s+Message)?{_B}*[-_=]{{2,}}
      | [-_=]{{2,}}{_B}*(?:回复的原邮件|回覆的原郵件|原邮件|原郵件){_B}*[-_=]{{2,}}
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# A line that may begin an attribution spread over several lines (Gmail wraps long ones).
ATTRIBUTION_START: Final = re.compile(
    rf"^(?=.{{0,300}}\d){_B}*[<>\-]*{_B}*(?:{_OPENERS}\s|[在於]\s?\S|.{{0,80}}\d{{4}}|.{{1,80}}<\s*$|"
    rf".{{1,120}}@|.{{1,120}}\b(?:wrote|schrieb)\b)",
    re.IGNORECASE,
)

# Header lines of a quoted message as desktop and web clients write them.
_DATE_HEADERS = (
    r"Sent|Date|Datum|Data|Fecha|Enviado(?:\s+el)?|Enviada\s+em|Gesendet|Envoyé|Le|Sendt|"
    r"Skickat|Verzonden|Wysłano|Dátum|Odesláno|Отправлено|Дата|Päivämäärä|发送时间|發送時間|"
    r"日期|送信日時|時間"
)
_TEXT_HEADERS = (
    r"From|To|Cc|Bcc|Reply-To|Subject|De|Expéditeur|À|A|Destinataire|Répondre\s+à|Objet|Cc|"
    r"Von|An|Betreff|Antwort\s+an|Para|Assunto|Asunto|Da|Risposta|Oggetto|Van|Aan|"
    r"Beantwoorden\s+-\s+Aan|Onderwerp|Fra|Til|Emne|Från|Till|Ämne|Od|Do|Temat|Kopia|"
    r"От|Кому|Тема|Копия|Lähettäjä|Vastaanottaja|Aihe|发件人|收件人|抄送|主题|寄件者|"
    r"收件者|副本|主旨|差出人|宛先|件名"
)
HEADER: Final = re.compile(
    rf"^{_B}*\**{_B}*(?:(?:{_DATE_HEADERS}){_B}*\**{_B}*[:：].*\d"
    rf"|(?:{_TEXT_HEADERS}){_B}*\**{_B}*[:：].*\w)",
    re.IGNORECASE,
)

# Closing phrases: on a line of their own (or joined: "Viele Grüsse / Best regards",
# "Danke und Gruss"), or before a name on the same line ("Gruß Felix"), they start a sign-off.
_CLOSING = r"""(?:
    thanks?(?:\s+(?:again|so\s+much|a\s+lot|in\s+advance|you(?:\s+so\s+much)?))?|
    many\s+thanks|thank\s+you(?:\s+(?:again|so\s+much|very\s+much))?|thx|ty|
    (?:thanks|best)\s*(?:&|and)\s*regards|with\s+(?:best\s+|kind\s+)?(?:regards|wishes)|
    cheers|best|br|all\s+the\s+best|best\s+wishes|(?:best|kind|warm|warmest|many)\s+regards|
    regards|warmly|sincerely|yours(?:\s+(?:truly|sincerely|faithfully))?|take\s+care|talk\s+soon|
    love|with\s+gratitude|gratefully|respectfully|cordially|
    (?:viele|liebe|beste|herzliche|schöne|freundliche)\s+grü(?:ß|ss)e|grü(?:ß|ss)e|gru(?:ß|ss)|
    mit\s+freundlichen\s+grü(?:ß|ss)en|mfg|lg|danke(?:\s+schön)?|vielen\s+dank|merci\s+vielmal|
    pfiat\s+(?:di|eich|euch)|baba|servus|
    (?:bien\s+)?cordialement|merci(?:\s+(?:beaucoup|d'avance|d’avance))?|bien\s+à\s+(?:vous|toi)|
    amicalement|salutations|(?:bonne|belle)\s+journée|à\s+bientôt|au\s+plaisir|bises|salut|
    (?:un\s+)?saludos?(?:\s+cordiales)?|atentamente|(?:muchas\s+|mil\s+)?gracias(?:\s+por\s+todo)?|
    (?:un\s+)?abrazo|quedo\s+atent[oa]|cordialmente|obrigad[oa]|(?:um\s+)?abraços?|abs|bjs|
    beij(?:o|os|inhos?)|valeu|atenciosamente|att|(?:com\s+os\s+melhores\s+)?cumprimentos|
    grazie(?:\s+mille)?|(?:cordiali\s+|distinti\s+)?saluti|un\s+saluto|
    (?:met\s+vriendelijke\s+)?groet(?:en|jes)?|bedankt|dank\s+je(?:\s+wel)?|
    mvh|med\s+vänlig\s+hälsning|hälsningar|hilsen|(?:med\s+venlig|vennlig)\s+hilsen|pozdrawiam|
    спасибо|с\s+уважением|谢谢|多谢|祝好|此致|敬礼|顺祝商祺|谢谢您|感謝|謝謝
)"""
_JOINED_CLOSING = rf"{_CLOSING}(?:[ \t]*[,!]?[ \t]*(?:/|&|and|und|et|y|e|en)[ \t]+{_CLOSING})?"
SIGN_OFF: Final = re.compile(
    rf"^[ \t]*{_JOINED_CLOSING}[ \t]*[,.!:;~\-！，]*[ \t]*$", re.IGNORECASE | re.VERBOSE
)
# "Gruß Felix", "Abs, Ju", "Regards, Priya R.": a closing and a name on one line.
SIGN_OFF_NAME: Final = re.compile(
    rf"^[ \t]*{_JOINED_CLOSING}[ \t]*[,.!~\-]?[ \t]+(?P<name>\S.{{0,40}})$",
    re.IGNORECASE | re.VERBOSE,
)

# "-Alex", "— Ryan", "~s": a name signed with a dash.
DASH_NAME: Final = re.compile(r"^[ \t]*(?:-|--|—|–|~)[^\W\d_][\w .'-]{0,40}$")

# Contact-detail lines typical of signature blocks.
CONTACT: Final = re.compile(
    r"""(?:^[ \t]*(?:t|tel|phone|mobile|mob|cell|m|f|fax|e|email|e-mail|w|web|skype)\.?[ \t]*[:.]"""
    r"""|\+?\d[\d ().-]{6,}\d|@|https?://|www\.|\b(?:ext|bleep|durchwahl|poste)\.?:?[ \t]*\d)""",
    re.IGNORECASE,
)

DISCLAIMER: Final = re.compile(
    r"""^[ \t*]*(?:
        (?:this|the)\s+(?:e-?mail|message|communication|transmission)(?:\s+message)?
          (?:\s+\(including\s+any\s+attachments\))?\s+(?:and\s+(?:any\s+)?(?:its\s+)?attachments?\s+)?
          (?:is|are|may|contains?|and|is\s+intended)\b
      | (?:the\s+)?information\s+(?:contained\s+)?in\s+this\s+(?:e-?mail|message)
      | confidential(?:ity)?\s+(?:notice|note|statement|warning)
      | disclaimer\s*:
      | if\s+you\s+(?:are\s+not\s+the\s+intended|have\s+received\s+this\s+\S+\s+in\s+error)
      | diese\s+(?:e-?mail|nachricht)\s+(?:enthält|ist|kann)\s
      | ce\s+(?:message|courriel|e-?mail)\s+(?:et\s+(?:toutes\s+)?les\s+pièces|est|peut|contient)\s
      | este\s+(?:mensaje|correo)\s+(?:y\s+sus\s+anexos|es|puede|contiene)\s
      | esta\s+mensagem\s
      | questo\s+messaggio\s
      | dit\s+(?:e-?mail)?bericht\s
      | 本邮件 | 此邮件
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A disclaimer's opening line says what kind of text it is.
DISCLAIMER_WORDS: Final = re.compile(
    r"confidential|privileged|intended|recipient|proprietary|vertraulich|empfänger|"
    r"confidentiel|destinataire|confidencial|destinatario|riservat|vertrouwelijk|"
    r"机密|保密|收件人",
    re.IGNORECASE,
)

# A line that can be a name under a closing: a few capitalised words, or a short CJK name.
NAME_LINE: Final = re.compile(
    r"^[ \t]*(?:[-—–~/]*[ \t]*(?:[^\W\d_][\w.'’-]*[ \t]*){1,4}|[\u3400-\u9fff]{1,6})[ \t]*$"
)

# Words of legal notices and company footers, in the six languages and more. A line with
# two different ones starts a notice.
LEGAL_WORDS: Final = re.compile(
    r"""\b(?:confidential|privil[eé]gi\w*|attachments?|anexos?|anh[äa]nge?|allegati|bijlagen|
    exclusiv\w*|ausschlie(?:ß|ss)lich|intended\s+(?:solely|only|recipient)|addressee|recipient|
    disclos\w*|in\s+error|prohibited|liabilit\w+|registered\s+(?:in|office|number|no)|
    authori[sz]ed\s+and\s+regulated|company\s+(?:number|no|registration)|trading\s+name|
    monitored|viruses|vertraulich\w*|empfänger|irrtümlich|amtsgericht|handelsregister|
    hrb\s?\d|registergericht|sitz\b|geschäftsführ\w*|vorstand|aufsichtsrat|
    confidentiel\w*|destinataires?|pièces\s+jointes|rcs\s|capital\s+(?:de|social)|
    confidenci\w*|destinat[aá]ri[oa]s?|aviso\s+legal|rgpd|gdpr|lopd|secreto\s+profesional|
    riservat\w*|vertrouwelijk|geadresseerde|kvk)
    |保密|机密|機密|收件人|免责|免責|本邮件|本郵件|仅供|僅供|附件""",
    re.IGNORECASE | re.VERBOSE,
)
NOTICE_HEADING: Final = re.compile(
    r"""^\W{0,3}(?:aviso\s+legal|aviso\s+de\s+confidencialidade?|avis\s+de\s+confidentialit[ée]|
    haftungsausschluss|vertraulichkeitshinweis|disclaimer|confidentiality|legal\s+notice|
    保密声明|免责声明|免責聲明|機密聲明)""",
    re.IGNORECASE | re.VERBOSE,
)
# A company's register entry: "registered in England and Wales", "Amtsgericht Köln HRB 4567".
COMPANY_REGISTER: Final = re.compile(
    r"""registered\s+in\s+(?:england|scotland|wales|northern\s+ireland|ireland)\b|
    registered\s+office\s*:|companies\s+house|amtsgericht\s+\w+|registergericht|\bhrb\s?\d|
    \brcs\s+\w+\s+[\dB]|registro\s+mercantil|\bkvk\b|\bcnpj\b|\bnif\s*:?\s*\d""",
    re.IGNORECASE | re.VERBOSE,
)

# "P.S.", "PS:", "P.P.S.", "N.B.": text after a signature that is still the reply.
POSTSCRIPT: Final = re.compile(r"^[ \t]*(?:p\.?\s?p\.?\s?s|p\.?\s?s|n\.\s?b)\b", re.IGNORECASE)

# "Ltd.", "Jr.", "S.A.", "Lda.": a line ending in an abbreviation ends no sentence.
ABBREVIATION_END: Final = re.compile(r"(?:\b[^\W\d_]{1,4}\.|\b(?:[^\W\d_]\.){2,})$")

# The kisses after a name: "Ella x", "Sophie xx".
KISSES: Final = re.compile(r"\s+x{1,3}$", re.IGNORECASE)

# A mail gateway's banner above the reply: "[EXTERNAL] This email originated from outside
# ...", "CAUTION: ...", and the protective marking some organisations put above and below
# each email ("OFFICIAL", "INTERNAL").
BANNER: Final = re.compile(
    r"""^(?=.{0,400}\b(?:links?|attachments?|click|originated|sender|enlaces|adjuntos|liens|
        pièces|Anhänge|anexos|remitente|expéditeur|Absender|remetente)\b)
    [ \t]*(?:
        \[?(?:EXTERNAL|EXTERN|EXTERNE|EXTERNO|EXTERNA)
          (?:[ \t]+(?:E-?MAIL|EMAIL|SENDER|MESSAGE|MAIL|CORREO))?\]?
      | CAUTION|WARNING|ATTENTION|ATENCI[OÓ]N|ATEN[CÇ][AÃ]O|ACHTUNG|AVISO|VORSICHT
    )[ \t]*[:\]\-–—!]*[ \t]*.{0,120}?\b(?:outside|external|extern\w*|extérieur\w*|fuera|fora|
        au(?:ß|ss)erhalb|buiten)\b""",
    re.VERBOSE,
)
MARKING: Final = re.compile(
    r"^[ \t]*\[?(?:OFFICIAL(?:[ \t]*[-:][ \t]*SENSITIVE)?|UNCLASSIFIED|"
    r"INTERNAL(?:[ \t]+USE[ \t]+ONLY)?|"
    r"(?:Classification|Sensitivity)[ \t]*:[ \t]*\w[\w \t-]{0,30})\]?[ \t]*$"
)

# A title before a sender's display name ("Dr Nathalie Girard"), an aside after a name
# ("Imogen (Year 12)"), and a name in Chinese characters.
NAME_TITLE: Final = re.compile(r"^(?:(?:dr|dra|prof|mr|mrs|ms|mx|sr|sra)\.?\s+)+", re.IGNORECASE)
TRAILING_ASIDE: Final = re.compile(r"\s*\([^()]{1,30}\)$")
CJK_NAME: Final = re.compile(r"[\u3400-\u9fff]{1,6}")

# A line that only greets: "Hi,", "Dear Mentoring Team,", "Hola!", "您好，".
GREETING: Final = re.compile(
    r"""^[ \t]*(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening)|hola|buenos\s+días|
    buenas(?:\s+tardes)?|estimad[oa]s?|bonjour|bonsoir|salut|cher|chère|hallo|liebe[rs]?|
    sehr\s+geehrte[rs]?|guten\s+(?:tag|morgen)|grüezi|servus|moin|ol[aá]|oi|bom\s+dia|boa\s+tarde|
    prezad[oa]s?|ciao|您好|你好|老师好|大家好)\b[^.?!\n]{0,40}[,!:：，]?[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
