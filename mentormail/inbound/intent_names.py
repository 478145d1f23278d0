"""People's names and long numbers as marks, for the second opinion: it learns kinds of reply.

The second opinion (``intent_model``) learns from a few thousand replies; fitted on them as
written, it learns that "Nico" goes with a low rating or "Ana" with a yes. So it reads a
person's name as ``personname`` and a number of two or more digits as ``00``, in training
and when reading. A name is a word of the sender's display name, of a name in the email
answered (its greeting, "Sam Rivera", "with Aziz", "Marta y tú"), of a name the service
passes (the pair's), or a capitalised word right after a greeting in the reply ("Thanks
Ana!"); in the reply it counts only where it is capitalised, at a sentence's start too
("Sam sounds great"), never as a common word ("may", "grace").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from mentormail.inbound.intent_options import masked, option_words
from mentormail.inbound.intent_text import fold
from mentormail.inbound.types import Option

PERSON_MARK = "personname"
NUMBER_MARK = "00"
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALISED = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*")
_NUMBER = re.compile(r"\d{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_GREETINGS = (
    r"hi|hello|hey|dear|thanks|thank you|cheers|hola|gracias|querid[oa]|estimad[oa]|bonjour"
    r"|salut|merci|cher|chère|hallo|liebe[rs]?|danke|moin|servus|ol[áa]|oi|obrigad[oa]"
    r"|car[oa]|prezad[oa]|bom dia|boa tarde"
)
_TITLES = r"dr|prof|mr|mrs|ms|mx|sr|sra|srta|herr|herrn|frau|mme|mlle|dra"
_NAME = r"[^\W\d_][\w'’-]*"
_AFTER_GREETING = re.compile(
    rf"(?<![\w])(?:{_GREETINGS})[ \t]+(?:(?:{_TITLES})\.?[ \t]+)?({_NAME}(?:[ \t]+{_NAME})?)",
    re.IGNORECASE,
)
# "continue with Aziz", "you and Tian Xin", "Frau Vogel" (German capitalises nouns: not "mit")
_WITH = re.compile(rf"(?<![\w])(?:with|con|avec|com|and|y|et|{_TITLES})\.?[ \t]+({_NAME})")
_YOU = (
    r"(?:y tú|y usted|y yo|and you|and i|et vous|et toi|et moi|und sie|und du|und ich|e você"
    r"|e tu|e eu)(?![\w])"
)
_AND_YOU = re.compile(rf"({_NAME})[ \t]+{_YOU}", re.IGNORECASE)  # "Marta y tú", "Daniel and I"
# what every "Marta y tú" holds: most texts lack it, and the search that finds none is quick
_AND_YOU_TAIL = re.compile(rf"[ \t]{_YOU}", re.IGNORECASE)
# from a capital only (A-Z, or any letter outside ASCII): a run needs one, and trying every
# other word was most of the names' time
_RUN = re.compile(
    rf"(?=(?<![\w'’-])(?=[A-Z]|[^\x00-\x7f])({_NAME})[ \t]+({_NAME})(?:[ \t]+({_NAME}))?)"
)
_CJK_GREETING = re.compile(r"([\u3400-\u9fff]{2,4}?)(?:先生|女士|老师|同学)?[，,\s]*(?:您好|你好)")
_NOT_NAMES = {
    fold(w)
    for w in (
        "january february march april may june july august september october november december "
        "januar februar märz juni juli oktober dezember enero febrero marzo abril mayo junio julio "
        "agosto septiembre octubre noviembre diciembre janvier février mars avril mai juin "
        "juillet août septembre octobre novembre décembre janeiro fevereiro março maio junho "
        "julho setembro outubro novembro dezembro monday tuesday wednesday thursday friday "
        "saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag lunes "
        "martes miércoles jueves viernes sábado domingo lundi mardi mercredi jeudi vendredi "
        "samedi dimanche i you we he she they sie du ich wir er es ihr je tu nous vous il elle "
        "yo él ella eu ele ela re aw fw fwd wg tr rv the a an el la le les los las der die das "
        "dr prof mr mrs ms herr frau mme m sr sra srta dra mentor mentee mentoring mentorship "
        "mentors program programme programa programm mentorat mentoria mentoría team equipo "
        "équipe hi hello hola hallo bonjour thanks merci gracias danke ihnen euch ihre ihr your "
        "quick"
    ).split()
}


def names_in(display_name: str | None, subject: str | None = None, quote: str | None = None,
             *known: str) -> frozenset[str]:  # fmt: skip
    """The folded name words of the sender's display name, the subject and quote of the email
    a reply answers, and names the service knows (the pair's)."""
    found = _display_name(display_name or "")
    for name in known:
        found.update(_display_name(name))
    if subject:  # "Re: Sam Rivera would like you as a mentor", "continue with Aziz?"
        found.update(_names_of(subject, before=""))
    if quote:  # "Hi Neil,", "Nina Alvarez (Business Administration…)", "with Olivia"
        found.update(_names_of(quote, before="("))
    return frozenset(w for w in found if len(w) > 1 and w not in _NOT_NAMES)


def _display_name(name: str) -> set[str]:
    """The words of a display name ("Ana Lima", "Dr. Kofi Mensah", "吴倩" and "倩")."""
    cjk = "".join(_CJK.findall(name))
    if cjk:
        return {cjk, cjk[1:]} if len(cjk) >= 3 else {cjk}
    return {fold(w) for w in _WORD.findall(name) if _is_capitalised(w)}


def _names_of(text: str, before: str) -> set[str]:
    """Name words of a text: greeted, after "with"/"and"/a title, before "and you", or two or
    three capitalised words in a row followed by ``before``; none it also writes small."""
    found: set[str] = set()
    lowered: set[str] = set()
    for line in text.split("\n"):  # no pattern but the CJK greeting spans a line break
        names, small = _line_names(line, before) if len(line) <= _LINE_CACHED else (
            _names_of_line(line, before))  # fmt: skip
        found.update(names)
        lowered.update(small)
    found -= lowered
    if "好" in text:  # what every CJK greeting holds (您好, 你好)
        for m in _CJK_GREETING.finditer(text):
            found.update(_display_name(m.group(1)))
    return found


_LINE_CACHED = 400  # characters of a line whose names are remembered


@lru_cache(maxsize=8192)
def _line_names(line: str, before: str) -> tuple[frozenset[str], frozenset[str]]:
    """``_names_of_line``, remembered: replies quote our own emails, so the same lines (all
    but those with a name or a link) come back reply after reply."""
    return _names_of_line(line, before)


def _names_of_line(line: str, before: str) -> tuple[frozenset[str], frozenset[str]]:
    """The folded name words one line holds (the patterns of ``_names_of``), and the folded
    words it writes small."""
    patterns = (_AFTER_GREETING, _WITH, _AND_YOU) if _AND_YOU_TAIL.search(line) else (
        _AFTER_GREETING, _WITH)  # fmt: skip
    words = [w for pattern in patterns
             for m in pattern.finditer(line) for w in m.group(1).split()]  # fmt: skip
    words.extend(w for run in _capitalised_runs(line, before) for w in run)
    folded = fold(line)  # as long as ``line``: a word's fold is its span's
    lowered = frozenset(folded[m.start() : m.end()] for m in _WORD.finditer(line)
                        if line[m.start()].islower())  # fmt: skip
    return frozenset(fold(w) for w in words if _is_capitalised(w)), lowered


def _capitalised_runs(text: str, before: str) -> list[list[str]]:
    """Runs of two or three capitalised words ("Sam Rivera") followed by ``before``."""
    runs = []
    for m in _RUN.finditer(text):
        first, second, third = m.groups()
        if not (first[0].isupper() and second[0].isupper()):  # most runs: not capitalised
            continue
        words = [first, second, third] if third and _is_capitalised(third) else [first, second]
        end = m.end(len(words))
        while text[end : end + 1] in (" ", "\t"):  # what follows, after spaces and tabs
            end += 1
        if _is_capitalised(first) and _is_capitalised(second) and text.startswith(before, end):
            runs.append(words)
    return runs


def _is_capitalised(word: str) -> bool:
    """A word written with a capital and then small letters ("Ana", "Lucía", not "END")."""
    return bool(_CAPITALISED.fullmatch(word)) and word[0].isupper() and not word.isupper()


def masked_names(clean: str, names: Iterable[str] = ()) -> str:
    """A clean reply, folded, with people's names as ``personname`` and numbers of two or more
    digits as ``00`` (same cleaning and folding as the rules read it, then marked)."""
    known = set(names)
    greeted = {fold(w) for pattern in (_AFTER_GREETING, _WITH, _AND_YOU)
               for m in pattern.finditer(clean)
               for w in m.group(1).split() if _is_capitalised(w)} - _NOT_NAMES  # fmt: skip
    people = known | greeted
    folded = fold(clean)  # as long as ``clean``: its spans are the same
    parts, last = [], 0
    for m in _WORD.finditer(clean):
        word = m.group(0)
        if not word[0].isupper() or not _is_capitalised(word):
            continue
        if folded[m.start() : m.end()].removesuffix("'s") in people:
            parts.append(folded[last : m.start()])
            parts.append(PERSON_MARK)
            last = m.end()
    parts.append(folded[last:])
    out = "".join(parts)
    for name in sorted((n for n in known if _CJK.fullmatch(n)), key=len, reverse=True):
        out = out.replace(name, f" {PERSON_MARK} ")
    return _NUMBER.sub(NUMBER_MARK, out)


def model_text(clean: str, names: Iterable[str] = (), options: Sequence[Option] = ()) -> str:
    """A clean reply as the second opinion reads it: folded, people as ``personname``, long
    numbers as ``00``, and the mentors a search reply was offered as ``mentorname``."""
    if not options:
        return masked_names(clean, names)
    return masked(masked_names(clean, set(names) - option_words(options)), options)


QUOTE_CHARS = 3000  # the names of the email answered are in its first lines


def quote_of(text: str, reply: str) -> str:
    """The start of a message's text other than its new reply: the email it answers."""
    return (text.replace(reply, "", 1) if reply else text)[:QUOTE_CHARS]
