"""The notes panel's lines in a scroll view: which note is on which line, wrapping at the
panel's width (note by note, see ``notes_layout``), and scrolling to a note.
``NotesPanel`` draws these lines and handles the keys on top of this."""

from __future__ import annotations

from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Footnote
from .article_lines import LINE_CACHE_SIZE
from .notes_layout import NotesLayout

GUTTER = "▌ "
EMPTY = "No footnotes."  # it must fit the empty panel (layout.EMPTY_NOTES_WIDTH): a longer one was cut
# Up to this many notes are all wrapped when shown (a few milliseconds): the scroll bar is
# exact from the start.  More are wrapped as they come into view, the rest estimated.
WRAP_ALL_UP_TO = 1000


class NoteLines(ScrollView):
    """The notes of a document laid out in lines."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes: list[Footnote] = []
        self._position_of: dict[str, int] = {}  # note key -> position in self.notes
        self.cited_on_screen: set[str] = set()
        self._layout = NotesLayout([], 10)
        self._scroll_after_wrap: int | None = None  # a note to bring to the top once wrapped
        self._wrap_width = 0
        # (note, line in the note, state) -> rendered: stays right when the lines above a note move
        self._cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(LINE_CACHE_SIZE)
        self._document_shown = False  # before the first document: an empty panel, not "no footnotes"
        self._settling = False

    def note(self, key: str) -> Footnote | None:
        i = self._position_of.get(key)
        return self.notes[i] if i is not None else None

    def body_lines(self, key: str) -> list[tuple[int, int]]:
        """Note ``key``'s text line by line as shown: (start, end) in the note's own text."""
        i = self._position_of.get(key)
        if i is None or not self.notes[i].defined:
            return []
        text = self._layout.text(i)
        out = []
        for line in self._layout.lines_of(i):
            a, b = max(line.start, text.body_start), min(line.end, text.back_start)
            if not line.blank and a < b:
                out.append((text.unshift(a), text.unshift(b - 1) + 1))
        return out

    def note_position(self, index: int, column: int) -> tuple[str, int] | None:
        """(note key, position in the note's own text) at ``column`` of line ``index``, columns
        counted as the strips' offsets are (from the gutter's left edge); None off a note's text.
        A column past the line's text gives the line's end: a drag let go there took the line."""
        line = self._layout.line(index)
        if line is None or line.blank or line.note < 0 or not self.notes[line.note].defined:
            return None
        text = self._layout.text(line.note)
        a, b = max(line.start, text.body_start), min(line.end, text.back_start)
        if a >= b:
            return None
        shown = min(max(line.start + column - len(GUTTER), a), b)
        at = text.unshift(shown) if shown < b else text.unshift(b - 1) + 1
        return self.notes[line.note].key, at

    def show_note_line(self, key: str, line: int) -> None:
        """Scroll so that body line ``line`` of note ``key`` is in view."""
        i = self._position_of.get(key)
        if i is None:
            return
        body_start = self._layout.text(i).body_start
        lines = self._layout.lines_of(i)
        first = self._layout.first_line(i) + next((n for n, ln in enumerate(lines) if ln.end > body_start), 0)
        self.scroll_to_region(Region(0, first + line, 1, 1), animate=False, immediate=True)

    # ------------------------------------------------------------- layout
    def _wrap(self, force: bool = False) -> None:
        # The width with the scroll bar shown, whether or not it is: wrapping must not
        # depend on the bar its own result turns on.
        bar = 0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical
        width = max(10, self.scrollable_content_region.width - bar - len(GUTTER))
        if not force and width == self._wrap_width:
            return
        if not force and self._scroll_after_wrap is None and self.notes and self.scroll_offset.y > 0:
            # a new width: the note at the top stays there
            self._scroll_after_wrap = self._first_shown_note()
        self._wrap_width = width
        self._cache.clear()
        empty = len(EMPTY) if not self.notes and self._document_shown else None
        self._layout = NotesLayout(self.notes, width, empty_line=empty)
        if len(self.notes) <= WRAP_ALL_UP_TO:
            self._layout.make_exact(0, len(self.notes) - 1)
        self.virtual_size = Size(width + len(GUTTER), self._layout.height)
        if self._scroll_after_wrap is not None and self._scroll_after_wrap < len(self.notes):
            self.call_after_refresh(self._scroll_to_note, self._scroll_after_wrap, top=True)
        self._scroll_after_wrap = None
        self.call_after_refresh(self._settle)
        self.refresh()

    def _settle(self) -> None:
        """Wrap the notes in view and a screen's worth either side; the note at the top stays put.

        Notes come into view with estimated heights: those above the top that are made exact
        move everything under them, so the view moves with them."""
        layout = self._layout
        if self._settling or not self.notes or not self.is_attached:
            return
        self._settling = True
        try:
            top, height = int(self.scroll_offset.y), max(1, self.scrollable_content_region.height)
            i, row = layout.locate(top) or (len(self.notes) - 1, 0)
            above, lines = i, 0
            while above > 0 and lines < height:
                above -= 1
                lines += layout.height_of(above)
            moved = layout.make_exact(above, i - 1)
            below, lines = i, -row
            while below < len(self.notes) and lines < 2 * height:
                layout.lines_of(below)
                lines += layout.height_of(below)
                below += 1
            if layout.height != self.virtual_size.height:
                self.virtual_size = Size(self.virtual_size.width, layout.height)
            if moved:
                self.scroll_to(y=top + moved, animate=False, immediate=True, force=True)
        finally:
            self._settling = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if len(self.notes) > WRAP_ALL_UP_TO:
            self._settle()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()

    def note_region(self, i: int) -> Region:
        """The note's lines (without the blank after it), in the panel's virtual space."""
        self._layout.lines_of(i)
        height = self._layout.height_of(i) - 1
        return Region(0, self._layout.first_line(i), self.virtual_size.width, max(1, height))

    def _scroll_to_note(self, i: int, *, top: bool = False) -> None:
        if i >= len(self.notes):
            return
        region = self.note_region(i)
        if top:
            self.scroll_to(y=region.y, animate=False, immediate=True)
        else:
            self.scroll_to_region(region, animate=False, immediate=True)

    def line_text(self, index: int) -> str:
        """The plain text of line ``index``, after the gutter (for tests)."""
        line = self._layout.line(index)
        if line is None or line.blank:
            return ""
        if line.note < 0:
            return EMPTY
        return self._layout.text(line.note).plain[line.start : line.end]

    def _first_shown_note(self) -> int:
        cited = [self._position_of[k] for k in self.cited_on_screen if k in self._position_of]
        if cited:
            return min(cited)
        found = self._layout.locate(int(self.scroll_offset.y))
        if found is None:
            return len(self.notes) - 1
        i, row = found
        return i if row == 0 else min(i + 1, len(self.notes) - 1)
