"""Two real PostgreSQL transactions answering for one mentor at the same instant.

Each answer runs in its own thread with its own session (its own connection), released
together by a barrier, many rounds over: two Accept links for one mentor at capacity 1,
and an Accept link against a "no" reply to the same request. One wins, the other is told
kindly what happened; nobody gets an error page and no mentor is over capacity.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from mentormail.app import bootstrap
from mentormail.service import inbound, links
from mentormail.service.models import Match, MentorshipRequest, OutboundMessage, Participant
from mentormail.service.requests import ask_mentor
from tests.harness import Program, make_services, reply_to, token_of

pytestmark = pytest.mark.integration

ROUNDS = 6
HEADER = "email,name,role,profession,industry,major,interests,capacity,contact,bio\n"


def people_csv() -> str:
    """Twelve mentees, then six mentors who each take one (mentees' rows lock first by id)."""
    mentors = [
        f"m{i}@alumni.example.edu,Mentor {i},mentor,Engineer,Tech,CS,coding,1,email,Builds."
        for i in range(ROUNDS)
    ]
    mentees = [
        f"e{i}@student.example.edu,Mentee {i},mentee,,,CS,coding,,,Student."
        for i in range(2 * ROUNDS)
    ]
    return HEADER + "\n".join(mentees + mentors) + "\n"


@pytest.fixture
def program(postgres_db_url: str, tmp_path: Path) -> Iterator[Program]:
    """The example program with the people above, on a fresh PostgreSQL database."""
    yield Program.start(make_services(postgres_db_url, tmp_path), people_csv())
    bootstrap.install(None)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; returns results (or the exception raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as error:  # the test asserts there are none
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def ask(program: Program, mentee: str, mentor: str) -> OutboundMessage:
    """The mentee asks the mentor; returns the request email the mentor received."""
    with program.services.unit() as uow:
        people = {
            p.email: p
            for p in uow.session.scalars(
                select(Participant).where(Participant.email.in_([mentee, mentor]))
            )
        }
        req = ask_mentor(uow, people[mentee], people[mentor], "coding", f"test:{mentee}")
        assert req is not None
        request_id = req.id
    program.work()
    with program.services.sessions() as session:
        return session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.request_id == request_id,
                OutboundMessage.template == "request_to_mentor",
            )
        ).one()


def matches_of(program: Program, mentor: str) -> int:
    """How many matches the mentor has."""
    with program.services.sessions() as session:
        mentor_id = session.scalar(select(Participant.id).where(Participant.email == mentor))
        return int(
            session.scalar(
                select(func.count()).select_from(Match).where(Match.mentor_id == mentor_id)
            )
            or 0
        )


def state_of(program: Program, request_id: int | None) -> str:
    """A request's state."""
    with program.services.sessions() as session:
        return session.get_one(MentorshipRequest, request_id).state


def press(program: Program, url: str) -> links.LinkPage:
    """Press a link's button (no queue draining: the other thread is still at work)."""
    return links.act(program.services, token_of(url))


def test_two_accepts_at_once_never_put_a_mentor_over_capacity(program: Program) -> None:
    for i in range(ROUNDS):
        mentor = f"m{i}@alumni.example.edu"
        first = ask(program, f"e{2 * i}@student.example.edu", mentor)
        second = ask(program, f"e{2 * i + 1}@student.example.edu", mentor)

        pages = at_once(
            partial(press, program, first.links["accept"]),
            partial(press, program, second.links["accept"]),
        )
        program.work()

        assert all(isinstance(p, links.LinkPage) for p in pages), pages
        assert all(p.status < 500 for p in pages), pages
        assert matches_of(program, mentor) == 1
        states = sorted([state_of(program, first.request_id), state_of(program, second.request_id)])
        # the loser is released kindly, or (if it was still open) offered a raised capacity
        assert states in (["accepted", "released"], ["accepted", "pending"]), states
        titles = sorted(p.title for p in pages)
        assert "Thank you!" in titles, titles


def test_an_accept_link_and_a_no_reply_at_once_never_both_act(program: Program) -> None:
    for i in range(ROUNDS):
        mentor = f"m{i}@alumni.example.edu"
        asked = ask(program, f"e{2 * i}@student.example.edu", mentor)
        raw = reply_to(asked, mentor, "No, sorry, I can't this year.")
        stored = inbound.ingest(program.services, raw, "drop").inbound_id
        program.services.queue.jobs.clear()  # type: ignore[attr-defined]  # processed below

        page, handled = at_once(
            partial(press, program, asked.links["accept"]),
            partial(inbound.process, program.services, stored),
        )
        program.work()

        assert isinstance(page, links.LinkPage) and page.status < 500, page
        assert isinstance(handled, str), handled
        state = state_of(program, asked.request_id)
        assert state in ("accepted", "declined")
        assert matches_of(program, mentor) == (1 if state == "accepted" else 0)
        mentee = f"e{2 * i}@student.example.edu"
        intro = program.outbox(to=mentee, template="intro_mentee")
        # the text is wrapped at 72 columns: where the line breaks depends on the names
        intro_words = " ".join(intro[0].text.split()) if intro else ""
        after_no = "first said no, then said yes after all" in intro_words
        if state == "accepted":
            assert page.title == "Thank you!"
            # the no came second and hears the request is closed, or came first and the yes
            # after it (in the response time, the mentee waiting on no one) made the pair
            assert bool(program.outbox(to=mentor, template="request_already_closed")) != after_no
        else:
            assert page.title in ("Already answered", "This request is already closed"), page
        mentee_told = [r.template for r in program.outbox(to=mentee)]
        told_both = "intro_mentee" in mentee_told and "request_declined" in mentee_told
        assert told_both == after_no, mentee_told
        assert "intro_mentee" in mentee_told or "request_declined" in mentee_told, mentee_told


def test_an_answer_that_deadlocks_is_tried_once_more_and_acts(program: Program) -> None:
    """Another transaction takes the mentee, then the mentor: PostgreSQL breaks the deadlock by
    rolling one back; the link's answer still goes through, once, with a kind page."""
    mentor, mentee = "m0@alumni.example.edu", "e0@student.example.edu"
    asked = ask(program, mentee, mentor)
    ids = {p.email: p.id for p in _people(program)}
    other = program.services.sessions()
    other.begin()
    lock = "SELECT id FROM participants WHERE id = :id FOR UPDATE"
    other.execute(text(lock), {"id": ids[mentee]})
    result: list[Any] = []
    clicker = threading.Thread(target=lambda: result.append(press(program, asked.links["accept"])))
    clicker.start()
    time.sleep(1.0)  # the link now holds the mentor and waits for the mentee
    try:
        other.execute(text(lock), {"id": ids[mentor]})
        other.commit()
    except DBAPIError:
        other.rollback()  # PostgreSQL chose this side; the link goes on
    finally:
        other.close()
    clicker.join(timeout=60)
    program.work()

    assert [p.title for p in result] == ["Thank you!"], result
    assert state_of(program, asked.request_id) == "accepted"
    assert matches_of(program, mentor) == 1


def _people(program: Program) -> list[Participant]:
    """Every participant."""
    with program.services.sessions() as session:
        return list(session.scalars(select(Participant)))
