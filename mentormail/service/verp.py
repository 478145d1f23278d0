"""VERP return paths: ``bounce+<outbox id>.<signature>@<domain>`` names the one message a
delivery report is about, and the signature (an HMAC under the secret key) means only we
could have written it, so a report mailed to it is about mail we really sent."""

from __future__ import annotations

import hashlib
import hmac
import re

BOUNCE_ADDRESS = re.compile(r"bounce\+(\d{1,18})\.([0-9a-f]{16})@", re.IGNORECASE)


def _signature(outbox_id: int, secret: str) -> str:
    """Sixteen hex digits of HMAC-SHA256 over the outbox row's id."""
    digest = hmac.new(secret.encode(), f"bounce:{outbox_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def bounce_address(outbox_id: int, domain: str, secret: str) -> str:
    """The envelope sender (Return-Path) for one outbox row."""
    return f"bounce+{outbox_id}.{_signature(outbox_id, secret)}@{domain}"


def outbox_id_in(addresses: list[str], secret: str) -> int | None:
    """The outbox row a genuine VERP address among these names (a forged signature: None)."""
    for address in addresses:
        match = BOUNCE_ADDRESS.search(address)
        if match and hmac.compare_digest(
            match.group(2).lower(), _signature(int(match.group(1)), secret)
        ):
            return int(match.group(1))
    return None
