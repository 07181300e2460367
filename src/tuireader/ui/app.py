"""The reader application: library, article and footnotes side by side."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from .. import paths
from ..config import Settings, load_settings
from ..core.find import DocumentHits, find_in_document, smart_case_ignores_case
from ..core.library import LibraryDocument
from ..core.model import Document
from ..core.textio import DocumentError
from ..entities.extract import Mention
from ..entities.model import EntitySpan
from ..search import IndexError_, SearchHit, SearchResults
from ..services.compare import prepare_comparison
from ..services.documents import NoSuchDocument, open_document
from ..state.history import History, Location
from ..state.store import StateStore
from ..workspace import Workspace
from .commands import ReaderCommands
from .layout import NARROW, fit_panes
from .literal import literal_markup
from .reading import citation_place, location_in, restore_in_place
from .screens.compare import CompareScreen
from .screens.help import HelpScreen
from .screens.picker import DocumentPicker
from .screens.search import SearchChoice, SearchScreen
from .themes import readable_variables
from .welcome import empty_library_text
from .widgets.article import ArticleView
from .widgets.entities import TYPE_ORDER, EntitiesPanel
from .widgets.findbar import FindBar
from .widgets.library import LibraryPane
from .widgets.notes import NotesPanel
from .widgets.styling import component_style, variable_style

WIDE_ENOUGH_FOR_LIBRARY = 150


class ReaderApp(App[int]):
    CSS_PATH = "app.tcss"
    STATUS_SECONDS = 6.0  # how long a passing status message stays
    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("slash", "search", "Search", id="app.search", tooltip="Search the whole library"),
        Binding("ctrl+f", "find", "Find", id="app.find", tooltip="Find in this document, notes included"),
        Binding("n", "next_hit", "Next hit", show=False, id="app.next_hit"),
        Binding("N", "previous_hit", "Previous hit", show=False, id="app.previous_hit"),
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
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        *,
        workspace: Workspace,
        store: StateStore,
        settings: Settings,
        open_ref: str | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.library = workspace.library
        self.index = workspace.index
        self.store = store
        self.settings = settings
        self.open_ref = open_ref
        self.history = History()
        self.document: Document | None = None
        self.doc_ref: str | None = None  # what reopens it: a library id, or a path outside the library
        self.library_items: list[LibraryDocument] = []
        self._background_started = False
        self.hit_list: list[tuple[str, Any]] = []  # ("body", index) | ("note", (key, index))
        self.hit_index: int | None = None
        self._note_hits: dict[str, list[tuple[int, int]]] = {}
        self._save_timer = None
        self._show_library: bool | None = None  # None: decided by the width
        self.mentions: list[Mention] = []
        self._status_text = ""
        self.entity_filter: set[str] | None = None  # None: every type highlighted
        self._pending_entity: str | None = None
        self._standing_status = ""  # what the status line says when it has nothing newer to say
        self._status_timer = None  # clears a passing status message
        self._gave_way = None  # the side panel hidden to make room for the library
        self._find_origin: Location | None = None  # where ctrl+f started: escape returns there
        self._find_hits = DocumentHits([], {})

    def get_css_variables(self) -> dict[str, str]:
        # Every theme, with the few text colours that read poorly made readable (see themes.py).
        self.theme_variables = readable_variables(super().get_css_variables())
        return self.theme_variables

    # ----------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Static(Text("tuireader"), id="titlebar", markup=False)
        with Horizontal(id="main"):
            yield LibraryPane(id="library", sort=self.store.state.library_sort)
            yield ArticleView(id="article")
            yield NotesPanel(id="notes")
            yield EntitiesPanel(id="entities")
        yield FindBar(id="find")
        yield Static("", id="legend", markup=False)
        yield Static("", id="status", markup=False)
        yield Footer()

    @property
    def article(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def notes(self) -> NotesPanel:
        return self.query_one("#notes", NotesPanel)

    @property
    def library_pane(self) -> LibraryPane:
        return self.query_one("#library", LibraryPane)

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
            self._warn_about_keys()
        theme = self.settings.theme
        if self.store.state.theme and self.store.state.theme_setting == self.settings.theme:
            theme = self.store.state.theme  # picked in the reader since settings.yaml last changed
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.notify(
                    f"Unknown theme {theme!r} in settings; using the default.", severity="warning", markup=False
                )
        self._theme_in_state = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for message in [*self.settings.problems, *self.store.messages, *self.library.settings.warnings]:
            self.notify(message, severity="warning", markup=False, timeout=8)
        self._apply_width(self.size.width)
        self.refresh_library(scan=False)
        ref = self.open_ref or self.store.state.last_doc
        self._set_titlebar(None)
        # the list, not its filter (the first focusable widget), until a document takes the
        # focus: a document that cannot be opened must not leave q typing into the filter
        self.query_one("#library-list").focus()
        if ref:
            self.open_document(ref, record=False, quiet_missing=self.open_ref is None)
        # Checking the index and loading the gazetteers hold the GIL for a while at 10,000
        # documents: start them once the library list is shown (or after a while regardless).
        self.set_timer(2.0, self._start_background_work)

    def _theme_changed(self, theme) -> None:
        self.call_after_refresh(self._update_legend)
        if theme.name != self._theme_in_state:  # picked by the user (the palette): remember it
            self._theme_in_state = theme.name
            self.store.state.theme, self.store.state.theme_setting = theme.name, self.settings.theme
            self.save_state()

    def _warn_about_keys(self) -> None:
        """Unknown binding ids and keys the settings give twice: a toast, and the status line until used."""
        from .keycheck import check_keymap

        problems = check_keymap(self.settings.keys)
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", markup=False, timeout=12)
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            self._standing_status = f"settings: {problems[0]}{more}"
            self._status("")

    def _start_background_work(self) -> None:
        if self._closing_down() or self._background_started:
            return
        self._background_started = True
        # no index folder for a library folder that is not there
        if self.index is not None and self.library.root.is_dir():
            self.index_library()
        self._warm_up()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Load the gazetteers now, in the background, so the first document opened doesn't wait."""
        _ = self.workspace.extractor

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        self.screen.set_class(narrow, "-narrow")
        show_library = self._show_library
        if show_library is None:
            show_library = width >= WIDE_ENOUGH_FOR_LIBRARY or self.document is None
        self.library_pane.display = show_library
        self._fit_panes(width)

    def _fit_panes(self, width: int | None = None, keep: str = "library") -> None:
        """Give the article its readable measure: the side panel shrinks, or a pane gives way."""
        width = self.size.width if width is None else width
        entities = self.query_one("#entities", EntitiesPanel)
        side = entities if entities.display else self.notes
        if self._gave_way is not None and not self.library_pane.display:
            self._gave_way.display, self._gave_way = True, None  # the library went: it comes back
        fit = fit_panes(
            width,
            library=bool(self.library_pane.display),
            side=bool(side.display),
            side_empty=side is self.notes and not self.notes.notes and self.document is not None,
            keep=keep,
        )
        side.styles.width = fit.side_width
        if fit.hide == "side":
            side.display, self._gave_way = False, side
            what = "notes" if side is self.notes else "entity list"
            self._status(f"the {what} made room for the library (l hides it again)", passing=True)
        elif fit.hide == "library":
            self.library_pane.display, self._show_library = False, False

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
        items = self._library_items(scan)
        self.call_from_thread(self._set_library_items, items)

    def _closing_down(self) -> bool:
        """True once the main screen's widgets are gone: a late worker or timer callback must do nothing."""
        return not self.screen_stack or not self.screen_stack[0].query("#main")

    def _set_library_items(self, items: list[LibraryDocument]) -> None:
        if self._closing_down():
            return
        self.call_after_refresh(self._start_background_work)
        if not items:
            self.article.set_welcome(empty_library_text(self.library.root))
        if items == self.library_items:
            return  # the scan after indexing found what the catalog listed
        self.library_items = items
        self.library_pane.set_items(items)

    def _library_items(self, scan: bool = True) -> list[LibraryDocument]:
        catalog = self.index.catalog() if self.index is not None else {}
        if catalog and not scan:
            return list(catalog.values())
        items = []
        for entry in self.library.scan().documents:
            meta = catalog.get(entry.id)
            if meta is not None and meta.location == entry.location:
                items.append(meta)
            else:
                items.append(entry)
        return items

    @on(LibraryPane.OpenRequested)
    def _open_from_library(self, event: LibraryPane.OpenRequested) -> None:
        self.open_document(event.doc_id)

    # ----------------------------------------------------------- indexing
    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_library(self) -> None:
        assert self.index is not None
        self.call_from_thread(self._status, "indexing the library…")
        last_shown = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_shown
            now = time.monotonic()  # a few updates a second: each one waits for the UI thread
            if now - last_shown >= 0.1 or done == total:
                last_shown = now
                self.call_from_thread(self._index_progress, done, total)

        try:
            report = self.index.update(progress)
        except IndexError_ as exc:
            self.call_from_thread(
                self.notify, str(exc), title="Search unavailable", severity="error", markup=False, timeout=15
            )
            self.call_from_thread(self._status, "search unavailable: the index folder cannot be written")
            return
        self.index.warm_up()
        self.call_from_thread(self._index_done, report)

    def _index_progress(self, done: int, total: int) -> None:
        if self._closing_down():
            return
        width = 20
        filled = int(width * done / max(1, total))
        self._status(f"indexing {done}/{total} ▕{'█' * filled}{' ' * (width - filled)}▏")

    def _index_done(self, report) -> None:
        assert self.index is not None
        if self._closing_down():
            return
        for message in self.index.messages:
            self.notify(message, severity="warning", markup=False, timeout=10)
        self.index.messages.clear()
        if report.busy:
            self._status("another tuireader is updating the index; search uses its last state")
        elif report.changed or report.rebuilt:
            self._status(f"index: {report.summary()}", passing=True)
        else:
            self._status("")
        for doc_id, message in report.skipped:
            self.notify(f"{doc_id}: {message}", title="Not indexed", severity="warning", markup=False)
        self.refresh_library()

    def _status(self, text: str, *, passing: bool = False) -> None:
        """Show ``text`` in the status line; a ``passing`` message goes after STATUS_SECONDS,
        or when another document opens (one row of 24 is too dear for a stale line)."""
        if self._closing_down():
            return
        if self._status_timer is not None:
            self._status_timer.stop()
            self._status_timer = None
        text = text or self._standing_status  # a settings problem stays said until there is news
        status = self.query_one("#status", Static)
        self._status_text = text
        status.update(Text(text))
        status.display = bool(text)
        if passing and text:
            self._status_timer = self.set_timer(self.STATUS_SECONDS, lambda: self._status(""))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong",
                severity="error",
                markup=False,
                timeout=15,
            )
            if event.worker.group == "index":
                self._status("indexing failed; search may be out of date (run 'tuireader index' to see why)")

    # ----------------------------------------------------------- documents
    def current_location(self) -> Location | None:
        if self.document is None or self.doc_ref is None:
            return None
        return location_in(self.doc_ref, self.article, self.notes, self.focused)

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
        self._pending_entity = entity
        if record:
            self.history.visit(self.current_location())
        self._load_document(ref, offset, hits, note, ref_index, quiet_missing)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _load_document(self, ref: str, offset: int | None, hits, note, ref_index, quiet_missing: bool) -> None:
        try:
            opened = open_document(self.library, ref)
            doc, doc_ref = opened.document, opened.ref
        except NoSuchDocument:
            if not quiet_missing:
                self.call_from_thread(
                    self.notify, f"No document '{ref}' in the library.", severity="error", markup=False
                )
            return
        except DocumentError as exc:
            self.call_from_thread(
                self.notify,
                f"{exc.message}. Check the file, or remove it from the library.",
                title="Cannot open",
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        # Mentions stored in the index come with the text, so the article is laid out once.
        mentions = self.workspace.stored_mentions(doc, doc_ref if doc_ref == doc.id else None)
        self.call_from_thread(self._show_document, doc, doc_ref, offset, hits, note, ref_index, mentions)

    async def _show_document(
        self, doc: Document, doc_ref: str, offset, hits, note, ref_index, mentions: list[Mention] | None = None
    ) -> None:
        if self._closing_down():
            return
        self.remember_position()
        if self._status_timer is not None:  # a passing message about the previous document
            self._status("")
        self.document, self.doc_ref = doc, doc_ref
        if offset is None:
            offset = self.store.position(doc_ref)
        self.mentions = mentions or []
        self.article.show(doc, offset=offset, entities=_entity_spans(self.mentions))
        # border titles are markup: anything from a document must go in escaped
        self.article.border_title = literal_markup(doc.source or "Article")
        self.notes.show(doc)
        # the article announced its visible notes before the panel had this document
        self.notes.mark_visible(self.article.visible_note_keys)
        self._set_titlebar(doc)
        self._apply_width(self.size.width)
        self.library_pane.select(doc_ref)
        self.hit_list, self.hit_index = [], None
        if hits:
            self.apply_hits(hits)
        if note:
            self.notes.focus_note(note)
        else:
            if ref_index is not None:
                self.article.go_to_ref(ref_index, scroll=False)
            self.article.focus()
        self.store.state.last_doc = doc_ref
        self.save_state_soon()
        self._find_entities(doc, self.doc_ref, mentions)

    # ----------------------------------------------------------- entities
    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def _find_entities(self, doc: Document, doc_ref: str | None, stored: list[Mention] | None) -> None:
        """Mentions (unless the index had them) and descriptions: the gazetteer may have to load."""
        mentions = (
            stored if stored is not None else self.workspace.mentions(doc, doc_ref if doc_ref == doc.id else None)
        )
        descriptions = {m.canonical: self.workspace.describe(m.canonical) for m in mentions}
        in_notes: dict[str, list[tuple[int, int, str]]] = {}
        for m in self.workspace.all_mentions(doc) if doc.footnotes else []:
            if m.note:
                in_notes.setdefault(m.note, []).append((m.start, m.end, m.type))
        self.call_from_thread(self._show_entities, doc, mentions, descriptions, in_notes)

    def _show_entities(
        self, doc: Document, mentions: list[Mention], descriptions: dict[str, str], in_notes=None
    ) -> None:
        if doc is not self.document or self._closing_down():
            return  # another document was opened meanwhile
        for problem in self.workspace.problems:
            self.notify(problem, title="Gazetteer", severity="warning", markup=False)
        self.workspace.problems.clear()
        self.article.entity_info = {m.canonical: (m.type, descriptions.get(m.canonical, "")) for m in mentions}
        if mentions is not self.mentions:  # not laid out with the text: restyle now
            self.mentions = mentions
            self.article.set_entities(_entity_spans(mentions))
        self.query_one("#entities", EntitiesPanel).show(mentions, descriptions)
        if in_notes:
            self.notes.set_entities(in_notes)
        self._update_legend()
        if self._pending_entity:
            self.select_entity(self._pending_entity)
            self._pending_entity = None

    def action_cycle_entities(self) -> None:
        order: list[set[str] | None] = [None, *({t} for t in TYPE_ORDER), set()]
        current = order.index(self.entity_filter) if self.entity_filter in order else 0
        self.entity_filter = order[(current + 1) % len(order)]
        self.article.set_entity_filter(self.entity_filter)
        self._update_legend()
        mode = (
            "all entities"
            if self.entity_filter is None
            else "no entities"
            if not self.entity_filter
            else f"{next(iter(self.entity_filter)).lower()} entities only"
        )
        self._status(f"highlighting {mode} (e to change)", passing=True)

    def _update_legend(self) -> None:
        legend = self.query_one("#legend", Static)
        muted = variable_style(self, "reader-muted")
        text = Text(end="")
        text.append("entities: ", style=muted)
        for etype in TYPE_ORDER:
            on = self.entity_filter is None or etype in self.entity_filter
            style = (
                component_style(self.article, f"article--entity-{etype.lower()}") if on else muted + Style(strike=True)
            )
            text.append(f"● {etype.lower()}  ", style=style)
        mode = (
            "all"
            if self.entity_filter is None
            else "off"
            if not self.entity_filter
            else next(iter(self.entity_filter)).lower() + " only"
        )
        text.append(f"({mode}; e: change, E: list)", style=muted)
        legend.update(text)
        legend.set_class(self.document is not None, "-on")

    def action_toggle_entity_panel(self) -> None:
        panel = self.query_one("#entities", EntitiesPanel)
        show = not panel.display
        panel.display = show
        self.notes.display = not show
        self._fit_panes(keep="side")
        if show:
            self.query_one("#entity-list").focus()
        elif self.document is not None:
            self.article.focus()

    def select_entity(self, canonical: str) -> None:
        spans = [(m.block, m.start, m.end) for m in self.mentions if m.canonical == canonical]
        if not spans:
            self.notify(f"{canonical} is not mentioned in this document.", severity="warning", markup=False)
            return
        self.article.select_entity(canonical)
        self.query_one("#entities", EntitiesPanel).select(canonical)
        self.hit_list = [("body", i) for i in range(len(spans))]
        self._note_hits = {}
        self.article.set_hits(spans, current=0)
        self.hit_index = 0
        etype, description = self.article.entity_info.get(canonical, ("", ""))
        self._status(
            f"{canonical} · {etype}{' — ' + description if description else ''} · "
            f"{len(spans)} mentions: n next, N previous",
            passing=True,
        )

    @on(EntitiesPanel.Selected)
    def _entity_selected(self, event: EntitiesPanel.Selected) -> None:
        self.history.visit(self.current_location())
        self.select_entity(event.canonical)
        self.article.focus()

    @on(ArticleView.EntityClicked)
    def _entity_clicked(self, event: ArticleView.EntityClicked) -> None:
        self.select_entity(event.entity_key)

    @on(EntitiesPanel.DocumentsRequested)
    def _entity_documents(self, event: EntitiesPanel.DocumentsRequested) -> None:
        canonical = event.canonical
        catalog = self.index.catalog() if self.index is not None else {}
        rows = []
        for doc_id, entry in catalog.items():
            found = (entry.entities or {}).get(canonical)
            if found:
                rows.append((found[1], entry.listed_title, entry.date, doc_id))
        if self.document is not None and all(r[3] != self.doc_ref for r in rows):
            count = sum(1 for m in self.mentions if m.canonical == canonical)
            rows.append((count, self.document.title, self.document.date, self.doc_ref or ""))
        rows.sort(key=lambda r: (-r[0], r[1]))
        items = []
        for count, title, date, doc_id in rows:
            prompt = Text(title, style="bold", end="")
            prompt.append(
                f"\n  {count} mention{'s' if count != 1 else ''}" + (f" · {date}" if date else ""), style="dim"
            )
            items.append((doc_id, prompt))

        def chosen(doc_id: str | None) -> None:
            if doc_id is None:
                return
            if doc_id == self.doc_ref:
                self.select_entity(canonical)
            else:
                self.open_document(doc_id, entity=canonical)

        self.push_screen(DocumentPicker(f"Documents mentioning {canonical} ({len(items)})", items), chosen)

    def extra_commands(self) -> list[tuple[str, object, str]]:
        commands: list[tuple[str, object, str]] = [
            ("Entities: change highlighting", self.action_cycle_entities, "All, one type, or none (e)"),
            ("Entities: show the list", self.action_toggle_entity_panel, "People, organisations, places… (E)"),
            ("Compare with…", self.action_compare, "Two documents side by side (c)"),
            ("Related documents", self.action_related, "The library documents most like this one (R)"),
        ]
        seen = set()
        for m in self.mentions:
            if m.canonical not in seen and m.type != "DATE":
                seen.add(m.canonical)
                commands.append((f"Entity: {m.canonical}", partial(self.select_entity, m.canonical), m.type))
        return commands

    # ----------------------------------------------------------- state
    def remember_position(self) -> None:
        if self.document is not None and self.doc_ref is not None:
            self.store.remember_position(self.doc_ref, self.article.top_source_offset())

    def save_state_soon(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self.save_state)

    def save_state(self) -> None:
        if self._closing_down():
            return
        self.remember_position()
        self.store.state.library_sort = self.library_pane.sort
        try:
            self.store.save()
        except OSError as exc:
            self.notify(f"Could not save the reading position: {exc.strerror or exc}", severity="warning", markup=False)

    @on(ArticleView.VisibleNotesChanged)
    def _visible_notes(self, event: ArticleView.VisibleNotesChanged) -> None:
        self.notes.mark_visible(event.keys)
        if self.document is not None:
            self.save_state_soon()

    async def action_quit(self) -> None:
        self.save_state()
        self.exit(0)

    # ----------------------------------------------------------- footnotes
    @on(ArticleView.NoteRequested)
    def _note_requested(self, event: ArticleView.NoteRequested) -> None:
        self.history.visit(self.current_location())
        if not self.notes.display:
            self.notes.display = True
            self._fit_panes(keep="side")
        if self.notes.focus_note(event.key) is None:
            self.notify(f"Note {event.key} is not in this document.", severity="warning", markup=False)

    def go_to_page(self, page: int) -> None:
        start = self.document.page_start(page) if self.document is not None else None
        if start is None:
            self.notify(f"There is no page {page} in this document.", severity="warning", markup=False)
            return
        self.history.visit(self.current_location())
        self.article.scroll_to_source(start, top=True)
        self.article.focus()

    def go_to_note(self, key: str) -> None:
        self.history.visit(self.current_location())
        self.notes.display = True
        self._fit_panes(keep="side")
        self.notes.focus_note(key)

    @on(NotesPanel.CitationRequested)
    def _citation_requested(self, event: NotesPanel.CitationRequested) -> None:
        if self.document is None:
            return
        place = citation_place(self.notes, event.key, event.citation)
        if place is None:
            return
        self.history.visit(self.current_location())
        self.article.go_to_citation(*place, event.key)

    @on(NotesPanel.LinkRequested)
    def _link_requested(self, event: NotesPanel.LinkRequested) -> None:
        self.follow_link(event.url, copy=event.copy)

    def follow_link(self, url: str, *, copy: bool = False) -> None:
        if copy:
            self.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False)
            return
        target = self.index.find_by_url(url) if self.index is not None else None
        if target is None and "://" not in url:
            entry = self.library.find(url)
            target = entry.id if entry else None
        if target is not None:
            self.open_document(target)
            return
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            self.notify(f"Not opened: only http and https links are opened ({url}).", severity="warning", markup=False)
            return
        self.open_url(url)  # the system browser, through Python's webbrowser: no shell involved
        self.notify(f"Opening {url}", markup=False)

    # ----------------------------------------------------------- history
    def action_history_back(self) -> None:
        self._step_history(self.history.back)

    def action_history_forward(self) -> None:
        self._step_history(self.history.forward)

    def _step_history(self, step) -> None:
        here = self.current_location()
        if here is None:
            return
        target = step(here)
        if target is None:
            self.bell()
            return
        self.restore(target)

    def restore(self, location: Location) -> None:
        if location.doc_id != self.doc_ref:
            self.open_document(
                location.doc_id, offset=location.offset, record=False, note=location.note, ref_index=location.ref
            )
            return
        restore_in_place(self.article, self.notes, location)

    # ----------------------------------------------------------- search
    def action_search(self) -> None:
        self.push_screen(SearchScreen(self.search_library, title="Search the library"), self._search_chosen)

    def action_find(self) -> None:
        if self.document is None:
            self.notify("Open a document first.", severity="warning")
            return
        self._find_origin = self.current_location()
        if self.article.selected_entity is not None:  # n/N will step through the find's hits now
            self.article.select_entity(None)
        self.query_one("#find", FindBar).open()

    def search_library(self, query: str) -> SearchResults:
        if self.index is None:
            return SearchResults(query, 0, [], ["search is unavailable"])
        return self.index.search(query, limit=20, typing=True)

    # ----------------------------------------------------------- find in the document (ctrl+f)
    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        """Every keystroke: all hits highlighted, the first one from the top of the view made current."""
        doc, bar = self.document, self.query_one("#find", FindBar)
        if doc is None:
            return
        if self._find_origin is not None:  # each new query looks from where the find started
            self.article.scroll_to_source(self._find_origin.offset, top=True)  # the focus stays in the bar
        hits = find_in_document(doc, event.query)
        self._set_find_hits(hits)
        if not event.query.strip():
            bar.say("")
        elif not hits.total:
            bar.say("no hits in this document")
        else:
            self.hit_index = self._first_hit_in_view(hits)
            self._show_hit(self.hit_index, focus=False)
            bar.say(self._find_summary(hits, event.query))

    def _set_find_hits(self, hits: DocumentHits) -> None:
        self.hit_list = [("body", i) for i in range(len(hits.body))]
        for key, spans in hits.notes.items():
            self.hit_list.extend(("note", (key, i)) for i in range(len(spans)))
        self._note_hits = hits.notes
        self._find_hits = hits
        self.hit_index = None
        self.article.set_hits(hits.body, current=None)
        self.notes.set_hits(hits.notes)

    def _first_hit_in_view(self, hits: DocumentHits) -> int:
        """Like less: the first hit at or below the top of the screen, else (wrapping) the first."""
        top, _ = self.article.visible_line_range()
        for i, (block, start, _end) in enumerate(hits.body):
            if self.article.line_of_char(block, start) >= top:
                return i
        return len(hits.body) if hits.notes and not hits.body else 0

    def _find_summary(self, hits: DocumentHits, query: str) -> str:
        where = f", {hits.in_notes} in the notes" if hits.in_notes else ""
        case = "" if smart_case_ignores_case(query) else " · case matters"
        current = f"hit {self.hit_index + 1} of {hits.total}" if self.hit_index is not None else ""
        return f"{current} · {hits.total} hit{'s' if hits.total != 1 else ''} in this document{where}{case}"

    @on(FindBar.Accepted)
    def _find_accepted(self) -> None:
        bar = self.query_one("#find", FindBar)
        bar.close()
        if not self.hit_list or self.hit_index is None:
            self.bell()
            self._end_find(restore=True)
            return
        self.history.visit(self._find_origin)  # backspace returns to where the find started
        self._find_origin = None
        self._show_hit(self.hit_index)
        self._status(f"hit {self.hit_index + 1} of {len(self.hit_list)}: n next, N previous")

    @on(FindBar.Cancelled)
    def _find_cancelled(self) -> None:
        self.query_one("#find", FindBar).close()
        self._end_find(restore=True)

    def _end_find(self, *, restore: bool) -> None:
        self._set_find_hits(DocumentHits([], {}))
        self.hit_list = []
        if restore and self._find_origin is not None:
            restore_in_place(self.article, self.notes, self._find_origin)
        else:
            self.article.focus()
        self._find_origin = None

    def _search_chosen(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        hit: SearchHit = choice.hit
        if self.document is not None and hit.id == self.document.id:
            self.history.visit(self.current_location())
            self.apply_hits(hit.offsets)
        else:
            self.open_document(hit.id, hits=hit.offsets)

    def apply_hits(self, offsets: list[tuple[int, int]]) -> None:
        doc = self.document
        if doc is None:
            return
        body, in_notes = doc.place_spans(offsets)
        self.hit_list = [("body", i) for i in range(len(body))]
        for key, spans in in_notes.items():
            self.hit_list.extend(("note", (key, i)) for i in range(len(spans)))
        self._note_hits = in_notes
        self.article.set_hits(body, current=0 if body else None)
        self.notes.set_hits(in_notes)
        self.hit_index = 0 if self.hit_list else None
        if self.hit_list:
            self._show_hit(0)
            self._status(f"{len(self.hit_list)} hits: n next, N previous", passing=True)
        else:
            self.notify("No hits to show in this document.", severity="warning")

    def _show_hit(self, index: int, *, focus: bool = True) -> None:
        kind, where = self.hit_list[index]
        if self.notes.current_hit is not None:
            self.notes.set_hits(self._note_hits)
        if kind == "body":
            self.article.go_to_hit(where)
            if focus:
                self.article.focus()
        else:
            key, i = where
            self.article.clear_current_hit()
            self.notes.display = True
            self._fit_panes(keep="side")
            self.notes.set_hits(self._note_hits, (key, i))
            if focus:
                self.notes.focus_note(key)
            else:
                self.notes.show_note(key)

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        """n/N: the next or previous hit, wrapping at either end with a notice, as vim does."""
        if not self.hit_list:
            self.bell()
            return
        count = len(self.hit_list)
        if self.hit_index is None:
            self.hit_index = 0 if step > 0 else count - 1
        else:
            target = self.hit_index + step
            if not 0 <= target < count:
                where = "bottom, continuing at the top" if step > 0 else "top, continuing at the bottom"
                self.notify(f"Search hit the {where}.", markup=False, timeout=3)
            self.hit_index = target % count
        self._show_hit(self.hit_index)
        if self.article.selected_entity is None:  # an entity's mentions keep the entity's status line
            self._status(f"hit {self.hit_index + 1} of {count}: n next, N previous")

    # ----------------------------------------------------------- panes
    def action_toggle_library(self) -> None:
        pane = self.library_pane
        self._show_library = not pane.display
        pane.display = self._show_library
        self._fit_panes(keep="library")
        if pane.display:
            self.library_pane.focus_list()
        elif self.document is not None:
            self.article.focus()

    def action_toggle_notes(self) -> None:
        self.notes.display = not self.notes.display
        self._gave_way = None
        self._fit_panes(keep="side")
        if not self.notes.display and self.document is not None:
            self.article.focus()

    # ----------------------------------------------------------- compare
    def action_compare(self) -> None:
        if self.document is None:
            self.notify("Open a document first.", severity="warning")
            return
        items = [(item.id, LibraryPane._prompt(item)) for item in self.library_items if item.id != self.doc_ref]
        if not items:
            self.notify("The library has no other document to compare with.", severity="warning")
            return
        self.push_screen(DocumentPicker(f"Compare with: {self.document.title}", items), self._compare_picked)

    def action_related(self) -> None:
        if self.document is None:
            self.notify("Open a document first.", severity="warning")
            return
        self._find_related(self.document)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _find_related(self, doc: Document) -> None:
        from ..compare import related_documents

        related = related_documents(self.workspace, doc)
        self.call_from_thread(self._show_related, doc, related)

    def _show_related(self, doc: Document, related) -> None:
        if not related:
            self.notify("No related documents in the library.", severity="warning")
            return
        items = []
        for r in related:
            prompt = Text(r.title, style="bold", end="")
            prompt.append(f"  {r.score:.2f}", style="dim")
            prompt.append(
                f"\n  shares: {', '.join(r.shared_entities) or '-'}; terms: {', '.join(r.shared_terms) or '-'}",
                style="dim",
            )
            items.append((r.id, prompt))
        self.push_screen(DocumentPicker(f"Related to: {doc.title} (enter: compare)", items), self._compare_picked)

    @on(LibraryPane.CompareRequested)
    def _compare_from_library(self, event: LibraryPane.CompareRequested) -> None:
        self._compare_picked(event.doc_id)

    def _compare_picked(self, other_id: str | None) -> None:
        if other_id is None or self.document is None:
            return
        if other_id == self.doc_ref:
            self.notify("That is the document already open.", severity="warning")
            return
        self._prepare_compare(self.document, self.doc_ref, other_id)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _prepare_compare(self, doc: Document, doc_ref: str | None, other_id: str) -> None:
        entry = self.library.find(other_id)
        if entry is None:
            self.call_from_thread(
                self.notify, f"No document '{other_id}' in the library.", severity="error", markup=False
            )
            return
        try:
            other = self.library.parse(entry)
        except DocumentError as exc:
            self.call_from_thread(self.notify, exc.message, title="Cannot open", severity="error", markup=False)
            return
        prepared = prepare_comparison(self.workspace, doc, doc_ref if doc_ref == doc.id else None, other, entry.id)
        left, right = prepared.a.mentions, prepared.b.mentions
        self.call_from_thread(
            self.push_screen, CompareScreen((doc, left), (other, right), prepared.comparison), self._compare_closed
        )

    def _compare_closed(self, keep: Location | None) -> None:
        if keep is not None:  # "w": read that side on, from where it was
            self.history.visit(self.current_location())
            self.restore(keep)

    # Reader panes and verbs that mean nothing over the compare screen (its own keys do the rest):
    # off there, and so out of its footer.
    READER_ONLY_ACTIONS = frozenset(
        {
            "toggle_library",
            "toggle_notes",
            "cycle_entities",
            "toggle_entity_panel",
            "compare",
            "related",
            "search",
            "history_back",
            "history_forward",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.READER_ONLY_ACTIONS and isinstance(self.screen, CompareScreen):
            return False
        return True

    def action_help(self) -> None:
        sections = [
            ("Reading", [b for b in ArticleView.BINDINGS if isinstance(b, Binding)]),
            ("Footnotes panel", [b for b in NotesPanel.BINDINGS if isinstance(b, Binding)]),
            ("Everywhere", [b for b in self.BINDINGS if isinstance(b, Binding)]),
            ("Library pane", [b for b in LibraryPane.BINDINGS if isinstance(b, Binding)]),
            ("Entities list", [b for b in EntitiesPanel.BINDINGS if isinstance(b, Binding)]),
            ("Compare", [b for b in CompareScreen.BINDINGS if isinstance(b, Binding)]),
        ]
        self.push_screen(HelpScreen(sections, self.settings.keys))


def build_app(*, library_dir: Path, index_dir: str | Path | None = None, open_doc: str | None = None) -> ReaderApp:
    """The one factory for the CLI and the tests."""
    workspace = Workspace(library_dir, index_dir)
    store = StateStore(paths.state_file())
    settings = load_settings(paths.user_settings_file())
    return ReaderApp(workspace=workspace, store=store, settings=settings, open_ref=open_doc)


def _entity_spans(mentions: list[Mention]) -> list[EntitySpan]:
    return [m.span for m in mentions]
