"""The library in time: a timeline of documents (``T``) and an entity's mentions per week or month (``t``).

Both read the index in a thread worker (the catalog, the stored entity data) and draw rows of
block characters in an OptionList, which gives the cursor, scrolling and the mouse. The styles
sit here, not in app.tcss: these screens are self-contained and the app's stylesheet is shared.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.timeline import DocumentTimeline, EntityTimeline
from ...timeline import UnknownEntity, documents_mentioning, entity_in_time, library_timeline, resolve_entity
from ..widgets.timeline_bars import PALETTE, DayScale, axis, count_bar, fit, period_bar
from .picker import DocumentPicker

if TYPE_CHECKING:
    from ...workspace import Workspace
    from .reader import ReaderScreen

GROUPS = ("source", "tag", "none")
_CSS = """
.timeline-title { height: 1; padding: 0 1; background: $panel; color: $text; text-style: bold; }
.timeline-axis { height: 1; padding: 0 1; color: $text; background: $surface; text-wrap: nowrap; text-overflow: clip; }
/* A grey cursor row: the palette's bars stay visible on it (the accent blue hid the blue bars). */
#timeline-list > .option-list--option-highlighted, #chart-list > .option-list--option-highlighted {
    background: $panel-lighten-1; color: $text; text-style: bold;
}
#timeline-list, #chart-list, #timeline-list:focus, #chart-list:focus { height: 1fr; border: none; padding: 0 1; }
.timeline-detail { height: 2; padding: 0 1; color: $text; background: $panel; }
#timeline-query { display: none; height: 1; border: none; padding: 0 1; }
#timeline-query.shown { display: block; }
"""


def _when(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"


class TimelineScreen(Screen[str | None]):
    """Every dated document as a bar on one time axis, grouped; ``enter`` opens the one under the cursor."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding("escape,T", "close", "Close", id="timeline.close"),
        Binding("g", "cycle_group", "Group", id="timeline.group", tooltip="Group by source, by tag, or not at all"),
        Binding("slash", "narrow", "Narrow", id="timeline.narrow", tooltip="Only the documents a search finds"),
        Binding("x", "everything", "All", id="timeline.all", tooltip="Every document again"),
        Binding("t", "entity_chart", "Mentions", id="timeline.mentions", tooltip="The entity's mentions per week"),
        Binding("j", "cursor(1)", "Down", show=False, id="timeline.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="timeline.up"),
    ]

    def __init__(
        self, workspace: Workspace, *, entity: str | None = None, query: str | None = None, group_by: str = "source"
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.entity = entity
        self.search_query = query
        self.group_by = group_by
        self.timeline: DocumentTimeline | None = None
        self._narrowed_to: set[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Timeline", id="timeline-title", classes="timeline-title", markup=False)
            yield Static("", id="timeline-axis", classes="timeline-axis", markup=False)
            yield OptionList(id="timeline-list", classes="timeline-list", markup=False)
            yield Static("", id="timeline-detail", classes="timeline-detail", markup=False)
            yield Input(placeholder="narrow to a search (enter; escape cancels)", id="timeline-query")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline-list").focus()
        self.load()

    @work(thread=True, exclusive=True, group="timeline")
    def load(self) -> None:
        index = self.workspace.index
        only: set[str] | None = None
        if self.entity:
            only = documents_mentioning(index, self.entity)
        if self.search_query:
            found = {hit.id for hit in index.search(self.search_query, limit=100_000).hits}
            only = found if only is None else only & found
        timeline = library_timeline(index, group_by=self.group_by, only=only)
        self.app.call_from_thread(self._show, timeline)

    def _show(self, timeline: DocumentTimeline) -> None:
        self.timeline = timeline
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        timeline = self.timeline
        if timeline is None or not self.is_mounted:
            return
        option_list = self.query_one("#timeline-list", OptionList)
        previous = option_list.highlighted_option.id if option_list.highlighted_option else None
        width = max(30, self.size.width - 4)  # the list's padding and its scroll bar
        title_width = min(48, max(14, width // 3))
        bar_width = width - title_width - 1
        narrowing = []
        if self.entity:
            narrowing.append(f"mentioning {self.entity}")
        if self.search_query:
            narrowing.append(f"matching “{self.search_query}”")
        count = len({r.document.id for r in timeline.rows})
        parts = [f"Timeline · {count} dated document{'s' if count != 1 else ''}"]
        if timeline.undated:
            parts.append(f"{len(timeline.undated)} undated")
        parts.append("not grouped" if self.group_by == "none" else f"by {self.group_by}")
        parts.extend(narrowing)
        self.query_one("#timeline-title", Static).update(" · ".join(parts))
        options: list[Option] = []
        first, last = timeline.first, timeline.last
        axis_line = Text(" " * (title_width + 1), end="")
        if first is not None and last is not None:
            scale = DayScale(first, last, bar_width)
            axis_line.append_text(axis(scale))
            colours: dict[str, str] = {}
            group = None
            for i, row in enumerate(timeline.rows):
                if self.group_by != "none" and row.group != group:
                    group = row.group
                    members = sum(1 for r in timeline.rows if r.group == group)
                    options.append(Option(Text(f"{group} ({members})", style="bold", end=""), disabled=True))
                colour = colours.setdefault(row.group, PALETTE[len(colours) % len(PALETTE)])
                doc = row.document
                prompt = Text(fit(doc.title, title_width) + " ", end="")
                prompt.append_text(period_bar(scale, doc.start, doc.end, colour))  # type: ignore[arg-type]
                options.append(Option(prompt, id=f"{i}\t{doc.id}"))
        else:
            options.append(
                Option(Text("No dated document" + (" matches." if narrowing else " in the index yet.")), disabled=True)
            )
        self.query_one("#timeline-axis", Static).update(axis_line)
        option_list.clear_options()
        option_list.add_options(options)
        ids = [o.id for o in options]
        if previous is not None and previous in ids:
            option_list.highlighted = ids.index(previous)
        else:
            option_list.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        self._describe()

    def highlighted_document(self) -> str | None:
        option = self.query_one("#timeline-list", OptionList).highlighted_option
        return option.id.split("\t", 1)[1] if option is not None and option.id else None

    def _describe(self) -> None:
        detail = self.query_one("#timeline-detail", Static)
        option = self.query_one("#timeline-list", OptionList).highlighted_option
        if self.timeline is None or option is None or not option.id:
            detail.update("", layout=False)
            return
        row = self.timeline.rows[int(option.id.split("\t", 1)[0])]
        doc = row.document
        width = max(10, self.size.width - 2)
        text = Text(fit(doc.title, width).rstrip(), style="bold", end="")
        facts = [_when(doc.start, doc.end)]  # type: ignore[arg-type]
        facts.append(doc.source or "no source")
        if doc.tags:
            facts.append("tags: " + ", ".join(doc.tags))
        text.append("\n" + " · ".join(facts) + " · enter: open")
        detail.update(text, layout=False)  # fixed height: no layout pass per keystroke

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id.split("\t", 1)[1])

    def action_cursor(self, step: int) -> None:
        option_list = self.query_one("#timeline-list", OptionList)
        (option_list.action_cursor_down if step > 0 else option_list.action_cursor_up)()

    def action_cycle_group(self) -> None:
        self.group_by = GROUPS[(GROUPS.index(self.group_by) + 1) % len(GROUPS)]
        self.load()

    def action_narrow(self) -> None:
        box = self.query_one("#timeline-query", Input)
        box.value = self.search_query or ""
        box.add_class("shown")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.search_query = event.value.strip() or None
        self._close_query()
        self.load()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.query_one("#timeline-query", Input).has_focus:
            event.stop()
            self._close_query()

    def _close_query(self) -> None:
        self.query_one("#timeline-query", Input).remove_class("shown")
        self.query_one("#timeline-list").focus()

    def action_everything(self) -> None:
        self.entity = self.search_query = None
        self.load()

    def action_entity_chart(self) -> None:
        if not self.entity:
            self.notify("Narrowed to no entity: pick one in the entity list (E) and press t there.")
            return
        self.app.push_screen(EntityChartScreen(self.workspace, self.entity), self._chart_closed)

    def _chart_closed(self, doc_id: str | None) -> None:
        if doc_id:
            self.dismiss(doc_id)

    def action_close(self) -> None:
        self.dismiss(None)


class EntityChartScreen(Screen[str | None]):
    """An entity's mentions across the library per week or month: one bar a row; ``enter`` lists that bin's documents."""

    DEFAULT_CSS = _CSS
    BINDINGS = [
        Binding("escape", "close", "Close", id="chart.close"),
        Binding("w", "toggle_bins", "Week/month", id="chart.bins", tooltip="Count per week or per month"),
        Binding("j", "cursor(1)", "Down", show=False, id="chart.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="chart.up"),
    ]

    def __init__(self, workspace: Workspace, entity: str, *, by: str = "auto") -> None:
        super().__init__()
        self.workspace = workspace
        self.entity = entity
        self.by = by
        self.chart: EntityTimeline | None = None
        self._drawn_by: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.entity, id="chart-title", classes="timeline-title", markup=False)
            yield Static("", id="chart-axis", classes="timeline-axis", markup=False)
            yield OptionList(id="chart-list", classes="timeline-list", markup=False)
            yield Static("", id="chart-detail", classes="timeline-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#chart-list").focus()
        self.load()

    @work(thread=True, exclusive=True, group="entity-chart")
    def load(self) -> None:
        try:
            canonical, etype = resolve_entity(self.workspace, self.entity)
        except UnknownEntity:
            self.app.call_from_thread(self._missing)
            return
        chart = entity_in_time(self.workspace, canonical, etype, by=self.by)
        titles = {e.id: e.title for e in self.workspace.index.catalog().values()}
        self.app.call_from_thread(self._show, chart, titles)

    def _missing(self) -> None:
        self.query_one("#chart-title", Static).update(f"{self.entity}: not in the index yet (try again when indexed)")

    def _show(self, chart: EntityTimeline, titles: dict[str, str]) -> None:
        self.chart = chart
        self.titles = titles
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _label(self, start: dt.date) -> str:
        return start.strftime("%b %Y") if self.chart and self.chart.by == "month" else f"wk {start.isoformat()}"

    def _draw(self) -> None:
        chart = self.chart
        if chart is None or not self.is_mounted:
            return
        option_list = self.query_one("#chart-list", OptionList)
        previous = option_list.highlighted if self._drawn_by == chart.by else None  # a new binning: the busiest
        self._drawn_by = chart.by
        width = max(30, self.size.width - 4)
        label_width = 13
        bar_width = max(10, width - label_width - 6)
        other = "months" if chart.by == "week" else "weeks"
        self.query_one("#chart-title", Static).update(
            f"{chart.entity} ({chart.type}) · {chart.total} mentions per {chart.by} · w: {other}"
        )
        self.query_one("#chart-axis", Static).update(
            Text(
                f"dated by the text {chart.dated_in_text} · by the document's date {chart.dated_by_document}"
                + (f" · undated {chart.undated}" if chart.undated else ""),
                end="",
            )
        )
        most = max((b.mentions for b in chart.bins), default=0)
        options = []
        for i, b in enumerate(chart.bins):
            prompt = Text(f"{self._label(b.start):<{label_width}}{b.mentions:>4}  ", end="")
            prompt.append(count_bar(b.mentions, most, bar_width), style=PALETTE[0])
            options.append(Option(prompt, id=str(i)))
        if not options:
            options.append(Option(Text("No dated mention."), disabled=True))
        option_list.clear_options()
        option_list.add_options(options)
        if previous is not None and previous < len(options):
            option_list.highlighted = previous
        else:  # start on the busiest bin
            option_list.highlighted = max(range(len(chart.bins)), key=lambda i: chart.bins[i].mentions, default=0)
        self._describe()

    def _describe(self) -> None:
        detail = self.query_one("#chart-detail", Static)
        option = self.query_one("#chart-list", OptionList).highlighted_option
        if self.chart is None or option is None or not option.id:
            detail.update("", layout=False)
            return
        b = self.chart.bins[int(option.id)]
        text = Text(f"{b.start.isoformat()} – {b.end.isoformat()}: {b.mentions} mentions", style="bold", end="")
        n = len(b.documents)
        text.append(f"\nin {n} document{'s' if n != 1 else ''}" + (" · enter: list them" if n else ""))
        detail.update(text, layout=False)  # fixed height: no layout pass per keystroke

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.chart is None or not event.option.id:
            return
        b = self.chart.bins[int(event.option.id)]
        if not b.documents:
            return
        items = [(doc_id, Text(self.titles.get(doc_id, doc_id), end="")) for doc_id in b.documents]
        title = f"{self.entity}, {b.start.isoformat()} – {b.end.isoformat()}"
        self.app.push_screen(DocumentPicker(title, items), self._picked)

    def _picked(self, doc_id: str | None) -> None:
        if doc_id:
            self.dismiss(doc_id)

    def action_cursor(self, step: int) -> None:
        option_list = self.query_one("#chart-list", OptionList)
        (option_list.action_cursor_down if step > 0 else option_list.action_cursor_up)()

    def action_toggle_bins(self) -> None:
        self.by = "month" if (self.chart.by if self.chart else "week") == "week" else "week"
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)


# ------------------------------------------------------------------ from the app
def open_timeline(reader: ReaderScreen) -> None:
    """``T``: the timeline, narrowed to the entity selected in the reader and the last library search."""
    entity = reader.pane.article.selected_entity if reader.document is not None else None
    screen = TimelineScreen(reader.reader_app.workspace, entity=entity, query=reader.last_search)
    reader.app.push_screen(screen, lambda doc_id: reader.open_document(doc_id) if doc_id else None)


def open_entity_chart(reader: ReaderScreen, canonical: str) -> None:
    """``t`` in the entity list: that entity's mentions across the library."""
    reader.app.push_screen(
        EntityChartScreen(reader.reader_app.workspace, canonical),
        lambda doc_id: reader.open_document(doc_id, entity=canonical) if doc_id else None,
    )
