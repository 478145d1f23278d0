"""Extract the new text of a reply: no quoted mail, no signature, no disclaimer.

Each line is classified (empty, delimiter, mobile signature, quote header, header,
quote, text) and rules over the resulting string of classes decide where the reply
ends. The approach and several rules are ported from discourse/email_reply_trimmer
(MIT licence, https://github.com/discourse/email_reply_trimmer); the sign-off,
sender-name, disclaimer and per-convention rules are ours.

``style`` chooses whose idea of "the reply" to follow. The service uses the default,
which is what a mentorship program wants. The others reproduce the labelling
conventions of other parsers' test suites so that we can be measured against them:

- ``default``: new text only: no quote (interleaved quotes removed too), no
  signature, no sign-off ("Thanks,\\nAlex"), no "Sent from my ...", no disclaimer.
- ``discourse``: email_reply_trimmer's: sign-offs kept, quotes that come before
  new text kept.
- ``github``: github/email_reply_parser's: like discourse, and an attribution line
  ("On ... wrote:") above kept quotes stays too; "-Name" signatures removed.
- ``talon``: mailgun/talon's extract_from_plain: only the quotation is removed,
  signatures ("-- " blocks, "Sent from my iPhone") are kept.
- ``mail_parser_reply``: like github, but the Outlook separator line above a
  quoted header block is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile
from typing import Final, Literal

from mentormail.inbound import extract_patterns as pat
from mentormail.inbound.htmltext import html_to_text

Style = Literal["default", "discourse", "github", "talon", "mail_parser_reply"]

MAX_CHARS: Final = 200_000  # a reply's own text ends long before this; bounds the work
MAX_LINES: Final = 4_000
_JOIN_LOOKAHEAD: Final = 5  # lines an attribution may be wrapped over
_JOIN_MAX_CHARS: Final = 400
_CACHED_CHARS: Final = 300  # the longest line whose class is remembered
_SIGNATURE_MAX_LINES: Final = 8
_BLOCK_MAX_LINES: Final = 16  # name, titles, company and address lines above a footer
_MIN_REPLY_WORDS: Final = 4  # a legal notice is cut only below at least this much reply
_SIGNATURE_CUTS: Final = 4  # block, name, closing, a name signed above the block
_SIGNATURE_SCAN_LINES: Final = 80  # a signature and its footers start within the last lines
# Answers that a short form of a name could spell ("No" from Noah, "Met" from Mette).
_ANSWER_WORDS: Final = frozenset(
    {"no", "ok", "si", "ja", "da", "ne", "oi", "ya", "ye", "yes", "yep", "met", "end", "stop",
     "help", "sure", "done", "fine", "pause", "maybe", "later", "accept", "decline", "continue",
     "oui", "non", "nein", "sim", "nao", "fin", "ende", "vale", "claro", "bien", "gern", "gerne"}
)  # fmt: skip
_SIGNATURE_LINE_MAX: Final = 90

EMPTY, DELIM, MOBILE, EMBED, HEADER, QUOTE, TEXT, KEEP = "edsbhqtx"


@dataclass(frozen=True)
class _Rules:
    """What one labelling convention counts as part of the reply."""

    cut_at_delimiter: bool = True  # "-- ", "____": what follows is a signature or footer
    drop_mobile_signatures: bool = True
    keep_interleaved_quotes: bool = False
    keep_interleaved_attribution: bool = False
    keep_outlook_separator: bool = False
    drop_dash_name: bool = True
    drop_sign_off: bool = False
    drop_disclaimer: bool = False
    drop_isolated_headers: bool = False  # a lone "Date: ..." line is read as a header


_STYLES: Final[dict[str, _Rules]] = {
    "default": _Rules(drop_sign_off=True, drop_disclaimer=True),
    "discourse": _Rules(
        keep_interleaved_quotes=True, drop_dash_name=False, drop_isolated_headers=True
    ),
    "github": _Rules(keep_interleaved_quotes=True, keep_interleaved_attribution=True),
    "talon": _Rules(
        cut_at_delimiter=False,
        drop_mobile_signatures=False,
        keep_interleaved_quotes=True,
        drop_dash_name=False,
    ),
    "mail_parser_reply": _Rules(keep_interleaved_quotes=True, keep_outlook_separator=True),
}

_REPLY_AT_END: Final = re.compile(r"^e*b[be]*q[eq]*t[te]*$")
_MARKER_NOT_QUOTING: Final = re.compile(r"te*b[^q]*$")
_WRAPPED_HEADERS: Final = re.compile(r"h+[hte]+h+e")
_HEADER_BLOCK: Final = re.compile(r"[tx][eq]*h{3,}")
_LONE_HEADER: Final = re.compile(r"(^|[^h])h(?!h)")
_TRAILING_QUOTES: Final = re.compile(r"[eq]+$")
_NEWLINES: Final = re.compile(r"\r\n?")
_BLANK_RUNS: Final = re.compile(r"\n{3,}")


def extract_reply(
    text: str,
    *,
    html: str | None = None,
    style: Style = "default",
    sender: str | None = None,
) -> str:
    """The text the sender just wrote, without the quoted mail, signature or disclaimer.

    ``html`` is used when there is no plain text. ``sender`` (a display name) lets the
    default style drop a trailing signature block that starts with the sender's name.
    """
    if (not text or not text.strip()) and html:
        text = html_to_text(html)
    if not text:
        return ""
    rules = _STYLES[style]
    lines = _NEWLINES.sub("\n", text[:MAX_CHARS]).split("\n")[:MAX_LINES]
    lines = _join_wrapped_attributions(lines)
    kinds = _classify(lines)
    lines, kinds = _trim(lines, kinds, rules)
    if all(k == EMPTY for k in kinds):
        return ""
    if not rules.keep_interleaved_quotes:
        lines, kinds = _drop(lines, kinds, QUOTE)
        lines = ["" if k == EMPTY else line for line, k in zip(lines, kinds, strict=True)]
        if TEXT not in kinds and KEEP not in kinds:
            return ""
    lines = _trim_signature(lines, rules, sender)
    return _BLANK_RUNS.sub("\n\n", "\n".join(line.rstrip() for line in lines)).strip()


def _classify(lines: list[str]) -> list[str]:
    """One class letter per line; lines inside ``` code fences are always text."""
    kinds: list[str] = []
    in_code = False
    for line in lines:
        if pat.CODE_FENCE.match(line):
            in_code = not in_code
            kinds.append(TEXT)
        elif in_code:
            kinds.append(TEXT)
        else:
            kinds.append(_kind(line))
    return kinds


def _kind(line: str) -> str:
    """The class of one line; a short one is looked up when it came before (replies quote our
    own emails, so the same lines come back reply after reply)."""
    return _known_kind(line) if len(line) <= _CACHED_CHARS else _line_kind(line)


@lru_cache(maxsize=4096)
def _known_kind(line: str) -> str:
    """``_line_kind``, remembered."""
    return _line_kind(line)


def _line_kind(line: str) -> str:
    """The class of one line."""
    if pat.EMPTY.match(line) or pat.BARE_QUOTE.match(line):
        return EMPTY
    if pat.DELIMITER.match(line):
        return DELIM
    if pat.is_footer(line):
        return MOBILE
    if _is_embedded_marker(line):
        return EMBED
    if pat.HEADER.match(line):
        return HEADER
    if pat.QUOTE.match(line):
        return QUOTE
    return TEXT


def _is_embedded_marker(line: str) -> bool:
    """True for a quote header ("On ... wrote:") or a forwarded/original-message marker."""
    if len(line) > _JOIN_MAX_CHARS:
        return False
    return _is_attribution(line) or bool(pat.FORWARD_MARKER.match(line))


@lru_cache(maxsize=4096)
def _is_attribution(line: str) -> bool:
    """``pat.is_attribution``, remembered (for lines of at most ``_JOIN_MAX_CHARS``)."""
    return pat.is_attribution(line)


@lru_cache(maxsize=4096)
def _may_start_attribution(line: str) -> bool:
    """``pat.ATTRIBUTION_START`` on a line of at most ``_JOIN_MAX_CHARS``, remembered: it is
    asked of every line, and replies quote our own emails line for line."""
    return pat.ATTRIBUTION_START.match(line) is not None


def _join_wrapped_attributions(lines: list[str]) -> list[str]:
    """Join quote headers that a client wrapped over several lines into one line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        joined_to = _wrapped_attribution_end(lines, i)
        if joined_to > i:
            wrapped = lines[i + 1 : joined_to + 1]
            parts = [line.rstrip()] + [p.strip().lstrip(">- \t") for p in wrapped]
            out.append(" ".join(p for p in parts if p))
            i = joined_to + 1
        else:
            out.append(line)
            i += 1
    return out


def _wrapped_attribution_end(lines: list[str], i: int) -> int:
    """Index of the last line of a wrapped attribution starting at line i, or i if none."""
    line = lines[i]
    if len(line) > _JOIN_MAX_CHARS or not _may_start_attribution(line):
        return i
    found = i if _is_embedded_marker(line) else -1
    joined = line.rstrip()
    j = i + 1
    while j < min(len(lines), i + 1 + _JOIN_LOOKAHEAD):
        nxt = lines[j].strip().lstrip(">- \t")
        if not nxt:
            if found >= 0 or not _short_continuation_after(lines, j):
                break
            j += 1
            continue
        if pat.HEADER.match(lines[j]):
            break
        joined = f"{joined} {nxt}"
        if len(joined) > _JOIN_MAX_CHARS:
            break
        if _is_attribution(joined):
            found = j
        elif found >= 0:
            break
        j += 1
    return max(found, i)


def _short_continuation_after(lines: list[str], j: int) -> bool:
    """True when the line after a blank one continues a wrapped address ("<", "mailto:")."""
    nxt = lines[j + 1].strip() if j + 1 < len(lines) else ""
    return nxt.startswith(("<", "mailto:", ">")) and len(nxt) < 80


def _trim(lines: list[str], kinds: list[str], rules: _Rules) -> tuple[list[str], list[str]]:
    """Cut the quoted mail, headers and footers; what remains is the reply (and signature)."""
    lines, kinds = _cut_at_delimiter(lines, kinds, rules)
    if rules.drop_mobile_signatures:
        lines, kinds = _drop(lines, kinds, MOBILE)
    else:
        kinds = [TEXT if k == MOBILE else k for k in kinds]
    pattern = "".join(kinds)
    if _REPLY_AT_END.match(pattern):
        start = pattern.index(TEXT)
        lines, pattern = lines[start:], pattern[start:]
    m = _MARKER_NOT_QUOTING.search(pattern)
    if m:
        lines, pattern = lines[: m.start() + 1], pattern[: m.start() + 1]
    if rules.keep_interleaved_attribution and TEXT in pattern:
        pattern = pattern.replace(EMBED, QUOTE)
    lines, pattern = _drop_str(lines, pattern, EMBED)
    m = _WRAPPED_HEADERS.search(pattern)
    if m:
        pattern = pattern[: m.start()] + HEADER * (m.end() - m.start()) + pattern[m.end() :]
    m = _HEADER_BLOCK.search(pattern)
    if m:
        lines, pattern = lines[: m.start() + 1], pattern[: m.start() + 1]
    if not rules.drop_isolated_headers:
        pattern = _LONE_HEADER.sub(lambda m: m.group(1) + TEXT, pattern)
    lines, pattern = _drop_str(lines, pattern, HEADER)
    if TEXT in pattern or KEEP in pattern:
        m = _TRAILING_QUOTES.search(pattern)
        if m:
            lines, pattern = lines[: m.start()], pattern[: m.start()]
    return lines, list(pattern)


def _cut_at_delimiter(
    lines: list[str], kinds: list[str], rules: _Rules
) -> tuple[list[str], list[str]]:
    """Cut at the first separator line that ends the reply, per the convention."""
    for i, kind in enumerate(kinds):
        if kind != DELIM:
            continue
        before_headers = _headers_follow(kinds, i)
        if not (rules.cut_at_delimiter or before_headers):
            kinds[i] = TEXT
            continue
        if before_headers and rules.keep_outlook_separator:
            return [*lines[:i], lines[i].strip()], [*kinds[:i], KEEP]
        return lines[:i], kinds[:i]
    return lines, kinds


def _headers_follow(kinds: list[str], i: int) -> bool:
    """True when a quoted header block (or a quote header) follows line i."""
    following = "".join(kinds[i + 1 : i + 12]).lstrip(EMPTY)
    return following.startswith((HEADER * 2, EMBED))


def _drop(lines: list[str], kinds: list[str], kind: str) -> tuple[list[str], list[str]]:
    """Remove every line of one class."""
    kept = [(line, k) for line, k in zip(lines, kinds, strict=True) if k != kind]
    return [line for line, _ in kept], [k for _, k in kept]


def _drop_str(lines: list[str], pattern: str, kind: str) -> tuple[list[str], str]:
    """Remove every line of one class, with the pattern as a string."""
    if kind not in pattern:
        return lines, pattern
    new_lines, new_kinds = _drop(lines, list(pattern), kind)
    return new_lines, "".join(new_kinds)


def _trim_signature(lines: list[str], rules: _Rules, sender: str | None) -> list[str]:
    """Drop a trailing '-Name', sign-off, sender-name block or disclaimer, per the rules."""
    end = _last_nonempty(lines) + 1
    if end == 0:
        return lines
    lines = lines[:end]
    if rules.drop_disclaimer:
        lines = _cut_disclaimer(_drop_banners(lines))
        end = _last_nonempty(lines) + 1
        if end == 0:
            return lines
        lines = lines[:end]
    if rules.drop_dash_name and pat.DASH_NAME.match(lines[-1]) and _has_text_before(lines, -1):
        lines = lines[:-1]
    if rules.drop_sign_off:
        lines = _cut_sign_off(lines, sender)
    return lines


def _last_nonempty(lines: list[str]) -> int:
    """Index of the last line with text, or -1."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i
    return -1


def _has_text_before(lines: list[str], index: int) -> bool:
    """True when some line before ``index`` has text."""
    return any(line.strip() for line in lines[:index])


def _drop_banners(lines: list[str]) -> list[str]:
    """Drop a gateway's banner paragraph above the reply and protective-marking lines, when
    the reply has other text."""
    kept = [line for line in lines if not pat.MARKING.match(line)]
    first = next((i for i, line in enumerate(kept) if line.strip()), len(kept))
    if first < len(kept) and pat.BANNER.match(kept[first]):
        end = next((j for j in range(first, len(kept)) if not kept[j].strip()), len(kept))
        kept = kept[:first] + kept[end:]
    return kept if any(line.strip() for line in kept) else lines


def _cut_disclaimer(lines: list[str]) -> list[str]:
    """Cut from the first paragraph that reads like a legal disclaimer or company notice."""
    words = 0  # of reply above line i
    for i, line in enumerate(lines):
        opens = words and pat.DISCLAIMER.match(line)
        if opens and pat.DISCLAIMER_WORDS.search(" ".join(lines[i : i + 2])):
            return lines[:i]
        if words >= _MIN_REPLY_WORDS and _is_legal_notice(lines, i):
            return lines[:i]
        words += len(line.split())
    return lines


def _is_legal_notice(lines: list[str], i: int) -> bool:
    """True when line i starts a notice in legal words (three, or two under a heading such as
    "AVISO LEGAL:", or a company's register entry) under a blank or signature line."""
    above = lines[i - 1].strip()
    if above and not _is_signature_line(above):
        return False
    head = " ".join(lines[i : i + 2])
    words = {m.group(0).casefold() for m in pat.LEGAL_WORDS.finditer(head)}
    needed = 2 if pat.NOTICE_HEADING.match(head) else 3
    return len(words) >= needed or bool(pat.COMPANY_REGISTER.search(head))


def _cut_sign_off(lines: list[str], sender: str | None) -> list[str]:
    """Cut closings ("Thanks,"), the sender's name and the signature block under them."""
    names = _sender_names(sender)
    for _ in range(_SIGNATURE_CUTS):
        start = _signature_start(lines, names)
        if start is None:
            break
        lines = lines[:start]
        lines = lines[: _last_nonempty(lines) + 1]
    return lines


def _signature_start(lines: list[str], names: tuple[str, ...]) -> int | None:
    """Index of the line where a signature starts, or None."""
    tail_start = max(0, len(lines) - _SIGNATURE_MAX_LINES - 1)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return None
    replied = (i for i in filled if not pat.SIGN_OFF.match(lines[i]))
    first_reply = next(replied, len(lines))
    # "Hi,\n\nSure" from Suresh: under a greeting alone, a short form is the reply
    first_told = first_reply
    if first_reply < len(lines) and pat.GREETING.match(lines[first_reply]):
        first_told = next((j for j in replied if not pat.GREETING.match(lines[j])), len(lines))
    for i in filled:
        if i <= filled[0] or i < len(lines) - _SIGNATURE_SCAN_LINES:
            continue
        line, rest = lines[i].strip(), lines[i + 1 :]
        if first_reply >= i and i < filled[-1]:
            continue  # a body that is only a signature block keeps its words
        closing = bool(pat.SIGN_OFF.match(line))
        heads = _closes(line, names, short=first_told < i) or _names_sender(line, names)
        if i >= tail_start and heads and _looks_like_signature(rest, name_first=closing):
            return i
        if _opens_block(lines, i, names) and _contact_block_follows(rest, name_first=closing):
            return i
    return None


def _closes(line: str, names: tuple[str, ...], *, short: bool = True) -> bool:
    """True for a closing, a closing with a name, or the sender's name, alone on a line."""
    if pat.SIGN_OFF.match(line) or _is_sender_name(line, names, short=short):
        return True
    m = pat.SIGN_OFF_NAME.match(line)
    name = m.group("name") if m else ""
    return bool(m and (_is_name_line(name) or _is_sender_name(name, names, short=short)))


def _opens_block(lines: list[str], i: int, names: tuple[str, ...]) -> bool:
    """True for a line that can head a block of contact lines: a closing, the sender's name
    (with titles and letters around it), or a name of two words or more on the first line of
    a paragraph that goes on ("Accept." and "Sounds Good" over a blank line are no names)."""
    line = lines[i].strip()
    if _closes(line, names) or _names_sender(line, names):
        return True
    if lines[i - 1].strip() or i + 1 == len(lines) or not lines[i + 1].strip():
        return False
    if lines[_last_nonempty(lines[:i])].rstrip().endswith(":"):
        return False  # "Please contact my colleague:" and the colleague's details
    return len(line.split()) >= 2 and not line.endswith(".") and _is_name_line(line)


def _contact_block_follows(lines: list[str], *, name_first: bool) -> bool:
    """True when the lines below are a signature block: short lines (a name first under a
    closing) with a phone, address or web line among them; whatever follows is its footer."""
    filled = [line.strip() for line in lines if line.strip()]
    if not filled or (name_first and not _is_name_line(filled[0])):
        return False
    if any(pat.POSTSCRIPT.match(line) for line in filled):
        return False
    block = list(takewhile(_is_signature_line, filled[:_BLOCK_MAX_LINES]))
    return len(block) >= 2 and any(pat.CONTACT.search(line) for line in block)


def _looks_like_signature(lines: list[str], *, name_first: bool = False) -> bool:
    """True when the lines under a closing are a name and contact details, not more text."""
    filled = [line.strip() for line in lines if line.strip()]
    if len(filled) > _SIGNATURE_MAX_LINES:
        return False
    if name_first and filled and not _is_name_line(filled[0]):
        return False
    return all(_is_signature_line(line) for line in filled)


def _is_name_line(line: str) -> bool:
    """True for a line that reads like a person's name ("Priya Patel", "//Jef", "李雷")."""
    if not pat.NAME_LINE.match(line):
        return False
    words = [w.lstrip("-—–~/") for w in line.split()]
    return all(not w or not w[0].isalpha() or w[0].isupper() or not w[0].islower() for w in words)


def _is_signature_line(line: str) -> bool:
    """True for a short line that is not a sentence ("Ltd." and "Jr." end no sentence), or a
    contact detail."""
    if len(line) > _SIGNATURE_LINE_MAX or pat.POSTSCRIPT.match(line):
        return False
    if not line.endswith((".", "?", "!", "。", "？", "！")) or pat.ABBREVIATION_END.search(line):
        return True
    return bool(pat.CONTACT.search(line))


def _sender_names(sender: str | None) -> tuple[str, ...]:
    """The full name and first name of the sender, lower-cased, without a title ("Dr")."""
    if not sender:
        return ()
    full = " ".join(sender.replace('"', " ").split()).lower()
    full = pat.NAME_TITLE.sub("", full)
    if not full or "@" in full:
        return ()
    first = full.split()[0]
    return (full, first) if len(first) > 1 else (full,)


def _is_sender_name(line: str, names: tuple[str, ...], *, short: bool = True) -> bool:
    """True when a line is just the sender's name, maybe after a dash or 'Me', or a short form
    of it: an initial ("O."), "W. Neumann", a nickname the name starts with ("Brad")."""
    if not names:
        return False
    bare = pat.KISSES.sub("", line.lstrip("-—–~/ ").rstrip(" ,.")).lower()
    bare = pat.TRAILING_ASIDE.sub("", bare)
    if not bare:
        return False
    if bare in names or any(bare.endswith(" " + n) and len(bare) - len(n) <= 4 for n in names):
        return True
    return short and _is_short_form(bare, names[0].split())


def _is_short_form(bare: str, words: list[str]) -> bool:
    """True for a short form of the name ``words``: an initial ("O."), initial and surname
    ("W. Neumann"), initials ("PY" for Pierre-Yves), the given name without the family name
    ("Jhon Fredy", "欣怡" for 李欣怡), or a nickname it starts with ("Brad", "Juani")."""
    first, last = _folded(words[0]), _folded(words[-1])
    bare = _folded(bare)
    if re.fullmatch(r"\w\.?", bare):
        return bare[0] == first[0]
    if len(words) > 1 and re.fullmatch(rf"{re.escape(first[0])}\.? ?{re.escape(last)}", bare):
        return True
    if pat.CJK_NAME.fullmatch(bare):
        return len(bare) >= 2 and bare in "".join(words)
    parts = [p for p in re.split(r"[-‐]", first) if p]  # "PY": a hyphenated given name
    if len(parts) > 1 and bare.replace(".", "") == "".join(p[0] for p in parts):
        return True
    letters = bare.replace(" ", "").replace("-", "")
    if letters in _ANSWER_WORDS:
        return False
    if len(letters) == 2:  # "Ju", "Jo"
        return first.startswith(letters)
    if not re.fullmatch(r"\w{3,}", letters):
        return False
    joined = "".join(_folded(w).replace("-", "") for w in words)
    return joined.startswith(letters) or (
        len(letters) >= 4 and any(letters in _folded(w) for w in words)
    )


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """Lower case without accents, for comparing names ("Vini" is short for "Vinícius")."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names_sender(line: str, names: tuple[str, ...]) -> bool:
    """True for a name line holding the sender's full name among titles and letters:
    "Dr Priya Raman MBBS FRCP (she/her)", "Catherine Yu, MBA (Class of 2004)"."""
    if not names or len(line) > _SIGNATURE_LINE_MAX:
        return False
    if " " not in names[0] and not (pat.CJK_NAME.fullmatch(names[0]) and len(names[0]) >= 2):
        return False
    lowered = f" {_folded(line)} "
    at = lowered.find(f" {_folded(names[0])}")
    if at < 0 or len(lowered[:at].split()) > 2 or not _is_signature_line(line):
        return False
    after = line[at + len(names[0]) :].strip()
    if not after or after[0] in ",|(–—-/·":
        return True
    return not pat.CJK_NAME.match(after) and not any(w[:1].islower() for w in after.split())
