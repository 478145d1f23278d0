"""The ``mentormail`` command: what coordinators, operators and the Procfile run."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from mentormail.app import bootstrap
from mentormail.inbound.reading import read_message, reading_as_json
from mentormail.inbound.types import Context
from mentormail.service import inbound, sweep
from mentormail.service.config import Config, settings_table
from mentormail.service.context import Services
from mentormail.service.db import upgrade
from mentormail.service.exceptions import MentormailError
from mentormail.service.models import Attention, OutboundMessage
from mentormail.service.programs import (
    find_program,
    import_participants,
    load_program,
    read_program_file,
)


def services() -> Services:
    """The process's services, built from the environment on first use."""
    return bootstrap.current()


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def cli(verbose: bool) -> None:
    """mentormail: mentorship programs run entirely over email."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )


@cli.command()
def init() -> None:
    """Create or upgrade the database schema."""
    config = Config.from_env()
    upgrade(config.database_url)
    click.echo(f"database ready: {_safe_url(config.database_url)}")


@cli.group()
def program() -> None:
    """Programs: load or update one from a YAML file."""


@program.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def program_load(file: Path) -> None:
    """Create or update the program FILE describes."""
    svc = services()
    data = read_program_file(file)
    with svc.unit_of_work() as session:
        loaded = load_program(session, data, base_dir=file.parent)
        click.echo(f"program {loaded.slug}: {loaded.name} <{loaded.address}>")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--program", "slug", required=True, help="The program's slug.")
def import_csv(file: Path, slug: str) -> None:
    """Import participants from FILE (CSV); every bad row is reported with its line."""
    svc = services()
    text = file.read_text(encoding="utf-8-sig", errors="replace")
    with svc.unit_of_work() as session:
        report = import_participants(session, find_program(session, slug), text)
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
    """Store raw .eml FILES and queue them (the drop-folder door)."""
    svc = services()
    for file in files:
        result = inbound.ingest(svc, file.read_bytes(), source)
        state = "duplicate of" if result.duplicate else "stored as"
        click.echo(f"{file}: {state} inbound #{result.inbound_id}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--context",
    type=click.Choice([c.value for c in Context]),
    default=None,
    help="What the message answers (default: general).",
)
def parse(files: tuple[Path, ...], context: str | None) -> None:
    """Read raw emails and print what we understand, one JSON object per file. Changes nothing."""
    ctx = Context(context) if context else None
    for file in files:
        reading = read_message(file.read_bytes(), ctx)
        click.echo(json.dumps(reading_as_json(str(file), reading), ensure_ascii=False))


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
def attention(resolve_ids: tuple[int, ...]) -> None:
    """What needs a coordinator, newest first; --resolve ID marks an item as dealt with."""
    svc = services()
    with svc.unit_of_work() as session:
        for item_id in resolve_ids:
            item = session.get(Attention, item_id)
            if item is None:
                raise click.BadParameter(f"no attention item #{item_id}", param_hint="--resolve")
            item.resolved = True
            click.echo(f"#{item_id} resolved")
        if resolve_ids:
            return
        query = select(Attention).where(Attention.resolved.is_(False)).order_by(Attention.id.desc())
        for item in session.scalars(query):
            click.echo(f"#{item.id} {item.created_at:%Y-%m-%d %H:%M} {item.reason}")
            if item.detail:
                click.echo("    " + item.detail.replace("\n", "\n    ")[:1000])


@cli.command()
@click.option("--burst", is_flag=True, help="Drain the queues, then exit.")
def work(burst: bool) -> None:
    """Run a worker on the inbound and outbound queues."""
    from rq.worker import SimpleWorker

    from mentormail.service.adapters import RqQueue

    svc = services()
    if not isinstance(svc.queue, RqQueue):
        raise click.UsageError("MENTORMAIL_REDIS_URL must be set to run a worker")
    worker = SimpleWorker(["inbound", "outbound"], connection=svc.queue.connection())
    worker.work(burst=burst, logging_level="WARNING" if burst else "INFO")


@cli.command("sweep")
def sweep_once() -> None:
    """Do what is due now: expire unanswered requests, re-queue lost or due work."""
    click.echo(repr(sweep.sweep(services())))


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

    svc = services()
    create_app(svc).run(host=svc.config.web_host, port=svc.config.web_port)


@cli.command()
def run() -> None:
    """Start everything on embedded defaults: database, Redis, web, worker, clock."""
    from mentormail.app.runner import run_all

    run_all(Config.from_env())


@cli.command()
def settings() -> None:
    """Print every setting with its default, as a Markdown table."""
    click.echo(settings_table())


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    """Entry point: our errors become one clear line and exit status 2."""
    try:
        cli(standalone_mode=True)
    except MentormailError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
