"""The bare Flask app the link pages are measured against (not a benchmark itself)."""

from flask import Flask

app = Flask(__name__)


@app.get("/a/<token>")
def hello(token: str) -> str:
    """A page that does nothing."""
    return "hello"
