"""The article's lines in a scroll view: where a block character, a source offset or a
footnote marker is shown, what is in view, and scrolling there.  ``ArticleView`` draws
the lines (styles, rendering, input) on top of this; the lines are made by
``article_layout``."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Document
from .article_layout import BlockLayout, Line, RefPlace, line_source, locate_source
from .article_lazy import BlockLayouts, LazyLines, RefPlaces

LINE_CACHE_SIZE = 2048  # rendered lines kept: a few screens above and below at 200x50


class ArticleLines(ScrollView):
    """A document's laid-out lines and the lookups and scrolling over them."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        self.refs = RefPlaces()
        self.current_ref: int | None = None
        self._layouts: BlockLayouts | list[BlockLayout] = []
        self._lines: LazyLines | list[Line] = []  # a list: the welcome text
        self._pending_offset: int | None = None  # a position to restore once the widget has its size
        self._wrap_anchor: tuple[int, int] | None = None  # (source offset, scroll y) of the last re-wrap
        # rendered lines; bounded, as a 10,000-line report scrolled end to end would keep them all
        self._cache: LRUCache[int, Strip] = LRUCache(LINE_CACHE_SIZE)
        self._visible_keys: list[str] = []
        self._wrap_width = 0
        self._settling = False  # making the lines in view exact: the scrolls that does settle nothing more

    def _invalidate(self) -> None:
        """What the lines look like changed, not where they are."""
        self._cache.clear()
        self.refresh()

    def _forget_line_places(self) -> None:
        """Lines moved: what was drawn or found at a line number no longer holds."""
        self._cache.clear()

    def _lines_moved(self, start: int, before: int, after: int) -> None:
        """A block's estimated height was corrected: the lines under it moved; one wholly above
        the top of the view moves the view with it, so what is on screen stays put."""
        self._forget_line_places()
        self.virtual_size = Size(self._wrap_width, len(self._lines))
        top = int(self.scroll_offset.y)
        if start + before <= top:
            if self.app.animator.is_being_animated(self, "scroll_y"):
                # not from inside the animator's step (stopping it there breaks it): just after,
                # from where the animation was going
                self.call_later(self._move_view, after - before)
                return
            moved = top + after - before
            self.scroll_to(y=moved, animate=False, immediate=True, force=True)
            if self._wrap_anchor is not None and self._wrap_anchor[1] == top:
                self._wrap_anchor = (self._wrap_anchor[0], moved)

    def _move_view(self, lines: int) -> None:
        target = int(self.scroll_target_y) if self.app.animator.is_being_animated(self, "scroll_y") else None
        self.scroll_to(
            y=(target if target is not None else int(self.scroll_y)) + lines, animate=False, immediate=True, force=True
        )

    def _settle_view(self) -> None:
        """Make exact the blocks in view and a screen or two either side (a view at the end stays there)."""
        lines = self._lines
        if self._settling or not isinstance(lines, LazyLines) or not self.is_attached:
            return
        self._settling = True
        try:
            top, height = int(self.scroll_offset.y), max(1, self.scrollable_content_region.height)
            at_end = top > 0 and top >= self.max_scroll_y
            lines.exact_around(top, 2 * height, 2 * height)
            if at_end and int(self.scroll_offset.y) != self.max_scroll_y:
                self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)
        finally:
            self._settling = False

    def _settle_anchor(self, offset: int, retries: int = 3) -> None:
        """Forget the position to restore once the view shows it (a re-wrap before that must use it)."""
        if self._pending_offset != offset:
            return
        target = self._line_for_source(offset)
        landed = target is None or int(self.scroll_offset.y) == min(target, int(self.max_scroll_y))
        if landed or retries <= 0:
            self._pending_offset = None
            self._wrap_anchor = (offset, int(self.scroll_offset.y))
            return
        self.scroll_to_source(offset, top=True)
        self.call_after_refresh(self._settle_anchor, offset, retries - 1)

    # ------------------------------------------------------------- positions
    def _line_of(self, block: int, display: int) -> int:
        """The line showing display position ``display`` of ``block`` (0 for a block not laid out).

        The blocks a screen or two either side are made exact first: a view scrolled there
        shows the line where it was asked to, not where estimates above it put it."""
        lines = self._lines
        if not isinstance(lines, LazyLines) or not 0 <= block < len(self._layouts):
            return 0
        height = max(1, self.scrollable_content_region.height)
        lines.exact_around(lines.first_line(block), 2 * height, 2 * height)
        return lines.line_of(block, display)

    def line_of_char(self, block: int, char: int) -> int:
        return self._line_of(block, self._layouts[block].display(char)) if self._layouts else 0

    def top_source_offset(self) -> int:
        """Source offset of the first text line in view (what a reading position remembers)."""
        if self.document is None or not self._lines:
            return 0
        if self._pending_offset is not None:
            return self._pending_offset  # a restore on its way: that is where the reader is
        y = int(self.scroll_offset.y)
        if self._wrap_anchor is not None and self._wrap_anchor[1] == y:
            # not scrolled since the text was laid out at this place: the place itself, not the
            # start of its line at this width (a restart at another width would move back a line)
            return self._wrap_anchor[0]
        for i in range(y, len(self._lines)):
            line = self._lines[i]
            if line.block >= 0:
                return line_source(self.document, self._layouts[line.block], line)
        return 0

    def locate_source(self, offset: int) -> tuple[int, int] | None:
        """(block, char) showing source ``offset``: the block containing it, else the next one."""
        return locate_source(self.document, offset) if self.document is not None else None

    def _line_for_source(self, offset: int) -> int | None:
        """The line a view restored to source ``offset`` starts at (None: the end of the text)."""
        found = self.locate_source(offset)
        if found is None:
            return None
        return 0 if found == (0, 0) else self.line_of_char(*found)

    def scroll_to_source(self, offset: int, *, animate: bool = False, top: bool = False) -> None:
        line = self._line_for_source(offset)
        if line is None:
            self._scroll(max(0, len(self._lines) - 1), animate)
        elif line == 0:  # the start of the text: show the title block above it too
            self._scroll(0, animate)
        else:
            self.scroll_to_line(line, animate=animate, top=top)

    def scroll_to_line(self, line: int, *, animate: bool = False, top: bool = False) -> None:
        height = self.scrollable_content_region.height
        if top:
            y = line
        else:
            y = line - max(1, height // 3)
        self._scroll(max(0, y), animate)

    def _scroll(self, y: int, animate: bool) -> None:
        # force: Textual ignores a scroll while the scroll bar is hidden, and the bar is decided at
        # the last layout -- before a document replaced the short welcome text, that is, so a
        # reading position restored right after start-up was silently dropped.
        self.scroll_to(y=y, animate=animate, immediate=not animate, force=True)

    # The keys scroll at once, without animation: a block that comes into view has its
    # estimated height corrected, and the view moves with the lines above it -- which a
    # scroll deferred to the next refresh or an animation running at the time would undo.
    # (Nor does a reader paging through a report need one.)
    def _key_scroll(self, y: int) -> None:
        if not self._allow_scroll:  # as Textual's own actions: the key goes on to the screen
            raise SkipAction()
        self._scroll(max(0, y), animate=False)

    def action_scroll_down(self) -> None:
        self._key_scroll(int(self.scroll_y) + 1)

    def action_scroll_up(self) -> None:
        self._key_scroll(int(self.scroll_y) - 1)

    def action_page_down(self) -> None:
        self._key_scroll(int(self.scroll_y) + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._key_scroll(int(self.scroll_y) - self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._key_scroll(0)

    def action_scroll_end(self) -> None:
        self._key_scroll(int(self.max_scroll_y))

    def ensure_line_visible(self, line: int) -> None:
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if not top <= line < top + max(1, height):
            self.scroll_to_line(line)

    def visible_line_range(self) -> tuple[int, int]:
        top = int(self.scroll_offset.y)
        return top, min(len(self._lines), top + self.scrollable_content_region.height)

    def _page_label(self) -> str:
        """'p. 3/27 · ' for a paged document, else '': the page where the first text line in
        view ends (a line that wraps across a page break already shows the new page)."""
        doc = self.document
        if doc is None or not doc.page_count or not self._lines:
            return ""
        for i in range(int(self.scroll_offset.y), len(self._lines)):
            line = self._lines[i]
            if line.block >= 0:
                page = doc.locate(line_source(doc, self._layouts[line.block], line, last=True)).get("page")
                return f"p. {page}/{doc.page_count} · " if page else ""
        return ""

    @property
    def visible_note_keys(self) -> list[str]:
        """Keys of the notes cited in the lines now in view."""
        return list(self._visible_keys)

    def line_span(self, index: int) -> tuple[int, int, int] | None:
        """(block, first char, end char) of the text shown on line ``index``; None for other lines."""
        if not 0 <= index < len(self._lines) or self._lines[index].block < 0 or self._lines[index].text is not None:
            return None
        line = self._lines[index]
        layout = self._layouts[line.block]
        return line.block, layout.char(line.start), layout.char(line.end)

    def char_at(self, index: int, column: int) -> tuple[int, int] | None:
        """(block, char) shown at ``column`` of line ``index`` (as in ``line_text``)."""
        span = self.line_span(index)
        if span is None:
            return None
        line = self._lines[index]
        display = min(line.end, line.start + max(0, column - line.indent))
        return line.block, self._layouts[line.block].char(display)

    def refs_in_lines(self, first: int, last: int) -> list[RefPlace]:
        """The markers shown on lines ``first``..``last - 1``, in reading order (only their blocks are looked at)."""
        places: list[RefPlace] = []
        seen: set[int] = set()
        for y in range(first, last):
            if y >= len(self._lines):  # making blocks exact may have shortened the lines
                break
            block = self._lines[y].block
            if block < 0 or block in seen:
                continue
            seen.add(block)
            for place in self.refs.in_block(block):
                if first <= self._line_of(block, place.display_start) < last:
                    places.append(place)
        return places
