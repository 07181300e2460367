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
    # drawn before each line after the first (the quote bars go on; a bullet does not)
    continuation: str = ""

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
    for bi in range(len(doc.blocks)):
        layout = block_layout(doc, bi, len(all_refs))
        all_refs.extend(layout.refs)
        layouts.append(layout)
    return layouts, all_refs


def block_layout(doc: Document, bi: int, first_ref: int) -> BlockLayout:
    """Block ``bi``'s display text; its markers are numbered in reading order from ``first_ref``."""
    block = doc.blocks[bi]
    prefix, continuation = nesting_prefix(block)
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
        places.append(RefPlace(first_ref + len(places), bi, ref.key, ref.label, disp_start, disp_start + len(label)))
    pieces.append(block.text[last:])
    return BlockLayout(bi, "".join(pieces), len(prefix), insert_at, insert_len, places, continuation)


def nesting_prefix(block: Block) -> tuple[str, str]:
    """What stands before a block's first line and before its other lines: a bar for each
    block quote around it and two columns for each list item, outermost first, the item's
    own bullet last ("│ │ " for a quote in a quote, "  │ " for a quote in an item)."""
    bullet = (block.marker if block.marker and block.marker not in "-*+" else "•") + " "
    if not block.nesting or block.kind in (CODE, TABLE):
        if block.kind == LIST_ITEM:
            return bullet, " " * len(bullet)
        if block.kind == QUOTE:
            return "│ ", "│ "
        return "", ""
    first: list[str] = []
    rest: list[str] = []
    for i, container in enumerate(block.nesting):
        if container == ">":
            first.append("│ ")
            rest.append("│ ")
        elif i == len(block.nesting) - 1 and block.kind == LIST_ITEM:
            first.append(bullet)
            rest.append(" " * len(bullet))
        else:
            first.append("  ")
            rest.append("  ")
    return "".join(first), "".join(rest)


def wrap_blocks(
    doc: Document,
    layouts: list[BlockLayout],
    width: int,
    lines: list[Line],
    table: Callable[[BlockLayout, Block, int], list[Line]],
) -> dict[int, int]:
    """The blocks' lines at ``width``, each after a blank line, appended to ``lines``; the first
    line of each block.  (The reader lays them out lazily, block by block: ``article_lazy``.)"""
    first_line: dict[int, int] = {}
    for layout in layouts:
        lines.append(Line(-1, 0, 0))
        first_line[layout.block] = len(lines)
        lines.extend(wrap_block(doc, layout, width, table))
    return first_line


def wrap_block(
    doc: Document, layout: BlockLayout, width: int, table: Callable[[BlockLayout, Block, int], list[Line]]
) -> list[Line]:
    """One block's lines at ``width``.  A table with rows is drawn by ``table`` (it needs the styles)."""
    block = doc.blocks[layout.block]
    plain = layout.plain
    if block.kind == TABLE and block.rows:
        return table(layout, block, width)
    lines: list[Line] = []
    if block.kind in (CODE, TABLE):
        pos = 0
        for raw in plain.split("\n"):
            for a, b in hard_wrap(raw, width - 2):
                lines.append(Line(layout.block, pos + a, pos + b, 2))
            pos += len(raw) + 1
        return lines
    indent = layout.prefix_len
    pos = 0
    for piece in plain.split("\n"):  # a poem or an address keeps its lines
        for a, b in word_wrap(piece, width, indent):
            lines.append(Line(layout.block, pos + a, pos + b, indent if pos + a > 0 else 0))
        pos += len(piece) + 1
    return lines


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


def line_source(doc: Document, layout: BlockLayout, line: Line, *, last: bool = False) -> int:
    """The source offset of a text line's first (or ``last``) character (``layout``: its block's)."""
    block = doc.blocks[line.block]
    char = layout.char(max(line.start, line.end - 1) if last else line.start)
    return block.content.to_source(min(char, max(0, len(block.text) - 1)))
