"""Extract the new text of a reply: no quoted mail, no signature."""


def extract_reply(text: str, *, html: str | None = None) -> str:
    """The text the sender just wrote (placeholder until the extractor lands)."""
    if not text and html:
        return html
    return text.strip()
