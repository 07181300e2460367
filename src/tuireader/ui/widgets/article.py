"""The article: title block and cleaned text, wrapped to a readable width, with
footnote markers as clickable superscripts, search hits and entity highlights.

A line-API widget: the text is wrapped once per width and only the lines in
view are rendered, so a very long document scrolls as fast as a short one.
Document text is never parsed as markup: it goes into ``rich.text.Text``
objects whose only styles are ours.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ...core.dates import date_range
from ...core.footnotes import marker_pieces
from ...core.model import CODE, HEADING, LIST_ITEM, QUOTE, SIGNATURE, TABLE, Document
from ...entities.model import EntitySpan
from .selection import with_selection
from .styling import component_style, keep_readable
from .table_layout import table_lines

READABLE_WIDTH = 88
BOOKMARK_MARK = "◆"  # as the annotations panel lists a bookmark
LINE_CACHE_SIZE = 2048  # rendered lines kept: a few screens above and below at 200x50
WELCOME = (
    "No document open yet.",
    "Pick one in the library (arrows, then enter), press / to search every document at once, "
    "or ctrl+p for the command palette. ? lists every key.",
)
_SUPERSCRIPT = str.maketrans("0123456789,-", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁻")


def marker_label(label: str) -> str:
    """How a footnote marker is shown: superscript digits, or [label] for named notes."""
    if label.replace(",", "").isdigit():
        return label.translate(_SUPERSCRIPT)
    return f"[{label}]"


def date_text(doc: Document) -> str:
    return date_range(doc.date, doc.date_end)


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
class _BlockLayout:
    block: int
    plain: str  # the display text (prefix + text with marker labels)
    prefix_len: int
    insert_at: list[int]  # block char positions where labels were inserted
    insert_len: list[int]  # cumulative label length inserted at or before each position
    refs: list[RefPlace] = field(default_factory=list)
    # the display text styled, made when one of its lines is first drawn: styling every block
    # of a long document (at each open, and again when entities or hits arrive) took seconds
    styled: Text | None = None

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
class _Line:
    block: int  # -1: title block or blank line
    start: int  # display range in the block's text (or in ``text``)
    end: int
    indent: int = 0
    text: Text | None = None  # for title-block lines and a table's grid


class ArticleView(ScrollView, can_focus=True):
    """Shows one document.  Messages tell the app what the reader asked for."""

    COMPONENT_CLASSES = {
        "article--title",
        "article--meta",
        "article--heading",
        "article--marker",
        "article--marker-current",
        "article--hit",
        "article--hit-current",
        "article--bold",
        "article--italic",
        "article--code",
        "article--link",
        "article--quote",
        "article--signature",
        "article--list-marker",
        "article--entity-person",
        "article--entity-org",
        "article--entity-place",
        "article--entity-group",
        "article--entity-date",
        "article--entity-selected",
        "article--dim",
        # annotations (ui/annotating.py): a highlight in each colour, and a selection being made
        "article--highlight-yellow",
        "article--highlight-green",
        "article--highlight-blue",
        "article--highlight-pink",
        "article--selection",
        "article--bookmark",
    }

    # Colours are blended over the article's background and kept readable by ``styling``:
    # theme colours with alpha or ``auto`` are fine here.
    DEFAULT_CSS = """
    ArticleView { padding: 0 1; background: $surface; }
    ArticleView > .article--title { text-style: bold; color: $foreground; }
    ArticleView > .article--meta { color: $foreground-muted; }
    ArticleView > .article--heading { text-style: bold; color: $text-accent; }
    ArticleView > .article--marker { color: $text-accent; text-style: bold; }
    ArticleView > .article--marker-current { background: $accent; color: auto; text-style: bold; }
    ArticleView > .article--hit { background: $warning 40%; color: $foreground; }
    ArticleView > .article--hit-current { background: $warning; color: auto; }
    ArticleView > .article--bold { text-style: bold; }
    ArticleView > .article--italic { text-style: italic; }
    ArticleView > .article--code { color: $foreground-muted; background: $boost; }
    ArticleView > .article--link { text-style: underline; }
    ArticleView > .article--quote { color: $foreground-muted; }
    ArticleView > .article--signature { text-style: italic; color: $foreground-muted; }
    ArticleView > .article--list-marker { color: $foreground-muted; }
    ArticleView > .article--entity-person { color: $text-success; }
    ArticleView > .article--entity-org { color: $text-primary; }
    ArticleView > .article--entity-place { color: $text-error; }
    ArticleView > .article--entity-group { color: $text-secondary; text-style: italic; }
    ArticleView > .article--entity-date { color: $foreground-muted; text-style: underline; }
    ArticleView > .article--entity-selected { text-style: bold reverse; }
    ArticleView > .article--dim { color: $foreground-muted; }
    ArticleView > .article--highlight-yellow { background: $warning 35%; }
    ArticleView > .article--highlight-green { background: $success 35%; }
    ArticleView > .article--highlight-blue { background: $primary 40%; }
    ArticleView > .article--highlight-pink { background: $error 30%; }
    ArticleView > .article--selection { background: $accent 55%; text-style: underline; }
    ArticleView > .article--bookmark { color: $accent; text-style: bold; }
    """

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
        self.document: Document | None = None
        self.refs: list[RefPlace] = []
        self.current_ref: int | None = None
        self.hits: list[tuple[int, int, int]] = []  # (block, start char, end char)
        self.current_hit: int | None = None
        self.entity_spans: list[EntitySpan] = []
        self.entity_filter: set[str] | None = None  # types shown; None = all
        self.selected_entity: str | None = None
        self._layouts: list[_BlockLayout] = []
        self._lines: list[_Line] = []
        self._line_starts: list[tuple[int, int]] = []  # (block, display start) per line, for lookups
        self._block_first_line: dict[int, int] = {}
        self._wrap_width = 0
        self._pending_offset: int | None = None  # a position to restore once the widget has its size
        self.welcome: tuple[str, ...] = WELCOME  # shown while no document is open
        self._wrap_anchor: tuple[int, int] | None = None  # (source offset, scroll y) of the last re-wrap
        # rendered lines; bounded, as a 10,000-line report scrolled end to end would keep them all
        self._cache: LRUCache[int, Strip] = LRUCache(LINE_CACHE_SIZE)
        self._base_style: Style | None = None
        self._styles: dict[str, Style] = {}  # component styles, resolved once per theme
        self._visible_keys: list[str] = []
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
        self.entity_spans = entities or []
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

    def set_entities(self, spans: list[EntitySpan]) -> None:
        self.entity_spans = spans
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
        for layout in self._layouts:
            layout.styled = None
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
        self._hits_by_block: dict[int, list[tuple[int, int]]] = {}
        for b, s, e in self.hits:
            self._hits_by_block.setdefault(b, []).append((s, e))
        self._ents_by_block: dict[int, list[EntitySpan]] = {}
        for ent in self.entity_spans:
            if self.entity_filter is None or ent.type in self.entity_filter or ent.dimmed:
                self._ents_by_block.setdefault(ent.block, []).append(ent)
        self._notes_by_block: dict[int, list[tuple[int, int, str]]] = {}
        for b, s, e, name in self.annotation_spans:
            self._notes_by_block.setdefault(b, []).append((s, e, name))

    def _build_layouts(self) -> None:
        doc = self.document
        assert doc is not None
        self._layouts = []
        self.refs = []
        self._group_styles()
        self._has_grid = any(block.kind == TABLE and block.rows for block in doc.blocks)
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
                    RefPlace(len(self.refs) + len(places), bi, ref.key, ref.label, disp_start, disp_start + len(label))
                )
            pieces.append(block.text[last:])
            self.refs.extend(places)
            self._layouts.append(_BlockLayout(bi, "".join(pieces), len(prefix), insert_at, insert_len, places))

    def _styled(self, layout: _BlockLayout) -> Text:
        """The block's display text with its styles (made once, until the styles change)."""
        if layout.styled is not None:
            return layout.styled
        doc = self.document
        assert doc is not None
        bi, block, prefix = layout.block, doc.blocks[layout.block], layout.prefix_len
        text = layout.styled = Text(layout.plain, no_wrap=True, end="")
        if prefix:
            text.stylize(self._style("article--quote" if block.kind == QUOTE else "article--list-marker"), 0, prefix)
        kind_style = {
            HEADING: "article--heading",
            SIGNATURE: "article--signature",
            QUOTE: "article--quote",
            CODE: "article--code",
            TABLE: "article--code",
        }.get(block.kind)
        if kind_style:
            text.stylize(self._style(kind_style), prefix, len(text))
        for span in block.spans:
            name = {
                "bold": "article--bold",
                "italic": "article--italic",
                "code": "article--code",
                "link": "article--link",
            }.get(span.kind)
            if name:
                text.stylize(self._style(name), layout.display(span.start), layout.display(span.end))
        for ent in self._ents_by_block.get(bi, []):
            name = "article--dim" if ent.dimmed else f"article--entity-{ent.type.lower()}"
            style = self._style(name) + Style(meta={"entity": ent.canonical})
            if ent.canonical == self.selected_entity:
                style += self._style("article--entity-selected")
            text.stylize(style, layout.display(ent.start), layout.display(ent.end))
        for s, e, name in self._notes_by_block.get(bi, []):
            text.stylize(self._style(name), layout.display(s), layout.display(e))
        for s, e in self._hits_by_block.get(bi, []):
            text.stylize(self._style("article--hit"), layout.display(s), layout.display(e))
        for place in layout.refs:
            text.stylize(
                self._style("article--marker") + Style(meta={"ref": place.index}),
                place.display_start,
                place.display_end,
            )
        return text

    # ------------------------------------------------------------- layout
    @property
    def wrap_width(self) -> int:
        return max(20, min(READABLE_WIDTH, self.scrollable_content_region.width - 1))

    def _wrap(self, force: bool = False) -> None:
        if self.document is None:
            width = self.wrap_width
            self._lines = [_Line(-1, 0, 0)]
            for paragraph in self.welcome:
                for piece in _wrap_plain(paragraph, width):
                    self._lines.append(_Line(-1, 0, 0, 0, Text(piece, style=self._style("article--meta"), end="")))
                self._lines.append(_Line(-1, 0, 0))
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
        lines: list[_Line] = []
        meta_style = self._style("article--meta")
        for piece in _wrap_plain(doc.title, width):
            lines.append(_Line(-1, 0, 0, 0, Text(piece, style=self._style("article--title"), end="")))
        for extra in (", ".join(doc.authors), date_text(doc), doc.source or ""):
            if extra:
                for piece in _wrap_plain(extra, width):
                    lines.append(_Line(-1, 0, 0, 0, Text(piece, style=meta_style, end="")))
        self._block_first_line = {}
        for layout in self._layouts:
            lines.append(_Line(-1, 0, 0))
            block = doc.blocks[layout.block]
            self._block_first_line[layout.block] = len(lines)
            plain = layout.plain
            if block.kind == TABLE and block.rows:
                lines.extend(self._table_lines(layout, block, width))
                continue
            if block.kind in (CODE, TABLE):
                pos = 0
                for raw in plain.split("\n"):
                    for a, b in _hard_wrap(raw, width - 2):
                        lines.append(_Line(layout.block, pos + a, pos + b, 2))
                    pos += len(raw) + 1
                continue
            indent = layout.prefix_len
            pos = 0
            for piece in plain.split("\n"):  # a poem or an address keeps its lines
                for a, b in _word_wrap(piece, width, indent):
                    lines.append(_Line(layout.block, pos + a, pos + b, indent if pos + a > 0 else 0))
                pos += len(piece) + 1
        lines.append(_Line(-1, 0, 0))
        self._lines = lines
        self._bookmark_lines = None
        self._line_starts = [(ln.block, ln.start) for ln in lines]
        self.virtual_size = Size(width, len(lines))
        if anchor is not None:
            self.scroll_to_source(anchor, animate=False, top=True)
            self._wrap_anchor = (anchor, int(self.scroll_offset.y))
            if self._pending_offset is not None and self.scrollable_content_region.area > 0:
                # The scroll lands at the next refresh; until then a re-wrap must use the anchor,
                # not the position on screen.
                self.call_after_refresh(self._settle_anchor, self._pending_offset)
        self.refresh()
        # which notes are cited on screen depends on the new lines: recount once laid out
        self.call_after_refresh(self._notify_visible)

    def _table_lines(self, layout: _BlockLayout, block, width: int) -> list[_Line]:
        """A table block as a grid fitted to the column (see ``table_layout``)."""
        drawn = table_lines(
            self._styled(layout),
            block.rows,
            layout.display,
            width,
            header_style=self._style("article--heading"),
            rule_style=self._style("article--meta"),
        )
        return [_Line(layout.block, start, start, 0, text) for text, start in drawn]

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

    def on_resize(self, event: events.Resize) -> None:
        self._wrap(force=self.document is None)

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
                text = Text(" " * line.indent, end="") + text
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

    def _overlay_current(self, text: Text, line: _Line, layout: _BlockLayout, shift: int) -> None:
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

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # ------------------------------------------------------------- positions
    def _line_of(self, block: int, display: int) -> int:
        first = self._block_first_line.get(block)
        if first is None:
            return 0
        i = first
        while i + 1 < len(self._lines) and self._lines[i + 1].block == block and self._lines[i + 1].start <= display:
            i += 1
        return i

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
        for line in self._lines[y:]:
            if line.block >= 0:
                layout = self._layouts[line.block]
                block = self.document.blocks[line.block]
                return block.content.to_source(min(layout.char(line.start), max(0, len(block.text) - 1)))
        return 0

    def locate_source(self, offset: int) -> tuple[int, int] | None:
        """(block, char) showing source ``offset``: the block containing it, else the next one."""
        if self.document is None:
            return None
        for bi, block in enumerate(self.document.blocks):
            start, end = block.source_start, block.source_end
            if offset < start:
                return (bi, 0)
            if offset < end:
                pos = block.content.text_position(offset)
                return (bi, pos if pos is not None else 0)
        return None

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

    def ensure_line_visible(self, line: int) -> None:
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if not top <= line < top + max(1, height):
            self.scroll_to_line(line)

    def visible_line_range(self) -> tuple[int, int]:
        top = int(self.scroll_offset.y)
        return top, min(len(self._lines), top + self.scrollable_content_region.height)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._notify_visible()
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, new_value / max(1, self.max_scroll_y)))

    def _page_label(self) -> str:
        """'p. 3/27 · ' for a paged document, else '': the page where the first text line in
        view ends (a line that wraps across a page break already shows the new page)."""
        doc = self.document
        if doc is None or not doc.page_count or not self._lines:
            return ""
        for line in self._lines[int(self.scroll_offset.y) :]:
            if line.block >= 0:
                block = doc.blocks[line.block]
                char = self._layouts[line.block].char(max(line.start, line.end - 1))
                page = doc.locate(block.content.to_source(min(char, max(0, len(block.text) - 1)))).get("page")
                return f"p. {page}/{doc.page_count} · " if page else ""
        return ""

    @property
    def visible_note_keys(self) -> list[str]:
        """Keys of the notes cited in the lines now in view."""
        return list(self._visible_keys)

    def _notify_visible(self) -> None:
        first, last = self.visible_line_range()
        if self._lines:
            shown = 100 if last >= len(self._lines) else int(100 * first / max(1, len(self._lines)))
            self.border_subtitle = f"{self._page_label()}{shown}%"
        keys: list[str] = []
        for place in self.refs:
            line = self._line_of(place.block, place.display_start)
            if first <= line < last and place.key not in keys:
                keys.append(place.key)
        if keys != self._visible_keys:
            self._visible_keys = keys
            self.post_message(self.VisibleNotesChanged(keys))

    # ------------------------------------------------------------- markers
    def go_to_ref(self, index: int, *, scroll: bool = True) -> None:
        if not self.refs:
            return
        self.current_ref = max(0, min(index, len(self.refs) - 1))
        self._invalidate()
        if scroll:
            place = self.refs[self.current_ref]
            self.ensure_line_visible(self._line_of(place.block, place.display_start))

    def ref_index_for(self, block: int, at: int, key: str) -> int | None:
        for place in self.refs:
            if place.block == block and place.key == key:
                layout = self._layouts[block]
                if layout.display(at) >= place.display_start - len(marker_label(place.label)) - 1:
                    return place.index
        for place in self.refs:
            if place.block == block and place.key == key:
                return place.index
        return None

    def go_to_citation(self, block: int, at: int, key: str) -> None:
        """Select the marker citing note ``key`` at (block, at), show it, and take the focus."""
        index = self.ref_index_for(block, at, key)
        if index is not None:
            self.go_to_ref(index, scroll=False)
            self.scroll_to_line(self.line_of_char(block, at))
        self.focus()

    def _first_ref_in_view(self) -> int | None:
        first, last = self.visible_line_range()
        for place in self.refs:
            if first <= self._line_of(place.block, place.display_start) < last:
                return place.index
        return None

    def action_next_marker(self) -> None:
        if not self.refs:
            self.app.bell()
            return
        if self.current_ref is None or not self._ref_in_view(self.current_ref):
            start = self._first_ref_in_view()
            self.go_to_ref(start if start is not None else 0)
        elif self.current_ref + 1 < len(self.refs):
            self.go_to_ref(self.current_ref + 1)
        else:
            self.app.bell()

    def action_previous_marker(self) -> None:
        if not self.refs:
            self.app.bell()
            return
        if self.current_ref is None or not self._ref_in_view(self.current_ref):
            start = self._first_ref_in_view()
            self.go_to_ref(start if start is not None else len(self.refs) - 1)
        elif self.current_ref > 0:
            self.go_to_ref(self.current_ref - 1)
        else:
            self.app.bell()

    def _ref_in_view(self, index: int) -> bool:
        place = self.refs[index]
        first, last = self.visible_line_range()
        return first <= self._line_of(place.block, place.display_start) < last

    def action_open_marker(self) -> None:
        if self.current_ref is None:
            self.action_next_marker()
        if self.current_ref is not None:
            place = self.refs[self.current_ref]
            self.post_message(self.NoteRequested(place.key, place.index))

    # ------------------------------------------------------------- hits
    def _scroll_to_hit(self, index: int) -> None:
        b, s, _ = self.hits[index]
        self.ensure_line_visible(self.line_of_char(b, s))
        self._invalidate()

    def go_to_hit(self, index: int) -> None:
        if not self.hits:
            return
        self.current_hit = index % len(self.hits)
        self._scroll_to_hit(self.current_hit)

    def clear_current_hit(self) -> None:
        self.current_hit = None
        self._invalidate()

    # ------------------------------------------------------------- mouse
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

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The article's text under a mouse selection (what ctrl+c copies)."""
        return selection.extract("\n".join(self.line_text(i) for i in range(len(self._lines)))), "\n"

    def line_text(self, index: int) -> str:
        """The plain text of line ``index`` as shown (for tests and copy)."""
        return self._render_text_line(index).text.rstrip()


# ----------------------------------------------------------------- wrapping
_WORD = re.compile(r"[^ ]*( *)")  # a word and the spaces after it (group 1)


def _word_wrap(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` into [start, end) ranges of at most ``width`` cells;
    continuation lines lose ``indent`` cells to a hanging indent."""
    if _all_narrow(text):
        return _word_wrap_narrow(text, width, indent)
    return _word_wrap_cells(text, width, indent)


# Characters known to take one cell each and never to join the next into one grapheme
# (grown as documents show them), and those known not to.
_NARROW: set[str] = {chr(c) for c in range(0x20, 0x7F)}
_NOT_NARROW: set[str] = set()
# Narrow on their own but joined into one wide grapheme with their neighbours.
_JOINING_RANGES = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF), (0x1F1E6, 0x1F1FF), (0x1F3FB, 0x1F3FF))


def _all_narrow(text: str) -> bool:
    """Whether each character of ``text`` is one cell on its own (letters, digits, punctuation,
    symbols and spaces; no combining marks, joiners, controls or wide characters)."""
    chars = set(text)
    if chars <= _NARROW:
        return True
    for ch in chars - _NARROW:
        if ch in _NOT_NARROW:
            return False
        cp = ord(ch)
        alone = (unicodedata.category(ch)[0] in "LNPS" or unicodedata.category(ch) == "Zs") and not any(
            a <= cp <= b for a, b in _JOINING_RANGES
        )
        if alone and cell_len(ch) == 1:
            _NARROW.add(ch)
        else:
            _NOT_NARROW.add(ch)
            return False
    return True


def _word_wrap_narrow(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """``_word_wrap`` for text of narrow characters, one cell each: the same lines, found
    without measuring each word (measuring was most of laying out 100,000 notes)."""
    lines: list[tuple[int, int]] = []
    col = 0
    limit = width
    line_start = 0
    n = len(text)
    for match in _WORD.finditer(text):
        pos, end = match.span()
        if pos == n:
            break
        word_end = match.start(1)
        w = word_end - pos
        if col and col + w > limit:
            lines.append((line_start, pos))
            line_start = pos
            col = 0
            limit = width - indent
        while w > limit:  # a word longer than the line: break it
            cut = pos + max(limit, 1)
            lines.append((line_start, cut))
            line_start = pos = cut
            w = word_end - pos
            col = 0
            limit = width - indent
        col += w + (end - word_end)
    if line_start < n or not lines:
        lines.append((line_start, n))
    return lines


def _word_wrap_cells(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """``_word_wrap`` for any text: each word measured in terminal cells."""
    lines: list[tuple[int, int]] = []
    col = 0
    limit = width
    pos = 0
    n = len(text)
    line_start = 0
    while pos < n:
        # next word with its trailing spaces
        end = pos
        while end < n and text[end] != " ":
            end += 1
        word_end = end
        while end < n and text[end] == " ":
            end += 1
        w = cell_len(text[pos:word_end])
        if col and col + w > limit:
            lines.append((line_start, pos))
            line_start = pos
            col = 0
            limit = width - indent
        while w > limit:  # a word longer than the line: break it
            cut = pos
            used = 0
            while cut < word_end and used + cell_len(text[cut]) <= limit:
                used += cell_len(text[cut])
                cut += 1
            cut = max(cut, pos + 1)
            lines.append((line_start, cut))
            line_start = pos = cut
            w = cell_len(text[pos:word_end])
            col = 0
            limit = width - indent
        col += w + (end - word_end)
        pos = end
    if line_start < n or not lines:
        lines.append((line_start, n))
    return lines


def _hard_wrap(text: str, width: int) -> list[tuple[int, int]]:
    if not text:
        return [(0, 0)]
    out = []
    start = 0
    while start < len(text):
        end = start
        used = 0
        while end < len(text) and used + cell_len(text[end]) <= width:
            used += cell_len(text[end])
            end += 1
        end = max(end, start + 1)
        out.append((start, end))
        start = end
    return out


def _wrap_plain(text: str, width: int) -> list[str]:
    return [text[a:b].rstrip() for a, b in _word_wrap(text, width, 0)] or [""]
