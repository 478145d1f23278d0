"""Time and peak memory of matching by the program (`match --preview`) at two sizes.

Usage: .venv/bin/python benchmarks/matching.py [--sizes 1000x500,10000x5000] [--seed S]

Each size runs in its own process so its peak memory (ru_maxrss) is its own: realistic
profiles are generated (professions, industries, majors, interests, goals, wants,
locations, languages, meeting times, a few prefer/avoid lists; mentors take 1 to 3
mentees), then the whole proposal is computed: scores for every pair, the optimal
assignment and the stable matching beside it. Then the assignment step alone is timed
again (the sparse solver with its duality certificate), and, after the peak memory is
read, the former dense solver (scipy's linear_sum_assignment over every seat) on the
same matrix, for comparison (`--no-dense` skips it). Targets (issue 8): the larger size
under 30 s and 2 GiB on this machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROFESSIONS = (
    "Software Engineer, Data Scientist, Nurse Practitioner, Product Manager, Accountant, "
    "Civil Engineer, Teacher, Lawyer, Marketing Manager, Financial Analyst, UX Designer, "
    "Physician, Pharmacist, Journalist, Architect, Consultant, Biologist, Economist, "
    "Social Worker, HR Manager, Mechanical Engineer, Research Scientist, Sales Director"
).split(", ")
INDUSTRIES = (
    "Finance, Healthcare, Technology, Education, Law, Consumer Goods, Government, Media, "
    "Energy, Construction, Nonprofit, Pharmaceuticals, Retail, Manufacturing, Consulting"
).split(", ")
MAJORS = (
    "Computer Science, Statistics, Nursing, Economics, Accounting, Civil Engineering, "
    "History, Law, Marketing, Finance, Design, Biology, Chemistry, Journalism, Psychology"
).split(", ")
INTERESTS = (
    "machine learning, public health, backend systems, interviewing, startups, product "
    "management, clinical practice, graduate school, tax, auditing, bridges, curriculum, "
    "litigation, brand strategy, investing, user research, surgery, drug discovery, "
    "investigative reporting, sustainable design, strategy, genetics, policy, counselling, "
    "recruiting, robotics, climate, fintech, data visualisation, negotiation, leadership"
).split(", ")
CITIES = "London, Boston, Lagos, Mumbai, Toronto, Berlin, Madrid, Seoul, Austin, Paris".split(", ")
LANGUAGES = "English, Spanish, French, German, Portuguese, Chinese".split(", ")
TIMES = "evenings, weekends, weekday mornings, lunchtimes".split(", ")


def profiles(mentees: int, mentors: int, seed: int) -> tuple[list, list]:  # type: ignore[type-arg]
    """Generated people for both sides, as the matcher sees them."""
    from mentormail.workflows.pairing import Person

    rng = random.Random(seed)

    def person(pid: int, role: str, seats: int) -> Person:
        interests = rng.sample(INTERESTS, rng.randint(1, 4))
        fields = {
            "major": [rng.choice(MAJORS)],
            "interests": interests,
            "location": [rng.choice(CITIES)],
            "languages": ["English", *rng.sample(LANGUAGES[1:], rng.randint(0, 1))],
            "availability": rng.sample(TIMES, rng.randint(1, 2)),
        }
        if role == "mentor":
            fields["profession"] = [rng.choice(PROFESSIONS)]
            fields["industry"] = [rng.choice(INDUSTRIES)]
        else:
            fields["wants"] = [rng.choice(PROFESSIONS), rng.choice(INDUSTRIES)]
            fields["goals"] = [f"Get into {rng.choice(INTERESTS)} in {rng.choice(INDUSTRIES)}"]
        return Person(pid, f"{role}{pid}@example.org", f"{role.title()} {pid}", seats, fields)

    mentee_list = [person(i, "mentee", 1) for i in range(mentees)]
    mentor_list = [person(mentees + j, "mentor", rng.randint(1, 3)) for j in range(mentors)]
    return mentee_list, mentor_list


def measure(mentees: int, mentors: int, seed: int, dense: bool = True) -> dict[str, float]:
    """One size, in this process: whole proposal, the assignment step alone, the former
    dense solver (after the peak memory is read, so it does not count)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from mentormail.workflows.pairing import best_assignment, propose, score_matrix
    from mentormail.workflows.pairing_rules import DEFAULT_WEIGHTS

    people, offered = profiles(mentees, mentors, seed)
    start = time.perf_counter()
    proposal = propose(people, offered, DEFAULT_WEIGHTS)
    whole = time.perf_counter() - start
    scores = score_matrix(people, offered, DEFAULT_WEIGHTS)
    seats = [m.seats for m in offered]
    start = time.perf_counter()
    pairs = best_assignment(scores, [1] * len(people), seats)
    assignment = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dense_seconds, dense_total = float("nan"), float("nan")
    if dense:
        start = time.perf_counter()
        columns = np.repeat(np.arange(len(seats)), seats)
        costs = np.negative(scores[:, columns], dtype=np.float64)
        rows, chosen = linear_sum_assignment(costs)
        dense_seconds = time.perf_counter() - start
        dense_total = float(-costs[rows, chosen].sum())
    return {
        "seconds": whole,
        "assignment_seconds": assignment,
        "dense_seconds": dense_seconds,
        "total": float(sum(float(scores[i, j]) for i, j in pairs)),
        "dense_total": dense_total,
        "peak_mib": peak,
        "pairs": len(proposal.pairs),
        "unmatched": len(proposal.unmatched),
        "stable_gap": proposal.total - proposal.stable_total,
    }


def run_size(size: str, seed: int, dense: bool = False) -> dict[str, float]:
    """One size in a child process (so its peak memory is its own)."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", size, "--seed", str(seed)]
        + ([] if dense else ["--no-dense"]),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def bench(scale: float = 1.0) -> list[dict[str, str]]:
    """Rows for benchmarks/run.py: the two sizes (a tenth of each for a quick check)."""
    rows = []
    for mentees, mentors in ((1000, 500), (10000, 5000)):
        size = f"{max(10, int(mentees * scale))}x{max(5, int(mentors * scale))}"
        r = run_size(size, 7)
        rows.append(
            {
                "what": f"match --preview, {size.replace('x', ' × ')} mentees × mentors",
                "ours": f"{r['seconds']:.2f} s, {r['peak_mib']:.0f} MiB",
                "baseline": f"assignment alone {r['assignment_seconds']:.2f} s",
                "ratio": f"{r['seconds'] / max(r['assignment_seconds'], 1e-9):.1f}×",
                "target": "< 30 s, < 2 GiB at 10,000 × 5,000",
            }
        )
    return rows


def main() -> None:
    """Each size in a child process; one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000x500,10000x5000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-dense", action="store_true", help="Skip the former dense solver.")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        mentees, mentors = (int(n) for n in args.one.split("x"))
        print(json.dumps(measure(mentees, mentors, args.seed, not args.no_dense)))
        return
    print(
        "mentees × mentors | proposal s | assignment alone s | former dense s | total (dense)"
        " | peak MiB | pairs | unmatched | optimal − stable"
    )
    print("---|---|---|---|---|---|---|---|---")
    for size in args.sizes.split(","):
        r = run_size(size, args.seed, not args.no_dense)
        print(
            f"{size.replace('x', ' × ')} | {r['seconds']:.2f} | {r['assignment_seconds']:.2f} |"
            f" {r['dense_seconds']:.2f} | {r['total']:.2f} ({r['dense_total']:.2f}) |"
            f" {r['peak_mib']:.0f} | {r['pairs']} | {r['unmatched']} | {r['stable_gap']:.1f}"
        )


if __name__ == "__main__":
    main()
