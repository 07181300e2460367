"""Two documents side by side: their shared entities stand out, each side reads, follows
its footnotes and goes back on its own; scrolling can be synchronised."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from ...compare import Comparison
from ...core.model import Document
from ...entities.extract import Mention
from ...entities.model import EntityType
from ...state.history import History, Location
from ..literal import literal_markup
from ..reading import citation_place, location_in, restore_in_place
from ..widgets.article import ArticleView
from ..widgets.notes import NotesPanel

NARROW = 100
SHORT = 40


class ComparePane(Vertical):
    """One side: an article with its notes under it, and its own history."""

    def __init__(self, side: str) -> None:
        super().__init__(id=f"side-{side}", classes="compare-side")
        self.side = side
        self.history = History()
        self.document: Document | None = None
        self.mentions: list[Mention] = []
        self.next_mention: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield ArticleView(id=f"article-{self.side}")
        yield NotesPanel(id=f"notes-{self.side}")

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def notes(self) -> NotesPanel:
        return self.query_one(NotesPanel)

    async def show(self, doc: Document, mentions: list[Mention], shared: set[str]) -> None:
        self.document, self.mentions = doc, mentions
        self.article.show(doc)
        self.article.border_title = literal_markup(doc.title)  # Textual ends a title too long with "…"
        spans = [replace(m.span, dimmed=m.canonical not in shared) for m in mentions if m.type != EntityType.DATE]
        self.article.set_entities(spans)
        self.notes.show(doc)
        self.notes.mark_visible(self.article.visible_note_keys)

    def location(self) -> Location | None:
        if self.document is None:
            return None
        return location_in(self.document.id, self.article, self.notes, self.app.focused)

    def restore(self, location: Location) -> None:
        restore_in_place(self.article, self.notes, location)

    @on(ArticleView.NoteRequested)
    def _note(self, event: ArticleView.NoteRequested) -> None:
        event.stop()
        self.history.visit(self.location())
        self.notes.focus_note(event.key)

    @on(NotesPanel.CitationRequested)
    def _citation(self, event: NotesPanel.CitationRequested) -> None:
        event.stop()
        place = citation_place(self.notes, event.key, event.citation)
        if place is None:
            return
        self.history.visit(self.location())
        self.article.go_to_citation(*place, event.key)

    @on(ArticleView.VisibleNotesChanged)
    def _visible(self, event: ArticleView.VisibleNotesChanged) -> None:
        event.stop()
        self.notes.mark_visible(event.keys)

    def go_to_next_mention(self, canonical: str) -> bool:
        spans = [(m.block, m.start, m.end) for m in self.mentions if m.canonical == canonical]
        if not spans:
            return False
        i = self.next_mention.get(canonical, 0) % len(spans)
        self.next_mention[canonical] = i + 1
        self.article.select_entity(canonical)
        self.article.set_hits(spans, current=i)
        return True

    def back(self) -> None:
        here = self.location()
        target = self.history.back(here) if here else None
        if target is None:
            self.app.bell()
        else:
            self.restore(target)


class CompareScreen(Screen[Location | None]):
    """Dismissed with where to keep reading (``w``: the other side, where it was), or None."""

    BINDINGS = [
        Binding("escape,q", "close", "Close compare", id="compare.close"),
        Binding("s", "toggle_sync", "Sync scroll", id="compare.sync"),
        Binding("x", "swap", "Swap sides", id="compare.swap"),
        Binding(
            "w",
            "close_side",
            "Close this side",
            id="compare.close_side",
            tooltip="Keep reading the other document alone",
        ),
        Binding("tab", "other_side", "Other side", id="compare.other_side"),
        Binding("backspace,alt+left", "back", "Back", id="compare.back"),
        Binding("t", "focus_strip", "Entities", id="compare.strip"),
        Binding("ctrl+f,slash", "find", "Find", id="compare.find", tooltip="Find in the focused side"),
        Binding("n", "hit(1)", "Next hit", show=False, id="compare.next_hit"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="compare.previous_hit"),
    ]

    def __init__(
        self, left: tuple[Document, list[Mention]], right: tuple[Document, list[Mention]], comparison: Comparison
    ) -> None:
        super().__init__()
        self.left_data, self.right_data = left, right
        self.comparison = comparison
        self.sync = False
        self._following: ArticleView | None = None  # the side being moved to follow the other

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-title", markup=False)
        yield OptionList(id="compare-strip", markup=False)
        yield Tabs(Tab("Left", id="tab-left"), Tab("Right", id="tab-right"), id="compare-tabs")
        with Horizontal(id="compare-body"):
            yield ComparePane("left")
            yield ComparePane("right")
        yield Footer()

    @property
    def left(self) -> ComparePane:
        return self.query_one("#side-left", ComparePane)

    @property
    def right(self) -> ComparePane:
        return self.query_one("#side-right", ComparePane)

    async def on_mount(self) -> None:
        await self._fill()
        self._apply_width(self.app.size.width, self.app.size.height)
        self.left.article.focus()

    async def _fill(self) -> None:
        shared = {e.name for e in self.comparison.shared}
        await self.left.show(*self.left_data, shared)
        await self.right.show(*self.right_data, shared)
        strip = self.query_one("#compare-strip", OptionList)
        strip.clear_options()
        c = self.comparison
        options: list[Option] = [Option(Text(f"Shared ({len(c.shared)})   left | right", style="bold"), disabled=True)]
        options += [Option(Text(f"  {e.name}  {e.a} | {e.b}"), id=f"shared\t{e.name}") for e in c.shared]
        options.append(Option(Text(f"Only left ({len(c.only_a)})", style="bold"), disabled=True))
        options += [Option(Text(f"  {e.name}  {e.count}", style="dim"), id=f"left\t{e.name}") for e in c.only_a]
        options.append(Option(Text(f"Only right ({len(c.only_b)})", style="bold"), disabled=True))
        options += [Option(Text(f"  {e.name}  {e.count}", style="dim"), id=f"right\t{e.name}") for e in c.only_b]
        strip.add_options(options)
        title = Text("compare  ", style="bold", end="", no_wrap=True, overflow="ellipsis")
        title.append(self.left_data[0].title)
        title.append("  ⟷  ", style="bold")
        title.append(self.right_data[0].title)
        if c.shared_terms:
            title.append(f"   shared terms: {', '.join(c.shared_terms[:8])}")
        self.query_one("#compare-title", Static).update(title)
        self._label_tabs()

    def _label_tabs(self) -> None:
        """The tabs (below 100 columns) named after their documents, cut to share the width."""
        room = max(8, self.app.size.width // 2 - 4)
        for side, (doc, _) in (("left", self.left_data), ("right", self.right_data)):
            title = doc.title if len(doc.title) <= room else doc.title[: room - 1] + "…"
            self.query_one(f"#tab-{side}", Tab).label = Text(title)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width, event.size.height)

    def _apply_width(self, width: int, height: int | None = None) -> None:
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        # under 40 rows the strip and the notes give the articles their lines
        self.set_class((height if height is not None else self.app.size.height) < SHORT, "-short")
        tabs = self.query_one("#compare-tabs", Tabs)
        tabs.display = narrow
        if narrow:
            self._label_tabs()
        if narrow:
            active = tabs.active or "tab-left"
            self.left.display = active == "tab-left"
            self.right.display = active == "tab-right"
        else:
            self.left.display = self.right.display = True

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        if self.has_class("-narrow"):
            left = event.tab.id == "tab-left"
            self.left.display, self.right.display = left, not left
            (self.left if left else self.right).article.focus()

    @on(OptionList.OptionSelected, "#compare-strip")
    def _entity(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        name = event.option.id.split("\t", 1)[1]
        moved = [pane.go_to_next_mention(name) for pane in (self.left, self.right)]
        if not any(moved):
            self.app.bell()

    @on(ArticleView.Scrolled)
    def _scrolled(self, event: ArticleView.Scrolled) -> None:
        source = event.control
        if not self.sync or source is self._following:
            return  # off, or the echo of the other side being moved here
        other = self.right.article if source is self.left.article else self.left.article
        # Only the echo is ignored: a page-down scrolls smoothly, and every step of the side
        # being read must reach the other (ignoring them all left it at a step on the way).
        self._following = other
        other.scroll_to(y=event.fraction * other.max_scroll_y, animate=False, immediate=True)
        self.call_after_refresh(self._end_sync)

    def _end_sync(self) -> None:
        self._following = None

    def _focused_pane(self) -> ComparePane:
        focused = self.app.focused
        node = focused
        while node is not None and not isinstance(node, ComparePane):
            node = node.parent
        return node if isinstance(node, ComparePane) else self.left

    def action_toggle_sync(self) -> None:
        self.sync = not self.sync
        self.notify(f"Synchronised scrolling {'on' if self.sync else 'off'}")

    async def action_swap(self) -> None:
        self.left_data, self.right_data = self.right_data, self.left_data
        c = self.comparison
        self.comparison = Comparison(
            [type(e)(e.name, e.type, e.b, e.a) for e in c.shared], c.only_b, c.only_a, c.shared_terms
        )
        await self._fill()

    def action_close_side(self) -> None:
        pane = self._focused_pane()
        keep = self.right if pane is self.left else self.left
        if keep.document is None:
            self.dismiss(None)
            return
        self.dismiss(Location(keep.document.id, keep.article.top_source_offset()))

    def action_other_side(self) -> None:
        pane = self._focused_pane()
        other = self.right if pane is self.left else self.left
        if self.has_class("-narrow"):
            self.query_one("#compare-tabs", Tabs).active = f"tab-{other.side}"
        other.article.focus()

    def action_back(self) -> None:
        self._focused_pane().back()

    def action_find(self) -> None:
        from ...search.local import find_in_document
        from .search import SearchChoice, SearchScreen

        pane = self._focused_pane()
        doc = pane.document
        if doc is None:
            return
        app = self.app
        index = getattr(app, "index", None)

        def find(query: str):
            return index.find_in(doc, query) if index is not None else find_in_document(doc, query)

        def chosen(choice: SearchChoice | None) -> None:
            if choice is None:
                return
            hits, in_notes = doc.place_spans(choice.hit.offsets)
            pane.notes.set_hits(in_notes)
            if hits:
                pane.article.set_hits(hits, current=0)
                pane.article.focus()
            elif in_notes:
                pane.notes.focus_note(next(iter(in_notes)))
                self.notify("Found only in the notes of this side: they are highlighted there.")

        self.app.push_screen(SearchScreen(find, title=f"Find in: {doc.title}"), chosen)

    def action_hit(self, step: int) -> None:
        article = self._focused_pane().article
        if not article.hits:
            self.app.bell()
            return
        article.go_to_hit((article.current_hit or 0) + step)

    def action_focus_strip(self) -> None:
        self.query_one("#compare-strip").focus()

    def action_close(self) -> None:
        self.dismiss(None)
