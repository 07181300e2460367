"""The library pane: every document with title, date, author or source and note
count; sortable by date or title; filtered as you type.  The rows are drawn as they come
into view (``library_list``) and filtered over pre-folded strings (``library_rows``)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from ...core.library import Library, LibraryDocument
from ...search import LibraryIndex
from .library_list import LibraryList, row_prompt
from .library_rows import LibraryRows


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
        option = self.query_one("#library-list", LibraryList).highlighted_option
        if option is not None and option.id:
            self.post_message(self.CompareRequested(option.id))

    class OpenRequested(Message):
        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    def __init__(self, *, id: str | None = None, sort: str = "date") -> None:
        super().__init__(id=id)
        self.rows = LibraryRows([])
        self.sort = sort if sort in ("date", "title") else "date"
        self.border_title = "Library"

    @property
    def items(self) -> list[LibraryDocument]:
        return self.rows.items

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter…", id="library-filter")
        yield LibraryList(id="library-list")

    def set_items(self, items: list[LibraryDocument] | LibraryRows) -> None:
        """List these documents (sorted and folded already when given as rows: built off the UI thread)."""
        self.rows = items if isinstance(items, LibraryRows) else LibraryRows(items)
        self._refresh_list()

    def _refresh_list(self) -> None:
        listing = self.query_one("#library-list", LibraryList)
        needle = self.query_one("#library-filter", Input).value.strip()
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        shown = self.rows.filter(needle, self.sort)
        listing.set_rows(shown, keep)
        self.border_title = f"Library ({len(shown)}/{len(self.rows)})" if needle else f"Library ({len(shown)})"
        self.border_subtitle = f"by {self.sort}"

    @staticmethod
    def prompt(item: LibraryDocument):
        return row_prompt(item)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "library-filter":
            self._refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the highlighted match (the first one unless moved): one key, not two."""
        option_list = self.query_one("#library-list", LibraryList)
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
        option_list = self.query_one("#library-list", LibraryList)
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
        option_list = self.query_one("#library-list", LibraryList)
        if option_list.option_count and option_list.highlighted is None:
            option_list.highlighted = 0
        option_list.focus()

    def on_library_list_selected(self, event: LibraryList.Selected) -> None:
        event.stop()
        self.post_message(self.OpenRequested(event.doc_id))

    def action_toggle_sort(self) -> None:
        self.sort = "title" if self.sort == "date" else "date"
        self._refresh_list()

    def select(self, doc_id: str) -> None:
        self.query_one("#library-list", LibraryList).select(doc_id)


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
