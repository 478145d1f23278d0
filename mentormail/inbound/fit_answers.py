"""A reply to "is this a good fit?": good, still deciding, or not a fit. Pure and
strict: an answer naming two of them, or none, is None (the caller asks "did you mean…?")."""

from __future__ import annotations

import re

from mentormail.inbound.intent_text import fold

_NOT_A_FIT = re.compile(
    r"\bnot\s+(?:a\s+)?(?:good\s+|great\s+|the\s+right\s+)?(?:fit|match)\b"
    r"|\bisn'?t\s+(?:a\s+|the\s+right\s+)?(?:good\s+)?(?:fit|match)\b|\bno\s+fit\b"
    r"|\bdoesn'?t\s+(?:fit|work)\b|\bnot\s+working\b",
    re.IGNORECASE,
)
_DECIDING = re.compile(
    r"\b(?:still\s+)?deciding\b|\bnot\s+sure(?:\s+yet)?\b|\btoo\s+(?:early|soon)\b"
    r"|\bdon'?t\s+know\s+yet\b|\bundecided\b",
    re.IGNORECASE,
)
_GOOD = re.compile(
    r"\b(?:a\s+)?(?:good|great|perfect|excellent)\s+(?:fit|match)\b|^\W*good\W*$"
    r"|\bgoing\s+(?:really\s+)?(?:well|great)\b|\bworks?\s+(?:well|great)\b",
    re.IGNORECASE,
)

# A positive evaluation of the match, in the six languages, read on folded text (lower case,
# no accents): "Sí, es muy buena combinación", "C'est exactement ce que je cherchais !",
# "Passt sehr gut", "Exatamente o que eu procurava", "很合适".
_PRAISE = re.compile(
    r"\b(?:exactly|just)\s+what\s+i\s+(?:was|am|'?m)?\s*(?:looking\s+for|hoping\s+for|needed)\b"
    r"|\b(?:good|great|perfect|excellent|wonderful|fantastic)\s+(?:pairing|combination)\b"
    r"|\bwe\s+get\s+(?:on|along)\s+(?:really\s+|very\s+)?well\b|\bcouldn'?t\s+be\s+happier\b"
    r"|\b(?:muy\s+)?buena\s+(?:combinacion|pareja|eleccion)\b"
    r"|\b(?:encaja|encajamos|funciona|funcionamos)\s+(?:muy\s+|super\s+)?bien\b"
    r"|\b(?:justo|exactamente)\s+lo\s+que\s+(?:buscaba|necesitaba|queria)\b"
    r"|\bexactement\s+ce\s+que\s+je\s+(?:cherchais|recherchais|voulais|souhaitais)\b"
    r"|\b(?:tres\s+|vraiment\s+)?(?:bon|excellent|parfait)\s+(?:match|choix|binome|duo)\b"
    r"|\bca\s+(?:se\s+passe|marche|fonctionne)\s+(?:tres\s+|vraiment\s+|super\s+)?bien\b"
    r"|\bon\s+s'entend\s+(?:tres\s+|vraiment\s+|super\s+)?bien\b"
    r"|\bgenau\s+(?:das|der|die)?,?\s*(?:was|wen|den|die)\s+ich\s+gesucht\s+habe\b"
    r"|\bpasst\s+(?:sehr\s+|wirklich\s+|super\s+)?(?:gut|perfekt)\b"
    r"|\b(?:sehr\s+)?gute\s+(?:kombination|wahl)\b|\bperfekte\s+(?:kombination|wahl)\b"
    r"|\bwir\s+verstehen\s+uns\s+(?:sehr\s+|super\s+)?gut\b"
    r"|\b(?:muito\s+)?boa\s+(?:combinacao|dupla|escolha)\b|\bcombinamos\s+(?:muito\s+)?bem\b"
    r"|\bexatamente\s+o\s+que\s+eu\s+(?:procurava|queria|precisava)\b"
    r"|(?:很|非常|挺|特别|真)(?:合适|匹配|合拍)|(?:正|就)是我(?:想要|要找|在找|一直在找)的"
    r"|很好的(?:搭配|组合)"
)
# a negation just before the praise ("no es muy buena combinación", "pas exactement ce que
# je cherchais", "nicht genau das", "不是很合适") leaves it unread: the caller asks
_NEGATED = re.compile(
    r"(?:\b(?:not|no|never|pas|nicht|kein\w*|nao|nunca|jamais|ni)\b|n'?t\b|不|没)[^.!?]{0,12}$"
)


def praises_the_match(folded: str) -> bool:
    """Whether folded text evaluates the match well ("exactly what I was looking for"), with
    no negation just before."""
    return any(not _NEGATED.search(folded[: m.start()]) for m in _PRAISE.finditer(folded))


def fit_answer(text: str) -> str | None:
    """ "good", "deciding" or "not_a_fit" when the new text says exactly one; else None."""
    first = text.strip()[:500]
    not_a_fit = bool(_NOT_A_FIT.search(first))
    without_not = _NOT_A_FIT.sub(" ", first)
    found = {
        name
        for name, hit in (
            ("not_a_fit", not_a_fit),
            ("deciding", bool(_DECIDING.search(first))),
            ("good", bool(_GOOD.search(without_not)) or praises_the_match(fold(first))),
        )
        if hit
    }
    return found.pop() if len(found) == 1 else None
