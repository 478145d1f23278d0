"""The search matrix scores every mentor at once exactly as ``score_document`` scores one."""

from __future__ import annotations

import random

import pytest

from mentormail.workflows.search import (
    MentorProfile,
    SearchDocument,
    document,
    order_key,
    query_words,
    score_document,
    term_quality,
)
from mentormail.workflows.search_matrix import Entry, Matrix
from tests.unit.workflows.test_search_labelled import pool, searches

pytestmark = pytest.mark.unit


def mixed_documents(rng: random.Random, n: int) -> list[SearchDocument]:
    """Mentors whose fields come from different labelled mentors, some fields empty."""
    profiles = [p for _, p in pool()]
    docs = []
    for i in range(n):
        pick = [rng.choice(profiles) for _ in range(5)]
        docs.append(
            document(
                MentorProfile(
                    i + 1,
                    rng.choice(["Ana Lima", "Ben Ode", "Cy Park"]),
                    pick[0].profession if rng.random() < 0.8 else "",
                    pick[1].industry,
                    pick[2].major,
                    pick[3].interests,
                    pick[4].bio if rng.random() < 0.7 else "",
                )
            )
        )
    return docs


def matches_for(query: str, docs: list[SearchDocument]) -> dict[str, dict[str, float]]:
    """For each word of the query, every word of the documents it matches, with how well."""
    words = {t for d in docs for _, tokens in d.values for t in tokens}
    found = {}
    for word, _ in query_words(query):
        qualities = {t: term_quality(word, t) for t in words}
        found[word] = {t: q for t, q in qualities.items() if q > 0}
    return found


def entries(docs: list[SearchDocument]) -> list[Entry]:
    """The documents as a matrix reads them."""
    return [(d.mentor_id, d.name, d.values) for d in docs]


QUERIES = [
    *(s.query for s in searches()),
    "nurse nursing",  # one word of a mentor matches both: credited to the first only
    "health healthcare public health",
    "I'm a nursing student looking for someone in software",
    "data",
]


def test_the_matrix_gives_each_mentor_the_score_of_their_document_to_the_last_bit() -> None:
    docs = mixed_documents(random.Random(7), 300)
    matrix = Matrix(reversed(entries(docs)))  # any order in, held by id
    assert matrix.ids.tolist() == [d.mentor_id for d in docs]
    for query in QUERIES:
        weighted = query_words(query)
        if not weighted:
            continue
        scores = matrix.scores(weighted, matches_for(query, docs))
        for i, doc in enumerate(docs):
            total = float(scores.total[i]) if scores.eligible[i] else 0.0
            assert total == score_document(weighted, doc), (query, doc)  # equal, not close


def test_a_mentors_word_matching_two_search_words_counts_for_the_first_only() -> None:
    software = document(MentorProfile(1, "Ana", "Software Engineer", "", "", (), ""))
    both = document(MentorProfile(2, "Ben", "Software Coding", "", "", (), ""))
    docs = [software, both]
    weighted = query_words("coding programming")
    scores = Matrix(entries(docs)).scores(weighted, matches_for("coding programming", docs))
    assert scores.total.tolist() == [score_document(weighted, d) for d in docs]
    assert scores.total[0] < 2 * 3.0 * 0.7  # "software" found for "coding" only


def test_the_matrix_orders_mentors_best_first_then_by_name_and_id_skipping_some() -> None:
    docs = mixed_documents(random.Random(11), 200)
    matrix = Matrix(entries(docs))
    query = "data science or healthcare"
    weighted = query_words(query)
    scores = matrix.scores(weighted, matches_for(query, docs))
    skipped = {0, 5, 9}
    order = [int(p) for chunk in matrix.best_first(scores, skipped, 16) for p in chunk]
    expected = sorted(
        ((float(scores.total[p]), docs[p]) for p in range(len(docs)) if scores.eligible[p]),
        key=order_key,
    )
    assert [docs[p].mentor_id for p in order] == [
        d.mentor_id for _, d in expected if d.mentor_id - 1 not in skipped
    ]


def test_a_matrix_finds_where_it_holds_mentors_and_leaves_out_others() -> None:
    matrix = Matrix(entries(mixed_documents(random.Random(3), 5)))
    assert matrix.positions([5, 1, 99]) == [4, 0]
    assert len(matrix) == 5 and matrix.nbytes() > 0
