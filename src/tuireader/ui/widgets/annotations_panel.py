"""The annotations panel: this document's highlights, notes and bookmarks, or the whole library's,
with a filter; Enter jumps to the one highlighted (the jump goes into back/forward).

The library-wide list places each annotated document's annotations in its current text, which
may mean reading documents: that runs in a worker, and the panel says "placing…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...annotations.model import BOOKMARK, ORPHANED, Annotation
from ...annotations.search import fold
from ..literal import literal_markup

SWATCH = {"yellow": "yellow", "green": "green", "blue": "dodger_blue2", "pink": "hot_pink"}


def entry_text(a: Annotation, *, with_document: bool) -> Text:
    text = Text(end="")
    if a.kind == BOOKMARK:
        text.append("◆ bookmark ", style="bold")
    else:
        text.append("● ", style=SWATCH.get(a.colour, "yellow"))
    if with_document:
        text.append(a.doc_title or a.doc_id, style="bold")
        text.append("  ")
    passage = " ".join((a.quote.exact or a.quote.suffix).split())
    text.append("“" + (passage[:100] + "…" if len(passage) > 100 else passage) + "”")
    if a.status == ORPHANED:
        text.append("  [orphaned: its text is gone from the file]", style="bold red")
    if a.note:
        text.append("\n    " + " ".join(a.note.split()), style="italic")
    if a.tags:
        text.append("\n    #" + " #".join(a.tags))
    return text


def matches(a: Annotation, words: list[str]) -> bool:
    hay = fold(" ".join([a.note, a.quote.exact, " ".join(a.tags), a.doc_title, a.doc_id]))
    return all(w in hay for w in words)


class AnnotationsPanel(ModalScreen[Annotation | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="annotations.close"),
        Binding("ctrl+t", "toggle_scope", "This document / all", id="annotations.scope"),
        Binding("down", "move(1)", "Next", show=False, id="annotations.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="annotations.previous"),
        # priority: the filter has the focus, and an Input takes ctrl+d itself (delete right)
        Binding("ctrl+d", "delete", "Delete", id="annotations.delete", priority=True),
    ]
    DEFAULT_CSS = """
    AnnotationsPanel { align: center middle; }
    #annotations-dialog { width: 90%; max-width: 120; height: 80%; border: round $accent; background: $surface; }
    #annotations-help { color: $foreground-muted; padding: 0 1; }
    #annotations-list { height: 1fr; }
    """

    def __init__(
        self,
        load: Callable[[], list[Annotation]],
        load_library: Callable[[Callable[[], bool]], list[Annotation]],
        delete: Callable[[Annotation], bool],
        *,
        library_wide: bool = False,
        title: str = "",
    ) -> None:
        super().__init__()
        self.load = load  # this document's, placed already
        self.load_library = load_library  # every one, placed (slow: in a worker; told when to stop)
        self.everything: list[Annotation] | None = None  # the scope's annotations; None while placing
        self.delete_annotation = delete
        self.library_wide = library_wide
        self.doc_title = title
        self.shown: list[Annotation] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations-dialog"):
            yield Input(placeholder="filter: words in the note, passage, tags or title", id="annotations-filter")
            yield Static("", id="annotations-help", markup=False)
            yield OptionList(id="annotations-list", markup=False)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.everything = None
        if self.library_wide:
            self._place_library()
        else:
            self.everything = self.load()
        self.refill()

    @work(thread=True, exclusive=True, group="annotations-panel", exit_on_error=False)
    def _place_library(self) -> None:
        worker = get_current_worker()
        found = self.load_library(lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._placed, found)

    def _placed(self, found: list[Annotation]) -> None:
        if self.library_wide and self.is_attached:  # not toggled back to this document meanwhile
            self.everything = found
            self.refill()

    def refill(self) -> None:
        dialog = self.query_one("#annotations-dialog")
        scope = "the library" if self.library_wide else (self.doc_title or "this document")
        dialog.border_title = literal_markup(f"Annotations · {scope}")
        option_list = self.query_one("#annotations-list", OptionList)
        if self.everything is None:
            self.shown = []
            option_list.clear_options()
            self.query_one("#annotations-help", Static).update(
                "placing the library's annotations in their documents… · escape close"
            )
            return
        words = fold(self.query_one("#annotations-filter", Input).value).split()
        everything = self.everything
        self.shown = [a for a in everything if matches(a, words)]
        orphans = sum(1 for a in self.shown if a.status == ORPHANED)
        self.query_one("#annotations-help", Static).update(
            f"{len(self.shown)} of {len(everything)}"
            + (f" ({orphans} orphaned)" if orphans else "")
            + " · enter jump · ctrl+t this document / all · ctrl+d delete · escape close"
        )
        option_list.clear_options()
        option_list.add_options([Option(entry_text(a, with_document=self.library_wide), id=a.id) for a in self.shown])
        if self.shown:
            option_list.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._choose(self.query_one("#annotations-list", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            self.app.bell()
            return
        self.dismiss(self.shown[index])

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#annotations-list", OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + step))

    def action_toggle_scope(self) -> None:
        self.library_wide = not self.library_wide
        self.workers.cancel_group(self, "annotations-panel")
        self.reload()

    def action_delete(self) -> None:
        index = self.query_one("#annotations-list", OptionList).highlighted
        if index is not None and 0 <= index < len(self.shown):
            gone = self.shown[index]
            if not self.delete_annotation(gone):
                return  # refused (a read-only session): it stays listed
            if self.everything is not None:
                self.everything = [a for a in self.everything if a.id != gone.id]
            self.refill()

    def action_close(self) -> None:
        self.dismiss(None)
