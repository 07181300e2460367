"""The annotations panel: this document's highlights, notes and bookmarks, or the whole library's,
with a filter; Enter jumps to the one highlighted (the jump goes into back/forward).

The library-wide list places each annotated document's annotations in its current text, which
may mean reading documents: that runs in a worker, and the panel says "placing…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...annotations.model import BOOKMARK, ORPHANED, Annotation
from ...annotations.search import fold
from ..literal import literal_markup
from ..themes import most_readable

# the theme colours the article draws each highlight in (article.py's DEFAULT_CSS)
HIGHLIGHT_VARIABLE = {"yellow": "warning", "green": "success", "blue": "primary", "pink": "error"}
ORPHAN_MARK = "orphaned"


def swatches(app: App) -> dict[str, Style]:
    """The dot before each highlight in its theme colour, and the orphaned mark's colour, each
    readable on the panel's surface and on the list's (blurred) cursor: a fixed blue is 2:1 on
    a dark surface, a fixed yellow 1.2:1 on a light theme's cursor."""
    v = app.theme_variables
    try:
        surface = Color.parse(v["background"]) + Color.parse(v.get("surface", v["background"]))
        backgrounds = [surface]
        if "block-cursor-blurred-background" in v:  # the filter keeps the focus: the list's cursor is blurred
            backgrounds.append(surface + Color.parse(v["block-cursor-blurred-background"]))
        out = {}
        for colour, variable in [*HIGHLIGHT_VARIABLE.items(), (ORPHAN_MARK, "error")]:
            c = Color.parse(v[variable])
            out[colour] = Style(color=(c if c.ansi is not None else most_readable(surface + c, backgrounds)).rich_color)
        return out
    except (KeyError, ColorParseError):  # a theme without these: the terminal's named colours
        named = {"yellow": "yellow", "green": "green", "blue": "blue", "pink": "magenta", ORPHAN_MARK: "red"}
        return {name: Style(color=value) for name, value in named.items()}


def entry_text(a: Annotation, *, with_document: bool, colours: dict[str, Style] | None = None) -> Text:
    colours = colours or {}
    text = Text(end="")
    if a.kind == BOOKMARK:
        text.append("◆ bookmark ", style="bold")
    else:
        text.append("● ", style=colours.get(a.colour, Style()))
    if with_document:
        text.append(a.doc_title or a.doc_id, style="bold")
        text.append("  ")
    passage = " ".join((a.quote.exact or a.quote.suffix).split())
    text.append("“" + (passage[:100] + "…" if len(passage) > 100 else passage) + "”")
    if a.status == ORPHANED:
        text.append(
            "  [orphaned: its text is gone from the file]", style=Style(bold=True) + colours.get(ORPHAN_MARK, Style())
        )
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
    #annotations-dialog { width: 90%; max-width: 120; height: 80%; border: round $accent; border-title-color: $foreground; background: $surface; }
    #annotations-help { color: $reader-muted; padding: 0 1; }
    /* the focused input's tint takes the text below 4.5:1 in nord and catppuccin: its border says it has the focus */
    #annotations-filter:focus { background-tint: $foreground 0%; }
    #annotations-filter > .input--placeholder { color: $reader-muted; }
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
        self.app.theme_changed_signal.subscribe(self, lambda _: self.refill())  # the dots are in theme colours
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
        colours = swatches(self.app)
        option_list.add_options(
            [Option(entry_text(a, with_document=self.library_wide, colours=colours), id=a.id) for a in self.shown]
        )
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
