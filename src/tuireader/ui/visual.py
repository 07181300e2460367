"""A passage being selected in the article: by keys (visual mode) or by the mouse.

Positions are (block, char) in the document's blocks; the view is asked for its lines
only to move by one line.  ``v`` selects the line at the top of the view (or from the
current footnote marker to the end of its line); ``j``/``k`` extend it by lines,
``w``/``b`` by words, ``}`` to the end of the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.model import Document

Position = tuple[int, int]  # (block, char)
_WORD_END = re.compile(r"\w[\w'’-]*[.,;:!?”\"»)]*")


@dataclass(slots=True)
class VisualSelection:
    anchor: Position
    cursor: Position

    @property
    def ordered(self) -> tuple[Position, Position]:
        return (self.anchor, self.cursor) if self.anchor <= self.cursor else (self.cursor, self.anchor)

    def spans(self, doc: Document) -> list[tuple[int, int, int]]:
        """(block, start, end) of the selected text in each block it covers."""
        (b0, c0), (b1, c1) = self.ordered
        out = []
        for b in range(b0, b1 + 1):
            start = c0 if b == b0 else 0
            end = c1 if b == b1 else len(doc.blocks[b].text)
            if end > start:
                out.append((b, start, end))
        return out

    def source_range(self, doc: Document) -> tuple[int, int] | None:
        spans = self.spans(doc)
        if not spans:
            return None
        (b0, c0, _), (b1, _, c1) = spans[0], spans[-1]
        return doc.blocks[b0].content.to_source(c0), doc.blocks[b1].content.source_span(0, c1)[1]


def start_at_view(view) -> VisualSelection | None:
    """The line at the top of the view, or from the current marker to the end of its line."""
    doc = view.document
    if doc is None:
        return None
    if view.current_ref is not None and 0 <= view.current_ref < len(view.refs):
        # the sentence the current marker closes: from its start up to the marker
        place = view.refs[view.current_ref]
        refs = [r for r in doc.blocks[place.block].refs if r.key == place.key]
        if refs:
            text, at = doc.blocks[place.block].text, refs[0].at
            cut = max(text.rfind(p, 0, max(0, at - 1)) for p in (". ", "? ", "! ", ".” "))
            start = text.index(" ", cut) + 1 if cut >= 0 else 0
            return VisualSelection((place.block, start), (place.block, at))
    top, bottom = view.visible_line_range()
    for line in range(top, max(top + 1, bottom)):
        span = view.line_span(line)
        if span is not None:
            block, start, end = span
            return VisualSelection((block, start), (block, end))
    return None


def move_lines(sel: VisualSelection, view, step: int) -> None:
    """The cursor to the end (down) or start (up) of the line ``step`` lines away."""
    block, char = sel.cursor
    line = view.line_of_char(block, max(0, char - 1) if step > 0 else char)
    target = line + step
    while 0 <= target < view.virtual_size.height:
        span = view.line_span(target)
        if span is not None:
            b, start, end = span
            sel.cursor = (b, end) if step > 0 else (b, start)
            view.ensure_line_visible(target)
            return
        target += 1 if step > 0 else -1


def move_words(sel: VisualSelection, doc: Document, step: int) -> None:
    """The cursor to the end of the next word (w) or back to the end of the previous one (b)."""
    block, char = sel.cursor
    if step > 0:
        while block < len(doc.blocks):
            m = _WORD_END.search(doc.blocks[block].text, char)
            if m is not None:
                sel.cursor = (block, m.end())
                return
            block, char = block + 1, 0
        return
    while block >= 0:
        text = doc.blocks[block].text
        ends = [m.end() for m in _WORD_END.finditer(text) if m.end() < char]
        if ends:
            sel.cursor = (block, ends[-1])
            return
        block -= 1
        char = len(doc.blocks[block].text) + 1 if block >= 0 else 0


def move_paragraph(sel: VisualSelection, doc: Document) -> None:
    """The cursor to the end of its paragraph, or of the next one when it is there already."""
    block, char = sel.cursor
    if char >= len(doc.blocks[block].text) and block + 1 < len(doc.blocks):
        block += 1
    sel.cursor = (block, len(doc.blocks[block].text))


def from_mouse(view, selection) -> VisualSelection | None:
    """Textual's selection (line/column offsets of the view's lines) as block positions."""
    if selection.start is None or selection.end is None:
        return None
    start = _nearest(view, selection.start.y, selection.start.x, forward=True)
    end = _nearest(view, selection.end.y, selection.end.x, forward=False)
    if start is None or end is None or end <= start:
        return None
    return VisualSelection(start, end)


def _nearest(view, line: int, column: int, *, forward: bool) -> Position | None:
    """The position at a line and column; off the text (a blank line, the title) the nearest text."""
    found = view.char_at(line, column)
    if found is not None:
        return found
    step = 1 if forward else -1
    line += step
    while 0 <= line < view.virtual_size.height:
        span = view.line_span(line)
        if span is not None:
            return (span[0], span[1] if forward else span[2])
        line += step
    return None


@dataclass(slots=True)
class NoteSelection:
    """A passage being selected by keys in one footnote: positions in the note's own text."""

    key: str
    anchor: int
    cursor: int

    @property
    def ordered(self) -> tuple[int, int]:
        return (self.anchor, self.cursor) if self.anchor <= self.cursor else (self.cursor, self.anchor)


def start_in_note(key: str, lines: list[tuple[int, int]]) -> NoteSelection | None:
    """The note's first line, as ``v`` in the article selects the first line in view."""
    if not lines:
        return None
    return NoteSelection(key, lines[0][0], lines[0][1])


def note_move_lines(sel: NoteSelection, lines: list[tuple[int, int]], step: int) -> int:
    """The cursor ``step`` lines down or up: to that line's end (down, or up from a line's end), else its start.

    Returns the number of the line the cursor is now on.
    """
    here = note_line_of(lines, max(0, sel.cursor - 1) if step > 0 else sel.cursor)
    target = max(0, min(len(lines) - 1, here + step))
    at_end = sel.cursor == lines[here][1]
    sel.cursor = lines[target][1] if step > 0 or at_end else lines[target][0]
    return target


def note_move_words(sel: NoteSelection, text: str, step: int) -> None:
    """As ``move_words``, inside the note: the cursor never leaves it."""
    if step > 0:
        m = _WORD_END.search(text, sel.cursor)
        if m is not None:
            sel.cursor = m.end()
        return
    ends = [m.end() for m in _WORD_END.finditer(text) if m.end() < sel.cursor]
    if ends:
        sel.cursor = ends[-1]


def note_line_of(lines: list[tuple[int, int]], pos: int) -> int:
    """The line showing position ``pos`` (a line's end included: the space a line broke at is on no line)."""
    return next((n for n, (a, b) in enumerate(lines) if pos <= b), len(lines) - 1)


def note_move_paragraph(sel: NoteSelection, text: str) -> None:
    """The cursor to the end of its paragraph of the note (a line of its own: a link, often), or the next one's."""
    end = text.find("\n", sel.cursor)
    if end == sel.cursor:
        end = text.find("\n", sel.cursor + 1)
    sel.cursor = len(text) if end < 0 else end
