"""The line shown while a passage is selected: what is selected and what can be done with it.

It has the focus while a selection is being made, so its keys (j/k/w/b/} extend, h
highlights, a annotates, t tags, y copies the quote, escape cancels) never reach the
article, whose j/k/b scroll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

if TYPE_CHECKING:
    from ..annotating import Annotator


class SelectionBar(Static, can_focus=True):
    DEFAULT_CSS = """
    SelectionBar { height: auto; max-height: 2; padding: 0 1; background: $boost; color: $foreground; display: none; }
    SelectionBar:focus { background: $boost; }
    """

    BINDINGS = [
        Binding("j,down", "extend('line', 1)", "Line", id="selection.down"),
        Binding("k,up", "extend('line', -1)", "Line back", show=False, id="selection.up"),
        Binding("w", "extend('word', 1)", "Word", id="selection.word"),
        Binding("b", "extend('word', -1)", "Word back", show=False, id="selection.word_back"),
        Binding("right_curly_bracket", "extend('paragraph', 1)", "Paragraph", id="selection.paragraph"),
        Binding("h", "highlight('yellow')", "Highlight", id="selection.highlight"),
        Binding("1", "highlight('yellow')", "Yellow", show=False, id="selection.yellow"),
        Binding("2", "highlight('green')", "Green", show=False, id="selection.green"),
        Binding("3", "highlight('blue')", "Blue", show=False, id="selection.blue"),
        Binding("4", "highlight('pink')", "Pink", show=False, id="selection.pink"),
        Binding("a", "annotate", "Note", id="selection.note", tooltip="Highlight it with a note"),
        Binding("t", "tag", "Tag", id="selection.tag"),
        Binding("y", "copy", "Copy quote", id="selection.copy", tooltip="The passage with its notes and citation"),
        Binding("escape", "cancel", "Cancel", id="selection.cancel"),
    ]

    def __init__(self, annotator: Annotator, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.annotator = annotator

    def say(self, words: int, chars: int) -> None:
        line = Text("Selecting: ", style="bold", end="")
        line.append(f"{words} word{'s' if words != 1 else ''} ({chars} characters)  ")
        line.append("h/1-4 highlight · a note · t tag · y copy quote · j k w b } extend · esc cancel")
        self.update(line)

    def action_extend(self, unit: str, step: int) -> None:
        self.annotator.extend(unit, step)

    def action_highlight(self, colour: str) -> None:
        self.annotator.highlight(colour)

    def action_annotate(self) -> None:
        self.annotator.annotate()

    def action_tag(self) -> None:
        self.annotator.annotate(focus="tags")

    def action_copy(self) -> None:
        self.annotator.copy_quote()

    def action_cancel(self) -> None:
        self.annotator.cancel()
