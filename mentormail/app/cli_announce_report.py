"""Coordinators, part b: announcements to a program's people, and the program's report."""

from __future__ import annotations

import getpass
import io
import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from mentormail.app.cli import cli, services
from mentormail.service import announcements, reports
from mentormail.service.announcements import Plan, Words
from mentormail.workflows.announcement import Audience, audience_in_words, requests_needed


@cli.command("announce")
@click.option("--program", "slug", required=True, help="The program's slug.")
@click.option(
    "--to",
    "audience",
    required=True,
    type=click.Choice([a.value for a in Audience]),
    help="Who gets it: mentors, mentees, unmatched mentees, or all.",
)
@click.option("--subject", required=True, help="The email's subject.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--send", "really", is_flag=True, help="Write it to the outbox (else a preview).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def announce(
    slug: str, audience: str, subject: str, file: Path, really: bool, as_json: bool
) -> None:
    """Announce something to a program's people, written in Markdown in FILE.md.

    Without --send: how many it goes to, the first few names, and the email as the first
    of them reads it. With --send: one email per person, with their own name and their own
    unsubscribe link, as outbox rows the workers send (SendGrid: one request per 1,000
    people). People who left or whose address is suppressed get nothing; the same words to
    the same audience are never sent to anyone twice.
    """
    words = Words(Audience(audience), subject, file.read_text(encoding="utf-8"))
    svc = services()
    if not really:
        with svc.sessions() as session:
            found = announcements.plan(session, slug, words, svc.config.base_url)
            _preview(found, as_json)
        return
    with svc.sessions() as session:
        total = len(announcements.plan(session, slug, words, svc.config.base_url).recipients)
    shown = sys.stderr.isatty() and not as_json
    with click.progressbar(
        length=total, label="writing", file=sys.stderr if shown else io.StringIO()
    ) as bar:
        summary = announcements.send(svc, slug, words, f"cli:{getpass.getuser()}", bar.update)
    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    left = ", ".join(f"{n} {why}" for why, n in summary.left_out.items()) or "nobody"
    click.echo(
        f"announcement {summary.announcement_id}: {summary.written} emails written to the "
        f"outbox ({summary.already} had it already; left out: {left}); "
        f"{summary.jobs} send job{'s' if summary.jobs != 1 else ''} queued"
    )


def _preview(found: Plan, as_json: bool) -> None:
    """What --send would do, and the email as its first recipient reads it."""
    names = [f"{p.name} <{p.email}>" for p in found.recipients[: announcements.PREVIEW_NAMES]]
    left = {why.value: n for why, n in found.left_out.items()}
    if as_json:
        first = found.first
        click.echo(
            json.dumps(
                {
                    "recipients": len(found.recipients),
                    "first": names,
                    "left_out": left,
                    "sendgrid_requests": requests_needed(len(found.recipients)),
                    "subject": first.subject if first else "",
                    "text": first.text if first else "",
                },
                ensure_ascii=False,
            )
        )
        return
    more = len(found.recipients) - len(names)
    to = audience_in_words(found.words.audience, len(found.recipients))
    click.echo(f"To {to} of {found.program.name}:")
    for name in names:
        click.echo(f"  {name}")
    if more > 0:
        click.echo(f"  …and {more} more")
    if left:
        click.echo("Left out: " + ", ".join(f"{n} {why}" for why, n in left.items()))
    if found.first is not None:
        click.echo(f"\nSubject: {found.first.subject}\n")
        click.echo(found.first.text)
    click.echo("Nothing was sent. Add --send to write these emails to the outbox.")


@cli.command("report")
@click.option("--program", "slug", required=True, help="The program's slug.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option(
    "--format",
    "kind",
    required=True,
    type=click.Choice(["csv", "html", "pdf"]),
    help="CSV: one row per match; HTML and PDF: figures and charts.",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report(slug: str, start: object, end: object, kind: str, out: Path) -> None:
    """The program's results for a period (default: its term): match rate, time to
    answer, acceptance, meetings per pair, surveys, fit, endings, outcomes, by cohort."""
    svc = services()
    period = (_day(start), _day(end))
    written = reports.write(svc, slug, period, kind, out)
    click.echo(f"{kind} report written to {out} ({written.matches} matches, {written.pages})")


def _day(value: object) -> date | None:
    """A click DateTime as a date."""
    return value.date() if isinstance(value, datetime) else None
