"""Render an email from ``email_templates/``: a subject, a text part and an inlined HTML part.

Each message is a ``<workflow>/<name>.txt`` template that sets ``subject``; names are
unique across workflow folders, so callers name a message by ``<name>`` alone. Its HTML
part is ``<name>.html`` beside it when there is one, else the text laid out on the shared
HTML layout, with each one-time link turned into a button. A program may put its own
versions of any template in a folder (``templates:`` in its YAML file), either flat
(``<name>.txt``) or in the same workflow folders.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
)
from markupsafe import Markup, escape

from mentormail.service.local_time import to_local, zone_of

_URL = re.compile(r"https?://[^\s<>\"]+")
LINK_LABEL = 40  # characters of words beside a link that still make a label, not prose


@dataclass(frozen=True)
class Rendered:
    """One message's subject and bodies."""

    subject: str
    text: str
    html: str


DEFAULT_MAJOR_LABEL = "field of study"


@lru_cache(maxsize=32)
def environment(override_dir: str | None = None) -> Environment:
    """A Jinja2 environment; a program's own folder, when given, wins over ours."""
    loaders: list[Any] = [PackageLoader("mentormail", "email_templates")]
    if override_dir:
        loaders.insert(0, FileSystemLoader(override_dir))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=lambda name: bool(name and name.endswith(".html")),
    )
    env.filters["date"] = lambda d: f"{d:%A %-d %B %Y}" if d else ""
    env.filters["month"] = lambda d: f"{d:%B %Y}" if d else ""
    env.filters["indent_quote"] = indent_quote
    env.filters["text_to_html"] = text_to_html
    env.filters["words"] = number_in_words
    env.filters["join_and"] = join_and
    env.filters["coordinators_at"] = coordinators_at
    env.filters["shorten"] = shorten
    env.filters["shorten_paragraphs"] = shorten_paragraphs
    env.filters["without_addresses"] = without_addresses
    env.filters["reach_by"] = reach_by
    env.filters["addressed"] = addressed
    env.filters["from_now"] = from_now
    env.filters["program_time"] = program_time
    env.filters["local"] = local_time
    env.filters["major_label"] = major_label
    env.globals["plural"] = plural
    return env


@lru_cache(maxsize=1)
def message_folders() -> dict[str, str]:
    """Each message name and the workflow folder it lives in; a name in two folders is an error."""
    root = resources.files("mentormail") / "email_templates"
    found: dict[str, str] = {}
    for folder in sorted(root.iterdir(), key=lambda f: f.name):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        for entry in folder.iterdir():
            name = Path(entry.name)
            if name.suffix != ".txt":
                continue
            if name.stem in found:
                raise LookupError(f"email template {name.stem!r} is in two folders")
            found[name.stem] = folder.name
    return found


def message_names() -> list[str]:
    """Every message a person can receive, by name."""
    return sorted(message_folders())


def _candidates(template: str, suffix: str) -> tuple[str, ...]:
    """Where a message's part may be: a program's flat override first, then its folder."""
    folder = message_folders().get(template)
    if folder is None:
        raise TemplateNotFound(template)
    return (f"{template}{suffix}", f"{folder}/{template}{suffix}")


def render(template: str, context: dict[str, Any], override_dir: str | None = None) -> Rendered:
    """Render the text part (which sets ``subject``), then the HTML part.

    The HTML part lays out the text template's ``body`` block under the program's header
    (its name, or its logo) with a footer of its own, so it does not repeat the text
    part's greeting sign-off and footer lines; a message with no ``body`` block (a
    program's own flat template) is laid out whole.
    """
    text_template = _part(_candidates(template, ".txt"), override_dir)
    if text_template is None:
        raise TemplateNotFound(template)
    text_module = text_template.make_module(context)
    subject = " ".join(str(getattr(text_module, "subject", "")).split())
    text = _tidy(str(text_module))
    body, footer, own_footer = text, True, ""
    if "body" in text_template.blocks:
        body = _tidy(_block(text_template, "body", context))
        if "footer" in text_template.blocks:  # the message's own footer, or none at all
            own_footer = " ".join(_block(text_template, "footer", context).split())
            footer = bool(own_footer)
    html_context = {
        **context,
        "subject": subject,
        "body_text": body,
        "show_footer": footer,
        "own_footer": own_footer,
        "brand": branding(context.get("program")),
        "people": _people(context),
    }
    html_template = _part(_candidates(template, ".html"), override_dir)
    if html_template is not None and _programs(text_template, override_dir):
        # A program's own words get its own HTML or the plain layout of those words, never
        # our HTML of the message (which says what our text part says, not theirs).
        html_template = html_template if _programs(html_template, override_dir) else None
    html_template = html_template or _part(("_message.html",), override_dir)
    assert html_template is not None
    html = css_inline.inline(html_template.render(html_context))
    return Rendered(subject, wrap_text(text), html)


def _programs(template: Template, override_dir: str | None) -> bool:
    """Whether a template was found in a program's own folder (not among ours)."""
    if override_dir is None or template.filename is None:
        return False
    return Path(template.filename).resolve().is_relative_to(Path(override_dir).resolve())


def _part(names: tuple[str, ...], override_dir: str | None) -> Template | None:
    """The first of these templates that exists: a program's own folder is looked in every
    time (its files may change while we run); ours once."""
    if override_dir is None:
        return _our_part(names)
    return _find(environment(override_dir), names)


@lru_cache(maxsize=1024)
def _our_part(names: tuple[str, ...]) -> Template | None:
    """One of our own templates, found once per process (they change only with a release):
    no lookups of files that are not there, nor a check of each file's time, per email."""
    return _find(environment(None), names)


def _find(env: Environment, names: tuple[str, ...]) -> Template | None:
    """The first of these templates in this environment, or None."""
    try:
        return env.select_template(list(names))
    except TemplateNotFound:
        return None


def _block(template: Template, name: str, context: dict[str, Any]) -> str:
    """One block of a template, rendered on its own."""
    return "".join(template.blocks[name](template.new_context(context)))


# --- words ---------------------------------------------------------------------------------

_SMALL = "zero one two three four five six seven eight nine ten eleven twelve".split()


def number_in_words(n: Any) -> str:
    """A count as a reader says it: "one" to "twelve", then digits."""
    try:
        value = int(n)
    except (TypeError, ValueError):
        return str(n)
    return _SMALL[value] if 0 <= value < len(_SMALL) else str(value)


def plural(n: Any, one: str, many: str) -> str:
    """The noun for a count: plural(1, "mentee", "mentees") is "mentee"."""
    return one if n == 1 else many


def from_now(days: Any) -> str:
    """A number of days ahead as people say it: "today", "tomorrow", "in 5 days"."""
    days = int(days)
    return "today" if days < 1 else "tomorrow" if days == 1 else f"in {days} days"


def program_time(at: datetime, program: Any) -> str:
    """A stored instant (naive UTC) as the program's people read it: "Monday 15 February,
    12:10 Berlin time" in the program's time zone ("… 11:10 UTC" when it keeps UTC)."""
    zone = zone_of(getattr(program, "settings", None))
    local = to_local(at, zone)
    city = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    label = "UTC" if zone.key in ("UTC", "Etc/UTC") else f"{city} time"
    return f"{local:%A %-d %B, %H:%M} {label}"


def local_time(at: datetime, program: Any) -> datetime:
    """A stored instant (naive UTC) on the program's wall clock, for dates an email shows."""
    return to_local(at, zone_of(getattr(program, "settings", None)))


def major_label(program: Any, capital: bool = False) -> str:
    """What the program calls the ``major`` column ("field of study"; a company's "team")."""
    settings = getattr(program, "settings", None)
    settings = settings if isinstance(settings, dict) else {}
    label = " ".join(str(settings.get("major_label") or "").split()) or DEFAULT_MAJOR_LABEL
    return label[:1].upper() + label[1:] if capital else label


def join_and(items: Any) -> str:
    """ "a", "a and b", "a, b and c"."""
    names = [str(i) for i in (items or []) if str(i).strip()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def coordinators_at(program: Any) -> str:
    """Where every email tells people to write to the coordinators: their own addresses when
    the program lists them, else the program's address (which reaches them as an item)."""
    own = list(getattr(program, "coordinators", None) or [])
    return join_and(own) if own else str(getattr(program, "address", "") or "")


_SIDE = re.compile(r"\{(mentor|mentee)(?:(['’]s)\}|\}(['’]s)?)", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)(you|your)\b")


def addressed(text: Any, reader: str, mentor: Any, mentee: Any) -> str:
    """A meeting idea's ``{mentor}``/``{mentee}`` (and ``{mentor's}``, ``{mentee}'s``, any
    case) for its reader: "you" and "your" for the reader's own side, the partner's first name
    (and "'s") for the other; a sentence that now starts with "you" starts with "You"."""

    def side(found: re.Match[str]) -> str:
        who, owns = found.group(1).lower(), found.group(2) or found.group(3)
        if who == reader:
            return "your" if owns else "you"
        person = mentor if who == "mentor" else mentee
        return f"{person['first_name']}{owns or ''}"

    said = _SIDE.sub(side, str(text or ""))
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).capitalize(), said)


def shorten(text: Any, width: int = 60) -> str:
    """Someone's words cut to a width at a word boundary, with "…" when cut."""
    words = " ".join(str(text or "").split())
    if len(words) <= width:
        return words
    cut = words[: width + 1].rsplit(" ", 1)[0] if " " in words[: width + 1] else words[:width]
    return cut.rstrip(" ,;:.-—") + "…"


_ADDRESS_IN_BRACKETS = re.compile(r"\s*<[^<>\s@]+@[^<>\s]+>")


def without_addresses(text: Any) -> str:
    """A line naming people ("Jo Kim <jo@x.edu> reported…") without their addresses, for a
    subject line that must say what happened before a mail client cuts it."""
    return _ADDRESS_IN_BRACKETS.sub("", str(text or ""))


def shorten_paragraphs(text: Any, width: int = 300) -> list[str]:
    """Each paragraph of someone's words (a note added later is its own), cut to a width."""
    paragraphs = re.split(r"\n\s*\n", str(text or "").strip())
    return [shorten(p, width) for p in paragraphs if p.strip()]


_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_CONTACT_KINDS = {
    "linkedin": "on LinkedIn",
    "phone": "by phone",
    "tel": "by phone",
    "telephone": "by phone",
    "mobile": "by phone",
    "cell": "by phone",
    "email": "by email",
    "e-mail": "by email",
    "whatsapp": "on WhatsApp",
}


def reach_by(contact: Any) -> str:
    """How to reach someone, as the end of "You can reach Ana …".

    "ana@x.org" is "by email: ana@x.org"; "LinkedIn: linkedin.com/in/ana" is "on LinkedIn:
    linkedin.com/in/ana"; "phone: +1 555 0100" is "by phone: +1 555 0100"; anything else
    is "this way: …".
    """
    value = " ".join(str(contact or "").split())
    if _EMAIL.match(value):
        return f"by email: {value}"
    label, colon, rest = value.partition(":")
    if colon and label.strip().lower() in _CONTACT_KINDS and rest.strip():
        return f"{_CONTACT_KINDS[label.strip().lower()]}: {rest.strip()}"
    if "linkedin.com" in value.lower():
        return f"on LinkedIn: {value}"
    return f"this way: {value}"


def indent_quote(text: str) -> str:
    """Quote someone's words, email style, so they stand apart from ours."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).strip().splitlines())


# --- the text part -------------------------------------------------------------------------

TEXT_WIDTH = 78
_LEAD = re.compile(r"^(\s*(?:[-*•]\s+|\d+\.\s+)?)")


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Wrap prose lines for reading; quotes, short lines and a label with its link stay as
    they are, and a URL is never broken (only spaces wrap).

    A list item ("- ", "1. ") or an indented line keeps its indent on every line it wraps to.
    """
    out: list[str] = []
    for line in text.splitlines():
        if len(line) <= width or line.startswith(">") or _labelled_link(line):
            out.append(line)
            continue
        out += _wrapped(line, width)
    return "\n".join(out) + "\n"


def _labelled_link(line: str) -> bool:
    """Whether a line is a link with at most a short label ("Accept: https://…"): kept whole,
    so the label and its link read together (a paragraph that holds a link is wrapped)."""
    return bool(_URL.search(line)) and len(_URL.sub("", line).strip()) <= LINK_LABEL


@lru_cache(maxsize=8192)
def _wrapped(line: str, width: int) -> tuple[str, ...]:
    """One long line wrapped (each line once a process: most are a template's own sentences,
    in every email alike)."""
    lead = _LEAD.match(line).group(1)  # type: ignore[union-attr]
    return tuple(
        textwrap.wrap(
            line[len(lead) :],
            width=width,
            initial_indent=lead,
            subsequent_indent=" " * len(lead),
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


# --- the HTML part -------------------------------------------------------------------------

DEFAULT_COLOUR = "#1f5c99"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
PRIMARY_ACTIONS = ("accept", "confirm", "available", "ask")
SECONDARY_ACTIONS = ("decline", "pause")
# Offered in every check-in beside the answers, never the answer hoped for: a quiet button.
SECONDARY_LINKS = frozenset({"end_match"})


def branding(program: Any) -> dict[str, str]:
    """The program's colour and logo from its settings, if they are usable; else ours.

    ``logo_url`` must be an https (or http) address; ``colour`` (or ``color``) a #rgb or
    #rrggbb hex colour. Anything else is ignored, so a typo never breaks an email.
    """
    settings = getattr(program, "settings", None)
    settings = settings if isinstance(settings, dict) else {}
    colour = str(settings.get("colour") or settings.get("color") or "").strip()
    logo = str(settings.get("logo_url") or "").strip()
    return {
        "colour": colour if _COLOUR.match(colour) else DEFAULT_COLOUR,
        "logo_url": logo if re.match(r"https?://[^\s\"'<>]+$", logo) else "",
    }


def _people(context: dict[str, Any]) -> list[str]:
    """The mentors an email names, longest name first (their names are shown bold)."""
    names = {
        str(p.get("name", ""))
        for key in ("mentor", "pending_mentor")
        if isinstance(p := context.get(key), dict)
    }
    names |= {str(m.get("name", "")) for m in context.get("mentors") or [] if isinstance(m, dict)}
    return sorted((n for n in names if n.strip()), key=len, reverse=True)


def text_to_html(
    text: str,
    links: dict[str, str] | None = None,
    colour: str = DEFAULT_COLOUR,
    people: list[str] | None = None,
) -> Markup:
    """Lay out a text body as HTML: paragraphs, lists, quotes, and one-time links as buttons.

    A line holding a one-time link becomes a button named by the words before it, styled by
    what it does (accept is primary, decline secondary); buttons on following lines sit in
    one row. Mentors' names are bold; email addresses, LinkedIn and www addresses and
    phone numbers become links.
    """
    actions = {url: name for name, url in (links or {}).items()}
    style = _Style(colour, tuple(people or ()))
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return Markup("\n".join(_block_to_html(b, actions, style) for b in blocks))


@dataclass(frozen=True)
class _Style:
    """What the HTML of a body needs beyond its text."""

    colour: str
    people: tuple[str, ...]


def _block_to_html(block: str, actions: dict[str, str], style: _Style) -> str:
    """One paragraph, list or quote of a text body as HTML."""
    lines = block.splitlines()
    if all(line.startswith(">") for line in lines):
        inner = "<br>".join(escape(line[1:].strip()) for line in lines)
        return f"<blockquote>{inner}</blockquote>"
    runs: list[tuple[str, list[str]]] = []  # ("p" | "li" | "button", html pieces)
    for line in lines:
        button = _button(line, actions, style)
        if button:
            kind, piece = "button", button
        elif line.lstrip().startswith("- "):
            kind, piece = "li", _inline(line.lstrip()[2:], style)
        elif line.startswith(" ") and runs and runs[-1][0] == "li":
            runs[-1][1][-1] += "<br>" + _inline(line.strip(), style)
            continue
        else:
            kind, piece = "p", _inline(line.strip(), style)
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(piece)
        else:
            runs.append((kind, [piece]))
    return "\n".join(_run_to_html(kind, pieces) for kind, pieces in runs)


def _run_to_html(kind: str, pieces: list[str]) -> str:
    """Consecutive lines of one kind: a paragraph, a list, or a row of buttons."""
    if kind == "li":
        return '<ul class="list">' + "".join(f"<li>{p}</li>" for p in pieces) + "</ul>"
    if kind == "button":
        return '<div class="buttons">' + "".join(pieces) + "</div>"
    return "<p>" + "<br>\n".join(pieces) + "</p>"


_ASIDE = re.compile(r"\s*\([^()]*\)")


def _button(line: str, actions: dict[str, str], style: _Style) -> str:
    """A line holding a one-time link, as a table-based button; "" for any other line."""
    match = _URL.search(line)
    if not match:
        return ""
    url = match.group(0).rstrip(".,;:!?)")
    action = actions.get(url)
    if action is None:
        return ""
    label = line[: match.start()].strip().lstrip("-").strip().rstrip(":").strip() or "Open"
    label = _ASIDE.sub("", label) or label  # "(add when, if you like…)" is for a reply
    quiet = action.split("_")[0] in SECONDARY_ACTIONS or action in SECONDARY_LINKS
    kind = "secondary" if quiet else "primary"
    colour = style.colour
    if kind == "primary":
        cell = f"background-color: {colour}; border: 2px solid {colour}; border-radius: 6px;"
        link = "color: #ffffff;"
    else:
        cell = f"background-color: #ffffff; border: 2px solid {colour}; border-radius: 6px;"
        link = f"color: {colour};"
    return (
        '<table role="presentation" class="button-table" cellspacing="0" cellpadding="0"'
        ' border="0"><tr>'
        f'<td class="button-cell" style="{cell}">'
        f'<a class="button {kind}" href="{escape(url)}" style="{link}">{escape(label)}</a>'
        "</td></tr></table>"
    )


_CONTACT = re.compile(
    r"(?P<url>https?://[^\s<>\"]+)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)"
    r"|(?P<web>\b(?:www\.[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)?linkedin\.com)(?:/[^\s<>\"]*)?)"
    r"|(?P<phone>(?<=phone: )\+?\d[\d ().-]{5,}\d)",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def _inline(line: str, style: _Style) -> str:
    """A line of prose: escaped, with links and mentors' names in bold (each line once a
    process: most are a template's own sentences, in every email alike)."""
    out: list[str] = []
    position = 0
    for match in _CONTACT.finditer(line):
        value = match.group(0)
        if match.lastgroup in ("url", "web"):
            value = value.rstrip(".,;:!?)")
        end = match.start() + len(value)
        out.append(_bold(line[position : match.start()], style))
        if match.lastgroup == "email":
            href = f"mailto:{value}"
        elif match.lastgroup == "phone":
            href = "tel:" + re.sub(r"[^\d+]", "", value)
        elif match.lastgroup == "web":
            href = f"https://{value}"
        else:
            href = value
        out.append(f'<a href="{escape(href)}">{escape(value)}</a>')
        position = end
    out.append(_bold(line[position:], style))
    return _CODE.sub(_CODE_HTML, "".join(out))


# A command in backticks (`mentormail attention`) reads as code, not as quote marks; the text
# is escaped already, so a span holds no markup.
_CODE = re.compile(r"`([^`<>]+)`")
_CODE_HTML = r'<code style="font-family: Menlo, Consolas, monospace; font-size: 14px;">\1</code>'


def _bold(text: str, style: _Style) -> str:
    """Escaped text with each mentor's name in bold."""
    if not style.people:
        return str(escape(text))
    names = re.compile("|".join(re.escape(n) for n in style.people))
    out, position = [], 0
    for match in names.finditer(text):
        out.append(str(escape(text[position : match.start()])))
        out.append(f"<strong>{escape(match.group(0))}</strong>")
        position = match.end()
    out.append(str(escape(text[position:])))
    return "".join(out)


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"
