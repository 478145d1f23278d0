"""Errors every transport raises, so the outbound worker can decide to retry or give up.

They are defined with the rest of the service's errors (``service.exceptions``).
"""

from __future__ import annotations

from mentormail.service.exceptions import PermanentSendError, TransientSendError

__all__ = ["PermanentSendError", "TransientSendError"]
