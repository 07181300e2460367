"""Bars drawn with block characters: a document's date or period on a time axis, and a count as a bar.

Own block characters rather than a plotting widget (textual-plotext + plotext: 3 MB installed, a
pin on plotext < 6, and its bars are whole cells drawn on its own canvas): a period is a run of
full cells, a count bar ends in an eighth block (``▏`` … ``▉``), so a bar's length is exact to
1/8 of a cell, and every row stays one line of text that an OptionList can scroll and highlight.

Colours: the Okabe-Ito palette (safe for the common colour-vision deficiencies), used for
blocks only; the group of a bar is also written in words, so colour never carries meaning alone.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

# Okabe & Ito (2008), without its yellow and black: yellow vanishes on light themes, black on dark ones.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"


class DayScale:
    """Days from ``first`` to ``last`` laid over ``width`` cells."""

    def __init__(self, first: dt.date, last: dt.date, width: int) -> None:
        self.first = first
        self.days = max(1, (last - first).days + 1)
        self.width = max(1, width)

    def column(self, day: dt.date) -> int:
        offset = (day - self.first).days
        return min(self.width - 1, max(0, offset * self.width // self.days))

    def span(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """Cells [a, b) a period covers: at least one."""
        a = self.column(start)
        b = max(a + 1, min(self.width, ((end - self.first).days + 1) * self.width // self.days))
        return a, b


def period_bar(scale: DayScale, start: dt.date, end: dt.date, colour: str) -> Text:
    a, b = scale.span(start, end)
    text = Text(" " * a, end="")
    text.append(FULL * (b - a), style=colour)
    text.append(" " * (scale.width - b))
    return text


def axis(scale: DayScale) -> Text:
    """Tick labels over the bar area: months when the span is long, else Mondays ("Jan 3")."""
    line = [" "] * scale.width
    last = scale.first + dt.timedelta(days=scale.days - 1)
    ticks: list[tuple[dt.date, str]] = []
    if scale.days > 120:
        day = scale.first.replace(day=1)
        while day <= last:
            label = day.strftime("%b") if day.month != 1 else day.strftime("%Y")
            ticks.append((day, label))
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    else:
        step = 7 if scale.days > 21 else 1
        day = scale.first - dt.timedelta(days=scale.first.weekday()) if step == 7 else scale.first
        while day <= last:
            ticks.append((day, f"{day.strftime('%b')} {day.day}"))
            day += dt.timedelta(days=step)
    # The first day, with its year, when the first tick leaves room for it.
    first_label = f"{scale.first.strftime('%b')} {scale.first.day} {scale.first.year}"
    ticks = [t for t in ticks if t[0] > scale.first]
    room = scale.column(ticks[0][0]) - 1 if ticks else scale.width
    if room <= len(first_label):
        first_label = f"{scale.first.strftime('%b')} {scale.first.day}"
    if room > len(first_label):
        ticks.insert(0, (scale.first, first_label))
    free_from = 0
    for day, label in ticks:
        if day < scale.first:
            continue
        col = scale.column(day)
        if col < free_from or col + len(label) + 1 > scale.width:
            continue
        line[col] = "╵"
        for i, ch in enumerate(label):
            line[col + 1 + i] = ch
        free_from = col + len(label) + 2
    return Text("".join(line), end="")


def count_bar(count: int, most: int, width: int) -> str:
    """A bar of ``count`` out of ``most`` over ``width`` cells, exact to an eighth of a cell."""
    if most <= 0 or count <= 0:
        return ""
    eighths = max(1, round(8 * width * count / most))
    return FULL * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, padded to it."""
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)
