"""SMTP transport (a campus relay): 4xx and connection trouble are transient, 5xx permanent."""

from __future__ import annotations

import smtplib
import ssl
from email.utils import getaddresses, parseaddr

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.errors import PermanentSendError, TransientSendError
from mentormail.service.transports.mime import build_mime


class SmtpMailer:
    """Sends each message in its own SMTP session; returns our Message-ID."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30,
    ) -> None:
        """Remember how to reach the relay; no connection is made here."""
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    def send(self, email: OutgoingEmail) -> str:
        """Deliver ``email`` to the relay; map SMTP replies onto our two error kinds."""
        msg = build_mime(email)
        sender = parseaddr(email.from_addr)[1]
        rcpts = [addr for _, addr in getaddresses([email.to_addr]) if addr]
        if not rcpts:
            raise PermanentSendError(f"no recipient address in {email.to_addr!r}")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                self._open(smtp)
                refused = smtp.send_message(msg, from_addr=sender, to_addrs=rcpts)
        except smtplib.SMTPRecipientsRefused as exc:
            raise _by_code(_worst(exc.recipients), f"recipients refused: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            text = (
                exc.smtp_error.decode("utf-8", "replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise _by_code(exc.smtp_code, f"{exc.smtp_code} {text}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentSendError(f"relay does not support what we asked: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused, timeouts
            raise TransientSendError(f"SMTP {self.host}:{self.port}: {exc!r}") from exc
        if refused:  # some, not all, recipients refused; we only ever send to one
            raise _by_code(_worst(refused), f"recipients refused: {refused}")
        return email.message_id

    def _open(self, smtp: smtplib.SMTP) -> None:
        """Say hello, upgrade to TLS if configured, and log in if we have credentials."""
        smtp.ehlo()
        if self.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if self.username is not None:
            smtp.login(self.username, self.password or "")


def _worst(recipients: dict[str, tuple[int, bytes]]) -> int:
    """Return the most severe SMTP code among refused recipients."""
    return max(code for code, _ in recipients.values())


def _by_code(code: int, detail: str) -> Exception:
    """Map an SMTP reply code to a transient (4xx) or permanent (5xx, other) error."""
    if 400 <= code < 500 or code == -1:  # -1: smtplib's "connection lost" pseudo-code
        return TransientSendError(detail)
    return PermanentSendError(detail)
