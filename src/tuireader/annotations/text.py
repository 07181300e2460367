"""A document's readable text laid end to end, mapped to and from its source offsets.

Selectors quote what the reader saw (the text without markup or footnote markers), so
they are taken from this text; offsets are the document's source offsets (README:
Offsets), so they mean the same as in ``show --json``.  Body blocks come first, then
the notes, each piece separated by a blank line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.mapped import MappedText
from ..core.model import Document

SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Piece:
    start: int  # where the piece begins in the flat text
    content: MappedText
    block: int | None  # body block index, or None for a note
    note: str | None = None  # the note's key

    @property
    def end(self) -> int:
        return self.start + len(self.content)


class DocText:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        pieces: list[Piece] = []
        texts: list[str] = []
        at = 0
        parts: list[tuple[MappedText, int | None, str | None]] = [
            (b.content, i, None) for i, b in enumerate(doc.blocks)
        ]
        parts += [(n.content, None, n.key) for n in doc.footnotes if n.defined]
        for content, block, note in parts:
            if not content.text:
                continue
            if pieces:
                texts.append(SEPARATOR)
                at += len(SEPARATOR)
            pieces.append(Piece(at, content, block, note))
            texts.append(content.text)
            at += len(content.text)
        self.pieces = pieces
        self.text = "".join(texts)
        self._starts = [p.start for p in pieces]
        # the pieces by where their source begins, for finding the one showing a source offset
        # with a bisection (a document opened with 2,000 annotations asks that 4,000 times)
        self._source_span = [p.content.source_span(0, len(p.content)) for p in pieces]
        self._by_source = sorted((s0, s1, i) for i, (s0, s1) in enumerate(self._source_span))
        self._source_starts = [s0 for s0, _, _ in self._by_source]
        self._disjoint = all(a[1] <= b[0] for a, b in zip(self._by_source, self._by_source[1:], strict=False))

    def piece_at(self, flat: int) -> Piece | None:
        i = bisect_right(self._starts, flat) - 1
        if i < 0:
            return None
        piece = self.pieces[i]
        return piece if flat < piece.end else None

    def _covering(self, source: int) -> tuple[Piece, int] | None:
        """The piece and flat position showing source character ``source``."""
        if self._disjoint:
            i = bisect_right(self._source_starts, source) - 1
            order: Sequence[int] = [self._by_source[i][2]] if i >= 0 and source < self._by_source[i][1] else []
        else:  # source spans that hold one another: the first in reading order that shows it
            order = range(len(self.pieces))
        for k in order:
            piece = self.pieces[k]
            s0, s1 = self._source_span[k]
            if s0 <= source < s1:
                pos = piece.content.text_position(source)
                if pos is not None:
                    return piece, piece.start + pos
        return None

    def flat_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Source ``[start, end)`` as a range of the flat text; None when either end is in no piece."""
        a = self._covering(start)
        b = self._covering(max(start, end - 1))
        if a is None or b is None:
            return None
        return a[1], b[1] + 1

    def source_range(self, a: int, b: int) -> tuple[int, int]:
        """Flat ``[a, b)`` as source offsets (separators between pieces belong to no source)."""
        first = self._piece_from(a)
        last = self._piece_to(b)
        start = first.content.to_source(max(0, a - first.start))
        end = last.content.source_span(0, min(len(last.content), max(1, b - last.start)))[1]
        return start, max(start, end)

    def _piece_from(self, a: int) -> Piece:
        i = max(0, bisect_right(self._starts, a) - 1)
        piece = self.pieces[i]
        if a >= piece.end and i + 1 < len(self.pieces):  # in a separator: the next piece
            piece = self.pieces[i + 1]
        return piece

    def _piece_to(self, b: int) -> Piece:
        i = max(0, bisect_right(self._starts, max(0, b - 1)) - 1)
        return self.pieces[i]

    def flat_position(self, block: int | None, char: int, note: str | None = None) -> int | None:
        """Flat position of character ``char`` of a body block (or of note ``note``)."""
        for piece in self.pieces:
            if (note is None and piece.block == block) or (note is not None and piece.note == note):
                return piece.start + min(char, len(piece.content))
        return None

    def place(self, a: int, b: int) -> list[tuple[Piece, int, int]]:
        """Flat ``[a, b)`` cut into (piece, start, end) ranges of each piece's own text."""
        out = []
        for k in range(max(0, bisect_right(self._starts, a) - 1), len(self.pieces)):
            piece = self.pieces[k]
            if piece.start >= b:
                break
            lo, hi = max(a, piece.start), min(b, piece.end)
            if lo < hi:
                out.append((piece, lo - piece.start, hi - piece.start))
        return out
