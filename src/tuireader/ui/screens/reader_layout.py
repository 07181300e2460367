"""How the reading screen's panes share the width as the terminal and the reader's choices change:
the article keeps a readable measure, the library shows when there is room or when asked, the
side panel (notes or entity list) shrinks or gives way (layout.py has the numbers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from ..layout import NARROW, fit_panes
from ..widgets.entities import EntitiesPanel

if TYPE_CHECKING:
    from .reader import ReaderScreen

WIDE_ENOUGH_FOR_LIBRARY = 150


class PaneLayout:
    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.show_library: bool | None = None  # None: decided by the width
        self.gave_way: Widget | None = None  # the side panel hidden to make room for the library

    def apply_width(self, width: int) -> None:
        screen = self.screen
        screen.set_class(width < NARROW, "-narrow")
        show_library = self.show_library
        if show_library is None:
            show_library = width >= WIDE_ENOUGH_FOR_LIBRARY or screen.document is None
        screen.library_pane.display = show_library
        self.fit(width)

    def fit(self, width: int | None = None, keep: str = "library") -> None:
        """Give the article its readable measure: the side panel shrinks, or a pane gives way."""
        screen, library = self.screen, self.screen.library_pane
        width = screen.app.size.width if width is None else width
        entities, notes = screen.query_one("#entities", EntitiesPanel), screen.pane.notes
        # with nothing open, the notes panel would be an empty box taking the welcome's rows
        screen.set_class(screen.document is None, "-no-document")
        side: Widget = entities if entities.display else notes
        screen.set_class(bool(library.display), "-with-library")
        if self.gave_way is not None and not library.display:
            self.gave_way.display, self.gave_way = True, None  # the library went: it comes back
        fit = fit_panes(
            width,
            library=bool(library.display),
            side=bool(side.display),
            side_empty=side is notes and not notes.notes and screen.document is not None,
            keep=keep,
        )
        side.styles.width = fit.side_width
        if fit.hide == "side":
            side.display, self.gave_way = False, side
            what = "notes" if side is notes else "entity list"
            screen.say(f"the {what} made room for the library (l hides it again)", passing=True)
        elif fit.hide == "library":
            library.display, self.show_library = False, False
            screen.set_class(False, "-with-library")

    def toggle_library(self) -> bool:
        """Shown or hidden, as the reader asks; True when it is shown now."""
        library = self.screen.library_pane
        self.show_library = library.display = not library.display
        self.fit(keep="library")
        return bool(library.display)

    def toggle_notes(self) -> bool:
        notes = self.screen.pane.notes
        notes.display = not notes.display
        self.gave_way = None
        self.fit(keep="side")
        return bool(notes.display)

    def toggle_entity_panel(self) -> bool:
        panel = self.screen.query_one("#entities", EntitiesPanel)
        panel.display = not panel.display
        self.screen.pane.notes.display = not panel.display
        self.fit(keep="side")
        return bool(panel.display)
