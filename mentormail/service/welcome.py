"""The welcome sequence in the shell: the sweep starts each new participant's (a row in
``welcomes``), then sends each step when its due date comes; mail waits for quiet hours."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormail.service import effects, markdown_text, people
from mentormail.service.context import Unit
from mentormail.service.effects import Subject
from mentormail.service.models import Participant, Welcome
from mentormail.workflows import welcome
from mentormail.workflows.effects import Role

NEWCOMER = -1  # the id the sweep's table gives the "start the new ones" work


def due(session: Session, now: datetime) -> list[int]:
    """People whose next welcome email is due, and (as one row) the newcomers, if any."""
    ids = list(session.scalars(select(Welcome.participant_id).where(Welcome.due_at <= now)))
    return ([NEWCOMER] if _newcomers(session) else []) + ids


def _newcomers(session: Session) -> list[Participant]:
    """Active participants the sequence has not seen yet."""
    seen = select(Welcome.participant_id)
    return list(
        session.scalars(
            select(Participant).where(Participant.status == "active", Participant.id.not_in(seen))
        )
    )


def on_time(uow: Unit, participant_id: int) -> None:
    """Start the newcomers' sequences (day 0 goes at once), or send one person's due step."""
    if participant_id == NEWCOMER:
        for person in _newcomers(uow.session):
            start = welcome.joined(uow.now)
            row = Welcome(participant_id=person.id, joined_at=uow.now, step=start.step)
            uow.session.add(row)
            if (person.program.settings or {}).get("welcome_emails", True):
                _send_due(uow, person, row)
            else:
                row.step, row.due_at = welcome.DONE, None  # joined_at is still kept
        return
    row = uow.session.get_one(Welcome, participant_id)
    if row.due_at is None or row.due_at > uow.now:
        return  # another sweep sent it meanwhile
    _send_due(uow, uow.session.get_one(Participant, participant_id), row)


def _send_due(uow: Unit, person: Participant, row: Welcome) -> None:
    """Send the person's current step and set the next one's due date."""
    if person.status != "active":
        row.step, row.due_at = welcome.DONE, None
        return
    steps = sequence_of(person)
    paired = bool(people.active_matches_of(uow.session, person.id))
    decision = welcome.due(
        row.step, row.joined_at, steps, Role(person.role), uow.now, paired, person.program.term_end
    )
    sent = steps[row.step] if row.step < len(steps) else None
    row.step, row.due_at = decision.step, decision.due_at
    if sent is not None and decision.effects:
        effects.apply(uow, subject_of(person, sent, uow.now, paired), decision.effects)


def sequence_of(person: Participant) -> tuple[welcome.Step, ...]:
    """The person's program's sequence."""
    return welcome.sequence((person.program.settings or {}).get("welcome") or ())


def subject_of(person: Participant, step: welcome.Step, now: datetime, paired: bool) -> Subject:
    """What a welcome email is about: the person, the step, the program's orientation
    sessions still to come, and whether they have a partner already."""
    settings = person.program.settings or {}
    return Subject(
        program=person.program,
        workflow="welcome",
        subject_id=person.id,
        mentor=person if person.role == "mentor" else None,
        mentee=person if person.role == "mentee" else None,
        values={
            "step_day": step.day,
            "orientation": welcome.upcoming(settings.get("orientation") or [], now.date()),
            "own_subject": step.subject,
            **_own_words(step),
            "several_mentors": int(settings.get("max_matches_per_mentee") or 1),
            "paired": paired,
        },
    )


def _own_words(step: welcome.Step) -> dict[str, object]:
    """The program's own Markdown for the step, as text (paragraphs joined, as they are read)
    and as HTML; nothing for the built-in steps."""
    markdown = Path(step.file).read_text(encoding="utf-8") if step.file else ""
    return {
        "own_text": markdown_text.to_text(markdown),
        "own_html": markdown_text.to_html(markdown),
    }


DUE = (("welcome_emails", due, on_time),)  # rows of the sweep's DUE table
