"""HTML mail to plain text, keeping what reply extraction needs: lines and quote marks.

Blockquotes become "> " lines (as a text/plain part would show them), a rule (<hr>)
becomes an Outlook-style separator line, and scripts, styles and the head are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

MAX_HTML_CHARS: Final = 500_000  # beyond this a reply's own text has long ended

_BLOCK_TAGS: Final = frozenset(
    {
        "address", "article", "aside", "dd", "div", "dl", "dt", "fieldset", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_SKIP_TAGS: Final = frozenset({"head", "script", "style", "title", "template", "xml"})
_SEPARATOR: Final = "_" * 32
_SPACES: Final = re.compile(r"[ \t\r\n\f\u00a0]+")


class _TextBuilder(HTMLParser):
    """Collects lines of text, tracking blockquote depth and skipped elements."""

    def __init__(self) -> None:
        """Start with no lines and no open elements."""
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._quote_depth = 0
        self._line_depth = 0
        self._skip_depth = 0
        self._pre_depth = 0

    def _flush(self) -> None:
        """End the current line, if it has anything in it."""
        text = "".join(self._current).strip()
        self._current = []
        if text:
            self.lines.append("> " * self._line_depth + text)
        self._line_depth = self._quote_depth

    def _newline(self) -> None:
        """Force a line break, keeping an empty line where the HTML has one."""
        text = "".join(self._current).strip()
        if text:
            self._flush()
        else:
            self._current = []
            self.lines.append(">" * self._quote_depth)
            self._line_depth = self._quote_depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: breaks, quotes, rules and skipped parts."""
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "br":
            self._newline()
        elif tag == "hr":
            self._flush()
            self.lines.append("> " * self._quote_depth + _SEPARATOR)
        elif tag == "blockquote":
            self._flush()
            self._quote_depth += 1
            self._line_depth = self._quote_depth
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing element: only <br/> and <hr/> matter."""
        if tag in ("br", "hr"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Close an element."""
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "blockquote":
            self._flush()
            self._quote_depth = max(0, self._quote_depth - 1)
            self._line_depth = self._quote_depth
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        """Add text, collapsing whitespace as a browser would (except in <pre>)."""
        if self._skip_depth:
            return
        if self._pre_depth:
            parts = data.split("\n")
            for part in parts[:-1]:
                self._current.append(part)
                self._newline()
            self._current.append(parts[-1])
            return
        text = _SPACES.sub(" ", data)
        if not self._current:
            self._line_depth = self._quote_depth
        self._current.append(text)

    def text(self) -> str:
        """Everything collected so far, as lines."""
        self._flush()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    """Plain text of an HTML mail body, with blockquotes as '> ' lines."""
    builder = _TextBuilder()
    try:
        builder.feed(html[:MAX_HTML_CHARS])
        builder.close()
    except (AssertionError, ValueError):  # html.parser raises these on some broken markup
        pass
    return builder.text()
