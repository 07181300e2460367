"""The footnotes panel: every note with its label, full text, links and the
places it is cited; notes cited in the visible part of the article are marked.

A line-API widget, like the article: only the lines in view are rendered, and a note is
wrapped only once it is drawn or asked about (``notes_layout``), so 100,000 notes open as
fast as ten.  (One widget per note made opening a document with dozens of notes spend
most of its time mounting and laying out widgets.)  The panel keeps a current note,
moved with the arrow keys or a click; keys act on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Offset
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.timer import Timer

from ...core.model import Document, Footnote
from .notes_layout import NoteLine
from .notes_lines import EMPTY, GUTTER, NoteLines
from .notes_styles import NOTES_COMPONENTS, NOTES_CSS, NoteMarks, style_note
from .selection import with_selection
from .styling import component_style, keep_readable

STYLED_NOTES_KEPT = 256  # styled note texts kept for rendering: a few screens' worth
FLASH_SECONDS = 1.2


@dataclass(slots=True)
class _LinkChoice:
    copy: bool
    count: int  # links in the note
    digits: str = ""  # typed so far


class NotesPanel(NoteLines, can_focus=True):
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

    COMPONENT_CLASSES = NOTES_COMPONENTS
    DEFAULT_CSS = NOTES_CSS

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
        self.current: int | None = None
        self.marks = NoteMarks()
        self.flashing: int | None = None
        self._next_citation: dict[str, int] = {}
        self._styled: LRUCache[int, Text] = LRUCache(STYLED_NOTES_KEPT)
        self._styles: dict[tuple[str, ...], Style] = {}  # component styles, resolved once per theme
        self._flash_timer: Timer | None = None
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
        self.marks = NoteMarks()
        self.flashing = None
        self._next_citation = {}
        self._link_choice = None
        self.border_subtitle = ""
        self.border_title = f"Notes ({len(self.notes)})" if self.notes else "Notes"
        self.set_class(not self.notes, "-empty")  # the stylesheet makes an empty panel small
        self._styled.clear()
        self._wrap(force=True)
        self.scroll_to(y=0, animate=False, immediate=True)

    @property
    def current_note(self) -> Footnote | None:
        return self.notes[self.current] if self.current is not None else None

    @property
    def current_key(self) -> str | None:
        note = self.current_note
        return note.key if note is not None else None

    @property
    def current_hit(self) -> tuple[str, int] | None:
        return self.marks.current_hit

    @property
    def hits(self) -> dict[str, list[tuple[int, int]]]:
        """Find hits in the notes' texts: note key -> spans."""
        return self.marks.hits

    @property
    def entities(self) -> dict[str, list[tuple[int, int, str]]]:
        """Entity mentions in the notes' texts: note key -> (start, end, type)."""
        return self.marks.entities

    @property
    def selection(self) -> tuple[str, int, int] | None:
        return self.marks.selection

    def set_hits(self, hits: dict[str, list[tuple[int, int]]], current: tuple[str, int] | None = None) -> None:
        """Find hits in the notes' texts (spans per note key), with one of them current."""
        self.marks.hits, self.marks.current_hit = hits, current
        self._restyle_notes()

    def set_highlights(self, highlights: dict[str, list[tuple[int, int, str]]]) -> None:
        """The reader's highlights in the notes' texts (spans and colour per note key)."""
        self.marks.highlights = highlights
        self._restyle_notes()

    def set_selection(self, selection: tuple[str, int, int] | None) -> None:
        """The passage being selected by keys: (note key, start, end) in the note's text."""
        if selection == self.marks.selection:
            return
        for key in {s[0] for s in (self.marks.selection, selection) if s is not None}:
            i = self._position_of.get(key)
            if i is not None:  # only that note is styled again
                self._styled.discard(i)
        self.marks.selection = selection
        self._cache.clear()
        self.refresh()

    def set_entities(self, entities: dict[str, list[tuple[int, int, str]]]) -> None:
        """Highlight entity mentions in the notes' texts (spans and type per note key; dates are not shown)."""
        self.marks.entities = entities
        self._restyle_notes()

    def _restyle_notes(self) -> None:
        """Styles changed, the text did not: the lines stay, what they look like is made again."""
        self._styled.clear()
        self._cache.clear()
        self.refresh()

    def _note_text(self, i: int) -> Text:
        """Note ``i`` styled: its plain text with label, links, entities and hits."""
        text = self._styled.get(i)
        if text is None:
            text = style_note(i, self.notes[i], self._layout.text(i), self.marks, self._style)
            self._styled.set(i, text)
        return text

    def _style(self, *names: str) -> Style:
        style = self._styles.get(names)
        if style is None:
            style = self._styles[names] = component_style(self, *names)
        return style

    def on_mount(self) -> None:
        # Our styles are baked into the wrapped lines: a new theme needs them made again.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._restyle)

    def _restyle(self) -> None:
        self._styles.clear()
        self._restyle_notes()

    # ------------------------------------------------------------- render
    def render_lines(self, crop):
        self._base_style = self.rich_style  # once per pass: rich_style walks the ancestors
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = getattr(self, "_base_style", None) or self.rich_style
        line = self._layout.line(index)
        if line is None:
            return Strip.blank(width, base)
        state = self._state(line.note)
        row = index - self._layout.first_line(line.note) if line.note >= 0 else 0
        key = (line.note, row, state)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_line_state(line, state, base)
            self._cache.set(key, strip)
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

    def _render_line_state(self, line: NoteLine, state: int, base: Style) -> Strip:
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
        # only the lines selected, not the whole panel (wrapping 100,000 notes for a copy)
        first = selection.start.y if selection.start is not None else 0
        last = selection.end.y if selection.end is not None else self._layout.height - 1
        text = "\n".join(pad + self.line_text(i) for i in range(first, last + 1))
        moved = Selection(
            Offset(selection.start.x, 0) if selection.start is not None else None,
            Offset(selection.end.x, last - first) if selection.end is not None else None,
        )
        picked = moved.extract(text)
        return "\n".join(line.removeprefix(pad) for line in picked.split("\n")), "\n"

    def _line_styled(self, line: NoteLine) -> Text | None:
        if line.blank:
            return None
        if line.note < 0:
            return Text(EMPTY, style=self._style("notes--empty"), end="")
        return self._note_text(line.note)[line.start : line.end]

    def on_focus(self) -> None:
        if self.current is None and self.notes:
            self.current = self._first_shown_note()
        self.refresh()

    def on_blur(self) -> None:
        if self._link_choice is not None:
            self._end_link_choice()
        self.refresh()

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
        line = self._layout.line(index)
        if line is not None and line.note >= 0:
            self.current = line.note
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
