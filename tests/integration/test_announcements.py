"""An announcement reaches each person with their own name and unsubscribe link, and no one
who left or whose address is suppressed: 2,500 people through the local SendGrid endpoint
in three requests, and over SMTP on one connection, both sent by a real RQ worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select

from mentormail.app import bootstrap
from mentormail.service import announcements, links, membership, sweep
from mentormail.service.adapters import RqQueue
from mentormail.service.context import Services
from mentormail.service.models import OutboundMessage, Participant, Suppression
from mentormail.service.programs import import_participants, load_program, read_program_file
from mentormail.service.rq_worker import PromptWorker
from mentormail.service.transports.sendgrid import SendGridMailer
from mentormail.service.transports.smtp import SmtpMailer
from mentormail.workflows.announcement import Audience
from tests.fakes import FakeClock
from tests.harness import EXAMPLES, make_services, token_of
from tests.servers.sendgrid_api import SendGridApi
from tests.servers.smtp_server import SmtpServer

pytestmark = pytest.mark.integration

WORDS = announcements.Words(
    Audience.MENTEES,
    "Spring orientation: Thursday 12 March",
    "## Spring orientation\n\nCome and meet your fellow mentees on **Thursday 12 March** at "
    "18:00 in the [Alumni Hall](https://alumni.example.edu/hall).\n\n- bring a question\n"
    "- bring your calendar\n",
)


def people_csv(mentees: int) -> str:
    """The example's mentors and ``mentees`` generated mentees (names with accents too)."""
    rows = (EXAMPLES / "participants.csv").read_text().splitlines()
    mentors = [r for r in rows[1:] if ",mentor," in r]
    first = ["Zoë", "Ana", "Björn", "Li", "Kwame", "Maya", "O'Neil", "Sam"]
    made = [
        f"m{n:05d}@student.example.edu,{first[n % len(first)]}{n} Student{n},mentee,,,"
        f"Economics,startups,,,Student {n}."
        for n in range(mentees)
    ]
    return "\n".join([rows[0], *mentors, *made]) + "\n"


@pytest.fixture
def services(database_url: str, tmp_path: Path, fresh_redis_url: str) -> Iterator[Services]:
    """A program of 2,500 mentees on a real Redis queue; three suppressed, two who left."""
    built = make_services(database_url, tmp_path, clock=FakeClock())
    built = replace(built, queue=RqQueue(fresh_redis_url))
    bootstrap.install(built)
    with built.unit() as uow:
        program = load_program(uow.session, read_program_file(EXAMPLES / "program.yaml"))
        report = import_participants(uow.session, program, people_csv(2505))
        assert not report.errors
        for n in (3, 1500, 2504):
            uow.session.add(
                Suppression(email=f"m{n:05d}@student.example.edu", reason="bounce",
                            created_at=uow.now)
            )  # fmt: skip
        for n in (10, 2000):
            person = uow.session.scalar(
                select(Participant).where(Participant.email == f"m{n:05d}@student.example.edu")
            )
            assert person is not None
            membership.leave(uow, person, "test")
    yield built
    bootstrap.install(None)


LEFT_OUT = {f"m{n:05d}@student.example.edu" for n in (3, 10, 1500, 2000, 2504)}


def work(services: Services, fresh_redis_url: str) -> None:
    """A real RQ worker runs every queued job until none is left."""
    PromptWorker(["outbound"], connection=Redis.from_url(fresh_redis_url)).work(burst=True)


def over_sendgrid(services: Services, sendgrid_api: SendGridApi) -> Services:
    """The services sending through the local SendGrid endpoint, installed for the jobs."""
    api = SendGridMailer(sendgrid_api.api_key, host=sendgrid_api.url)
    services = replace(services, mailer_factory=lambda: api, _mailer=None)
    bootstrap.install(services)
    return services


def announce(services: Services) -> announcements.Summary:
    """``mentormail announce --send`` as the CLI calls it."""
    return announcements.send(services, "alumni-2026", WORDS, "cli:test", lambda n: None)


def test_an_announcement_to_2500_people_is_three_sendgrid_requests_each_person_reading_their_own(
    services: Services, sendgrid_api: SendGridApi, fresh_redis_url: str
) -> None:
    services = over_sendgrid(services, sendgrid_api)
    with services.sessions() as session:
        mentees = set(
            session.scalars(select(Participant.email).where(Participant.role == "mentee"))
        )
    work(services, fresh_redis_url)  # the two who left were told so
    sendgrid_api.reset()
    summary = announce(services)
    assert summary.written == 2500 and summary.jobs == 3
    assert summary.left_out == {"suppressed": 3, "left the program": 2}
    work(services, fresh_redis_url)

    assert len(sendgrid_api.requests) == 3, [len(r.body["personalizations"]) for r in
                                             sendgrid_api.requests]  # fmt: skip
    assert [len(r.body["personalizations"]) for r in sendgrid_api.requests] == [1000, 1000, 500]
    delivered = sendgrid_api.delivered()
    addresses = [d.to["email"] for d in delivered]
    assert len(addresses) == len(set(addresses)) == 2500
    assert set(addresses) == mentees - LEFT_OUT  # nobody suppressed, nobody who left
    with services.sessions() as session:
        rows = {r.to_addr: r for r in session.scalars(select(OutboundMessage)
                .where(OutboundMessage.template == "announcement"))}  # fmt: skip
        assert {r.status for r in rows.values()} == {"sent"}
    for mail in delivered:
        row = rows[mail.to["email"]]
        first = mail.to["name"].split()[0]
        # what the person reads: their own name, the words, their own unsubscribe link
        assert mail.subject == "Spring orientation: Thursday 12 March"
        assert mail.text.startswith(f"Hi {first},\n")
        hall = "Thursday 12 March at 18:00 in the Alumni Hall (https://alumni.example.edu/hall)"
        assert hall in " ".join(mail.text.split())
        assert "%mm_" not in mail.text + mail.html + mail.subject
        assert mail.text == row.text and mail.html == row.html
        unsubscribe = re.search(r"unsubscribe here:\s+(\S+)", mail.text)
        assert unsubscribe is not None
        assert mail.headers["List-Unsubscribe"].startswith(f"<{unsubscribe.group(1)}>, <mailto:")
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.headers["Message-ID"] == row.message_id
        assert mail.custom_args == {
            "outbox_id": str(row.id), "idempotency_key": row.idempotency_key,
        }  # fmt: skip
        assert mail.reply_to == {"email": "mentors@example.edu"}  # per request: the program
    zoe = next(d for d in delivered if d.to["email"] == "m00000@student.example.edu")
    assert zoe.text.startswith("Hi Zoë0,") and ">Hi Zoë0,</p>" in zoe.html
    oneil = next(d for d in delivered if d.to["email"] == "m00006@student.example.edu")
    assert ">Hi O&#39;Neil6,</p>" in oneil.html and oneil.text.startswith("Hi O'Neil6,")

    # each person's link is their own: it unsubscribes exactly them
    url = re.search(r"unsubscribe here:\s+(\S+)", zoe.text).group(1)  # type: ignore[union-attr]
    links.act(services, token_of(url))
    with services.sessions() as session:
        left = session.scalars(select(Participant.email).where(Participant.status != "active"))
        assert set(left) == {"m00000@student.example.edu", "m00010@student.example.edu",
                             "m02000@student.example.edu"}  # fmt: skip

    # the same words again reach nobody twice
    again = announce(services)
    assert again.written == 0 and again.already == 2499
    work(services, fresh_redis_url)
    sent = [r.body.get("categories") for r in sendgrid_api.requests]
    assert sent == [["announcement"]] * 3 + [["left_program"]]  # Zoë is told she left


def test_an_announcement_over_smtp_goes_on_one_connection_each_with_their_own_name(
    services: Services, smtp_server: SmtpServer, fresh_redis_url: str
) -> None:
    smtp = SmtpMailer(smtp_server.host, smtp_server.port, timeout=10)
    services = replace(services, mailer_factory=lambda: smtp, _mailer=None)
    bootstrap.install(services)
    words = replace(WORDS, audience=Audience.MENTORS)
    work(services, fresh_redis_url)  # the two who left were told so
    smtp_server.reset()
    summary = announcements.send(services, "alumni-2026", words, "cli:test", lambda n: None)
    extra = replace(WORDS, audience=Audience.UNMATCHED, subject="Still looking for a mentor?")
    second = announcements.send(services, "alumni-2026", extra, "cli:test", lambda n: None)
    work(services, fresh_redis_url)
    smtp.close()
    received = smtp_server.messages
    assert summary.written == 4 and second.written == 2500
    assert len(received) == 2504
    assert len({m.peer for m in received}) == 1  # one SMTP connection for every message
    for mail in received[:4]:
        message = mail.message
        name = str(message["To"]).split("<")[0].strip().strip('"')
        assert (
            message.get_body(("plain",))
            .get_content()
            .startswith(  # type: ignore[union-attr]
                f"Hi {name.split()[0]},"
            )
        )
        assert message["Reply-To"] == "mentors@example.edu"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with services.sessions() as session:
        assert session.scalar(
            select(func.count()).where(OutboundMessage.status == "sent",
                                       OutboundMessage.template == "announcement")
        ) == 2504  # fmt: skip


@pytest.fixture
def small(database_url: str, tmp_path: Path, fresh_redis_url: str) -> Iterator[Services]:
    """A program of 30 mentees on a real Redis queue."""
    built = replace(
        make_services(database_url, tmp_path, clock=FakeClock()), queue=RqQueue(fresh_redis_url)
    )
    with built.unit() as uow:
        program = load_program(uow.session, read_program_file(EXAMPLES / "program.yaml"))
        assert not import_participants(uow.session, program, people_csv(30)).errors
    yield built
    bootstrap.install(None)


def statuses(services: Services) -> dict[str, int]:
    """How many announcement rows are in each state."""
    with services.sessions() as session:
        return dict(
            session.execute(  # type: ignore[arg-type]
                select(OutboundMessage.status, func.count())
                .where(OutboundMessage.template == "announcement")
                .group_by(OutboundMessage.status)
            ).all()
        )


def test_a_request_that_fails_for_now_is_tried_again_whole_and_a_refused_one_row_by_row(
    small: Services, sendgrid_api: SendGridApi, fresh_redis_url: str
) -> None:
    services = over_sendgrid(small, sendgrid_api)
    sendgrid_api.fail_next(503)
    announce(services)
    work(services, fresh_redis_url)
    assert statuses(services) == {"retry": 30} and sendgrid_api.requests == []
    services.clock.advance(minutes=5)  # type: ignore[attr-defined]
    sweep.sweep(services)  # the retries are due: queued again
    work(services, fresh_redis_url)
    assert statuses(services) == {"sent": 30}
    assert [len(r.body["personalizations"]) for r in sendgrid_api.requests] == [30]

    sendgrid_api.reset()
    sendgrid_api.fail_next(400)  # refused as a whole: each row alone, so only a bad one stays
    second = replace(WORDS, subject="Second")
    announcements.send(services, "alumni-2026", second, "t", lambda n: None)
    work(services, fresh_redis_url)
    assert statuses(services) == {"sent": 60}
    assert len(sendgrid_api.requests) == 30  # one by one, after the refused request
    assert {len(r.body["personalizations"]) for r in sendgrid_api.requests} == {1}


def test_people_who_go_by_another_name_are_greeted_by_it_in_the_same_request_as_everyone(
    small: Services, sendgrid_api: SendGridApi, fresh_redis_url: str
) -> None:
    services = over_sendgrid(small, sendgrid_api)
    goes_by = {"m00001@student.example.edu": "Annie", "m00004@student.example.edu": "Kobby"}
    with services.unit() as uow:
        for email, known_as in goes_by.items():
            person = uow.session.scalar(select(Participant).where(Participant.email == email))
            assert person is not None
            person.known_as = known_as
    announce(services)
    work(services, fresh_redis_url)
    assert [len(r.body["personalizations"]) for r in sendgrid_api.requests] == [30]
    delivered = {d.to["email"]: d for d in sendgrid_api.delivered()}
    assert delivered["m00001@student.example.edu"].text.startswith("Hi Annie,\n")
    assert ">Hi Kobby,</p>" in delivered["m00004@student.example.edu"].html
    assert delivered["m00002@student.example.edu"].text.startswith("Hi Björn2,\n")
