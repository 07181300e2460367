"""A table block drawn as a grid that fits the reading column: columns share the width
(a column gets what its longest cell needs, the widest give way first), cells wrap at
words, the header row is set off by a rule.  Cells are slices of the block's styled
display text, so search hits, entities and note markers keep their styles."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

SEPARATOR = " │ "
_MIN_COLUMN = 4


def column_widths(natural: Sequence[int], available: int) -> list[int]:
    """Widths that fit ``available`` cells: the widest column narrows first, none below a
    few cells (then the line is wider than the column, and cropped)."""
    widths = [max(1, w) for w in natural]
    excess = sum(widths) - available
    while excess > 0:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= _MIN_COLUMN:
            break
        # narrow the widest to the next widest (or as far as needed), never below the minimum
        others = [w for i, w in enumerate(widths) if i != widest]
        target = max(max(others, default=0), widths[widest] - excess, _MIN_COLUMN)
        if target >= widths[widest]:
            target = widths[widest] - 1
        excess -= widths[widest] - target
        widths[widest] = target
    return widths


def wrap_cell(text: str, width: int) -> list[tuple[int, int]]:
    """[start, end) ranges of ``text`` of at most ``width`` cells, broken at spaces."""
    if not text:
        return [(0, 0)]
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        while start < n and text[start] == " ":
            start += 1
        if start >= n:
            break
        end = start
        used = 0
        last_space = -1
        while end < n:
            w = cell_len(text[end])
            if used + w > width:
                break
            if text[end] == " ":
                last_space = end
            used += w
            end += 1
        if end < n and text[end] != " " and last_space > start:
            end = last_space  # the line ends inside a word: break at the space before it
        end = max(end, start + 1)
        lines.append((start, end))
        start = end
    return lines or [(0, 0)]


def table_lines(
    text: Text,
    rows: list[list[tuple[int, int]]],
    display: Callable[[int], int],
    width: int,
    *,
    header_style: Style,
    rule_style: Style,
    header: bool = True,
) -> list[tuple[Text, int]]:
    """The grid's lines, each with the display position of its row's first cell (where a
    search for a position in the block lands)."""
    if not rows:
        return []
    columns = max(len(r) for r in rows)
    cells = [[(display(a), display(b)) for a, b in row] + [(0, 0)] * (columns - len(row)) for row in rows]
    natural = [0] * columns
    for row in cells:
        for c, (a, b) in enumerate(row):
            natural[c] = max(natural[c], cell_len(text.plain[a:b]))
    widths = column_widths(natural, max(columns, width - len(SEPARATOR) * (columns - 1)))
    out: list[tuple[Text, int]] = []
    for r, row in enumerate(cells):
        wrapped = [wrap_cell(text.plain[a:b], widths[c]) for c, (a, b) in enumerate(row)]
        for i in range(max(len(w) for w in wrapped)):
            line = Text(end="", no_wrap=True)
            for c, (a, _b) in enumerate(row):
                if c:
                    line.append(SEPARATOR, rule_style)
                if i < len(wrapped[c]):
                    s, e = wrapped[c][i]
                    piece = text[a + s : a + e]
                    piece.rstrip()
                else:
                    piece = Text("")
                if header and r == 0 and len(rows) > 1:
                    piece.stylize(header_style)
                line.append_text(piece)
                line.append(" " * max(0, widths[c] - piece.cell_len))
            line.rstrip()
            out.append((line, row[0][0]))
        if header and r == 0 and len(rows) > 1:
            rule = "─┼─".join("─" * w for w in widths)
            out.append((Text(rule, style=rule_style, end="", no_wrap=True), row[0][0]))
    return out
