"""The library pane: every document with title, date, author or source and note
count; sortable by date or title; filtered as you type."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ...core.library import Library, LibraryDocument
from ...search import LibraryIndex

MAX_LISTED = 500
FIRST_BATCH = 60  # options added before the first paint of the list


class LibraryPane(Vertical):
    BINDINGS = [
        Binding("s", "toggle_sort", "Sort", id="library.sort", tooltip="Sort by date or by title"),
        Binding(
            "c",
            "compare",
            "Compare",
            id="library.compare",
            tooltip="Compare the open document with the highlighted one",
        ),
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
        self.items: list[LibraryDocument] = []
        self.sort = sort
        self._generation = 0  # of the list's contents: a late batch for an older list is dropped
        self.border_title = "Library"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter…", id="library-filter")
        yield OptionList(id="library-list", markup=False)

    def set_items(self, items: list[LibraryDocument]) -> None:
        self.items = items
        self._refresh_list()

    def _sorted(self) -> list[LibraryDocument]:
        if self.sort == "title":
            return sorted(self.items, key=lambda i: i.listed_title.casefold())
        # newest first, by title within a day; undated last.  Two stable sorts, not a
        # composed key: this runs on the UI thread for every item of a 10,000-document library.
        dated = sorted((i for i in self.items if i.date), key=lambda i: i.listed_title)
        dated.sort(key=lambda i: i.date, reverse=True)  # type: ignore[arg-type, return-value]
        return dated + sorted((i for i in self.items if not i.date), key=lambda i: i.listed_title)

    def _refresh_list(self) -> None:
        option_list = self.query_one("#library-list", OptionList)
        needle = self.query_one("#library-filter", Input).value.strip().casefold()
        keep = option_list.highlighted_option.id if option_list.highlighted_option else None
        options: list[Option] = []
        matched = 0
        words = needle.split()
        for item in self._sorted():
            if words:
                haystack = f"{item.listed_title} {item.byline} {item.date or ''} {item.id}".casefold()
                if not all(word in haystack for word in words):
                    continue
            matched += 1
            if len(options) < MAX_LISTED:  # a list of 10,000 widgets helps nobody: type to narrow it
                options.append(Option(self.prompt(item), id=item.id))
        option_list.clear_options()
        # The list measures every option it holds (~0.6 ms each): the first screenful now,
        # the rest after the next paint, so a large library shows its list at once.
        self._generation += 1
        option_list.add_options(options[:FIRST_BATCH])
        if len(options) > FIRST_BATCH:
            self.call_after_refresh(self._add_rest, self._generation, options[FIRST_BATCH:])
        shown = f"{len(options)} of {matched}" if matched > len(options) else f"{matched}"
        self.border_title = f"Library ({shown}/{len(self.items)})" if needle else f"Library ({shown})"
        self.border_subtitle = f"by {self.sort}"
        if keep is not None:
            for i, opt in enumerate(options):
                if opt.id == keep:
                    option_list.highlighted = i
                    break

    def _add_rest(self, generation: int, options: list[Option]) -> None:
        if generation == self._generation and self.is_attached:  # not replaced by a newer list meanwhile
            self.query_one("#library-list", OptionList).add_options(options)

    @staticmethod
    def prompt(item: LibraryDocument) -> Text:
        text = Text(item.listed_title, style="bold", end="")
        details = [d for d in (item.date, item.byline) if d]
        if item.footnotes:
            details.append(f"{item.footnotes} note{'s' if item.footnotes != 1 else ''}")
        if item.error:
            details.append(item.error)
        if details:
            # not dim: dimmed text on the highlighted row falls below 4.5:1 in light themes
            text.append("\n" + " · ".join(details))
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "library-filter":
            self._refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the highlighted match (the first one unless moved): one key, not two."""
        option_list = self.query_one("#library-list", OptionList)
        if option_list.option_count:
            option_list.highlighted = option_list.highlighted or 0
            option_list.focus()
            option = option_list.highlighted_option
            if option is not None and option.id:
                self.post_message(self.OpenRequested(option.id))

    def on_key(self, event: events.Key) -> None:
        # The filter takes every printable key (q included), so it must be easy to leave:
        # escape or down go to the list; up from the list's first row comes back.
        focused = self.screen.focused
        option_list = self.query_one("#library-list", OptionList)
        box = self.query_one("#library-filter", Input)
        if focused is box and event.key in ("escape", "down"):
            event.stop()
            event.prevent_default()
            if option_list.option_count:
                option_list.highlighted = option_list.highlighted or 0
            option_list.focus()
        elif focused is option_list and event.key == "up" and not option_list.highlighted:
            event.stop()
            event.prevent_default()
            box.focus()

    def focus_list(self) -> None:
        """Focus the list, on its highlighted row (the first when none is)."""
        option_list = self.query_one("#library-list", OptionList)
        if option_list.option_count and option_list.highlighted is None:
            option_list.highlighted = 0
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


def library_items(library: Library, index: LibraryIndex, scan: bool = True) -> list[LibraryDocument]:
    """The list's rows: from the index's catalog, and (``scan``) the folder for what it has not seen."""
    catalog = index.catalog()
    if catalog and not scan:
        return list(catalog.values())
    items = []
    for entry in library.scan().documents:
        meta = catalog.get(entry.id)
        items.append(meta if meta is not None and meta.location == entry.location else entry)
    return items
