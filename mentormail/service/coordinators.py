"""What reaches the program's coordinators: the attention list, and urgent items by email."""

from __future__ import annotations

from sqlalchemy import select

from mentormail.service import outbox
from mentormail.service.context import Unit
from mentormail.service.keys import idempotency_key
from mentormail.service.models import Attention, MentorshipRequest, Participant, Program
from mentormail.service.outbox import Draft
from mentormail.service.people import person_view


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
) -> Attention:
    """Add an item to the attention list; urgent ones (and people's questions, ``email_now``)
    are emailed to every coordinator at once, the rest wait for the digest."""
    item = Attention(
        program_id=program_id,
        reason=reason[:300],
        detail=detail,
        request_id=req.id if req else None,
        participant_id=person.id if person else None,
        inbound_id=inbound_id,
        urgent=urgent,
        created_at=uow.now,
        resolved=False,
    )
    uow.session.add(item)
    uow.session.flush()
    if (urgent or email_now) and program_id is not None:
        alert(uow, uow.session.get_one(Program, program_id), item, person)
    return item


def resolve_about(uow: Unit, inbound_id: int) -> None:
    """The items about one inbound message are done (a person decided it, or its writer
    confirmed the address it came from): the digest stops listing them."""
    for item in uow.session.scalars(select(Attention).where(Attention.inbound_id == inbound_id)):
        item.resolved = True


def alert(uow: Unit, program: Program, item: Attention, person: Participant | None) -> None:
    """Email an attention item to each coordinator: who, their address, what, their words."""
    for address in program.coordinators or []:
        outbox.write(
            uow,
            Draft(
                program=program,
                template="coordinator_alert",
                key=idempotency_key("attention", item.id, "alert", address),
                to_addr=address,
                context={
                    "recipient_name": "coordinators",
                    "item": {
                        "id": item.id,
                        "reason": item.reason,
                        "at": item.created_at,
                        "urgent": item.urgent,
                    },
                    "person": person_view(person) if person else None,
                    "words": item.detail,
                },
            ),
        )


def is_coordinator(uow: Unit, address: str) -> Program | None:
    """The program this address coordinates, if any."""
    wanted = address.lower()
    for program in uow.session.scalars(select(Program)):
        if wanted in (c.lower() for c in program.coordinators or []):
            return program
    return None
