"""The library pane: every document with title, date, author or source and note
count; sortable by date or title; filtered as you type."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class LibraryItem:
    id: str
    title: str
    date: str | None
    byline: str  # authors, or the source
    footnotes: int | None  # None while not yet indexed
    problem: str | None = None


class LibraryPane(Vertical):
    BINDINGS = [
        Binding("s", "toggle_sort", "Sort", id="library.sort", tooltip="Sort by date or by title"),
        Binding("c", "compare", "Compare", id="library.compare",
                tooltip="Compare the open document with the highlighted one"),
    ]

    class CompareRequested(Message):
        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    def action_compare(self) -> None:
        option = self.query_one("#library-list", OptionList).highlighted_option
        if option is not None and option.id:
            self.post_message(self.CompareRequested(option.id))

    class OpenRequested(Message):
        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    def __init__(self, *, id: str | None = None, sort: str = "date") -> None:
        super().__init__(id=id)
        self.items: list[LibraryItem] = []
        self.sort = sort
        self.border_title = "Library"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter…", id="library-filter")
        yield OptionList(id="library-list", markup=False)

    def set_items(self, items: list[LibraryItem]) -> None:
        self.items = items
        self._refresh_list()

    def _sorted(self) -> list[LibraryItem]:
        if self.sort == "title":
            return sorted(self.items, key=lambda i: i.title.casefold())
        # newest first; undated last
        return sorted(self.items, key=lambda i: (i.date is None, "" if i.date is None else _neg(i.date), i.title))

    def _refresh_list(self) -> None:
        option_list = self.query_one("#library-list", OptionList)
        needle = self.query_one("#library-filter", Input).value.strip().casefold()
        keep = option_list.highlighted_option.id if option_list.highlighted_option else None
        options = []
        matched = 0
        for item in self._sorted():
            haystack = f"{item.title} {item.byline} {item.date or ''} {item.id}".casefold()
            if needle and not all(word in haystack for word in needle.split()):
                continue
            matched += 1
            if len(options) < MAX_LISTED:  # a list of 10,000 widgets helps nobody: type to narrow it
                options.append(Option(self._prompt(item), id=item.id))
        option_list.clear_options()
        option_list.add_options(options)
        shown = f"{len(options)} of {matched}" if matched > len(options) else f"{matched}"
        self.border_title = f"Library ({shown}/{len(self.items)})" if needle else f"Library ({shown})"
        self.border_subtitle = f"by {self.sort}"
        if keep is not None:
            for i, opt in enumerate(options):
                if opt.id == keep:
                    option_list.highlighted = i
                    break

    @staticmethod
    def _prompt(item: LibraryItem) -> Text:
        text = Text(item.title, style="bold", end="")
        details = [d for d in (item.date, item.byline) if d]
        if item.footnotes:
            details.append(f"{item.footnotes} notes")
        if item.problem:
            details.append(item.problem)
        if details:
            text.append("\n" + " · ".join(details), style="dim")
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "library-filter":
            self._refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option_list = self.query_one("#library-list", OptionList)
        if option_list.option_count:
            option_list.highlighted = option_list.highlighted or 0
            option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(self.OpenRequested(event.option.id))

    def action_toggle_sort(self) -> None:
        self.sort = "title" if self.sort == "date" else "date"
        self._refresh_list()

    def select(self, doc_id: str) -> None:
        option_list = self.query_one("#library-list", OptionList)
        for i in range(option_list.option_count):
            if option_list.get_option_at_index(i).id == doc_id:
                option_list.highlighted = i
                return


def _neg(date: str) -> str:
    """A key that sorts ISO dates newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)
