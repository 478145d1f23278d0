"""A long-running worker's set-up kept out of the garbage collector's full passes.

What a worker builds once and keeps (modules, compiled templates and statements, the
reader's model, a program's search index) is most of the objects it tracks: some 240,000
once warm, which every full collection walks again (about 140 ms each, once every few hundred
replies). ``gc.freeze`` moves what is alive to a generation the collector never walks; the
worker does so after the first job of each kind it runs, when that kind's caches are built.
"""

from __future__ import annotations

import gc

_SETTLED: set[str] = set()  # the kinds of job after which this process froze what it held


def settle() -> None:
    """Collect what is garbage now, then keep every object still alive out of later
    collections (what of it dies later stays allocated: a one-time, bounded cost)."""
    gc.collect()
    gc.freeze()


def settle_after(kind: str) -> None:
    """Settle once per kind of job (the first of each kind builds that kind's caches)."""
    if kind not in _SETTLED:
        _SETTLED.add(kind)
        settle()
