"""The search shell: rank the mentors a mentee may ask and write the list they receive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mentormail.service import outbox, search_index
from mentormail.service.context import Unit
from mentormail.service.db import PreparedRead
from mentormail.service.keys import idempotency_key, limited_key
from mentormail.service.models import MentorshipRequest, Participant, Program
from mentormail.service.outbox import Draft
from mentormail.service.people import is_available, person_view
from mentormail.service.tokens import LinkSpec
from mentormail.workflows import search
from mentormail.workflows.conversation import Limit

BIO_CHARS = 220


def mentors_asked_by(session: Session, mentee_id: int) -> set[int]:
    """Every mentor this mentee has asked before, whatever became of it."""
    return {row[0] for row in _ASKED.all_in(session, {"mentee_id": mentee_id})}


_ASKED = PreparedRead(  # prepared once: every decline and search reads it
    select(MentorshipRequest.mentor_id).where(MentorshipRequest.mentee_id == bindparam("mentee_id"))
)


def rank_available(
    session: Session, program: Program, query: str, exclude: set[int]
) -> list[Participant]:
    """The best available, reachable mentors for the words, excluding some (already asked)."""
    ids = search_index.ranked_ids(session, program, query, exclude, program.max_results)
    if not ids:  # words with nothing to search for, or no one free: no query for no one
        return []
    found = {p.id: p for p in session.scalars(_PEOPLE, {"ids": ids})}
    return [found[i] for i in ids]


_PEOPLE = select(Participant).where(Participant.id.in_(bindparam("ids", expanding=True)))


@dataclass
class Offer:
    """A numbered list of mentors for a mentee, and what a reply to it must remember."""

    mentors: list[dict[str, Any]]
    actions: dict[str, LinkSpec]
    payload: dict[str, Any]


def available_for(
    session: Session, program: Program, mentee: Participant, query: str
) -> list[Participant]:
    """The mentors this mentee may ask for these words: available, and not asked before."""
    return rank_available(session, program, query, mentors_asked_by(session, mentee.id))


def make_offer(
    session: Session,
    program: Program,
    mentee: Participant,
    query: str,
    group: str,
    asked: set[int] | None = None,
) -> Offer:
    """Rank mentors for a mentee and prepare the list, its "Ask" links and its reply memory
    (``asked``: the mentors they asked before, when the caller read them already)."""
    exclude = mentors_asked_by(session, mentee.id) if asked is None else asked
    return offer_of(rank_available(session, program, query, exclude), mentee, query, group)


def offer_of(found: list[Participant], mentee: Participant, query: str, group: str) -> Offer:
    """A numbered list of these mentors with their "Ask" links and the reply memory."""
    mentors = [
        {
            "number": n,
            **{k: v for k, v in person_view(m).items() if k != "email"},
            "bio": _short(m.bio),
        }
        for n, m in enumerate(found, start=1)
    ]
    actions = {
        f"ask_{n}": LinkSpec("ask", mentee.id, target_id=m.id, group_key=group)
        for n, m in enumerate(found, start=1)
    }
    payload = {"mentor_ids": [m.id for m in found], "query": query}
    return Offer(mentors, actions, payload)


def _short(text: str) -> str:
    """A bio cut to a few lines, at a word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= BIO_CHARS:
        return text
    return text[:BIO_CHARS].rsplit(" ", 1)[0] + "…"


def send_mentor_list(
    uow: Unit,
    mentee: Participant,
    query: str,
    cause: str,
    found: list[Participant] | None = None,
) -> None:
    """Answer a mentee's search with the best available mentors (``found`` when the caller
    ranked them already), or say none matched."""
    program = mentee.program
    if found is None:
        found = available_for(uow.session, program, mentee, query)
    offer = offer_of(found, mentee, query, f"ask:{mentee.id}:{cause}")
    template = "mentor_list" if offer.mentors else "no_mentors_found"
    key = idempotency_key("search", mentee.id, cause)
    context: dict[str, Any] = {
        "mentors": offer.mentors,
        "query_short": " ".join(query.split())[:80],
    }
    if not search.keywords(query):  # "Hi, I'd like a mentor": ask what kind, once a day
        template, key = "tell_us_more", limited_key(Limit.TELL_US_MORE, str(mentee.id), uow)
    elif not offer.mentors:  # only fields of mentors they may still ask (not one who said no)
        context["fields"] = fields_to_try(
            uow.session, program, mentors_asked_by(uow.session, mentee.id)
        )
    draft = Draft(
        program=program,
        template=template,
        key=key,
        to=mentee,
        context=context,
        reply_payload=offer.payload,
        actions=offer.actions,
    )
    outbox.write(uow, draft)


FIELDS_NAMED = 3  # of each kind, the most common first


def fields_to_try(
    session: Session, program: Program, exclude: set[int] | None = None
) -> dict[str, list[str]]:
    """What the program's mentors with a free place do (industries, professions), for a search
    that found no one: words that will find someone, not the example program's (``exclude``:
    mentors the mentee asked before, whom a search no longer offers them)."""
    ids = search_index.free_mentors(session, program) - (exclude or set())
    rows = session.execute(_FIELDS, {"ids": list(ids)}).all() if ids else []
    return {
        "industries": _most_common(r.industry for r in rows),
        "professions": _most_common(r.profession for r in rows),
    }


_FIELDS = select(Participant.industry, Participant.profession).where(
    Participant.id.in_(bindparam("ids", expanding=True))
)


def _most_common(values: Any) -> list[str]:
    """The few most common of some people's values, each once whatever its case."""
    counts: dict[str, tuple[int, str]] = {}
    for value in values:
        text = " ".join(str(value or "").split())
        if text:
            seen, first = counts.get(text.casefold(), (0, text))
            counts[text.casefold()] = (seen + 1, first)
    ranked = sorted(counts.values(), key=lambda c: (-c[0], c[1].casefold()))
    return [text for _, text in ranked[:FIELDS_NAMED]]


def ask_which_mentor(
    uow: Unit,
    mentee: Participant,
    mentors: list[Participant],
    query: str,
    cause: str,
    words: str = "",
) -> None:
    """Never guess which mentor was meant: offer the candidates again, one number or link,
    with the mentee's words quoted; a reply to it that still picks no one goes to a person."""
    available = [m for m in mentors if is_available(uow.session, m, mentee.program)]
    if not available:
        send_mentor_list(uow, mentee, query, cause)
        return
    offer = offer_of(available, mentee, query, group=f"ask:{mentee.id}:{cause}")
    outbox.write(
        uow,
        Draft(
            program=mentee.program,
            template="which_mentor",
            key=idempotency_key("which", mentee.id, cause),
            to=mentee,
            context={"mentors": offer.mentors, "reply_text": words},
            reply_payload={**offer.payload, "asked_again": True},
            actions=offer.actions,
        ),
    )


def attach_offer(uow: Unit, draft: Draft, mentee: Participant, query: str, group: str) -> None:
    """Add other available mentors to an email, answerable by number or link."""
    session, program = uow.session, mentee.program
    asked = mentors_asked_by(session, mentee.id)  # the same for both searches
    offer = make_offer(session, program, mentee, query, f"ask:{mentee.id}:{group}", asked)
    if not offer.mentors:
        offer = make_offer(session, program, mentee, _profile_words(mentee), group, asked)
    if not offer.mentors:  # no one else in their field: the others with a free place
        free = search_index.free_mentors(session, program)
        ids = search.still_askable(free, asked, program.max_results)
        found = {p.id: p for p in session.scalars(_PEOPLE, {"ids": ids})} if ids else {}
        picked = [found[i] for i in ids if i in found]
        offer = offer_of(picked, mentee, query, f"ask:{mentee.id}:{group}")
        draft.context["mentors_loose"] = bool(picked)
    draft.context["mentors"] = offer.mentors
    draft.actions.update(offer.actions)
    draft.reply_payload = offer.payload


def _profile_words(mentee: Participant) -> str:
    """A query from the mentee's own profile, for when their words found nobody else."""
    return " ".join([mentee.major, *(mentee.interests or [])]) or "mentor"
