"""The reading screen: the library list, the document being read with its notes, its entities,
the find bar, the status line. The app underneath keeps the settings and the background work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from ...core.collector import set_aside_live_objects
from ...core.library import LibraryDocument
from ...core.model import Document
from ...search import SearchHit, SearchResults
from ...state.history import Location
from ..annotating import Annotator
from ..commands import PaletteCommand
from ..literal import literal_markup
from ..welcome import empty_library_text
from ..widgets.article import ArticleView
from ..widgets.entities import EntitiesPanel
from ..widgets.findbar import FindBar
from ..widgets.legend import EntityLegend
from ..widgets.library import LibraryPane, library_items
from ..widgets.library_rows import LibraryRows
from ..widgets.notes import NotesPanel
from ..widgets.reading_pane import ReadingPane
from ..widgets.selection_bar import SelectionBar
from ..widgets.status import StatusLine
from . import reader_pickers
from .reader_commands import page_command, reader_commands
from .reader_documents import Opened, Openings, entity_spans, find_entities, follow_link, read_document
from .reader_entities import ReaderEntities
from .reader_find import FindSession
from .reader_layout import PaneLayout
from .reader_warnings import warnings_badge, warnings_line
from .search import SearchChoice, SearchScreen
from .timeline import open_entity_chart, open_timeline

if TYPE_CHECKING:
    from ..app import ReaderApp


FREEZE_CATALOG_FROM = 10_000  # documents

# How long the reading position must keep still before it is saved: scrolling writes the file
# at most twice a second. (Quitting, and a browser closing its session, save at once.)
SAVE_DELAY = 0.4


class ReaderScreen(Screen[None]):
    # Ids keep their "app." prefix: users remap keys by id (settings.yaml) since these were the app's.
    BINDINGS = [
        Binding("slash", "search", "Search", id="app.search", tooltip="Search the whole library"),
        Binding("ctrl+f", "find", "Find", id="app.find", tooltip="Find in this document, notes included"),
        Binding("n", "step_hit(1)", "Next hit", show=False, id="app.next_hit"),
        Binding("N", "step_hit(-1)", "Previous hit", show=False, id="app.previous_hit"),
        Binding("backspace,alt+left", "history_back", "Back", id="app.back", tooltip="Back to where you were"),
        Binding("alt+right", "history_forward", "Forward", show=False, id="app.forward"),
        Binding("l", "toggle_library", "Library", id="app.toggle_library"),
        Binding("f", "toggle_notes", "Notes", id="app.toggle_notes"),
        Binding(
            "e",
            "cycle_entities",
            "Entities",
            id="app.entity_highlight",
            tooltip="Highlight entities: all, one type at a time, or none",
        ),
        Binding("E", "toggle_entity_panel", "Entity list", show=False, id="app.entity_panel"),
        Binding("c", "compare", "Compare", id="app.compare", tooltip="Read another document side by side"),
        Binding(
            "R", "related", "Related", show=False, id="app.related", tooltip="Library documents most like this one"
        ),
        Binding("T", "timeline", "Timeline", show=False, id="app.timeline", tooltip="Documents by date or period"),
        Binding(
            "v",
            "select",
            "Select",
            show=False,
            id="app.select",
            tooltip="Select a passage to highlight, annotate or quote",
        ),
        Binding("m", "bookmark", "Bookmark", show=False, id="app.bookmark", tooltip="Bookmark this place"),
        Binding("A", "annotations", "Annotations", show=False, id="app.annotations", tooltip="Your annotations"),
    ]

    entity_filter: var[frozenset[str] | None] = var(None, init=False)  # pushed down to the pane and the legend

    def __init__(self, open_ref: str | None, status_seconds: float) -> None:
        super().__init__()
        self.last_search: str | None = None
        self.annotator = Annotator(self)
        self.open_ref = open_ref
        self.openings = Openings(self)
        self.status_seconds = status_seconds
        self.library_items: list[LibraryDocument] = []
        self.panes = PaneLayout(self)
        self.entities = ReaderEntities(self)
        self._find: FindSession | None = None  # ctrl+f, while its bar is open
        self._save_timer: Timer | None = None

    @property
    def reader_app(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text("tuireader"), id="titlebar", markup=False)
        with Horizontal(id="main"):
            yield LibraryPane(id="library", sort=self.reader_app.store.state.library_sort)
            yield ReadingPane(id="reading", article_id="article", notes_id="notes").data_bind(
                ReaderScreen.entity_filter
            )
            yield EntitiesPanel(id="entities")
        yield SelectionBar(self.annotator, id="selection")
        yield FindBar(id="find")
        yield EntityLegend(id="legend").data_bind(ReaderScreen.entity_filter)
        yield StatusLine(id="status", seconds=self.status_seconds)
        yield Footer()

    @property
    def pane(self) -> ReadingPane:
        return self.query_one("#reading", ReadingPane)

    @property
    def document(self) -> Document | None:
        return self.pane.document

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def library_pane(self) -> LibraryPane:
        return self.query_one("#library", LibraryPane)

    def on_mount(self) -> None:
        self.watch(self.pane.article, "scroll_y", self.save_state_soon, init=False)  # each frame: a timer reset
        self.panes.apply_width(self.app.size.width)
        self.refresh_library(scan=False)
        ref = self.open_ref or self.reader_app.store.state.last_doc
        self._set_titlebar(None)
        # the list, not its filter (the first focusable widget), until a document takes the
        # focus: a document that cannot be opened must not leave q typing into the filter
        self.query_one("#library-list").focus()
        if ref:
            self.open_document(ref, record=False, quiet_missing=self.open_ref is None)

    def closing_down(self) -> bool:
        """True once this screen's widgets are gone: a late worker or timer callback must do nothing."""
        return not self.is_attached or not self.query("#main")

    def say(self, text: str, *, passing: bool = False) -> None:
        if not self.closing_down():
            self.status.say(text, passing=passing)

    # ----------------------------------------------------------- layout
    def on_resize(self, event: Resize) -> None:
        self.panes.apply_width(event.size.width)

    @on(ReadingPane.NotesShown)
    def _notes_shown(self) -> None:
        self.panes.fit(keep="side")

    def _set_titlebar(self, doc: Document | None) -> None:
        text = Text("tuireader", style="bold", end="", no_wrap=True, overflow="ellipsis")
        if doc is None:
            text.append("  ·  pick a document, or / to search", style="dim")
        else:
            text.append("  ·  ")
            text.append(doc.title)
        self.query_one("#titlebar", Static).update(text)

    # ----------------------------------------------------------- library
    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def refresh_library(self, scan: bool = True) -> None:
        """Read the catalog and scan the folder in a thread: a big library must not delay the first paint.

        With ``scan=False`` the index's catalog alone makes the list when there is one (the
        start: the index update that follows scans the folder and refreshes the list).
        """
        workspace = self.reader_app.workspace
        items = library_items(workspace.library, workspace.index, scan)
        # Compared, sorted and folded here: at 100,000 documents each is a stall of the UI thread.
        rows = None if items == self.library_items else LibraryRows(items)
        if rows is not None and len(items) >= FREEZE_CATALOG_FROM:
            # The catalog holds no cycles (it is freed by reference counts alone): set aside
            set_aside_live_objects()
        self.app.call_from_thread(self._set_library_items, items, rows)

    def _set_library_items(self, items: list[LibraryDocument], rows: LibraryRows | None) -> None:
        if self.closing_down():
            return
        self.call_after_refresh(self.reader_app.start_background_work)
        if not items:
            self.pane.article.set_welcome(empty_library_text(self.reader_app.library.root))
        if rows is None:
            return  # the scan after indexing found what the catalog listed
        self.library_items = items
        self.library_pane.set_items(rows)

    @on(LibraryPane.OpenRequested)
    def _open_from_library(self, event: LibraryPane.OpenRequested) -> None:
        self.open_document(event.doc_id)

    # ----------------------------------------------------------- documents
    def open_document(
        self,
        ref: str,
        *,
        offset: int | None = None,
        record: bool = True,
        hits: list[tuple[int, int]] | None = None,
        note: str | None = None,
        ref_index: int | None = None,
        quiet_missing: bool = False,
        entity: str | None = None,
    ) -> None:
        self.entities.pending = entity
        if record:
            self.pane.visit()
        self.openings.begin(ref)
        self._load_document(ref, offset, hits, note, ref_index, quiet_missing)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _load_document(self, ref: str, offset: int | None, hits, note, ref_index, quiet_missing: bool) -> None:
        try:
            opened = read_document(self.reader_app, ref, quiet_missing=quiet_missing)
            if opened is not None:
                self.app.call_from_thread(self._show_document, opened, offset, hits, note, ref_index)
        finally:
            self.app.call_from_thread(self.openings.end)

    def _show_document(self, opened: Opened, offset, hits, note, ref_index) -> None:
        doc, doc_ref, mentions = opened.doc, opened.doc_ref, opened.mentions
        if self.closing_down():
            return
        self.remember_position()
        self.status.document_changed()
        if self.status.passing:  # a passing message about the previous document
            self.say("")
        store = self.reader_app.store
        if offset is None:
            offset = store.position(doc_ref)
        pane = self.pane
        spans = entity_spans(mentions or [])
        pane.show(
            doc,
            doc_ref,
            mentions=mentions or [],
            spans=spans,
            title=literal_markup(doc.source or "Article") + warnings_badge(doc),
            offset=offset,
        )
        self.annotator.document_shown(doc)
        self._set_titlebar(doc)
        self.panes.apply_width(self.app.size.width)
        self.library_pane.select(doc_ref)
        if hits:
            self.apply_hits(hits)
        if note:
            pane.notes.focus_note(note)
        elif hits and pane.hits.count and not pane.hits.body:
            pass  # every hit is in a note: apply_hits showed the first in the notes panel
        else:
            if ref_index is not None:
                pane.article.go_to_ref(ref_index, scroll=False)
            pane.article.focus()
        store.state.last_doc = doc_ref
        self.save_state_soon()
        self._find_entities(opened)
        if doc.warnings:
            self.status.say_for_document(warnings_line(doc.warnings))

    # ----------------------------------------------------------- entities (reader_entities.py)
    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def _find_entities(self, opened: Opened) -> None:
        found = find_entities(self.reader_app.workspace, opened)
        self.app.call_from_thread(self.entities.show, opened.doc, found)

    def action_cycle_entities(self) -> None:
        self.entities.cycle_highlighting()

    def action_toggle_entity_panel(self) -> None:
        self.entities.toggle_panel()

    def select_entity(self, canonical: str) -> None:
        self.entities.select(canonical)

    @on(EntitiesPanel.Selected)
    def _entity_selected(self, event: EntitiesPanel.Selected) -> None:
        self.entities.picked(event.canonical)

    @on(ArticleView.EntityClicked)
    def _entity_clicked(self, event: ArticleView.EntityClicked) -> None:
        self.entities.select(event.entity_key)

    # ----------------------------------------------------------- annotations (ui/annotating.py)
    @on(events.TextSelected)
    def _text_selected(self) -> None:
        self.annotator.mouse_selected()

    def action_select(self) -> None:
        self.annotator.start_visual()

    def action_bookmark(self) -> None:
        self.annotator.bookmark()

    def action_annotations(self) -> None:
        self.annotator.open_panel()

    def action_timeline(self) -> None:
        open_timeline(self)

    @on(EntitiesPanel.TimelineRequested)
    def _entity_timeline(self, event: EntitiesPanel.TimelineRequested) -> None:
        open_entity_chart(self, event.canonical)

    @on(EntitiesPanel.DocumentsRequested)
    def _entity_documents(self, event: EntitiesPanel.DocumentsRequested) -> None:
        reader_pickers.documents_mentioning(self, event.canonical)

    # ----------------------------------------------------------- history
    def action_history_back(self) -> None:
        target = self.pane.step_history(self.pane.history.back)
        if target is not None:
            self.restore(target)

    def action_history_forward(self) -> None:
        target = self.pane.step_history(self.pane.history.forward)
        if target is not None:
            self.restore(target)

    def restore(self, location: Location) -> None:
        if location.doc_id != self.pane.doc_ref:
            self.open_document(
                location.doc_id, offset=location.offset, record=False, note=location.note, ref_index=location.ref
            )
            return
        self.pane.restore_in_place(location)

    # ----------------------------------------------------------- search and find
    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(self.search_library, title="Search the library"), self._search_chosen)

    def search_library(self, query: str) -> SearchResults:
        return self.annotator.search(self.reader_app.index, query, limit=20, typing=True)

    def _search_chosen(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        self.last_search = choice.query  # narrows the timeline
        hit: SearchHit = choice.hit
        if self.document is not None and hit.id == self.document.id:
            self.pane.visit()
            self.apply_hits(hit.offsets)
        else:
            self.open_document(hit.id, hits=hit.offsets)

    def apply_hits(self, offsets: list[tuple[int, int]]) -> None:
        if self.document is None:
            return
        count = self.pane.place_hits(offsets)
        if count:
            self.say(f"{count} hits: n next, N previous", passing=True)
        else:
            self.notify("No hits to show in this document.", severity="warning")

    def action_find(self) -> None:
        if self.document is None:
            self.notify("Open a document first.", severity="warning")
            return
        self._find = FindSession(self.pane, self.query_one("#find", FindBar), self.say)

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        if self._find is not None:
            self._find.changed(event.query)

    @on(FindBar.Accepted)
    def _find_accepted(self) -> None:
        if self._find is not None:
            self._find.accepted()
        self._find = None

    @on(FindBar.Cancelled)
    def _find_cancelled(self) -> None:
        if self._find is not None:
            self._find.cancelled()
        self._find = None

    def action_step_hit(self, step: int) -> None:
        pane = self.pane
        if pane.step_hit(step) and pane.article.selected_entity is None:  # an entity keeps its status line
            self.say(f"hit {(pane.hits.current or 0) + 1} of {pane.hits.count}: n next, N previous")

    # ----------------------------------------------------------- panes
    def action_toggle_library(self) -> None:
        if self.panes.toggle_library():
            self.library_pane.focus_list()
        elif self.document is not None:
            self.pane.article.focus()

    def action_toggle_notes(self) -> None:
        if not self.panes.toggle_notes() and self.document is not None:
            self.pane.article.focus()

    # ----------------------------------------------------------- compare
    def action_compare(self) -> None:
        reader_pickers.compare_with(self)

    def action_related(self) -> None:
        reader_pickers.related(self)

    @on(LibraryPane.CompareRequested)
    def _compare_from_library(self, event: LibraryPane.CompareRequested) -> None:
        reader_pickers.compare_picked(self, event.doc_id)

    # ----------------------------------------------------------- state
    def remember_position(self) -> None:
        pane = self.pane
        if pane.document is not None and pane.doc_ref is not None:
            self.reader_app.store.remember_position(pane.doc_ref, pane.article.top_source_offset())

    def save_state_soon(self) -> None:
        """Save once the reader has kept still for SAVE_DELAY (the file is written in a thread)."""
        if self._save_timer is not None:
            self._save_timer.reset()  # a scroll moves many times a second: one timer, started again
            return
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_now)

    def _save_now(self) -> None:
        self._save_timer = None
        self.reader_app.save_state(background=True)

    @on(ArticleView.VisibleNotesChanged)
    def _visible_notes(self) -> None:
        if self.document is not None:
            self.save_state_soon()

    # ----------------------------------------------------------- footnotes and links
    @on(NotesPanel.LinkRequested)
    def _link_requested(self, event: NotesPanel.LinkRequested) -> None:
        self.follow_link(event.url, copy=event.copy)

    def follow_link(self, url: str, *, copy: bool = False) -> None:
        follow_link(self, url, copy=copy)

    # ----------------------------------------------------------- the palette
    def palette_commands(self) -> list[PaletteCommand]:
        return reader_commands(self)

    def palette_page(self, page: int) -> PaletteCommand | None:
        return page_command(self, page)
