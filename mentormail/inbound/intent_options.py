"""The numbered list a search reply answers: read from the quote, or given by the service,
and the one option a reply names ("Daniel", "the fintech one", "the last one").

A reply to a list of mentors often picks by name or by what the mentor does, which the
words alone cannot resolve; with the list they can. A pick counts only when exactly one
option is named and no other is: "Not Tom — Priya please" names Priya (a name after "not"
is set aside), "Ana or Tom?" names two and decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mentormail.inbound.intent_text import fold
from mentormail.inbound.types import Option

# "1. Priya Raman — Senior Product Manager, E-commerce" (quoted or not, any dash, or "-")
_LINE = re.compile(
    r"^[>\s]*(\d{1,2})[.)]\s+(?P<name>[^—–\n]{2,60}?)\s+(?:[—–]|-{1,2})\s+(?P<what>[^\n]{2,200})$",
    re.MULTILINE,
)
_TITLES = {"dr", "prof", "mr", "mrs", "ms", "mx", "sr", "sra", "srta", "herr", "frau", "mme",
           "mlle", "m", "dra", "professor", "doctor"}  # fmt: skip
_COMMON = {  # words a description shares with ordinary replies: never a pick on their own
    "class", "senior", "junior", "lead", "head", "group", "manager", "with", "from", "turned",
    "and", "the", "for", "of", "in", "at", "de", "la", "el", "le", "und", "der", "die", "das",
    "em", "do", "da", "des", "du", "en", "y", "e", "et",
}  # fmt: skip
_NEGATORS = {"not", "no", "nicht", "kein", "keine", "pas", "non", "nao", "ni", "不", "不要"}
_LAST = re.compile(
    r"(?<![\w'])(?:(?:the )?last (?:one|mentor|option|person|name)|the last(?= *[.!]* *$)"
    r"|(?:den |die |der )?letzte[nr]?(?: (?:mentor|mentorin|option))?(?= *[.!]* *$)"
    r"|(?:el |la |o |a )?ultim[oa](?: (?:mentor|mentora|opcion|opcao))?(?= *[.!]* *$)"
    r"|(?:le |la )?derni[eè]re?(?= *[.!]* *$)|le dernier|la derniere)(?![\w'])|最后一位|最后一个"
)
_WORD = re.compile(r"[\w']+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Named:
    """Which options a reply names, and how (for ``why``)."""

    picked: int | None  # the 1-based option, when exactly one is named
    named: tuple[int, ...]  # every option named (by name or description)
    how: str


def quoted_options(body: str) -> tuple[Option, ...]:
    """The numbered list in a message's text (its quote of the email answered), if any:
    lines "1. Name — what they do", numbered from 1 without a gap."""
    found: list[Option] = []
    for m in _LINE.finditer(body[:20000]):
        number = int(m.group(1))
        if number == 1:
            found = []
        if number != len(found) + 1:
            continue
        found.append(Option(m.group("name").strip(" *"), m.group("what").strip(" *")))
    return tuple(found) if len(found) >= 2 else ()


def named_option(folded: str, options: Sequence[Option]) -> Named:
    """The option a folded reply names by name, by a word only its description has, or as
    "the last one"; ``picked`` is None unless exactly one option is named."""
    if not options:
        return Named(None, (), "")
    words = [w.removesuffix("'s") for w in _WORD.findall(folded)]
    negated = {w for k, w in enumerate(words) if k and words[k - 1] in _NEGATORS}
    present = set(words) - negated
    by_name = [k for k, o in enumerate(options, start=1) if _names(o) & present
               or _cjk_named(o, folded)]  # fmt: skip
    unique = _distinctive(options)
    by_what = [k for k, o in enumerate(options, start=1) if unique[k - 1] & present]
    by_last = [len(options)] if _LAST.search(folded) else []
    named = tuple(sorted({*by_name, *by_what, *by_last}))
    how = "by name" if by_name else "by what they do" if by_what else "the last one"
    if len(named) == 1:
        return Named(named[0], named, how)
    return Named(None, named, "names several options" if named else "")


def _names(option: Option) -> set[str]:
    """The folded words of an option's name, without titles ("Dr. Kofi Mensah": kofi, mensah)."""
    return {w for w in _WORD.findall(fold(option.name)) if w not in _TITLES and len(w) > 1}


def _cjk_named(option: Option, folded: str) -> bool:
    """A Chinese name written in the reply (the whole name, the given name of two, or the
    surname with a title: "张老师" for 张敏)."""
    name = "".join(_CJK.findall(fold(option.name)))
    if len(name) < 2:
        return False
    if name in folded or (len(name) >= 3 and name[1:] in folded):
        return True
    return bool(re.search(f"{name[0]}{_CJK_TITLES}", folded))


# what follows a surname to name a person politely: 张老师, 李先生, 王女士, 陈经理
_CJK_TITLES = "(?:老师|先生|女士|小姐|经理|导师|校长|教授|博士|总)"


def _distinctive(options: Sequence[Option]) -> list[set[str]]:
    """Per option, the words of its description that no other option's description has."""
    described = [{w for w in _WORD.findall(fold(o.description))
                  if len(w) >= 4 and not w.isdigit() and w not in _COMMON}
                 for o in options]  # fmt: skip
    return [words - set().union(*(d for j, d in enumerate(described) if j != k))
            for k, words in enumerate(described)]  # fmt: skip


NAME_MARK = "mentorname"  # what the second opinion reads in place of an offered mentor's name


def option_words(options: Sequence[Option]) -> set[str]:
    """The folded words of the offered mentors' names."""
    return {w for o in options for w in _names(o)}


def masked(folded: str, options: Sequence[Option]) -> str:
    """A folded reply with the offered mentors' names written as one mark, so the second
    opinion, which never sees the list, reads "Daniel please" as any "<name> please"."""
    words = option_words(options)
    cjk = {"".join(_CJK.findall(fold(o.name))) for o in options} - {""}
    if not words and not cjk:
        return folded
    out = _WORD.sub(lambda m: NAME_MARK if m.group(0).removesuffix("'s") in words
                    else m.group(0), folded)  # fmt: skip
    for name in sorted(cjk, key=len, reverse=True):
        out = out.replace(name, f" {NAME_MARK} ")
    for surname in {name[0] for name in cjk}:
        out = re.sub(f"{surname}{_CJK_TITLES}", f" {NAME_MARK} ", out)
    return out
