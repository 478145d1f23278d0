"""Small raw-mail builders for the inbound unit tests."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "eml" / "classify"
CORPUS = Path("/work/shared/corpus")


def raw_mail(body: str | bytes = "Hello\n", **headers: str) -> bytes:
    """A raw message: headers given as keyword arguments (underscores become dashes)."""
    defaults = {"From": "Alex Martin <alex@example.org>", "To": "reply+tok@in.example.edu"}
    defaults.setdefault("Subject", "Re: Sam Lee would like you as a mentor")
    fields = {**defaults, **{k.replace("_", "-"): v for k, v in headers.items()}}
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    data = (
        body
        if isinstance(body, bytes)
        else body.replace("\r\n", "\n").replace("\n", "\r\n").encode()
    )
    return head.encode("utf-8") + b"\r\n" + data


def fixture(name: str) -> bytes:
    """The bytes of one classify fixture."""
    return (FIXTURES / name).read_bytes()


def sample_mails() -> list[bytes]:
    """Every classify fixture and every .eml file of the shared corpus."""
    files = sorted(FIXTURES.glob("*.eml"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.rglob("*.eml"))
    return [path.read_bytes() for path in files]
