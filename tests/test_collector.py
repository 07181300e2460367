"""The cycle collector is off during a parse and back on after it, as it was."""

from __future__ import annotations

import gc
from pathlib import Path

from tuireader.core.collector import without_cycle_collection
from tuireader.core.parse import parse_text


def test_collection_off_during_and_restored_after():
    seen = []

    @without_cycle_collection
    def probe():
        seen.append(gc.isenabled())
        raise ValueError("a parse that fails")

    assert gc.isenabled()
    try:
        probe()
    except ValueError:
        pass
    assert seen == [False] and gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    try:
        parse_text("Title\n\nText.\n", path=Path("a.md"), fmt="markdown")
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cycle collector frees it


def test_what_was_set_aside_and_died_in_a_cycle_since_is_collected_at_the_next_set_aside():
    import gc
    import weakref

    from tuireader.core.collector import set_aside_live_objects

    node = _Node()
    gone = weakref.ref(node)
    try:
        set_aside_live_objects()  # the node is alive: set aside with the rest
        del node
        gc.collect()
        assert gone() is not None  # frozen: a full collection does not reach it
        set_aside_live_objects()
        assert gone() is None  # with gc.freeze() alone it would be kept for good
    finally:
        gc.unfreeze()
