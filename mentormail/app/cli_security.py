"""Commands of the security branch: lifting a suppression; terminal-safe text."""

from __future__ import annotations

import json
import re

import click

from mentormail.app.cli import cli, services
from mentormail.service import automatic

# C0 and C1 controls, DEL, and the bidi overrides that can make a line say something else.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text from mail, safe to print on a terminal: control characters shown as escapes
    (an attacker's ESC sequences could otherwise rewrite the screen), newlines kept."""
    return _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@cli.command()
@click.argument("address")
@click.option("--json", "as_json", is_flag=True, help='{"email": …, "lifted": true|false}.')
def unsuppress(address: str, as_json: bool) -> None:
    """Mail ADDRESS again: lift its suppression (bounces, spam report, unsubscribe) and
    forget the bounce reports behind it. Prints what was done; exit 0 either way."""
    with services().unit() as uow:
        lifted = automatic.unsuppress(uow, address)
    shown = address.strip().lower()
    if as_json:
        click.echo(json.dumps({"email": shown, "lifted": lifted}))
    elif lifted:
        click.echo(f"{shown}: suppression lifted; mail will go to it again")
    else:
        click.echo(f"{shown} was not suppressed; nothing changed")
