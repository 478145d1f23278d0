"""`mentormail demo`: a whole program year played in accelerated time through the real doors
(program file, participants CSV, `ingest` of RFC 5322 replies, link POSTs over loopback,
`sweep --at`), by simulated people who answer the mail they actually received."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import heapq
import html
import io
import itertools
import json
import logging
import os
import re
import tempfile
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, TextIO

from mentormail.app.demo_cast import CAST, COORDINATOR, FIRST_MAIL, Act
from mentormail.service.adapters import parse_instant

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "demo"
SLUG = "demo-2026"
START = datetime(2026, 9, 14, 9, 0)  # the term's first Monday, 09:00 UTC
END = datetime(2027, 7, 12, 9, 0)  # after the term's end and the conclusions


class EnvClock:
    """The instant MENTORMAIL_NOW names, read at every call: the demo moves it step by step,
    and the commands and link pages of this process all act at it."""

    def now(self) -> datetime:
        """MENTORMAIL_NOW as naive UTC."""
        return parse_instant(os.environ["MENTORMAIL_NOW"])


@dataclass(order=True)
class Step:
    """Something that happens at an instant: a sweep, or a person's reply or click."""

    at: datetime
    order: int
    run: Callable[[], str] = field(compare=False)


@dataclass
class Year:
    """One played year: its data folder, its services, the web app, and what people read."""

    data_dir: Path
    examples: Path
    until: datetime
    out: TextIO
    steps: list[Step] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    received: dict[tuple[str, str], int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    mail: list[dict[str, Any]] = field(default_factory=list)
    day: date | None = None
    counter: Iterator[int] = field(default_factory=itertools.count)
    base_url: str = ""
    services: Any = None
    app: Any = None
    program_address: str = ""
    program_name: str = ""
    final: list[dict[str, Any]] = field(default_factory=list)

    # --- the doors ---------------------------------------------------------------------------

    def command(self, *args: str) -> str:
        """Run one ``mentormail`` command in this process at MENTORMAIL_NOW; its output."""
        from mentormail.app import bootstrap
        from mentormail.app.cli import cli

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cli.main(args=list(args), prog_name="mentormail", standalone_mode=False)
        bootstrap.install(self.services)  # `sweep --at` installs its own: take the one clock back
        return out.getvalue()

    def outbox(self) -> list[dict[str, Any]]:
        """Every outbound email, as ``mentormail outbox --json`` prints it."""
        return [json.loads(line) for line in self.command("outbox", "--json").splitlines()]

    def write(
        self,
        sender: str,
        to: str,
        subject: str,
        words: str,
        answering: dict[str, Any] | None = None,
    ) -> str:
        """An RFC 5322 message from ``sender``, dropped in through ``mentormail ingest``."""
        now = EnvClock().now()
        msg = EmailMessage()
        msg["From"] = formataddr((self.names.get(sender, ""), sender))
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = format_datetime(now.replace(tzinfo=UTC))
        number = next(self.counter)
        msg["Message-ID"] = f"<demo-{number}@{sender.split('@')[1]}>"
        body = words
        if answering is not None:
            msg["In-Reply-To"] = msg["References"] = answering["message_id"]
            quoted = "\n".join("> " + line for line in answering["text"].splitlines())
            body = f"{words}\n\nOn {now:%d %b %Y}, {answering['from_name']} wrote:\n{quoted}\n"
        msg.set_content(body)
        path = self.data_dir / "replies" / f"{number:04d}.eml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(msg.as_bytes())
        return self.command("ingest", str(path))

    def click(self, url: str) -> tuple[str, str]:
        """Open a link (GET shows the page) and press its button (POST): (button, result)."""
        if not url.startswith(self.base_url + "/"):
            raise ValueError(f"not a link to the demo's own pages: {url}")  # loopback only
        with urllib.request.urlopen(url, timeout=10) as page:
            button = _tag(page.read().decode(), "button")
        form = urllib.parse.urlencode({"confirm": "yes"}).encode()
        request = urllib.request.Request(
            url, data=form, headers={"Origin": self.base_url, "Sec-Fetch-Site": "same-origin"}
        )
        with urllib.request.urlopen(request, timeout=10) as done:
            return button, _tag(done.read().decode(), "h1")

    # --- the year ----------------------------------------------------------------------------

    def at(self, when: datetime, run: Callable[[], str]) -> None:
        """Something happens at ``when`` (nothing after the year's end)."""
        if when <= self.until:
            heapq.heappush(self.steps, Step(when, next(self.counter), run))

    def play(self) -> None:
        """Every step in time order; after each, people read what they received."""
        for monday in _weeks(START, self.until):
            for when in (monday, monday + timedelta(days=3)):  # Mondays and Thursdays
                self.at(when, functools.partial(self.sweep, when))
        for when, sender, subject, words in FIRST_MAIL:
            self.at(when, functools.partial(self.first, sender, subject, words))
        while self.steps:
            step = heapq.heappop(self.steps)
            os.environ["MENTORMAIL_NOW"] = step.at.isoformat()
            said = step.run()
            self.read_mail(step.at, said)

    def sweep(self, when: datetime) -> str:
        """The clock's sweep at ``when``: what it did, in words ("" when nothing was due)."""
        out = self.command("sweep", "--at", when.isoformat())
        counts = out.split(": ", 1)[1].split(";")[0]  # "swept at T: checkins 2, …; sends …"
        done = re.findall(r"(\w+) (\d+)", counts)
        did = [f"{name.replace('_', ' ')} {n}" for name, n in done if n != "0"]
        return f"sweep: {', '.join(did)}" if did else ""

    def first(self, sender: str, subject: str, words: str) -> str:
        """A mentee writes to the program's address."""
        self.write(sender, self.program_address, subject, words)
        return f"{self.names[sender]} writes to {self.program_address}: “{_short(words)}”"

    def read_mail(self, when: datetime, said: str) -> None:
        """Log what happened and who received what; each person decides how to answer."""
        new = [r for r in self.outbox() if r["status"] == "sent" and r["id"] not in self.seen]
        if not said and not new:
            return
        if said.startswith("sweep") and len(new) == 1:  # a quiet week: the digest alone
            to = self.names.get(new[0]["to"], new[0]["to"])
            self.log(when, f"sweep → {to}: “{new[0]['subject']}”")
        else:
            self.log(when, said or "sweep")
            self.log_received(new)
        for row in new:
            self.seen.add(row["id"])
            self.mail.append(row)
            self.react(when, row)

    def log_received(self, new: list[dict[str, Any]]) -> None:
        """Who received what, one line per kind of email."""
        for _, rows in itertools.groupby(new, key=lambda r: r["template"]):
            group = list(rows)
            names = ", ".join(self.names.get(r["to"], r["to"]) for r in group)
            like = f" ({len(group)} alike)" if len(group) > 1 else ""
            self.log(None, f"   → {names}: “{group[0]['subject']}”{like}")

    def react(self, when: datetime, row: dict[str, Any]) -> None:
        """The person who received ``row`` answers it as their part in the cast says."""
        person = CAST.get(row["to"])
        key = (row["to"], row["template"])
        count = self.received.get(key, 0)
        self.received[key] = count + 1
        row = {**row, "from_name": self.program_name}
        for act in person.acts(row["template"], count) if person else ():
            self.at(when + act.after, functools.partial(self.answer, row, act))

    def answer(self, row: dict[str, Any], act: Act) -> str:
        """Carry out one act: a reply in the person's words, or a click on a named link."""
        who = self.names[row["to"]]
        if act.link:
            button, result = self.click(row["links"][act.link])
            return f"{who} clicks “{button}” in “{_short(row['subject'])}”: {result}"
        number = _number_of(row["text"], act.pick) if act.pick else ""
        met = (EnvClock().now() - timedelta(days=5)).strftime("%-d %B")
        words = act.words.format(pick=number, met=met)
        self.write(row["to"], row["reply_to"], "Re: " + row["subject"], words, answering=row)
        return f"{who} replies to “{_short(row['subject'])}”: “{_short(words)}”"

    def log(self, when: datetime | None, text: str) -> None:
        """One line of the timeline, under a heading per day."""
        if when is not None and when.date() != self.day:
            self.day = when.date()
            print(f"\n{when:%a %-d %b %Y}", file=self.out)
        stamp = f"{when:%H:%M}" if when is not None else "     "
        print(f"  {stamp}  {text}", file=self.out)

    # --- set-up ------------------------------------------------------------------------------

    def set_up(self) -> None:
        """A fresh data folder, the program file and the participants CSV, loaded by command."""
        from mentormail.app import bootstrap
        from mentormail.app.web import create_app
        from mentormail.service.config import Config

        os.environ["MENTORMAIL_NOW"] = (START - timedelta(days=7)).isoformat()
        self.command("init")
        built = bootstrap.build(Config.from_env(), inline_without_redis=True)
        self.services = dataclasses.replace(built, clock=EnvClock())
        bootstrap.install(self.services)
        self.app = create_app(self.services)
        loaded = self.command("program", "load", str(self.examples / "program.yaml"))
        found = re.match(r"program \S+ (?:created|updated \(.*?\)|unchanged): (.*) <(.*)>", loaded)
        assert found, loaded
        self.program_name, self.program_address = found.groups()
        self.command("import", str(self.examples / "participants.csv"), "--program", SLUG)
        people = [json.loads(line) for line in self.command("participants", "--json").splitlines()]
        self.names = {p["email"]: p["name"] for p in people} | {COORDINATOR: "the coordinator"}


def _weeks(start: datetime, until: datetime) -> Iterator[datetime]:
    """Every week's Monday from ``start`` to ``until``."""
    while start <= until:
        yield start
        start += timedelta(days=7)


def _tag(page: str, tag: str) -> str:
    """The text of the first ``<tag>`` of a page."""
    found = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.S)
    return html.unescape(re.sub(r"\s+", " ", found.group(1)).strip()) if found else ""


def _short(text: str, width: int = 72) -> str:
    """The first line of ``text``, cut to ``width``."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= width else first[: width - 1] + "…"


def _number_of(text: str, mentor: str) -> str:
    """The number a list of mentors gives ``mentor``."""
    for line in text.splitlines():
        head = line.split(".")[0].strip()
        if head.isdigit() and mentor in line:
            return head
    raise LookupError(f"{mentor} is not in the list")


# --- the report ------------------------------------------------------------------------------


def report(year: Year) -> None:
    """What a coordinator would see at the end: their mail, the fullest digest, the pairs."""
    out = year.out
    to_them = [r for r in year.mail if r["to"] == COORDINATOR]
    digests = [r for r in to_them if r["template"] == "digest"]
    print(f"\n== What the coordinator received: {len(to_them)} emails ==", file=out)
    kinds: dict[str, int] = {}
    for row in to_them:
        kinds[row["template"]] = kinds.get(row["template"], 0) + 1
    for template, count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        example = next(r["subject"] for r in to_them if r["template"] == template)
        print(f"  {count:3d} × {template:<28} e.g. “{example}”", file=out)
    if digests:
        fullest = max(digests, key=lambda r: len(r["text"]))
        print(f"\n== The fullest digest (text part): {fullest['subject']} ==\n", file=out)
        print(_indent(fullest["text"]), file=out)
    print("\n== How each pair's year went (mentormail matches --json) ==", file=out)
    for pair in year.final:
        print("  " + _pair_line(year, pair), file=out)
    print("\n== mentormail matches ==", file=out)
    print(year.command("matches", "--program", SLUG).rstrip(), file=out)


def _pair_line(year: Year, pair: dict[str, Any]) -> str:
    """One pair's year in a line: who, how it ended or goes on, meetings, ratings, outcome."""
    who = f"{year.names[pair['mentee']]} & {year.names[pair['mentor']]}"
    if pair["ending"]:
        end = pair["ending"]
        how = f"ended {end['at'][:10]} by the {end['by']}, reason {end['reason']}"
    elif pair["extended"]:
        how = f"continuing: extended to {pair['ends_on']}"
    else:
        how = f"{pair['state']} until {pair['ends_on']}"
    ratings = ", ".join(f"{r['by']} {r['value']}" for r in pair["ratings"]) or "none"
    line = (
        f"{who}: {how}; agreement {pair['agreement']}, fit {pair['fit']}, "
        f"{pair['meetings']} meetings, ratings {ratings}"
    )
    if pair["outcome"]:
        line += f"; next steps: “{_short(pair['outcome']['next_steps'] or '', 60)}”"
    return line


def _indent(text: str) -> str:
    """Text indented by four spaces, blank lines kept."""
    return "\n".join(("    " + line).rstrip() for line in text.splitlines())


# --- running it ------------------------------------------------------------------------------


@contextlib.contextmanager
def loopback_web(year: Year) -> Iterator[str]:
    """The link pages served on 127.0.0.1 (a free port) while the year plays; its base URL."""
    from werkzeug.serving import make_server

    def app(environ: Any, start_response: Any) -> Any:
        return year.app(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextlib.contextmanager
def fresh_environment(data_dir: Path) -> Iterator[None]:
    """Only the demo's own settings: a data folder of its own, no Redis, file transport."""
    saved = dict(os.environ)
    for key in [k for k in os.environ if k.startswith("MENTORMAIL_")]:
        del os.environ[key]
    os.environ.update(
        MENTORMAIL_DATA_DIR=str(data_dir),
        MENTORMAIL_TRANSPORT="file",
        MENTORMAIL_SECRET_KEY="demo-only-" + os.urandom(8).hex(),
    )
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def play_year(
    out: TextIO, until: datetime = END, keep: Path | None = None, as_json: bool = False
) -> list[dict[str, Any]]:
    """Play the year up to ``until`` in a fresh data folder (``keep`` to keep it); print the
    timeline and the coordinator's view to ``out`` (or, ``as_json``, the final matches)."""
    from mentormail.app import bootstrap

    for name in ("", "werkzeug"):  # the commands' and the web's INFO logs stay quiet
        if logging.getLogger(name).getEffectiveLevel() < logging.WARNING or name:
            logging.getLogger(name).setLevel(logging.WARNING)
    kept = keep is not None
    with contextlib.ExitStack() as stack:
        if keep is None:
            keep = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mentormail-demo-")))
        stack.enter_context(fresh_environment(keep))
        year = Year(keep, EXAMPLES, until, io.StringIO() if as_json else out)
        base_url = stack.enter_context(loopback_web(year))
        os.environ["MENTORMAIL_BASE_URL"] = year.base_url = base_url
        try:
            year.set_up()
            where = f"data in {keep}" if kept else "a temporary data folder (--keep DIR keeps one)"
            print(f"mentormail demo: {year.program_name}, {where}", file=year.out)
            year.play()
            lines = year.command("matches", "--program", SLUG, "--json").splitlines()
            year.final = [json.loads(line) for line in lines]
            if as_json:
                for pair in year.final:
                    print(json.dumps(pair, ensure_ascii=False), file=out)
            else:
                report(year)
        finally:
            bootstrap.install(None)
    return year.final
