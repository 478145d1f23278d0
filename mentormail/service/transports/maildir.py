"""The embedded default transport: each message becomes a file in a local maildir."""

from __future__ import annotations

import mailbox
from pathlib import Path

from mentormail.service.ports import OutgoingEmail
from mentormail.service.transports.errors import PermanentSendError, TransientSendError
from mentormail.service.transports.mime import build_mime


class MaildirMailer:
    """Writes each message into ``path`` (a maildir, created if missing); returns its key."""

    def __init__(self, path: str | Path) -> None:
        """Remember where the maildir lives; nothing is touched until the first send."""
        self.path = Path(path)

    def send(self, email: OutgoingEmail) -> str:
        """Store ``email`` in the maildir's ``new/`` folder and return the maildir key."""
        try:
            box = mailbox.Maildir(self.path, create=True)
            return str(box.add(build_mime(email).as_bytes()))
        except (PermissionError, NotADirectoryError, FileExistsError) as exc:
            raise PermanentSendError(f"maildir {self.path} is not usable: {exc}") from exc
        except OSError as exc:  # disk full and the like: may pass
            raise TransientSendError(f"maildir {self.path}: {exc}") from exc
