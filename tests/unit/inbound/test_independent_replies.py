"""The reader on replies its rules were never shown (tests/fixtures/independent_replies).

Figures are printed per context and language at the end of the run (see conftest.py).
The held-back part is only ever reported in aggregate: no per-item output.

BASELINE (before any rule was changed for this set), dev part r1+r2: intent 66.8%, 44 wrong
actions. The third round (r3, 134 dev + 66 held) arrived later: on it, the rules as they
then were read 66.4% right with 18 wrong actions. Now the reader is the rules plus a
second opinion that can only veto (intent_model); the model is fitted on the dev part, so
the dev figure here is in-sample for it: cross-validated (scripts/intent_cv.py, the model
never fitted on the fold it scores) the dev part reads 74.1% right with 0 wrong actions.
The held-back part (aggregate only), three runs: 60.6% / 14 wrong actions (veto added),
61.6% / 13 (rules generalised), 60.6% / 10 (as shipped); README "How replies are understood".
"""

from __future__ import annotations

import pytest

from mentormail.inbound.types import ACT_THRESHOLD
from tests.unit.inbound.independent_set import REPORTS, figures, load, scored

# Floors at the measured figures (dev in-sample 92.5%; held 60.6% on its third run).
INTENT_FLOOR = {"dev": 0.92, "held": 0.60}
LENIENT_FLOOR = 0.98
CROSS_VALIDATED_FLOOR = 0.73  # measured 74.1%


def test_the_set_has_every_context_and_six_languages() -> None:
    items = load("dev") + load("held")
    assert len(items) >= 400
    assert {i["context"] for i in items} == {
        c for c in ("request", "search", "general", "checkin", "survey", "wrapup")
    }
    assert {i["language"] for i in items} >= {"en", "es", "fr", "de", "pt", "zh"}


def test_no_wrong_action_on_the_development_part() -> None:
    wrong = [r.id for r in scored("dev") if r.wrong_action]
    assert not wrong, f"{len(wrong)} wrong actions: {wrong}"


def test_intent_accuracy_on_the_development_part() -> None:
    f = figures(scored("dev"))
    assert f.intent >= INTENT_FLOOR["dev"]
    assert f.lenient >= LENIENT_FLOOR


def test_cross_validated_development_part_has_no_wrong_action() -> None:
    from scripts.intent_cv import development_items, summary, with_veto

    items = development_items()
    rounds = sorted({it.round for it in items})
    folds = [[k for k, it in enumerate(items) if it.round == r] for r in rounds]
    got = summary(items, with_veto(items, folds), ACT_THRESHOLD)
    REPORTS["dev, cross-validated by round"] = (
        f"{got['correct']:.1%} correct, {got['wrong']} wrong actions, {got['asks']} ask "
        f"(n={got['n']}, threshold {ACT_THRESHOLD})"
    )
    assert got["wrong"] == 0
    assert got["correct"] >= CROSS_VALIDATED_FLOOR


def test_held_back_part_in_aggregate() -> None:
    f = figures(scored("held"))  # aggregate only: never print per-item results
    assert f.intent >= INTENT_FLOOR["held"]
    assert f.lenient >= LENIENT_FLOOR


@pytest.mark.xfail(
    reason="KNOWN, NOT MET: the held-back part still has wrong actions (10 on its third and "
    "last run, with the second opinion): readings the rules and the model agree on",
    strict=True,
)
def test_no_wrong_action_on_the_held_back_part() -> None:
    f = figures(scored("held"))  # aggregate only
    assert f.wrong == 0, f"{f.wrong} wrong actions on the held-back part"
