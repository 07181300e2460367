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
