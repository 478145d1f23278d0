"""Prepare a reply for reading: keep only what the sender just wrote, and fold it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from hanziconv import charmap

MAX_CHARS = 4000  # a decision is in the first lines; reading more only costs time

_QUOTE_STARTS = re.compile(
    r"""^\s*(?:
        on\s.{0,200}\swrote\s*:?\s*$                      # Gmail, Apple Mail, Thunderbird
      | el\s.{0,200}\sescribi[oó]\s*:?\s*$               # es
      | le\s.{0,200}\sa\s[ée]crit\s*:?\s*$               # fr
      | am\s.{0,200}\sschrieb.{0,80}:?\s*$                # de
      | em\s.{0,200}\sescreveu\s*:?\s*$                  # pt
      | .{0,200}写道\s*[:：]?\s*$                           # zh
      | -{2,}\s*(?:original\s+message|mensaje\s+original|message\s+d'origine
          |urspr[üu]ngliche\s+nachricht|mensagem\s+original|原始邮件|回复的原邮件)\s*-{2,}
      | _{10,}\s*$                                          # Outlook's separator line
      | --\s*$                                              # signature delimiter
      | (?:sent\s+from\s+my|enviado\s+desde\s+mi|envoy[ée]\s+de\s+mon|von\s+meinem
          |enviado\s+do\s+meu|get\s+outlook\s+for|发自我的)\b.*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A two-line Gmail attribution: "On Mon, 3 Mar 2025 at 10:00, Ana Lima <" / "ana@x.org> wrote:"
_ATTRIBUTION_OPEN = re.compile(r"^\s*(?:on|el|le|am|em)\s.{0,200}$", re.IGNORECASE)
_ATTRIBUTION_CLOSE = re.compile(
    r"(?:wrote|escribi[oó]|a\s[ée]crit|schrieb|escreveu)\s*:?\s*$", re.IGNORECASE
)
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|de|von|发件人|寄件者)\s*\*?\s*[:：]", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|enviado|fecha|para|asunto|envoy[ée]|[àa]|objet"
    r"|gesendet|datum|an|betreff|data|assunto|发送时间|日期|收件人|主题)\s*\*?\s*[:：]",
    re.IGNORECASE,
)

_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|hola|buen[oa]s\s+\w+"
    r"|estimad[oa]|querid[oa]|bonjour|bonsoir|salut|cher|ch[èe]re|hallo|liebe[rs]?|guten\s+\w+"
    r"|sehr\s+geehrte[rs]?|moin|servus|ol[áa]|oi|prezad[oa]|car[oa]|bom\s+dia|boa\s+tarde"
    r"|你好|您好|嗨)\b[^,，:：!！\n—–]{0,40}(?:[,，:：!！]|\n)\s*",
    re.IGNORECASE,
)
_SIGNOFF = re.compile(
    r"^\s*(?:best(?:\s+wishes|\s+regards)?|regards|kind\s+regards|warm(?:est)?\s+regards|cheers"
    r"|thanks|thank\s+you|many\s+thanks|thx|sincerely|all\s+the\s+best|take\s+care|talk\s+soon"
    r"|saludos(?:\s+cordiales)?|un\s+saludo|atentamente|gracias|muchas\s+gracias|un\s+abrazo"
    r"|abrazos|cordialement|bien\s+[àa]\s+(?:vous|toi)|merci(?:\s+beaucoup)?|bises|amicalement"
    r"|[àa]\s+bient[ôo]t|(?:viele|liebe|beste|herzliche)\s+gr[üu](?:ß|ss)e|mit\s+freundlichen"
    r"\s+gr[üu](?:ß|ss)en|mfg|vg|lg|danke(?:\s+sch[öo]n)?|gru(?:ß|ss)|abra[çc]os?|atenciosamente"
    r"|obrigad[oa]|cumprimentos|beijos|谢谢|此致|敬礼|祝好|顺祝.{0,4})"
    r"[\s,，.!！]*(?:[^\s,.!?]+(?:\s+[^\s,.!?]+){0,2})?\s*$",
    re.IGNORECASE,
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"'})
# Traditional Chinese read as simplified ("當然繼續", "沒問題"), as Hong Kong and Taiwan write:
# the rules are written in simplified characters (hanziconv's table, one character for one)
_TRADITIONAL = str.maketrans(
    dict(reversed(list(zip(charmap.traditional_charmap, charmap.simplified_charmap, strict=True))))
)  # reversed: a character listed twice reads as its first entry, as hanziconv reads it


_DISCLAIMER = re.compile(
    r"^\s*(?:this\s+(?:e-?mail|message|communication|transmission)|the\s+information\s+(?:in|contained)"
    r"|confidential(?:ity)?\b|disclaimer|esta\s+mensagem|este\s+(?:correo|mensaje|e-?mail)"
    r"|ce\s+(?:message|courriel|mail)|diese\s+(?:e-?mail|nachricht)|本邮件|此邮件"
    r"|.{0,80}\b(?:is\s+a\s+limited\s+liability|registered\s+in\s+(?:england|scotland|wales)"
    r"|authori[sz]ed\s+and\s+regulated|is\s+the\s+trading\s+name))",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"^\s*(?:[A-Z][\w'’-]*\.?)(?:\s+[A-Z][\w'’-]*\.?){0,2}\s*$")
_CONTACT_LINE = re.compile(r"\d[\d\s().-]{6,}|@|www\.|https?://|\s\|\s")


def new_text(text: str) -> str:
    """The lines the sender wrote: no quoted mail, greeting, sign-off or signature."""
    lines = _unquoted_lines(text[:MAX_CHARS])
    lines = _without_disclaimer(lines)
    lines = _without_signoff(lines)
    lines = _without_name_signature(lines)
    body = "\n".join(lines).strip()
    return _without_greeting(body)


def _unquoted_lines(text: str) -> list[str]:
    """Lines before the first quote marker, skipping '>' lines."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(raw):
        if line.lstrip().startswith(">"):
            continue
        if _starts_quote(line, raw[i + 1 : i + 4]):
            break
        kept.append(line)
    return kept


def _starts_quote(line: str, following: list[str]) -> bool:
    """Whether a line opens quoted mail (an attribution, a header block, a separator)."""
    if _QUOTE_STARTS.match(line):
        return True
    if following and _ATTRIBUTION_OPEN.match(line) and _ATTRIBUTION_CLOSE.search(following[0]):
        return len(line) + len(following[0]) < 300
    return bool(_HEADER_FROM.match(line)) and any(_HEADER_NEXT.match(f) for f in following)


def _without_disclaimer(lines: list[str]) -> list[str]:
    """Drop a legal disclaimer and all below it (never the first line)."""
    for i, line in enumerate(lines[1:], start=1):
        if _DISCLAIMER.match(line):
            return lines[:i]
    return lines


def _without_signoff(lines: list[str]) -> list[str]:
    """Drop a closing like "Best, Tom" and the signature under it."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    for n, i in enumerate(content[1:], start=1):
        if not _SIGNOFF.match(lines[i]):
            continue
        tail = [lines[j] for j in content[n + 1 :]]
        if len(tail) <= 3 and all(len(t) < 60 for t in tail):
            return lines[:i]
        if tail and _NAME_LINE.match(tail[0]) and len(tail[0]) <= 40:
            return lines[:i]  # "Kind regards,\n\nRichard Ashworth\nPartner\n..."
    return lines


def _without_name_signature(lines: list[str]) -> list[str]:
    """Drop a lone name line after the text ("stop\n\nPriya"), and contact lines under it."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    first = 2 if content and _is_greeting(lines[content[0]]) else 1  # "Boa tarde,\n\nAceito."
    for n, i in enumerate(content[first:], start=first):
        line = lines[i]
        if not (_NAME_LINE.match(line) and len(line.strip()) <= 30 and not lines[i - 1].strip()):
            continue
        tail = [lines[j] for j in content[n + 1 :]]
        if not tail or any(_CONTACT_LINE.search(t) for t in tail[:4]):
            return lines[:i]
    return lines


def _is_greeting(line: str) -> bool:
    """Whether a line is only a greeting ("Hi,", "Boa tarde,", "Hallo zusammen,")."""
    m = _GREETING.match(line + "\n")
    return m is not None and not (line + "\n")[m.end() :].strip()


def _without_greeting(body: str) -> str:
    """Drop an opening "Hi Ana," (on its own line or before the answer)."""
    match = _GREETING.match(body)
    if not match:
        return body
    rest = body[match.end() :].strip()
    return rest or body


def fold(text: str) -> str:
    """Lower-case, no accents, plain punctuation; same length so spans map back."""
    if text.isascii():  # most mail, and most of the rest: folded in C, as each character is
        return text.translate(_APOSTROPHES).lower()
    parts = _NON_ASCII.split(text)  # ASCII, then a run of other characters, and so on
    return "".join(
        part.translate(_APOSTROPHES).lower() if n % 2 == 0 else "".join(map(_fold_char, part))
        for n, part in enumerate(parts)
    )


_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character folded: plain punctuation, lower-case, without its accents, unless that
    makes it two."""
    ch = ch.translate(_APOSTROPHES).translate(_TRADITIONAL)
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    base = base.casefold()
    return base if len(base) == 1 else ch
