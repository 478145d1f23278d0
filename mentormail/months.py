"""English month names and their short forms, for the rules that read dates people write.

Shared by the reader (`inbound/`) and the rules (`workflows/`), which may not import each
other, so it sits beside both.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Longest first, so "september" is tried before "sep".
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
