"""What reaches the program's coordinators: the attention list, and urgent items by email."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mentormail.service import outbox
from mentormail.service.context import Unit
from mentormail.service.db import PreparedRead, insert_row
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.keys import idempotency_key
from mentormail.service.models import Attention, Match, MentorshipRequest, Participant, Program
from mentormail.service.outbox import Draft
from mentormail.service.people import pair_named, person_view, policy_of
from mentormail.workflows.checkin import silence_reason
from mentormail.workflows.effects import Role


def greeting(recipients: int, display_name: str | None = None) -> str:
    """Whom a coordinators' email greets: several as "coordinators", one by the first name
    their mail gave ("Keller, Maria" too), else "there"."""
    if recipients > 1:
        return "coordinators"
    name = (display_name or "").strip().strip('"')
    name = name.split(",", 1)[1] if "," in name else name
    first = name.split()[0] if name.split() else ""
    return first if first.replace("-", "").replace("'", "").isalpha() else "there"


def flag(
    uow: Unit,
    program_id: int | None,
    reason: str,
    detail: str = "",
    *,
    person: Participant | None = None,
    req: MentorshipRequest | None = None,
    inbound_id: int | None = None,
    urgent: bool = False,
    email_now: bool = False,
    notice: bool = False,
) -> Attention:
    """Add an item to the attention list; urgent ones (and people's questions, ``email_now``)
    are emailed to every coordinator at once, the rest wait for the digest. A ``notice``
    needs no one: it is born resolved and only the digest of its period tells it."""
    item = Attention(
        program_id=program_id,
        reason=reason[:300],
        detail=detail,
        request_id=req.id if req else None,
        participant_id=person.id if person else None,
        inbound_id=inbound_id,
        urgent=urgent,
        created_at=uow.now,
        resolved=notice,
        notice=notice,
        chase_at=_chase_at(uow, program_id) if urgent else None,
    )
    insert_row(uow.session, item)  # one prepared INSERT, no flush
    if (urgent or email_now) and program_id is not None:
        alert(uow, uow.session.get_one(Program, program_id), item, person)
    return item


def open_call(session: Session, person: Participant) -> Attention | None:
    """The person's oldest urgent call on the coordinators still open (their HELP, a problem
    they reported, a low rating they gave); None when none is open."""
    query = select(Attention).where(
        Attention.participant_id == person.id,
        Attention.urgent.is_(True),
        Attention.resolved.is_(False),
    )
    return session.scalars(query.order_by(Attention.created_at).limit(1)).first()


def open_call_since(session: Session, person: Participant) -> datetime | None:
    """When the person's oldest open urgent call (``open_call``) was made."""
    call = open_call(session, person)
    return call.created_at if call is not None else None


def _chase_at(uow: Unit, program_id: int | None) -> datetime | None:
    """When an urgent item still open is emailed to the coordinators again (None: never)."""
    if program_id is None:
        return None
    days = policy_of(uow.session.get_one(Program, program_id)).urgent_chase_days
    return uow.now + timedelta(days=days) if days else None


def resolve_about(uow: Unit, inbound_id: int) -> None:
    """The items about one inbound message are done (a person decided it, or its writer
    confirmed the address it came from): the digest stops listing them."""
    for item in uow.session.scalars(select(Attention).where(Attention.inbound_id == inbound_id)):
        item.resolved = True


def heard_from(uow: Unit, person: Participant, pair: Match) -> None:
    """The person wrote in about the pair (a check-in, survey, fit or wrap-up answer): an open
    "has not answered check-ins in a row" item about them in that pair is done."""
    role = Role.MENTOR if pair.mentor_id == person.id else Role.MENTEE
    reason = f"{silence_reason(role)}: {pair_named([pair.mentor, pair.mentee])}"[:300]
    found = _OPEN_SILENCE.all_in(uow.session, {"participant_id": person.id, "reason": reason})
    for (item_id,) in found:  # seldom any: the ids read first, the rows loaded only then
        uow.session.get_one(Attention, item_id).resolved = True


_OPEN_SILENCE = PreparedRead(  # prepared once: every answer about a pair asks it
    select(Attention.id).where(  # by its pair's names: a mentor's other pair keeps its own
        Attention.participant_id == bindparam("participant_id"),
        Attention.resolved.is_(False),
        Attention.reason == bindparam("reason"),
    )
)


def alert(
    uow: Unit, program: Program, item: Attention, person: Participant | None, chased: bool = False
) -> None:
    """Email an attention item to each coordinator: who, their address, what, their words
    (``chased``: it is still open, and its person is waiting to hear from someone)."""
    for address in program.coordinators or []:
        outbox.write(
            uow,
            Draft(
                program=program,
                template="coordinator_alert",
                key=idempotency_key("attention", item.id, "chase" if chased else "alert", address),
                to_addr=address,
                context={
                    "recipient_name": greeting(len(program.coordinators or [])),
                    "to_coordinators": True,
                    "item": {
                        "id": item.id,
                        "reason": item.reason,
                        "at": item.created_at,
                        "urgent": item.urgent,
                    },
                    "person": person_view(person) if person else None,
                    "words": item.detail,
                    "chased_after_days": (uow.now - item.created_at).days if chased else None,
                },
            ),
        )


def chases_due(session: Session, now: datetime) -> list[int]:
    """Urgent items still open past their chase date."""
    return list(
        session.scalars(
            select(Attention.id).where(Attention.chase_at <= now, Attention.resolved.is_(False))
        )
    )


def chase(uow: Unit, item_id: int) -> None:
    """Email a still-open urgent item to the coordinators again, once."""
    item = uow.session.get_one(Attention, item_id, with_for_update=True)
    if item.resolved or item.chase_at is None or item.chase_at > uow.now:
        raise InvalidTransition("attention item", "closed or not due", "chase")
    item.chase_at = None
    if item.program_id is not None:
        person = uow.session.get(Participant, item.participant_id) if item.participant_id else None
        alert(uow, uow.session.get_one(Program, item.program_id), item, person, chased=True)


DUE = (("urgent_items_chased", chases_due, chase),)


def is_coordinator(uow: Unit, address: str) -> Program | None:
    """The program this address coordinates, if any."""
    wanted = address.lower()
    for program in uow.session.scalars(select(Program)):
        if wanted in (c.lower() for c in program.coordinators or []):
            return program
    return None
