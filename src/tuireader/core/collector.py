"""Python's cycle collector held off: while parsing, and from a large catalog.

A parse allocates hundreds of thousands of small objects (segments, edits, spans) that
live until the document is built and hold no reference cycles.  Each allocation burst
makes the collector walk every object still alive, so on a large document a third of
the parse was spent in collections that found nothing (issue #18, 1 MB of code spans
and links: 1.5 s instead of 1.2 s of CPU).  Cycles made meanwhile are collected once the
parse is done, when collection is back on.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_cycle_collection(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with the cycle collector off, restoring it after (when it was on:
    a parse inside another, or in a second thread, leaves it to the outer one)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


def set_aside_live_objects() -> None:
    """``gc.freeze()`` what is alive now, so the collector's full passes stop walking it (a large
    catalog made each ~100 ms, a stall of whatever key it fell on) -- after one collection of
    what an earlier call set aside: a frozen object that has died in a cycle since (a closed
    document's widgets) is never collected otherwise, and each refresh of the catalog would
    keep more.  That collection walks everything once, at the refresh, not at a key."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
