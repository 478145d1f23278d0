"""Month names and their short forms (English, and the six languages), for the rules that read
dates people write.

Shared by the reader (`inbound/`) and the rules (`workflows/`), which may not import each
other, so it sits beside both.
"""

from __future__ import annotations

import re

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

# Other languages' month names beside English's. Portuguese "out" and "set" (outubro,
# setembro) are left out: "2 out of 3" and "set" are English words.
MONTHS_ANY_LANGUAGE: dict[str, int] = {
    **MONTHS,
    **{
        name: number
        for number, names in enumerate(
            (
                ("januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro"),
                ("februar", "février", "fevrier", "févr", "febrero", "fevereiro", "fev"),
                ("märz", "maerz", "mär", "mars", "marzo", "março", "marco"),
                ("avril", "avr", "abril", "abr"),
                ("mai", "mayo", "maio"),
                ("juni", "juin", "junio", "junho"),
                ("juli", "juillet", "juil", "julio", "julho"),
                ("août", "aout", "agosto"),
                ("septembre", "septiembre", "setiembre", "setembro"),
                ("oktober", "okt", "octobre", "octubre", "outubro"),
                ("novembre", "noviembre", "novembro"),
                ("dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dezembro"),
            ),
            start=1,
        )
        for name in names
    },
}


def month_pattern(without: frozenset[str] = frozenset()) -> str:
    """The six languages' month names as one alternation, longest first and escaped
    ("févr."-like short forms stay literal), less the names ``without``."""
    names = (name for name in MONTHS_ANY_LANGUAGE if name not in without)
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


MONTH_PATTERN_ANY_LANGUAGE = month_pattern()
