"""A coordinator's Markdown as the two parts of an email: HTML (markdown-it-py, CommonMark,
raw HTML off) and plain text a person reads as it is (links written out, lists kept)."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with raw HTML escaped (a pasted <script> is shown, never run)."""
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


SHORT_LINE = 40  # characters: a line this short before a line break is a sign-off or address line


def _tokens(markdown: str) -> list[Token]:
    """The Markdown's tokens, a line break after a short line kept as a break."""
    tokens = _parser().parse(markdown)
    for token in tokens:
        if token.type == "inline":
            _keep_short_lines(token)
    return tokens


def _keep_short_lines(inline: Token) -> None:
    """A paragraph's soft breaks after short lines become hard ones: "Best wishes,", "Maria"
    and "Alumni Office" on lines of their own are a sign-off, not prose wrapped in the file
    (which fills its lines, so the line before a wrap is long)."""
    lines = inline.content.split("\n")
    breaks = 0
    for child in inline.children or []:
        if child.type not in ("softbreak", "hardbreak"):
            continue
        if child.type == "softbreak" and len(lines[breaks].strip()) < SHORT_LINE:
            child.type, child.tag = "hardbreak", "br"
        breaks += 1


def to_html(markdown: str) -> Markup:
    """The Markdown as HTML for the email's card."""
    parser = _parser()
    return Markup(parser.renderer.render(_tokens(markdown), parser.options, {}))


def to_text(markdown: str) -> str:
    """The Markdown as plain text: headings underlined, lists and quotes kept, each link
    as ``words (address)``, paragraphs apart by one blank line."""
    blocks: list[tuple[str, bool]] = []  # each block, and whether it is in a list
    prefixes: list[str] = []  # "> " for each quote we are in
    lists: list[list[int]] = []  # [next number] of an ordered list, [0] of a bullet list
    pending = ""  # a list item's marker, put before its first line
    underline = ""
    for token in _tokens(markdown):
        if token.type == "heading_open":
            underline = {"h1": "=", "h2": "-"}.get(token.tag, "")
        elif token.type == "blockquote_open":
            prefixes.append("> ")
        elif token.type == "blockquote_close":
            prefixes.pop()
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append([int(token.attrGet("start") or 1)] if token.tag == "ol" else [0])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            pending = _marker(lists[-1])
        elif token.type == "inline":
            text = _inline(token.children or [])
            if underline:
                text += "\n" + underline * len(text)
                underline = ""
            blocks.append((_indent(text, pending, len(lists), "".join(prefixes)), bool(lists)))
            pending = ""
        elif token.type in ("fence", "code_block"):
            code = "\n".join("    " + line for line in token.content.rstrip("\n").splitlines())
            blocks.append((_indent(code, "", len(lists), "".join(prefixes)), bool(lists)))
        elif token.type == "hr":
            blocks.append(("----", False))
    return _join(blocks)


def _marker(numbering: list[int]) -> str:
    """ "- " for a bullet, "3. " for the next of an ordered list (which it then counts on)."""
    if numbering[0] == 0:
        return "- "
    numbering[0] += 1
    return f"{numbering[0] - 1}. "


def _indent(text: str, marker: str, depth: int, quote: str) -> str:
    """A block's lines under its list marker and quote marks."""
    pad = "  " * max(depth - 1, 0)
    lines = text.splitlines() or [""]
    first = f"{quote}{pad}{marker}{lines[0]}"
    rest = [f"{quote}{pad}{' ' * len(marker)}{line}" for line in lines[1:]]
    return "\n".join([first, *rest])


def _inline(children: list[Token]) -> str:
    """A paragraph's words, each link followed by its address."""
    out: list[str] = []
    href, start = "", 0
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")  # a line wrapped in the file is one line to its reader, as in the HTML
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "link_open":
            href, start = str(child.attrGet("href") or ""), len(out)
        elif child.type == "link_close":
            words = "".join(out[start:]).strip()
            out.append("" if words == href or not href else f" ({href})")
        elif child.type == "image":
            out.append(f"{child.content} ({child.attrGet('src')})")
    return "".join(out).strip()


def _join(blocks: list[tuple[str, bool]]) -> str:
    """Blocks apart by one blank line, except the items of one list, which sit together."""
    out, in_list = "", False
    for block, listed in blocks:
        if out:
            out += "\n" if listed and in_list else "\n\n"
        out, in_list = out + block, listed
    return out.strip("\n") + "\n"
