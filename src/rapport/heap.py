"""Python's cycle collector, kept out of the way of work that builds objects in bulk.

A full collection looks at every container alive in the process.  Building
tens of thousands of small objects (the properties of a 5,000-entry calendar,
the rows of a 30,000-contact list) sets off collection after collection that
finds nothing to free, and each walks everything built so far.  Reference
counting frees what is dropped either way; only cycles wait for a collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a batch (an export, an import) without cycle collections.

    A third of the time of a 5,000-entry calendar export went to collections
    (bench/RESULTS.md).  Collection resumes afterwards, as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Collect once, then keep what is alive out of later collections' sight.

    For a long-running app that has just loaded a large network: later full
    collections look only at what came since (gc.freeze), instead of stalling
    typing for 60-120 ms at 30,000 contacts.  The cycles among frozen objects
    that become garbage are collected at the next settle (gc.unfreeze).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
