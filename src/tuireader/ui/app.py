"""The reader application (a first cut: library list and article view)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static

from ..core.library import Library


class ReaderApp(App[int]):
    TITLE = "tuireader"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, library: Library, open_doc: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.open_doc = open_doc
        self.entries = library.scan().documents

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(*[e.id for e in self.entries], id="library")
        with VerticalScroll(id="article"):
            yield Static("", id="text", markup=False)
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        doc = self.library.parse(self.entries[event.option_index])
        text = doc.title + "\n\n" + "\n\n".join(b.text for b in doc.blocks)
        self.query_one("#text", Static).update(text)


def build_app(*, library_dir: Path, index_dir: str | None = None, open_doc: str | None = None) -> ReaderApp:
    return ReaderApp(Library(library_dir), open_doc)
