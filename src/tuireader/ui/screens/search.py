"""Search over the whole library, or find in the current document, as you type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...core.dates import date_range
from ...search import SearchHit, SearchResults
from ..literal import literal_markup


@dataclass(frozen=True, slots=True)
class SearchChoice:
    query: str
    hit: SearchHit


SearchFunction = Callable[[str], SearchResults]

QUERY_HELP = (
    'words (all must match) · "exact phrase" · OR · -word · word* (3+ letters) · word~ (typos) · '
    "title: author: source: footnote: domain: tag: date:2022-01 date:[2022-01-01 TO 2022-01-15]"
)


class SearchScreen(ModalScreen[SearchChoice | None]):
    """A query box and ranked results; Enter opens the highlighted result."""

    BINDINGS = [
        Binding("escape", "dismiss_search", "Close", id="search.close"),
        Binding("down", "move(1)", "Next result", show=False, id="search.next"),
        Binding("up", "move(-1)", "Previous result", show=False, id="search.previous"),
    ]

    def __init__(self, search: SearchFunction, *, title: str, query: str = "", limit: int = 20) -> None:
        super().__init__()
        self.search_function = search
        self.title_text = title
        self.initial = query
        self.limit = limit
        self.results: SearchResults | None = None
        self.generation = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog") as dialog:
            dialog.border_title = literal_markup(self.title_text)  # may hold a document title
            yield Input(value=self.initial, placeholder="search…", id="search-input")
            yield Static(Text(QUERY_HELP, style="dim"), id="search-status", markup=False)
            yield OptionList(id="search-results", markup=False)

    def on_mount(self) -> None:
        if self.initial:
            self.run_search(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        if not query.strip():
            self.app.call_from_thread(self._show, query, None)
            return
        results = self.search_function(query)
        if get_current_worker().is_cancelled:
            return  # a newer keystroke started a newer search
        self.app.call_from_thread(self._show, query, results)

    def _show(self, query: str, results: SearchResults | None) -> None:
        if self.query_one("#search-input", Input).value != query:
            return  # stale: the box has changed since
        self.results = results
        status = self.query_one("#search-status", Static)
        option_list = self.query_one("#search-results", OptionList)
        option_list.clear_options()
        if results is None:
            status.update(Text(QUERY_HELP, style="dim"))
            return
        line = Text(end="")
        for message in results.messages:
            line.append(f"⚠ {message}\n", style="bold red")
        for note in results.notes:
            line.append(f"{note}\n", style="dim")
        shown = len(results.hits)
        line.append(
            f"{results.total} match{'es' if results.total != 1 else ''}"
            + (f", showing {shown}" if shown < results.total else ""),
            style="dim",
        )
        status.update(line)
        option_list.add_options([Option(self._prompt(hit), id=str(i)) for i, hit in enumerate(results.hits)])
        if results.hits:
            option_list.highlighted = 0

    @staticmethod
    def _prompt(hit: SearchHit) -> Text:
        text = Text(hit.title, style="bold", end="")
        when = date_range(hit.date, hit.date_end)
        if when:
            text.append(f"  {when}", style="dim")
        for snip in hit.snippets:
            page = f"p. {snip.page}: " if snip.page is not None else ""
            where = page + ("note: " if snip.field == "footnotes" else "")
            piece = Text("\n  " + where, style="dim", end="")
            body = Text(snip.text, end="")
            for a, b in snip.hits:
                body.stylize("reverse", a, b)
            piece.append_text(body)
            text.append_text(piece)
        return text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._choose(self.query_one("#search-results", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if self.results is None or index is None or not 0 <= index < len(self.results.hits):
            self.app.bell()
            return
        self.dismiss(SearchChoice(self.results.query, self.results.hits[index]))

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#search-results", OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + step))

    def action_dismiss_search(self) -> None:
        self.dismiss(None)
