"""A real SMTP server (aiosmtpd) in a thread that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.servers._proc import free_port

REPLIES = {
    421: "421 4.3.2 Service not available, closing transmission channel",
    451: "451 4.3.0 Requested action aborted: local error in processing",
    452: "452 4.2.2 Mailbox full",
    550: "550 5.1.1 Requested action not taken: mailbox unavailable",
    552: "552 5.3.4 Message size exceeds fixed maximum message size",
    554: "554 5.7.1 Transaction failed: rejected by policy",
}


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    peer: Any = None  # the client's (host, port): one per SMTP connection

    @property
    def message(self) -> EmailMessage:
        """The raw bytes parsed with the modern email API."""
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    """A running aiosmtpd; ``messages`` fills as mail arrives, ``fail_next`` injects errors."""

    host: str
    port: int
    username: str
    password: str
    messages: list[ReceivedMail] = field(default_factory=list)
    _faults: list[int] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _controller: Controller | None = field(default=None, repr=False)

    def fail_next(self, code: int, times: int = 1) -> None:
        """Answer the next ``times`` messages' DATA with SMTP reply ``code`` (451, 550, ...)."""
        with self._lock:
            self._faults.extend([code] * times)

    def reset(self) -> None:
        """Forget received mail and pending faults."""
        with self._lock:
            self.messages.clear()
            self._faults.clear()

    def take_fault(self) -> int | None:
        """Pop the next injected reply code, if any."""
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def record(self, mail: ReceivedMail) -> None:
        """Keep one received message."""
        with self._lock:
            self.messages.append(mail)

    def stop(self) -> None:
        """Stop the server thread."""
        if self._controller is not None:
            self._controller.stop()


class _Handler:
    """aiosmtpd handler: records each message unless a fault is queued."""

    def __init__(self, server: SmtpServer) -> None:
        """Remember where to record mail."""
        self.server = server

    async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:
        """Answer a queued fault, or store the message and accept it."""
        code = self.server.take_fault()
        if code is not None:
            return REPLIES.get(code, f"{code} Injected failure")
        raw = envelope.original_content or envelope.content
        self.server.record(
            ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(raw), session.peer)
        )
        return "250 2.0.0 Message accepted for delivery"


def start_smtp(username: str = "relay", password: str = "relay-secret") -> SmtpServer:
    """Start aiosmtpd on a free loopback port; AUTH is offered but not required."""
    server = SmtpServer(host="127.0.0.1", port=free_port(), username=username, password=password)

    def authenticate(
        _server: Any, _session: Any, _envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == username
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        _Handler(server),
        hostname="127.0.0.1",
        port=server.port,
        authenticator=authenticate,
        auth_required=False,
        auth_require_tls=False,
        data_size_limit=40 * 1024 * 1024,
    )
    controller.start()
    server._controller = controller
    return server
