"""The article's lines, made block by block when first needed (no Textual here).

Laying out a report of 20,000 paragraphs and 100,000 markers at each open and each new
width took seconds on the UI thread.  Here a block's display text (``BlockLayouts``) and
its lines (``LazyLines``) are made the first time the view draws, scrolls to or asks about
that block; every other block counts with an estimate of its height.  A block's lines are
those ``wrap_block`` gives, so what is drawn is the full layout's; only the line numbers
below a block move when its estimate is corrected, and ``on_moved`` tells the view, which
keeps what is on screen in place.  Per-chunk sums keep "which block is on line y" and
"where does block b start" fast, as in ``notes_layout``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator

from ...core.model import CODE, TABLE, Block, Document
from .article_layout import BlockLayout, Line, RefPlace, block_layout, wrap_block

CHUNK = 256  # blocks per partial sum
WRAPPED_BLOCKS_KEPT = 2048  # blocks whose lines are kept; others are wrapped again when next needed
EXACT_UP_TO = 1000  # a document of up to this many blocks is laid out whole at once
_BLANK = Line(-1, 0, 0)

TableLines = Callable[[BlockLayout, Block, int], list[Line]]


class BlockLayouts:
    """Each block's display text, made when first asked for; the markers numbered in reading order."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._made: list[BlockLayout | None] = [None] * len(doc.blocks)
        self.first_ref: list[int] = []  # the reading-order index of each block's first marker
        total = 0
        for block in doc.blocks:
            self.first_ref.append(total)
            total += len(block.refs)
        self.ref_count = total

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, bi: int) -> BlockLayout:
        layout = self._made[bi]
        if layout is None:
            layout = self._made[bi] = block_layout(self.doc, bi, self.first_ref[bi])
        return layout

    def block_of_ref(self, index: int) -> int:
        return bisect_right(self.first_ref, index) - 1


class RefPlaces:
    """The markers in reading order, as a read-only list whose places are made when asked for."""

    def __init__(self, layouts: BlockLayouts | None = None) -> None:
        self._layouts = layouts

    def __len__(self) -> int:
        return self._layouts.ref_count if self._layouts is not None else 0

    def __getitem__(self, index: int) -> RefPlace:
        if self._layouts is None or not 0 <= index < self._layouts.ref_count:
            raise IndexError(index)
        bi = self._layouts.block_of_ref(index)
        return self._layouts[bi].refs[index - self._layouts.first_ref[bi]]

    def __iter__(self) -> Iterator[RefPlace]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        return len(self) > 0

    def in_block(self, bi: int) -> list[RefPlace]:
        return self._layouts[bi].refs if self._layouts is not None and 0 <= bi < len(self._layouts) else []


def estimated_height(block: Block, width: int) -> int:
    """About how many lines ``block`` takes at ``width`` (a marker adds a cell or two)."""
    if block.kind == TABLE and block.rows:
        return len(block.rows) + 2
    text = block.text
    if block.kind in (CODE, TABLE):
        fill = max(1, width - 2)
        return sum(max(1, -(-len(raw) // fill)) for raw in text.split("\n"))
    fill = max(1, width * 9 // 10)
    return text.count("\n") + max(1, -(-(len(text) + 2 * len(block.refs) + 2) // fill))


class LazyLines:
    """The article's lines at one width: the title block (``head``), then each block after a
    blank line, then a blank line; exact for the blocks made so far, estimated for the rest.
    Reads like the list of lines the full layout makes: ``len``, ``lines[y]``."""

    def __init__(
        self,
        doc: Document,
        layouts: BlockLayouts,
        width: int,
        head: list[Line],
        table: TableLines,
        *,
        exact_up_to: int | None = None,
    ) -> None:
        self.doc = doc
        self.layouts = layouts
        self.width = width
        self.head = head
        self.table = table
        # (first line of a block, its height before, its height now): lines below it moved
        self.on_moved: Callable[[int, int, int], None] | None = None
        n = len(doc.blocks)
        self._heights = [1 + estimated_height(block, width) for block in doc.blocks]
        self._exact = bytearray(n)
        self._wrapped: OrderedDict[int, list[Line]] = OrderedDict()
        self._chunk_sums = [sum(self._heights[c : c + CHUNK]) for c in range(0, n, CHUNK)]
        self._chunk_starts: list[int] | None = None
        if n <= (EXACT_UP_TO if exact_up_to is None else exact_up_to):
            self.make_exact(0, n - 1)

    # ------------------------------------------------------------ per block
    def lines_of(self, b: int) -> list[Line]:
        """Block ``b``'s lines, without the blank line before it (its height is exact from now on)."""
        lines = self._wrapped.get(b)
        if lines is not None:
            self._wrapped.move_to_end(b)
            return lines
        lines = self._wrapped[b] = wrap_block(self.doc, self.layouts[b], self.width, self.table)
        if len(self._wrapped) > WRAPPED_BLOCKS_KEPT:
            self._wrapped.popitem(last=False)
        self._set_height(b, 1 + len(lines))
        return lines

    def is_exact(self, b: int) -> bool:
        return bool(self._exact[b])

    def height_of(self, b: int) -> int:
        """Block ``b``'s lines with the blank line before it."""
        return self._heights[b]

    def _set_height(self, b: int, height: int) -> None:
        self._exact[b] = 1
        before = self._heights[b]
        if height != before:
            self._heights[b] = height
            self._chunk_sums[b // CHUNK] += height - before
            self._chunk_starts = None
            if self.on_moved is not None:
                self.on_moved(self.block_start(b), before, height)

    def make_exact(self, first: int, last: int) -> None:
        for b in range(max(0, first), min(len(self._heights), last + 1)):
            if not self._exact[b]:
                self.lines_of(b)

    # ------------------------------------------------------------ the whole
    def __len__(self) -> int:
        return len(self.head) + sum(self._chunk_sums) + 1

    def _starts(self) -> list[int]:
        if self._chunk_starts is None:
            starts, total = [], len(self.head)
            for s in self._chunk_sums:
                starts.append(total)
                total += s
            self._chunk_starts = starts
        return self._chunk_starts

    def block_start(self, b: int) -> int:
        """The blank line before block ``b``."""
        c = b // CHUNK
        return self._starts()[c] + sum(self._heights[c * CHUNK : b])

    def first_line(self, b: int) -> int:
        """Block ``b``'s first line (exact once the blocks above it are)."""
        return self.block_start(b) + 1

    def locate(self, y: int) -> tuple[int, int] | None:
        """(block, row) of line ``y``, row 0 the blank line before it; None in the title block or at the end."""
        starts = self._starts()
        if not starts or y < starts[0]:
            return None
        c = bisect_right(starts, y) - 1
        y -= starts[c]
        for b in range(c * CHUNK, min(len(self._heights), (c + 1) * CHUNK)):
            h = self._heights[b]
            if y < h:
                return b, y
            y -= h
        return None

    def __getitem__(self, y: int) -> Line:
        if y < 0:
            y += len(self)
        if not 0 <= y < len(self):
            raise IndexError(y)
        if y < len(self.head):
            return self.head[y]
        found = self.locate(y)
        if found is None or found[1] == 0:
            return _BLANK
        b, row = found
        lines = self.lines_of(b)
        return lines[min(row, len(lines)) - 1] if lines else _BLANK

    def line_of(self, b: int, display: int) -> int:
        """The line showing display position ``display`` of block ``b``."""
        lines = self.lines_of(b)
        i = 0
        while i + 1 < len(lines) and lines[i + 1].start <= display:
            i += 1
        return self.first_line(b) + i

    def exact_around(self, y: int, above: int, below: int) -> None:
        """Make exact the blocks from ``above`` lines over line ``y`` to ``below`` lines under it."""
        found = self.locate(min(max(y, len(self.head)), len(self) - 2))
        if found is None:
            return
        b, row = found
        first, lines = b, row
        while first > 0 and lines < above:
            first -= 1
            lines += self._heights[first]
        last, lines = b, -row
        while last < len(self._heights) and lines < below:
            lines += len(self.lines_of(last)) + 1
            last += 1
        self.make_exact(first, b)
