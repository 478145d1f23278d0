"""Coordinators' pairing commands: pair by hand, approve a mentor, end a match."""

from __future__ import annotations

import getpass

import click
from sqlalchemy.orm import Session

from mentormail.app.cli import cli, services
from mentormail.service import coordinator_commands, digest
from mentormail.service.models import Program
from mentormail.workflows.digest import Command, Verb


def _run(slug: str | None, command: Command) -> None:
    """A digest command from the terminal (the coordinators' module runs and audits it)."""
    from mentormail.app.cli_coordinators import _run_command  # both load from cli.py

    _run_command(slug, command)


def _program_of(session: Session, slug: str | None, email: str) -> Program:
    """The program named, or the one the person takes part in."""
    from mentormail.app.cli_coordinators import program_of

    return program_of(session, slug, email)


@cli.command("pair")
@click.argument("mentee")
@click.argument("mentor")
@click.option("--direct", is_flag=True, help="Introduce them at once, without asking first.")
@click.option("--program", "slug", default=None, help="The program (needed if in several).")
def pair(mentee: str, mentor: str, direct: bool, slug: str | None) -> None:
    """Pair MENTEE with MENTOR by hand (coordinators): both asked yes or no first (double
    opt-in), or with --direct introduced at once, as when a mentor accepts a request."""
    svc = services()
    actor = f"cli:{getpass.getuser()}"
    line = f"pair {mentee} {mentor}{' --direct' if direct else ''}"
    with svc.unit() as uow:
        program = _program_of(uow.session, slug, mentee)
        if direct:
            said, done = coordinator_commands.pair_directly(uow, program, actor, mentee, mentor)
        else:
            said, done = coordinator_commands.match(uow, program, actor, mentee, mentor)
        digest.audit(uow, program, actor, line, said, None)
    click.echo(said)
    if not done:
        raise SystemExit(1)


@cli.command("approve")
@click.argument("email")
@click.option("--program", "slug", default=None, help="The program (needed if in several).")
def approve(email: str, slug: str | None) -> None:
    """Approve a mentor waiting under "approval: required": listed from now on, and told."""
    _run(slug, Command(Verb.APPROVE, f"approve {email}", email=email.lower()))


@cli.command("end-match")
@click.argument("mentee")
@click.argument("mentor")
@click.option("--reason", required=True, help="Why (kept in the audit; never told to anyone).")
@click.option("--program", "slug", default=None, help="The program (needed if in several).")
def end_match(mentee: str, mentor: str, reason: str, slug: str | None) -> None:
    """End the match of MENTEE and MENTOR (coordinators): both are told kindly that it has
    ended, never the reason; the mentee is offered other mentors while the term has time."""
    if not reason.strip():
        raise click.BadParameter("say why, in a few words", param_hint="--reason")
    svc = services()
    actor = f"cli:{getpass.getuser()}"
    with svc.unit() as uow:
        program = _program_of(uow.session, slug, mentee)
        said, done = coordinator_commands.end_pair(uow, program, mentee, mentor, reason)
        digest.audit(
            uow, program, actor, f"end-match {mentee} {mentor} --reason {reason}", said, None
        )
    click.echo(said)
    if not done:
        raise SystemExit(1)
