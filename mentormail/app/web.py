"""The Flask app factory: one-time link pages, provider webhooks, a health check."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, jsonify, request
from werkzeug.middleware.proxy_fix import ProxyFix

from mentormail.app import web_security
from mentormail.app.link_gets import LinkPageGets
from mentormail.service import links
from mentormail.service.context import Services
from mentormail.service.exceptions import MentormailError

log = logging.getLogger(__name__)
FORM_OVERHEAD = 1024 * 1024  # multipart framing and the other SendGrid fields


def create_app(services: Services) -> Flask:
    """A Flask app bound to ``services``; nothing connects until a request needs it."""
    app = Flask(__name__)
    max_mail = services.config.inbound_max_bytes
    app.config.update(
        SECRET_KEY=services.config.secret_key,
        # Flask's defaults would silently lose large mail: raise every limit to fit 30 MB.
        MAX_CONTENT_LENGTH=max_mail + FORM_OVERHEAD,
        MAX_FORM_MEMORY_SIZE=max_mail + FORM_OVERHEAD,
        MAX_FORM_PARTS=1000,
    )
    app.extensions["mentormail"] = services
    app.register_blueprint(link_pages(services))
    from mentormail.webhooks.sendgrid import sendgrid_webhooks

    app.register_blueprint(sendgrid_webhooks(services), url_prefix="/webhooks/sendgrid")
    app.register_error_handler(MentormailError, _error_response)
    app.add_url_rule("/healthz", "healthz", lambda: {"ok": True})
    within_limits = web_security.protect(app, services)  # --- security: CSRF, headers, limits
    app.wsgi_app = LinkPageGets(app, services, within_limits)  # type: ignore[method-assign]
    if services.config.trusted_proxies > 0:  # the client's address as our own proxies saw it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=services.config.trusted_proxies)  # type: ignore[method-assign]
    return app


def link_pages(services: Services) -> Blueprint:
    """``/a/<token>``: GET shows a confirmation page and changes nothing; POST acts once."""
    pages = Blueprint("links", __name__)

    @pages.get("/a/<token>")
    def confirm(token: str) -> tuple[str, int]:
        page = links.describe(services, token)
        return web_security.page_html(page), page.status

    @pages.post("/a/<token>")
    def perform(token: str) -> tuple[str, int]:
        one_click = request.get_data(as_text=True).strip() == web_security.ONE_CLICK
        page = links.act(services, token, only_action="unsubscribe" if one_click else None)
        return web_security.page_html(page), page.status

    return pages


def _error_response(error: MentormailError) -> tuple[Response, int]:
    """Our errors as JSON with the status their class names."""
    status = getattr(error, "http_status", 500)
    if status >= 500:
        log.error("request failed: %s", error)
    return jsonify(error=type(error).__name__, message=str(error)), status
