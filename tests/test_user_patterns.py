"""Boilerplate patterns from a library's settings: linear time, and a bad one is a message."""

from __future__ import annotations

import os
import subprocess
import sys

from tuireader.core.clean import DEFAULT_BOILERPLATE, BoilerplateMatcher
from tuireader.core.library import Library

from .conftest import write


def test_a_backtracking_pattern_answers_at_once():
    matcher = BoilerplateMatcher(["re:(a+)+$"])
    # Python's engine takes seconds here, doubling with each extra letter (28 letters: 47 s).
    assert not matcher.matches("a" * 5000 + "b")
    assert matcher.matches("aaaa")


def test_patterns_ignore_case_as_before():
    matcher = BoilerplateMatcher(DEFAULT_BOILERPLATE)
    assert matcher.matches("12 Comments")
    assert matcher.matches("Copyright 2022 Foo Ltd. All rights reserved.")
    assert not matcher.matches("Comments on the treaty were many and varied")


def test_an_invalid_pattern_is_left_out_with_a_message():
    matcher = BoilerplateMatcher(["re:(", "re:(a)\\1", "Share this"])
    assert len(matcher.problems) == 2
    assert "re:(" in matcher.problems[0] and "missing )" in matcher.problems[0]
    assert matcher.matches("Share this")  # the rest still works


def test_a_library_with_a_bad_pattern_still_reads_and_says_so(tmp_path):
    write(tmp_path / "tuireader.yaml", 'boilerplate:\n  - "re:("\n')
    write(tmp_path / "a.txt", "A title\n\nSome text.\n")
    library = Library(tmp_path)
    assert any("missing )" in w for w in library.settings.warnings)
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-m", "tuireader", "check", "--library", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0 and "a\tA title" in out.stdout
    assert "missing )" in out.stderr and "Traceback" not in out.stderr and "re2.cc" not in out.stderr


async def test_the_reader_keeps_its_problems_for_the_palette(tmp_path):
    from tuireader.ui.app import build_app

    from .contrast import screen_rows

    lib = tmp_path / "lib"
    write(lib / "tuireader.yaml", 'boilerplate:\n  - "re:("\n')
    write(lib / "a.txt", "A title\n\nSome text.\n")
    app = build_app(library_dir=lib, index_dir=tmp_path / "index", open_doc="a")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        for _ in range(3):
            await pilot.pause()
        assert "missing )" in "\n".join(screen_rows(app.export_screenshot()).values())  # said at start
        app.clear_notifications()  # the toast has gone, as it does after ten seconds
        await pilot.pause()
        assert "missing )" not in "\n".join(screen_rows(app.export_screenshot()).values())
        await pilot.press("ctrl+p", *"Problems")
        for _ in range(3):  # the palette searches in a task of its own
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shown = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "Problems" in shown and "missing )" in shown
