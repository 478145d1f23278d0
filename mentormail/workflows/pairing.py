"""Matching by the program: score every mentee–mentor pair, then the best assignment.

The assignment maximises the total score subject to every mentor's free seats and every
mentee's limit: an optimum, found by scipy's ``linear_sum_assignment`` over seats (each
mentor's column repeated once per free seat). A stable matching (Gale–Shapley, mentees
proposing, on the same scores) is computed beside it so a coordinator can see how the
two differ. Pure: profiles in, pairs out; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

__all__ = ["DEFAULT_WEIGHTS", "Pair", "Person", "Proposal", "Unmatched", "propose"]
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentormail.workflows.exceptions import UnknownValue
from mentormail.workflows.pairing_rules import DEFAULT_WEIGHTS, FIELDS, LIST_FIELDS, RULES
from mentormail.workflows.search import keywords, stem

Scores = NDArray[np.floating[Any]]


@dataclass(frozen=True)
class Person:
    """One side of a pair as the matcher sees it."""

    person_id: int
    email: str
    name: str
    seats: int  # mentor: free seats; mentee: 1 if they may have a mentor now, else 0
    fields: Mapping[str, Sequence[str]] = field(default_factory=dict)  # text or items
    prefer: frozenset[str] = frozenset()  # emails of the other side
    avoid: frozenset[str] = frozenset()
    never: frozenset[int] = frozenset()  # ids of the other side never proposed (asked before)


@dataclass(frozen=True)
class Pair:
    """A proposed pair, its score and the reasons (which fields matched)."""

    mentee: Person
    mentor: Person
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a mentor, and why."""

    mentee: Person
    why: str


@dataclass(frozen=True)
class Proposal:
    """The optimal pairs, who is left and why, and the stable matching beside it."""

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total: float
    stable_total: float
    stable_matched: int
    differs: tuple[str, ...]  # mentees whose mentor differs in the stable matching


def propose(
    mentees: Sequence[Person], mentors: Sequence[Person], weights: Mapping[str, float]
) -> Proposal:
    """The best assignment of mentees to mentors' free seats, with reasons and the rest."""
    scores = score_matrix(mentees, mentors, weights)
    assigned = best_assignment(scores, [p.seats for p in mentees], [m.seats for m in mentors])
    stable = stable_assignment(scores, [p.seats for p in mentees], [m.seats for m in mentors])
    pairs = tuple(
        Pair(mentees[i], mentors[j], float(scores[i, j]), reasons(mentees[i], mentors[j], weights))
        for i, j in assigned
    )
    matched = {i for i, _ in assigned}
    unmatched = tuple(
        Unmatched(mentees[i], _why_unmatched(i, scores, mentees[i], mentors, assigned))
        for i in range(len(mentees))
        if i not in matched and mentees[i].seats > 0
    )
    mine = _by_mentee(assigned)
    theirs = _by_mentee(stable)
    differs = tuple(
        mentees[i].email for i in sorted(set(mine) | set(theirs)) if mine.get(i) != theirs.get(i)
    )
    return Proposal(
        pairs,
        unmatched,
        float(sum(scores[i, j] for i, j in assigned)),
        float(sum(scores[i, j] for i, j in stable)),
        len(stable),
        differs,
    )


# --- scores ----------------------------------------------------------------------------------


def score_matrix(
    mentees: Sequence[Person], mentors: Sequence[Person], weights: Mapping[str, float]
) -> Scores:
    """scores[i, j]: how well mentor j fits mentee i (0 where they must never be paired).
    Single precision: the scores are sums of a few weights, and a large cohort's matrix is
    half the size."""
    scores = np.zeros((len(mentees), len(mentors)), dtype=np.float32)
    if not mentees or not mentors:
        return scores
    for key, mentee_field, mentor_fields in RULES:
        weight = float(weights.get(key, 0.0))
        if weight:
            wanted = [_terms(p, (mentee_field,)) for p in mentees]
            offered = [_terms(m, mentor_fields) for m in mentors]
            scores += weight * _coverage(wanted, offered)
    _add_preferences(scores, mentees, mentors, float(weights.get("prefer", 0.0)))
    _forbid(scores, mentees, mentors)
    return scores


def _coverage(wanted: list[frozenset[str]], offered: list[frozenset[str]]) -> Scores:
    """coverage[i, j]: the share of what mentee i wants that mentor j has (0 to 1)."""
    vocabulary = {term: k for k, term in enumerate(sorted(set().union(*wanted)))}
    if not vocabulary:
        return np.zeros((len(wanted), len(offered)), dtype=np.float32)
    want = np.zeros((len(wanted), len(vocabulary)), dtype=np.float32)
    for i, terms in enumerate(wanted):
        for term in terms:
            want[i, vocabulary[term]] = 1.0 / len(terms)
    have = np.zeros((len(offered), len(vocabulary)), dtype=np.float32)
    for j, terms in enumerate(offered):
        for term in terms:
            k = vocabulary.get(term)
            if k is not None:
                have[j, k] = 1.0
    return want @ have.T


def _add_preferences(
    scores: Scores,
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    bonus: float,
) -> None:
    """A preference named by either side adds the bonus to that pair."""
    column = {m.email: j for j, m in enumerate(mentors)}
    row = {p.email: i for i, p in enumerate(mentees)}
    for i, mentee in enumerate(mentees):
        for email in mentee.prefer:
            if email in column:
                scores[i, column[email]] += bonus
    for j, mentor in enumerate(mentors):
        for email in mentor.prefer:
            if email in row:
                scores[row[email], j] += bonus


def _forbid(scores: Scores, mentees: Sequence[Person], mentors: Sequence[Person]) -> None:
    """Pairs either side avoids, or asked before, score 0: never proposed."""
    column = {m.email: j for j, m in enumerate(mentors)}
    index = {m.person_id: j for j, m in enumerate(mentors)}
    row = {p.email: i for i, p in enumerate(mentees)}
    for i, mentee in enumerate(mentees):
        for email in mentee.avoid:
            if email in column:
                scores[i, column[email]] = 0.0
        for mentor_id in mentee.never:
            if mentor_id in index:
                scores[i, index[mentor_id]] = 0.0
    for j, mentor in enumerate(mentors):
        for email in mentor.avoid:
            if email in row:
                scores[row[email], j] = 0.0


def _terms(person: Person, names: Sequence[str]) -> frozenset[str]:
    """The comparable terms of some of a person's fields: folded words, or whole items."""
    terms: set[str] = set()
    for name in names:
        for value in person.fields.get(name, ()):
            terms.update(_value_terms(value, name in LIST_FIELDS))
    return frozenset(terms)


@lru_cache(maxsize=65536)
def _value_terms(value: str, whole: bool) -> frozenset[str]:
    """One value's terms: itself folded (a list item), or its words' stems. Values repeat a
    lot across a cohort (professions, cities), so each is read once."""
    if whole:
        return frozenset({value.strip().casefold()} - {""})
    return frozenset(stem(word) for word in keywords(value))


@lru_cache(maxsize=65536)
def _value_words(value: str) -> tuple[str, ...]:
    """One value's search words, read once."""
    return tuple(keywords(value))


def reasons(mentee: Person, mentor: Person, weights: Mapping[str, float]) -> tuple[str, ...]:
    """Which fields matched for a pair, in words ("wants: fintech, software")."""
    found = []
    for key, mentee_field, mentor_fields in RULES:
        if weights.get(key):
            shared = _terms(mentee, (mentee_field,)) & _terms(mentor, mentor_fields)
            if shared:
                found.append(f"{key}: {', '.join(_words_for(mentee, mentee_field, shared))}")
    if weights.get("prefer") and (mentor.email in mentee.prefer or mentee.email in mentor.prefer):
        found.append("preferred")
    return tuple(found)


# A reason as its proposal's reader is told it: the matcher's keys are coordinators' words.
_REASON_WORDS = {
    "wants": "{words}: what {whose} looking for",
    "goals": "goals in common: {words}",
    "major": "the same {major_label}: {words}",
    "interests": "shared interests: {words}",
    "location": "the same place: {words}",
    "languages": "a shared language: {words}",
    "availability": "free at the same times: {words}",
}


def reason_in_words(
    reason: str, mentee_first_name: str, to_mentee: bool, major_label: str = "field of study"
) -> str:
    """One of ``reasons`` as a participant reads it ("major: engineering" → "the same field
    of study: engineering", or the program's word for the major: "the same team: ...");
    "you're" or the mentee's name for what the mentee asked for."""
    if reason == "preferred":
        return "one of you asked for the other"
    key, _, words = reason.partition(": ")
    if key not in _REASON_WORDS:
        raise UnknownValue("pairing reason", key)
    whose = "you're" if to_mentee else f"{mentee_first_name} is"
    return _REASON_WORDS[key].format(words=words, whose=whose, major_label=major_label)


def _words_for(person: Person, name: str, shared: frozenset[str]) -> list[str]:
    """The person's own words behind the shared terms of one field, as they wrote them and
    in their order: a whole value when all its words are shared ("Mechanical Engineering",
    "CAD"), else its shared words ("software, engineering")."""
    values = person.fields.get(name, ())
    if name in LIST_FIELDS:
        return list(dict.fromkeys(v.strip() for v in values if v.strip().casefold() in shared))
    found: list[str] = []
    for value in values:
        words = _value_words(value)
        if words and all(stem(w) in shared for w in words):
            found.append(" ".join(value.split()))
            continue
        found.extend(t for t in _WRITTEN_WORD.findall(value)
                     if any(stem(w) in shared for w in _value_words(t)))  # fmt: skip
    return list(dict.fromkeys(found))


_WRITTEN_WORD = re.compile(r"[^\W_]+")  # a word as written (search's own word pattern)


# --- assignments -----------------------------------------------------------------------------


def best_assignment(
    scores: Scores, mentee_seats: Sequence[int], mentor_seats: Sequence[int]
) -> list[tuple[int, int]]:
    """The pairs (mentee, mentor) of greatest total score within every mentor's seats, one
    mentor per mentee; pairs that score nothing are left out (leaving both free loses
    nothing). Several mentors per mentee are proposed one round at a time.

    Solved on a sparse candidate graph (each mentee's best mentors, each mentor's best
    mentees) and proved optimal for the whole matrix by linear-programming duality: the
    duals of the sparse optimum must cover every pair's score; the pairs they miss join the
    candidates and it is solved again. Should that not settle, the dense solver decides."""
    rows = np.array([i for i, seats in enumerate(mentee_seats) if seats > 0], dtype=np.int64)
    columns = np.array([j for j, seats in enumerate(mentor_seats) if seats > 0], dtype=np.int64)
    if not len(rows) or not len(columns):
        return []
    whole = len(rows) == scores.shape[0] and len(columns) == scores.shape[1]
    sub = scores if whole else scores[np.ix_(rows, columns)]
    seats = np.array([mentor_seats[j] for j in columns], dtype=np.int64)
    found = _certified_assignment(sub, seats)
    if found is None:
        found = _dense_assignment(sub, seats)
    return sorted((int(rows[i]), int(columns[j])) for i, j in found)


SPARSE_ROUNDS = 12  # rounds of "add the pairs the duals miss" before the dense solver decides
CANDIDATES_PER_MENTEE = 20
CHUNK = 2000  # rows of the score matrix read at a time (bounded temporary memory)


def _certified_assignment(scores: Scores, seats: NDArray[np.int64]) -> list[tuple[int, int]] | None:
    """The optimum over the candidate graph, grown until its duals certify it for every
    pair; None when that does not settle (the caller then solves densely)."""
    wanted = _candidates(scores, seats)  # a mask over the pairs: unique and sorted for free
    tolerance = 1e-9 * (1.0 + float(scores.max()))  # far above the duals' rounding
    for _ in range(SPARSE_ROUNDS):
        edges = np.flatnonzero(wanted)
        if not len(edges):
            return []
        mentee, mentor = np.divmod(edges, scores.shape[1])
        weight = scores[mentee, mentor].astype(np.float64)
        chosen = _sparse_assignment(mentee, mentor, weight, seats, scores.shape[0])
        u, v = _duals(mentee, mentor, weight, chosen, seats, scores.shape)
        total = float(weight[chosen].sum())
        if abs(float(u.sum() + seats @ v) - total) > tolerance * max(1, len(u)):
            return None
        missed = _uncovered(scores, u, v, tolerance)
        missed = missed[~wanted.ravel()[missed]]
        if not len(missed):
            return list(zip(mentee[chosen].tolist(), mentor[chosen].tolist(), strict=True))
        wanted.ravel()[missed] = True
    return None


def _candidates(scores: Scores, seats: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Pairs worth a look, as a mask: each mentee's best mentors and each mentor's best
    mentees, a few more than their seats; pairs scoring nothing are left out."""
    n, m = scores.shape
    k = min(CANDIDATES_PER_MENTEE, m)
    wanted = np.zeros((n, m), dtype=bool)
    for a in range(0, n, CHUNK):
        block = scores[a : a + CHUNK]
        best = np.argpartition(block, m - k, axis=1)[:, m - k :]
        np.put_along_axis(wanted[a : a + CHUNK], best, True, axis=1)
    per_mentor = min(2 * int(seats.max()) + 2, n)
    for b in range(0, m, CHUNK):
        block = np.ascontiguousarray(scores[:, b : b + CHUNK].T)
        best = np.argpartition(block, n - per_mentor, axis=1)[:, n - per_mentor :]
        wanted[best, np.arange(b, b + len(block))[:, None]] = True
    wanted &= scores > 0
    return wanted


def _sparse_assignment(
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    weight: NDArray[np.float64],
    seats: NDArray[np.int64],
    mentees: int,
) -> NDArray[np.bool_]:
    """Which candidate edges the optimum over them uses: scipy's sparse assignment over
    mentors' seats, each mentee with a seat of their own for "no one" (so it is full)."""
    from scipy.sparse import csr_matrix  # scipy is imported when matching, not at start-up
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    first_seat = np.concatenate([[0], np.cumsum(seats)])
    copies = seats[mentor]
    edge_of_copy = np.repeat(np.arange(len(mentor)), copies)
    offset = np.arange(int(copies.sum())) - np.repeat(np.cumsum(copies) - copies, copies)
    seat = first_seat[mentor[edge_of_copy]] + offset
    nobody = int(first_seat[-1]) + np.arange(mentees)
    high = float(weight.max()) + 1.0  # costs high - score > 0; "no one" costs high
    graph = csr_matrix(
        (
            np.concatenate([high - weight[edge_of_copy], np.full(mentees, high)]),
            (
                np.concatenate([mentee[edge_of_copy], np.arange(mentees)]),
                np.concatenate([seat, nobody]),
            ),
        ),
        shape=(mentees, int(first_seat[-1]) + mentees),
    )
    _, taken = min_weight_full_bipartite_matching(graph)
    chosen = np.zeros(len(mentor), dtype=bool)
    real = taken < first_seat[-1]
    seat_owner = np.repeat(np.arange(len(seats)), seats)
    picked = np.arange(mentees, dtype=np.int64)[real] * len(seats) + seat_owner[taken[real]]
    chosen[np.isin(mentee * len(seats) + mentor, picked)] = True
    return chosen


def _duals(
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    weight: NDArray[np.float64],
    chosen: NDArray[np.bool_],
    seats: NDArray[np.int64],
    shape: tuple[int, int],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Dual prices (u per mentee, v per mentor) of the optimum: shortest distances in its
    residual flow network (source → mentee → mentor → sink), by Bellman–Ford relaxation."""
    n, m = shape
    source, sink = n + m, n + m + 1
    matched = np.zeros(n, dtype=bool)
    matched[mentee[chosen]] = True
    load = np.bincount(mentor[chosen], minlength=m)
    arcs = [
        (mentee, n + mentor, -weight),  # a mentee may always take this mentor
        (n + mentor[chosen], mentee[chosen], weight[chosen]),  # or give back the one taken
        _arcs_from(source, np.flatnonzero(~matched)),
        _arcs_to(np.flatnonzero(matched), source),
        _arcs_to(n + np.flatnonzero(load < seats), sink),
        _arcs_from(sink, n + np.flatnonzero(load > 0)),
        _arcs_to(np.array([sink]), source),
        _arcs_to(np.array([source] if chosen.any() else [], dtype=np.int64), sink),
    ]
    tail, head, cost = (np.concatenate(parts) for parts in zip(*arcs, strict=True))
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
    heads = head[starts]
    distance = np.zeros(n + m + 2)
    for _ in range(n + m + 3):
        better = np.minimum(distance[heads], np.minimum.reduceat(distance[tail] + cost, starts))
        if np.array_equal(better, distance[heads]):
            break
        distance[heads] = better
    u = np.maximum(distance[:n] - distance[source], 0.0)
    v = np.maximum(distance[sink] - distance[n : n + m], 0.0)
    return u, v


def _arcs_from(node: int, heads: NDArray[np.int64]) -> tuple[NDArray[Any], ...]:
    """Free arcs from one node to many."""
    return np.full(len(heads), node, dtype=np.int64), heads, np.zeros(len(heads))


def _arcs_to(tails: NDArray[np.int64], node: int) -> tuple[NDArray[Any], ...]:
    """Free arcs from many nodes to one."""
    return tails.astype(np.int64), np.full(len(tails), node, dtype=np.int64), np.zeros(len(tails))


def _uncovered(
    scores: Scores, u: NDArray[np.float64], v: NDArray[np.float64], tolerance: float
) -> NDArray[np.int64]:
    """Pairs (flat indices) whose score the duals do not cover (by more than the tolerance):
    a single-precision pass keeps every pair that might be (its rounding is far below the
    margin), double precision decides."""
    m = scores.shape[1]
    u32, v32 = u.astype(np.float32), v.astype(np.float32)
    margin = np.float32(-3e-7 * (1.0 + max(float(scores.max()), float(u.max()), float(v.max()))))
    found = []
    for a in range(0, scores.shape[0], CHUNK):
        block = scores[a : a + CHUNK]
        i, j = np.nonzero(block - u32[a : a + CHUNK, None] - v32[None, :] > margin)
        i = i + a
        real = scores[i, j].astype(np.float64) - u[i] - v[j] > tolerance
        found.append(i[real].astype(np.int64) * m + j[real])
    return np.concatenate(found)


def _dense_assignment(scores: Scores, seats: NDArray[np.int64]) -> list[tuple[int, int]]:
    """The optimum by scipy's dense assignment over every mentor's seats (slow, certain)."""
    from scipy.optimize import linear_sum_assignment  # as in _sparse_assignment

    columns = np.repeat(np.arange(len(seats)), seats)
    costs = np.negative(scores[:, columns], dtype=np.float64)
    chosen_rows, chosen_columns = linear_sum_assignment(costs)
    return [
        (int(r), int(columns[c]))
        for r, c in zip(chosen_rows, chosen_columns, strict=True)
        if costs[r, c] < 0
    ]


def stable_assignment(
    scores: Scores, mentee_seats: Sequence[int], mentor_seats: Sequence[int]
) -> list[tuple[int, int]]:
    """Gale–Shapley with mentees proposing (one mentor each), mentors keeping their best
    proposals up to their seats; both sides rank by the same scores."""
    orders: dict[int, NDArray[np.intp]] = {}  # each mentee's ranking, sorted when first needed
    next_choice = [0] * len(mentee_seats)
    held: list[list[int]] = [[] for _ in mentor_seats]
    free = [i for i, seats in enumerate(mentee_seats) if seats > 0]
    while free:
        i = free.pop()
        while next_choice[i] < scores.shape[1]:
            if i not in orders:
                orders[i] = np.argsort(-scores[i], kind="stable")
            j = int(orders[i][next_choice[i]])
            next_choice[i] += 1
            if scores[i, j] <= 0:
                next_choice[i] = scores.shape[1]
                break
            if mentor_seats[j] <= 0:
                continue
            held[j].append(i)
            if len(held[j]) <= mentor_seats[j]:
                break
            worst = min(held[j], key=lambda k: (scores[k, j], -k))
            held[j].remove(worst)
            if worst != i:
                free.append(worst)
                break
    return sorted((i, j) for j, mentees in enumerate(held) for i in mentees)


def _by_mentee(pairs: list[tuple[int, int]]) -> dict[int, int]:
    """Mentee index to mentor index."""
    return dict(pairs)


def _why_unmatched(
    i: int,
    scores: Scores,
    mentee: Person,
    mentors: Sequence[Person],
    assigned: list[tuple[int, int]],
) -> str:
    """Why the best assignment gives this mentee no one, in words a coordinator reads."""
    fitting = [int(j) for j in np.argsort(-scores[i], kind="stable") if scores[i, j] > 0]
    if not fitting:
        if not any(mentee.fields.get(f) for f in FIELDS + LIST_FIELDS):
            return "their profile says nothing to match on"
        return "no mentor shares anything they asked for (or those who do are avoided)"
    with_seats = [j for j in fitting if mentors[j].seats > 0]
    names = ", ".join(mentors[j].name for j in (with_seats or fitting)[:3])
    if not with_seats:
        return f"the mentors who fit them ({names}) have no free seat"
    return f"the mentors who fit them ({names}) are full with closer matches"
