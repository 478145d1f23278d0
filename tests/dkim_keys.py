"""A throwaway DKIM key pair for tests, and the DNS answer a verifier would get for it."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DOMAIN = "example.edu"
SELECTOR = "mm2026"


@dataclass(frozen=True)
class KeyPair:
    """A private key (PEM) and its DKIM TXT record."""

    private_pem: bytes
    txt_record: bytes

    def write_private(self, folder: Path) -> Path:
        """The private key as a file, as an operator would give it."""
        path = folder / "dkim-private.pem"
        path.write_bytes(self.private_pem)
        return path

    def dns(self) -> Callable[..., bytes]:
        """A dnsfunc for dkimpy: the TXT record at <selector>._domainkey.<domain>."""
        name = f"{SELECTOR}._domainkey.{DOMAIN}.".encode()

        def lookup(qname: bytes, timeout: int = 5) -> bytes:
            return self.txt_record if qname == name else b""

        return lookup

    def verifies(self, message: bytes) -> bool:
        """Whether the message's DKIM signature verifies against the public key."""
        return bool(dkim.verify(message, dnsfunc=self.dns()))


@lru_cache(maxsize=1)
def key_pair() -> KeyPair:
    """One 2048-bit RSA pair per test session."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public))
