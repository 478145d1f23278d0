"""Messages per second: the whole inbound reading against the standard library's parse.

Usage: .venv/bin/python benchmarks/inbound.py [--repeat N] [--rounds R]

"whole path" is the pure reading (parse, classify, extract, intent); "with routing" adds
the service's routing step (reply token, In-Reply-To, program address and sender lookups)
against a SQLite database holding the example program, as the worker runs it.

The messages are the labelled .eml fixtures and the shared corpus .eml files, repeated.
Both sides read the same messages in the same run; each figure is the best of R rounds.
The baseline is what the issue names: email.message_from_bytes(policy=default) + get_body.
The corpus is read from $MENTORMAIL_CORPUS, else ../shared/corpus next to the checkout.
The reader's second opinion (intent_model) is fitted before timing, as a worker does once.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mentormail.inbound.classify import classify
from mentormail.inbound.extract import extract_reply
from mentormail.inbound.intent import understand
from mentormail.inbound.mime import parse_bytes
from mentormail.inbound.reading import read_message, understand_safely
from mentormail.inbound.types import Context, MailKind

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("MENTORMAIL_CORPUS") or ROOT.parent / "shared" / "corpus")
SOURCES = (ROOT / "tests" / "fixtures" / "eml" / "classify", CORPUS)
TARGET = 0.75  # the floor: whole path / stdlib parse


def load_messages() -> list[bytes]:
    """Every .eml file under the fixture and corpus folders."""
    files = [
        path for source in SOURCES if source.is_dir() for path in sorted(source.rglob("*.eml"))
    ]
    return [path.read_bytes() for path in files]


def stdlib_parse(raw: bytes) -> object:
    """The baseline: the standard library's parse and body choice."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg.get_body(preferencelist=("plain", "html"))


def whole_path(raw: bytes) -> object:
    """Parse, classify, extract and understand, as `mentormail parse` does."""
    return read_message(raw, Context.REQUEST)


def routed_path(session: Any) -> Callable[[bytes], object]:
    """Read, route against the database, then read the intent in the routed context."""
    from mentormail.service.inbound import route_message

    def step(raw: bytes) -> object:
        reading = read_message(raw, with_intent=False)
        if reading.kind is not MailKind.HUMAN:
            return reading
        route = route_message(session, reading)
        return understand_safely(reading.reply, route.context, [])

    return step


def example_database(folder: Path) -> Any:
    """A session on a SQLite database holding examples/program.yaml and its participants."""
    from mentormail.service.db import make_engine, make_sessionmaker, upgrade
    from mentormail.service.programs import (
        import_participants,
        load_program,
        read_program_file,
    )

    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    with sessions() as session, session.begin():
        program = load_program(session, read_program_file(ROOT / "examples" / "program.yaml"))
        import_participants(session, program, (ROOT / "examples" / "participants.csv").read_text())
    return sessions()


def best_rate(step: Callable[[Any], object], items: Sequence[Any], rounds: int) -> float:
    """The best messages-per-second of several rounds over the same items."""
    return best_rates({"step": (step, items)}, rounds)["step"]


def best_rates(
    steps: dict[str, tuple[Callable[[Any], object], Sequence[Any]]], rounds: int
) -> dict[str, float]:
    """Best messages-per-second of each step; rounds alternate so load drifts hit all alike."""
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(rounds):
        for name, (step, items) in steps.items():
            start = time.perf_counter()
            for item in items:
                step(item)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(steps[name][1]) / best[name] for name in steps}


def stage_rates(messages: list[bytes], rounds: int) -> dict[str, float]:
    """Messages per second of each step alone, on the previous step's output."""
    parsed = [parse_bytes(raw) for raw in messages]
    texts = [(p.text or "", p.html, p.from_name) for p in parsed]
    human = [p for p in parsed if classify(p).kind is MailKind.HUMAN]
    replies = [extract_reply(p.text or "", html=p.html, sender=p.from_name) for p in human]
    return {
        "parse_bytes": best_rate(parse_bytes, messages, rounds),
        "classify": best_rate(classify, parsed, rounds),
        "extract_reply": best_rate(
            lambda item: extract_reply(item[0], html=item[1], sender=item[2]),
            texts,
            rounds,
        ),
        f"understand ({len(replies)} human)": best_rate(
            lambda r: understand(r, Context.REQUEST), replies, rounds
        ),
    }


def measured(repeat: int, rounds: int) -> tuple[int, int, dict[str, float]]:
    """Distinct messages, total messages and the rates of the stdlib, ours and routed."""
    unique = load_messages()
    messages = unique * repeat
    for raw in unique:  # warm caches and compiled patterns before timing
        whole_path(raw)
        stdlib_parse(raw)
    with tempfile.TemporaryDirectory() as folder:
        session = example_database(Path(folder))
        routed = routed_path(session)
        for raw in unique:
            routed(raw)
        rates = best_rates(
            {
                "stdlib": (stdlib_parse, messages),
                "ours": (whole_path, messages),
                "routed": (routed, messages),
            },
            rounds,
        )
        session.close()
    return len(unique), len(messages), rates


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """The runner's rows (benchmarks/run.py): both rates as ratios to the stdlib parse."""
    _, total, rates = measured(max(1, round(20 * scale)), 5)
    base = rates["stdlib"]
    return [
        {
            "what": f"inbound {what}, {total:,} messages",
            "ours": f"{rates[name]:,.0f} msg/s",
            "baseline": f"stdlib parse {base:,.0f} msg/s",
            "ratio": f"{rates[name] / base:.2f}",
            "target": target,
        }
        for name, what, target in (
            ("ours", "pure reading path", ">= 0.75"),
            ("routed", "reading with routing (SQLite)", ">= 0.5"),
        )
    ]


def main() -> None:
    """Print the two rates, their ratio, and the rate of each step."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="times the message set is repeated")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the best one counts")
    args = parser.parse_args()
    distinct, total, rates = measured(args.repeat, args.rounds)
    messages = load_messages() * args.repeat
    baseline, ours, routed_rate = rates["stdlib"], rates["ours"], rates["routed"]
    print(f"messages: {distinct} distinct x {args.repeat} = {total}, best of {args.rounds}")
    print(f"stdlib message_from_bytes(policy=default) + get_body: {baseline:9.0f} msg/s")
    print(f"whole path read_message (parse, classify, extract, intent): {ours:9.0f} msg/s")
    print(f"ratio whole path / stdlib parse: {ours / baseline:.2f} (target >= {TARGET})")
    print(f"with routing (database lookups, SQLite): {routed_rate:9.0f} msg/s")
    print(f"ratio with routing / stdlib parse: {routed_rate / baseline:.2f} (target >= {TARGET})")
    for name, rate in stage_rates(messages, args.rounds).items():
        print(f"  step {name:<22} {rate:9.0f} msg/s")


if __name__ == "__main__":
    main()
