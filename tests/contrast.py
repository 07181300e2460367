"""Text contrast read from an SVG screenshot, as a user sees the screen.

Textual's ``export_screenshot`` goes through Rich's ``export_svg``: every run of
cells with a background is a ``<rect fill=…>`` and every run of text a ``<text
class=…>`` whose class gives its ``fill``.  Rich has already turned reverse and
dim into colours there, so the SVG holds the colours a terminal would show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from html import unescape

# Rich's export_svg geometry (char_height 20, font_aspect_ratio 0.61, line_height 1.22 × height)
CHAR_WIDTH = 20 * 0.61
LINE_HEIGHT = 20 * 1.22
CHAR_HEIGHT = 20

_RECT = re.compile(r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+"')
_TEXT = re.compile(r'<text class="([\w-]+)" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+" [^>]*>([^<]*)</text>')
_CLASS = re.compile(r"\.([\w-]+) \{ ?fill: (#[0-9a-fA-F]{6})")
# The terminal window rich draws around the screen, and its clip rects, precede the first line.
_SCREEN_START = '<g transform="translate(9, 41)"'


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    col: int
    char: str
    fg: str
    bg: str

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)


@cache  # a screen holds a few dozen colours, and 19 themes x 3,000 cells ask for them
def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_text(char: str) -> bool:
    """Letters, digits, punctuation and symbols; not box drawing, blocks (borders, scroll bars) or spaces."""
    if char.isspace() or 0x2500 <= ord(char) <= 0x259F:
        return False
    return unicodedata.category(char)[0] in "LNPS"


def text_cells(svg: str) -> list[Cell]:
    """Every text cell of the screenshot with the colour of its text and of what is behind it."""
    fills = dict(_CLASS.findall(svg))
    body = svg[svg.index(_SCREEN_START) :]
    backgrounds: dict[tuple[int, int], str] = {}
    for fill, x, y, width in _RECT.findall(body):
        row = round((float(y) - 1.5) / LINE_HEIGHT)
        first = round(float(x) / CHAR_WIDTH)
        for col in range(first, first + round(float(width) / CHAR_WIDTH)):
            backgrounds[(row, col)] = fill
    cells = []
    for cls, x, y, text in _TEXT.findall(body):
        row = round((float(y) - CHAR_HEIGHT) / LINE_HEIGHT)
        col = round(float(x) / CHAR_WIDTH)
        fg = fills[cls]
        for i, char in enumerate(unescape(text).replace("\xa0", " ")):
            if is_text(char):
                bg = backgrounds.get((row, col + i))
                if bg is None:
                    raise AssertionError(f"no background under {char!r} at row {row}, column {col + i}")
                cells.append(Cell(row, col + i, char, fg, bg))
    return cells


def screen_rows(svg: str) -> dict[int, str]:
    """The screenshot's text, row by row (for messages)."""
    rows: dict[int, dict[int, str]] = {}
    body = svg[svg.index(_SCREEN_START) :]
    for _cls, x, y, text in _TEXT.findall(body):
        row = round((float(y) - CHAR_HEIGHT) / LINE_HEIGHT)
        col = round(float(x) / CHAR_WIDTH)
        for i, char in enumerate(unescape(text).replace("\xa0", " ")):
            rows.setdefault(row, {})[col + i] = char
    return {r: "".join(cols.get(c, " ") for c in range(max(cols) + 1)) for r, cols in rows.items()}


def poor_contrast(cells: list[Cell], minimum: float = 4.5) -> list[Cell]:
    return [cell for cell in cells if cell.ratio < minimum]
