"""Coordinator commands of the year: ending someone's participation for conduct."""

from __future__ import annotations

import getpass
import json

import click

from mentormail.app.cli import cli, services
from mentormail.service import conduct


@cli.command("end-participation")
@click.argument("email")
@click.option("--reason", required=True, help="Why (kept in the record; never told to anyone).")
@click.option("--program", "slug", default=None, help="The program's slug, if EMAIL is in two.")
@click.option(
    "--by", "by", default=None, help="Who decided (default: the login name running the command)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the record as one JSON object.")
def end_participation(
    email: str, reason: str, slug: str | None, by: str | None, as_json: bool
) -> None:
    """End EMAIL's participation for conduct (coordinators).

    Every match of theirs ends (reason `conduct`): each partner is told kindly that the
    mentorship has ended, never why; requests waiting on them are released or withdrawn; they
    leave searches and get one plain notice. The record keeps who did it, when and why.

    --json prints {participant, reason, by, at, matches_ended}.
    """
    if not reason.strip():
        raise click.BadParameter("say why, in a few words", param_hint="--reason")
    svc = services()
    with svc.unit() as uow:
        person = conduct.find_participant(uow, email, slug)
        record = conduct.end_participation(uow, person, reason, by or getpass.getuser())
        row = {
            "participant": person.email,
            "reason": record.reason,
            "by": record.ended_by,
            "at": record.at.isoformat(),
            "matches_ended": record.matches_ended,
        }
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False))
        return
    ended = row["matches_ended"]
    click.echo(
        f"Ended {row['participant']}'s participation: {ended} "
        f"{'match' if ended == 1 else 'matches'} ended, each partner told kindly (not why)."
    )
