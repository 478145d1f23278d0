"""Outbound commands: ``mentormail check-mail`` reads messages as strict mail clients do."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mentormail.app.cli import cli
from mentormail.service.mailcheck import problems

CHECK_MAIL_HELP = """Check raw messages (FILE.eml…) as strict mail clients and filters read them.

\b
Each file is parsed by Python's email (policy.strict) and by an independent parser
(mailparse, through fast-mail-parser); they must agree on the subject, the addresses
and both bodies. Also checked: CRLF line ends; no line over 998 characters; header
names and ASCII values; no encoded words in Message-ID, Date, List-Unsubscribe,
List-Id's id or inside an address; List-Unsubscribe as <URI>, <URI> (and an https one
for List-Unsubscribe-Post: List-Unsubscribe=One-Click, RFC 8058); multipart/alternative
with text/plain first; a charset on every text part; every HTML link also in the text.
With --program-mail, also the headers every program email carries (Reply-To,
Auto-Submitted, List-Unsubscribe, List-Unsubscribe-Post, List-Id).

\b
Output: "FILE: ok", or one "FILE: problem" line per problem. --json prints JSON Lines
{"file": ..., "ok": true|false, "problems": [...]}. Exit status 1 when any file has
a problem, 0 otherwise.
"""


@cli.command("check-mail", help=CHECK_MAIL_HELP)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--program-mail", is_flag=True, help="Also require the program-mail headers.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per file.")
def check_mail(files: tuple[Path, ...], program_mail: bool, as_json: bool) -> None:
    """Run the conformance check on each file; exit 1 when any has a problem."""
    failed = False
    for file in files:
        found = problems(file.read_bytes(), program_mail=program_mail)
        failed = failed or bool(found)
        if as_json:
            click.echo(json.dumps({"file": str(file), "ok": not found, "problems": found}))
        elif not found:
            click.echo(f"{file}: ok")
        for problem in [] if as_json else found:
            click.echo(f"{file}: {problem}")
    sys.exit(1 if failed else 0)
