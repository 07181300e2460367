"""The article's text laid out for a terminal: each block's display text (list prefixes,
footnote markers as superscripts) and its lines at a width, with the lookups between
lines, display positions, block characters and source offsets.  No Textual here: the
widget (``article.py``) draws these lines and handles the keys.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text

from ...core.footnotes import marker_pieces
from ...core.model import CODE, LIST_ITEM, QUOTE, TABLE, Block, Document
from .wrap import hard_wrap, word_wrap

_SUPERSCRIPT = str.maketrans("0123456789,-", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁻")


def marker_label(label: str) -> str:
    """How a footnote marker is shown: superscript digits, or [label] for named notes."""
    if label.replace(",", "").isdigit():
        return label.translate(_SUPERSCRIPT)
    return f"[{label}]"


@dataclass(slots=True)
class RefPlace:
    """One footnote marker as displayed."""

    index: int  # position in reading order
    block: int
    key: str
    label: str
    display_start: int
    display_end: int


@dataclass(slots=True)
class BlockLayout:
    block: int
    plain: str  # the display text (prefix + text with marker labels)
    prefix_len: int
    insert_at: list[int]  # block char positions where labels were inserted
    insert_len: list[int]  # cumulative label length inserted at or before each position
    refs: list[RefPlace] = field(default_factory=list)

    def display(self, char: int) -> int:
        """Display position of block character ``char``."""
        i = bisect_right(self.insert_at, char)
        return self.prefix_len + char + (self.insert_len[i - 1] if i else 0)

    def char(self, display: int) -> int:
        """Block character shown at display position ``display`` (a label maps to where it stands)."""
        pos = display - self.prefix_len
        before = 0  # label cells inserted before the current insertion point
        for at, cumulative in zip(self.insert_at, self.insert_len, strict=True):
            if pos < at + before:
                return max(0, pos - before)
            if pos < at + cumulative:
                return at
            before = cumulative
        return max(0, pos - before)


@dataclass(slots=True)
class Line:
    block: int  # -1: title block or blank line
    start: int  # display range in the block's text (or in ``text``)
    end: int
    indent: int = 0
    text: Text | None = None  # for title-block lines and a table's grid


def build_block_layouts(doc: Document) -> tuple[list[BlockLayout], list[RefPlace]]:
    """Each block's display text and the footnote markers in reading order."""
    layouts: list[BlockLayout] = []
    all_refs: list[RefPlace] = []
    for bi, block in enumerate(doc.blocks):
        if block.kind == LIST_ITEM:
            prefix = (block.marker if block.marker and block.marker not in "-*+" else "•") + " "
        elif block.kind == QUOTE:
            prefix = "│ "
        else:
            prefix = ""
        refs = sorted(block.refs, key=lambda r: r.at)
        insert_at: list[int] = []
        insert_len: list[int] = []
        pieces: list[str] = [prefix]
        last = 0
        total = 0
        places: list[RefPlace] = []
        shown = marker_pieces([(r.label, r.at, r.source_offset) for r in refs])
        for ref, (sep, bare) in zip(refs, shown, strict=True):
            # "²˒³" for [2, 3] and "³⁻⁵" for [3-5]: never "²³", read as note 23
            sep = sep.translate(_SUPERSCRIPT)
            label = marker_label(bare) if bare else ""
            pieces.append(block.text[last : ref.at])
            pieces.append(sep)
            total += len(sep)
            disp_start = len(prefix) + ref.at + total
            if not label:
                disp_start -= len(sep)  # a range's middle note is its dash
                label = sep
            else:
                pieces.append(label)
                total += len(label)
            if insert_at and insert_at[-1] == ref.at:
                insert_len[-1] = total
            else:
                insert_at.append(ref.at)
                insert_len.append(total)
            last = ref.at
            places.append(
                RefPlace(len(all_refs) + len(places), bi, ref.key, ref.label, disp_start, disp_start + len(label))
            )
        pieces.append(block.text[last:])
        all_refs.extend(places)
        layouts.append(BlockLayout(bi, "".join(pieces), len(prefix), insert_at, insert_len, places))
    return layouts, all_refs


def wrap_blocks(
    doc: Document,
    layouts: list[BlockLayout],
    width: int,
    lines: list[Line],
    table: Callable[[BlockLayout, Block, int], list[Line]],
) -> dict[int, int]:
    """The blocks' lines at ``width``, each after a blank line, appended to ``lines``; the first
    line of each block.  A table with rows is drawn by ``table`` (it needs the styles)."""
    first_line: dict[int, int] = {}
    for layout in layouts:
        lines.append(Line(-1, 0, 0))
        block = doc.blocks[layout.block]
        first_line[layout.block] = len(lines)
        plain = layout.plain
        if block.kind == TABLE and block.rows:
            lines.extend(table(layout, block, width))
            continue
        if block.kind in (CODE, TABLE):
            pos = 0
            for raw in plain.split("\n"):
                for a, b in hard_wrap(raw, width - 2):
                    lines.append(Line(layout.block, pos + a, pos + b, 2))
                pos += len(raw) + 1
            continue
        indent = layout.prefix_len
        pos = 0
        for piece in plain.split("\n"):  # a poem or an address keeps its lines
            for a, b in word_wrap(piece, width, indent):
                lines.append(Line(layout.block, pos + a, pos + b, indent if pos + a > 0 else 0))
            pos += len(piece) + 1
    return first_line


def line_of(lines: list[Line], first_line: dict[int, int], block: int, display: int) -> int:
    """The line showing display position ``display`` of ``block`` (0 for a block not laid out)."""
    first = first_line.get(block)
    if first is None:
        return 0
    i = first
    while i + 1 < len(lines) and lines[i + 1].block == block and lines[i + 1].start <= display:
        i += 1
    return i


def locate_source(doc: Document, offset: int) -> tuple[int, int] | None:
    """(block, char) showing source ``offset``: the block containing it, else the next one."""
    for bi, block in enumerate(doc.blocks):
        start, end = block.source_start, block.source_end
        if offset < start:
            return (bi, 0)
        if offset < end:
            pos = block.content.text_position(offset)
            return (bi, pos if pos is not None else 0)
    return None


def line_source(doc: Document, layouts: list[BlockLayout], line: Line, *, last: bool = False) -> int:
    """The source offset of a text line's first (or ``last``) character."""
    block = doc.blocks[line.block]
    char = layouts[line.block].char(max(line.start, line.end - 1) if last else line.start)
    return block.content.to_source(min(char, max(0, len(block.text) - 1)))
