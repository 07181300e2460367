"""The article: title block and cleaned text, wrapped to a readable width, with
footnote markers as clickable superscripts, search hits and entity highlights.

A line-API widget: the text is wrapped once per width and only the lines in
view are rendered, so a very long document scrolls as fast as a short one.
Document text is never parsed as markup: it goes into ``rich.text.Text``
objects whose only styles are ours.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip

from ...core.dates import date_range
from ...core.model import TABLE, Document
from ...entities.model import EntitySpan
from .article_layout import BlockLayout, Line
from .article_lazy import BlockLayouts, LazyLines, RefPlaces
from .article_navigation import ArticleNavigation
from .article_styles import ARTICLE_COMPONENTS, ARTICLE_CSS, BlockMarks, HeaderEntities, header_lines, style_block
from .selection import with_selection
from .styling import component_style, keep_readable
from .table_layout import table_lines
from .wrap import wrap_plain

READABLE_WIDTH = 88
# styled block texts kept: a few screens above and below (kept without bound, scrolling a
# 100,000-note report end to end held every block's)
STYLED_BLOCKS_KEPT = 512
BOOKMARK_MARK = "◆"  # as the annotations panel lists a bookmark
WELCOME = (
    "No document open yet.",
    "Pick one in the library (arrows, then enter), press / to search every document at once, "
    "or ctrl+p for the command palette. ? lists every key.",
)


def date_text(doc: Document) -> str:
    return date_range(doc.date, doc.date_end)


def _header_lines(view: ArticleView, doc: Document, width: int) -> list[Line]:
    """The title, byline, dates and source above the first block, the title's and byline's entities styled."""
    parts = [("title", doc.title, "article--title"), ("byline", ", ".join(doc.authors), "article--meta")]
    parts += [("", date_text(doc), "article--meta"), ("", doc.source or "", "article--meta")]
    return header_lines(parts, width, view.header_entities, view.entity_filter, view.selected_entity, view._style)


def _line_lead(layout: BlockLayout, indent: int, quote: Style) -> Text:
    """What stands before a block's line after its first: the bars of the quotes around it go on."""
    lead = layout.continuation if len(layout.continuation) == indent else " " * indent
    return Text(lead, style=quote if "│" in lead else "", end="")


class ArticleView(ArticleNavigation, can_focus=True):
    """Shows one document.  Messages tell the app what the reader asked for."""

    COMPONENT_CLASSES = ARTICLE_COMPONENTS
    DEFAULT_CSS = ARTICLE_CSS

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
        Binding("g", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
        Binding("space", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="article.page_up"),
        Binding(
            "right_square_bracket",
            "next_marker",
            "Next note",
            id="article.next_marker",
            tooltip="Move to the next footnote marker",
        ),
        Binding("left_square_bracket", "previous_marker", "Prev note", show=False, id="article.previous_marker"),
        Binding(
            "enter",
            "open_marker",
            "Open note",
            id="article.open_marker",
            tooltip="Show the footnote of the current marker",
        ),
    ]

    class NoteRequested(Message):
        """The reader asked for the footnote behind a marker."""

        def __init__(self, key: str, ref_index: int) -> None:
            super().__init__()
            self.key = key
            self.ref_index = ref_index

    class VisibleNotesChanged(Message):
        def __init__(self, keys: list[str]) -> None:
            super().__init__()
            self.keys = keys

    class Scrolled(Message):
        """The view moved; ``fraction`` is how far through the document its top is (0..1)."""

        def __init__(self, view: ArticleView, fraction: float) -> None:
            super().__init__()
            self.view = view
            self.fraction = fraction

        @property
        def control(self) -> ArticleView:
            return self.view

    class EntityClicked(Message):
        def __init__(self, entity_key: str) -> None:
            super().__init__()
            self.entity_key = entity_key

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entity_spans: list[EntitySpan] = []
        self.header_entities: HeaderEntities = {}  # the title's and byline's mentions
        self.entity_filter: set[str] | None = None  # types shown; None = all
        self.selected_entity: str | None = None
        self.welcome: tuple[str, ...] = WELCOME  # shown while no document is open
        self._base_style: Style | None = None
        # blocks styled when first drawn (all at each open took seconds); bounded: see STYLED_BLOCKS_KEPT
        self._styled_blocks: LRUCache[int, Text] = LRUCache(STYLED_BLOCKS_KEPT)
        self._styles: dict[str, Style] = {}  # component styles, resolved once per theme
        self.entity_info: dict[str, tuple[str, str]] = {}  # canonical -> (type, description), for hovering
        self.annotation_spans: list[tuple[int, int, int, str]] = []  # block, start, end, component class
        self.bookmarks: list[tuple[int, int]] = []  # (block, char) of each bookmark
        self._bookmark_lines: set[int] | None = None  # the lines they are on, at this width (made when drawn)

    # ------------------------------------------------------------- content
    def show(
        self,
        document: Document,
        *,
        offset: int | None = None,
        entities: list[EntitySpan] | None = None,
    ) -> None:
        self.document = document
        self.hits, self.current_hit, self.current_ref = [], None, None
        self.entity_spans, self.header_entities = entities or [], {}
        self.annotation_spans = []  # the previous document's
        self.bookmarks, self._bookmark_lines = [], None
        self.selected_entity = None
        self._build_layouts()
        self._pending_offset = offset or 0
        self._wrap_anchor = None
        self._wrap(force=True)
        self._notify_visible()

    def set_welcome(self, paragraphs: tuple[str, ...]) -> None:
        """What the view says while no document is open (paragraphs of plain text)."""
        self.welcome = paragraphs
        if self.document is None:
            self._wrap(force=True)

    def set_hits(self, hits: list[tuple[int, int, int]], current: int | None = 0) -> None:
        self.hits = sorted(hits)
        self.current_hit = current if hits else None
        self._restyle()
        if self.current_hit is not None:
            self._scroll_to_hit(self.current_hit)

    def set_entities(self, spans: list[EntitySpan], header: HeaderEntities | None = None) -> None:
        self.entity_spans, self.header_entities = spans, header if header is not None else self.header_entities
        self._restyle()

    def set_annotation_spans(self, spans: list[tuple[int, int, int, str]]) -> None:
        """Highlights and the selection being made: (block, start char, end char, component class)."""
        if spans == self.annotation_spans:
            return  # the same styles: rebuilding every block's text for nothing took seconds on a long document
        self.annotation_spans = list(spans)
        self._restyle()

    def set_bookmarks(self, places: list[tuple[int, int]]) -> None:
        """Bookmarks, as (block, char): each is marked in the margin right of its line."""
        self.bookmarks, self._bookmark_lines = places, None
        self.refresh()

    def bookmark_lines(self) -> set[int]:
        if self._bookmark_lines is None:
            self._bookmark_lines = {self.line_of_char(b, c) for b, c in self.bookmarks if b < len(self._layouts)}
        return self._bookmark_lines

    def set_entity_filter(self, types: set[str] | None) -> None:
        self.entity_filter = types
        self._restyle()

    def select_entity(self, key: str | None) -> None:
        self.selected_entity = key
        self._restyle()

    def _restyle(self) -> None:
        if self.document is None:
            return
        self._group_styles()
        self._styled_blocks.clear()
        if isinstance(self._lines, LazyLines):  # the title and byline: a few lines, made again
            self._lines.head[:] = _header_lines(self, self.document, self._lines.width)
        if self._has_grid:  # a table's grid is drawn when wrapped, with its styles
            self._wrap(force=True)
        else:  # styles change no line: the text and its wrapping stay
            self._invalidate()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, name)
        return style

    def component_style(self, name: str) -> Style:
        """The colours and text style of component class ``name`` as drawn here (the legend uses them)."""
        return self._style(name)

    def _group_styles(self) -> None:
        """Hits, entities and annotation spans by block, for styling a block when it is drawn."""
        self._marks = BlockMarks.group(self.hits, self.entity_spans, self.entity_filter, self.annotation_spans)

    def _build_layouts(self) -> None:
        assert self.document is not None
        self._layouts = BlockLayouts(self.document)
        self.refs = RefPlaces(self._layouts)
        self._styled_blocks.clear()
        self._group_styles()
        self._has_grid = any(block.kind == TABLE and block.rows for block in self.document.blocks)

    def _styled(self, layout: BlockLayout) -> Text:
        """The block's display text with its styles (kept for the blocks drawn last, until the styles change)."""
        text = self._styled_blocks.get(layout.block)
        if text is None:
            assert self.document is not None
            block = self.document.blocks[layout.block]
            text = style_block(block, layout, self._marks, self.selected_entity, self._style)
            self._styled_blocks.set(layout.block, text)
        return text

    # ------------------------------------------------------------- layout
    @property
    def wrap_width(self) -> int:
        return max(20, min(READABLE_WIDTH, self.scrollable_content_region.width - 1))

    def _wrap(self, force: bool = False) -> None:
        if self.document is None:
            width = self.wrap_width
            self._lines = [Line(-1, 0, 0)]
            for paragraph in self.welcome:
                for piece in wrap_plain(paragraph, width):
                    self._lines.append(Line(-1, 0, 0, 0, Text(piece, style=self._style("article--meta"), end="")))
                self._lines.append(Line(-1, 0, 0))
            self._cache.clear()
            self.virtual_size = Size(width, len(self._lines))
            self.refresh()
            return
        width = self.wrap_width
        if not force and width == self._wrap_width:
            return
        if self._pending_offset is not None:
            anchor: int | None = self._pending_offset
        elif self._wrap_anchor is not None and self._wrap_anchor[1] == int(self.scroll_offset.y):
            # not scrolled since the last re-wrap: keep its offset, or each new width would move
            # the reader back to the start of the line that offset fell in
            anchor = self._wrap_anchor[0]
        else:
            anchor = self.top_source_offset() if self._lines else None
        self._wrap_width = width
        self._cache.clear()
        doc = self.document
        lines = _header_lines(self, doc, width)
        assert isinstance(self._layouts, BlockLayouts)
        self._lines = LazyLines(doc, self._layouts, width, lines, self._table_lines)
        self._lines.on_moved = self._lines_moved
        self._bookmark_lines = None
        self.virtual_size = Size(width, len(self._lines))
        if anchor is not None:
            self.scroll_to_source(anchor, animate=False, top=True)
            self._wrap_anchor = (anchor, int(self.scroll_offset.y))
            if self._pending_offset is not None and self.scrollable_content_region.area > 0:
                # The scroll lands at the next refresh; until then a re-wrap must use the anchor,
                # not the position on screen.
                self.call_after_refresh(self._settle_anchor, self._pending_offset)
        self.refresh()
        self.call_after_refresh(self._settle_view)
        # which notes are cited on screen depends on the new lines: recount once laid out
        self.call_after_refresh(self._notify_visible)

    def _table_lines(self, layout: BlockLayout, block, width: int) -> list[Line]:
        """A table block as a grid fitted to the column (see ``table_layout``)."""
        drawn = table_lines(
            self._styled(layout),
            block.rows,
            layout.display,
            width,
            header_style=self._style("article--heading"),
            rule_style=self._style("article--meta"),
            header=block.header,
        )
        return [Line(layout.block, start, start, 0, text) for text, start in drawn]

    def _forget_line_places(self) -> None:
        super()._forget_line_places()
        self._bookmark_lines = None

    def on_resize(self, event: events.Resize) -> None:
        self._wrap(force=self.document is None)

    def watch_show_vertical_scrollbar(self) -> None:
        # the bar takes its columns from the text, and no Resize need follow when it comes (it
        # did not once the lines were made lazily, which changed the order of the first frames)
        self.call_after_refresh(self._wrap)

    def on_mount(self) -> None:
        if self.document is None:
            self._wrap(force=True)
        # Our styles are baked into the wrapped lines: a new theme needs them made again.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._restyle_all)

    def _restyle_all(self) -> None:
        self._styles.clear()
        if self.document is None:
            self._wrap(force=True)
        else:
            self._restyle()

    # ------------------------------------------------------------- render
    def render_lines(self, crop):
        # rich_style walks the ancestors; computed once per pass instead of once per line
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._base_style or self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_text_line(index)
            self._cache.set(index, strip)
        strip = with_selection(self, strip, index)
        if self.bookmarks and index in self.bookmark_lines():
            # In the margin right of the text, not before it: the text keeps its columns, so a
            # mouse selection and a copy of the line are the same with or without a bookmark.
            mark = Segment(BOOKMARK_MARK, keep_readable(base + self._style("article--bookmark")))
            strip = Strip([*strip.extend_cell_length(self.wrap_width, base), mark])
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, index)

    def _render_text_line(self, index: int) -> Strip:
        line = self._lines[index]
        base = self._base_style or self.rich_style
        if line.block < 0 or line.text is not None:  # the title block, a table's grid
            text = line.text or Text("")
        else:
            layout = self._layouts[line.block]
            text = self._styled(layout)[line.start : line.end]
            text.rstrip()
            if line.indent:
                text = _line_lead(layout, line.indent, self._style("article--quote")) + text
                shift = line.indent - line.start
            else:
                shift = -line.start
            self._overlay_current(text, line, layout, shift)
        segments = list(text.render(self.app.console))
        segments = [
            Segment(s.text, keep_readable(base + s.style) if s.style else base, s.control)
            for s in segments
            if s.text and "\n" not in s.text
        ]
        return Strip(segments)

    def _overlay_current(self, text: Text, line: Line, layout: BlockLayout, shift: int) -> None:
        if self.current_ref is not None and 0 <= self.current_ref < len(self.refs):
            place = self.refs[self.current_ref]
            if place.block == line.block and line.start <= place.display_start < line.end:
                text.stylize(
                    self._style("article--marker-current"), place.display_start + shift, place.display_end + shift
                )
        if self.current_hit is not None and 0 <= self.current_hit < len(self.hits):
            b, s, e = self.hits[self.current_hit]
            if b == line.block:
                ds, de = layout.display(s), layout.display(e)
                if ds < line.end and de > line.start:
                    text.stylize(
                        self._style("article--hit-current"), max(ds, line.start) + shift, min(de, line.end) + shift
                    )

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._settle_view()
        self._notify_visible()
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, new_value / max(1, self.max_scroll_y)))

    def _notify_visible(self) -> None:
        first, last = self.visible_line_range()
        if self._lines:
            shown = 100 if last >= len(self._lines) else int(100 * first / max(1, len(self._lines)))
            self.border_subtitle = f"{self._page_label()}{shown}%"
        keys: list[str] = []
        for place in self.refs_in_lines(first, last):
            if place.key not in keys:
                keys.append(place.key)
        if keys != self._visible_keys:
            self._visible_keys = keys
            self.post_message(self.VisibleNotesChanged(keys))

    # ------------------------------------------------------------- mouse
    def _note_requested(self, key: str, ref_index: int) -> None:
        self.post_message(self.NoteRequested(key, ref_index))

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "ref" in meta:
            index = int(meta["ref"])
            self.go_to_ref(index, scroll=False)
            place = self.refs[index]
            self.post_message(self.NoteRequested(place.key, index))
            event.stop()
        elif "entity" in meta:
            self.post_message(self.EntityClicked(str(meta["entity"])))
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = event.style.meta.get("entity")
        if key is None:
            self.tooltip = None
            return
        etype, description = self.entity_info.get(key, ("", ""))
        tip = Text(str(key), style="bold")
        tip.append(f"  {etype}")
        if description:
            tip.append(f"\n{description}")
        self.tooltip = tip

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The article's text under a mouse selection (what ctrl+c copies)."""
        return selection.extract("\n".join(self.line_text(i) for i in range(len(self._lines)))), "\n"

    def line_text(self, index: int) -> str:
        """The plain text of line ``index`` as shown (for tests and copy)."""
        return self._render_text_line(index).text.rstrip()
