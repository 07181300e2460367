"""The library's rows in a scroll view: two lines each (title; date, byline, notes), drawn
only when they come into view, so 100,000 documents list and scroll as fast as 100.

Textual's OptionList measures every option it holds (~0.6 ms each), which capped the list
at 500 entries; here every row has the same height and nothing is measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.option_list import Option

from ...core.library import LibraryDocument

ROW_HEIGHT = 2
LINE_CACHE_SIZE = 512


def row_lines(item: LibraryDocument) -> tuple[str, str]:
    """A row's two lines: the title, then date · byline · notes (· why it could not be read)."""
    details = [d for d in (item.date, item.byline) if d]
    if item.footnotes:
        details.append(f"{item.footnotes} note{'s' if item.footnotes != 1 else ''}")
    if item.error:
        details.append(item.error)
    return item.listed_title, " · ".join(details)


def row_prompt(item: LibraryDocument) -> Text:
    """The row as one text (pickers show it; tests read it)."""
    title, details = row_lines(item)
    text = Text(title, style="bold", end="")
    if details:
        text.append("\n" + details)  # not dim: dimmed text on the highlighted row falls below 4.5:1
    return text


def _fit(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


class LibraryList(ScrollView, can_focus=True):
    """The rows of the library pane; enter or a click opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"library-list--row", "library-list--highlighted"}
    DEFAULT_CSS = """
    LibraryList {
        overflow-x: hidden;
        background: $surface;
        & > .library-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .library-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None)

    class Selected(Message):
        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[LibraryDocument] = []
        self._generation = 0
        self._cache: LRUCache[tuple[int, int, int, bool, int, int], Strip] = LRUCache(LINE_CACHE_SIZE)

    # -------------------------------------------------------------- contents
    def set_rows(self, rows: Sequence[LibraryDocument], keep: str | None = None) -> None:
        """Show these rows, the one with id ``keep`` highlighted if it is among them."""
        self.rows = rows
        self._generation += 1
        self._cache.clear()
        self.highlighted = None
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) * ROW_HEIGHT)
        self.scroll_to(y=0, animate=False, immediate=True, force=True)
        if keep is not None:
            self.select(keep)
        self.refresh()

    def select(self, doc_id: str) -> bool:
        """Highlight the row of this document (scrolled into view); False when it is not listed."""
        for i, item in enumerate(self.rows):
            if item.id == doc_id:
                self.highlighted = i
                return True
        return False

    @property
    def option_count(self) -> int:
        return len(self.rows)

    def get_option_at_index(self, index: int) -> Option:
        """Row ``index`` as an option (its prompt is what the row shows)."""
        item = self.rows[index]
        return Option(row_prompt(item), id=item.id)

    @property
    def highlighted_option(self) -> Option | None:
        return self.get_option_at_index(self.highlighted) if self.highlighted is not None else None

    # -------------------------------------------------------------- keys and mouse
    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.rows:
            return None
        return max(0, min(value, len(self.rows) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for row in (old, new):
            if row is not None:
                self.refresh(Region(0, row * ROW_HEIGHT - int(self.scroll_offset.y), self.size.width, ROW_HEIGHT))
        if new is not None:
            self.scroll_to_region(Region(0, new * ROW_HEIGHT, 1, ROW_HEIGHT), animate=False, immediate=True, force=True)

    def action_cursor(self, step: int) -> None:
        """One row up or down, round from the last row to the first and back (as OptionList)."""
        if self.rows:
            self.highlighted = 0 if self.highlighted is None else (self.highlighted + step) % len(self.rows)

    def action_page(self, step: int) -> None:
        if self.rows:
            rows = max(1, self.scrollable_content_region.height // ROW_HEIGHT)
            self.highlighted = (self.highlighted or 0) + step * rows

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self.rows) - 1

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self.rows[self.highlighted].id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = (offset.y + int(self.scroll_offset.y)) // ROW_HEIGHT
        if 0 <= row < len(self.rows):
            self.highlighted = row
            self.action_select()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * ROW_HEIGHT)

    # -------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_offset.y) + y
        row, part = divmod(line, ROW_HEIGHT)
        base = self.get_component_rich_style("library-list--row")
        if row >= len(self.rows):
            return Strip.blank(width, base)
        lit = row == self.highlighted
        key = (self._generation, row, part, lit and self.has_focus, width, int(lit))
        strip = self._cache.get(key)
        if strip is None:
            style = base + self.get_component_rich_style("library-list--highlighted") if lit else base
            text = row_lines(self.rows[row])[part]
            if part == 0:
                style = style + Style(bold=True)
            strip = Strip([Segment(_fit(text, width), style)]).extend_cell_length(width, style)
            self._cache[key] = strip
        return strip
