"""A worker settles once per kind of job: what is alive then is kept out of full collections."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from mentormail.service import settling


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process as it was: nothing frozen before or after, no kind settled."""
    gc.unfreeze()
    kinds = set(settling._SETTLED)
    settling._SETTLED.clear()
    yield
    gc.unfreeze()
    settling._SETTLED.clear()
    settling._SETTLED.update(kinds)


def test_settling_freezes_what_is_alive_once_per_kind(unfrozen: None) -> None:
    kept = [object() for _ in range(3)]  # alive, so frozen
    settling.settle_after("mentormail.app.jobs.process_inbound")
    frozen = gc.get_freeze_count()
    assert frozen > 0 and kept
    gc.unfreeze()
    settling.settle_after("mentormail.app.jobs.process_inbound")  # settled already: no freeze
    assert gc.get_freeze_count() == 0
    settling.settle_after("mentormail.app.jobs.send_outbound")  # a new kind: settles again
    assert gc.get_freeze_count() > 0


class _Node:
    """An object that can be in a cycle and be watched by a weak reference."""

    other: object = None


def test_garbage_is_collected_before_the_freeze(unfrozen: None) -> None:
    node = _Node()
    node.other = node  # a cycle: only a collection frees it
    watched = weakref.ref(node)
    del node
    settling.settle()
    assert watched() is None  # collected, not frozen
