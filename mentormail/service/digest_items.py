"""The digest's own findings in the shell: before each digest, what the rules in
``workflows.digest_items`` find is kept as attention items (one per person and spell, "since"
when it began) and those that no longer hold are closed."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mentormail.service import proposals
from mentormail.service.context import Unit
from mentormail.service.keys import idempotency_key
from mentormail.service.models import (
    Agreement,
    Attention,
    Match,
    MentorshipRequest,
    OutboundMessage,
    Participant,
    Program,
    Rating,
    Welcome,
)
from mentormail.service.people import named, policy_of
from mentormail.workflows import digest_items as rules
from mentormail.workflows import survey
from mentormail.workflows.agreement import Stage
from mentormail.workflows.digest_items import NO_MENTOR_FITS, SILENT_IN_PAIR, Finding, Kind
from mentormail.workflows.match import MatchState
from mentormail.workflows.request import RequestState


def refresh(uow: Unit, program: Program) -> None:
    """Make the attention list hold exactly the findings that hold now (closed ones stay
    closed: a coordinator's ``done`` is not undone while the same spell goes on)."""
    waiting = _settle_no_mentor_items(uow.session, program)
    _settle_silence_items(uow.session, program)
    found = {
        _identity(f): f
        for f in findings(uow.session, program, uow.now)
        if not (f.kind is Kind.UNMATCHED and f.participant_id in waiting)
    }
    kept = set()
    for item in _derived_items(uow.session, program):
        identity = (item.participant_id, item.request_id, _kind_of(item.reason), item.created_at)
        finding = found.get(identity)
        if finding is None:
            item.resolved = True  # it no longer holds (matched, answered, drafted)
            continue
        kept.add(identity)
        if not item.resolved:
            item.reason = finding.reason[:300]  # the day count moves on
    for identity, finding in found.items():
        if identity not in kept:
            uow.session.add(
                Attention(
                    program_id=program.id,
                    reason=finding.reason[:300],
                    detail="",
                    participant_id=finding.participant_id,
                    request_id=finding.request_id,
                    urgent=False,
                    created_at=finding.since,
                    resolved=False,
                )
            )
    uow.session.flush()


def _settle_silence_items(session: Session, program: Program) -> None:
    """Close the "has not answered check-ins" items of people no longer in an active match
    (the pair ended) or gone: nothing is left to chase."""
    in_pairs = (
        select(Match.mentee_id)
        .where(Match.state == MatchState.ACTIVE)
        .union(select(Match.mentor_id).where(Match.state == MatchState.ACTIVE))
    )
    active = select(Participant.id).where(
        Participant.status == "active", Participant.id.in_(in_pairs)
    )
    for row in session.scalars(
        select(Attention).where(
            Attention.program_id == program.id,
            Attention.resolved.is_(False),
            Attention.reason.contains(SILENT_IN_PAIR),
            Attention.participant_id.not_in(active),
        )
    ):
        row.resolved = True


def _settle_no_mentor_items(session: Session, program: Program) -> set[int]:
    """Close the "no other mentor fits" items of mentees who now have a mentor or have gone;
    the mentees whose item is still open (their "no mentor" finding would say it twice)."""
    rows = session.scalars(
        select(Attention).where(
            Attention.program_id == program.id,
            Attention.resolved.is_(False),
            Attention.reason.contains(NO_MENTOR_FITS),
            Attention.participant_id.is_not(None),
        )
    ).all()
    if not rows:
        return set()
    settled = set(
        session.scalars(
            select(Participant.id).where(
                Participant.id.in_([row.participant_id for row in rows]),
                or_(
                    Participant.status != "active",
                    Participant.id.in_(
                        select(Match.mentee_id).where(Match.state == MatchState.ACTIVE)
                    ),
                ),
            )
        )
    )
    open_rows = [row for row in rows if row.participant_id not in settled]
    for row in rows:
        row.resolved = row.participant_id in settled
    if not open_rows:
        return set()
    fitting = proposals.fits_now(
        session, program, [r.participant_id for r in open_rows if r.participant_id]
    )
    for row in open_rows:
        row.detail = _with_fit_now(session, row, fitting.get(row.participant_id or 0))
    return {row.participant_id for row in open_rows if row.participant_id}


_NOW = "\n\nNow: "


def split_now(detail: str, reason: str) -> tuple[str, str]:
    """An item's words (what was said, and coordinators' notes) and its "Now:" line, which is
    ours and says what holds today. Only a "no other mentor fits" item has one: anyone's own
    words that start a paragraph with "Now: " stay their words, quoted."""
    if NO_MENTOR_FITS not in reason:
        return detail, ""
    before, found, rest = detail.partition(_NOW)
    if not found:
        return detail, ""
    now, gap, after = rest.partition("\n\n")
    return before + gap + after, now


def _with_fit_now(session: Session, row: Attention, mentor: Participant | None) -> str:
    """The item's words, with who fits the mentee and has a free seat now (a seat may have
    freed since no one did), or without that line when no one does any more."""
    said = split_now(row.detail or "", row.reason)[0]
    if mentor is None:
        return said
    mentee = session.get_one(Participant, row.participant_id)
    return (
        f"{said}{_NOW}{named(mentor)} fits and has a free seat: reply"
        f" “match {mentee.email} with {mentor.email}” to propose them."
    )


def findings(session: Session, program: Program, now: datetime) -> list[Finding]:
    """Everything the rules find in the program now."""
    found = [
        *_unmatched(session, program, now),
        *_agreements(session, program),
        *_surveys(session, program, now),
        *_waiting(session, program, now),
    ]
    return [f for f in found if f is not None]


def _identity(finding: Finding) -> tuple[int | None, int | None, Kind | None, datetime]:
    """What makes a finding the same item from one digest to the next."""
    return (finding.participant_id, finding.request_id, finding.kind, finding.since)


def _kind_of(reason: str) -> Kind | None:
    """The kind a derived item's reason starts with."""
    return next((kind for kind in Kind if reason.startswith(str(kind))), None)


def _derived_items(session: Session, program: Program) -> list[Attention]:
    """The program's items that these rules raised (by the words their reasons start with)."""
    starts = [Attention.reason.startswith(str(kind)) for kind in Kind]
    return list(
        session.scalars(select(Attention).where(Attention.program_id == program.id, or_(*starts)))
    )


def _unmatched(session: Session, program: Program, now: datetime) -> list[Finding | None]:
    """Active mentees with no active match, since they joined or their last match ended."""
    alert_days = policy_of(program).unmatched_alert_days
    matched = select(Match.mentee_id).where(
        Match.program_id == program.id, Match.state == MatchState.ACTIVE
    )
    mentees = session.scalars(
        select(Participant).where(
            Participant.program_id == program.id,
            Participant.role == "mentee",
            Participant.status == "active",
            Participant.id.not_in(matched),
        )
    )
    term_start = datetime.combine(program.term_start, time())
    out = []
    for mentee in mentees:
        joined = session.get(Welcome, mentee.id)
        ended = session.scalar(select(func.max(Match.ended_at)).where(Match.mentee_id == mentee.id))
        # No welcome row yet: the sweep has not seen them, so they joined just now.
        arrived = joined.joined_at if joined else now
        since = max(d for d in (term_start, arrived, ended) if d)
        out.append(rules.unmatched(mentee.id, named(mentee), since, now, alert_days))
    return out


def _agreements(session: Session, program: Program) -> list[Finding | None]:
    """Agreements asked for and reminded, with nothing drafted, of pairs still active."""
    rows = session.execute(
        select(Agreement, Match)
        .join(Match, Match.id == Agreement.match_id)
        .where(
            Match.program_id == program.id,
            Match.state == MatchState.ACTIVE,
            Agreement.state == Stage.ASKED,
        )
    )
    out = []
    for row, pair in rows:
        asked = _sent_at(session, idempotency_key("agreement", pair.id, "ask", "mentee"))
        reminded = row.remind_at is None  # the one reminder went
        out.append(
            rules.agreement_not_drafted(
                pair.mentee_id,
                named(pair.mentee),
                named(pair.mentor),
                asked or pair.started_at,
                reminded,
            )
        )
    return out


def _surveys(session: Session, program: Program, now: datetime) -> list[Finding | None]:
    """Sides of active pairs whose midpoint survey is past its due date, unanswered."""
    out = []
    pairs = session.scalars(
        select(Match).where(Match.program_id == program.id, Match.state == MatchState.ACTIVE)
    )
    for pair in pairs:
        for role, person in (("mentor", pair.mentor), ("mentee", pair.mentee)):
            sent = _sent_at(
                session,
                idempotency_key("survey", pair.id, f"survey-{survey.Survey.MIDPOINT}", role),
            )
            if sent is None or _rated(session, pair, role):
                continue
            due = sent + timedelta(days=survey.ANSWER_DAYS)
            out.append(rules.survey_not_answered(person.id, named(person), due, now))
    return out


def _waiting(session: Session, program: Program, now: datetime) -> list[Finding | None]:
    """Requests still pending past half their window."""
    pending = session.scalars(
        select(MentorshipRequest).where(
            MentorshipRequest.program_id == program.id,
            MentorshipRequest.state == RequestState.PENDING,
        )
    )
    return [
        rules.request_waiting(
            req.mentee_id,
            req.id,
            named(req.mentee),
            named(req.mentor),
            req.created_at,
            now,
            program.response_days,
        )
        for req in pending
    ]


def _sent_at(session: Session, key: str) -> datetime | None:
    """When the email of this idempotency key was written, if it was."""
    return session.scalar(
        select(OutboundMessage.created_at).where(OutboundMessage.idempotency_key == key)
    )


def _rated(session: Session, pair: Match, role: str) -> bool:
    """Whether this side answered the pair's midpoint survey."""
    return (
        session.scalar(
            select(Rating.id).where(
                Rating.match_id == pair.id,
                Rating.survey == survey.Survey.MIDPOINT,
                Rating.by == role,
            )
        )
        is not None
    )
