"""The ``mentormail`` command: what coordinators, operators and the Procfile run."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click
from sqlalchemy import func, select

from mentormail.app import bootstrap
from mentormail.app.cli_parse import WORKFLOW_CONTEXTS, workflow_reading
from mentormail.app.jobs import work_database
from mentormail.inbound.reading import read_message, reading_as_json
from mentormail.inbound.types import Context
from mentormail.service import inbound, settling, sweep
from mentormail.service.adapters import FixedClock, RqQueue, parse_instant
from mentormail.service.config import Config, settings_table
from mentormail.service.context import Services
from mentormail.service.db import require_database, safe_url, upgrade
from mentormail.service.exceptions import MentormailError
from mentormail.service.match_record import year_fields
from mentormail.service.models import (
    Attention,
    InboundMessage,
    Match,
    OutboundMessage,
    Participant,
    Program,
)
from mentormail.service.programs import (
    changed_keys,
    find_program,
    import_participants,
    load_program,
    program_keys_text,
    program_state,
    read_program_file,
    term_warning,
    validate_program,
)


def services() -> Services:
    """The process's services: the installed ones, else built from the environment once the
    database is known to be there and migrated (a missing one is refused, never created).
    Without Redis, queued jobs run at once in this process."""
    installed = bootstrap.installed()
    if installed is not None:
        return installed
    config = Config.from_env()
    require_database(config.database_url)
    built = bootstrap.build(config, inline_without_redis=True)
    bootstrap.install(built)
    return built


def has_queue(svc: Services) -> bool:
    """True when jobs go to Redis (a worker does them), False when they run here and now."""
    return isinstance(svc.queue, RqQueue)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def cli(verbose: bool) -> None:
    """mentormail: mentorship programs run entirely over email."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if not verbose:  # alembic announces every migration at INFO; init says what it did
        logging.getLogger("alembic").setLevel(logging.WARNING)


@cli.command()
def init() -> None:
    """Create or upgrade the database schema."""
    config = Config.from_env()
    before, after = upgrade(config.database_url)
    if before == after:
        change = f"schema {after}, already the newest"
    else:
        change = f"schema {after}, upgraded from {before or 'an empty database'}"
    click.echo(f"database ready: {safe_url(config.database_url)} ({change})")


@cli.group()
def program() -> None:
    """Programs: load or update one from a YAML file; list the keys a program file has."""


@program.command("load", epilog="\b\nThe keys of a program file:\n" + program_keys_text())
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def program_load(file: Path) -> None:
    """Create or update the program FILE describes, and say which: created, updated (with
    the keys that changed) or unchanged.

    Every problem in the file is one line naming the key; a term that has ended, or ends
    within response_days, gets a warning (the program is loaded all the same).
    """
    data = read_program_file(file)
    values = validate_program(data, base_dir=file.parent, source=file)  # before the database
    svc = services()
    with svc.unit_of_work() as session:
        before = program_state(session, values.slug)
        loaded = load_program(session, data, base_dir=file.parent, source=file)
        after = program_state(session, values.slug) or {}
        if before is None:
            done = "created"
        else:
            changed = changed_keys(before, after)
            done = f"updated ({', '.join(changed)})" if changed else "unchanged"
        click.echo(f"program {loaded.slug} {done}: {loaded.name} <{loaded.address}>")
        warning = term_warning(loaded.term_end, loaded.response_days, svc.now().date())
    if warning:
        click.echo(f"warning: {file}: {warning}", err=True)


@program.command("keys")
def program_keys() -> None:
    """Every key a program file may have: its type, default and meaning."""
    click.echo(program_keys_text())


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--program", "slug", required=True, help="The program's slug.")
def import_csv(file: Path, slug: str) -> None:
    """Import participants from FILE (CSV); every bad row is reported with its line.

    \b
    Columns (a header line, comma-separated; lists inside a column are ;-separated):
      email, name, role         required; role is mentor or mentee
      profession, industry, major, interests (a list), bio
      capacity                  a mentor's places, 1-20
      contact                   how a mentor is reached once matched ("email", "phone: ...")
      timezone                  the person's own, e.g. Europe/Madrid (quiet hours)
      known_as                  what emails call them ("María José"; default: name's first word)
      goals, location, languages, availability, wants, prefer, avoid   matching (see README)
      cohort                    what reports group people by

    A header with an unknown or missing column is refused whole: nothing is imported.
    """
    svc = services()
    text = file.read_text(encoding="utf-8-sig", errors="replace")
    with svc.unit_of_work() as session:
        report = import_participants(session, find_program(session, slug), text)
    if report.refused:
        click.echo(f"nothing imported: the header (line 1) of {file} cannot be read as it is")
    else:
        click.echo(
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.errors)}"
        )
    for line, reason in report.errors:
        click.echo(f"{file}:{line}: {reason}", err=True)
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", default="drop", show_default=True, help="Recorded as the mail's door.")
def ingest(files: tuple[Path, ...], source: str) -> None:
    """Store raw .eml FILES and queue them (the drop-folder door).

    Without Redis there is no queue: each message is processed at once, and its answers sent.
    """
    svc = services()
    for file in files:
        result = inbound.ingest(svc, file.read_bytes(), source)
        if result.duplicate:
            click.echo(f"{file}: duplicate of inbound #{result.inbound_id}")
        elif has_queue(svc):
            click.echo(f"{file}: stored as inbound #{result.inbound_id}, queued for a worker")
        else:
            with svc.sessions() as session:
                status = session.get_one(InboundMessage, result.inbound_id).status
            click.echo(
                f"{file}: stored as inbound #{result.inbound_id}; "
                f"no Redis queue, so processed now: {status}"
            )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--context",
    type=click.Choice([*(c.value for c in Context), *WORKFLOW_CONTEXTS]),
    default=None,
    help="What the message answers (default: general).",
)
def parse(files: tuple[Path, ...], context: str | None) -> None:
    """Read raw emails and print what we understand, one JSON object per file. Changes nothing.

    \b
    Keys: file, kind (human | auto_reply | bounce | bulk), reply (the new text), intent,
    clear (acts only when true), confidence (0-1; clear at or above 0.8), why (the
    evidence, clause by clause, and the second opinion), candidates (for "did you
    mean"), rating, choice, question, condition, also, bounce, reasons, intent_reasons,
    context, message_id, in_reply_to, from, subject, defects, problems.

    \b
    fit, agreement, conclusion and proposal are read as the service reads them: the intent
    as general mail, and what the workflow reads besides: fit (good | deciding | not_a_fit |
    null: asked about) and fit_question; goals (text, activities, by: the mentee's draft)
    and mentor_reply (approved | changed | unclear); achieved and next_steps; proposal
    (yes | no | null: asked about), proposal_confidence, proposal_why, proposal_question
    and available_too (a paused mentor is available again).
    """
    workflow = context if context in WORKFLOW_CONTEXTS else None
    ctx = Context.GENERAL if workflow else Context(context) if context else None
    for file in files:
        reading = read_message(file.read_bytes(), ctx)
        line = reading_as_json(str(file), reading)
        if workflow:
            line["context"] = workflow
        if workflow and reading.understanding is not None:  # mail a person wrote
            line.update(workflow_reading(workflow, reading.reply, today(), reading.understanding))
        click.echo(json.dumps(line, ensure_ascii=False))


def today() -> date:
    """The day parse reads dates against: MENTORMAIL_NOW's when it is set."""
    now = Config.from_env().now
    return parse_instant(now).date() if now else date.today()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message.")
@click.option("--status", default=None, help="Only messages with this status.")
def outbox(as_json: bool, status: str | None) -> None:
    """List outbound messages, oldest first."""
    svc = services()
    with svc.sessions() as session:
        query = select(OutboundMessage).order_by(OutboundMessage.id)
        if status:
            query = query.where(OutboundMessage.status == status)
        for row in session.scalars(query):
            if as_json:
                click.echo(json.dumps(outbox_json(row), ensure_ascii=False))
            else:
                click.echo(f"#{row.id} {row.status:<10} {row.to_addr:<30} {row.subject}")


def outbox_json(row: OutboundMessage) -> dict[str, Any]:
    """One outbox row as ``mentormail outbox --json`` prints it."""
    return {
        "id": row.id,
        "to": row.to_addr,
        "subject": row.subject,
        "template": row.template,
        "expects": row.expects,
        "reply_to": row.reply_to,
        "message_id": row.message_id,
        "links": row.links,
        "status": row.status,
        "text": row.text,
        "provider_id": row.provider_id,
        "created_at": row.created_at.isoformat(),
    }


@cli.command()
@click.option("--resolve", "resolve_ids", type=int, multiple=True, help="Mark an item done.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object per item: id, created_at, reason, detail.",
)
def attention(resolve_ids: tuple[int, ...], as_json: bool) -> None:
    """What needs a coordinator, newest first; --resolve ID marks an item as dealt with."""
    svc = services()
    with svc.unit_of_work() as session:
        for item_id in resolve_ids:
            item = session.get(Attention, item_id)
            if item is None:
                raise click.BadParameter(f"no attention item #{item_id}", param_hint="--resolve")
            item.resolved = True
            click.echo(
                json.dumps({"id": item_id, "resolved": True}) if as_json else f"#{item_id} resolved"
            )
        if resolve_ids:
            return
        query = select(Attention).where(Attention.resolved.is_(False)).order_by(Attention.id.desc())
        for item in session.scalars(query):
            _print_attention(item, as_json)


def _print_attention(item: Attention, as_json: bool) -> None:
    """One attention item: a JSON line (ASCII, so what people wrote cannot steer the
    terminal), or its line and its words, control characters escaped."""
    from mentormail.app.cli_security import terminal_safe  # attacker text, escaped

    if as_json:
        found = {"id": item.id, "created_at": item.created_at.isoformat(), "reason": item.reason}
        click.echo(json.dumps({**found, "detail": item.detail or ""}))
        return
    click.echo(terminal_safe(f"#{item.id} {item.created_at:%Y-%m-%d %H:%M} {item.reason}"))
    if item.detail:
        click.echo(terminal_safe("    " + item.detail.replace("\n", "\n    ")[:1000]))


@cli.command()
@click.option("--burst", is_flag=True, help="Drain the queues, then exit.")
def work(burst: bool) -> None:
    """Run a worker on the inbound and outbound queues.

    Without Redis, work the database directly: process every inbound message still to do
    and send every due outbox row (then exit with --burst, or look again every 2 seconds).
    """
    from mentormail.app.resilience import work_through_blips  # --- security: Redis blips

    svc = services()
    queue = svc.queue
    if isinstance(queue, RqQueue):
        work_through_blips(lambda: queue.worker(["inbound", "outbound"]), burst)
        return
    while True:
        done = work_database(svc)
        if burst or done.processed or done.sent:
            click.echo(
                f"no Redis queue: worked the database: processed {done.processed} inbound, "
                f"sent {done.sent} outbound"
            )
        if burst:
            return
        if done.processed:
            settling.settle_after("inbound")  # as the RQ worker does after a job of a kind
        if done.sent:
            settling.settle_after("outbound")
        time.sleep(2)


@cli.command("sweep")
@click.option(
    "--at",
    "at",
    default=None,
    metavar="ISO-8601",
    help="Act as if it were this instant (e.g. 2027-01-15T09:00, UTC unless an offset is"
    " given): what is due then is done and its mail goes out, as the clock would then (to play"
    " a year or catch up); it is not a preview. Same as MENTORMAIL_NOW.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object: at, then each counter.")
def sweep_once(at: str | None, as_json: bool) -> None:
    """Do everything due at one instant (now, MENTORMAIL_NOW, or --at), then print what.

    Due work: expired requests, request reminders, check-ins, the unresponsive ladder,
    fit checks and surveys (see the DUE table in mentormail/service/sweep.py); then lost or
    due sends and unprocessed mail are queued again. Safe to run any number of times.

    Each counter counts what it names: expired_requests, quiet_mail_released,
    raw_mail_removed, urgent_items_chased and expired_proposals the rows acted on; the
    others (request_reminders, checkins, fit_checks, the surveys, welcome_emails, digests,
    term_end_emails, agreement_emails, goal_nudges) the emails written.
    """
    svc = services()
    if at is not None:
        svc = dataclasses.replace(svc, clock=FixedClock(parse_instant(at)), _mailer=None)
        bootstrap.install(svc)  # jobs run here without Redis act at the same instant
    report = sweep.sweep(svc)
    if as_json:
        queued = {"sends_queued": report.sends_queued, "inbound_queued": report.inbound_queued}
        click.echo(json.dumps({"at": svc.now().isoformat(), **report.done, **queued}))
        return
    done = ", ".join(f"{name} {count}" for name, count in report.done.items())
    click.echo(
        f"swept at {svc.now().isoformat()} UTC: {done}; sends queued {report.sends_queued},"
        f" inbound queued {report.inbound_queued}"
    )


@cli.command()
@click.option("--once", is_flag=True, help="One tick, then exit.")
def clock(once: bool) -> None:
    """The clock: every few seconds sweep, read the drop folder and poll IMAP."""
    from mentormail.service.clock import tick

    svc = services()
    while True:
        tick(svc)
        if once:
            return
        time.sleep(min(svc.config.sweep_seconds, svc.config.imap_poll_seconds, 5))


@cli.command()
def web() -> None:
    """Serve the link pages and webhooks (development server; use gunicorn in production)."""
    from mentormail.app.web import create_app
    from mentormail.app.web_security import LogWithoutQuery

    svc = services()
    app = create_app(svc)
    app.run(host=svc.config.web_host, port=svc.config.web_port, request_handler=LogWithoutQuery)


@cli.command()
def run() -> None:
    """Start everything on embedded defaults: database, Redis, web, worker, clock."""
    from mentormail.app.runner import run_all

    run_all(Config.from_env())


@cli.command()
def settings() -> None:
    """Print every setting with its default, as a Markdown table."""
    click.echo(settings_table())


@cli.command()
@click.option("--program", "slug", default=None, help="Only this program's participants.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per participant.")
def participants(slug: str | None, as_json: bool) -> None:
    """List participants: email, name, role, status, availability, capacity, active matches."""
    svc = services()
    with svc.sessions() as session:
        query = (
            select(Participant, Program)
            .join(Program, Participant.program_id == Program.id)
            .order_by(Program.slug, Participant.role, Participant.email)
        )
        if slug:
            query = query.where(Program.id == find_program(session, slug).id)
        active = dict(_active_matches(session))
        rows = [
            {
                "program": prog.slug,
                "email": person.email,
                "name": person.name,
                "role": person.role,
                "status": person.status,
                "availability": person.availability,
                "capacity": (
                    (person.capacity or prog.default_capacity) if person.role == "mentor" else None
                ),
                "active_matches": active.get(person.id, 0),
            }
            for person, prog in session.execute(query)
        ]
    _print_rows(rows, as_json)


def _active_matches(session: Any) -> list[tuple[int, int]]:
    """(participant id, number of active matches) for everyone in one."""
    counts: dict[int, int] = {}
    for column in (Match.mentor_id, Match.mentee_id):
        query = select(column, func.count(Match.id)).where(Match.state == "active")
        for person_id, count in session.execute(query.group_by(column)):
            counts[person_id] = counts.get(person_id, 0) + count
    return list(counts.items())


@cli.command()
@click.option("--program", "slug", default=None, help="Only this program's matches.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per match.")
def matches(slug: str | None, as_json: bool) -> None:
    """List matches: id, mentor and mentee (emails), state, started_at, ends_on, meetings
    (the days the pair met, as `report` counts them: both reporting one day is one), and
    last_met_at. --json adds ratings ([{by, value, comment, at}]) and fit (good | deciding |
    not_a_fit | null), extended, agreement (none|draft|agreed), goals, ending ({reason, by,
    at} or null) and outcome ({achieved: {mentee, mentor}, next_steps, mentor_again} or
    null); its ends_on is null when open-ended."""
    from sqlalchemy.orm import aliased

    mentor, mentee = aliased(Participant), aliased(Participant)
    svc = services()
    with svc.sessions() as session:
        query = (
            select(Match, mentor.email, mentee.email)
            .join(mentor, Match.mentor_id == mentor.id)
            .join(mentee, Match.mentee_id == mentee.id)
            .order_by(Match.id)
        )
        if slug:
            query = query.where(Match.program_id == find_program(session, slug).id)
        rows = [
            {
                "id": match.id,
                "mentor": mentor_email,
                "mentee": mentee_email,
                "state": match.state,
                "started_at": match.started_at.isoformat(),
                "ends_on": match.ends_on.isoformat(),
            }
            for match, mentor_email, mentee_email in session.execute(query)
        ]
        _add_year(session, rows, as_json)
        # --- ends_on, extended, agreement, goals, ending, outcome (JSON only) ---
        if as_json:
            ids = [r["id"] for r in rows]
            query_b = select(Match).where(Match.id.in_(ids)).order_by(Match.id)
            year = year_fields(session, list(session.scalars(query_b)))
            rows = [{**row, **year[int(str(row["id"]))]} for row in rows]
    _print_rows(rows, as_json)


def _add_year(session: Any, rows: list[dict[str, Any]], as_json: bool) -> None:
    """Each pair's year: meetings, when they last met, ratings and the fit answer;
    the table shows the counts, --json everything."""
    from mentormail.app.cli_matches import year_of_matches

    year = year_of_matches(session, [row["id"] for row in rows])
    for row in rows:
        found = year[row["id"]]
        row.update(found if as_json else {k: found[k] for k in ("meetings", "last_met_at")})


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    """JSON Lines, or an aligned table with a header (nothing at all when there are no rows)."""
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        return
    columns = list(rows[0])
    cells = [[("" if row[c] is None else str(row[c])) for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    for line in [columns, *cells]:
        click.echo("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


def main() -> None:
    """Entry point: our errors become clear lines (one per problem) and exit status 2."""
    try:
        cli(standalone_mode=True)
    except MentormailError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            click.echo(f"error: {line}", err=True)
        sys.exit(2)


# Commands kept in their own modules register themselves on ``cli`` when imported.
from mentormail.app import (  # noqa: E402,F401
    cli_announce_report,
    cli_conduct,
    cli_coordinators,
    cli_demo,
    cli_matches,
    cli_matching,
    cli_outbound,
    cli_pairing,
    cli_privacy,
    cli_security,
)

if __name__ == "__main__":
    # Run as ``python -m``, this file is ``__main__``: the commands above registered on the
    # module imported by its real name, so run that one.
    from mentormail.app.cli import main as registered_main

    registered_main()
