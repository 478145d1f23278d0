"""Stored search documents: read once, scored the same as the profile they came from."""

from __future__ import annotations

import pytest

from mentormail.workflows.search import (
    MentorProfile,
    document,
    document_terms,
    query_words,
    rank,
    rank_documents,
    score,
    score_document,
    term_quality,
)
from tests.unit.workflows.test_search_labelled import pool, searches

pytestmark = pytest.mark.unit

ANA = MentorProfile(
    1, "Ana Lima", "Data Scientist", "Healthcare", "", ("Public health",), "I code."
)


def test_a_document_holds_each_field_value_folded_and_the_bio_last() -> None:
    doc = document(ANA)
    assert doc.values == (
        ("profession", ("data", "scientist")),
        ("industry", ("healthcare",)),
        ("interests", ("health", "public")),
        ("bio", ("code", "i")),
    )


def test_a_documents_terms_weigh_as_their_best_field_and_a_bio_word_weighs_one() -> None:
    assert document_terms(document(ANA)) == {
        "data": 3.0,
        "scientist": 3.0,
        "healthcare": 3.0,
        "health": 2.0,
        "public": 2.0,
        "code": 1.0,
        "i": 1.0,
    }


def test_ranking_documents_gives_the_labelled_sets_lists() -> None:
    profiles = [p for _, p in pool()]
    docs = [document(p) for p in profiles]
    for s in searches():
        by_documents = [d.mentor_id for d in rank_documents(s.query, docs, 5)]
        assert by_documents == [p.mentor_id for p in rank(s.query, profiles, 5)], s.query


def test_scoring_with_known_matches_gives_the_same_score() -> None:
    profiles = [p for _, p in pool()]
    for s in searches():
        weighted = query_words(s.query)
        for profile in profiles:
            doc = document(profile)
            tokens = {t for _, ts in doc.values for t in ts}
            matches = {
                w: {t: q for t in tokens if (q := term_quality(w, t)) > 0} for w, _ in weighted
            }
            assert score_document(weighted, doc, matches) == score_document(weighted, doc)


def test_score_of_plain_words_reads_the_profile_as_a_document() -> None:
    assert score(["data"], ANA) == 3.0
