"""The build's progress line: documents done, documents a second and the time left."""

from __future__ import annotations

import io

from tuireader.catalog.progress import Rate, duration
from tuireader.cli import commands


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_and_the_time_left_count_from_the_first_document_of_this_run():
    clock = Clock()
    rate = Rate(clock)
    assert rate.describe(1200, 3000) == "1,200/3,000"  # a resumed build: 1,200 were done before
    clock.now += 0.5
    assert rate.describe(1210, 3000) == "1,210/3,000"  # under a second: no estimate yet
    clock.now += 19.5
    # 800 in 20 s: 40 a second; 1,000 left: 25 s
    assert rate.describe(2000, 3000) == "2,000/3,000 · 40 docs/s · 0:25 left"
    clock.now += 10
    assert rate.describe(3000, 3000) == "3,000/3,000 · 60 docs/s"


def test_a_slow_rate_keeps_a_decimal_and_long_waits_read_in_hours():
    clock = Clock()
    rate = Rate(clock)
    rate.describe(0, 100_000)
    clock.now += 10
    assert rate.describe(25, 100_000) == "25/100,000 · 2.5 docs/s · 11:06:30 left"  # 99,975 / 2.5 s
    assert duration(59.6) == "1:00"
    assert duration(3600) == "1:00:00"


def test_the_cli_bar_shows_the_rate_and_rubs_out_a_longer_line(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(commands.sys, "stderr", err)
    clock = Clock()
    bar = commands._ProgressBar("indexing")
    bar.enabled = True
    bar.rate = Rate(clock)
    bar(0, 10)
    clock.now += 5
    bar(5, 10)
    lines = err.getvalue().split("\r")[1:]
    assert lines[0] == "indexing [..............................] 0/10"
    assert lines[1] == "indexing [###############...............] 5/10 · 1.0 docs/s · 0:05 left"
    bar.finish()
    assert err.getvalue().endswith("\r" + " " * len(lines[1]) + "\r")
