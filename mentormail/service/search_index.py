"""The stored search: each mentor's folded words, kept in step with their profile, and a
ranking that scores only the mentors a search can find — the same list ``search.rank`` gives.

How a search runs (``ranked_ids``):

1. The program's search version (one indexed read; the commit of every change of stored words
   adds one) says whether this process's in-memory index of the program is up to date: a
   ``search_matrix.Matrix`` built from the stored documents, and an overlay of the documents
   committed since it was built (read when the version moved; past OVERLAY of them the matrix
   is built again). Documents this session rewrote and has not committed are read as well.
2. The matrix scores every mentor of the program at once, exactly as ``search.score_document``
   does (the same floats); the overlay's documents are scored one by one.
3. Candidates are read best first (then by name and id, as the ranking orders ties) in growing
   batches and checked for availability in SQL (a mentor of the program, active, available,
   approved, reachable, below capacity; not asked before) until ``limit`` are found.
"""

from __future__ import annotations

import gc
import heapq
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.sql.dml import Insert

from mentormail.service.db import PreparedRead
from mentormail.service.models import (
    Match,
    Participant,
    Program,
    SearchDocument,
    SearchTerm,
    SearchVersion,
    SearchVocabulary,
)
from mentormail.service.people import capacity_of, suppressed_among
from mentormail.workflows import search
from mentormail.workflows.match import MatchState
from mentormail.workflows.search_matrix import Entry, Matrix, Scores

SEARCHED = ("role", "name", "profession", "industry", "major", "interests", "bio", "program_id")
CHUNK = 500  # ids per IN (...) and rows per bulk insert
FIRST_BATCH = 20  # candidates checked before the first merge; later batches double
SLICE = 64  # candidates the matrix sorts at a time (more when they tie)
OVERLAY = 256  # documents committed since the matrix was built, scored one by one; more: rebuild
DIRTY = "search_rewritten"  # session.info: participants this transaction's flushes reindexed
CHANGED = "search_programs"  # session.info: programs whose stored words it changed


def profile_of(person: Any) -> search.MentorProfile:
    """The searchable side of a participant (an ORM row or a plain row with the same names)."""
    return search.MentorProfile(
        person.id,
        person.name,
        person.profession or "",
        person.industry or "",
        person.major or "",
        tuple(person.interests or ()),
        person.bio or "",
    )


# --- keeping the stored words in step --------------------------------------------------------


def keep_in_step(factory: sessionmaker[Session]) -> None:
    """Have every session of the factory rewrite a participant's search rows as they change,
    and number the program's search version when it commits them."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _after_transaction_end)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    """Forget a participant about to be deleted, before their row goes."""
    gone = [o for o in session.deleted if isinstance(o, Participant)]
    if gone:
        _note(session, gone)
        forget(session.connection(), [o.id for o in gone])


def _after_flush(session: Session, _context: object) -> None:
    """Rewrite the search rows of participants created or changed in a searched field."""
    changed = [o for o in session.new if isinstance(o, Participant)]
    changed += [o for o in session.dirty if isinstance(o, Participant) and _searched_changed(o)]
    if changed:
        _note(session, changed)
        reindex(session.connection(), changed)


def _note(session: Session, people: Sequence[Participant]) -> None:
    """Remember, until the transaction ends, whose search rows it rewrote and in which program."""
    session.info.setdefault(DIRTY, set()).update(p.id for p in people)
    session.info.setdefault(CHANGED, set()).update(p.program_id for p in people)


def _before_commit(session: Session) -> None:
    """Number the rewritten documents with their programs' next search version, last thing
    before the commit (so the version's row is locked only for the commit's moment)."""
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this event
    if session.info.get(CHANGED):
        stamp(session.connection(), session.info[CHANGED])


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """Once the outermost transaction ends, what it rewrote is committed or gone."""
    if transaction.parent is None:
        session.info.pop(DIRTY, None)
        session.info.pop(CHANGED, None)


def _searched_changed(person: Participant) -> bool:
    """Whether a field the search reads changed in this flush."""
    state = inspect(person)
    return any(state.attrs[name].history.has_changes() for name in SEARCHED)


def forget(connection: Connection, ids: Sequence[int]) -> None:
    """Remove the stored search rows of these participants."""
    for chunk in _chunks(list(ids)):
        connection.execute(delete(SearchTerm).where(SearchTerm.participant_id.in_(chunk)))
        connection.execute(delete(SearchDocument).where(SearchDocument.participant_id.in_(chunk)))


def reindex(connection: Connection, people: Sequence[Any]) -> None:
    """Replace the stored search rows of these participants; mentors get new ones."""
    forget(connection, [p.id for p in people])
    write(connection, [p for p in people if p.role == "mentor"])


def write(connection: Connection, mentors: Sequence[Any]) -> None:
    """Store the document, terms and new vocabulary of mentors that have none yet."""
    docs: list[dict[str, Any]] = []
    terms: list[dict[str, Any]] = []
    vocabulary: dict[int, set[str]] = {}
    for mentor in mentors:
        doc = search.document(profile_of(mentor))
        docs.append(
            {
                "participant_id": mentor.id,
                "program_id": mentor.program_id,
                "fields": [[name, list(tokens)] for name, tokens in doc.values],
            }
        )
        for term, weight in search.document_terms(doc).items():
            terms.append(
                {
                    "program_id": mentor.program_id,
                    "term": term,
                    "participant_id": mentor.id,
                    "weight": weight,
                }
            )
            vocabulary.setdefault(mentor.program_id, set()).add(term)
    for rows, table in ((docs, SearchDocument), (terms, SearchTerm)):
        for chunk in _chunks(rows):
            connection.execute(insert(table), chunk)
    for program_id, words in vocabulary.items():
        _add_vocabulary(connection, program_id, words)


def _add_vocabulary(connection: Connection, program_id: int, words: set[str]) -> None:
    """Number the words the program has not seen before (concurrent writers are fine)."""
    for chunk in _chunks(sorted(words)):
        known = set(
            connection.scalars(
                select(SearchVocabulary.term).where(
                    SearchVocabulary.program_id == program_id, SearchVocabulary.term.in_(chunk)
                )
            )
        )
        new = [{"program_id": program_id, "term": w} for w in chunk if w not in known]
        if new:
            connection.execute(_insert_new_words(connection), new)


def _insert_new_words(connection: Connection) -> Insert:
    """An insert of vocabulary rows that skips a word another writer added meanwhile."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(SearchVocabulary).on_conflict_do_nothing()
    if connection.dialect.name == "sqlite":
        return sqlite.insert(SearchVocabulary).on_conflict_do_nothing()
    return insert(SearchVocabulary)


def stamp(connection: Connection, programs: Iterable[int]) -> None:
    """Move each program's search version on by one and give it to the program's documents
    not numbered yet (written by this transaction): what other processes catch up by."""
    for program_id in sorted(set(programs)):
        version = connection.scalar(_next_version(connection, program_id))
        connection.execute(
            update(SearchDocument)
            .where(SearchDocument.program_id == program_id, SearchDocument.version.is_(None))
            .values(version=version)
        )


def _next_version(connection: Connection, program_id: int) -> Any:
    """The statement that adds one to the program's search version and returns it."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = SearchVersion.__table__
    return (
        dialect.insert(table)
        .values(program_id=program_id, version=1)
        .on_conflict_do_update(index_elements=["program_id"], set_={"version": table.c.version + 1})
        .returning(table.c.version)
    )


def index_everyone(connection: Connection, stamp_them: bool = True) -> None:
    """(Re)build every mentor's search rows: after a migration or a bulk load (``stamp_them``:
    number the programs' new search version; only a migration before 0013 does not)."""
    connection.execute(delete(SearchTerm))
    connection.execute(delete(SearchDocument))
    columns = [getattr(Participant, name) for name in ("id", *SEARCHED)]
    last = 0
    while True:
        rows = connection.execute(
            select(*columns)
            .where(Participant.role == "mentor", Participant.id > last)
            .order_by(Participant.id)
            .limit(CHUNK * 10)
        ).all()
        if not rows:
            break
        write(connection, rows)
        last = rows[-1].id
    if stamp_them:
        stamp(connection, connection.scalars(select(Program.id)).all())


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    """The items in slices of CHUNK."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# --- the program's vocabulary, matched in memory ---------------------------------------------


@dataclass
class Vocabulary:
    """A program's words as this process last saw them, and which match a search word."""

    count: int = 0
    last_id: int = 0
    terms: list[str] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    by_word: dict[str, dict[str, float]] = field(default_factory=dict)

    def matching(self, word: str) -> dict[str, float]:
        """The program's words this search word matches, with how well."""
        if word not in self.by_word:
            self.by_word[word] = _matching(word, self.terms)
        return self.by_word[word]

    def matches(self, weighted: search.Weighted) -> dict[str, dict[str, float]]:
        """For each word of a search, the program's words it matches."""
        return {word: self.matching(word) for word, _ in weighted}

    def extend(self, rows: Sequence[tuple[int, str]]) -> None:
        """Take in words added since (id, term), matching them for every cached word."""
        new = [term for _, term in rows]
        self.terms.extend(new)
        self.known.update(new)
        self.count += len(new)
        self.last_id = max([self.last_id, *(i for i, _ in rows)])
        for word, found in self.by_word.items():
            found.update(_matching(word, new))


def _matching(word: str, terms: list[str]) -> dict[str, float]:
    """Which terms a word matches (quality above 0), with the quality."""
    found = ((t, search.term_quality(word, t)) for t in terms)
    return {t: q for t, q in found if q > 0}


_VOCABULARIES: weakref.WeakKeyDictionary[Engine, dict[int, Vocabulary]] = (
    weakref.WeakKeyDictionary()
)


def vocabulary_seen(session: Session, program_id: int) -> Vocabulary:
    """The program's vocabulary as this process last brought it up to date (no query)."""
    return _VOCABULARIES.setdefault(_engine(session), {}).setdefault(program_id, Vocabulary())


def _engine(session: Session) -> Engine:
    """The engine the session talks to (the vocabulary cache is per database)."""
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def vocabulary(session: Session, program_id: int) -> Vocabulary:
    """The program's vocabulary, brought up to date with one small query (two when it grew)."""
    engine = _engine(session)
    cached = vocabulary_seen(session, program_id)
    count, last_id = session.execute(
        select(func.count(SearchVocabulary.id), func.max(SearchVocabulary.id)).where(
            SearchVocabulary.program_id == program_id
        )
    ).one()
    if (count, last_id or 0) == (cached.count, cached.last_id):
        return cached
    rows = session.execute(
        select(SearchVocabulary.id, SearchVocabulary.term).where(
            SearchVocabulary.program_id == program_id, SearchVocabulary.id > cached.last_id
        )
    ).all()
    if cached.count + len(rows) != count:  # a word numbered below what we saw: start again
        cached = _VOCABULARIES[engine][program_id] = Vocabulary()
        rows = session.execute(
            select(SearchVocabulary.id, SearchVocabulary.term).where(
                SearchVocabulary.program_id == program_id
            )
        ).all()
    cached.extend([(i, term) for i, term in rows])
    return cached


# --- the program's in-memory index ------------------------------------------------------------


@dataclass
class ProgramIndex:
    """A program's mentors as this process last caught up with them: a matrix built at some
    search version, and the documents committed since (which replace theirs in the matrix)."""

    version: int
    matrix: Matrix
    overlay: dict[int, search.SearchDocument] = field(default_factory=dict)
    masked: set[int] = field(default_factory=set)  # matrix positions the overlay replaces

    def caught_up(self, docs: Iterable[search.SearchDocument], version: int) -> ProgramIndex:
        """A copy in which these newer documents replace what the matrix holds for them."""
        new = {doc.mentor_id: doc for doc in docs}
        masked = self.masked | set(self.matrix.positions(new))
        return ProgramIndex(version, self.matrix, {**self.overlay, **new}, masked)


_INDEXES: weakref.WeakKeyDictionary[Engine, dict[int, ProgramIndex]] = weakref.WeakKeyDictionary()
_CATCHING_UP = threading.Lock()  # one thread of a process builds or patches at a time


def search_version(session: Session, program_id: int) -> int:
    """How many times the program's stored search words were committed changed (0: never)."""
    row = _VERSION.first_in(session, {"program_id": program_id})
    return int(row[0] or 0) if row is not None else 0


_VERSION = PreparedRead(  # prepared once: every search asks it first
    select(SearchVersion.version).where(SearchVersion.program_id == bindparam("program_id"))
)


def program_index(session: Session, program_id: int) -> ProgramIndex:
    """The program's index, caught up with what is committed (one small query when it is).
    A session with uncommitted search rows gets one of its own, never kept for others."""
    version = search_version(session, program_id)  # read before the documents, never after
    mine = bool(session.info.get(DIRTY))
    with _CATCHING_UP:
        indexes = _INDEXES.setdefault(_engine(session), {})
        found = indexes.get(program_id)
        if found is not None and found.version == version:
            return found
        if found is not None and found.version < version:
            found = found.caught_up(_documents(session, _since(program_id, found.version)), version)
            if len(found.overlay) > OVERLAY:
                found = ProgramIndex(version, _matrix(session, program_id))
        else:
            found = ProgramIndex(version, _matrix(session, program_id))
        if not mine:
            indexes[program_id] = found
        vocabulary(session, program_id)  # read after the documents: it holds all their words
        return found


def _matrix(session: Session, program_id: int) -> Matrix:
    """A matrix of every stored document of the program (the cyclic garbage collector paused
    meanwhile: its passes over the decoded documents were a third of the time)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return Matrix(_entries(session, _all(program_id)))
    finally:
        if paused:
            gc.enable()


def _all(program_id: int) -> Select[Any]:
    """Every stored document of the program, with the mentor's name."""
    return _with_names().where(SearchDocument.program_id == program_id)


def _since(program_id: int, version: int) -> Select[Any]:
    """The program's documents committed after this search version (or never numbered)."""
    return _all(program_id).where(
        or_(SearchDocument.version > version, SearchDocument.version.is_(None))
    )


def _with_names() -> Select[Any]:
    """Stored documents joined to their mentor's name."""
    return select(SearchDocument.participant_id, Participant.name, SearchDocument.fields).join(
        Participant, Participant.id == SearchDocument.participant_id
    )


def _documents(session: Session, query: Select[Any]) -> Iterator[search.SearchDocument]:
    """The documents a query of ``_with_names`` reads, as the search scores them."""
    for pid, name, fields in _entries(session, query):
        yield search.SearchDocument(pid, name, tuple((f, tuple(words)) for f, words in fields))


def _entries(session: Session, query: Select[Any]) -> Iterator[Entry]:
    """(id, name, stored values) as a query of ``_with_names`` reads them, for a matrix."""
    yield from cast(Iterator[Entry], iter(session.execute(query.execution_options(yield_per=2000))))


def _own_changes(session: Session, program_id: int) -> dict[int, search.SearchDocument | None]:
    """Documents this transaction rewrote and has not committed (None: it has none now)."""
    ids = sorted(session.info.get(DIRTY, ()))
    if not ids:
        return {}
    found: dict[int, search.SearchDocument | None] = dict.fromkeys(ids)
    for chunk in _chunks(ids):
        query = _all(program_id).where(SearchDocument.participant_id.in_(chunk))
        found.update((doc.mentor_id, doc) for doc in _documents(session, query))
    return found


# --- ranking the candidates ------------------------------------------------------------------

Candidate = tuple[tuple[float, str, int], int]  # the order key every search shows, and the id


def ranked_ids(
    session: Session, program: Program, query: str, exclude: set[int], limit: int
) -> list[int]:
    """The ids of the best ``limit`` available mentors for the words, best first: exactly
    ``search.rank`` over every available mentor not excluded."""
    weighted = search.query_words(query)
    if not weighted or limit <= 0:
        return []
    index = program_index(session, program.id)
    own = _own_changes(session, program.id)
    words = vocabulary_seen(session, program.id)
    scores = index.matrix.scores(weighted, words.matches(weighted))
    newer = [doc for doc in {**index.overlay, **own}.values() if doc is not None]
    one_by_one = [
        (search.order_key(hit), hit[1].mentor_id) for hit in _score(weighted, newer, words)
    ]
    skip = index.masked | set(index.matrix.positions(own))
    candidates = heapq.merge(_from_matrix(index.matrix, scores, skip), sorted(one_by_one))
    found: list[int] = []
    size = FIRST_BATCH
    while len(found) < limit:
        read = [i for _, i in islice(candidates, size)]
        if not read:
            break
        batch = [i for i in read if i not in exclude]
        if batch:
            available = _available(session, program, batch)
            found += [i for i in batch if i in available]
        size *= 2
    return found[:limit]


def _from_matrix(matrix: Matrix, scores: Scores, skip: set[int]) -> Iterator[Candidate]:
    """The matrix's eligible mentors, best first, with the order key every search shows."""
    for positions in matrix.best_first(scores, skip, SLICE):
        for start in range(0, len(positions), SLICE):
            at = positions[start : start + SLICE]
            totals, ids = scores.total[at].tolist(), matrix.ids[at].tolist()
            for p, total, mentor_id in zip(at.tolist(), totals, ids, strict=True):
                yield (-round(total, 9), matrix.names[p], mentor_id), mentor_id


def _score(
    weighted: search.Weighted, docs: list[search.SearchDocument], words: Vocabulary
) -> list[search.Scored]:
    """These documents scored one by one (those with a score above 0)."""
    if all(_known(doc, words.known) for doc in docs):
        return search.scored_documents(weighted, docs, words.matches(weighted))
    return search.scored_documents(weighted, docs)  # a word newer than our vocabulary: slowly


def _known(doc: search.SearchDocument, known: set[str]) -> bool:
    """Whether every word of the document is in the vocabulary as this process knows it."""
    return all(known.issuperset(tokens) for _, tokens in doc.values)


def _available(session: Session, program: Program, ids: list[int]) -> set[int]:
    """Those of the program's mentors who are active, available, approved, reachable and below
    capacity."""
    people = session.execute(_MENTORS_FREE, {"ids": ids, "program_id": program.id}).all()
    if not people:
        return set()
    unreachable = suppressed_among(session, [p.email for p in people])
    return {
        p.id
        for p in people
        if p.email.lower() not in unreachable and p.taken < capacity_of(p, program)
    }


def free_mentors(session: Session, program: Program, limit: int = 200) -> set[int]:
    """Some of the program's mentors who may be offered now (at most ``limit`` looked at)."""
    ids = list(session.scalars(_MENTORS_OFFERED, {"program_id": program.id, "limit": limit}))
    return _available(session, program, ids) if ids else set()


# a program's mentors who may be offered (before their seats and suppressions are counted)
_OFFERABLE = (
    Participant.program_id == bindparam("program_id"),
    Participant.role == "mentor",
    Participant.status == "active",
    Participant.availability == "available",
    Participant.approval == "approved",
)
_MENTORS_OFFERED = (
    select(Participant.id).where(*_OFFERABLE).order_by(Participant.id).limit(bindparam("limit"))
)


# built once (a statement costs more to build than to run here): the mentors among the ids
# who may be offered, each with their active matches counted in the same query
_TAKEN = (
    select(func.count(Match.id))
    .where(Match.mentor_id == Participant.id, Match.state == MatchState.ACTIVE)
    .correlate(Participant)
    .scalar_subquery()
)
_MENTORS_FREE = select(
    Participant.id, Participant.email, Participant.capacity, _TAKEN.label("taken")
).where(Participant.id.in_(bindparam("ids", expanding=True)), *_OFFERABLE)
