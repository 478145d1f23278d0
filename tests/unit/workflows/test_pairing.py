"""Matching by the program: the assignment is an optimum, explained, and the stable one beside."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from mentormail.workflows.pairing import (
    DEFAULT_WEIGHTS,
    Person,
    best_assignment,
    propose,
    stable_assignment,
)

pytestmark = pytest.mark.unit


def mentor(pid: int, name: str, seats: int = 1, **fields: list[str]) -> Person:
    return Person(pid, f"{name.lower()}@alumni.example.edu", name, seats, fields)


def mentee(pid: int, name: str, **fields: list[str]) -> Person:
    return Person(pid, f"{name.lower()}@student.example.edu", name, 1, fields)


TOM = mentor(1, "Tom", profession=["Software Engineer"], industry=["Finance"])
GRACE = mentor(2, "Grace", profession=["Nurse Practitioner"], industry=["Healthcare"])
ANA = mentor(3, "Ana", profession=["Data Scientist"], industry=["Healthcare"], seats=2)


def test_a_mentee_who_wants_fintech_software_gets_the_fintech_engineer_not_the_nurse() -> None:
    jo = mentee(10, "Jo", wants=["software engineering in finance"], major=["Computer Science"])
    proposal = propose([jo], [GRACE, TOM], DEFAULT_WEIGHTS)
    [pair] = proposal.pairs
    assert pair.mentor is TOM
    assert pair.reasons == ("wants: software engineering in finance",)  # as Jo wrote it


def test_the_assignment_gives_the_contested_mentor_to_whom_it_adds_most() -> None:
    # Both want Tom most; Sam also fits Ana nearly as well, Jo fits no one else.
    sam = mentee(10, "Sam", wants=["software in healthcare data"])
    jo = mentee(11, "Jo", wants=["software finance"])
    greedy_first = propose([sam, jo], [TOM, ANA], DEFAULT_WEIGHTS)
    assert {(p.mentee.name, p.mentor.name) for p in greedy_first.pairs} == {
        ("Sam", "Ana"),
        ("Jo", "Tom"),
    }
    assert not greedy_first.unmatched


def test_a_pair_either_side_avoids_is_never_proposed_and_a_preference_wins() -> None:
    jo = Person(
        11,
        "jo@student.example.edu",
        "Jo",
        1,
        {"wants": ["software finance"]},
        avoid=frozenset({TOM.email}),
    )
    assert not propose([jo], [TOM], DEFAULT_WEIGHTS).pairs
    sam = Person(10, "sam@s.example.edu", "Sam", 1, {"wants": ["finance"]}, prefer={GRACE.email})
    [pair] = propose([sam], [TOM, GRACE], DEFAULT_WEIGHTS).pairs
    assert pair.mentor is GRACE and "preferred" in pair.reasons


def test_a_mentor_asked_before_or_without_a_free_seat_is_not_proposed() -> None:
    jo = Person(11, "jo@s.example.edu", "Jo", 1, {"wants": ["software"]}, never=frozenset({1}))
    assert not propose([jo], [TOM], DEFAULT_WEIGHTS).pairs
    full_tom = mentor(1, "Tom", seats=0, profession=["Software Engineer"])
    sam = mentee(10, "Sam", wants=["software"])
    proposal = propose([sam], [full_tom], DEFAULT_WEIGHTS)
    assert [u.why for u in proposal.unmatched] == [
        "the mentors who fit them (Tom) have no free seat"
    ]


def test_every_unmatched_mentee_is_told_why() -> None:
    blank = mentee(12, "Blank")
    sam = mentee(10, "Sam", wants=["software and painting"])  # Tom covers half of it
    jo = mentee(11, "Jo", wants=["software finance"])
    proposal = propose([blank, sam, jo], [TOM], DEFAULT_WEIGHTS)
    assert {u.mentee.name: u.why for u in proposal.unmatched} == {
        "Blank": "their profile says nothing to match on",
        "Sam": "the mentors who fit them (Tom) are full with closer matches",
    }


def brute_force(scores: np.ndarray, mentor_seats: list[int]) -> float:
    """The best total over every way to give each mentee one mentor or none."""
    n, m = scores.shape
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = [0] * m
        total = 0.0
        for i, j in enumerate(choice):
            if j >= 0:
                used[j] += 1
                total += scores[i, j]
        if all(u <= s for u, s in zip(used, mentor_seats, strict=True)):
            best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_assignment_is_optimal_against_brute_force_on_small_instances(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 5), rng.randint(1, 3)
    scores = np.array(
        [[rng.choice([0, 0, 1, 2, 3, 5, 8]) + rng.random() for _ in range(m)] for _ in range(n)]
    )
    scores[scores < 1] = 0
    seats = [rng.randint(0, 2) for _ in range(m)]
    pairs = best_assignment(scores, [1] * n, seats)
    assert sum(scores[i, j] for i, j in pairs) == pytest.approx(brute_force(scores, seats))
    assert all(sum(1 for _, j in pairs if j == k) <= seats[k] for k in range(m))


@pytest.mark.parametrize("seed", range(3))
def test_the_assignment_is_optimal_against_a_linear_program_on_large_instances(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 120, 50
    scores = (rng.random((n, m)) < 0.2) * rng.integers(1, 10, (n, m)).astype(float)
    seats = rng.integers(0, 4, m).tolist()
    pairs = best_assignment(scores, [1] * n, seats)
    # LP of the b-matching (integral for bipartite graphs): each mentee once, mentor seats.
    a_rows = np.zeros((n + m, n * m))
    for i in range(n):
        a_rows[i, i * m : (i + 1) * m] = 1
    for j in range(m):
        a_rows[n + j, j::m] = 1
    lp = linprog(-scores.ravel(), A_ub=a_rows, b_ub=[1] * n + seats, bounds=(0, 1), method="highs")
    assert lp.status == 0
    assert sum(scores[i, j] for i, j in pairs) == pytest.approx(-lp.fun)


@pytest.mark.parametrize("seed", range(10))
def test_the_stable_matching_has_no_blocking_pair(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 30, 12
    scores = (rng.random((n, m)) < 0.4) * rng.random((n, m))
    seats = rng.integers(1, 3, m).tolist()
    pairs = stable_assignment(scores, [1] * n, seats)
    mentor_of = dict(pairs)
    held = {j: [i for i, k in pairs if k == j] for j in range(m)}
    for i in range(n):
        for j in range(m):
            if scores[i, j] <= 0 or mentor_of.get(i) == j:
                continue
            mentee_prefers = i not in mentor_of or scores[i, j] > scores[i, mentor_of[i]]
            mentor_would = len(held[j]) < seats[j] or any(
                scores[i, j] > scores[k, j] for k in held[j]
            )
            assert not (mentee_prefers and mentor_would), (i, j)


def test_the_proposal_reports_how_the_stable_matching_differs() -> None:
    sam = mentee(10, "Sam", wants=["software in healthcare data"])
    jo = mentee(11, "Jo", wants=["software finance"])
    proposal = propose([sam, jo], [TOM, ANA], DEFAULT_WEIGHTS)
    assert proposal.stable_total <= proposal.total + 1e-9
    assert proposal.stable_matched == 2


def dense_optimum(scores: np.ndarray, seats: list[int]) -> float:
    """The optimum by scipy's dense assignment over every seat (the former solver)."""
    from scipy.optimize import linear_sum_assignment

    columns = np.repeat(np.arange(len(seats)), seats)
    rows, chosen = linear_sum_assignment(-scores[:, columns])
    return float(scores[rows, columns[chosen]].sum())


@pytest.mark.parametrize("seed", range(4))
def test_the_sparse_assignment_equals_the_dense_optimum_with_many_equal_scores(seed: int) -> None:
    # Few distinct scores, every pair scores something, mentors most mentees want most are
    # few: each mentee's first candidates are not enough, the duals must add the rest.
    rng = np.random.default_rng(seed)
    n, m = 600, 250
    scores = rng.integers(1, 4, (n, m)).astype(np.float32) / 2
    scores[:, :10] += 2  # ten mentors everyone prefers
    seats = rng.integers(1, 4, m).tolist()
    pairs = best_assignment(scores, [1] * n, seats)
    assert len({i for i, _ in pairs}) == len(pairs)
    assert all(sum(1 for _, j in pairs if j == k) <= seats[k] for k in range(m))
    assert sum(float(scores[i, j]) for i, j in pairs) == pytest.approx(dense_optimum(scores, seats))


def test_a_proposals_reasons_are_told_in_words_not_the_matchers_keys() -> None:
    from mentormail.workflows.exceptions import UnknownValue
    from mentormail.workflows.pairing import reason_in_words

    assert reason_in_words("major: engineering", "Zoe", True) == (
        "the same field of study: engineering"
    )
    assert reason_in_words("major: payments", "Zoe", False, "team") == "the same team: payments"
    assert reason_in_words("wants: fintech, software", "Zoe", True) == (
        "fintech, software: what you're looking for"
    )
    assert reason_in_words("wants: fintech", "Zoe", False) == "fintech: what Zoe is looking for"
    assert reason_in_words("preferred", "Zoe", False) == "one of you asked for the other"
    with pytest.raises(UnknownValue):
        reason_in_words("shoe size: 42", "Zoe", True)


def test_the_reasons_quote_what_people_wrote_in_their_order_and_case() -> None:
    lena = mentee(
        11, "Lena", major=["Mechanical Engineering"], interests=["CAD, design, leadership"]
    )
    juergen = mentor(4, "Juergen", major=["Engineering (mechanical)"],
                     interests=["leadership", "design", "CAD"])  # fmt: skip
    [pair] = propose([lena], [juergen], DEFAULT_WEIGHTS).pairs
    assert "major: Mechanical Engineering" in pair.reasons
    assert "interests: CAD, design, leadership" in pair.reasons
    partly = mentee(12, "Noa", interests=["CAD and robotics"])
    [pair] = propose([partly], [juergen], DEFAULT_WEIGHTS).pairs
    assert pair.reasons == ("interests: CAD",)
