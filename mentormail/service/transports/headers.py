"""Header values we can write safely: decoded, control-free text, and URI lists never encoded.

Python's ``email`` package decodes RFC 2047 encoded words when a header value is set, so
a name such as ``=?utf-8?q?Eve=0D=0AReply-To=3A_x=40evil?=`` becomes a second header
once the message is written out. Every value that reaches a header goes through
``clean_text`` first: encoded words are decoded (until nothing changes), control
characters (CR, LF, NUL, ...) become spaces, and what still looks like an encoded word is
broken up so that no reader can decode it. It is pure and idempotent.

``URI_LIST_HEADERS`` (``List-Unsubscribe``, ``List-Id`` and their kin) are plain ASCII
lists of ``<...>`` items (RFC 2369, RFC 2919, RFC 8058); ``fold`` breaks a header only at
a space outside a quoted string, so never inside a URI. Address headers are written by
``mailbox`` (Python's own folder can split a long quoted name so that it reads back as
a group or as another address).
"""

from __future__ import annotations

import re
import unicodedata
from base64 import b64encode
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address
from functools import lru_cache

MAX_LINE = 998  # RFC 5322 2.1.1: no line longer than this, CRLF excluded
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")

URI_LIST_HEADERS = frozenset(
    {
        "list-unsubscribe",
        "list-unsubscribe-post",
        "list-id",
        "list-help",
        "list-post",
        "list-owner",
        "list-archive",
        "auto-submitted",
        "x-auto-response-suppress",
    }
)


def clean_text(value: object) -> str:
    """Decoded, single-line text fit for any header: no encoded words, no control characters."""
    text = str(value or "")
    if text.isascii() and text.isprintable() and "=?" not in text:  # the usual case, fast
        return " ".join(text.split())
    for _ in range(5):  # nested encodings ("=?utf-8?q?=3D=3Futf-8...") unwrap one per round
        decoded = _decode_words(text)
        if decoded == text:
            break
        text = decoded
    text = _CONTROL.sub(" ", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = text.replace("=?", "= ?")  # what still looks like an encoded word is not one
    return " ".join(text.split())


def _decode_words(text: str) -> str:
    """Text with each RFC 2047 encoded word decoded (one that does not decode is dropped)."""
    return _ENCODED_WORD.sub(_decode_word, text)


def _decode_word(match: re.Match[str]) -> str:
    """One encoded word as text."""
    try:
        return str(make_header(decode_header(match.group(0))))
    except (HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return " "


@lru_cache(maxsize=4096)  # pure; the program's and reply addresses come back all the time
def clean_address(value: object) -> str:
    """A bare address (``local@domain``), or ValueError when it is not exactly one safe one."""
    address = str(value or "").strip()
    if not address or _CONTROL.search(address) or any(c.isspace() for c in address):
        raise ValueError(f"not a usable email address: {address!r}")
    if address.count("@") != 1 or "=?" in address or any(c in address for c in '<>,;"()[]\\'):
        raise ValueError(f"not a usable email address: {address!r}")
    Address(addr_spec=address)  # raises ValueError for what RFC 5322 does not allow
    return address


_MAILBOX = re.compile(r"^(?P<name>.*?)\s*<(?P<address>[^<>]*)>\s*$", re.S)


def split_mailbox(value: object) -> tuple[str, str]:
    """(name, address) of ``Name <address>`` or a bare address, as we write them: the
    address is what the last ``<...>`` holds (never a guess from a name full of symbols)."""
    text = str(value or "").strip()
    match = _MAILBOX.match(text)
    if match is None:
        return "", text
    name = match.group("name").strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    return name, match.group("address").strip()


def header_safe_address(value: object) -> bool:
    """Whether ``value`` is one address we could write into a header as it is."""
    try:
        clean_address(value)
    except ValueError:
        return False
    return True


def fold(name: str, value: str) -> str:
    """``Name: a b`` CRLF `` c`` CRLF: lines up to 78 columns where spaces allow, broken only
    at a space outside a quoted string (never inside a URI, an address or an encoded word)."""
    lines, line = [], f"{name}:"
    for token in _tokens(value):
        if len(line) + 1 + len(token) > 78 and not line.endswith(":"):
            lines.append(line)
            line = ""
        line += f" {token}"
    lines.append(line)
    return "\r\n".join(lines) + "\r\n"


def _tokens(value: str) -> list[str]:
    """The value split at spaces that are not inside a quoted string."""
    tokens, current, quoted, escaped = [], "", False, False
    for char in value:
        if char == " " and not quoted:
            if current:
                tokens.append(current)
            current = ""
            continue
        current += char
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
    return [*tokens, current] if current else tokens


_ATOMS = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$")


def phrase(name: str) -> str:
    """A display name as RFC 5322 writes it: atoms, a quoted string, or encoded words."""
    if not name:
        return ""
    if name.isascii():
        if _ATOMS.match(name):
            return name
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return encoded_words(name)


def mailbox(name: object, address: object) -> str:
    """``Name <address>``: the name decoded and cleaned, encoded only if it must be."""
    words, addr = phrase(clean_text(name)[:200]), clean_address(address)
    return f"{words} <{addr}>" if words else addr


def encoded_text(text: str) -> str:
    """Unstructured text for a header (Subject): as it is when ASCII, else encoded words."""
    return text if text.isascii() else encoded_words(text)


def encoded_words(text: str) -> str:
    """``=?utf-8?b?...?=`` words of at most 75 characters, split between characters."""
    words, chunk = [], b""
    for char in text:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > 45:  # 45 bytes: 60 base64 characters, 72 with the frame
            words.append(chunk)
            chunk = b""
        chunk += data
    words.append(chunk)
    return " ".join(f"=?utf-8?b?{b64encode(w).decode('ascii')}?=" for w in words if w)


def ascii_header_value(name: str, value: object) -> str:
    """A URI-list header's value: ASCII, one line, or ValueError naming the header."""
    text = " ".join(str(value or "").split())
    if not text.isascii() or _CONTROL.search(text) or ("=?" in text and name.lower() != "list-id"):
        raise ValueError(f"{name} must be plain ASCII, not {text!r}")
    return text


def list_id(program_name: object, slug: object, domain: str) -> str:
    """``List-Id: "Program name" <slug.domain>`` (RFC 2919), the name encoded only if it must."""
    label = re.sub(r"[^A-Za-z0-9-]+", "-", str(slug or "program")).strip("-") or "program"
    name = clean_text(program_name).replace("\\", "").replace('"', "'")
    phrase = f'"{name}"' if name.isascii() else encoded_words(name)
    return f"{phrase} <{label.lower()}.{domain.lower()}>" if name else f"<{label}.{domain}>"
