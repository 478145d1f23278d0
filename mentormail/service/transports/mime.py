"""Build one RFC 5322 message (text + HTML alternative, UTF-8) from an ``OutgoingEmail``."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from mentormail.service.ports import OutgoingEmail

# Headers build_mime sets itself; an extra header of the same name replaces the default.
_OWN_HEADERS = {"message-id", "from", "to", "subject", "reply-to", "date", "mime-version"}


def build_mime(email: OutgoingEmail) -> EmailMessage:
    """Return the MIME message for ``email``: our Message-ID, Reply-To, Date and extra headers."""
    msg = EmailMessage()
    msg["Message-ID"] = email.message_id
    msg["Date"] = formatdate(usegmt=True)
    msg["From"] = email.from_addr
    msg["To"] = email.to_addr
    msg["Subject"] = email.subject
    if email.reply_to:
        msg["Reply-To"] = email.reply_to
    for name, value in email.headers.items():
        if name.lower() in _OWN_HEADERS:
            del msg[name]
        msg[name] = value
    msg.set_content(email.text, charset="utf-8")
    if email.html:
        msg.add_alternative(email.html, subtype="html", charset="utf-8")
    return msg
