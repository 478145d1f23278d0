"""Messages per second: mentormail's send path against the same mail sent plainly.

Usage: .venv/bin/python benchmarks/outbound.py [--messages N] [--rounds R]

"mentormail" is what a worker does for each batch job (sending.send_batch): claim the
batch's rows in one UPDATE, check suppressions in one query, build each message (MIME,
clean headers) or SendGrid body, send it on the worker's one SMTP session or kept-alive
HTTP connection, and record the rows as sent in batches, on a SQLite outbox. The
baselines send the same messages, built beforehand: raw ``smtplib`` on one connection
(``sendmail`` of the finished bytes) and raw keep-alive ``http.client`` POSTs of the
finished JSON body. Both sides talk to the same servers (aiosmtpd and the local SendGrid
v3 endpoint of tests/servers under gunicorn with keep-alive, each in its own process) in
the same run; rounds
alternate, and each figure is the best (and the median) of R rounds. Targets: >= 0.5.
"""

from __future__ import annotations

import argparse
import http.client
import json
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from mentormail.service import sending  # noqa: E402
from mentormail.service.adapters import SystemClock  # noqa: E402
from mentormail.service.context import Services  # noqa: E402
from mentormail.service.models import OutboundMessage  # noqa: E402
from mentormail.service.transports.mime import as_bytes  # noqa: E402
from mentormail.service.transports.sendgrid import SendGridMailer, to_request_body  # noqa: E402
from mentormail.service.transports.smtp import SmtpMailer  # noqa: E402

SMTP_SERVER = """
import sys
from tests.servers.smtp_server import start_smtp
smtp = start_smtp()
print(smtp.port, flush=True)
sys.stdin.read()
"""
SENDGRID_KEY = "SG.bench-key"


def sendgrid_app() -> Any:
    """The local SendGrid v3 endpoint of tests/servers as a WSGI app (for gunicorn, which
    keeps connections alive as SendGrid does; the tests' threaded server closes each one)."""
    from tests.servers.sendgrid_api import SendGridApi

    return SendGridApi(host="127.0.0.1", port=0, api_key=SENDGRID_KEY).wsgi


def start_servers() -> tuple[list[subprocess.Popen[str]], int, int, str]:
    """aiosmtpd and the SendGrid endpoint in their own processes (not sharing our GIL)."""
    from tests.servers._proc import free_port

    smtp = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER], cwd=ROOT, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert smtp.stdout is not None
    smtp_port = int(smtp.stdout.readline())
    api_port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    api = subprocess.Popen(
        [str(gunicorn), "--chdir", str(ROOT / "benchmarks"), "--pythonpath", str(ROOT),
         "-k", "gthread", "--threads", "4", "-w", "1", "--keep-alive", "60",
         "-b", f"127.0.0.1:{api_port}", "outbound:sendgrid_app()"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    _wait_for(api_port)
    return [smtp, api], smtp_port, api_port, SENDGRID_KEY


def _wait_for(port: int) -> None:
    """Until something listens on the port (at most 30 s)."""
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def example_row(tmp: Path) -> tuple[Services, dict[str, Any]]:
    """A program on a SQLite outbox, and one realistic rendered row (Sam's list of mentors)."""
    from tests.harness import PROGRAM_ADDRESS, Program, email, make_services

    services = make_services(f"sqlite:///{tmp / 'bench.db'}", tmp)
    program = Program.start(services)
    program.deliver(email("sam.rivera@student.example.edu", PROGRAM_ADDRESS, "data science"))
    row = program.outbox(template="mentor_list")[-1]
    columns = {c.key: getattr(row, c.key) for c in OutboundMessage.__table__.columns}
    del columns["id"]
    return replace(services, clock=SystemClock()), columns


def fresh_rows(services: Services, template: dict[str, Any], count: int, tag: str) -> list[int]:
    """``count`` pending copies of the row, each with its own key and Message-ID."""
    values = [
        {
            **template,
            "status": "pending",
            "attempts": 0,
            "idempotency_key": f"bench:{tag}:{n}",
            "message_id": f"<bench.{tag}.{n}@example.edu>",
        }
        for n in range(count)
    ]
    with services.sessions() as session, session.begin():
        session.execute(insert(OutboundMessage), values)
        return list(
            session.scalars(
                select(OutboundMessage.id)
                .where(OutboundMessage.idempotency_key.like(f"bench:{tag}:%"))
                .order_by(OutboundMessage.id)
            )
        )


def mentormail_sends(services: Services, ids: list[int]) -> int:
    """What the worker's batch jobs do for these rows; returns how many were sent."""
    sent = 0
    for start in range(0, len(ids), sending.BATCH):
        report = sending.send_batch(services, ids[start])
        sent += report.counts().get("sent", 0)
    return sent


def raw_smtp(port: int, messages: list[tuple[str, str, bytes]]) -> int:
    """The baseline: the same finished messages through smtplib on one connection."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo()
        for sender, rcpt, raw in messages:
            smtp.sendmail(sender, [rcpt], raw)
    return len(messages)


def raw_sendgrid(port: int, key: str, bodies: list[bytes]) -> int:
    """The baseline: the same finished JSON bodies as keep-alive POSTs on one connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    for body in bodies:
        connection.request("POST", "/v3/mail/send", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 202, response.status
    connection.close()
    return len(bodies)


def timed(step: Callable[[], int]) -> float:
    """Messages per second of one run of ``step``."""
    start = time.perf_counter()
    count = step()
    return count / (time.perf_counter() - start)


def main() -> None:
    """Run the rounds and print one table of rates and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per round and side")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; best and median shown")
    args = parser.parse_args()
    procs, smtp_port, api_port, key = start_servers()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rates = run(Path(tmp), args.messages, args.rounds, smtp_port, api_port, key)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
    report(rates, args.messages, args.rounds)


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """``make bench``'s rows: SMTP and SendGrid sends against the raw client, same run."""
    count, rounds = max(200, int(2000 * scale)), 3
    procs, smtp_port, api_port, key = start_servers()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rates = run(Path(tmp), count, rounds, smtp_port, api_port, key)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
    baselines = {"smtp": "raw smtplib on one connection", "sendgrid": "raw keep-alive POSTs"}
    rows = []
    for kind, name in (("smtp", "SMTP"), ("sendgrid", "SendGrid v3")):
        ours, raw = rates[kind], rates[f"{kind} raw"]
        rows.append(
            {
                "what": f"outbound, one worker, {name} ({count} emails, {rounds} rounds)",
                "ours": f"{max(ours):.0f} msg/s (median {statistics.median(ours):.0f})",
                "baseline": f"{baselines[kind]} {max(raw):.0f} msg/s",
                "ratio": f"{max(ours) / max(raw):.2f} (median "
                f"{statistics.median(ours) / statistics.median(raw):.2f})",
                "target": ">= 0.5",
            }
        )
    return rows


def run(
    tmp: Path, count: int, rounds: int, smtp_port: int, api_port: int, key: str
) -> dict[str, list[float]]:
    """Interleaved rounds of the four steps; the rates of each."""
    services, template = example_row(tmp)
    probe = sending.outgoing(OutboundMessage(id=0, **template))
    smtp_messages = [(probe.from_addr, probe.to_addr, as_bytes(probe))] * count
    bodies = [json.dumps(to_request_body(probe)).encode()] * count
    smtp_services = replace(
        services, mailer_factory=lambda: SmtpMailer("127.0.0.1", smtp_port), _mailer=None
    )
    api = f"http://127.0.0.1:{api_port}"
    sendgrid_services = replace(
        services, mailer_factory=lambda: SendGridMailer(key, host=api), _mailer=None
    )
    rates: dict[str, list[float]] = {
        k: [] for k in ("smtp raw", "smtp", "sendgrid raw", "sendgrid")
    }
    for number in range(rounds):
        smtp_ids = fresh_rows(services, template, count, f"smtp{number}")
        sendgrid_ids = fresh_rows(services, template, count, f"sg{number}")
        rates["smtp raw"].append(timed(lambda: raw_smtp(smtp_port, smtp_messages)))
        rates["smtp"].append(timed(lambda: mentormail_sends(smtp_services, smtp_ids)))  # noqa: B023
        rates["sendgrid raw"].append(timed(lambda: raw_sendgrid(api_port, key, bodies)))
        rates["sendgrid"].append(timed(lambda: mentormail_sends(sendgrid_services, sendgrid_ids)))  # noqa: B023
    return rates


def report(rates: dict[str, list[float]], count: int, rounds: int) -> None:
    """The table: best and median msg/s of each side, and the ratios."""
    print(f"outbound: {count} messages per side and round, {rounds} rounds (best / median)")
    for name, values in rates.items():
        print(f"  {name:13} {max(values):8.0f} / {statistics.median(values):8.0f} msg/s")
    for kind in ("smtp", "sendgrid"):
        best = max(rates[kind]) / max(rates[f"{kind} raw"])
        median = statistics.median(rates[kind]) / statistics.median(rates[f"{kind} raw"])
        print(
            f"ratio {kind:9} mentormail / raw: {best:.2f} best, {median:.2f} median"
            " (target >= 0.50)"
        )


if __name__ == "__main__":
    main()
