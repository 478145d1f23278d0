"""The reader on replies its rules were never shown (tests/fixtures/independent_replies).

Figures are printed per context and language at the end of the run (see conftest.py).
The held-back part is only ever reported in aggregate: no per-item output.

BASELINE (before any rule was changed for this set), dev part: intent 66.8%, 44 wrong
actions, 84 replies asking "did you mean"; extraction 100% lenient, 91.8% exact.
After reading by clause: dev 97.8%, 0 wrong actions, 61 asking; held (run once) 68.2%,
15 wrong actions, 45 asking.
"""

from __future__ import annotations

import pytest

from tests.unit.inbound.independent_set import figures, load, scored

# BASELINE floors, measured before the rules changed; raised as the reader improves.
# dev measured 97.8% and held 68.2% (run once) after the clause reading; the target is 95%.
INTENT_FLOOR = {"dev": 0.96, "held": 0.66}
LENIENT_FLOOR = 0.98


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


def test_held_back_part_in_aggregate() -> None:
    f = figures(scored("held"))  # aggregate only: never print per-item results
    assert f.intent >= INTENT_FLOOR["held"]
    assert f.lenient >= LENIENT_FLOOR


@pytest.mark.xfail(
    reason="KNOWN, NOT MET: 15 wrong actions on the held-back part (measured once, at the end "
    "of the clause-reading change); the rules fit the development part better than new replies",
    strict=True,
)
def test_no_wrong_action_on_the_held_back_part() -> None:
    f = figures(scored("held"))  # aggregate only
    assert f.wrong == 0, f"{f.wrong} wrong actions on the held-back part"
