"""The find bar under the article (ctrl+f): a query box and what it found, as less and vim show it.

The bar only reports what is typed; the app finds, highlights and moves, so every hit shows in
the article (and the notes) while the query is still being typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $panel; }
    FindBar > #find-label { width: auto; padding: 0 1; color: $text-muted; }
    FindBar > #find-input { width: 1fr; height: 1; border: none; padding: 0; }
    FindBar > #find-count { width: auto; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel find", id="find.cancel", show=False)]

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Accepted(Message):
        """Enter: keep the hits and go to the current one."""

    class Cancelled(Message):
        """Escape: back to where the find started."""

    def compose(self) -> ComposeResult:
        yield Static("Find:", id="find-label", markup=False)
        yield Input(
            placeholder="in this document, notes included (a capital makes case matter)",
            id="find-input",
            select_on_focus=False,
        )
        yield Static("", id="find-count", markup=False)

    @property
    def is_open(self) -> bool:
        return self.display

    def open(self) -> None:
        self.display = True  # at once, not at the next style update: the box must take the next key
        box = self.query_one("#find-input", Input)
        box.value = ""
        self.say("")
        box.focus()

    def close(self) -> None:
        self.display = False

    def say(self, text: str) -> None:
        self.query_one("#find-count", Static).update(Text(text))

    @property
    def said(self) -> str:
        return str(self.query_one("#find-count", Static).render())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Accepted())

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
