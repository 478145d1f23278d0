"""The joining shell: where mentors are approved, a stranger who asks to mentor gets
the application questions by email; a complete answer makes a mentor awaiting approval."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from mentormail.inbound.reading import Reading
from mentormail.service import authresults, loops, outbox
from mentormail.service.context import Unit
from mentormail.service.keys import idempotency_key, limited_key
from mentormail.service.models import InboundMessage, OutboundMessage, Participant, Program
from mentormail.service.outbox import Draft
from mentormail.service.programs import approval_required
from mentormail.workflows import joining
from mentormail.workflows.conversation import Limit

ASKED_DAYS = 30  # answers to the questions are read as answers for a month


def handle_stranger(
    uow: Unit, message: InboundMessage, reading: Reading, program: Program, sender: str
) -> str | None:
    """Questions, an application, or None when the stranger's mail is not about joining."""
    if not approval_required(program) or authresults.verdict_of(reading).dmarc_failed:
        return None
    if _was_asked(uow, program, sender):
        application = joining.read_application(reading.reply)
        if application.complete:
            _apply(uow, program, sender, application, message)
            return "processed"
        if application.answered_any:
            return _ask(uow, message, reading, program, sender, application.missing)
    if joining.wants_to_mentor(reading.reply):
        return _ask(uow, message, reading, program, sender, ())
    return None


def _was_asked(uow: Unit, program: Program, sender: str) -> bool:
    """Whether this address got the questions lately."""
    return (
        uow.session.scalar(
            select(OutboundMessage.id).where(
                OutboundMessage.program_id == program.id,
                OutboundMessage.to_addr == sender,
                OutboundMessage.template == "join_questions",
                OutboundMessage.created_at >= uow.now - timedelta(days=ASKED_DAYS),
            )
        )
        is not None
    )


def _ask(
    uow: Unit,
    message: InboundMessage,
    reading: Reading,
    program: Program,
    sender: str,
    missing: tuple[str, ...],
) -> str:
    """The application questions (naming what was missing), at most once a day and only as
    often as any automatic answer to a stranger may go."""
    if not loops.may_answer_stranger(uow, message, reading, sender):  # --- security
        return "unknown_sender"
    outbox.write(
        uow,
        Draft(
            program=program,
            template="join_questions",
            key=(
                idempotency_key("join", program.id, sender, "missing", str(message.id))
                if missing
                else limited_key(Limit.JOIN_QUESTIONS, f"{program.id}:{sender}", uow)
            ),
            to_addr=sender,
            context={
                "recipient_name": "there",
                "questions": [label for _, label, _ in joining.QUESTIONS],
                "missing": list(missing),
            },
        ),
    )
    return "unknown_sender"


def _apply(
    uow: Unit,
    program: Program,
    sender: str,
    application: joining.Application,
    message: InboundMessage,
) -> None:
    """A new mentor, awaiting approval (the digest lists them); they hear what happens next."""
    person = Participant(
        program_id=program.id,
        email=sender,
        role="mentor",
        approval="awaiting",
        **joining.participant_values(application),
    )
    uow.session.add(person)
    uow.session.flush()
    message.participant_id = person.id
    outbox.write(
        uow,
        Draft(
            program=program,
            template="join_received",
            key=idempotency_key("join", person.id, "received"),
            to=person,
        ),
    )
