"""Steps shared by the behaviour tests: people, a mentee asking a mentor, what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from mentormail.service.models import Attention, MentorshipRequest, OutboundMessage
from mentormail.service.sweep import sweep
from tests.harness import PROGRAM_ADDRESS, Program, email, reply_to

SAM = "sam.rivera@student.example.edu"
JO = "jo.kim@student.example.edu"
ANA = "ana.lima@alumni.example.edu"
TOM = "tom.becker@alumni.example.edu"
GRACE = "grace.okafor@alumni.example.edu"
LI = "li.wei@alumni.example.edu"
MENTOR_ADDRESSES = (ANA, TOM, GRACE, LI)
NAMES = {SAM: "Sam Rivera", JO: "Jo Kim", ANA: "Ana Lima", TOM: "Tom Becker"}
HEALTH_DATA = "Looking for a mentor in data science or healthcare"


def search(program: Program, mentee: str, words: str = HEALTH_DATA) -> OutboundMessage:
    """A mentee writes to the program address; returns the list they get back."""
    program.deliver(email(f"{NAMES[mentee]} <{mentee}>", PROGRAM_ADDRESS, words, subject="Mentor?"))
    listing = program.last_to(mentee)
    assert listing.template == "mentor_list", listing.text
    return listing


def number_of(listing: OutboundMessage, mentor_name: str) -> int:
    """The number a mentor has in a list email."""
    for line in listing.text.splitlines():
        head, _, rest = line.partition(". ")
        if head.strip().isdigit() and rest.startswith(mentor_name):
            return int(head)
    raise AssertionError(f"{mentor_name} is not in the list:\n{listing.text}")


def ask(
    program: Program, mentee: str, mentor_name: str = "Ana Lima", words: str = HEALTH_DATA
) -> OutboundMessage:
    """A mentee searches and replies with the mentor's number; returns the mentor's request."""
    listing = search(program, mentee, words)
    program.deliver(reply_to(listing, mentee, str(number_of(listing, mentor_name))))
    sent = program.outbox(template="request_to_mentor")
    assert sent, program.last_to(mentee).text
    return sent[-1]


def rows_after(program: Program, count: int) -> list[OutboundMessage]:
    """Outbox rows written after the first ``count``."""
    return program.outbox()[count:]


def sent_pairs(rows: list[OutboundMessage]) -> list[tuple[str, str]]:
    """(template, to) of each row."""
    return [(r.template, r.to_addr) for r in rows]


def attention(program: Program) -> list[Attention]:
    """The coordinators' attention list."""
    with program.services.sessions() as session:
        return list(session.scalars(select(Attention).order_by(Attention.id)))


def request_states(program: Program) -> dict[int, str]:
    """Each request's state by id."""
    return dict(program.snapshot()["requests"])


def the_request(program: Program) -> MentorshipRequest:
    """The newest request."""
    with program.services.sessions() as session:
        found = session.scalar(select(MentorshipRequest).order_by(MentorshipRequest.id.desc()))
        assert found is not None
        return found


def count_rows(program: Program, model: Any) -> int:
    """How many rows a table has."""
    with program.services.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The snapshot keys whose values differ, as (before, after)."""
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


# --- year-a: the year on the clock ---


def matched(program: Program, mentee: str = SAM) -> None:
    """The mentee asks Ana, who says yes."""
    request = ask(program, mentee)
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))


def days_pass(program: Program, days: float) -> None:
    """The clock moves on and the sweep runs at least once a day, as the clock process
    would (it runs every few minutes)."""
    from mentormail.service.sweep import sweep

    steps = [1.0] * int(days) + ([days - int(days)] if days != int(days) or not days else [])
    for step in steps:
        program.services.clock.advance(days=step)  # type: ignore[attr-defined]
        sweep(program.services)
        program.work()


def until(program: Program, when: datetime) -> None:
    """The clock moves on to an instant and the sweep runs, as the clock process would."""
    clock = program.services.clock
    clock.advance(seconds=(when - clock.now()).total_seconds())  # type: ignore[attr-defined]
    sweep(program.services)
    program.work()


def every_day_until(program: Program, when: datetime) -> None:
    """The clock moves on to an instant, the sweep running at least once a day on the way (as
    the clock process does: a pair's questions come days apart, not all at a jump's end)."""
    clock = program.services.clock
    whole_days = int((when - clock.now()).total_seconds() // 86400)
    if whole_days > 0:
        days_pass(program, whole_days)
    until(program, when)
