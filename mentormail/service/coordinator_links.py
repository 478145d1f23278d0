"""One-time links in a coordinator's digest: done or remind an item, approve a mentor.

Hashed, expiring, single use; GET asks and changes nothing, POST acts as the same command
by reply would, audited as the coordinator the digest was sent to."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from mentormail.service.context import Unit
from mentormail.service.exceptions import LinkError, LinkExpired, LinkUsed
from mentormail.service.models import Attention, CoordinatorLink, Participant, Program
from mentormail.service.outbox import link_url
from mentormail.service.tokens import token_hash
from mentormail.workflows.digest import Command, Verb

LINK_DAYS = 14  # a digest's links last two weeks: the next digest brings fresh ones


@dataclass(frozen=True)
class Asked:
    """What a coordinator's link page says: a title, the words, and its button."""

    title: str
    message: str
    button: str | None
    tone: str = "primary"


def issue(uow: Unit, program: Program, address: str, action: str, item_id: int) -> str:
    """A new link for one coordinator's copy of a digest; its URL (the only clear copy)."""
    token = secrets.token_urlsafe(24)
    uow.session.add(
        CoordinatorLink(
            token_hash=token_hash(token),
            program_id=program.id,
            address=address.lower(),
            action=action,
            item_id=item_id,
            created_at=uow.now,
            expires_at=uow.now + timedelta(days=LINK_DAYS),
            used_at=None,
        )
    )
    return link_url(uow.services, token)


def find(uow: Unit, token: str) -> CoordinatorLink | None:
    """The coordinator link behind a token, if it is one."""
    return uow.session.scalar(
        select(CoordinatorLink).where(CoordinatorLink.token_hash == token_hash(token))
    )


def refusal(uow: Unit, link: CoordinatorLink) -> LinkError | None:
    """Why the link cannot act (used, expired, or its address no longer coordinates)."""
    if link.used_at is not None:
        return LinkUsed("This link was already used.")
    if link.expires_at <= uow.now:
        return LinkExpired("This link has expired.")
    program = uow.session.get_one(Program, link.program_id)
    if link.address not in [c.lower() for c in program.coordinators or []]:
        return LinkExpired("This link was for a coordinator of the program.")
    return None


def question(uow: Unit, link: CoordinatorLink) -> Asked:
    """What pressing the button would do, in words."""
    return QUESTIONS[link.action](uow, link)


def act(uow: Unit, link: CoordinatorLink) -> tuple[str, bool]:
    """Claim the link once and carry out its command, audited; (what happened, whether it did)."""
    from mentormail.service import digest  # the digest shell performs and audits commands

    claimed = uow.session.execute(
        update(CoordinatorLink)
        .where(CoordinatorLink.id == link.id, CoordinatorLink.used_at.is_(None))
        .values(used_at=uow.now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return "This link was already used; nothing changed.", False
    program = uow.session.get_one(Program, link.program_id)
    command = _command(uow, link)
    said, done = digest.perform(uow, program, link.address, command)
    digest.audit(uow, program, link.address, f"{command.line} (link)", said, None)
    return said, done


def _command(uow: Unit, link: CoordinatorLink) -> Command:
    """The command a link stands for."""
    if link.action == "approve":
        mentor = uow.session.get_one(Participant, link.item_id)
        return Command(Verb.APPROVE, f"approve {mentor.email}", email=mentor.email)
    verb = Verb(link.action)
    return Command(verb, f"{verb} {link.item_id}", items=(link.item_id,))


def _item_question(title: str, button: str) -> Callable[[Unit, CoordinatorLink], Asked]:
    """The question for a link about an attention item."""

    def ask(uow: Unit, link: CoordinatorLink) -> Asked:
        item = uow.session.get_one(Attention, link.item_id)
        return Asked(title.format(n=item.id), item.reason, button)

    return ask


def _approve_question(uow: Unit, link: CoordinatorLink) -> Asked:
    """Confirm approving a mentor."""
    mentor = uow.session.get_one(Participant, link.item_id)
    return Asked(
        f"Approve {mentor.name} as a mentor?",
        f"{mentor.name} <{mentor.email}> will be offered to mentees from now on, and told so.",
        f"Approve {mentor.name}",
    )


QUESTIONS: dict[str, Callable[[Unit, CoordinatorLink], Asked]] = {
    "done": _item_question("Mark #{n} done?", "Mark it done"),
    "remind": _item_question("Remind the people of #{n}?", "Send a kind reminder"),
    "approve": _approve_question,
}
