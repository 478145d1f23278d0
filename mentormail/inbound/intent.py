"""Understand what a reply means in the context of the message it answers.

Pure and fast: precompiled patterns, a bounded read, no models. The rule of the
house is that a clear intent acts and an unclear one never does, so ``clear`` is
True only when the reply says one thing plainly:

* signals are phrases from ``intent_lexicon`` (six languages), each strong or weak;
  a "not"/"no"/"ne...pas"/"nicht"/"不" next to one flips a yes/no signal or drops
  an anywhere-intent ("he was not rude");
* one side with a strong signal and the other with at most weak ones is clear
  ("Sorry for the wait - yes, happy to!"); strong signals on both sides are unclear,
  except a yes, then "but", then a no ("I'd love to, but I can't"), which declines;
* a hedge ("maybe", "not sure", "let me think") up to the sentence of the first
  decision, or a condition ("only if", "as long as") anywhere, makes it unclear;
* an unclear reply is ``OTHER`` with ``candidates`` (best guess first) for the
  "did you mean...?" email;
* ``question`` is set when the text asks something; a clear yes that also asks
  ("Yes! Could you tell me more about her goals?") still accepts, with
  ``question=True``, so the service passes the question on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mentormail.inbound import intent_lexicon as lex
from mentormail.inbound.intent_numbers import read_choice, read_rating
from mentormail.inbound.intent_text import fold, new_text
from mentormail.inbound.types import Context, Intent, Understanding

_BLANK_IN_NEGATION_VIEW = {lex.NEUTRAL, lex.SOFT_YES, lex.HEDGE, lex.CONDITION}
_ANYWHERE = (Intent.STOP, Intent.REPORT_PROBLEM, Intent.PAUSE, Intent.AVAILABLE)
_POLES: dict[Context, tuple[Intent, Intent]] = {
    Context.REQUEST: (Intent.ACCEPT, Intent.DECLINE),
    Context.CHECKIN: (Intent.MET, Intent.NOT_YET),
    Context.WRAPUP: (Intent.CONTINUE, Intent.END),
}
_COMMON = (*lex.NEUTRAL_RULES, *lex.EARLY_YES_NO, *lex.HEDGE_RULES, *lex.CONDITION_RULES,
           *lex.ANYWHERE_RULES)  # fmt: skip
_PARTICLES = (*lex.NO_PARTICLES, *lex.YES_PARTICLES)
_RULES: dict[Context, tuple[lex.Rule, ...]] = {
    Context.REQUEST: (*_COMMON, *lex.DECLINE_RULES, *lex.ACCEPT_RULES, *_PARTICLES),
    Context.CHECKIN: (*_COMMON, *lex.HELP_RULES, *lex.MET_RULES, *_PARTICLES),
    Context.WRAPUP: (*_COMMON, *lex.CONTINUE_RULES, *_PARTICLES),
    Context.SURVEY: _COMMON,
    Context.SEARCH: _COMMON,
    Context.GENERAL: _COMMON,
}
_CLAUSE_END = re.compile(r"[,.;:!?\n。！？]")
_TOKEN = re.compile(r"[\w']+")
_FILLER = re.compile(
    r"please|pls|por favor|s'il vous plait|s'il te plait|bitte|请|[^\w]+", re.UNICODE
)
_QUESTION_WORDS = re.compile(
    r"""(?:^|[.!\n]\s*)(?:
        (?:can|could|would|will|do|does|did|is|are|should|may|shall|have|has)\s+
            (?:you|i|we|she|he|it|there|they|someone|anyone)\b
      | (?:what|when|where|who|why|how|which)\s+(?:is|are|do|does|did|can|could|would|should
            |will|was|were|time|day|kind|sort|about|much|many|long|often|exactly)\b
      | (?:qué|cuándo|dónde|quién|cómo|cuál|cuánto|cuántos|por\s+qué|puedes|podrías|podría)\b
      | (?:est-ce\s+que|qu'est-ce|pourriez-vous|pouvez-vous|peux-tu|pourquoi|y\s+a-t-il
            |\w+-(?:vous|tu|il|elle|on)\b)
      | (?:können\s+sie|könnten\s+sie|kannst\s+du|könntest\s+du|haben\s+sie|hast\s+du|gibt\s+es
            |ist\s+es|wäre\s+es|wann|warum|wieso|weshalb|welche[rsmn]?)\b
      | (?:pode|poderia|podes|você\s+pode|vocês\s+podem|qual|quais|onde|quem|por\s+que)\b
      | (?:i\s+wonder|i\s+was\s+wondering)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_ZH_QUESTION = re.compile(
    r"吗|呢[\s。？?]*$|是什么|什么时候|有什么|做什么|怎么|为什么|哪|几点|是否|能否|可否|多少"
)
_RHETORICAL = re.compile(
    r"why not\s*\?|¿?\s*por qu[ée] no\s*\?|pourquoi pas\s*\?|warum nicht\s*\?|por que não\s*\?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Hit:
    """One signal found in the reply."""

    tag: lex.Tag
    strong: bool
    start: int
    end: int


@dataclass(frozen=True)
class _Reading:
    """Everything found in a reply before deciding."""

    clean: str
    folded: str
    hits: tuple[_Hit, ...]
    question: bool
    hedged: bool
    conditional: bool


def understand(text: str, context: Context) -> Understanding:
    """What a reply means in its context; ``clear`` only when it is safe to act on."""
    reading = _read(text, context)
    if not reading.folded.strip():
        return Understanding(Intent.OTHER, clear=False, reasons=("empty reply",))
    found = _decide_context(reading, context)
    return _with_anywhere(reading, context, found)


def _read(text: str, context: Context) -> _Reading:
    """Clean, fold and scan a reply."""
    clean = new_text(text)
    folded = fold(clean)
    hits = _scan(folded, _RULES[context])
    first = min((h.start for h in hits if (h.strong and isinstance(h.tag, Intent)) or
                 (h.strong and h.tag in (lex.YES, lex.NO))), default=None)  # fmt: skip
    limit = len(folded) if first is None else _sentence_end(folded, first)
    return _Reading(
        clean=clean,
        folded=folded,
        hits=tuple(h for h in hits if h.tag not in (lex.HEDGE, lex.CONDITION, lex.NEUTRAL)),
        question=asks_question(clean),
        hedged=any(h.tag == lex.HEDGE and h.start < limit for h in hits),
        conditional=any(h.tag == lex.CONDITION for h in hits),
    )


def _sentence_end(folded: str, pos: int) -> int:
    """Where the sentence holding ``pos`` ends."""
    m = lex.SENTENCE_END.search(folded, pos)
    return m.end() if m else len(folded)


def _scan(folded: str, rules: Sequence[lex.Rule]) -> list[_Hit]:
    """Every signal, longest phrases first, each span read once."""
    masked, negview = folded, folded
    keys = lex.text_keys(folded)
    hits: list[_Hit] = []
    for rule in rules:
        if rule.gate is not None and rule.gate.isdisjoint(keys):
            continue
        spans = [m.span() for m in rule.pattern.finditer(masked) if m.end() > m.start()]
        for start, end in spans:
            tag: lex.Tag | None = rule.tag
            if rule.negatable and _negated(negview, start, end):
                tag = _flipped(rule.tag)
            if tag is not None:
                hits.append(_Hit(tag, rule.strong, start, end))
        masked = _blank(masked, spans)
        if rule.tag in _BLANK_IN_NEGATION_VIEW:
            negview = _blank(negview, spans)
    return hits


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the spans hidden (same length; the mark is neither word nor space,
    so a phrase cannot match across a hidden span)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = lex.MASK * (end - start)
    return "".join(chars)


def _flipped(tag: lex.Tag) -> lex.Tag | None:
    """A negated yes is a no and the other way round; a negated anywhere-intent is nothing."""
    flips: dict[lex.Tag, lex.Tag] = {
        lex.YES: lex.NO, lex.NO: lex.YES, Intent.MET: Intent.NOT_YET,
        Intent.CONTINUE: Intent.END, Intent.END: Intent.CONTINUE,
    }  # fmt: skip
    return flips.get(tag)


def _negated(view: str, start: int, end: int) -> bool:
    """Whether a negation word sits next to the span, within its clause."""
    if lex._is_cjk(view[start]):
        before = view[max(0, start - 2) : start]
        before = before[_last_clause_break(before) :]
        return any(ch in lex.CJK_NEGATORS for ch in before)
    clause = view[_last_clause_break(view[:start]) : start]
    if any(_is_negator(t) for t in _TOKEN.findall(clause)[-3:]):
        return True
    after = view[end:]
    m = _CLAUSE_END.search(after)
    following = _TOKEN.findall(after[: m.start() if m else len(after)])[:3]
    return any(t in lex.POST_NEGATORS for t in following)


def _last_clause_break(text: str) -> int:
    """The index just after the last clause break in ``text`` (0 if none)."""
    breaks = [m.end() for m in _CLAUSE_END.finditer(text)]
    return breaks[-1] if breaks else 0


def _is_negator(token: str) -> bool:
    """Whether a word negates what follows it."""
    return token in lex.NEGATORS or token.startswith("n'")


def asks_question(clean: str) -> bool:
    """Whether the text asks something ("?", "¿", or an interrogative form)."""
    text = _RHETORICAL.sub("", clean)
    if "?" in text or "？" in text or "¿" in text:
        return True
    return bool(_QUESTION_WORDS.search(text) or _ZH_QUESTION.search(text))


def _decide_context(reading: _Reading, context: Context) -> Understanding:
    """The context's own intent, before the intents valid anywhere are weighed."""
    if context is Context.SURVEY:
        return _rating(reading)
    if context is Context.SEARCH:
        return _choice(reading)
    if context is Context.GENERAL:
        return _plain(reading, Intent.OTHER, clear=True)
    standalone = _standalone(reading.folded)
    if context is Context.WRAPUP and standalone is Intent.END:
        return _plain(reading, Intent.END, clear=True, reasons=("the one word 'end'",))
    if context is Context.CHECKIN and any(h.tag is Intent.HELP and h.strong for h in reading.hits):
        return _plain(reading, Intent.HELP, clear=True, reasons=("asks for help",))
    return _binary(reading, context, *_POLES[context])


def _binary(reading: _Reading, context: Context, yes: Intent, no: Intent) -> Understanding:
    """A yes/no context (request, check-in, wrap-up): one side, or unclear."""
    pos = [h for h in reading.hits if h.tag in (lex.YES, yes) or
           (h.tag == lex.SOFT_YES and context is Context.REQUEST)]  # fmt: skip
    neg = [h for h in reading.hits if h.tag in (lex.NO, no)]
    all_poles = (yes, no, Intent.HELP) if context is Context.CHECKIN else (yes, no)
    strong_pos = [h for h in pos if h.strong]
    strong_neg = [h for h in neg if h.strong]
    if strong_pos and strong_neg and _yes_but_no(reading.folded, strong_pos, strong_neg):
        strong_pos = []
    side, why = _side(pos, neg, strong_pos, strong_neg, yes, no)
    guess = (side,) if side is not None else ()
    candidates = (*guess, *(p for p in all_poles if p not in guess))
    if side is None or why != "clear":
        why = "hedged" if reading.hedged else why if side is None else f"only {why} signals"
        return _unclear(reading, candidates, why)
    if reading.hedged:
        return _unclear(reading, candidates, "hedged")
    if reading.conditional:
        return _unclear(reading, candidates, "a condition")
    why = f"{side.value}: {_quote(reading, side, pos, neg)}"
    return _plain(reading, side, clear=True, reasons=(why,))


def _side(pos: list[_Hit], neg: list[_Hit], strong_pos: list[_Hit], strong_neg: list[_Hit],
          yes: Intent, no: Intent) -> tuple[Intent | None, str]:  # fmt: skip
    """Which side the signals favour, and whether plainly ("clear") or only weakly."""
    if strong_pos and strong_neg:
        return None, "both yes and no"
    if strong_pos:
        return yes, "clear"
    if strong_neg:
        return no, "clear"
    if pos and not neg:
        return yes, "weak"
    if neg and not pos:
        return no, "weak"
    return None, "no yes or no" if not pos else "both yes and no"


def _yes_but_no(folded: str, strong_pos: list[_Hit], strong_neg: list[_Hit]) -> bool:
    """Whether it is "I'd love to, but I can't": all yeses, then a "but", then a no."""
    last_yes = max(h.end for h in strong_pos)
    first_no = min(h.start for h in strong_neg)
    if last_yes > first_no:
        return False
    return any(last_yes <= m.start() <= first_no + 8 for m in lex.CONTRAST.finditer(folded))


def _quote(reading: _Reading, side: Intent, pos: list[_Hit], neg: list[_Hit]) -> str:
    """The words a decision rests on, for the record."""
    hits = [h for h in (pos if side in (Intent.ACCEPT, Intent.MET, Intent.CONTINUE) else neg)
            if h.strong] or pos or neg  # fmt: skip
    return ", ".join(repr(reading.clean[h.start : h.end]) for h in hits[:3])


def _rating(reading: _Reading) -> Understanding:
    """A survey reply: one whole 1-5 rating, plus the comment."""
    found = read_rating(reading.folded)
    if found.value is None or found.span is None:
        why = found.problem or "no rating"
        return _unclear(reading, (Intent.RATING,), why, comment=reading.clean)
    start, end = found.span
    comment = (reading.clean[:start] + " " + reading.clean[end:]).strip(" \t\n-–—:,.;/)!")
    if found.loose or reading.hedged:
        why = "a number mid-sentence" if found.loose else "hedged"
        return Understanding(Intent.OTHER, clear=False, rating=found.value,
                             question=reading.question, candidates=(Intent.RATING,),
                             comment=comment, reasons=(why,))  # fmt: skip
    return Understanding(Intent.RATING, clear=True, rating=found.value, question=reading.question,
                         comment=comment, reasons=(f"rating {found.value}",))  # fmt: skip


def _choice(reading: _Reading) -> Understanding:
    """A reply to a numbered list: the option picked, else new search words."""
    found = read_choice(reading.folded)
    if found.value is not None:
        if reading.hedged:
            return Understanding(Intent.OTHER, clear=False, choice=found.value,
                                 question=reading.question, candidates=(Intent.CHOOSE,),
                                 comment=reading.clean, reasons=("hedged",))  # fmt: skip
        return Understanding(Intent.CHOOSE, clear=True, choice=found.value,
                             question=reading.question, comment=reading.clean,
                             reasons=(f"option {found.value}",))  # fmt: skip
    if found.problem in ("several numbers",) or (found.problem or "").startswith("several"):
        return _unclear(reading, (Intent.CHOOSE,), found.problem or "")
    if _is_acknowledgement(reading):
        return _unclear(reading, (Intent.CHOOSE,), "a thank-you, not a choice or keywords")
    return _plain(reading, Intent.OTHER, clear=True, reasons=("not a choice: new keywords",))


_ACK = re.compile(
    r"(?:thanks?|thank you|thx|ok|okay|yes|great|cool|perfect|gracias|vale|merci|danke|ja|oui|si"
    r"|sim|obrigad[oa]|谢谢|好的|好|👍|[^\w])*"
)


def _is_acknowledgement(reading: _Reading) -> bool:
    """Whether a reply is only thanks/ok (neither a choice nor search words)."""
    return bool(_ACK.fullmatch(reading.folded.strip()))


def _standalone(folded: str) -> Intent | None:
    """The intent of a one-word reply such as "STOP" or "pause"."""
    word = _FILLER.sub("", folded)
    for intent, words in lex.STANDALONE.items():
        if word in words:
            return intent
    return None


def _with_anywhere(reading: _Reading, context: Context, found: Understanding) -> Understanding:
    """Weigh stop / report / pause / available against the context's own answer."""
    seen = {h.tag for h in reading.hits if h.tag in _ANYWHERE}
    standalone = _standalone(reading.folded)
    if standalone in _ANYWHERE:
        seen.add(standalone)
    if not seen:
        return found
    if Intent.REPORT_PROBLEM in seen:
        return _replace(found, Intent.REPORT_PROBLEM, clear=True, why="reports a problem")
    wanted = [i for i in _ANYWHERE if i in seen]
    if len(wanted) > 1:
        return _unclear(reading, tuple(wanted), "asks for " + " and ".join(wanted), base=found)
    intent = wanted[0]
    positive = found.intent in (Intent.ACCEPT, Intent.CONTINUE)
    if intent is Intent.AVAILABLE and positive:
        return found
    if positive:
        both = (found.intent, intent)
        return _unclear(reading, both, f"{found.intent.value} and {intent.value}", base=found)
    if found.intent is Intent.DECLINE and intent is Intent.AVAILABLE:
        return _unclear(reading, (intent, Intent.DECLINE), "available yet declining", base=found)
    if reading.hedged:
        return _unclear(reading, (intent,), "hedged", base=found)
    return _replace(found, intent, clear=True, why=f"asks for {intent.value}")


def _replace(found: Understanding, intent: Intent, *, clear: bool, why: str) -> Understanding:
    """The same reading with another intent (a rating or choice found is kept)."""
    return Understanding(intent, clear=clear, rating=found.rating, choice=found.choice,
                         question=found.question, comment=found.comment,
                         reasons=(why, *found.reasons))  # fmt: skip


def _plain(reading: _Reading, intent: Intent, *, clear: bool,
           reasons: tuple[str, ...] = ()) -> Understanding:  # fmt: skip
    """An intent with the reply's question flag and text."""
    return Understanding(intent, clear=clear, question=reading.question, comment=reading.clean,
                         reasons=reasons)  # fmt: skip


def _unclear(
    reading: _Reading,
    candidates: tuple[Intent, ...],
    why: str,
    *,
    comment: str | None = None,
    base: Understanding | None = None,
) -> Understanding:
    """An answer that must not act: OTHER, with what it might mean."""
    return Understanding(
        Intent.OTHER,
        clear=False,
        rating=base.rating if base else None,
        choice=base.choice if base else None,
        question=reading.question,
        candidates=tuple(dict.fromkeys(c for c in candidates if c is not Intent.OTHER)),
        comment=reading.clean if comment is None else comment,
        reasons=(why,),
    )
