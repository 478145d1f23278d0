"""Errors every transport raises, so the outbound worker can decide to retry or give up."""

from __future__ import annotations


class TransientSendError(Exception):
    """Sending failed, but trying again later may work (4xx, timeouts, rate limits)."""


class PermanentSendError(Exception):
    """Sending failed and never will work for this message (5xx SMTP, 4xx API)."""
