"""Questions about participants the shells share: capacity, matches, reachability, views."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql import ColumnElement

from mentormail.service.db import PreparedRead
from mentormail.service.models import (
    Match,
    MentorshipRequest,
    PairProposal,
    Participant,
    Program,
    Suppression,
)
from mentormail.workflows import availability
from mentormail.workflows.match import MatchState
from mentormail.workflows.policy import ProgramPolicy

# a pair's two people in the query that loads it (the one who wrote is usually loaded
# already; the other would be a query of its own when the emails name them)
BOTH_OF_MATCH = (joinedload(Match.mentor), joinedload(Match.mentee))


def policy_of(program: Program) -> ProgramPolicy:
    """The pure policy the workflows read, from the program row."""
    return ProgramPolicy(
        term_start=program.term_start,
        term_end=program.term_end,
        response_days=program.response_days,
        default_capacity=program.default_capacity,
        max_results=program.max_results,
        contact_every_days=program.contact_every_days,
        mentees_search=mentees_search(program),
        **policy_settings(program.settings or {}),
    )


def mentees_search(program: Program) -> bool:
    """Whether the program's mentees find mentors themselves (``matching`` self or both)."""
    return (program.settings or {}).get("matching", "self") != "coordinator"


# The policy numbers ``program load`` keeps in the program's settings (the year's timers, the
# agreement and the end of term, unmatched alerts, several mentors per mentee).
YEAR_KEYS = (
    "max_pending_per_mentee",
    "more_time_days",
    "checkin_every_days",
    "fit_check_days",
    "survey_midpoint",
    "survey_pulse_days",
)
POLICY_SETTING_KEYS = (
    *YEAR_KEYS,
    "agreement",
    "agreement_remind_days",
    "wrapup_days_before_end",
    "continue_open",
    "next_term_end",
    "unmatched_alert_days",
    "urgent_chase_days",
    "max_matches_per_mentee",
)


def policy_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The policy values a program set (absent or null ones keep the policy's defaults)."""
    values = {k: settings[k] for k in POLICY_SETTING_KEYS if settings.get(k) is not None}
    if settings.get("meeting_ideas"):
        values["meeting_ideas"] = tuple(settings["meeting_ideas"])
    if isinstance(values.get("next_term_end"), str):
        values["next_term_end"] = date.fromisoformat(values["next_term_end"])
    return values


class HasCapacity(Protocol):
    """A mentor, or a row of their columns holding their own capacity."""

    capacity: int | None


def capacity_of(mentor: HasCapacity, program: Program) -> int:
    """How many mentees the mentor takes: their own number, else the program's default."""
    return mentor.capacity or program.default_capacity


def active_matches(session: Session, mentor_id: int) -> int:
    """How many active matches a mentor has."""
    row = _ACTIVE_MATCHES.first_in(session, {"mentor_id": mentor_id})
    return int(row[0] or 0) if row is not None else 0


_ACTIVE_MATCHES = PreparedRead(  # prepared once: every request decision counts
    select(func.count(Match.id)).where(
        Match.mentor_id == bindparam("mentor_id"), Match.state == MatchState.ACTIVE
    )
)


def active_matches_of_both(session: Session, mentee_id: int, mentor_id: int) -> tuple[int, int]:
    """How many active matches the mentee has, and how many the mentor has: one query."""
    row = session.execute(
        select(
            func.count(Match.id).filter(Match.mentee_id == mentee_id),
            func.count(Match.id).filter(Match.mentor_id == mentor_id),
        ).where(
            Match.state == MatchState.ACTIVE,
            (Match.mentee_id == mentee_id) | (Match.mentor_id == mentor_id),
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def asked_by_a_mentee() -> ColumnElement[bool]:
    """Requests a mentee made: not those a proposal's both-yes made (the proposal's own
    figures count it, beside the proposals declined or never answered)."""
    made_by_yes = select(PairProposal.request_id).where(PairProposal.request_id.is_not(None))
    return MentorshipRequest.id.not_in(made_by_yes)


def mentee_matches(session: Session, mentee_id: int) -> int:
    """How many active matches a mentee has."""
    count = session.scalar(
        select(func.count(Match.id)).where(
            Match.mentee_id == mentee_id, Match.state == MatchState.ACTIVE
        )
    )
    return int(count or 0)


def active_matches_of(session: Session, person_id: int) -> list[Match]:
    """The active matches a person is in, on either side."""
    return list(
        session.scalars(
            select(Match)
            .where(
                Match.state == MatchState.ACTIVE,
                (Match.mentor_id == person_id) | (Match.mentee_id == person_id),
            )
            .order_by(Match.id)
        )
    )


def active_match_counts(session: Session, program_id: int) -> dict[int, int]:
    """Active matches per mentor in a program, in one query."""
    rows = session.execute(
        select(Match.mentor_id, func.count(Match.id))
        .where(Match.program_id == program_id, Match.state == MatchState.ACTIVE)
        .group_by(Match.mentor_id)
    )
    return {mentor_id: int(count) for mentor_id, count in rows}


def participant_at(session: Session, address: str) -> Participant | None:
    """The first participant with this address, in any program, if any."""
    return session.scalars(select(Participant).where(Participant.email == address.lower())).first()


def is_suppressed(session: Session, address: str) -> bool:
    """Whether mail to this address must not be sent (hard bounce, spam report, unsubscribe)."""
    return session.get(Suppression, address.lower()) is not None


def suppressed_among(session: Session, addresses: list[str]) -> set[str]:
    """Which of these addresses are suppressed, in one query."""
    if not addresses:
        return set()
    lowered = [a.lower() for a in addresses]
    return set(session.scalars(_SUPPRESSED, {"emails": lowered}))


_SUPPRESSED = select(Suppression.email).where(  # built once: every offer and send batch asks
    Suppression.email.in_(bindparam("emails", expanding=True))
)


def is_available(
    session: Session, mentor: Participant, program: Program, taken: int | None = None
) -> bool:
    """Active, not paused, reachable and below capacity: only then is a mentor offered.
    ``taken``: their active matches, when the caller counted them already."""
    if taken is None:
        taken = active_matches(session, mentor.id)
    return (
        mentor.role == "mentor"
        and mentor.status == "active"
        and mentor.availability == availability.Availability.AVAILABLE
        and mentor.approval == "approved"  # approval required by some programs
        and not is_suppressed(session, mentor.email)
        and taken < capacity_of(mentor, program)
    )


def first_name(person: Participant) -> str:
    """What we call someone in an email: the name they go by, else their name's first word."""
    return person.known_as or first_word(person.name)


def first_word(name: str) -> str:
    """A name's first word (what we call someone), or the name as it is when it has none."""
    return name.split()[0] if name.strip() else name


def person_view(person: Participant) -> dict[str, Any]:
    """A participant as templates see them."""
    return {
        "name": person.name,
        "first_name": first_name(person),
        "email": person.email,
        "role": person.role,
        "profession": person.profession,
        "industry": person.industry,
        "major": person.major,
        "interests": list(person.interests or []),
        "bio": " ".join((person.bio or "").split()),  # what a mentor's list and proposal show
        "paused": person.availability == "paused",  # a mentor no new mentee can ask now
    }


def mentor_contact(mentor: Participant) -> str:
    """The contact method the mentor authorised, shown only after a match."""
    contact = (mentor.contact or "email").strip()
    return mentor.email if contact.lower() in ("email", "e-mail", "") else contact


def named(person: Participant) -> str:
    """A person as coordinators see them: name and address."""
    return f"{person.name} <{person.email}>"


def pair_named(people: list[Participant]) -> str:
    """The people an item is about as the coordinators' list names them: "mentor … and
    mentee …"."""
    return " and ".join(f"{p.role} {named(p)}" for p in people)


def named_or_address(person: Participant | None, address: str) -> str:
    """A participant by name and address, or the bare address of someone we don't know."""
    return named(person) if person is not None else address
