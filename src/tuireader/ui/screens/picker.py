"""Pick a document from a list (for compare, and for related documents)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..literal import literal_markup


class DocumentPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Close", id="picker.close")]

    def __init__(self, title: str, items: list[tuple[str, Text]], hint: str = "enter: open") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog") as box:
            box.border_title = literal_markup(self.title_text)
            # the keys go under the list: a long title is cut at the right, and took them along
            box.border_subtitle = literal_markup(f"{self.hint} · esc: close")
            yield Input(placeholder="filter…", id="picker-filter")
            yield OptionList(id="picker-list", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-list").focus()

    def _fill(self, needle: str) -> None:
        option_list = self.query_one("#picker-list", OptionList)
        option_list.clear_options()
        words = needle.casefold().split()
        option_list.add_options(
            [
                Option(prompt, id=doc_id)
                for doc_id, prompt in self.items
                if all(w in prompt.plain.casefold() for w in words)
            ]
        )
        if option_list.option_count:
            option_list.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option_list = self.query_one("#picker-list", OptionList)
        if option_list.highlighted_option is not None:
            self.dismiss(option_list.highlighted_option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
