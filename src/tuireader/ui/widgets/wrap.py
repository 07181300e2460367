"""Word wrapping in terminal cells, for the article and the notes panel (no Textual here).

Lines are [start, end) ranges of the text they wrap: the widgets keep their own text and
only ever slice it, so a range maps back to the document without a search.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len

_WORD = re.compile(r"[^ ]*( *)")  # a word and the spaces after it (group 1)


def word_wrap(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` into [start, end) ranges of at most ``width`` cells;
    continuation lines lose ``indent`` cells to a hanging indent."""
    if _all_narrow(text):
        return word_wrap_narrow(text, width, indent)
    return word_wrap_cells(text, width, indent)


# Characters known to take one cell each and never to join the next into one grapheme
# (grown as documents show them), and those known not to.
_NARROW: set[str] = {chr(c) for c in range(0x20, 0x7F)}
_NOT_NARROW: set[str] = set()
# Narrow on their own but joined into one wide grapheme with their neighbours.
_JOINING_RANGES = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF), (0x1F1E6, 0x1F1FF), (0x1F3FB, 0x1F3FF))


def _all_narrow(text: str) -> bool:
    """Whether each character of ``text`` is one cell on its own (letters, digits, punctuation,
    symbols and spaces; no combining marks, joiners, controls or wide characters)."""
    chars = set(text)
    if chars <= _NARROW:
        return True
    for ch in chars - _NARROW:
        if ch in _NOT_NARROW:
            return False
        cp = ord(ch)
        alone = (unicodedata.category(ch)[0] in "LNPS" or unicodedata.category(ch) == "Zs") and not any(
            a <= cp <= b for a, b in _JOINING_RANGES
        )
        if alone and cell_len(ch) == 1:
            _NARROW.add(ch)
        else:
            _NOT_NARROW.add(ch)
            return False
    return True


def word_wrap_narrow(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """``word_wrap`` for text of narrow characters, one cell each: the same lines, found
    without measuring each word (measuring was most of laying out 100,000 notes)."""
    lines: list[tuple[int, int]] = []
    col = 0
    limit = width
    line_start = 0
    n = len(text)
    for match in _WORD.finditer(text):
        pos, end = match.span()
        if pos == n:
            break
        word_end = match.start(1)
        w = word_end - pos
        if col and col + w > limit:
            lines.append((line_start, pos))
            line_start = pos
            col = 0
            limit = width - indent
        while w > limit:  # a word longer than the line: break it
            cut = pos + max(limit, 1)
            lines.append((line_start, cut))
            line_start = pos = cut
            w = word_end - pos
            col = 0
            limit = width - indent
        col += w + (end - word_end)
    if line_start < n or not lines:
        lines.append((line_start, n))
    return lines


def word_wrap_cells(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """``word_wrap`` for any text: each word measured in terminal cells."""
    lines: list[tuple[int, int]] = []
    col = 0
    limit = width
    pos = 0
    n = len(text)
    line_start = 0
    while pos < n:
        # next word with its trailing spaces
        end = pos
        while end < n and text[end] != " ":
            end += 1
        word_end = end
        while end < n and text[end] == " ":
            end += 1
        w = cell_len(text[pos:word_end])
        if col and col + w > limit:
            lines.append((line_start, pos))
            line_start = pos
            col = 0
            limit = width - indent
        while w > limit:  # a word longer than the line: break it
            cut = pos
            used = 0
            while cut < word_end and used + cell_len(text[cut]) <= limit:
                used += cell_len(text[cut])
                cut += 1
            cut = max(cut, pos + 1)
            lines.append((line_start, cut))
            line_start = pos = cut
            w = cell_len(text[pos:word_end])
            col = 0
            limit = width - indent
        col += w + (end - word_end)
        pos = end
    if line_start < n or not lines:
        lines.append((line_start, n))
    return lines


def hard_wrap(text: str, width: int) -> list[tuple[int, int]]:
    if not text:
        return [(0, 0)]
    out = []
    start = 0
    while start < len(text):
        end = start
        used = 0
        while end < len(text) and used + cell_len(text[end]) <= width:
            used += cell_len(text[end])
            end += 1
        end = max(end, start + 1)
        out.append((start, end))
        start = end
    return out


def wrap_plain(text: str, width: int) -> list[str]:
    return [text[a:b].rstrip() for a, b in word_wrap(text, width, 0)] or [""]
