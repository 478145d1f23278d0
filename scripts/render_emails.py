"""`make emails`: every email a person can receive, as they would receive it.

Runs the realistic term of tests/journey.py on a throwaway SQLite database (fake clock,
queue and mailer: nothing is sent), then writes each outbox row to a folder as
``NN-template-to.txt`` (headers and text part), ``.html`` (the HTML part as sent) and
``.png`` (the HTML part in headless Chromium, at a phone-ish and a desktop width), with an
``index.html`` listing them.

    .venv/bin/python scripts/render_emails.py [--out var/emails] [--no-png]
        [--logo-url https://…/logo.png] [--colour '#7a0019'] [--width 640]
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentormail.app import bootstrap  # noqa: E402
from mentormail.service.models import OutboundMessage  # noqa: E402
from mentormail.service.models import Program as ProgramRow  # noqa: E402
from tests import journey  # noqa: E402
from tests.harness import Program, make_services  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Render the journey's emails into a folder; returns an exit status."""
    args = _arguments(argv)
    out = Path(args.out).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        rows = _journey_rows(Path(tmp), args.logo_url, args.colour)
    entries = [_write(out, n, row) for n, row in enumerate(rows, start=1)]
    if not args.no_png:
        _screenshots(out, [e["stem"] for e in entries], args.width)
    (out / "index.html").write_text(_index(entries, pictures=not args.no_png))
    templates = sorted({e["template"] for e in entries})
    print(f"{len(entries)} emails ({len(templates)} kinds) in {out}/ — open {out}/index.html")
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "emails"))
    parser.add_argument("--no-png", action="store_true", help="text and HTML only, no Chromium")
    parser.add_argument("--logo-url", default="", help="program setting logo_url, to preview")
    parser.add_argument("--colour", default="", help="program setting colour (#rrggbb)")
    parser.add_argument("--width", type=int, default=640, help="screenshot width in pixels")
    return parser.parse_args(argv)


def _journey_rows(tmp: Path, logo_url: str, colour: str) -> list[OutboundMessage]:
    """Every outbox row the journey writes, oldest first."""
    services = make_services(f"sqlite:///{tmp / 'emails.db'}", tmp)
    try:
        program = Program.start(services, journey.people_csv())
        if logo_url or colour:
            with services.unit_of_work() as session:
                row = session.query(ProgramRow).one()
                extra = {k: v for k, v in (("logo_url", logo_url), ("colour", colour)) if v}
                row.settings = {**(row.settings or {}), **extra}
        journey.run(program)
        return program.outbox()
    finally:
        bootstrap.install(None)


def _write(out: Path, number: int, row: OutboundMessage) -> dict[str, str]:
    """The row's .txt and .html files; what the index shows of it."""
    local = re.sub(r"[^a-z0-9]+", "-", row.to_addr.split("@")[0].lower()).strip("-")
    stem = f"{number:02d}-{row.template}-{local}"
    headers = [
        f"From: {row.from_addr}",
        f"To: {row.to_addr}",
        f"Reply-To: {row.reply_to}",
        f"Subject: {row.subject}",
        f"Template: {row.template}",
        f"Written: {row.created_at:%Y-%m-%d %H:%M} (the journey's clock)",
    ]
    (out / f"{stem}.txt").write_text("\n".join(headers) + "\n\n" + row.text)
    (out / f"{stem}.html").write_text(row.html)
    return {
        "stem": stem,
        "template": row.template,
        "to": row.to_addr,
        "subject": row.subject,
        "written": f"{row.created_at:%-d %b %Y}",
    }


def _screenshots(out: Path, stems: list[str], width: int) -> None:
    """A full-page PNG of each HTML part, and a narrow one (a phone) of each kind's first."""
    from tests.servers.browser import start_browser

    running = start_browser()
    try:
        page = running.browser.new_page(viewport={"width": width, "height": 800})
        for stem in stems:
            page.goto((out / f"{stem}.html").as_uri(), wait_until="load")
            page.screenshot(path=str(out / f"{stem}.png"), full_page=True)
        page.close()
    finally:
        running.stop()


def _index(entries: list[dict[str, str]], pictures: bool) -> str:
    """A page listing every email, with its picture."""
    rows = []
    for e in entries:
        stem = html.escape(e["stem"])
        picture = (
            f'<a href="{stem}.png"><img src="{stem}.png" width="240" alt=""></a>'
            if pictures
            else ""
        )
        rows.append(
            "<tr>"
            f"<td>{picture}</td>"
            f"<td><b>{html.escape(e['subject'])}</b><br>to {html.escape(e['to'])},"
            f" {html.escape(e['written'])}<br><code>{html.escape(e['template'])}</code><br>"
            f'<a href="{stem}.html">HTML</a> · <a href="{stem}.txt">text</a>'
            + (f' · <a href="{stem}.png">PNG</a>' if pictures else "")
            + "</td></tr>"
        )
    kinds = len({e["template"] for e in entries})
    return (
        "<!doctype html><meta charset='utf-8'><title>mentormail emails</title>"
        "<style>body{font-family:sans-serif;margin:24px}td{vertical-align:top;padding:8px;"
        "border-bottom:1px solid #ddd}img{border:1px solid #ccc}</style>"
        f"<h1>Every email of the journey</h1><p>{len(entries)} emails, {kinds} kinds,"
        " in the order they were written (tests/journey.py).</p>"
        "<table>" + "".join(rows) + "</table>\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
