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
from dataclasses import dataclass
from functools import lru_cache
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
_SIGNATURE_LINE_MAX: Final = 72

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
    if pat.is_mobile_signature(line):
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
    if len(line) > _JOIN_MAX_CHARS or not pat.ATTRIBUTION_START.match(line):
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
        lines = _cut_disclaimer(lines)
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


def _cut_disclaimer(lines: list[str]) -> list[str]:
    """Cut from the first paragraph that reads like a legal disclaimer."""
    for i, line in enumerate(lines):
        if (
            i
            and pat.DISCLAIMER.match(line)
            and pat.DISCLAIMER_WORDS.search(" ".join(lines[i : i + 2]))
            and _has_text_before(lines, i)
        ):
            return lines[:i]
    return lines


def _cut_sign_off(lines: list[str], sender: str | None) -> list[str]:
    """Cut a closing ("Thanks,") or the sender's name, and the short lines under it."""
    names = _sender_names(sender)
    tail_start = max(0, len(lines) - _SIGNATURE_MAX_LINES - 1)
    for i in range(tail_start, len(lines)):
        line = lines[i].strip()
        if not line or not _has_text_before(lines, i):
            continue
        if _is_sender_name(line, names) and _looks_like_signature(lines[i + 1 :]):
            return lines[:i]
        if pat.SIGN_OFF.match(line) and _looks_like_signature(lines[i + 1 :], name_first=True):
            return lines[:i]
    return lines


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
    """True for a short line that is not a sentence, or a contact detail."""
    if len(line) > _SIGNATURE_LINE_MAX:
        return False
    return not line.endswith((".", "?", "!")) or bool(pat.CONTACT.search(line))


def _sender_names(sender: str | None) -> tuple[str, ...]:
    """The full name and first name of the sender, lower-cased."""
    if not sender:
        return ()
    full = " ".join(sender.replace('"', " ").split()).lower()
    if not full or "@" in full:
        return ()
    first = full.split()[0]
    return (full, first) if len(first) > 1 else (full,)


def _is_sender_name(line: str, names: tuple[str, ...]) -> bool:
    """True when a line is just the sender's name, maybe after a dash or 'Me'."""
    if not names:
        return False
    bare = line.lstrip("-—–~ ").rstrip(" ,.").lower()
    if bare in names:
        return True
    return any(bare.endswith(" " + name) and len(bare) - len(name) <= 4 for name in names)
