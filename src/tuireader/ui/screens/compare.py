"""Two documents side by side: their shared entities stand out, each side reads, follows
its footnotes and goes back on its own; scrolling can be synchronised."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from ...compare import Comparison
from ...core.model import Document
from ...entities.extract import Mention
from ...entities.model import EntityType
from ...search import LibraryIndex
from ...state.history import Location
from ..literal import literal_markup
from ..widgets.article import ArticleView
from ..widgets.reading_pane import ReadingPane

NARROW = 100
SHORT = 40


class ComparePane(ReadingPane):
    """One side: an article with its notes under it, its own history and hits."""

    def __init__(self, side: str) -> None:
        super().__init__(
            id=f"side-{side}", classes="compare-side", article_id=f"article-{side}", notes_id=f"notes-{side}"
        )
        self.side = side
        self.next_mention: dict[str, int] = {}

    def show_side(self, doc: Document, mentions: list[Mention], shared: set[str]) -> None:
        # entities the other side does not mention are drawn dimmed
        spans = [replace(m.span, dimmed=m.canonical not in shared) for m in mentions if m.type != EntityType.DATE]
        # Textual ends a title too long with "…"
        self.show(doc, doc.id, mentions=mentions, spans=spans, title=literal_markup(doc.title))

    def go_to_next_mention(self, canonical: str) -> bool:
        spans = [(m.block, m.start, m.end) for m in self.mentions if m.canonical == canonical]
        if not spans:
            return False
        i = self.next_mention.get(canonical, 0) % len(spans)
        self.next_mention[canonical] = i + 1
        self.article.select_entity(canonical)
        self.show_spans(spans, current=i)
        return True

    def back(self) -> None:
        target = self.step_history(self.history.back)
        if target is not None:
            self.restore_in_place(target)


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
        self,
        left: tuple[Document, list[Mention]],
        right: tuple[Document, list[Mention]],
        comparison: Comparison,
        index: LibraryIndex,
    ) -> None:
        super().__init__()
        self.index = index
        self.left_data, self.right_data = left, right
        self.comparison = comparison
        self.sync = False
        self._following: ArticleView | None = None  # the side being moved to follow the other

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-title", markup=False)
        # Three columns side by side, so a wide terminal shows three times the entities a
        # single list of the same height did.
        with Horizontal(id="compare-strip"):
            for column in ("shared", "left", "right"):
                yield OptionList(id=f"strip-{column}", classes="strip-column", markup=False)
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
        self.left.show_side(*self.left_data, shared)
        self.right.show_side(*self.right_data, shared)
        c = self.comparison
        columns = (
            (
                "shared",
                f"Shared ({len(c.shared)})" + ("" if self.has_class("-narrow") else "  left | right"),
                [(e.name, f"{e.a} | {e.b}") for e in c.shared],
            ),
            ("left", f"Only left ({len(c.only_a)})", [(e.name, str(e.count)) for e in c.only_a]),
            ("right", f"Only right ({len(c.only_b)})", [(e.name, str(e.count)) for e in c.only_b]),
        )
        for column, heading, rows in columns:
            strip = self.query_one(f"#strip-{column}", OptionList)
            strip.border_title = heading
            strip.clear_options()
            style = "" if column == "shared" else "dim"
            options = [
                Option(Text.assemble((name, style), ("  " + counts, "dim")), id=f"{column}\t{name}")
                for name, counts in rows
            ]
            strip.add_options(options or [Option(Text("none", style="dim italic"), disabled=True)])
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
        shared = self.query_one("#strip-shared", OptionList)
        # "left | right" names the counts' order; in a third of 80 columns it would be cut
        shared.border_title = f"Shared ({len(self.comparison.shared)})" + ("" if narrow else "  left | right")
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

    @on(OptionList.OptionSelected, ".strip-column")
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
        node: DOMNode | None = self.app.focused
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
        from .search import SearchChoice, SearchScreen

        pane = self._focused_pane()
        doc = pane.document
        if doc is None:
            return

        def chosen(choice: SearchChoice | None) -> None:
            if choice is None:
                return
            pane.place_hits(choice.hit.offsets)
            if pane.hits.notes and not pane.hits.body:
                self.notify("Found only in the notes of this side: they are highlighted there.")

        self.app.push_screen(SearchScreen(partial(self.index.find_in, doc), title=f"Find in: {doc.title}"), chosen)

    def action_hit(self, step: int) -> None:
        self._focused_pane().step_hit(step)

    def action_focus_strip(self) -> None:
        self.query_one("#strip-shared").focus()

    def on_key(self, event) -> None:
        """left/right step between the strip's columns."""
        focused = self.focused
        if not isinstance(focused, OptionList) or not focused.has_class("strip-column"):
            return
        if event.key not in ("left", "right"):
            return
        columns = list(self.query(".strip-column").results(OptionList))
        at = columns.index(focused) + (1 if event.key == "right" else -1)
        if 0 <= at < len(columns):
            columns[at].focus()
            event.stop()

    def action_close(self) -> None:
        self.dismiss(None)
