"""Ranking mentors for a mentee's words."""

from __future__ import annotations

import pytest

from mentormail.workflows.search import (
    MentorProfile,
    corrected_search,
    keywords,
    rank,
    still_askable,
)

pytestmark = pytest.mark.unit


def mentor(
    mentor_id: int,
    name: str,
    profession: str = "",
    industry: str = "",
    major: str = "",
    interests: tuple[str, ...] = (),
    bio: str = "",
) -> MentorProfile:
    """A profile with only the fields a test cares about."""
    return MentorProfile(mentor_id, name, profession, industry, major, interests, bio)


ANA = mentor(1, "Ana Lima", "Data Scientist", "Healthcare", "Statistics", ("public health",))
BIO_ONLY = mentor(2, "Bea Bio", "Teacher", "Education", bio="Once did some data science work.")
NURSE = mentor(3, "Grace Okafor", "Nurse Practitioner", "Healthcare", "Nursing")
CHEF = mentor(4, "Carl Chef", "Chef", "Hospitality", bio="Cooks.")


def test_a_profession_match_beats_a_mention_in_a_bio() -> None:
    assert rank("data science", [BIO_ONLY, ANA], limit=5) == [ANA]  # a bio alone never qualifies


def test_accents_are_folded_both_ways() -> None:
    medic = mentor(5, "Zoé", "Médecin", "Santé publique")
    assert rank("medecin sante", [CHEF, medic], 5) == [medic]
    plain = mentor(6, "Max", "Medecin")
    assert rank("Médecin", [plain], 5) == [plain]


def test_stopwords_alone_find_nobody() -> None:
    assert rank("I am looking for a mentor please, thanks", [ANA, NURSE, CHEF], 5) == []
    assert keywords("Looking for a mentor in data science") == ["data", "science"]


def test_the_limit_is_respected_best_first() -> None:
    many = [mentor(10 + i, f"Health {i:02d}", industry="Healthcare") for i in range(8)]
    found = rank("healthcare", [*many, ANA], limit=5)
    assert len(found) == 5
    assert found == sorted(found, key=lambda m: m.name)  # equal scores: stable by name


def test_no_match_is_empty() -> None:
    assert rank("astronaut", [ANA, NURSE, CHEF], 5) == []
    assert rank("", [ANA], 5) == []


def test_a_shared_stem_matches_nursing_for_nurse() -> None:
    assert rank("nurse", [CHEF, NURSE], 5) == [NURSE]
    assert rank("nursing", [CHEF, NURSE], 5) == [NURSE]


def test_more_words_matched_rank_higher() -> None:
    assert rank("healthcare data", [NURSE, ANA], 5) == [ANA, NURSE]


def test_an_unmatched_mentees_wish_goes_to_the_coordinators_where_they_make_the_pairs() -> None:
    from mentormail.workflows.conversation import GeneralMail, MailAction, meaning_of

    wish = GeneralMail(
        role="mentee", matched=False, asks_for_help=False, question=False, courtesy=False,
        has_search_words=True, search_finds_mentors=True, mentees_search=False,
    )  # fmt: skip
    assert meaning_of(wish) is MailAction.FOR_PAIRING
    question = GeneralMail(**{**wish.__dict__, "question": True})
    assert meaning_of(question) is MailAction.TO_COORDINATORS
    searching = GeneralMail(**{**wish.__dict__, "mentees_search": True})
    assert meaning_of(searching) is MailAction.SEARCH


def test_after_a_no_the_mentors_still_askable_leave_out_those_asked_before() -> None:
    assert still_askable({4, 2, 9, 7}, {9}, 2) == [2, 4]
    assert still_askable({9}, {9}, 5) == []


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("sorry, I meant data science, not data entry", "data science"),
        ("oops, meant nursing not law", "nursing"),
        ("no, I meant finance", "finance"),
        ("not data entry but data science", "data science"),
        ("data science instead of data entry", "data science"),
        ("Perdón, quería decir ciencia de datos, no entrada de datos", "ciencia de datos"),
        ("Pardon, je voulais dire science des données, pas saisie", "science des données"),
        ("Sorry, ich meinte Data Science, nicht Dateneingabe", "Data Science"),
        ("Desculpa, quis dizer ciência de dados, não digitação", "ciência de dados"),
        ("我是说数据科学，不是数据录入", "数据科学"),
        ("Looking for a mentor in data science", "Looking for a mentor in data science"),
        ("I mean it, finance please", "I mean it, finance please"),  # no apology: no correction
        ("not sure, maybe finance", "not sure, maybe finance"),
    ],
)
def test_a_corrected_search_is_the_words_meant_in_the_six_languages(text: str, meant: str) -> None:
    assert corrected_search(text) == meant
