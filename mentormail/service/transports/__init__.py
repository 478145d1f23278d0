"""Outbound transports: SendGrid v3 API, SMTP relay, and a file maildir (the default)."""

from __future__ import annotations

from typing import Any

from mentormail.service.ports import Mailer
from mentormail.service.transports.errors import PermanentSendError, TransientSendError

__all__ = ["PermanentSendError", "TransientSendError", "make_mailer"]


def make_mailer(kind: str, **settings: Any) -> Mailer:
    """Build the transport named ``kind`` (``file``, ``smtp`` or ``sendgrid``) from settings."""
    if kind in ("file", "maildir"):
        from mentormail.service.transports.maildir import MaildirMailer

        return MaildirMailer(**settings)
    if kind == "smtp":
        from mentormail.service.transports.smtp import SmtpMailer

        return SmtpMailer(**settings)
    if kind == "sendgrid":
        from mentormail.service.transports.sendgrid import SendGridMailer

        return SendGridMailer(**settings)
    raise ValueError(f"unknown transport {kind!r}: expected file, smtp or sendgrid")
