"""`mentormail demo`: a whole program year played in accelerated time (see app/demo.py)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from mentormail.app.cli import cli
from mentormail.app.demo import END, play_year


@cli.command("demo")
@click.option(
    "--until",
    default=END.date().isoformat(),
    show_default=True,
    metavar="YYYY-MM-DD",
    help="Stop the year on this day (a shorter year).",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Play in this new data folder and keep it (then e.g. MENTORMAIL_DATA_DIR=DIR"
    " mentormail outbox). Default: a temporary folder, removed at the end.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print only the final matches, as JSON Lines."
)
def demo(until: str, keep: Path | None, as_json: bool) -> None:
    """Play a whole program year in accelerated time, with simulated people, and print what
    a coordinator would see.

    \b
    The program is examples/demo/program.yaml and its people examples/demo/participants.csv
    (four mentees, four mentors, writing in English, Spanish, French, Portuguese and Chinese).
    Everything goes through the real doors, in this process, on a fresh SQLite data folder
    (never ./var), with no Redis and mail written to the folder's maildir:
      - the clock is MENTORMAIL_NOW, moved step by step, and `sweep --at` runs on Mondays
        and Thursdays at 09:00 UTC from 14 September 2026 to 12 July 2027;
      - each person reads the mail they actually received (`outbox --json`) and answers in
        their own words with an RFC 5322 reply to its reply address (`ingest`), or clicks
        one of its links (a GET, then the page's POST, on 127.0.0.1 only);
      - some answer late, some never: Tom stops answering (the unresponsive ladder), Camille
        ends early in her own words, Sam and Ana continue, Mateus and Li conclude at the end.
    It prints a timeline (day, time, what happened, who received what), what the coordinator
    received with the fullest digest's text, how each pair's year went, and the `matches`
    table. A year takes well under two minutes.
    """
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise click.BadParameter(f"{keep} is not empty", param_hint="--keep")
    stop = datetime.fromisoformat(until).replace(hour=23, minute=59)
    play_year(sys.stdout, stop, keep, as_json)
