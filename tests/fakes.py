"""Hand-written fakes at our own Protocol boundaries (queue, clock, mailer), for fast tiers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.errors import PermanentSendError, TransientSendError


@dataclass
class FakeClock:
    """A clock that stands still until told to move."""

    current: datetime = datetime(2026, 10, 1, 9, 0, 0)  # inside the example program's term

    def now(self) -> datetime:
        """The fake's time."""
        return self.current

    def advance(self, **delta: float) -> None:
        """Move time forward (``days=10``, ``hours=1``)."""
        self.current += timedelta(**delta)


@dataclass
class RecordingQueue:
    """Records jobs in order; ``drain`` runs them like a worker would, until none are left."""

    jobs: list[tuple[str, str, tuple[int | str, ...]]] = field(default_factory=list)
    fail_with: Exception | None = None

    def enqueue(self, queue_name: str, func_path: str, *args: int | str) -> None:
        """Record the job (or fail like a Redis that is down)."""
        if self.fail_with is not None:
            raise self.fail_with
        self.jobs.append((queue_name, func_path, args))

    def drain(self, run: Callable[[str, tuple[int | str, ...]], object], limit: int = 500) -> int:
        """Run queued jobs, including those they queue, in order; returns how many ran."""
        ran = 0
        while self.jobs and ran < limit:
            _, func_path, args = self.jobs.pop(0)
            run(func_path, args)
            ran += 1
        return ran


@dataclass
class FakeMailer:
    """Keeps what it is asked to send; can be told to fail the next sends."""

    sent: list[OutgoingEmail] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    def send(self, email: OutgoingEmail) -> str:
        """Record the email, or raise the next queued failure."""
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(email)
        return f"fake-{len(self.sent)}"

    def fail_next(self, permanent: bool = False, times: int = 1) -> None:
        """Make the next ``times`` sends fail, transiently unless ``permanent``."""
        error: Exception = PermanentSendError("550 no") if permanent else TransientSendError("451")
        self.failures.extend([error] * times)
