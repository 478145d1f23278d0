"""Quiet hours (year-a): a check-in the sweep writes at night waits for the person's morning
in the program's time zone; a reply to a person's own message goes at once."""

from __future__ import annotations

from datetime import datetime

import pytest

from mentormail.service.models import Program as ProgramRow
from mentormail.service.sweep import sweep
from tests.harness import Program, reply_to
from tests.service.steps import ANA, SAM, ask

pytestmark = pytest.mark.service


def test_a_checkin_due_at_night_waits_for_the_morning_and_answers_go_at_once(
    program: Program,
) -> None:
    with program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        row.settings = {**row.settings, "timezone": "America/Los_Angeles"}
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    clock = program.services.clock
    clock.current = datetime(2026, 11, 1, 5, 0)  # type: ignore[attr-defined]  # 22:00 in LA
    sweep(program.services)
    program.work()
    (held,) = program.outbox(to=SAM, template="checkin")
    assert (held.status, held.next_attempt_at) == (
        "waiting",
        datetime(2026, 11, 1, 16, 0),
    )  # 08:00 PST, after DST
    program.deliver(reply_to(held, SAM, "MET"))  # their own message: answered at once
    (thanks,) = program.outbox(to=SAM, template="met_logged")
    assert thanks.status == "sent"
    clock.current = datetime(2026, 11, 1, 16, 0)  # type: ignore[attr-defined]  # 08:00 in LA
    report = sweep(program.services)
    program.work()
    assert report.done["quiet_mail_released"] == 2  # the check-ins (the fit check and the
    # pulse survey due with them come two and four days after them)
    assert program.outbox(to=SAM, template="checkin")[0].status == "sent"


def test_a_persons_own_time_zone_from_the_people_file_is_kept(program: Program) -> None:
    from mentormail.service.programs import import_participants

    with program.services.unit_of_work() as session:
        row = session.query(ProgramRow).one()
        text = (
            "email,name,role,profession,industry,major,interests,capacity,contact,bio,timezone\n"
            f"{SAM},Sam Rivera,mentee,,,Biostatistics,data science;healthcare,,,,Asia/Tokyo\n"
            "bad@example.edu,Bad Zone,mentee,,,,,,,,Mars/Olympus\n"
        )
        report = import_participants(session, row, text)
    assert report.errors == [
        (3, "timezone must be a time zone name such as Europe/Paris, not 'Mars/Olympus'")
    ]
    request = ask(program, SAM)
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    clock = program.services.clock
    clock.current = datetime(2026, 10, 31, 13, 0)  # type: ignore[attr-defined]  # 22:00 Tokyo
    sweep(program.services)
    program.work()
    (to_sam,) = program.outbox(to=SAM, template="checkin")
    (to_ana,) = program.outbox(to=ANA, template="checkin")
    assert (to_sam.status, to_sam.next_attempt_at) == ("waiting", datetime(2026, 10, 31, 23, 0))
    assert to_ana.status == "sent"  # 13:00 UTC is daytime where the program is


def test_a_reminder_held_for_the_morning_never_goes_once_the_mentor_answered(
    program: Program,
) -> None:
    request = ask(program, SAM)
    clock = program.services.clock
    clock.current = datetime(2026, 10, 6, 22, 0)  # type: ignore[attr-defined]  # halfway, at night
    sweep(program.services)
    program.work()
    (held,) = program.outbox(to=ANA, template="request_reminder")
    assert held.status == "waiting"
    program.deliver(reply_to(request, ANA, "Yes, happy to!"))
    clock.current = datetime(2026, 10, 7, 8, 0)  # type: ignore[attr-defined]
    sweep(program.services)
    program.work()
    (kept,) = program.outbox(to=ANA, template="request_reminder")
    assert kept.status == "superseded"
