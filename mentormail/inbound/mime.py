"""Raw bytes to a ``ParsedMail``: decoded headers and bodies, never an exception.

Conventions:
- Message-IDs (``message_id``, ``in_reply_to``, ``references``) keep their angle
  brackets: ``<id@host>``. A bare id found without brackets is wrapped in them.
- ``from_addr`` and ``to_addrs`` are bare, lower-case addresses. ``to_addrs``
  holds the ``To`` addresses, then the ``Cc`` ones, without repeats: a reply-all
  may carry our reply address in either.
- Headers are unfolded and RFC 2047-decoded; raw 8-bit header bytes are read as
  UTF-8. Bodies are transfer-decoded and charset-decoded with replacement; line
  endings become ``\\n``.
- Anything wrong is written to ``defects``; the parse goes on.
"""

from __future__ import annotations

import binascii
import codecs
import email
import email.header
import email.policy
import email.utils
import quopri
import re
from email.message import Message

from mentormail.inbound.types import ParsedMail

MAX_BODY_CHARS = 2_000_000  # encoded characters of one body part we decode at most
MAX_PARTS_WALKED = 1_000  # parts inspected for defects and report sections
MAX_REPORT_CHARS = 20_000  # characters kept from each report section
MAX_HEADER_CHARS = 20_000  # characters kept from one header value

REPORT_TYPES = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "message/disposition-notification",
        "message/global-disposition-notification",
        "message/feedback-report",
        "text/rfc822-headers",
        "text/rfc822-header",
        "message/rfc822",
        "message/global",
        "message/global-headers",
    }
)

# Labels that mail clients use for a charset Python knows under a wider name.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",  # what senders mean by it, as in the HTML standard
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "utf8": "utf-8",
    "x-user-defined": "cp1252",
    "iso-8859-8-i": "iso-8859-8",
}

UNLABELLED = frozenset({"", "unknown-8bit", "x-unknown", "unknown", "default", "8bit", "none"})

_MSGID = re.compile(r"<[^<>\s]+>")
_CTYPE = re.compile(r"\s*([!#$%&'*+.^_`|~\w-]+)\s*/\s*([!#$%&'*+.^_`|~\w-]+)")
_PARAM = re.compile(r";\s*([\w!#$%&'+.^`|~-]+\*?)\s*=\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\s]*))")
_FOLD = re.compile(r"\r?\n[ \t]+|\r?\n")
_BASE64_NOISE = re.compile(r"[^A-Za-z0-9+/=\s]|(?<=\S)[ \t]+(?=\S)")
_BASE64_JUNK = re.compile(r"[^A-Za-z0-9+/]")


def parse_bytes(raw: bytes) -> ParsedMail:
    """Decode raw mail bytes; malformed input is recorded in ``defects``, never raised."""
    try:
        return _parse(bytes(raw))
    except Exception as error:  # the last line of defence: a reading, not a crash
        return _unparseable(raw, error)


def _parse(raw: bytes) -> ParsedMail:
    """Parse with the standard library, then read what routing and reading need."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    defects: list[str] = []
    headers = _headers(msg, defects)
    first = _first_values(headers)
    raw_headers = _raw_address_headers(msg)
    from_name, from_addr = _sender(raw_headers, defects)
    text, html = _bodies(msg, defects)
    report_parts = _report_parts(msg, defects)
    _collect_defects(msg, defects)
    return ParsedMail(
        message_id=_first_msgid(first.get("message-id")),
        from_addr=from_addr,
        from_name=from_name,
        to_addrs=_recipients(raw_headers),
        subject=first.get("subject", ""),
        in_reply_to=_first_msgid(first.get("in-reply-to")),
        references=_msgids(first.get("references")),
        headers=headers,
        text=text,
        html=html,
        defects=tuple(dict.fromkeys(defects)),
        content_type=_content_type(msg, defects),
        report_parts=report_parts,
    )


def _unparseable(raw: object, error: Exception) -> ParsedMail:
    """What we can say about input the standard parser could not read at all."""
    data = raw if isinstance(raw, bytes | bytearray) else b""
    text = bytes(data[:MAX_BODY_CHARS]).decode("utf-8", "replace")
    return ParsedMail(
        message_id=None,
        from_addr=None,
        from_name=None,
        to_addrs=(),
        subject="",
        in_reply_to=None,
        references=(),
        headers=(),
        text=text,
        html=None,
        defects=(f"unparseable: {type(error).__name__}: {error}"[:500],),
    )


# --- headers -------------------------------------------------------------------


def _headers(msg: Message, defects: list[str]) -> tuple[tuple[str, str], ...]:
    """Every top-level header as (name, decoded value), in order."""
    return tuple(
        (_clean(name), decode_header_value(value, defects)) for name, value in msg.raw_items()
    )


def _first_values(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The first value of each header, keyed by its lower-case name."""
    first: dict[str, str] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    return first


def decode_header_value(value: object, defects: list[str] | None = None) -> str:
    """Unfold and RFC 2047-decode one raw header value; undecodable bytes become U+FFFD."""
    text = value if isinstance(value, str) else str(value)
    text = _FOLD.sub(" ", text[:MAX_HEADER_CHARS]).strip()
    if "=?" not in text:
        return _clean(text)
    try:
        parts = email.header.decode_header(text)
    except Exception:  # malformed encoded words: keep them as written
        return _clean(text)
    found = [] if defects is None else defects
    return "".join(_decode_header_part(chunk, charset, found) for chunk, charset in parts).strip()


def _decode_header_part(chunk: bytes | str, charset: str | None, defects: list[str]) -> str:
    """One decoded-word chunk as text."""
    if isinstance(chunk, str):
        return _clean(chunk)
    if charset is None:  # decode_header hands unencoded text back this way
        return _clean(chunk.decode("raw-unicode-escape"))
    return decode_text(chunk, charset, defects)


def _clean(text: str) -> str:
    """Text without lone surrogates (escaped raw bytes are read as UTF-8) or NUL characters."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _raw_address_headers(msg: Message) -> list[tuple[str, str]]:
    """From, To and Cc as raw unfolded values: addresses are split before names are decoded."""
    wanted = ("from", "to", "cc")
    return [
        (name.lower(), _FOLD.sub(" ", str(value)[:MAX_HEADER_CHARS]))
        for name, value in msg.raw_items()
        if name.lower() in wanted
    ]


def _sender(
    raw_headers: list[tuple[str, str]], defects: list[str]
) -> tuple[str | None, str | None]:
    """The display name and bare lower-case address of the one From header, if it names
    exactly one plain address; anything else reads as no sender at all (a stranger)."""
    values = [value for name, value in raw_headers if name == "from"]
    if not values:
        return None, None
    found = single_sender(values[0]) if len(values) == 1 else None
    if found is None:
        defects.append("From: does not name exactly one address; read as a stranger")
        return None, None
    display, addr = found
    return (display or None), addr


# One plain addr-spec: a dot-atom local part (no quoted strings) at a dotted domain.
_PLAIN_ADDRESS = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@[\w-]+(?:\.[\w-]+)+"
)
_QUOTED_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|\([^()]*\)')


def single_sender(value: str) -> tuple[str, str] | None:
    """(display name, bare lower-case address) when a raw From value names exactly one plain
    address, else None. Parsers disagree on shapes like ``a@x <b@y>``, ``"m"@evil`` or
    ``Ana <m>b@y`` (two addresses here, none on a patched Python), so they count as none."""
    pairs = _addresses(value)
    outside = _QUOTED_OR_COMMENT.sub(lambda found: " " * len(found.group()), value)
    if outside.count("@") != 1 or outside.count("<") > 1:
        return None
    if len(pairs) != 1:
        return _name_with_specials(value, outside)
    display, addr = pairs[0]
    if not _PLAIN_ADDRESS.fullmatch(addr) or (
        "<" in outside and f"<{addr}>" not in outside.lower().replace(" ", "")
    ):
        return None
    return display, addr


# A name then the one address in angle brackets, closing the header; the name may hold
# unquoted commas, semicolons or brackets, never an '@' nor an angle bracket.
_NAME_THEN_ADDRESS = re.compile(r"(?P<name>[^<>@]*)<(?P<addr>[^<>@\s]+@[^<>@\s]+)>\s*")


def _name_with_specials(value: str, outside: str) -> tuple[str, str] | None:
    """(display name, address) of ``Iglesias, María José <mj@x>``: raw UTF-8 names as some
    clients write them, unquoted, which address parsers split at the comma. The one '@' is
    the address's own, so the name hides no other address whatever parser reads it."""
    found = _NAME_THEN_ADDRESS.fullmatch(outside)
    if found is None:
        return None
    addr = found.group("addr").lower()
    if not _PLAIN_ADDRESS.fullmatch(addr):
        return None
    name = decode_header_value(value[: found.start("addr") - 1])
    return name.strip().strip('"').strip(), addr


def _recipients(raw_headers: list[tuple[str, str]]) -> tuple[str, ...]:
    """The To then Cc addresses, bare and lower-case, without repeats."""
    found: dict[str, None] = {}
    for wanted in ("to", "cc"):
        for name, value in raw_headers:
            if name == wanted:
                for _, addr in _addresses(value):
                    found.setdefault(addr, None)
    return tuple(found)


def _addresses(value: str) -> list[tuple[str, str]]:
    """(decoded display name, bare lower-case address) pairs of a raw address header."""
    try:
        pairs = email.utils.getaddresses([value])
    except Exception:
        return []
    result = []
    for name, addr in pairs:
        bare = _clean(addr).strip().strip("<>").strip().lower()
        if bare:
            result.append((decode_header_value(name).strip().strip('"'), bare))
    return result


def _msgids(value: str | None) -> tuple[str, ...]:
    """Every Message-ID in a header, in the ``<id@host>`` form."""
    if not value:
        return ()
    found = _MSGID.findall(value)
    if not found:
        found = [f"<{token.strip('<>')}>" for token in value.split() if token.strip("<>")]
    return tuple(dict.fromkeys(found))


def _first_msgid(value: str | None) -> str | None:
    """The first Message-ID of a header, in the ``<id@host>`` form, or None."""
    ids = _msgids(value)
    return ids[0] if ids else None


def _content_type(msg: Message, defects: list[str]) -> str:
    """The top-level content type, lower case."""
    return content_type_of(msg)


# --- bodies --------------------------------------------------------------------


def _bodies(msg: Message, defects: list[str]) -> tuple[str | None, str | None]:
    """The first text/plain and the first text/html bodies, decoded."""
    text, html = _body(msg, "plain", defects), _body(msg, "html", defects)
    if text is None and html is None and _is_unsplit_multipart(msg):
        defects.append("multipart without a usable boundary: read as one text body")
        text = part_text(msg, defects)
    return text, html


def _is_unsplit_multipart(msg: Message) -> bool:
    """A multipart message the parser could not split (no or wrong boundary)."""
    return content_type_of(msg).startswith("multipart/") and isinstance(msg.get_payload(), str)


def _body(msg: Message, subtype: str, defects: list[str]) -> str | None:
    """The body part of one text subtype, the way ``get_body`` chooses it."""
    part = _find_body(msg, subtype, defects)
    if part is None:
        return None
    return part_text(part, defects)


def _find_body(msg: Message, subtype: str, defects: list[str]) -> Message | None:
    """The body candidate of one subtype, or None."""
    try:
        return _find_text(msg, subtype)
    except RecursionError:
        defects.append(f"body not found ({subtype}): parts nested too deep")
        return None


def _find_text(part: Message, subtype: str) -> Message | None:
    """The first text/<subtype> part that is not an attachment, by ``get_body``'s rules.

    The standard library's ``get_body`` re-parses every Content-Type and
    Content-Disposition through the header registry on each call; this walks the same
    tree reading the raw headers once, which is most of the cost of a parse.
    """
    if _is_attachment(part):
        return None
    maintype, _, sub = content_type_of(part).partition("/")
    if maintype == "text":
        return part if sub == subtype else None
    payload = part.get_payload()
    if maintype != "multipart" or not isinstance(payload, list):
        return None
    children = [child for child in payload if isinstance(child, Message)]
    if sub == "related" and children:
        children = [_related_start(part, children)]
    for child in children:
        found = _find_text(child, subtype)
        if found is not None:
            return found
    return None


def _related_start(part: Message, children: list[Message]) -> Message:
    """The root of a multipart/related: the part its ``start`` names, else the first."""
    start = _param(_raw_header(part, "content-type") or "", "start")
    if start:
        for child in children:
            if (_raw_header(child, "content-id") or "").strip() == start:
                return child
    return children[0]


def _is_attachment(part: Message) -> bool:
    """Whether a part's Content-Disposition says attachment."""
    value = _raw_header(part, "content-disposition")
    return value is not None and value.strip().lower().startswith("attachment")


def _raw_header(part: Message, name: str) -> str | None:
    """The raw, unfolded value of a part's header, or None."""
    for key, value in part.raw_items():
        if key.lower() == name:
            return _FOLD.sub(" ", str(value))
    return None


def content_type_of(part: Message) -> str:
    """A part's content type from its raw header, with the MIME defaults (lower case)."""
    raw = _raw_header(part, "content-type")
    found = _CTYPE.match(raw) if raw else None
    if found is None:
        return part.get_default_type() if raw is None else "text/plain"
    return f"{found.group(1)}/{found.group(2)}".lower()


def _param(header: str, name: str) -> str | None:
    """One parameter of a structured header such as Content-Type, or None."""
    for found in _PARAM.finditer(header):
        if found.group(1).lower() in (name, name + "*"):
            value = found.group(2) if found.group(2) is not None else found.group(3)
            if found.group(1).endswith("*"):  # RFC 2231: charset'language'value
                value = value.split("'")[-1]
            return value.strip()
    return None


def part_text(part: Message, defects: list[str]) -> str:
    """The decoded text of one non-multipart part."""
    data = _payload_bytes(part, defects)
    charset = _charset(part)
    text = decode_text(data, charset, defects, where=content_type_of(part))
    if "\x00" in text:  # NUL is never text, and databases refuse it
        defects.append(f"NUL characters removed from {content_type_of(part)}")
        text = text.replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _charset(part: Message) -> str:
    """The declared charset of a part, or '' when there is none."""
    value = _param(_raw_header(part, "content-type") or "", "charset")
    return (value or "").strip().strip('"').lower()


def _payload_bytes(part: Message, defects: list[str]) -> bytes:
    """The transfer-decoded bytes of a part, reading at most ``MAX_BODY_CHARS``."""
    # The raw payload: get_payload() would already have decoded 8-bit bytes lossily.
    payload = getattr(part, "_payload", None)
    if not isinstance(payload, str):
        return b""
    if len(payload) > MAX_BODY_CHARS:
        cut = payload.rfind("\n", 0, MAX_BODY_CHARS)
        payload = payload[: cut if cut > 0 else MAX_BODY_CHARS]
        defects.append(f"body truncated to {MAX_BODY_CHARS} characters")
    cte = _transfer_encoding(part)
    if cte == "base64":
        return _base64(payload, defects)
    if cte == "quoted-printable":
        return quopri.decodestring(payload.encode("ascii", "surrogateescape"))
    if cte not in ("", "7bit", "8bit", "binary"):
        defects.append(f"unknown transfer encoding {cte!r}: body read as is")
    return payload.encode("ascii", "surrogateescape")


def _transfer_encoding(part: Message) -> str:
    """The Content-Transfer-Encoding of a part, lower case, or ''."""
    for name, value in part.raw_items():
        if name.lower() == "content-transfer-encoding":
            return _FOLD.sub(" ", str(value)).strip().strip('"').lower()
    return ""


def _base64(payload: str, defects: list[str]) -> bytes:
    """Decode a base64 body; a body that only claims to be base64 is read as is."""
    noise = len(_BASE64_NOISE.findall(payload))
    if noise > max(2, len(payload) // 50):
        defects.append("declared base64 but is not: body read as is")
        return payload.encode("ascii", "surrogateescape")
    data = _BASE64_JUNK.sub("", payload)  # padding too: it is restored below
    if len(data) % 4 == 1:
        data = data[:-1]
        defects.append("base64 body has a stray final character")
    data += "=" * (-len(data) % 4)
    try:
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError) as error:
        defects.append(f"base64 body undecodable: {error}")
        return payload.encode("ascii", "surrogateescape")


def decode_text(data: bytes, charset: str, defects: list[str], where: str = "header") -> str:
    """Bytes to text under a declared charset, falling back with replacement and a defect."""
    label = charset.strip().strip('"').lower()
    codec = CHARSET_ALIASES.get(label, label)
    if label in UNLABELLED or codec == "ascii":
        return _guess(data)
    try:
        codecs.lookup(codec)
    except LookupError:
        defects.append(f"unknown charset {label[:40]!r} in {where}: decoded as UTF-8/cp1252")
        return _guess(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        defects.append(f"bytes invalid in {label[:40]} in {where}: decoded with replacement")
        text = data.decode(codec, "replace")
    if text.isascii() or not _SURROGATE.search(text):
        return text
    # UTF-7 and UTF-16 decode half a surrogate pair without complaint; no database or JSON
    # encoder takes one, so it is replaced like any other undecodable byte
    defects.append(f"lone surrogates in {label[:40]} in {where}: replaced")
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _guess(data: bytes) -> str:
    """Unlabelled bytes: ASCII or UTF-8 when they are valid, else cp1252 (as browsers do)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# --- reports and defects ---------------------------------------------------------


def _report_parts(msg: Message, defects: list[str]) -> tuple[tuple[str, str], ...]:
    """(content type, text) of the machine-readable sections of a report."""
    found: list[tuple[str, str]] = []
    for part in _walk(msg):
        ctype = content_type_of(part)
        if ctype in REPORT_TYPES:
            try:
                found.append((ctype, _report_text(part, defects)[:MAX_REPORT_CHARS]))
            except Exception as error:
                defects.append(f"report section {ctype} unreadable: {type(error).__name__}")
    return tuple(found)


def _report_text(part: Message, defects: list[str]) -> str:
    """The text of one report section: header blocks, or the decoded body."""
    payload = part.get_payload()
    if isinstance(payload, str):
        return part_text(part, defects)
    blocks = []
    for sub in payload:
        if not isinstance(sub, Message):
            continue
        lines = [f"{name}: {decode_header_value(value)}" for name, value in sub.raw_items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _walk(msg: Message) -> list[Message]:
    """Parts of the message, outer first, not entering attached messages, bounded in number."""
    parts: list[Message] = []
    stack = [msg]
    while stack and len(parts) < MAX_PARTS_WALKED:
        part = stack.pop()
        parts.append(part)
        if content_type_of(part).startswith("multipart/"):
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(sub for sub in reversed(payload) if isinstance(sub, Message))
    return parts


def _collect_defects(msg: Message, defects: list[str]) -> None:
    """The parser's own defect notes, by class name, for the record."""
    for part in _walk(msg):
        for defect in getattr(part, "defects", ()):
            defects.append(type(defect).__name__)
