"""A link page's GET (and HEAD), ``/a/<token>``, answered by a plain WSGI app in front of
Flask; every other request goes to Flask untouched. Why: with the page down to one Redis and
one database round trip, Flask and Werkzeug's own routing, request and response objects,
context locals and the two ``before_request`` hooks were about 27% of a GET in process, and a
page served from inside Flask measured at most 0.37 of a bare Flask "hello" under gunicorn
(``benchmarks/_floor.py``; the README's "Link pages" has the figures). It does what the
Flask route does, in the same order and with the same answers: the same rate-limit count
(one EVALSHA, the same keys and windows), ``links.describe``, the same compiled template,
status, headers (``SecureHeaders``' list) and 429 page; an error of the page is answered by
Flask's own handling in a request context (our errors as JSON, anything else its 500)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from flask import Flask, Response

from mentormail.app.web_security import (
    HEADERS,
    RETRY_LATER,
    TOO_MANY_LINKS,
    render_page,
    secured,
)
from mentormail.service import links
from mentormail.service.context import Services

# What the route's ``<token>`` matches, narrowed to a token's own characters (URL-safe
# base64); anything else, a trailing slash included, is Flask's to route or refuse.
LINK_PATH = re.compile(r"/a/([A-Za-z0-9_-]+)")
HTML = "text/html; charset=utf-8"  # what Flask gives a view's str
SECURE = tuple(HEADERS.items())  # none of them is a page's own header


class LinkPageGets:
    """WSGI: GET and HEAD of ``/a/<token>`` answered here, the rest by ``app.wsgi_app``."""

    def __init__(
        self, app: Flask, services: Services, within_limits: Callable[[str, str], bool]
    ) -> None:
        self.app = app
        self.next = app.wsgi_app  # the Flask app (behind its SecureHeaders) for everything else
        self.services = services
        self.within_limits = within_limits  # counts a request by its address and token

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Answer a link page's GET or HEAD; hand anything else on."""
        found = None
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            found = LINK_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if found is None:
            return self.next(environ, start_response)
        try:
            status, headers, body = self._page(environ, found[0], found[1])
        except Exception as error:
            return self._as_flask_answers(environ, secured(start_response), error)
        start_response(status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _page(
        self, environ: dict[str, Any], path: str, token: str
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        """Count the request; over a limit, the 429 page (nothing looked up), else the link's."""
        extra: list[tuple[str, str]] = []
        if self.within_limits(environ.get("REMOTE_ADDR") or "127.0.0.1", token):
            page = links.describe(self.services, token)
        else:
            page, extra = TOO_MANY_LINKS, list(RETRY_LATER.items())
        body = render_page(self.app, page, path).encode()
        # the page's own headers, then what ``secured`` would add to them: all of HEADERS
        headers = [*extra, ("Content-Type", HTML), ("Content-Length", str(len(body))), *SECURE]
        return status_line(page.status), headers, body

    def _as_flask_answers(
        self, environ: dict[str, Any], start: Callable[..., Any], error: Exception
    ) -> Iterable[bytes]:
        """An error of the page answered as Flask answers one from its view (called while
        handling it): the app's handler for it (our errors: JSON), else Flask's logging and
        500 page (raised when testing), in a request context of its own."""
        context = self.app.request_context(environ)
        context.push()
        unhandled: Exception | None = None
        try:
            try:
                response = self.app.finalize_request(self.app.handle_user_exception(error))
            except Exception as failed:  # no handler: Flask re-raised it
                unhandled = failed
                response = self.app.handle_exception(failed)
            return response(environ, start)
        finally:
            context.pop(unhandled)


@cache
def status_line(code: int) -> str:
    """The status line Werkzeug gives a response of this code (``404 NOT FOUND``)."""
    return Response(status=code).status
