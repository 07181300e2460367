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
