"""Reading a message that answers nothing we asked: is it only thanks, or a call for help?"""

from __future__ import annotations

import re

_COURTESY = re.compile(
    r"^\W*(many\s+|thanks?\s+(again|so\s+much|a\s+lot|very\s+much)|thank\s+you|thanks|thx|"
    r"ty|cheers|merci|gracias|obrigad[oa]|danke|谢谢|much\s+appreciated|great,?\s+thanks)\b",
    re.IGNORECASE,
)
_HELP = re.compile(
    r"^\s*help\b|\bi need (some )?help\b|"
    r"\b(can|could|would) (someone|somebody|anyone|you|a coordinator|the coordinators?|a person"
    r"|one of you|one of the coordinators) (please )?help\b|"
    r"\b(hasn't|has not|haven't|have not|hasnt|havent|didn't|did not|never)\s+"
    r"(answered|replied|responded|heard back|got back|written back|been in touch)|"
    r"\bnot (answering|replying|responding)\b|\bno (answer|reply|response) (from|in)\b|"
    r"\bghost(ed|ing)\b|\bunsafe\b|\bharass|\bthreaten|"
    # the same in the other five languages: help asked for, or a partner gone silent
    r"\b(pueden?|podr[ií]an?|puedes)\s+(alguien\s+)?(me\s+|nos\s+)?ayudar|\bnecesito\s+ayuda\b|"
    r"\bno\s+(me\s+)?(responde|contesta)\b|"
    r"\b(pode[ms]?|poderiam?|podes)\s+(me\s+)?ajudar|\bpreciso\s+de\s+ajuda\b|"
    r"\bn[ãa]o\s+(me\s+)?(responde|respondeu)\b|"
    r"\b(pouvez|pourriez)-vous\s+(m'|m’|nous\s+)?aider|\bpeux-tu\s+m['’]aider|"
    r"\bbesoin\s+d['’]aide\b|\bne\s+(me\s+)?r[ée]pond\s+(pas|plus)\b|"
    r"\b(k[öo]nnen|k[öo]nnten)\s+sie\s+(mir\s+|uns\s+)?(\w+\s+)?helfen|"
    r"\bkannst\s+du\s+(mir\s+)?helfen|\bbrauche\s+(\w+\s+)?hilfe\b|"
    r"\b(antwortet|meldet\s+sich)\s+(\w+\s+){0,2}nicht\b|"
    r"能(不能)?帮(我|忙)|可以帮(我|忙)|需要帮助|求助|(没有|没|不)回(复|我)|联系不上",
    re.IGNORECASE,
)


def courtesy_only(text: str) -> bool:
    """A thank-you or pleasantry that asks for nothing ("Thanks so much, I'll write to Ana")."""
    first = text.strip().split("\n", 1)[0]
    return bool(_COURTESY.search(first)) and "?" not in text and not asks_for_help(text)


def asks_for_help(text: str) -> bool:
    """The writer asks for a person's help, or says their partner has gone silent."""
    return bool(_HELP.search(text[:4000]))


_HEDGE = re.compile(
    r"\?|\b(but|not|no|prefer|preferably|instead|rather|other|else|maybe|perhaps|or|either|"
    r"unless|except|someone|anyone|later|wait)\b",
    re.IGNORECASE,
)


def plain_pick(text: str) -> bool:
    """A short pick with no hedge, question or contrast ("Ana please", "I'll go with Grace")."""
    words = re.findall(r"\w+", text)
    return 0 < len(words) <= 12 and not _HEDGE.search(text)


# the pick at the start of a reply: "2", "#2", "number 2", "nº 2", a name, then "please"
# "la 1", "el 2", "o 3", "die 2", "option 1", "我选2", "第2个"
_ARTICLE = r"(?:(?:the|la|el|lo|le|o|a|die|der|den|option|opción|opção|我选|选)\s*)?"
_NUMBER = (
    _ARTICLE + r"(?:(?:number|no\.?|n[º°o]\.?|nummer|numéro|numero|número)\s*)?"
    r"(?:第\s*)?#?{}(?:\s*(?:号|个|位))?"
)
_PLEASE = (
    r"(?:[\s,]*(?:please|pls|por\s*favor|porfa|por\s+fa|bitte|s'il\s+(?:te|vous)\s+pla[iî]t|"
    r"svp|se\s+faz\s+favor|谢谢|请))?"
)
_WORDS_WORTH_PASSING_ON = 4  # fewer ("2, thanks!") is the pick and a courtesy
_WORD = re.compile(r"[\u4e00-\u9fff]|[^\W\u4e00-\u9fff]+")  # a Chinese character is a word


def words_beside_pick(text: str, number: int, names: tuple[str, ...] = ()) -> str:
    """What a mentee wrote besides their pick from a list ("2 please. I'd love to hear how you
    got into bridge design"): the reply without the pick it starts with (its ``number`` in the
    list, or one of the mentor's ``names``), if it says more than thanks; the mentor's request
    carries it. "" when there is nothing more."""
    picks = "|".join([_NUMBER.format(number), *(re.escape(n) for n in names if n)])
    lead = re.compile(rf"^\W*(?:{picks})(?!\w){_PLEASE}[\s.,;:!—–\-，。、：！]*", re.IGNORECASE)
    words = lead.sub("", text.strip(), count=1).strip()
    after_thanks = _COURTESY.sub("", words, count=1).lstrip(" \t.,;:!—–-，。、：！")
    after_thanks = lead.sub("", after_thanks, count=1)  # "Thanks so much, number 2 it is"
    if len(_WORD.findall(after_thanks)) < _WORDS_WORTH_PASSING_ON or courtesy_only(after_thanks):
        return ""  # "2, thanks!" is the pick and a courtesy; "2, thanks! I'd love to…" says more
    return words[:2000]
