"""Coordinators' privacy commands: what is held about a person, and erasing it."""

from __future__ import annotations

import json
import sys

import click

from mentormail.app.cli import cli, services
from mentormail.service import privacy


@cli.command("export-person")
@click.argument("email")
def export_person(email: str) -> None:
    """Print everything held about the person with EMAIL, as one JSON document.

    \b
    Keys: email, exported_at, programs, participants (their rows, one per program),
    rows_about_them (every table that refers to them: requests, matches, mail to and
    from them with its raw text, attention items, …), mail_from_their_address (mail from
    EMAIL that matched no participant), suppression.
    """
    svc = services()
    with svc.sessions() as session:
        data = privacy.export_person(session, email, svc.now())
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command("forget-person")
@click.argument("email")
@click.option(
    "--end-participation",
    is_flag=True,
    help="If they still take part, end it first (partners are told, as for a removal).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed when piped).")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def forget_person(email: str, end_participation: bool, yes: bool, as_json: bool) -> None:
    """Erase the personal data of the person with EMAIL; keep only anonymous counts.

    Their name, addresses, contact, profile, the text and raw bytes of their mail,
    their tokens and their suppression are erased, and their name and addresses are
    replaced by "[forgotten]" in mail to and from others and in attention items. Ids,
    states and dates stay, so the program's figures still add up. Someone who still
    takes part is refused unless --end-participation; while mail to others that names
    them is still queued (a partner's notice), nothing is erased yet: run the command
    again once it is sent. This cannot be undone.
    """
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError("refusing to erase without --yes when not on a terminal")
        click.confirm(f"Erase everything held about {email}? This cannot be undone", abort=True)
    svc = services()
    with svc.unit() as uow:
        done = privacy.forget_person(uow, email, end_participation=end_participation)
    if as_json:
        click.echo(json.dumps(done.__dict__))
    elif done.erased:
        click.echo(
            f"forgot {email}: {done.participants} participant record(s), {done.rows_cleared}"
            f" rows cleared, {done.mentions_redacted} mentions redacted"
        )
    else:
        click.echo(
            f"not erased yet: {done.waiting_for_mail} email(s) to others that name {email} are"
            " still queued; run forget-person again once they are sent"
        )
