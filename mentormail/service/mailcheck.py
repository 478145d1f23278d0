"""Is this email one every client and filter reads the same way? ``problems(raw)`` says.

The message is read twice, by Python's ``email`` with ``policy.strict`` and by an
independent parser (``fast_mail_parser``, the Rust ``mailparse`` crate), and the two must
agree on the subject, the addresses and both bodies. Beside that: CRLF line ends and no
line over 998 characters; header names and values that RFC 5322 allows, ASCII only; no
encoded words where a structured header forbids them (Message-ID, Date, the address
part of an address, List-Unsubscribe, List-Id's id, ...); List-Unsubscribe as a list of
``<URI>`` (with an https one when List-Unsubscribe-Post asks for one click, RFC 8058);
``multipart/alternative`` with the text part first; every text part with its charset;
every link of the HTML part also in the text part. ``program_mail=True`` also requires
the headers every mentormail email carries.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

import fast_mail_parser

MAX_LINE = 998
REQUIRED = ("From", "To", "Date", "Message-ID", "Subject", "MIME-Version")
PROGRAM_MAIL = (
    "Reply-To",
    "Auto-Submitted",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Id",
)
NO_ENCODED_WORDS = (
    "Message-ID",
    "In-Reply-To",
    "References",
    "Date",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Auto-Submitted",
)
ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To", "Sender")
_HEADER_NAME = re.compile(r"^[\x21-\x39\x3b-\x7e]+$")
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
_URI_LIST = re.compile(r"^\s*<[^<>\s]+>(?:\s*,\s*<[^<>\s]+>)*\s*$")
_MESSAGE_ID = re.compile(r"^<[^<>@\s]+@[^<>@\s]+>$")


@dataclass(frozen=True)
class Parsed:
    """What a check needs from one strict parse."""

    message: EmailMessage
    text: str
    html: str


def problems(raw: bytes, *, program_mail: bool = False) -> list[str]:
    """Every way ``raw`` falls short, as short sentences; empty when it is fine."""
    found = _wire_problems(raw)
    head = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    found += _raw_header_problems(head)
    parsed, strict = _strict_parse(raw)
    found += strict
    if parsed is None:
        return found
    found += _header_problems(parsed.message, program_mail)
    found += _structure_problems(parsed.message)
    found += _link_problems(parsed.text, parsed.html)
    found += _second_parser_problems(raw, parsed)
    return found


def _wire_problems(raw: bytes) -> list[str]:
    """CRLF only, and no line longer than 998 characters."""
    found = []
    if re.search(rb"(?<!\r)\n", raw) or re.search(rb"\r(?!\n)", raw):
        found.append("wire: a line does not end in CRLF")
    longest = max((len(line) for line in raw.split(b"\r\n")), default=0)
    if longest > MAX_LINE:
        found.append(f"wire: a line of {longest} characters (at most {MAX_LINE})")
    if b"\x00" in raw:
        found.append("wire: a NUL byte")
    return found


def _raw_header_problems(head: bytes) -> list[str]:
    """Header names RFC 5322 allows, ASCII values, and no encoded words where forbidden."""
    found = []
    for name, value in _unfolded(head):
        if not _HEADER_NAME.match(name):
            found.append(f"header: not a header name: {name!r}")
        if not value.isascii():
            found.append(f"{name}: 8-bit characters in a header (encode them, RFC 2047)")
        if name.lower() in (h.lower() for h in NO_ENCODED_WORDS) and "=?" in value:
            found.append(f"{name}: encoded words are not allowed in this header: {value[:80]!r}")
        if name.lower() in (h.lower() for h in ADDRESS_HEADERS):
            for angle in re.findall(r"<([^<>]*)>", value):
                if "=?" in angle:
                    found.append(f"{name}: an encoded word inside an address: {angle!r}")
        if name.lower() == "list-id" and "=?" in "".join(re.findall(r"<([^<>]*)>", value)):
            found.append(f"List-Id: an encoded word inside the list's id: {value!r}")
    return found


def _unfolded(head: bytes) -> list[tuple[str, str]]:
    """(name, value) for each header of a raw header block, continuation lines joined."""
    fields: list[tuple[str, str]] = []
    for line in head.decode("utf-8", "replace").split("\n"):
        line = line.rstrip("\r")
        if line[:1] in (" ", "\t") and fields:
            name, value = fields[-1]
            fields[-1] = (name, value + " " + line.strip())
        elif line:
            name, _, value = line.partition(":")
            fields.append((name, value.strip()))
    return fields


def _strict_parse(raw: bytes) -> tuple[Parsed | None, list[str]]:
    """Parse with ``policy.strict``: any defect of the message, a part or a header is one."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.strict)
    except Exception as exc:  # strict raises on the first defect
        return None, [f"strict parse: {type(exc).__name__}: {exc}"]
    assert isinstance(message, EmailMessage)
    found = []
    for part in message.walk():
        for name, value in part.items():
            defects = getattr(value, "defects", ())
            found += [f"{name}: {type(d).__name__}: {d}" for d in defects]
        found += [f"strict parse: {type(d).__name__}" for d in part.defects]
    text, html = _body(message, "plain"), _body(message, "html")
    return Parsed(message, text, html), found


def _body(message: EmailMessage, subtype: str) -> str:
    """One body's text, newlines normalised; "" when there is none."""
    part = message.get_body((subtype,))
    if part is None:
        return ""
    try:
        return str(part.get_content()).replace("\r\n", "\n")
    except (LookupError, ValueError):
        return ""


def _header_problems(message: EmailMessage, program_mail: bool) -> list[str]:
    """Required headers, Message-ID and Date syntax, one address each, the list headers."""
    found = [f"{name}: missing" for name in REQUIRED if message[name] is None]
    if program_mail:
        found += [
            f"{name}: missing (every program email has it)"
            for name in PROGRAM_MAIL
            if message[name] is None
        ]
    message_id = str(message["Message-ID"] or "")
    if message_id and not _MESSAGE_ID.match(message_id.strip()):
        found.append(f"Message-ID: not <left@right>: {message_id!r}")
    if message["Date"] is not None:
        try:
            parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            found.append(f"Date: does not parse: {message['Date']!r}")
    for name in ("From", "To", "Reply-To"):
        if message[name] is not None and len(getaddresses([str(message[name])])) != 1:
            found.append(f"{name}: not exactly one address: {str(message[name])!r}")
    found += _list_problems(message)
    return found


def _list_problems(message: Message) -> list[str]:
    """RFC 2369 and RFC 8058: ``<URI>`` lists, one-click needs an https URI."""
    found = []
    unsubscribe = message["List-Unsubscribe"]
    if unsubscribe is not None and not _URI_LIST.match(str(unsubscribe)):
        found.append(f"List-Unsubscribe: not a list of <URI>: {str(unsubscribe)[:100]!r}")
    post = message["List-Unsubscribe-Post"]
    if post is not None:
        if str(post).strip() != "List-Unsubscribe=One-Click":
            found.append(f"List-Unsubscribe-Post: must be List-Unsubscribe=One-Click: {post!r}")
        if "<https://" not in str(unsubscribe or ""):
            found.append("List-Unsubscribe-Post: List-Unsubscribe has no https URI to POST to")
    list_id = message["List-Id"]
    if list_id is not None and not re.search(
        r"<[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+>\s*$", str(list_id)
    ):
        found.append(f"List-Id: no <id.domain> at its end: {str(list_id)!r}")
    return found


def _structure_problems(message: EmailMessage) -> list[str]:
    """multipart/alternative with the text part first, and every text part's charset."""
    found = []
    if message.get_content_type() == "multipart/alternative":
        parts = list(message.iter_parts())
        types = [p.get_content_type() for p in parts]
        if not types or types[0] != "text/plain":
            found.append(
                f"structure: multipart/alternative does not start with text/plain: {types}"
            )
        if "text/html" in types and types[-1] != "text/html":
            found.append(f"structure: the HTML part is not the last alternative: {types}")
    elif message.get_content_maintype() == "multipart" and message.get_body(("plain",)) is None:
        found.append(f"structure: {message.get_content_type()} with no text/plain part")
    for part in message.walk():
        if part.get_content_maintype() == "text" and part.get_param("charset") is None:
            found.append(f"structure: a {part.get_content_type()} part declares no charset")
    return found


class _Links(HTMLParser):
    """Every href of an HTML part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]


def html_links(html: str) -> list[str]:
    """The links of an HTML part, in order."""
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _link_problems(text: str, html: str) -> list[str]:
    """Someone reading the text part can follow every link the HTML part has."""
    flat = " ".join(text.split())
    digits = re.sub(r"\D", "", text)
    found = []
    for href in html_links(html):
        if href.startswith("tel:"):
            present = re.sub(r"\D", "", href) in digits
        elif href.startswith("mailto:"):
            present = href.removeprefix("mailto:").split("?")[0] in flat
        else:
            present = href in flat or href.split("://", 1)[-1] in flat
        if not present:
            found.append(f"links: the HTML part links to {href[:100]!r}, the text part does not")
    return found


def _second_parser_problems(raw: bytes, parsed: Parsed) -> list[str]:
    """An independent parser reads it cleanly and the same: subject, addresses, bodies."""
    try:
        other = fast_mail_parser.parse_email(raw, strict=True)
    except fast_mail_parser.ParseError as exc:
        return [f"second parser (mailparse): {type(exc).__name__}: {exc}"]
    found = [f"second parser (mailparse): {w}" for w in other.warnings]
    message = parsed.message
    if (other.subject or "") != str(message["Subject"] or ""):
        found.append(
            f"parsers disagree on Subject: {other.subject!r} vs {str(message['Subject'])!r}"
        )
    for name, theirs in (("To", other.to), ("Reply-To", other.reply_to)):
        ours = [a.lower() for _, a in getaddresses([str(message[name] or "")]) if a]
        if sorted(a.address.lower() for a in theirs) != sorted(ours) and message[name]:
            found.append(f"parsers disagree on {name}: {[a.address for a in theirs]} vs {ours}")
    for kind, ours_body, theirs_body in (
        ("text", parsed.text, other.text_plain),
        ("HTML", parsed.html, other.text_html),
    ):
        theirs_text = (
            "\n".join(theirs_body or []) if isinstance(theirs_body, list) else (theirs_body or "")
        )
        if _normal(theirs_text) != _normal(ours_body):
            found.append(f"parsers disagree on the {kind} part")
    return found


def _normal(text: str) -> str:
    """A body compared line by line, without trailing space or final newlines."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))
