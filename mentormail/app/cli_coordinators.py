"""Coordinators' digest command: send what is due, or one at once."""

from __future__ import annotations

import getpass
from dataclasses import replace
from typing import Any

import click
from sqlalchemy import select

from mentormail.app.cli import cli, services
from mentormail.service import digest
from mentormail.service.adapters import FixedClock, parse_instant
from mentormail.service.models import DigestSchedule, Participant, Program
from mentormail.service.programs import find_program
from mentormail.service.rendering import program_time
from mentormail.workflows import digest as digest_rules
from mentormail.workflows.digest import Command, Verb


@cli.command("digest")
@click.option("--program", "slug", default=None, help="Only this program (default: every one).")
@click.option("--at", "at", default=None, help="Act as if it were this ISO-8601 instant.")
@click.option("--now", "at_once", is_flag=True, help="Send one now, whatever the schedule.")
def digest_command(slug: str | None, at: str | None, at_once: bool) -> None:
    """Send the coordinators' digest: what is due at this instant (the sweep does the same
    every minute), or with --now one at once covering the period before, unless nothing
    is new since the program's last digest (no item, news or mentor to approve it did
    not tell): then it says so and sends none.

    \b
    Program file key: digest (weekly on Mondays 08:00, daily at 08:00, or off; in
    the program's timezone).
    Coordinators act by replying, one command a line: done 3 | done 3 5 8 |
    note 3 TEXT | remind 3 | end 3 REASON | pause EMAIL | resume EMAIL |
    capacity EMAIL N | approve EMAIL | match MENTEE-EMAIL with MENTOR-EMAIL.
    """
    svc = services()
    if at is not None:
        svc = replace(svc, clock=FixedClock(parse_instant(at)))
    sent = 0
    with svc.sessions() as session:
        programs = (
            [find_program(session, slug).id] if slug else list(session.scalars(select(Program.id)))
        )
        due = set(digest.due_programs(session, svc.now()))
    for program_id in programs:
        with svc.unit() as uow:
            program = uow.session.get_one(Program, program_id)
            if at_once:
                last = digest.told_already(uow, program)
                if last is not None:
                    click.echo(
                        f"{program.slug}: nothing new since its digest of "
                        f"{program_time(last.created_at, program)}; none sent"
                    )
                    continue
                plan = digest.schedule(program)
                start, end = digest_rules.period_before(
                    digest_rules.Schedule.WEEKLY if plan is digest_rules.Schedule.OFF else plan,
                    uow.now,
                )
                digest.send(uow, program, start, end)
                sent += 1
            elif program_id in due:
                before = uow.session.get(DigestSchedule, program_id)
                digest.send_due(uow, program_id)
                sent += before is not None
    click.echo(f"{sent} digest{'s' if sent != 1 else ''} written to the outbox")


def _run_command(slug: str | None, command: Command) -> None:
    """Carry out one coordinator command from the terminal, as a digest reply would."""
    svc = services()
    with svc.unit() as uow:
        program = program_of(uow.session, slug, command.email)
        actor = f"cli:{getpass.getuser()}"
        said, done = digest.perform(uow, program, actor, command)
        digest.audit(uow, program, actor, command.line, said, None)
    click.echo(said)
    if not done:
        raise SystemExit(1)


def program_of(session: Any, slug: str | None, email: str) -> Program:
    """The program named, or the one program the person takes part in."""
    if slug:
        return find_program(session, slug)
    programs = list(
        session.scalars(select(Program).join(Participant).where(Participant.email == email.lower()))
    )
    if len(programs) != 1:
        found = ", ".join(p.slug for p in programs) or "none"
        raise click.UsageError(f"{email} takes part in {found}: name one with --program SLUG")
    return programs[0]


@cli.command("pause")
@click.argument("email")
@click.option("--program", "slug", default=None, help="The program (needed if in several).")
def pause(email: str, slug: str | None) -> None:
    """Pause a mentor: no new requests until resumed; they are told."""
    _run_command(slug, Command(Verb.PAUSE, f"pause {email}", email=email.lower()))


@cli.command("resume")
@click.argument("email")
@click.option("--program", "slug", default=None, help="The program (needed if in several).")
def resume(email: str, slug: str | None) -> None:
    """Make a paused mentor available again; they are told."""
    _run_command(slug, Command(Verb.RESUME, f"resume {email}", email=email.lower()))


@cli.command("capacity")
@click.argument("email")
@click.argument("mentees", type=click.IntRange(1, 20))
@click.option("--program", "slug", default=None, help="The program (needed if in several).")
def capacity(email: str, mentees: int, slug: str | None) -> None:
    """Set how many mentees a mentor takes (1 to 20)."""
    _run_command(
        slug,
        Command(Verb.CAPACITY, f"capacity {email} {mentees}", email=email.lower(), number=mentees),
    )
