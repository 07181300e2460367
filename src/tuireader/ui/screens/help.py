"""The help screen: every key, what it does, and its id for remapping."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...paths import user_settings_file


def key_label(key: str) -> str:
    """`"slash,ctrl+f"` as a person reads it: `/, ctrl+f`."""
    names = {
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "slash": "/",
        "question_mark": "?",
        "space": "space",
        "escape": "esc",
    }
    return ", ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]], keymap: dict[str, str]) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        text = Text(end="")
        text.append("tuireader keys\n\n", style="bold")
        labels = {
            id(binding): key_label(self.keymap.get(binding.id or "", binding.key))
            for _, bindings in self.sections
            for binding in bindings
        }
        key_width = max(map(len, labels.values()), default=12)  # one column for the longest ("backspace, alt+left")
        for title, bindings in self.sections:
            text.append(f"{title}\n", style="bold underline")
            for binding in bindings:
                text.append(f"  {labels[id(binding)]:<{key_width}} ", style="bold")
                text.append(f"{(binding.description or binding.action)[:20]:<20} ")
                text.append(f"{binding.id or ''}\n", style="dim")
            text.append("\n")
        # one paragraph: the dialog wraps it to its width (hard breaks left a stub line at 80 columns)
        text.append(
            "Also: arrows, PageUp/PageDown, Home/End and the mouse wheel scroll; click a marker to open its "
            "note, a ↩ label to go back to the text, a link to open it. ctrl+p opens the command palette.\n\n"
        )
        text.append(f"Remap keys by id in {user_settings_file()}:\n", style="dim")
        text.append('  keys:\n    article.next_marker: "right_square_bracket,ctrl+n"\n', style="dim")
        with VerticalScroll(id="help-dialog") as box:
            box.border_title = "Help"
            yield Static(text, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
