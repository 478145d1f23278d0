"""SMTP transport (a campus relay): 4xx and connection trouble are transient, 5xx permanent.

One SMTP session per mailer (so per worker) is kept open and reused; a session the relay
closed while idle is opened again before anything of the message was sent, never after.
"""

from __future__ import annotations

import smtplib
import ssl
import time

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.dkim_signing import DkimSigner
from mentormail.service.transports.errors import PermanentSendError, TransientSendError
from mentormail.service.transports.headers import split_mailbox
from mentormail.service.transports.mime import as_bytes

IDLE_SECONDS = 60  # a session idle longer than this is checked with NOOP before reuse


class SmtpMailer:
    """Sends through one reused SMTP session; returns our Message-ID."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30,
        signer: DkimSigner | None = None,
    ) -> None:
        """Remember how to reach the relay; no connection is made here."""
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
        self.signer = signer
        self._smtp: smtplib.SMTP | None = None
        self._last_used = 0.0

    def send(self, email: OutgoingEmail) -> str:
        """Deliver ``email`` to the relay; map SMTP replies onto our two error kinds."""
        raw = as_bytes(email)  # PermanentSendError for an address that is not one
        if self.signer is not None:
            raw = self.signer.sign(raw)
        sender = email.envelope_from or split_mailbox(email.from_addr)[1]
        rcpts = [split_mailbox(email.to_addr)[1]]
        try:
            self._transaction(sender, rcpts, raw)
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            raise _by_code(_worst(exc.recipients), f"recipients refused: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            self._reset()
            text = (
                exc.smtp_error.decode("utf-8", "replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise _by_code(exc.smtp_code, f"{exc.smtp_code} {text}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            self.close()
            raise PermanentSendError(f"relay does not support what we asked: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused, timeouts
            self.close()
            raise TransientSendError(f"SMTP {self.host}:{self.port}: {exc!r}") from exc
        return email.message_id

    def _transaction(self, sender: str, rcpts: list[str], raw: bytes) -> None:
        """MAIL, RCPT, DATA on the open session (reopened once if it went away before MAIL)."""
        smtp = self._session()
        try:
            code, reply = smtp.mail(sender)
        except (smtplib.SMTPServerDisconnected, OSError):  # closed while idle: nothing was sent
            self.close()
            smtp = self._session()
            code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for rcpt in rcpts:
            code, reply = smtp.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if len(refused) == len(rcpts):
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = smtp.data(raw)
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        self._last_used = time.monotonic()
        if refused:  # some, not all, recipients refused; we only ever send to one
            raise smtplib.SMTPRecipientsRefused(refused)

    def _session(self) -> smtplib.SMTP:
        """The open session, checked if it sat idle; a new one (hello, TLS, login) otherwise."""
        if self._smtp is not None and time.monotonic() - self._last_used > IDLE_SECONDS:
            try:
                if self._smtp.noop()[0] != 250:
                    self.close()
            except (smtplib.SMTPException, OSError):
                self.close()
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                self._open(smtp)
            except BaseException:
                smtp.close()
                raise
            self._smtp, self._last_used = smtp, time.monotonic()
        return self._smtp

    def _open(self, smtp: smtplib.SMTP) -> None:
        """Say hello, upgrade to TLS if configured, and log in if we have credentials."""
        smtp.ehlo()
        if self.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if self.username is not None:
            smtp.login(self.username, self.password or "")

    def _reset(self) -> None:
        """After a refusal, RSET so the session can carry the next message (or drop it)."""
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        """End the session (QUIT if the relay still listens)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _worst(recipients: dict[str, tuple[int, bytes]]) -> int:
    """Return the most severe SMTP code among refused recipients."""
    return max(code for code, _ in recipients.values())


def _by_code(code: int, detail: str) -> Exception:
    """Map an SMTP reply code to a transient (4xx) or permanent (5xx, other) error."""
    if 400 <= code < 500 or code == -1:  # -1: smtplib's "connection lost" pseudo-code
        return TransientSendError(detail)
    return PermanentSendError(detail)
