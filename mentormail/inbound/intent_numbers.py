"""Numbers in replies: a 1-5 survey rating, or the option picked from a numbered list."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10,
    "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "diez": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "dix": 10, "null": 0, "eins": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "fuenf": 5, "sechs": 6, "zehn": 10, "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4,
    "dez": 10, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "十": 10,
}  # fmt: skip
_WORD_ALT = "|".join(sorted((w.strip() for w in _WORDS), key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}|(?<![\w])(?:{_WORD_ALT})(?![a-z]))"
# Number words that are also articles ("one of", "un placer", "um dia") only count alone.
_ARTICLE_LIKE = {"one", "un", "une", "uno", "una", "um", "uma", "ein", "eins"}
_SAFE_ALT = "|".join(w for w in sorted(_WORDS, key=len, reverse=True) if w not in _ARTICLE_LIKE)
SAFE_NUM = rf"(?:\d{{1,3}}|(?<![\w])(?:{_SAFE_ALT})(?![a-z]))"
_UNITS = (
    r"times?|x|meetings?|sessions?|weeks?|months?|days?|hours?|hrs?|mins?|minutes?|calls?"
    r"|years?|yrs?|pm|am|h|%|st|nd|rd|th|veces|semanas?|mes(?:es)?|dias?|horas?|reunion(?:es)?"
    r"|fois|semaines?|mois|jours?|heures?|mal|wochen?|monate?|tagen?|stunden?|treffen|vezes"
    r"|reunioes|reuniao|次|周|个月|天|小时|点|年"
)
_NOT_UNIT = rf"(?!\s*(?:{_UNITS})(?![a-z]))"

_DECIMAL = re.compile(r"(?<![\d.,])\d+[.,]\d+(?!\d)")
# "三分半", "4 and a half", "cuatro y medio", "3 et demi", "dreieinhalb": half a point
_HALF = re.compile(
    r"[一二三四五1-5]\s*(?:分|星|颗星)?半|(?:\d|one|two|three|four|uno|dos|tres|cuatro|un|deux|trois"
    r"|quatre|um|dois|tres|quatro) (?:and a half|y medio|et demi|e meio)|(?:ein|zwei|drei|vier)"
    r"einhalb|\d\s*½"
)
_RANGE = re.compile(
    rf"({SAFE_NUM})\s*(?:-|–|—|~|to|or|o|ou|oder|a|bis|ate|或|到|至)\s*({SAFE_NUM})(?![\d/])"
    rf"|(?:between|entre|zwischen)\s+({NUM})\s+(?:and|y|et|e|und)\s+({NUM})"
)
_FRACTION = re.compile(rf"({NUM})\s*(?:/|out of|de|sur|von|of|em|auf|sobre)\s*({NUM})(?!\s*[.,]\d)")
_FRAMED = (
    re.compile(
        rf"(?:rating|rate|rated|score|grade|nota|note|bewertung|calificacion|puntuacion"
        rf"|avaliacao|评分|打|给)\s*(?:it|him|her|this|them|of|is|:|=|a|an|de|un|une|eine?|um"
        rf"|uma|\s)*\s*({NUM}){_NOT_UNIT}"
    ),
    re.compile(
        rf"({NUM})\s*(?:stars?|estrellas?|etoiles?|sterne?n?|estrelas?|points?|puntos?|pontos?"
        rf"|punkte?|分|星|颗星)"
    ),
    re.compile(
        rf"(?:i'?d say|i would say|give (?:it|him|her|them|this)?|it'?s|a solid|solid"
        rf"|(?:eine )?glatte|(?:un |une |um )?solid[eo]"
        rf"|(?:more |closer |probably |maybe |rather )?like|closer to"
        rf"|(?:definitely|honestly|frankly|honnetement|franchement|sinceramente|ehrlich gesagt)"
        rf",?|(?:so|eher) eine)"
        rf"\s*(?:a |an |un |une |eine |um |uma )?({SAFE_NUM}){_NOT_UNIT}"
    ),
    # "je mettrais 3", "ich würde eine 4 geben", "dou 4", "le doy un 4", "给个4吧", "un 4 !"
    re.compile(
        rf"(?:je (?:mettrais|mets|donnerais|donne|dirais)|j'(?:attribue|attribuerais)"
        rf"|ich (?:wurde|gebe)|(?:yo |eu )?diria(?: que)?"
        rf"|(?:eu )?(?:dou|daria|atribuo)|(?:le |les )?(?:doy|daria|pondria|pongo)|给个?|打个?)"
        rf"\s*(?:un |une |eine |ein |um |uma |nota |la note de |note )?({SAFE_NUM}){_NOT_UNIT}"
    ),
    re.compile(r"^\s*(?:un|une|eine|um|uma|a|an)\s+(\d)(?![\d/]|[.,]\d)\s*(?:[!.,:;\-–—]|$)"),
)
_FULL_MARKS = re.compile(r"满分|full marks|note maximale|volle punktzahl|nota maxima|nota maxima")
_SCHOOL_GRADE = re.compile(r"(?<![\w])(?:note|schulnote)\s+[1-6](?![\d/]|[.,]\d)")
_LETTER_GRADE = re.compile(r"(?<![\w'])(?:[abcdf][+-]|a\*)(?=\s|$|[.,!;)])")
_LEAD_DIGIT = re.compile(rf"^[\s#(]*(\d{{1,3}})(?![\d])(?![.,]\d){_NOT_UNIT}")
_LEAD_WORD = re.compile(rf"^\s*({_WORD_ALT})\s*(?:[-–—:,.!;)]|$)")
_TRAIL_DIGIT = re.compile(r"(?:^|[,:;\-–—(\n]|\s)\s*(\d{1,3})\s*[.!)]*\s*$")
_TRAIL_WORD = re.compile(rf"[,:;\-–—(\n]\s*({NUM})\s*[.!)]*\s*$")
_LOOSE = re.compile(rf"(?<![\w/.,])(\d)(?![\w/]|[.,]\d){_NOT_UNIT}")
_STARS = re.compile(r"(?:[★⭐]\ufe0f?)+")
_SCALE = re.compile(
    r"(?:(?:on )?(?:a |the )?scale (?:of |from )?|(?:en )?(?:una |la )?escala (?:de |del )?"
    r"|sur une echelle (?:de )?|auf einer skala (?:von )?|numa escala (?:de )?|from |de |von )?"
    r"(?<![\d.])1\s*(?:-|–|to|a|bis|ate|到)\s*5(?![\d/]|[.,]\d)"
)


@dataclass(frozen=True)
class NumberRead:
    """A number found in a reply, or why none could be trusted."""

    value: int | None = None
    span: tuple[int, int] | None = None
    problem: str | None = None  # "10/10", "3 or 4", "3.5", "6": not a 1-5 answer
    loose: bool = False  # found only as a bare number mid-sentence: a guess


def _value(token: str) -> int:
    """The integer a digit string or number word stands for."""
    return int(token) if token.isdigit() else _WORDS[token]


def read_rating(folded: str) -> NumberRead:
    """The 1-5 rating in a survey reply, with its span, or the reason there is none."""
    folded = _without_scale(folded)
    problem = _rating_problem(folded)
    if problem:
        return NumberRead(problem=problem)
    found = _framed_ratings(folded)
    values = {v for v, _ in found}
    if len(values) > 1:
        return NumberRead(problem="several ratings: " + ", ".join(map(str, sorted(values))))
    if found:
        value, span = found[0]
        if not 1 <= value <= 5:
            return NumberRead(problem=f"{value} is not 1-5")
        return NumberRead(value, span)
    loose = [(int(m.group(1)), m.span(1)) for m in _LOOSE.finditer(folded)]
    if len({v for v, _ in loose}) == 1 and 1 <= loose[0][0] <= 5:
        return NumberRead(loose[0][0], loose[0][1], loose=True)
    return NumberRead(problem="no rating" if not loose else "unclear numbers")


def _without_scale(folded: str) -> str:
    """Blank out "on a scale of 1-5", which names the scale, not a rating."""
    return _SCALE.sub(lambda m: " " * len(m.group(0)), folded)


def _rating_problem(folded: str) -> str | None:
    """Why the numbers in a reply cannot be a single 1-5 rating, if they cannot."""
    if m := _SCHOOL_GRADE.search(folded):
        return f"{m.group(0)} is a school grade, not 1-5"
    if m := _LETTER_GRADE.search(folded):
        return f"{m.group(0)} is a letter grade, not 1-5"
    if m := _DECIMAL.search(folded):
        return f"{m.group(0)} is not a whole number"
    if m := _HALF.search(folded):
        return f"{m.group(0)} is not a whole number"
    if m := _RANGE.search(folded):
        return f"{m.group(0).strip()} is a range"
    for m in _FRACTION.finditer(folded):
        if _value(m.group(2)) != 5 or not 1 <= _value(m.group(1)) <= 5:
            return f"{m.group(0)} is not out of 5"
    return None


def _framed_ratings(folded: str) -> list[tuple[int, tuple[int, int]]]:
    """Ratings stated as ratings: "4/5", "4 stars", "I'd give it a 4", a leading or last number."""
    found = [(_value(m.group(1)), m.span()) for m in _FRACTION.finditer(folded)]
    if stars := _STARS.search(folded):
        found.append((len(stars.group(0).replace("\ufe0f", "")), stars.span()))
    if full := _FULL_MARKS.search(folded):
        found.append((5, full.span()))
    for pattern in _FRAMED:
        _add_new(found, [(_value(m.group(1)), m.span()) for m in pattern.finditer(folded)
                         if not _NEGATED.search(folded, 0, m.start())])  # fmt: skip
    for pattern in (_LEAD_DIGIT, _LEAD_WORD, _TRAIL_DIGIT, _TRAIL_WORD):
        if m := pattern.search(folded):
            _add_new(found, [(_value(m.group(1)), m.span(1))])
    return found


# A rating said not to be given ("Diria que 4 — só não dou 5 porque…", "I wouldn't give a 5"):
# the negation just before a framed rating
_NEGATED = re.compile(
    r"(?<![\w'])(?:not|never|wouldn'?t|won'?t|don'?t|can'?t|nao|no|ne|n'|nicht|kein)"
    r"(?: (?:le|lhe|les|lui|ihm|ihr|it|him|her|them|ainda|pas|encore|really|quite))?\s*$"
)
_Found = list[tuple[int, tuple[int, int]]]


def _add_new(found: _Found, more: _Found) -> None:
    """Add candidates whose text is not already part of one found."""
    for value, (start, end) in more:
        if not any(start < e and s < end for _, (s, e) in found):
            found.append((value, (start, end)))


_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2,
    "3rd": 3, "4th": 4, "5th": 5, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2,
    "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
    "premier": 1, "premiere": 1, "deuxieme": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "erste": 1, "ersten": 1, "zweite": 2, "zweiten": 2, "dritte": 3,
    "dritten": 3, "vierte": 4, "vierten": 4, "funfte": 5, "funften": 5, "primeiro": 1,
    "primeira": 1, "terceiro": 3, "terceira": 3, "quarto": 4, "quarta": 4,
}  # fmt: skip
_ORD_ALT = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_ZH_DIGITS = "一二三四五六七八九十"
_ARTICLE = r"(?:the|el|la|le|o|a|die|der|den|das|mentor|mentora|option|opcion|opcao)"
_ORD_ARTICLE = r"(?:the|el|la|le|o|a|die|der|den|das)"
_THANKS = (
    r"please|pls|plz|ty|thx|svp|por favor|s'il vous plait|s'il te plait|bitte|merci|thanks"
    r"|thank you|gracias"
    r"|danke|obrigad[oa]|请|谢谢"
)
_CHOICE_PATTERNS = (
    re.compile(rf"^\s*(?:{_ARTICLE}\s+)?#?\s*({NUM})\s*[.,)!]*\s*(?:{_THANKS})?[.!]*\s*$"),
    re.compile(
        rf"(?:#|number|no\.|nr\.?|num\.?|numero|nummer|n°|n\.o|option|opcion|opcao"
        rf"|mentor|mentora|choice)\s*(\d{{1,2}}(?!\d)|(?:{_WORD_ALT})(?!\w))"
    ),
    re.compile(
        r"第\s*([\d一二三四五六七八九十]{1,2})\s*(?:个|位|号)?|([\d一二三四五六七八九十]{1,2})\s*号"
    ),
    re.compile(r"(?:选择?|要|找)\s*([\d]{1,2}|[一二三四五六七八九十])(?!\d)"),
    re.compile(
        rf"(?:ask|choose|chose|pick|take|want|like|select|prefer|go with|contact|request|elijo"
        rf"|quiero|prefiero|escojo|me quedo con|choisis|je prends|je voudrais|nehme|wahle"
        rf"|mochte|escolho|quero|prefiro)\s+(?:{_ARTICLE}\s+)?(?:number\s+|numero\s+"
        rf"|nummer\s+|#)?(\d{{1,2}}|{_SAFE_ALT})(?![\w/])"
    ),
    re.compile(rf"(?<![\w]){_ORD_ARTICLE}\s+({_ORD_ALT})(?![\w])"),
    re.compile(
        rf"^\s*(?:a\s+)?({_ORD_ALT})(?:\s+(?:one|please|mentor|mentora|option|opcion|opcao|uno|una"
        rf"|proposition|propuesta|proposta|vorschlag|persona|personne|pessoa))?"
        rf"(?:\s+(?:{_THANKS}))?[.!\s]*$"
    ),
    # a number opening the reply, then a pause or a courtesy: "1 please! Ana sounds perfect."
    re.compile(
        rf"^\s*(?:{_ARTICLE}\s+)?#?(\d{{1,2}})(?![\d/:.,]\d)(?:\s*[.,)!:\-–—]|\s+(?:{_THANKS})"
        rf"(?![\w]))"
    ),
    # a number word after an article, then a pause: "el tres, que habla español" ("the two"
    # is both of them)
    re.compile(rf"^\s*(?:el|la|le|o|die|der|den|das)\s+({_SAFE_ALT})\s*[,)!:\-–—]"),
)
_ANY_NUMBER = re.compile(r"(?<![\w/.,:])(\d{1,2})(?![\w/:]|[.,]\d)")
_SEP = r"[\s\d,&/+.#()-]*"
_NUMBERS_ONLY = re.compile(rf"{_SEP}(?:(?:and|or|y|o|et|ou|und|oder|e|或|和){_SEP})*")


def read_choice(folded: str) -> NumberRead:
    """The 1-based option a short reply picks from a numbered list, if it picks one."""
    if len(folded) > 120 or len(folded.split()) > 16:
        return NumberRead(problem="too long to be a choice")
    picks: dict[int, tuple[int, int]] = {}
    for pattern in _CHOICE_PATTERNS:
        for m in pattern.finditer(folded):
            token = next(g for g in m.groups() if g)
            picks.setdefault(_choice_value(token), m.span())
    picks = {v: s for v, s in picks.items() if 1 <= v <= 20}
    others = {int(m.group(1)) for m in _ANY_NUMBER.finditer(folded)} - set(picks)
    if picks and any(1 <= n <= 20 for n in others):
        return NumberRead(problem="several numbers")
    if len(picks) == 1:
        value, span = next(iter(picks.items()))
        return NumberRead(value, span)
    if picks:
        return NumberRead(problem="several choices: " + ", ".join(map(str, sorted(picks))))
    if re.search(r"\d", folded) and _NUMBERS_ONLY.fullmatch(folded):
        return NumberRead(problem="several numbers")
    return NumberRead(problem="no choice")


def _choice_value(token: str) -> int:
    """The number an option token stands for: a digit, word, ordinal or Chinese numeral."""
    if token.isdigit():
        return int(token)
    if token in _ORDINALS:
        return _ORDINALS[token]
    if token in _WORDS:
        return _WORDS[token]
    if all(ch in _ZH_DIGITS for ch in token):
        return _zh_number(token)
    return 0


def _zh_number(token: str) -> int:
    """A Chinese numeral up to twenty (一, 十, 十二, 二十)."""
    digits = {ch: i + 1 for i, ch in enumerate(_ZH_DIGITS[:9])}
    if "十" not in token:
        return digits.get(token, 0)
    tens, _, ones = token.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(ones, 0)
