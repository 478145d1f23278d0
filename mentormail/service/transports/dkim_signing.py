"""DKIM signatures (dkimpy, relaxed/relaxed) for the SMTP and file transports.

SendGrid signs with the program's authenticated domain on its side, so the SendGrid
transport never uses this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dkim

from mentormail.service.exceptions import ConfigError

# Signed when present: what a reader trusts, and the one-click unsubscribe (RFC 8058 §4).
SIGNED_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Id",
    "Auto-Submitted",
)


@dataclass(frozen=True)
class DkimSigner:
    """Signs whole messages for one domain and selector with one private key."""

    domain: str
    selector: str
    private_key: bytes

    @classmethod
    def from_file(cls, domain: str, selector: str, key_file: str | Path) -> DkimSigner:
        """Read the PEM private key; a missing or unreadable file is a ConfigError."""
        try:
            key = Path(key_file).read_bytes()
        except OSError as exc:
            message = f"MENTORMAIL_DKIM_PRIVATE_KEY_FILE: cannot read {key_file}: {exc}"
            raise ConfigError(message) from exc
        return cls(domain=domain, selector=selector, private_key=key)

    def sign(self, message: bytes) -> bytes:
        """The message with a DKIM-Signature header in front of it (CRLF line ends)."""
        present = {
            line.split(b":", 1)[0].strip().lower()
            for line in message.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
            if line[:1] not in (b" ", b"\t") and b":" in line
        }
        headers = [h.encode() for h in SIGNED_HEADERS if h.lower().encode() in present]
        signature = dkim.sign(
            message,
            self.selector.encode(),
            self.domain.encode(),
            self.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=headers,
            linesep=b"\r\n",
        )
        return bytes(signature) + message


def signer_from_settings(domain: str, selector: str, key_file: str) -> DkimSigner | None:
    """A signer when all three settings are given, None when none is; a half set is an error."""
    given = [bool(domain), bool(selector), bool(key_file)]
    if not any(given):
        return None
    if not all(given):
        raise ConfigError(
            "DKIM needs all of MENTORMAIL_DKIM_DOMAIN, MENTORMAIL_DKIM_SELECTOR and "
            "MENTORMAIL_DKIM_PRIVATE_KEY_FILE (or none of them)"
        )
    return DkimSigner.from_file(domain, selector, key_file)
