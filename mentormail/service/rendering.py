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
from dataclasses import dataclass
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
    TemplateNotFound,
)
from markupsafe import Markup, escape

_URL = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class Rendered:
    """One message's subject and bodies."""

    subject: str
    text: str
    html: str


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
    env.filters["indent_quote"] = indent_quote
    env.filters["text_to_html"] = text_to_html
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


def _candidates(template: str, suffix: str) -> list[str]:
    """Where a message's part may be: a program's flat override first, then its folder."""
    folder = message_folders().get(template)
    if folder is None:
        raise TemplateNotFound(template)
    return [f"{template}{suffix}", f"{folder}/{template}{suffix}"]


def render(template: str, context: dict[str, Any], override_dir: str | None = None) -> Rendered:
    """Render the text part (which sets ``subject``), then the HTML part."""
    env = environment(override_dir)
    text_module = env.select_template(_candidates(template, ".txt")).make_module(context)
    subject = " ".join(str(getattr(text_module, "subject", "")).split())
    text = _tidy(str(text_module))
    html_context = {**context, "subject": subject, "body_text": text}
    try:
        html_template = env.select_template(_candidates(template, ".html"))
    except TemplateNotFound:
        html_template = env.get_template("_message.html")
    return Rendered(subject, text, css_inline.inline(html_template.render(html_context)))


def indent_quote(text: str) -> str:
    """Quote someone's words, email style, so they stand apart from ours."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).strip().splitlines())


def text_to_html(text: str, links: dict[str, str] | None = None) -> Markup:
    """Lay out a text body as HTML: paragraphs, quotes, and one-time links as buttons."""
    action_urls = set((links or {}).values())
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return Markup("\n".join(_block_to_html(b, action_urls) for b in blocks))


def _block_to_html(block: str, action_urls: set[str]) -> str:
    """One paragraph or quote of a text body as HTML."""
    lines = block.splitlines()
    if all(line.startswith(">") for line in lines):
        inner = "<br>".join(escape(line[1:].strip()) for line in lines)
        return f"<blockquote>{inner}</blockquote>"
    return "<p>" + "<br>\n".join(_line_to_html(line, action_urls) for line in lines) + "</p>"


def _line_to_html(line: str, action_urls: set[str]) -> str:
    """A line with its links: a one-time link becomes a button named by the words before it."""
    match = _URL.search(line)
    if not match:
        return str(escape(line))
    url = match.group(0).rstrip(".,;:!?)")  # sentence punctuation is not part of a link
    end = match.start() + len(url)
    before, after = line[: match.start()], line[end:]
    if url in action_urls:
        label = before.strip().strip("-").strip().rstrip(":").strip() or "Open"
        return f'<a class="button" href="{escape(url)}">{escape(label)}</a>{escape(after)}'
    return f'{escape(before)}<a href="{escape(url)}">{escape(url)}</a>{escape(after)}'


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"
