"""What the receiving side said of a message's sender (RFC 8601 Authentication-Results, as
Dovecot/Postfix or our SendGrid webhook prepend it): the topmost header only, since any
header below it may have been written by the sender."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mentormail.inbound.reading import Reading

_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
FAILING = frozenset({"fail", "permerror"})


@dataclass(frozen=True)
class Verdict:
    """The receiving side's results, "" where it gave none."""

    spf: str = ""
    dkim: str = ""
    dmarc: str = ""

    @property
    def known(self) -> bool:
        """Whether the receiving side checked anything at all."""
        return bool(self.spf or self.dkim or self.dmarc)

    @property
    def dmarc_failed(self) -> bool:
        """DMARC failed, or (without a DMARC result) SPF failed and DKIM did not pass."""
        if self.dmarc:
            return self.dmarc in FAILING
        return self.spf in FAILING and self.dkim != "pass"

    @property
    def passed(self) -> bool:
        """DMARC passed, or (without one) SPF or DKIM passed."""
        if self.dmarc:
            return self.dmarc == "pass"
        return "pass" in (self.spf, self.dkim)

    def describe(self) -> str:
        """For people: ``spf=fail dkim=none dmarc=fail``."""
        return " ".join(f"{k}={v or 'none'}" for k, v in vars(self).items())


def verdict_of(reading: Reading) -> Verdict:
    """The results in the topmost Authentication-Results header (the one our side added)."""
    for name, value in reading.parsed.headers:
        if name.lower() == "authentication-results":
            found: dict[str, str] = {}
            for method, result in _RESULT.findall(value):
                found.setdefault(method.lower(), result.lower())
            return Verdict(**found)
    return Verdict()


def sendgrid_header(spf: str, dkim: str) -> bytes:
    """An Authentication-Results header from SendGrid Inbound Parse's ``SPF``/``dkim`` fields
    (``dkim`` reads like ``{@example.com : pass}``), to prepend to the stored raw mail."""
    spf_result = (re.findall(r"[a-z]+", spf.lower()) or ["none"])[0]
    dkim_results = re.findall(r":\s*([a-z]+)", dkim.lower())
    dkim_result = (
        "pass" if "pass" in dkim_results else (dkim_results[0] if dkim_results else "none")
    )
    results = f"spf={spf_result}; dkim={dkim_result}"
    return f"Authentication-Results: sendgrid.inbound-parse; {results}\r\n".encode()
