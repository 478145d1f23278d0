"""Coordinators' matching command: the pairs the program would propose, and why."""

from __future__ import annotations

import getpass
import json
import sys

import click

from mentormail.app.cli import cli, services
from mentormail.service import pairing, proposals
from mentormail.service.programs import find_program
from mentormail.service.rendering import plural


@cli.command("match")
@click.option("--program", "slug", required=True, help="The program's slug.")
@click.option("--preview", is_flag=True, help="Show the proposal; send nothing.")
@click.option("--send", is_flag=True, help="Send each pair a double opt-in proposal.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as one JSON object.")
def match(slug: str, preview: bool, send: bool, as_json: bool) -> None:
    """Propose mentee–mentor pairs: the assignment of greatest total score within every
    mentor's free seats (an optimum), with each pair's score and reasons, every mentee
    left unmatched with why, and the stable matching (Gale–Shapley) beside it.

    \b
    Reads the participants' preference columns (goals, location, languages,
    availability, wants, prefer, avoid) and the program file's match_weights.
    Mentees already matched or waiting on a request are not proposed; neither is a
    pair that either side avoids or that was asked before.
    --json prints {"pairs": [{"mentee", "mentor", "score", "reasons"}],
    "unmatched": [{"mentee", "why"}], "total", "stable": {"total", "matched", "differs"}}.
    --send proposes each pair to both (double opt-in: introduced when both say yes; a no
    proposes that mentee's next best among those still free).
    """
    if preview == send:
        raise click.UsageError("say --preview (show the pairs) or --send (propose them)")
    if send:
        _send(slug)
        return
    svc = services()
    show = sys.stderr.isatty() and not as_json
    with svc.sessions() as session:
        program = find_program(session, slug)
        proposal = pairing.preview(
            session, program, (lambda step: click.echo(f"… {step}", err=True)) if show else None
        )
    if as_json:
        click.echo(json.dumps(pairing.as_json(proposal), ensure_ascii=False))
        return
    for pair in proposal.pairs:
        reasons = "; ".join(pair.reasons)
        click.echo(f"{pair.mentee.email} → {pair.mentor.email}  {pair.score:.2f}  {reasons}")
    for left in proposal.unmatched:
        click.echo(f"{left.mentee.email} unmatched: {left.why}")
    click.echo(
        f"{len(proposal.pairs)} {plural(len(proposal.pairs), 'pair', 'pairs')}, total"
        f" {proposal.total:.2f}; the stable matching pairs"
        f" {proposal.stable_matched} for {proposal.stable_total:.2f}"
        f" ({len(proposal.differs)} mentees would get another mentor)"
    )


def _send(slug: str) -> None:
    """Propose the optimal pairs, each side asked yes or no."""
    svc = services()
    with svc.unit() as uow:
        program = find_program(uow.session, slug)
        made = proposals.send_all(uow, program, f"cli:{getpass.getuser()}")
        lines = [f"{row.mentee.email} ↔ {row.mentor.email}  proposed" for row in made]
    for line in lines:
        click.echo(line)
    click.echo(
        f"{len(lines)} pairs proposed; each side was asked yes or no (introduced when both say yes)"
    )
