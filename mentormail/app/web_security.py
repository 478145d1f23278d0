"""What every page and webhook of the web app is guarded by: a same-origin check on link
POSTs (RFC 8058 one-click unsubscribe still one click), headers that keep pages out of
frames and referrers, and rate limits on Redis (one round trip a request) no real person meets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, request
from flask.sessions import SessionInterface, SessionMixin
from jinja2 import Template, nodes
from limits import RateLimitItem
from werkzeug.serving import WSGIRequestHandler

from mentormail.app.rate_limits import RateLimits, Rule
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
KEY_PREFIX = "mentormail-limits"  # Redis keys LIMITER/mentormail-limits/<bucket>/<scope>/...
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
_HEADER_ITEMS = tuple((name.lower(), (name, value)) for name, value in HEADERS.items())
LINK_TEMPLATE = "link.html"
PAGE_NAMES = frozenset({"page", "path"})  # all a link page's template is given
RETRY_LATER = {"Retry-After": "60"}
TOO_MANY_LINKS = LinkPage(
    "Please wait a minute",
    "We received a great many requests from your network just now, so nothing has changed.",
    next_step="Open the link from our email again in a minute.",
    status=429,
)
# A rate limit's windows, each with what names a request's bucket from its address and token.
Windows = list[tuple[RateLimitItem, Callable[[str, str], str]]]


def protect(app: Flask, services: Services) -> Callable[[str, str], bool]:
    """Guard the app's link pages and webhooks; returns the count of a link page's request by
    its address and token (the same windows and keys as the app's own, for ``LinkPageGets``)."""
    app.wsgi_app = SecureHeaders(app.wsgi_app)  # type: ignore[method-assign]
    app.session_interface = NoSessions()
    limits = RateLimits(_redis(services), KEY_PREFIX)
    rules = {
        "links": _windows(
            Rule(LINKS_PER_ADDRESS, _by_address), Rule(LINKS_PER_TOKEN_PREFIX, _by_token_prefix)
        ),
        "sendgrid": _windows(Rule(WEBHOOKS_PER_ADDRESS, _by_address)),
    }
    app.before_request(lambda: _limit(limits, rules))
    app.before_request(lambda: _refuse_cross_site_post(services))
    return lambda address, token: within_limits(limits, rules["links"], "links", address, token)


def _windows(*rules: Rule) -> Windows:
    """Each window of the rules with the function that names a request's bucket."""
    return [(item, rule.key) for rule in rules for item in rule.items()]


def _redis(services: Services) -> Any | None:
    """The queue's Redis when there is one (shared by every web process), else None: memory."""
    if isinstance(services.queue, RqQueue):
        return services.queue.connection()
    return None


def _limit(limits: RateLimits, rules: dict[str, Windows]) -> tuple[str, int, dict[str, str]] | None:
    """Count the request in every window of its blueprint (one Redis round trip); over any
    limit: 429, and nothing is looked up or done."""
    scope = request.blueprint
    windows = rules.get(scope or "")
    if not windows or request.url_rule is None:
        return None
    token = str((request.view_args or {}).get("token", ""))
    if within_limits(limits, windows, scope or "", _address(), token):
        return None
    if scope != "links":
        return "too many requests", 429, RETRY_LATER
    return page_html(TOO_MANY_LINKS), 429, RETRY_LATER


def within_limits(
    limits: RateLimits, windows: Windows, scope: str, address: str, token: str
) -> bool:
    """Count a request from ``address`` (for ``token``, if a link's) in each of the scope's
    windows; False, logged, when it is over any of them."""
    if limits.allow([(item, bucket(address, token), scope) for item, bucket in windows]):
        return True
    log.info("rate limit met on %s by %s", scope, address)
    return False


def _address() -> str:
    """Where a request comes from (the proxy's word, when trusted)."""
    return request.remote_addr or "127.0.0.1"


def _by_address(address: str, token: str) -> str:
    """The bucket of a request by where it comes from."""
    return address


def _by_token_prefix(address: str, token: str) -> str:
    """The bucket of a link request: its token's first characters."""
    return f"token:{token[:TOKEN_PREFIX]}"


def page_html(page: LinkPage) -> str:
    """A link page's HTML (autoescaped) for this request, from the app's compiled template."""
    return render_page(current_app, page, request.path)


def render_page(app: Flask, page: LinkPage, path: str) -> str:
    """A link page's HTML (autoescaped) for the request of ``path``: ``Template.render`` with
    a shared context, the page and path alone (no copy of the app's dozen Jinja globals per
    page, half the render's CPU); ``link_template`` makes sure the page names nothing else."""
    template = link_template(app)
    context = template.new_context({"page": page, "path": path}, shared=True)
    try:
        return template.environment.concat(template.root_render_func(context))
    except Exception:
        return template.environment.handle_exception()  # as ``render``: the template's traceback


def link_template(app: Flask) -> Template:
    """``link.html`` compiled once per app: no loader lookup, context processors or signals
    per request; refused if it names anything but ``page`` and ``path``, as the page's
    context holds nothing else (a global would read as an empty string, not fail)."""
    template = app.extensions.get(LINK_TEMPLATE)
    if template is None:
        env = app.jinja_env
        source, _, _ = env.loader.get_source(env, LINK_TEMPLATE)  # type: ignore[union-attr]
        loads = env.parse(source).find_all(nodes.Name)
        names = {name.name for name in loads if name.ctx == "load"}  # globals included
        if names - PAGE_NAMES:
            raise RuntimeError(f"{LINK_TEMPLATE} names {sorted(names - PAGE_NAMES)}")
        template = app.extensions[LINK_TEMPLATE] = env.get_template(LINK_TEMPLATE)
    return template


class SecureHeaders:
    """WSGI middleware: every response not framed, no referrer, no sniffing, not cached (a
    header the app set itself is kept); the header list is built once, not per request."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Call the app, adding the headers it did not set to its response."""
        return self.app(environ, secured(start_response))


def secured(start_response: Callable[..., Any]) -> Callable[..., Any]:
    """``start_response`` adding the security headers a response does not set itself."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        present = {name.lower() for name, _ in headers}
        headers.extend(item for key, item in _HEADER_ITEMS if key not in present)
        return start_response(status, headers, exc_info)

    return start


class NoSessions(SessionInterface):
    """No cookie sessions: no page keeps state between requests (a link carries its token),
    so none is unsigned or signed per request; ``flask.session`` is a null session."""

    def open_session(self, app: Flask, request: Any) -> None:
        """Nothing to open."""
        return None

    def save_session(self, app: Flask, session: SessionMixin, response: Any) -> None:
        """Nothing to save."""


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
    return page_html(page), 403


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
