"""Writing a note on a passage: a multi-line note (Markdown), tags and a colour."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from ...annotations.model import COLOURS
from ..literal import literal_markup


@dataclass(frozen=True, slots=True)
class NoteInput:
    note: str
    tags: str
    colour: str


class AnnotateScreen(ModalScreen[NoteInput | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="annotate.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="annotate.cancel"),
    ]
    DEFAULT_CSS = """
    AnnotateScreen { align: center middle; }
    #annotate-dialog { width: 90%; max-width: 100; height: auto; max-height: 90%; border: round $accent; border-title-color: $foreground; background: $surface; padding: 0 1; }
    #annotate-quote { color: $reader-muted; max-height: 3; }
    #annotate-note { height: 8; }
    #annotate-colours { height: auto; }
    #annotate-colours RadioSet { layout: horizontal; height: auto; border: none; }
    #annotate-help { color: $reader-muted; }
    #annotate-tags > .input--placeholder { color: $reader-muted; }
    /* the blurred set's chosen colour: Textual keeps the text colour, unreadable on that cursor in some themes */
    #annotate-colour:blur > RadioButton.-selected > .toggle--label { color: $block-cursor-blurred-foreground; }
    """

    def __init__(self, quote: str, *, note: str = "", tags: str = "", colour: str = COLOURS[0], focus: str = "note"):
        super().__init__()
        self.quote_text = quote
        self.initial = NoteInput(note, tags, colour)
        self.first_focus = focus

    def compose(self) -> ComposeResult:
        with Vertical(id="annotate-dialog") as dialog:
            dialog.border_title = "Note on the passage"
            short = " ".join(self.quote_text.split())
            yield Static(
                literal_markup("“" + (short[:240] + "…" if len(short) > 240 else short) + "”"), id="annotate-quote"
            )
            yield TextArea(self.initial.note, id="annotate-note", soft_wrap=True, show_line_numbers=False)
            yield Input(self.initial.tags, placeholder="tags, separated by spaces or commas", id="annotate-tags")
            with Horizontal(id="annotate-colours"):
                yield Label("Colour ")
                with RadioSet(id="annotate-colour"):
                    for name in COLOURS:
                        yield RadioButton(name, value=name == self.initial.colour, id=f"colour-{name}")
            yield Static("ctrl+s save · escape cancel · tab next field · Markdown allowed", id="annotate-help")

    def on_mount(self) -> None:
        self.query_one("#annotate-tags" if self.first_focus == "tags" else "#annotate-note").focus()

    def action_save(self) -> None:
        pressed = self.query_one("#annotate-colour", RadioSet).pressed_button
        colour = str(pressed.label) if pressed is not None else self.initial.colour
        self.dismiss(
            NoteInput(
                self.query_one("#annotate-note", TextArea).text, self.query_one("#annotate-tags", Input).value, colour
            )
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)
