"""The stored search: each mentor's folded words, kept in step with their profile, and a
ranking that scores only the mentors a search can find — the same list ``search.rank`` gives.

How a search runs (``ranked_ids``):

1. The words of the search are matched against the program's vocabulary (every word its
   mentors' non-bio fields hold), in memory and cached per process, with the search's own
   ``term_quality``. A mentor qualifies only through a non-bio field matching a word that weighs
   most (``search.score_document``), so only mentors holding one of those terms are candidates.
2. One SQL query over ``search_terms`` (indexed by program and term; a bio's words are there
   with weight 1 and never qualify) gives each candidate an upper bound of its score — per word
   the best field weight x quality among its words, plus the most side-by-side bonuses can add
   (per pair of neighbouring words, half the smaller of their best non-bio matches) — ordered by
   that bound, then name and id, as the ranking orders ties.
3. Candidates are read in that order in batches, checked for availability (active, available,
   reachable, below capacity, not asked before) and scored exactly from their stored words;
   reading stops once the next bound cannot reach the last of the best ``limit`` scores.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import Insert

from mentormail.service.models import (
    Participant,
    Program,
    SearchDocument,
    SearchTerm,
    SearchVocabulary,
)
from mentormail.service.people import active_match_counts_for, capacity_of, suppressed_among
from mentormail.workflows import search

SEARCHED = ("role", "name", "profession", "industry", "major", "interests", "bio", "program_id")
CHUNK = 500  # ids per IN (...) and rows per bulk insert
FIRST_BATCH = 20  # candidates read before the first exact scoring; later batches double
# Bounds are rounded in SQL and compared to scores at one decimal less: scores and bounds are
# sums of products of the search's constants (weights, qualities, field weights, the bonus),
# which have at most 6 decimals, so equal to 6 decimals is equal, whatever the float noise.
DECIMALS = 7


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
    """Have every session of the factory rewrite a participant's search rows as they change."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    """Forget a participant about to be deleted, before their row goes."""
    gone = [o.id for o in session.deleted if isinstance(o, Participant)]
    if gone:
        forget(session.connection(), gone)


def _after_flush(session: Session, _context: object) -> None:
    """Rewrite the search rows of participants created or changed in a searched field."""
    changed = [o for o in session.new if isinstance(o, Participant)]
    changed += [o for o in session.dirty if isinstance(o, Participant) and _searched_changed(o)]
    if changed:
        reindex(session.connection(), changed)


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


def index_everyone(connection: Connection) -> None:
    """(Re)build every mentor's search rows: after a migration or a bulk load."""
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
            return
        write(connection, rows)
        last = rows[-1].id


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


# --- ranking the candidates ------------------------------------------------------------------


def ranked_ids(
    session: Session, program: Program, query: str, exclude: set[int], limit: int
) -> list[int]:
    """The ids of the best ``limit`` available mentors for the words, best first: exactly
    ``search.rank`` over every available mentor not excluded."""
    weighted = search.query_words(query)
    if not weighted or limit <= 0:
        return []
    candidates = _bounded_candidates(session, program, weighted)
    if candidates is None:
        return []
    return [doc.mentor_id for doc in _best(session, program, weighted, candidates, exclude, limit)]


def _bounded_candidates(
    session: Session, program: Program, weighted: search.Weighted
) -> Iterator[Row[Any]] | None:
    """(id, name, bound) of every active, available mentor who can qualify, best bound
    first, then by name and id; None when no mentor can."""
    words = vocabulary(session, program.id)
    asked = search.asked_words(weighted)
    params: dict[str, Any] = {"program": program.id, "bonus": search.bound_bonus(weighted)}
    rows: list[str] = []
    qualifies = False
    for i, (word, weight) in enumerate(weighted):
        for term, quality in words.matching(word).items():
            n = len(rows)
            params.update({f"w{n}": i, f"t{n}": term, f"q{n}": quality, f"k{n}": weight})
            params[f"a{n}"] = int(word in asked)
            qualifies = qualifies or word in asked
            rows.append(
                f"(CAST(:w{n} AS INTEGER), CAST(:t{n} AS VARCHAR(200)), CAST(:q{n} AS FLOAT),"
                f" CAST(:k{n} AS FLOAT), CAST(:a{n} AS INTEGER))"
            )
    if not qualifies:
        return None
    by_name = 'p.name COLLATE "C"' if session.get_bind().dialect.name == "postgresql" else "p.name"
    sql = f"""
        WITH asked (word, term, quality, weight, asked) AS (VALUES {", ".join(rows)}),
        per_word AS (
            SELECT t.participant_id AS pid, a.word AS word, MAX(a.weight) AS weight,
                   MAX(t.weight * a.quality) AS best,
                   MAX(CASE WHEN t.weight > 1 THEN t.weight * a.quality ELSE 0 END) AS field,
                   MAX(CASE WHEN t.weight > 1 THEN a.asked ELSE 0 END) AS asked
            FROM search_terms t JOIN asked a ON t.term = a.term
            WHERE t.program_id = :program
            GROUP BY t.participant_id, a.word
        ),
        paired AS (
            SELECT pid, word, weight * best AS top, weight * field AS own, asked,
                   LEAD(word) OVER next AS next_word, LEAD(weight * field) OVER next AS next_own
            FROM per_word WINDOW next AS (PARTITION BY pid ORDER BY word)
        ),
        per_mentor AS (
            SELECT pid, CAST(ROUND(CAST(SUM(top) + :bonus * SUM(
                       CASE WHEN next_word = word + 1
                       THEN CASE WHEN own < next_own THEN own ELSE next_own END ELSE 0 END
                   ) AS NUMERIC), {DECIMALS}) AS FLOAT) AS bound
            FROM paired GROUP BY pid HAVING MAX(asked) = 1
        )
        SELECT p.id, p.name, m.bound FROM per_mentor m JOIN participants p ON p.id = m.pid
        WHERE p.role = 'mentor' AND p.status = 'active' AND p.availability = 'available'
          AND p.approval = 'approved'
        ORDER BY m.bound DESC, {by_name}, p.id
    """
    return iter(session.execute(text(sql), params))


def _best(
    session: Session,
    program: Program,
    weighted: search.Weighted,
    candidates: Iterator[Row[Any]],
    exclude: set[int],
    limit: int,
) -> list[search.SearchDocument]:
    """Score candidates in bound order, in growing batches, until none left can enter."""
    hits: list[search.Scored] = []
    batch: list[int] = []
    size = FIRST_BATCH
    for row in candidates:
        if len(hits) >= limit and _cannot_enter(row.bound, row, hits[-1]):
            break
        if row.id in exclude:
            continue
        batch.append(row.id)
        if len(batch) >= size:
            hits = _merge(hits, _scored(session, program, weighted, batch), limit)
            batch, size = [], size * 2
    return [doc for _, doc in _merge(hits, _scored(session, program, weighted, batch), limit)]


def _cannot_enter(bound: float, row: Row[Any], last: search.Scored) -> bool:
    """Whether a candidate with this bound (and every later one) ranks after the last hit."""
    rounded, last_score = round(bound, DECIMALS - 1), round(last[0], DECIMALS - 1)
    if rounded != last_score:
        return rounded < last_score
    return (row.name, row.id) > (last[1].name, last[1].mentor_id)


def _merge(hits: list[search.Scored], new: list[search.Scored], limit: int) -> list[search.Scored]:
    """The best ``limit`` of both, in the order every search shows."""
    return sorted(hits + new, key=search.order_key)[:limit]


def _scored(
    session: Session, program: Program, weighted: search.Weighted, ids: list[int]
) -> list[search.Scored]:
    """The available ones among these candidates, scored exactly from their stored words."""
    if not ids:
        return []
    available = _available(session, program, ids)
    rows = session.execute(
        select(SearchDocument.participant_id, SearchDocument.fields).where(
            SearchDocument.participant_id.in_(list(available))
        )
    )
    docs = [
        search.SearchDocument(
            pid,
            available[pid],
            tuple((name, tuple(tokens)) for name, tokens in fields),
        )
        for pid, fields in rows
    ]
    words = vocabulary_seen(session, program.id)
    if all(_known(doc, words.known) for doc in docs):
        return search.scored_documents(weighted, docs, words.matches(weighted))
    return search.scored_documents(weighted, docs)  # a word newer than our vocabulary: slowly


def _known(doc: search.SearchDocument, known: set[str]) -> bool:
    """Whether every word of the document is in the vocabulary as this process knows it."""
    return all(known.issuperset(tokens) for _, tokens in doc.values)


def _available(session: Session, program: Program, ids: list[int]) -> dict[int, str]:
    """Name by id of those who are reachable and below capacity (the rest was checked in SQL)."""
    people = session.execute(
        select(Participant.id, Participant.name, Participant.email, Participant.capacity).where(
            Participant.id.in_(ids)
        )
    ).all()
    taken = active_match_counts_for(session, ids)
    unreachable = suppressed_among(session, [p.email for p in people])
    return {
        p.id: p.name
        for p in people
        if p.email.lower() not in unreachable and taken.get(p.id, 0) < capacity_of(p, program)
    }
