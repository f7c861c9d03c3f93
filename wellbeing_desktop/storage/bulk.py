"""Bulk work (merging a bundle, making demo data): Python's cycle collector paused meanwhile."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector. Bulk work makes hundreds of thousands of new dicts, tuples
    and ids, none in a cycle, and the collector walked them all again and again: a third to
    half of the time reading a large bundle. Re-enabled afterwards unless it was already
    paused (by the caller, or by another thread's bulk work: then that one re-enables it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
