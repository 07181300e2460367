"""The footnotes panel: every note with its label, full text, links and the
places it is cited; notes cited in the visible part of the article are marked.

A line-API widget, like the article: the notes are wrapped once per width and
only the lines in view are rendered.  (One widget per note made opening a
document with dozens of notes spend most of its time mounting and laying out
widgets.)  The panel keeps a current note, moved with the arrow keys or a
click; keys act on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.timer import Timer

from ...core.model import Document, Footnote
from .article import LINE_CACHE_SIZE, _word_wrap, marker_label
from .selection import with_selection
from .styling import component_style, keep_readable

GUTTER = "▌ "
EMPTY = "This document has no footnotes."
UNDEFINED = "(no definition found in the document)"
STYLED_NOTES_KEPT = 256  # styled note texts kept for rendering: a few screens' worth
FLASH_SECONDS = 1.2


@dataclass(slots=True)
class _LinkChoice:
    copy: bool
    count: int  # links in the note
    digits: str = ""  # typed so far


@dataclass(slots=True)
class _Line:
    note: int  # index into the notes; -1 for the "no footnotes" line
    start: int  # the line is [start, end) of its note's plain text (_NoteLayout.plain)
    end: int
    blank: bool = False  # the blank line after a note


@dataclass(slots=True)
class _NoteLayout:
    """A note's text as the panel shows it, before styling: wrapping needs only this, so a
    document with 100,000 notes is laid out without building 100,000 styled texts."""

    plain: str
    body_start: int  # where the note's own text begins in ``plain``
    inserts: list[tuple[int, str]]  # (position in the note's text, "[n] ") link numbers put before links
    back_start: int  # where the "↩ …" / "not cited" line begins

    def shift(self, pos: int) -> int:
        """Where position ``pos`` of the note's text is in ``plain``."""
        return self.body_start + pos + sum(len(label) for at, label in self.inserts if at <= pos)

    def unshift(self, plain_pos: int) -> int:
        """The position of the note's text shown at ``plain_pos`` (a link number maps to its link)."""
        shown = plain_pos - self.body_start
        before = 0  # link-number cells inserted before this point
        for at, label in self.inserts:
            if shown < at + before:
                break
            if shown < at + before + len(label):
                return at
            before += len(label)
        return max(0, shown - before)


def _citation_labels(note: Footnote) -> list[str]:
    """The labels of a note's citations in its "↩" line: ¹, or ¹a ¹b … when cited more than once."""
    many = len(note.cited_at) > 1
    return [marker_label(note.label) + (chr(0x61 + c) if many and c < 26 else "") for c in range(len(note.cited_at))]


def _layout_note(note: Footnote) -> _NoteLayout:
    head = f"{note.label:>3} "
    inserts: list[tuple[int, str]] = []
    if not note.defined:
        body = UNDEFINED
    else:
        for n, link in enumerate(note.links):
            start = note.content.text_position(link.source_start)
            last = note.content.text_position(link.source_end - 1)
            if start is not None and last is not None:
                inserts.append((start, f"[{n + 1}] "))  # as lynx and newsboat number theirs
        inserts.sort()
        body, last_at = "", 0
        for at, label in inserts:
            body += note.text[last_at:at] + label
            last_at = at
        body += note.text[last_at:]
    if note.cited_at:
        labels = _citation_labels(note)
        said = "cited in the text" if len(note.cited_at) == 1 else f"cited {len(note.cited_at)} times"
        back = "\n    ↩ " + "".join(f"{label} " for label in labels) + said
    else:  # a note no marker points to: say so, rather than offer a way back that is not there
        back = "\n    not cited in the text"
    plain = head + body + back
    return _NoteLayout(plain, len(head), inserts, len(head) + len(body))


class NotesPanel(ScrollView, can_focus=True):
    """All notes of the open document.  Enter/r on a note jumps back to where it is cited."""

    BINDINGS = [
        Binding(
            "enter,r",
            "back_to_citation",
            "Back to text",
            id="note.back_to_citation",
            tooltip="Jump to the marker citing this note (again for the next citation)",
        ),
        Binding(
            "o", "open_link", "Open link", id="note.open_link", tooltip="Open a link of this note: o, then its [n]"
        ),
        Binding(
            "y", "copy_link", "Copy link", id="note.copy_link", tooltip="Copy a link of this note: y, then its [n]"
        ),
        Binding("down,j", "next_note", "Next", show=False, id="note.next"),
        Binding("up,k", "previous_note", "Previous", show=False, id="note.previous"),
        Binding("home", "first_note", "First", show=False, id="note.first"),
        Binding("end", "last_note", "Last", show=False, id="note.last"),
    ]

    COMPONENT_CLASSES = {
        "notes--text",
        "notes--visible",
        "notes--current",
        "notes--flash",
        "notes--gutter-visible",
        "notes--gutter-current",
        "notes--label",
        "notes--link",
        "notes--hit",
        "notes--hit-current",
        # annotations (ui/annotating.py), as in the article
        "notes--highlight-yellow",
        "notes--highlight-green",
        "notes--highlight-blue",
        "notes--highlight-pink",
        "notes--selection",
        "notes--back",
        "notes--empty",
        "notes--link-number",
        "notes--entity-person",
        "notes--entity-org",
        "notes--entity-place",
        "notes--entity-group",
    }

    # Colours are blended over what is behind them and kept readable by ``styling``.
    DEFAULT_CSS = """
    NotesPanel > .notes--text { color: $foreground-muted; }
    NotesPanel > .notes--visible { color: $foreground; }
    NotesPanel > .notes--current { background: $accent 15%; }
    NotesPanel > .notes--flash { background: $accent 35%; }
    NotesPanel > .notes--gutter-visible { color: $accent 50%; }
    NotesPanel > .notes--gutter-current { color: $accent; }
    NotesPanel > .notes--label { text-style: bold; }
    NotesPanel > .notes--link { text-style: underline; }
    NotesPanel > .notes--hit { background: $warning 40%; color: $foreground; }
    NotesPanel > .notes--highlight-yellow { background: $warning 35%; }
    NotesPanel > .notes--highlight-green { background: $success 35%; }
    NotesPanel > .notes--highlight-blue { background: $primary 40%; }
    NotesPanel > .notes--highlight-pink { background: $error 30%; }
    NotesPanel > .notes--selection { background: $accent 55%; text-style: underline; }
    NotesPanel > .notes--hit-current { background: $warning; color: auto; text-style: bold; }
    NotesPanel > .notes--back { color: $foreground-muted; }
    NotesPanel > .notes--empty { color: $foreground-muted; text-style: italic; }
    NotesPanel > .notes--link-number { text-style: bold; }
    NotesPanel > .notes--entity-person { color: $text-success; }
    NotesPanel > .notes--entity-org { color: $text-primary; }
    NotesPanel > .notes--entity-place { color: $text-error; }
    NotesPanel > .notes--entity-group { color: $text-secondary; text-style: italic; }
    """

    class CitationRequested(Message):
        def __init__(self, key: str, citation: int) -> None:
            super().__init__()
            self.key = key
            self.citation = citation

    class LinkRequested(Message):
        def __init__(self, url: str, copy: bool = False) -> None:
            super().__init__()
            self.url = url
            self.copy = copy

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes: list[Footnote] = []
        self._position_of: dict[str, int] = {}  # note key -> position in self.notes
        self.current: int | None = None
        self.cited_on_screen: set[str] = set()
        self.hits: dict[str, list[tuple[int, int]]] = {}  # note key -> spans in its text
        self.highlights: dict[str, list[tuple[int, int, str]]] = {}  # note key -> (start, end, colour)
        self.selection: tuple[str, int, int] | None = None  # a passage being selected by keys: (key, start, end)
        self.current_hit: tuple[str, int] | None = None
        self.entities: dict[str, list[tuple[int, int, str]]] = {}  # note key -> (start, end, type) in its text
        self.flashing: int | None = None
        self._next_citation: dict[str, int] = {}
        self._lines: list[_Line] = []
        self._first_line: list[int] = []  # per note
        self._layouts: list[_NoteLayout] = []  # per note, made when a document is shown
        self._scroll_after_wrap: int | None = None  # a note to bring to the top once wrapped
        self._styled: LRUCache[int, Text] = LRUCache(STYLED_NOTES_KEPT)
        self._wrap_width = 0
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(LINE_CACHE_SIZE)  # (line, state) -> rendered
        self._styles: dict[tuple[str, ...], Style] = {}  # component styles, resolved once per theme
        self._flash_timer: Timer | None = None
        self._document_shown = False  # before the first document: an empty panel, not "no footnotes"
        self._link_choice: _LinkChoice | None = None  # asking which link `o`/`y` is for
        self.border_title = "Notes"

    # ------------------------------------------------------------ content
    def show(self, document: Document) -> None:
        self._document_shown = True
        self.notes = list(document.footnotes)
        self._position_of = {}
        for i, note in enumerate(self.notes):
            self._position_of.setdefault(note.key, i)
        self.current = None
        self.cited_on_screen = set()
        self.hits, self.current_hit = {}, None
        self.entities = {}
        self.selection = None
        self.flashing = None
        self._next_citation = {}
        self._link_choice = None
        self.border_subtitle = ""
        self.border_title = f"Notes ({len(self.notes)})" if self.notes else "Notes"
        self.set_class(not self.notes, "-empty")  # the stylesheet makes an empty panel small
        self._layouts = [_layout_note(note) for note in self.notes]
        self._styled.clear()
        self._wrap(force=True)
        self.scroll_to(y=0, animate=False, immediate=True)

    def note(self, key: str) -> Footnote | None:
        i = self._position_of.get(key)
        return self.notes[i] if i is not None else None

    @property
    def current_note(self) -> Footnote | None:
        return self.notes[self.current] if self.current is not None else None

    @property
    def current_key(self) -> str | None:
        note = self.current_note
        return note.key if note is not None else None

    def set_hits(self, hits: dict[str, list[tuple[int, int]]], current: tuple[str, int] | None = None) -> None:
        """Find hits in the notes' texts (spans per note key), with one of them current."""
        self.hits, self.current_hit = hits, current
        self._restyle_notes()

    def set_highlights(self, highlights: dict[str, list[tuple[int, int, str]]]) -> None:
        """The reader's highlights in the notes' texts (spans and colour per note key)."""
        self.highlights = highlights
        self._restyle_notes()

    def set_selection(self, selection: tuple[str, int, int] | None) -> None:
        """The passage being selected by keys: (note key, start, end) in the note's text."""
        if selection == self.selection:
            return
        for key in {s[0] for s in (self.selection, selection) if s is not None}:
            i = self._position_of.get(key)
            if i is not None:  # only that note is styled again
                self._styled.discard(i)
        self.selection = selection
        self._cache.clear()
        self.refresh()

    def body_lines(self, key: str) -> list[tuple[int, int]]:
        """Note ``key``'s text line by line as shown: (start, end) in the note's own text."""
        i = self._position_of.get(key)
        if i is None or i >= len(self._first_line):
            return []
        layout = self._layouts[i]
        if not self.notes[i].defined:
            return []
        end = self._first_line[i + 1] if i + 1 < len(self._first_line) else len(self._lines)
        out = []
        for line in self._lines[self._first_line[i] : end]:
            a, b = max(line.start, layout.body_start), min(line.end, layout.back_start)
            if not line.blank and a < b:
                out.append((layout.unshift(a), layout.unshift(b - 1) + 1))
        return out

    def show_note_line(self, key: str, line: int) -> None:
        """Scroll so that body line ``line`` of note ``key`` is in view."""
        i = self._position_of.get(key)
        if i is None:
            return
        layout = self._layouts[i]
        first = self._first_line[i] + next(
            (n for n, ln in enumerate(self._lines[self._first_line[i] :]) if ln.end > layout.body_start), 0
        )
        self.scroll_to_region(Region(0, first + line, 1, 1), animate=False, immediate=True)

    def set_entities(self, entities: dict[str, list[tuple[int, int, str]]]) -> None:
        """Highlight entity mentions in the notes' texts (spans and type per note key; dates are not shown)."""
        self.entities = entities
        self._restyle_notes()

    def _restyle_notes(self) -> None:
        """Styles changed, the text did not: the lines stay, what they look like is made again."""
        self._styled.clear()
        self._cache.clear()
        self.refresh()

    def _note_text(self, i: int) -> Text:
        """Note ``i`` styled: its layout's plain text with label, links, entities and hits."""
        text = self._styled.get(i)
        if text is not None:
            return text
        note, layout = self.notes[i], self._layouts[i]
        text = Text(layout.plain, end="")
        text.stylize(self._style("notes--label"), 0, layout.body_start)
        if not note.defined:
            text.stylize("italic", layout.body_start, layout.back_start)
        else:
            link_style = self._style("notes--link")
            number_style = self._style("notes--link-number")
            numbered = iter(layout.inserts)
            for n, link in enumerate(note.links):
                start = note.content.text_position(link.source_start)
                last = note.content.text_position(link.source_end - 1)
                if start is None or last is None:
                    continue
                at, label = next(numbered)
                label_start = layout.shift(at) - len(label)
                text.stylize(number_style, label_start, label_start + len(label))
                end = layout.shift(max(last, start)) + 1
                text.stylize(link_style + Style(meta={"note": i, "link": n}), layout.shift(start), end)
            for a, b, etype in self.entities.get(note.key, []):
                if etype != "DATE" and b > a:
                    text.stylize(
                        self._style(f"notes--entity-{etype.lower()}"), layout.shift(a), layout.shift(b - 1) + 1
                    )
            for a, b, colour in self.highlights.get(note.key, []):
                if b > a:
                    text.stylize(self._style(f"notes--highlight-{colour}"), layout.shift(a), layout.shift(b - 1) + 1)
            if self.selection is not None and self.selection[0] == note.key and self.selection[2] > self.selection[1]:
                a, b = self.selection[1], self.selection[2]
                text.stylize(self._style("notes--selection"), layout.shift(a), layout.shift(b - 1) + 1)
            for n, (a, b) in enumerate(self.hits.get(note.key, [])):
                if b > a:
                    current = self.current_hit == (note.key, n)
                    style = self._style("notes--hit-current" if current else "notes--hit")
                    text.stylize(style, layout.shift(a), layout.shift(b - 1) + 1)
        back = self._style("notes--back")
        if not note.cited_at:
            text.stylize(back, layout.back_start, len(layout.plain))
        else:  # each citation's label a link back to it, between "↩" and "cited …" in the muted style
            pos = layout.back_start + len("\n    ↩ ")
            text.stylize(back, layout.back_start, pos)
            for c, label in enumerate(_citation_labels(note)):
                text.stylize(Style(bold=True, meta={"note": i, "cite": c}), pos, pos + len(label))
                pos += len(label) + 1
            text.stylize(back, pos, len(layout.plain))
        self._styled.set(i, text)
        return text

    def _style(self, *names: str) -> Style:
        style = self._styles.get(names)
        if style is None:
            style = self._styles[names] = component_style(self, *names)
        return style

    # ------------------------------------------------------------- layout
    def _wrap(self, force: bool = False) -> None:
        # The width with the scroll bar shown, whether or not it is: wrapping must not
        # depend on the bar its own result turns on.
        bar = 0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical
        width = max(10, self.scrollable_content_region.width - bar - len(GUTTER))
        if not force and width == self._wrap_width:
            return
        self._wrap_width = width
        self._cache.clear()
        lines: list[_Line] = []
        self._first_line = []
        if not self.notes and self._document_shown:
            lines.append(_Line(-1, 0, len(EMPTY)))
        append = lines.append
        for i, layout in enumerate(self._layouts):
            self._first_line.append(len(lines))
            pos = 0
            for piece in layout.plain.split("\n"):
                for a, b in _word_wrap(piece, width, 0):
                    while b > a + 1 and piece[b - 1] == " ":  # the space a line broke at is not shown
                        b -= 1
                    append(_Line(i, pos + a, pos + b))
                pos += len(piece) + 1
            append(_Line(i, 0, 0, blank=True))
        self._lines = lines
        self.virtual_size = Size(width + len(GUTTER), len(lines))
        if self._scroll_after_wrap is not None and self._scroll_after_wrap < len(self._first_line):
            self.call_after_refresh(self._scroll_to_note, self._scroll_after_wrap, top=True)
        self._scroll_after_wrap = None
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()

    def on_mount(self) -> None:
        # Our styles are baked into the wrapped lines: a new theme needs them made again.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._restyle)

    def _restyle(self) -> None:
        self._styles.clear()
        self._restyle_notes()

    def note_region(self, i: int) -> Region:
        """The note's lines (without the blank after it), in the panel's virtual space."""
        first = self._first_line[i]
        last = self._first_line[i + 1] - 1 if i + 1 < len(self._first_line) else len(self._lines) - 1
        return Region(0, first, self.virtual_size.width, max(1, last - first))

    def _scroll_to_note(self, i: int, *, top: bool = False) -> None:
        region = self.note_region(i)
        if top:
            self.scroll_to(y=region.y, animate=False, immediate=True)
        else:
            self.scroll_to_region(region, animate=False, immediate=True)

    # ------------------------------------------------------------- render
    def render_lines(self, crop):
        self._base_style = self.rich_style  # once per pass: rich_style walks the ancestors
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = getattr(self, "_base_style", None) or self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        state = self._state(line.note)
        strip = self._cache.get((index, state))
        if strip is None:
            strip = self._render_line_state(line, state, base)
            self._cache.set((index, state), strip)
        strip = with_selection(self, strip, index)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, index)

    def _state(self, i: int) -> int:
        """0 plain, 1 cited in the visible text, 2 current, 3 current in a focused panel; +4 flashing."""
        if i < 0:
            return 0
        if i == self.current:
            state = 3 if self.has_focus else 2
        else:
            state = 1 if self.notes[i].key in self.cited_on_screen else 0
        return state + (4 if i == self.flashing else 0)

    def _render_line_state(self, line: _Line, state: int, base: Style) -> Strip:
        level = state & 3
        layers = ["notes--visible" if level else "notes--text"]
        if level == 3:
            layers.append("notes--current")
        if state & 4:
            layers.append("notes--flash")
        row = base + self._style(*layers)
        if level and line.note >= 0:  # a bar beside notes cited on screen, a bright one beside the current
            gutter = "notes--gutter-current" if level > 1 else "notes--gutter-visible"
            segments = [Segment(GUTTER, row + self._style(*layers[1:], gutter))]
        else:
            segments = [Segment(" " * len(GUTTER), row)]
        text = self._line_styled(line)
        if text is not None:
            segments.extend(
                Segment(s.text, keep_readable(row + s.style) if s.style else row)
                for s in text.render(self.app.console)
                if s.text and "\n" not in s.text
            )
        strip = Strip(segments)
        if state & 3 == 3 or state & 4:  # the current note's background runs the whole width
            strip = strip.extend_cell_length(self.scrollable_content_region.width, row)
        return strip

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The notes' text under a mouse selection (what ctrl+c copies), without the gutter."""
        pad = " " * len(GUTTER)
        # the strips carry offsets (column from the gutter, line index): the same grid here
        text = "\n".join(pad + self.line_text(i) for i in range(len(self._lines)))
        picked = selection.extract(text)
        return "\n".join(line.removeprefix(pad) for line in picked.split("\n")), "\n"

    def note_position(self, index: int, column: int) -> tuple[str, int] | None:
        """(note key, position in the note's own text) at ``column`` of line ``index``, columns
        counted as the strips' offsets are (from the gutter's left edge); None off a note's text.
        A column past the line's text gives the line's end: a drag let go there took the line."""
        if not 0 <= index < len(self._lines):
            return None
        line = self._lines[index]
        if line.blank or line.note < 0 or not self.notes[line.note].defined:
            return None
        layout = self._layouts[line.note]
        a, b = max(line.start, layout.body_start), min(line.end, layout.back_start)
        if a >= b:
            return None
        shown = min(max(line.start + column - len(GUTTER), a), b)
        at = layout.unshift(shown) if shown < b else layout.unshift(b - 1) + 1
        return self.notes[line.note].key, at

    def _line_styled(self, line: _Line) -> Text | None:
        if line.blank:
            return None
        if line.note < 0:
            return Text(EMPTY, style=self._style("notes--empty"), end="")
        return self._note_text(line.note)[line.start : line.end]

    def line_text(self, index: int) -> str:
        """The plain text of line ``index``, after the gutter (for tests)."""
        line = self._lines[index]
        if line.blank:
            return ""
        if line.note < 0:
            return EMPTY
        return self._layouts[line.note].plain[line.start : line.end]

    def on_focus(self) -> None:
        if self.current is None and self.notes:
            self.current = self._first_shown_note()
        self.refresh()

    def on_blur(self) -> None:
        if self._link_choice is not None:
            self._end_link_choice()
        self.refresh()

    def _first_shown_note(self) -> int:
        cited = [self._position_of[k] for k in self.cited_on_screen if k in self._position_of]
        if cited:
            return min(cited)
        top = self.scroll_offset.y
        for i, first in enumerate(self._first_line):
            if first >= top:
                return i
        return len(self.notes) - 1

    # ------------------------------------------------------------- marking
    def mark_visible(self, keys: list[str]) -> None:
        self.cited_on_screen = set(keys)
        if keys and keys[0] in self._position_of and not self.has_focus:
            first = self._position_of[keys[0]]
            self._scroll_to_note(first, top=True)
            # A document just shown (a reading position restored) may not be wrapped to the
            # panel's width yet: the scroll had nowhere to go, so the next wrap makes it.
            self._scroll_after_wrap = first
        self.refresh()

    def focus_note(self, key: str) -> Footnote | None:
        i = self._position_of.get(key)
        if i is None:
            return None
        self.current = i
        self._scroll_to_note(i, top=True)
        self.focus(scroll_visible=False)
        self.flash(i)
        return self.notes[i]

    def show_note(self, key: str) -> None:
        """Make note ``key`` current and scroll to it without taking the focus (find as you type)."""
        i = self._position_of.get(key)
        if i is not None:
            self.current = i
            self._scroll_to_note(i, top=True)
            self.refresh()

    def flash(self, i: int) -> None:
        self.flashing = i
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)
        self.refresh()

    def _end_flash(self) -> None:
        self.flashing = None
        self.refresh()

    @property
    def has_focus_within(self) -> bool:
        return self.has_focus

    # ------------------------------------------------------------- input
    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "note" in meta and "link" in meta:
            self.post_message(self.LinkRequested(self.notes[int(meta["note"])].links[int(meta["link"])].url))
            event.stop()
            return
        if "note" in meta and "cite" in meta:
            self.post_message(self.CitationRequested(self.notes[int(meta["note"])].key, int(meta["cite"])))
            event.stop()
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + self.scroll_offset.y
        if 0 <= index < len(self._lines) and self._lines[index].note >= 0:
            self.current = self._lines[index].note
            self.refresh()

    def _move(self, to: int) -> None:
        if not self.notes:
            return
        self.current = max(0, min(len(self.notes) - 1, to))
        self._scroll_to_note(self.current)
        self.refresh()

    def action_next_note(self) -> None:
        self._move(0 if self.current is None else self.current + 1)

    def action_previous_note(self) -> None:
        self._move(0 if self.current is None else self.current - 1)

    def action_first_note(self) -> None:
        self._move(0)

    def action_last_note(self) -> None:
        self._move(len(self.notes) - 1)

    def action_back_to_citation(self) -> None:
        note = self.current_note
        if note is None or not note.cited_at:
            self.app.bell()
            return
        citation = self._next_citation.get(note.key, 0) % len(note.cited_at)
        self._next_citation[note.key] = citation + 1
        self.post_message(self.CitationRequested(note.key, citation))

    def action_open_link(self) -> None:
        self._choose_link(copy=False)

    def action_copy_link(self) -> None:
        self._choose_link(copy=True)

    def _choose_link(self, *, copy: bool) -> None:
        """One link: act on it.  Several: ask for its number (shown as [n] in the note)."""
        note = self.current_note
        if note is None or not note.links:
            self.notify("This note has no link.", severity="warning")
            return
        if len(note.links) == 1:
            self.post_message(self.LinkRequested(note.links[0].url, copy=copy))
            return
        self._link_choice = _LinkChoice(copy, len(note.links))
        verb = "copy" if copy else "open"
        self.border_subtitle = f"{verb} link 1–{len(note.links)}? (escape: cancel)"

    def _end_link_choice(self) -> None:
        self._link_choice = None
        self.border_subtitle = ""

    def on_key(self, event: events.Key) -> None:
        choice = self._link_choice
        if choice is None:
            return
        # while a link number is asked for, every key answers (or cancels): none acts as a binding
        event.stop()
        event.prevent_default()
        note = self.current_note
        if note is None or event.key == "escape":
            self._end_link_choice()
            return
        if event.key == "enter" and choice.digits:
            number = int(choice.digits)
        elif event.character is not None and event.character.isdigit():
            choice.digits += event.character
            number = int(choice.digits)
            if number * 10 <= choice.count:  # a longer number could follow: wait for it
                return
        else:
            self._end_link_choice()
            return
        self._end_link_choice()
        if 1 <= number <= len(note.links):
            self.post_message(self.LinkRequested(note.links[number - 1].url, copy=choice.copy))
        else:
            self.notify(f"This note has links 1–{len(note.links)}.", severity="warning", markup=False)
