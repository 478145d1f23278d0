"""The digest shell: build and send each program's digest when due; act on replies to it."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from mentormail.inbound.reading import Reading
from mentormail.service import (
    availability,
    coordinator_commands,
    coordinator_links,
    coordinators,
    digest_items,
    outbox,
)
from mentormail.service.context import Unit
from mentormail.service.db import PreparedRead
from mentormail.service.exceptions import InvalidTransition
from mentormail.service.keys import idempotency_key
from mentormail.service.local_time import to_local, to_utc, zone_of
from mentormail.service.models import (
    Attention,
    CoordinatorAction,
    CoordinatorLink,
    CoordinatorToken,
    Digest,
    DigestSchedule,
    InboundMessage,
    Match,
    MentorshipRequest,
    PairProposal,
    Participant,
    Program,
)
from mentormail.service.outbox import Draft, reply_domain
from mentormail.service.people import asked_by_a_mentee, person_view
from mentormail.service.rendering import plural
from mentormail.service.routing import REPLY_ADDRESS, known_digest_token, recipients
from mentormail.workflows import availability as availability_rules
from mentormail.workflows import digest
from mentormail.workflows.digest import Command, Figure, Schedule, Unclear, Verb
from mentormail.workflows.match import MatchState
from mentormail.workflows.proposal import ProposalState
from mentormail.workflows.request import RequestState

TOKEN_DAYS = 30  # a digest can be answered for a month
ITEMS_SHOWN = 50  # the oldest open items first; the rest are counted


def schedule(program: Program) -> Schedule:
    """The program's digest schedule (weekly unless its file says otherwise)."""
    return digest.schedule_of(str((program.settings or {}).get("digest") or "weekly"))


# --- when it is due ------------------------------------------------------------------------


def due_programs(session: Session, now: datetime) -> list[int]:
    """Programs whose digest is due, and programs that send digests but have no date yet."""
    due = session.scalars(select(DigestSchedule.program_id).where(DigestSchedule.due_at <= now))
    scheduled = set(session.scalars(select(DigestSchedule.program_id)))
    unscheduled = [
        p.id
        for p in session.scalars(select(Program))
        if p.id not in scheduled and schedule(p) is not Schedule.OFF
    ]
    return sorted(set(due) | set(unscheduled))


def send_due(uow: Unit, program_id: int) -> None:
    """Send the digest due now (a new program's first date is only set), then the next date;
    both in the program's time zone. A digest due between two sweeps goes at the next one,
    dated by when it was due; the next date follows the schedule, not the sending."""
    program = uow.session.get_one(Program, program_id)
    row = uow.session.get(DigestSchedule, program_id)
    plan = schedule(program)
    local_now = _local(program, uow.now)
    following = _utc(program, digest.next_due(plan, local_now))
    if row is None:
        if following is not None:
            uow.session.add(DigestSchedule(program_id=program_id, due_at=following))
        return
    if row.due_at > uow.now:
        raise InvalidTransition("digest", "sent", "due")  # sent by another sweep meanwhile
    # The latest instant the schedule names (a sweep days late sends one, not one a day).
    due = _utc(program, digest.last_due(plan, local_now)) or uow.now
    start, end = digest.period_before(plan, max(due, row.due_at).replace(second=0, microsecond=0))
    send(uow, program, start, end)
    if following is None:
        uow.session.delete(row)
    else:
        row.due_at = following


def _local(program: Program, at: datetime) -> datetime:
    """A naive UTC instant as the program's local wall-clock time."""
    return to_local(at, zone_of(program.settings))


def _utc(program: Program, local: datetime | None) -> datetime | None:
    """A local wall-clock time of the program as a naive UTC instant."""
    return None if local is None else to_utc(local, zone_of(program.settings))


def told_already(uow: Unit, program: Program) -> Digest | None:
    """The program's last digest when one sent now would tell nothing new: no open item it
    did not list, no news since and no other mentor awaiting approval (None: something is
    new, or there was none). A digest by hand twice at one instant is thus sent once."""
    last = uow.session.scalar(
        select(Digest).where(Digest.program_id == program.id).order_by(Digest.id.desc()).limit(1)
    )
    if last is None:
        return None
    digest_items.refresh(uow, program)  # what it would find by looking, as send() does
    shown = {item["id"] for item in _open_items(uow.session, program)[:ITEMS_SHOWN]}
    news = _notices(uow.session, program, last.period_end, uow.now)
    told = set(
        uow.session.scalars(
            select(CoordinatorLink.item_id).where(
                CoordinatorLink.program_id == program.id,
                CoordinatorLink.action == "approve",
                CoordinatorLink.created_at == last.created_at,  # the links of that digest
            )
        )
    )
    awaiting = {m.id for m in coordinator_commands.awaiting(uow, program)}
    if shown <= set(last.item_ids) and not news and awaiting <= told:
        return last
    return None


# --- what it says --------------------------------------------------------------------------


@dataclass
class Contents:
    """One digest: the items that need a person, the numbers, the endings by reason."""

    items: list[dict[str, Any]]
    more_items: int
    figures: list[Figure]
    endings: list[tuple[str, int]]
    start: datetime
    end: datetime
    awaiting: list[dict[str, Any]] = field(default_factory=list)  # mentors to approve
    notices: list[dict[str, Any]] = field(default_factory=list)  # news since the last digest
    more_notices: int = 0
    news_from: datetime | None = None  # where the last digest's news stopped


def send(uow: Unit, program: Program, start: datetime, end: datetime) -> Digest:
    """Build the digest for a period and write it to every coordinator, one list for all."""
    digest_items.refresh(uow, program)  # what the digest finds by looking
    contents = build(uow.session, program, start, end)
    record = Digest(
        program_id=program.id,
        period_start=start,
        period_end=end,
        item_ids=[item["id"] for item in contents.items],
        created_at=uow.now,
    )
    uow.session.add(record)
    uow.session.flush()
    awaiting = coordinator_commands.awaiting(uow, program)
    contents.awaiting = [person_view(m) for m in awaiting]
    for address in program.coordinators or []:
        token = _issue_token(uow, program, address, record)
        outbox.write(
            uow,
            Draft(
                program=program,
                template="digest",
                key=idempotency_key("digest", record.id, "send", address),
                to_addr=address,
                reply_address=f"reply+{token}@{reply_domain(uow.services, program)}",
                context={
                    "recipient_name": coordinators.greeting(len(program.coordinators or [])),
                    "to_coordinators": True,
                    "digest": contents,
                    **_links_for(uow, program, address, contents.items, awaiting),
                },
            ),
        )
    return record


def _links_for(
    uow: Unit,
    program: Program,
    address: str,
    items: list[dict[str, Any]],
    awaiting: list[Participant],
) -> dict[str, Any]:
    """One coordinator's one-time links: each item's done (and remind, when a request or a
    partner waits on its people), and approve for each mentor awaiting approval."""
    item_links = {}
    for item in items:
        found = {"done": coordinator_links.issue(uow, program, address, "done", item["id"])}
        row = uow.session.get_one(Attention, item["id"])
        if coordinator_commands.remindable(uow, row):
            found["remind"] = coordinator_links.issue(uow, program, address, "remind", item["id"])
        item_links[item["id"]] = found
    approve_links = {
        m.email: coordinator_links.issue(uow, program, address, "approve", m.id) for m in awaiting
    }
    return {"item_links": item_links, "approve_links": approve_links}


def build(session: Session, program: Program, start: datetime, end: datetime) -> Contents:
    """What the digest for this period says."""
    items = _open_items(session, program)
    news_from = _last_told(session, program, end) or start
    notices = _notices(session, program, news_from, end)
    before = start - (end - start)
    return Contents(
        items=items[:ITEMS_SHOWN],
        more_items=max(0, len(items) - ITEMS_SHOWN),
        figures=_figures(session, program, start, end, before),
        endings=_endings(session, program, start, end),
        start=start,
        end=end,
        notices=notices[:ITEMS_SHOWN],
        more_notices=max(0, len(notices) - ITEMS_SHOWN),
        news_from=news_from,
    )


def _last_told(session: Session, program: Program, end: datetime) -> datetime | None:
    """Where the previous digest's news stopped: news is told from there, so a digest sent
    late (or by hand) neither skips nor repeats any."""
    return session.scalar(
        select(func.max(Digest.period_end)).where(
            Digest.program_id == program.id, Digest.period_end <= end
        )
    )


def _notices(
    session: Session, program: Program, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """The period's news that needed no one (an ending, an expired request), oldest first."""
    rows = session.scalars(
        select(Attention)
        .where(
            Attention.program_id == program.id,
            Attention.notice.is_(True),
            Attention.created_at >= start,
            Attention.created_at < end,
        )
        .order_by(Attention.created_at, Attention.id)
    )
    return [{"reason": row.reason, "at": row.created_at} for row in rows]


def _open_items(session: Session, program: Program) -> list[dict[str, Any]]:
    """Every open attention item of the program, urgent first then oldest, with who it is about."""
    rows = session.scalars(
        select(Attention)
        .where(Attention.program_id == program.id, Attention.resolved.is_(False))
        .order_by(Attention.urgent.desc(), Attention.created_at, Attention.id)
    )
    items = []
    for item in rows:
        person = session.get(Participant, item.participant_id) if item.participant_id else None
        words, fit_now = digest_items.split_now(item.detail or "", item.reason)
        items.append(
            {
                "id": item.id,
                "reason": item.reason,
                "since": item.created_at,
                "urgent": item.urgent,
                "person": person_view(person) if person else None,
                "words": words.strip(),
                "now": [line for line in (_gone(person), fit_now) if line],
                "request_id": item.request_id,
            }
        )
    return items


def _gone(person: Participant | None) -> str:
    """What an item's reader must know first when its person is no longer in the program."""
    if person is None or person.status == "active":
        return ""
    gone = "has left" if person.status == "left" else "was removed from"
    return f"{person.name} {gone} the program."


def _figures(
    session: Session, program: Program, start: datetime, end: datetime, before: datetime
) -> list[Figure]:
    """The period's numbers, each beside the period before."""
    now_made, then_made = (
        _requests_made(session, program, a, b) for a, b in ((start, end), (before, start))
    )
    now_answers, then_answers = (
        _answers(session, program, a, b) for a, b in ((start, end), (before, start))
    )
    return [
        Figure("Requests made", now_made, then_made),
        Figure("Accepted", _accept_rate(now_answers), _accept_rate(then_answers), "%"),
        Figure(
            "Median days to answer", _median_days(now_answers), _median_days(then_answers), " days"
        ),
        Figure(
            "New pairs",
            _pairs_started(session, program, start, end),
            _pairs_started(session, program, before, start),
        ),
        Figure(
            "Active pairs",
            _active_pairs(session, program, end),
            _active_pairs(session, program, start),
        ),
        Figure("Mentees without a mentor", _unmatched_mentees(session, program), None),
        *_proposal_figures(session, program, start, end, before),
    ]


def _proposal_figures(
    session: Session, program: Program, start: datetime, end: datetime, before: datetime
) -> list[Figure]:
    """How the program's proposals went: pairs that both said yes to, and those still open
    (shown only once the program has proposed anyone)."""
    if not _count(
        session, select(func.count(PairProposal.id)).where(PairProposal.program_id == program.id)
    ):
        return []

    def closed(state: ProposalState, a: datetime, b: datetime) -> int:
        return _count(
            session,
            select(func.count(PairProposal.id)).where(
                PairProposal.program_id == program.id,
                PairProposal.state == state,
                PairProposal.decided_at >= a,
                PairProposal.decided_at < b,
            ),
        )

    def both(label: str, state: ProposalState) -> Figure:
        return Figure(label, closed(state, start, end), closed(state, before, start))

    waiting = _count(
        session,
        select(func.count(PairProposal.id)).where(
            PairProposal.program_id == program.id, PairProposal.state == ProposalState.PROPOSED
        ),
    )
    return [
        both("Proposed pairs who both said yes", ProposalState.ACCEPTED),
        both("Proposed pairs declined by either side", ProposalState.DECLINED),
        both("Proposals closed with no answer in time", ProposalState.EXPIRED),
        Figure("Proposals waiting for answers", waiting, None),
    ]


def _count(session: Session, query: Any) -> int:
    """The number a COUNT query gives (0 for none)."""
    return int(session.scalar(query) or 0)


def _requests_made(session: Session, program: Program, start: datetime, end: datetime) -> int:
    """Requests mentees made in the period."""
    return _count(
        session,
        select(func.count(MentorshipRequest.id)).where(
            MentorshipRequest.program_id == program.id,
            MentorshipRequest.created_at >= start,
            MentorshipRequest.created_at < end,
            asked_by_a_mentee(),
        ),
    )


def _answers(
    session: Session, program: Program, start: datetime, end: datetime
) -> list[tuple[str, float]]:
    """Requests a mentee made that a mentor answered in the period: (state, days it took)."""
    rows = session.execute(
        select(
            MentorshipRequest.state, MentorshipRequest.created_at, MentorshipRequest.decided_at
        ).where(
            MentorshipRequest.program_id == program.id,
            MentorshipRequest.state.in_((RequestState.ACCEPTED, RequestState.DECLINED)),
            MentorshipRequest.decided_at >= start,
            MentorshipRequest.decided_at < end,
            asked_by_a_mentee(),
        )
    )
    return [
        (state, (decided - created).total_seconds() / 86400)
        for state, created, decided in rows
        if decided is not None
    ]


def _accept_rate(answers: list[tuple[str, float]]) -> float | None:
    """The share of answers that were a yes."""
    return digest.rate(
        sum(1 for state, _ in answers if state == RequestState.ACCEPTED), len(answers)
    )


def _median_days(answers: list[tuple[str, float]]) -> float | None:
    """The median time mentors took to answer, in days."""
    return digest.median([days for _, days in answers])


def _pairs_started(session: Session, program: Program, start: datetime, end: datetime) -> int:
    """Matches that began in the period."""
    return _count(
        session,
        select(func.count(Match.id)).where(
            Match.program_id == program.id, Match.started_at >= start, Match.started_at < end
        ),
    )


def _active_pairs(session: Session, program: Program, at: datetime) -> int:
    """Matches that had begun and not ended at an instant."""
    return _count(
        session,
        select(func.count(Match.id)).where(
            Match.program_id == program.id,
            Match.started_at < at,
            (Match.ended_at.is_(None)) | (Match.ended_at >= at),
        ),
    )


def _unmatched_mentees(session: Session, program: Program) -> int:
    """Active mentees with no active match now."""
    matched = select(Match.mentee_id).where(
        Match.program_id == program.id, Match.state == MatchState.ACTIVE
    )
    return _count(
        session,
        select(func.count(Participant.id)).where(
            Participant.program_id == program.id,
            Participant.role == "mentee",
            Participant.status == "active",
            Participant.id.not_in(matched),
        ),
    )


def _endings(
    session: Session, program: Program, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """Matches that ended in the period, by reason, most first."""
    reasons = session.scalars(
        select(Match.end_reason).where(
            Match.program_id == program.id, Match.ended_at >= start, Match.ended_at < end
        )
    )
    return Counter(reason or "unknown" for reason in reasons).most_common()


# --- replies to it --------------------------------------------------------------------------


# prepared once: every participant's reply is looked up here first, and is almost never one
_DIGEST_TOKEN = PreparedRead(
    select(CoordinatorToken.id, CoordinatorToken.expires_at).where(
        CoordinatorToken.token_hash == bindparam("token_hash")
    )
)


def token_of(session: Session, reading: Reading, now: datetime) -> CoordinatorToken | None:
    """The digest reply token among the message's recipients, if any and not expired."""
    for address in recipients(reading):
        match = REPLY_ADDRESS.search(address)
        if match:
            digest_hash = hashlib.sha256(match.group(1).lower().encode()).hexdigest()
            read, found = known_digest_token(session, digest_hash)  # a batch read them all
            if not read:
                found = _DIGEST_TOKEN.first_in(session, {"token_hash": digest_hash})
            if found is not None and found[1] > now:
                return session.get_one(CoordinatorToken, found[0])
    return None


def act_on_reply(
    uow: Unit,
    message: InboundMessage,
    reading: Reading,
    token: CoordinatorToken,
    *,
    dmarc_failed: bool = False,
) -> str:
    """Carry out a coordinator's commands, one a line, and confirm each; anyone else who
    replies with the digest's token, or mail the receiving side says is forged, changes
    nothing."""
    program = uow.session.get_one(Program, token.program_id)
    sender = (reading.parsed.from_addr or "").lower()
    coordinating = [c.lower() for c in program.coordinators or []]
    if dmarc_failed or sender != token.address or sender not in coordinating:
        why = "failing DMARC" if dmarc_failed and sender == token.address else ""
        coordinators.flag(
            uow,
            program.id,
            f"{sender or 'someone'} replied to a digest sent to {token.address}"
            f"{' ' + why if why else ''}; nothing done",
            reading.reply[:2000],
            inbound_id=message.id,
        )
        return "held"
    lines = digest.read_commands(reading.reply)
    kept = None
    if not any(isinstance(line, Command) for line in lines) and (
        not lines or any(isinstance(line, Unclear) and line.prose for line in lines)
    ):  # words for the team, not commands: on the list, and its writer told so
        kept = coordinators.flag(
            uow,
            program.id,
            f"coordinator {sender} replied to the digest",
            reading.reply[:4000],
            inbound_id=message.id,
        )
        if not lines:  # only a greeting or thanks: nothing to confirm
            return "from_coordinator"
    outcomes = [_outcome(uow, program, sender, message, line) for line in lines]
    outbox.write(
        uow,
        Draft(
            program=program,
            template="digest_confirmation",
            key=idempotency_key("digest", token.digest_id, "confirm", str(message.id)),
            to_addr=sender,
            reply_address=_digest_address(reading),
            context={  # to the one coordinator who replied
                "recipient_name": coordinators.greeting(1, reading.parsed.from_name),
                "to_coordinators": True,
                "outcomes": outcomes,
                "kept_as": kept.id if kept else None,
                "commands": (
                    list(digest.USAGE.values())
                    if any(o["hint"] == digest.NO_LIKENESS for o in outcomes)
                    else []
                ),
            },
        ),
    )
    return "processed"


def _digest_address(reading: Reading) -> str | None:
    """The digest's reply address the message was sent to: a reply to the confirmation
    answers the same digest."""
    for address in recipients(reading):
        if REPLY_ADDRESS.search(address):
            return address
    return None


def _outcome(
    uow: Unit, program: Program, sender: str, message: InboundMessage, line: Command | Unclear
) -> dict[str, Any]:
    """Do one line and say what came of it, audited."""
    if isinstance(line, Unclear):
        missing = _not_open(uow, program, line.items())
        open_items = frozenset(n for n in line.items() if n not in missing)
        return {
            "line": line.line,
            "done": False,
            "command": not line.prose,  # a mistyped command counts as one; plain words don't
            "said": "; ".join([UNCLEAR, *missing.values()]),
            "hint": digest.did_you_mean(line.line, open_items),
        }
    said, done = perform(uow, program, sender, line)
    audit(uow, program, sender, line.line, said, message.id)
    return {"line": line.line, "done": done, "command": True, "said": said, "hint": ""}


def _not_open(uow: Unit, program: Program, item_ids: tuple[int, ...]) -> dict[int, str]:
    """Of the items a line names, those there is no such item of, or that are closed: why."""
    found: dict[int, str] = {}
    for item_id in item_ids:
        item = uow.session.get(Attention, item_id)
        if item is None or item.program_id != program.id:
            found[item_id] = f"there is no item #{item_id} in {program.name}'s list"
        elif item.resolved:
            found[item_id] = f"#{item_id} is already done (closed)"
    return found


def audit(
    uow: Unit, program: Program, actor: str, line: str, said: str, inbound_id: int | None
) -> None:
    """Record who gave a coordinator command, when, and what came of it."""
    uow.session.add(
        CoordinatorAction(
            program_id=program.id,
            address=actor[:320],
            command=line[:1000],
            outcome=said,
            inbound_id=inbound_id,
            at=uow.now,
        )
    )


UNCLEAR = "not understood, nothing done"


def perform(uow: Unit, program: Program, sender: str, command: Command) -> tuple[str, bool]:
    """Carry out one command; (what to tell the coordinator, whether it acted)."""
    if command.verb in (Verb.DONE, Verb.NOTE):
        return _on_items(uow, program, sender, command)
    if command.verb in coordinator_commands.VERBS:
        return coordinator_commands.perform(uow, program, sender, command)
    mentor = uow.session.scalar(
        select(Participant).where(
            Participant.program_id == program.id, Participant.email == command.email
        )
    )
    if mentor is None:
        return f"no one in {program.name} has the address {command.email}; nothing done", False
    if mentor.role != "mentor" or mentor.status != "active":
        return f"{mentor.name} is not an active mentor; nothing done", False
    if command.verb is Verb.CAPACITY:
        if not 1 <= command.number <= 20:
            return "a capacity is a whole number from 1 to 20; nothing done", False
        mentor.capacity = command.number
        mentees = plural(command.number, "mentee", "mentees")
        return f"{mentor.name} can now take {command.number} {mentees}", True
    pausing = command.verb is Verb.PAUSE
    wanted = "paused" if pausing else "available"
    if mentor.availability == wanted:  # say so; the mentor is not mailed again
        return f"{mentor.name} is already {wanted}; nothing changed", False
    event: availability_rules.AvailabilityEvent = (
        availability_rules.PausedByCoordinators()
        if pausing
        else availability_rules.ResumedByCoordinators()
    )
    availability.change(uow, mentor, event, f"coordinator:{sender}")
    verb = "paused (no new requests)" if command.verb is Verb.PAUSE else "available again"
    return f"{mentor.name} is {verb}, and was told", True


def _on_items(uow: Unit, program: Program, sender: str, command: Command) -> tuple[str, bool]:
    """Mark items done, or add a note to one."""
    said, acted = [], False
    for item_id in command.items:
        item = uow.session.get(Attention, item_id)
        if item is None or item.program_id != program.id:
            said.append(f"#{item_id}: no such item in {program.name}'s list")
            continue
        if command.verb is Verb.NOTE:
            item.detail = (
                f"{item.detail}\n\nNote by {sender}, {uow.now:%-d %B %H:%M}: {command.text}".strip()
            )
            said.append(f"#{item_id}: note added")
        elif item.resolved:
            said.append(f"#{item_id} was already done")
        else:
            item.resolved = True
            said.append(f"#{item_id} done: {item.reason}")
        acted = True
    return "; ".join(said), acted


def _issue_token(uow: Unit, program: Program, address: str, record: Digest) -> str:
    """A fresh reply token for one coordinator's copy of a digest; stored hashed."""
    token = secrets.token_hex(16)
    uow.session.add(
        CoordinatorToken(
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            program_id=program.id,
            address=address.lower(),
            digest_id=record.id,
            created_at=uow.now,
            expires_at=uow.now + timedelta(days=TOKEN_DAYS),
        )
    )
    return token
