"""The embedded default transport: each message becomes a file in a local maildir."""

from __future__ import annotations

import mailbox
from pathlib import Path

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.dkim_signing import DkimSigner
from mentormail.service.transports.errors import PermanentSendError, TransientSendError
from mentormail.service.transports.mime import as_bytes


class MaildirMailer:
    """Writes each message into ``path`` (a maildir, created with its parents if missing)."""

    def __init__(self, path: str | Path, signer: DkimSigner | None = None) -> None:
        """Remember where the maildir lives; nothing is touched until the first send."""
        self.path = Path(path)
        self.signer = signer
        self._box: mailbox.Maildir | None = None

    def send(self, email: OutgoingEmail) -> str:
        """Store ``email`` (CRLF, DKIM-signed if configured) in ``new/``; return its key."""
        raw = as_bytes(email)
        if self.signer is not None:
            raw = self.signer.sign(raw)
        try:
            return str(self._maildir().add(raw))
        except (PermissionError, NotADirectoryError, FileExistsError) as exc:
            self._box = None
            raise PermanentSendError(f"maildir {self.path} is not usable: {exc}") from exc
        except OSError as exc:  # disk full, the folder removed meanwhile: may pass
            self._box = None
            raise TransientSendError(f"maildir {self.path}: {exc}") from exc

    def _maildir(self) -> mailbox.Maildir:
        """The maildir, made (parents too) on first use."""
        if self._box is None:
            for sub in (
                "tmp",
                "new",
                "cur",
            ):  # Maildir(create=True) skips them in a folder that exists
                (self.path / sub).mkdir(parents=True, exist_ok=True)
            self._box = mailbox.Maildir(self.path, create=True)
        return self._box
