"""Errors of the service layer, and how the web edge maps them to HTTP.

MentormailError
├── PermanentError            retrying will not help; a person must look (HTTP 4xx)
│   ├── ConfigError           a setting is missing or malformed
│   │   └── DatabaseNotReady  no database there yet, or not migrated (run `mentormail init`)
│   ├── ProgramFileError      a program YAML file is invalid
│   ├── NotFound              no such program / participant / message (404)
│   ├── LinkError             a one-time link cannot act (410 Gone)
│   │   ├── LinkExpired
│   │   └── LinkUsed
│   ├── InvalidTransition     the workflow refused the event (409)
│   ├── StillTakingPart       a person must leave before their data can be erased (409)
│   ├── UnknownEffect         a decision asked for an effect the interpreter does not know
│   ├── UnknownAction         a link names an action the link table does not know
│   ├── MessageTooLarge       inbound mail over the size limit (413)
│   ├── Unauthorized          a webhook without the right secret or signature (401/403)
│   └── PermanentSendError    the transport refused the message for good
└── TransientError            may work if tried again later (HTTP 503)
    ├── TransientSendError    the transport is busy or unreachable
    └── Busy                  two transactions collided twice (deadlock, serialization)
"""

from __future__ import annotations

from mentormail.workflows.exceptions import InvalidTransition, UnknownValue


class MentormailError(Exception):
    """Base of every error the service raises on purpose."""

    http_status = 500


class PermanentError(MentormailError):
    """Retrying will not help."""

    http_status = 400


class TransientError(MentormailError):
    """May succeed if tried again later."""

    http_status = 503


class ConfigError(PermanentError):
    """A setting is missing or malformed."""


class DatabaseNotReady(ConfigError):
    """The configured database does not exist yet, cannot be reached, or is not migrated."""


class ProgramFileError(PermanentError):
    """A program file is not valid."""


class NotFound(PermanentError):
    """The thing asked for does not exist."""

    http_status = 404


class LinkError(PermanentError):
    """A one-time link cannot act."""

    http_status = 410


class LinkExpired(LinkError):
    """The link's time has passed."""


class LinkUsed(LinkError):
    """The link was already used."""


class MessageTooLarge(PermanentError):
    """Inbound mail larger than the configured limit."""

    http_status = 413


class Unauthorized(PermanentError):
    """A request without the right credentials."""

    http_status = 401


class PermanentSendError(PermanentError):
    """Sending failed and never will work for this message (5xx SMTP, 4xx API)."""


class TransientSendError(TransientError):
    """Sending failed, but trying again later may work (4xx, timeouts, rate limits)."""


class Busy(TransientError):
    """Another transaction collided with this one twice running; nothing was changed."""


class UnknownEffect(PermanentError):
    """An effect the interpreter has no handler for: a bug, never skipped."""

    http_status = 500


class UnknownAction(PermanentError):
    """A link action the link table does not name: it does nothing, never a default."""

    http_status = 404


__all__ = [
    "Busy",
    "ConfigError",
    "DatabaseNotReady",
    "InvalidTransition",
    "LinkError",
    "LinkExpired",
    "LinkUsed",
    "MentormailError",
    "MessageTooLarge",
    "NotFound",
    "PermanentError",
    "PermanentSendError",
    "ProgramFileError",
    "TransientError",
    "TransientSendError",
    "Unauthorized",
    "UnknownAction",
    "UnknownEffect",
    "UnknownValue",
]


class StillTakingPart(PermanentError):
    """A person's data cannot be erased while they still take part: partners must be told."""

    http_status = 409
