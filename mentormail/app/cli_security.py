"""Commands of the security branch: lifting a suppression, releasing or discarding mail
held for failing DMARC; terminal-safe text."""

from __future__ import annotations

import getpass
import json
import re
import sys
from collections.abc import Callable

import click

from mentormail.app.cli import cli, services
from mentormail.service import automatic, held
from mentormail.service.context import Unit
from mentormail.service.models import InboundMessage

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


# --- mail held because it failed DMARC ------------------------------------------------------


@cli.command("held")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per held message.")
def held_list(as_json: bool) -> None:
    """Mail held because it failed DMARC, oldest first: its number, sender, Message-ID and
    words. `mentormail release N` lets one act; `mentormail discard N` drops it."""
    with services().sessions() as session:
        for message in held.held_for_dmarc(session):
            message_id = held.message_id_of(message.dedupe_key)
            if as_json:
                found = {"id": message.id, "from": message.from_addr, "message_id": message_id}
                click.echo(json.dumps({**found, "text": message.reply_text or ""}))
                continue
            click.echo(
                terminal_safe(
                    f"#{message.id} {message.received_at:%Y-%m-%d %H:%M}"
                    f" from {message.from_addr} {message_id}"
                )
            )
            click.echo(
                terminal_safe("    " + (message.reply_text or "")[:500].replace("\n", "\n    "))
            )


def _decide(ref: str, decision: Callable[[Unit, InboundMessage, str], str]) -> None:
    """Release or discard one held message, audited under the operator's login."""
    with services().unit() as uow:
        message = held.find(uow.session, ref)
        if message is None:
            raise click.BadParameter(f"no stored mail {ref}", param_hint="MESSAGE")
        said = decision(uow, message, f"cli:{getpass.getuser()}")
    click.echo(terminal_safe(said))
    if "is not held" in said:
        sys.exit(1)


@cli.command()
@click.argument("message")
def release(message: str) -> None:
    """Let mail held for failing DMARC act once (MESSAGE: its number or Message-ID), as if
    the sender check had passed. Audited; exit 1 if it is not held."""
    _decide(message, held.release)


@cli.command()
@click.argument("message")
def discard(message: str) -> None:
    """Drop mail held for failing DMARC (MESSAGE: its number or Message-ID): nothing it
    asked for happens. Audited; exit 1 if it is not held."""
    _decide(message, held.discard)
