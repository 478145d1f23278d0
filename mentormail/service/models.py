"""The database tables (SQLAlchemy 2 declarative); migrations live in ``migrations/``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Base of every table."""


class Program(Base):
    """A mentorship program: its address, coordinators, term and policy numbers."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(320), unique=True)
    coordinators: Mapped[list[str]] = mapped_column(JSON, default=list)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    response_days: Mapped[int] = mapped_column(Integer, default=10)
    default_capacity: Mapped[int] = mapped_column(Integer, default=2)
    max_results: Mapped[int] = mapped_column(Integer, default=5)
    contact_every_days: Mapped[int] = mapped_column(Integer, default=30)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Participant(Base):
    """A mentor or mentee in one program. The email is private: never shown before a match."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("program_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # what emails call them when it is not the first word of ``name`` ("María José")
    known_as: Mapped[str] = mapped_column(String(100), default="", server_default="")
    role: Mapped[str] = mapped_column(String(10))  # "mentor" | "mentee"
    profession: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    major: Mapped[str] = mapped_column(String(200), default="")
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact: Mapped[str] = mapped_column(String(500), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    other_emails: Mapped[list[str]] = mapped_column(JSON, default=list)  # confirmed by them
    availability: Mapped[str] = mapped_column(String(20), default="available")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | left | removed
    # what matching by the program reads: goals, location, languages, availability, wants,
    # prefer, avoid (see programs.PREFERENCE_COLUMNS)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    timezone: Mapped[str] = mapped_column(String(64), default="")  # "" the program's
    # "approved" | "awaiting" (a mentor of a program with ``approval: required``)
    approval: Mapped[str] = mapped_column(String(20), default="approved")

    program: Mapped[Program] = relationship()


class MentorshipRequest(Base):
    """A mentee asking one mentor; ``due_at`` is when the sweep looks at it next."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str] = mapped_column(Text, default="")  # what the mentee searched for
    mentee_words: Mapped[str | None] = mapped_column(Text)  # what they wrote beside their pick
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    remind_at: Mapped[datetime | None] = mapped_column(index=True)  # mentor reminders

    mentee: Mapped[Participant] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id])


class Match(Base):
    """A mentor and a mentee paired for the term."""

    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="active", index=True)
    started_at: Mapped[datetime]
    ends_on: Mapped[date] = mapped_column(Date)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(30))
    ended_by: Mapped[str | None] = mapped_column(String(20))  # mentor | mentee | coordinator

    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Participant] = relationship(foreign_keys=[mentee_id])


class ReplyToken(Base):
    """The routing token in ``reply+<token>@domain``: who may answer, about what."""

    __tablename__ = "reply_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    context: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class ActionToken(Base):
    """A one-time link: bound to one participant and one action, expiring, usable once."""

    __tablename__ = "action_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    target_id: Mapped[int | None]  # e.g. the mentor an "ask" link asks
    group_key: Mapped[str] = mapped_column(String(100), default="", index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class InboundMessage(Base):
    """Raw inbound mail, stored before anything else happens to it."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    source: Mapped[str] = mapped_column(String(20))  # imap | webhook | drop | cli
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    from_addr: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(1000))
    context: Mapped[str | None] = mapped_column(String(20))
    intent: Mapped[str | None] = mapped_column(String(30))
    reply_text: Mapped[str | None] = mapped_column(Text)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None]


class OutboundMessage(Base):
    """The outbox: one row per email, written with the change that caused it."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))  # what it is about
    to_addr: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str | None] = mapped_column(String(300))  # outbound: "Name <to_addr>"
    from_addr: Mapped[str] = mapped_column(String(400))
    reply_to: Mapped[str] = mapped_column(String(400))
    subject: Mapped[str] = mapped_column(String(1000))
    template: Mapped[str] = mapped_column(String(100))
    expects: Mapped[str | None] = mapped_column(String(20))  # how a reply is read; None: none
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    links: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    provider_id: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]


class Suppression(Base):
    """An address we must not mail: hard bounce, spam report or unsubscribe."""

    __tablename__ = "suppressions"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    reason: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class Attention(Base):
    """Something a coordinator should look at."""

    __tablename__ = "attention"
    __table_args__ = (Index("ix_attention_notice_created", "program_id", "notice", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    # indexed: each check-in asks whether its reader's own call for help is still open
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    # News that needs no one: born resolved, told once by the digest of its period.
    notice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # An urgent item still open then is emailed to the coordinators again (once).
    chase_at: Mapped[datetime | None] = mapped_column(index=True)


class ImapState(Base):
    """How far the IMAP poller got in one mailbox folder."""

    __tablename__ = "imap_state"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)  # IMAP numbers are unsigned 32-bit
    last_uid: Mapped[int] = mapped_column(BigInteger)


class WebhookEvent(Base):
    """A provider event already handled (deduplicated by its id)."""

    __tablename__ = "webhook_events"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    received_at: Mapped[datetime]


Index("ix_outbound_to_template", OutboundMessage.to_addr, OutboundMessage.template)


# --- the coordinators' digest ----------------------------------------------------------------


class DigestSchedule(Base):
    """When a program's next digest is due (one row per program that sends digests)."""

    __tablename__ = "digest_schedules"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(index=True)


class Digest(Base):
    """One digest as built for a program: its period and the items it listed."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    item_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]


class CoordinatorToken(Base):
    """The reply token of one digest to one coordinator: replies carrying it may act."""

    __tablename__ = "coordinator_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    address: Mapped[str] = mapped_column(String(320))
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class CoordinatorAction(Base):
    """The audit of a coordinator's command: who, when, what, and what came of it."""

    __tablename__ = "coordinator_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    address: Mapped[str] = mapped_column(String(320))
    command: Mapped[str] = mapped_column(String(1000))
    outcome: Mapped[str] = mapped_column(Text)
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    at: Mapped[datetime]


# --- security ---


class BounceReport(Base):
    """A delivery report that referred to a message we sent to that address (VERP or our
    Message-ID): one alone does not silence a person; a second, or the provider, does."""

    __tablename__ = "bounce_reports"
    __table_args__ = (UniqueConstraint("email", "outbox_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbound_messages.id"))
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    kind: Mapped[str] = mapped_column(String(10))  # hard | soft
    status: Mapped[str] = mapped_column(String(20), default="")  # the DSN's 5.x.x code
    created_at: Mapped[datetime]


class InboundClaim(Base):
    """Which worker holds an inbound message, until when: two workers never act on one."""

    __tablename__ = "inbound_claims"

    inbound_id: Mapped[int] = mapped_column(ForeignKey("inbound_messages.id"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    until: Mapped[datetime]


# --- speed ---


class SearchDocument(Base):
    """A mentor's folded words per field value, kept in step with their profile by
    ``service/search_index.py`` so a search never re-reads the profile."""

    __tablename__ = "search_documents"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    fields: Mapped[list[Any]] = mapped_column(JSON)  # [[field, [word, ...]], ...], scoring order
    # the program's search version that committed it (None until its transaction commits)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SearchTerm(Base):
    """One word of a mentor's fields with the best weight of a field holding it (a bio: 1):
    the rows a search finds its candidates by."""

    __tablename__ = "search_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    term: Mapped[str] = mapped_column(String(200))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    weight: Mapped[float] = mapped_column(Float)


class SearchVersion(Base):
    """How many times a program's stored search words changed: a process's in-memory search
    index is up to date while this number is what it was built at."""

    __tablename__ = "search_versions"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class SearchVocabulary(Base):
    """Every word a program's mentors' fields have held, numbered as they first appeared."""

    __tablename__ = "search_vocabulary"
    __table_args__ = (UniqueConstraint("program_id", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    term: Mapped[str] = mapped_column(String(200))


# covering: a search reads (term -> mentor, weight) from the index alone
Index(
    "ix_search_terms_lookup",
    SearchTerm.program_id,
    SearchTerm.term,
    SearchTerm.participant_id,
    SearchTerm.weight,
)
Index("ix_search_vocabulary_program_id", SearchVocabulary.program_id, SearchVocabulary.id)
Index("ix_search_documents_version", SearchDocument.program_id, SearchDocument.version)
# what the sweep and the availability checks filter on
Index("ix_outbound_status_next_attempt", OutboundMessage.status, OutboundMessage.next_attempt_at)
Index("ix_outbound_status_created", OutboundMessage.status, OutboundMessage.created_at)
Index("ix_matches_program_state_mentor", Match.program_id, Match.state, Match.mentor_id)
Index("ix_matches_mentor_state", Match.mentor_id, Match.state)
Index("ix_requests_state_due", MentorshipRequest.state, MentorshipRequest.due_at)
Index("ix_inbound_status_received", InboundMessage.status, InboundMessage.received_at)


class MatchClock(Base):
    """A pair's year on the clock: when the next check-in, fit check and surveys are due,
    how many check-ins each side missed in a row, and what the pair has reported."""

    __tablename__ = "match_clocks"

    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), primary_key=True)
    next_checkin_at: Mapped[datetime | None] = mapped_column(index=True)
    checkins_sent: Mapped[int] = mapped_column(Integer, default=0)
    missed_mentor: Mapped[int] = mapped_column(Integer, default=0)  # in a row
    missed_mentee: Mapped[int] = mapped_column(Integer, default=0)
    last_met_at: Mapped[datetime | None]
    # the last meeting was given by its month alone ("we met in November"): no day to name
    last_met_month_only: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    fit_due_at: Mapped[datetime | None] = mapped_column(index=True)
    fit_asked: Mapped[int] = mapped_column(Integer, default=0)  # times the question went out
    fit_mentor: Mapped[str | None] = mapped_column(String(20))  # good | deciding | not_a_fit
    fit_mentee: Mapped[str | None] = mapped_column(String(20))
    pulse_due_at: Mapped[datetime | None] = mapped_column(index=True)
    midpoint_due_at: Mapped[datetime | None] = mapped_column(index=True)
    midpoint_remind_at: Mapped[datetime | None] = mapped_column(index=True)
    midpoint_sent_at: Mapped[datetime | None]  # its due date counts from here, not the reminder
    last_question_at: Mapped[datetime | None]  # the pair's newest question (workflows/spacing)
    tips_used: Mapped[list[str]] = mapped_column(JSON, default=list)


class CheckIn(Base):
    """One check-in of a pair: when it went out, the tip it carried, each side's answer."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("match_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime]
    since: Mapped[date] = mapped_column(Date)
    tip: Mapped[str] = mapped_column(String(100), default="")
    mentor_answer: Mapped[str | None] = mapped_column(String(20))  # met | not_yet | help
    mentee_answer: Mapped[str | None] = mapped_column(String(20))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)  # the next one came round


class Meeting(Base):
    """A meeting a pair reported (by a check-in answer), with its date when they gave one."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    reported_by: Mapped[str] = mapped_column(String(10))  # mentor | mentee
    met_on: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime]
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))


class Rating(Base):
    """One survey answer: who rated the match, 1-5, their comment, which survey."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    survey: Mapped[str] = mapped_column(String(20))  # pulse | midpoint
    by: Mapped[str] = mapped_column(String(10))  # mentor | mentee
    value: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


# The loop bounds (service/loops.py) count a request's emails and a person's recent mail.
Index("ix_outbound_request", OutboundMessage.request_id)
Index("ix_inbound_participant_received", InboundMessage.participant_id, InboundMessage.received_at)


class MatchEnding(Base):
    """One side ending a match: asked which situation fits, shown the message, then sent."""

    __tablename__ = "match_endings"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    by_role: Mapped[str] = mapped_column(String(10))  # mentor | mentee
    state: Mapped[str] = mapped_column(String(20))  # asked | drafted | sent
    scenario: Mapped[str | None] = mapped_column(String(30))  # an EndReason
    own_words: Mapped[str] = mapped_column(Text, default="")  # replaces the program's message
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class MatchTerm(Base):
    """A match's end of term: the wrap-up question, the answers, the conclusion and outcome."""

    __tablename__ = "match_terms"

    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)  # see workflows.termend.Stage
    due_at: Mapped[datetime | None] = mapped_column(index=True)  # the next step of the stage
    mentor_continues: Mapped[bool | None]
    mentee_continues: Mapped[bool | None]
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    open_ended: Mapped[bool] = mapped_column(Boolean, default=False)
    mentor_achieved: Mapped[str | None] = mapped_column(Text)
    mentee_achieved: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    mentor_again: Mapped[bool | None]  # would mentor again next term


class Agreement(Base):
    """A pair's Mentoring Agreement: the mentee drafts the goals, the mentor agrees or edits."""

    __tablename__ = "agreements"

    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))  # asked | draft | agreed
    text: Mapped[str] = mapped_column(Text, default="")
    remind_at: Mapped[datetime | None] = mapped_column(index=True)
    drafted_at: Mapped[datetime | None]
    agreed_at: Mapped[datetime | None]
    written_by: Mapped[str | None] = mapped_column(String(10))  # mentor | mentee: whose words


class AgreementGoal(Base):
    """One goal of an agreement, with its activities and date; ``nudge_at``: a week before."""

    __tablename__ = "agreement_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    activities: Mapped[str] = mapped_column(Text, default="")
    by_date: Mapped[date | None] = mapped_column(Date)
    nudge_at: Mapped[datetime | None] = mapped_column(index=True)


class ParticipationEnd(Base):
    """The record of a coordinator ending someone's participation: who did it, and why."""

    __tablename__ = "participation_ends"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    ended_by: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime]
    matches_ended: Mapped[int] = mapped_column(Integer, default=0)


# --- proposals by the program, coordinators' links -----------------------------------


class PairProposal(Base):
    """A pair the program proposed (double opt-in): each side's answer, and a due date."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    mentee_answer: Mapped[str] = mapped_column(String(10), default="")  # "" | "yes" | "no"
    mentor_answer: Mapped[str] = mapped_column(String(10), default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    proposed_by: Mapped[str] = mapped_column(String(320), default="")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]

    mentee: Mapped[Participant] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id])


Index("ix_proposals_state_due", PairProposal.state, PairProposal.due_at)


class CoordinatorLink(Base):
    """A one-time link in a digest item for a coordinator (stored hashed, expiring, single use)."""

    __tablename__ = "coordinator_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    address: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


# --- the welcome and training sequence ---


class Welcome(Base):
    """Where a participant is in the welcome sequence (day 0, 3, 7 …): the next step and
    when it is due; a participant without a row is new, and the sweep starts theirs."""

    __tablename__ = "welcomes"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), primary_key=True)
    joined_at: Mapped[datetime]  # when the sweep first saw them: "unmatched since" counts here
    step: Mapped[int] = mapped_column(Integer)  # index of the next email; past the end: done
    due_at: Mapped[datetime | None] = mapped_column(index=True)


class Announcement(Base):
    """One announcement to a program's people: its words, and the message every recipient
    gets with their own name and unsubscribe link put in (``service.announcements``)."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # program, audience, words
    audience: Mapped[str] = mapped_column(String(20))  # mentors | mentees | unmatched | all
    subject: Mapped[str] = mapped_column(String(300))
    markdown: Mapped[str] = mapped_column(Text)
    text_template: Mapped[str] = mapped_column(Text)  # with the personal tags still in
    html_template: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
