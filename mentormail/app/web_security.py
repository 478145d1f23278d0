"""What every page and webhook of the web app is guarded by: a same-origin check on link
POSTs (RFC 8058 one-click unsubscribe still one click), headers that keep pages out of
frames and referrers, and rate limits on Redis (Flask-Limiter) no real person meets."""

from __future__ import annotations

import logging
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Flask, Response, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.serving import WSGIRequestHandler

from mentormail.service.adapters import RqQueue
from mentormail.service.config import Config
from mentormail.service.context import Services
from mentormail.service.exceptions import ConfigError
from mentormail.service.links import LinkPage

log = logging.getLogger(__name__)

# A person opens a link a few times at most; a mail scanner a few more. These are far above
# that, far below a token-guessing or flooding run. SendGrid posts in bursts from few hosts.
LINKS_PER_ADDRESS = "120/minute;2000/hour"
LINKS_PER_TOKEN_PREFIX = "30/minute"
WEBHOOKS_PER_ADDRESS = "3000/minute"
TOKEN_PREFIX = 8  # characters of the token that name its bucket (guessers share a prefix)
ONE_CLICK = "List-Unsubscribe=One-Click"
SAFE_FETCH_SITES = frozenset({"same-origin", "none"})  # "none": typed or opened from mail

HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:;"
        " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def protect(app: Flask, services: Services) -> Limiter:
    """Guard the app's link pages and webhooks; returns the limiter (tests read it)."""
    app.after_request(_secure_headers)
    app.before_request(lambda: _refuse_cross_site_post(services))
    limiter = Limiter(
        get_remote_address,
        app=app,
        headers_enabled=False,  # X-RateLimit-* headers cost a Redis round trip per request
        swallow_errors=True,  # Redis down: pages keep working (and say so in the log)
        in_memory_fallback_enabled=True,
        key_prefix="mentormail-limits",
        **_storage(services),
    )
    links = cast(Blueprint, app.blueprints["links"])
    limiter.limit(LINKS_PER_ADDRESS)(links)
    limiter.limit(LINKS_PER_TOKEN_PREFIX, key_func=_token_prefix)(links)
    limiter.limit(WEBHOOKS_PER_ADDRESS)(cast(Blueprint, app.blueprints["sendgrid"]))
    return limiter


def _storage(services: Services) -> dict[str, Any]:
    """The queue's Redis when there is one (shared by every web process), else memory."""
    if isinstance(services.queue, RqQueue):
        pool = services.queue.connection().connection_pool
        return {"storage_uri": "redis://", "storage_options": {"connection_pool": pool}}
    return {"storage_uri": "memory://"}


def _token_prefix() -> str:
    """The bucket of a link request: its token's first characters."""
    token = str((request.view_args or {}).get("token", ""))
    return f"token:{token[:TOKEN_PREFIX]}"


def _secure_headers(response: Response) -> Response:
    """Every response: not framed, no referrer, no sniffing, not cached."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _refuse_cross_site_post(services: Services) -> tuple[str, int] | None:
    """A link POST from another site's page is refused (CSRF); one-click unsubscribe, which
    mail providers POST from their servers, is the one exception RFC 8058 asks for."""
    if request.method != "POST" or request.blueprint != "links":
        return None
    if request.get_data(cache=True, as_text=True).strip() == ONE_CLICK:
        return None  # the view lets such a POST act only on an unsubscribe link
    if _same_site(services.config.base_url):
        return None
    log.warning("refused a cross-site POST to %s", request.path.split("/a/")[0] + "/a/…")
    page = LinkPage(
        "Please use the button on our page",
        "This request came from another website, so nothing has changed.",
        next_step="Open the link from our email again and press the button there.",
        status=403,
    )
    return render_template("link.html", page=page), 403


def _same_site(base_url: str) -> bool:
    """Whether the browser says the POST came from our own page (no word: not a browser)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in SAFE_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    ours = {_origin(base_url), _origin(request.host_url)}
    return _origin(origin) in ours


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


# --- secrets ---------------------------------------------------------------------------------

DEFAULT_SECRET_KEY = "dev-only-change-me"  # service/config.py's default for SECRET_KEY


def refuse_default_secret(config: Config) -> None:
    """Production (gunicorn) never runs on the published default key: VERP return paths and
    sessions signed with it could be forged by anyone who read the README."""
    if config.secret_key == DEFAULT_SECRET_KEY:
        raise ConfigError(
            "MENTORMAIL_SECRET_KEY is the development default; set a long random value"
            " (python -c 'import secrets; print(secrets.token_urlsafe(48))') before serving"
        )


def masked(url: str) -> str:
    """A URL with its password shown as ***, to print or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


class LogWithoutQuery(WSGIRequestHandler):
    """The development server's request log without query strings (a ``?key=`` secret)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log the request line with the query string cut off."""
        path = self.path.split("?", 1)[0]
        self.log("info", '"%s %s %s" %s %s', self.command, path, self.request_version, code, size)
