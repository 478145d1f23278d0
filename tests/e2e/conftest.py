"""End-to-end tier: whole journeys through the real doors, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server


class WebServer:
    """A Flask app served over real HTTP on a free loopback port, in a thread."""

    def __init__(self) -> None:
        self._server = make_server("127.0.0.1", 0, Flask("placeholder"), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def serve(self, app: Flask) -> None:
        """Serve ``app`` (built after the URL is known, so links point here)."""
        self._server.app = app
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    """A real HTTP server; call ``serve(app)`` once the app exists."""
    server = WebServer()
    yield server
    server.stop()
