"""The entities panel: the open document's entities, grouped by type, most mentioned first."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...entities.extract import Mention

TYPE_ORDER = ("PERSON", "ORG", "PLACE", "GROUP", "DATE")
TYPE_LABELS = {"PERSON": "People", "ORG": "Organisations", "PLACE": "Places", "GROUP": "Groups", "DATE": "Dates"}


class EntitiesPanel(Vertical):
    BINDINGS = [
        Binding(
            "d",
            "documents",
            "Documents",
            id="entities.documents",
            tooltip="Every library document that mentions this entity",
        ),
        Binding(
            "t", "timeline", "Timeline", id="entities.timeline", tooltip="Its mentions across the library per week"
        ),
    ]

    class Selected(Message):
        def __init__(self, canonical: str) -> None:
            super().__init__()
            self.canonical = canonical

    class DocumentsRequested(Message):
        def __init__(self, canonical: str) -> None:
            super().__init__()
            self.canonical = canonical

    class TimelineRequested(Message):
        def __init__(self, canonical: str) -> None:
            super().__init__()
            self.canonical = canonical

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Entities"
        self.types: dict[str, str] = {}
        self.descriptions: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield OptionList(id="entity-list", markup=False)
        yield Static("", id="entity-info", markup=False)

    def show(self, mentions: list[Mention], descriptions: dict[str, str]) -> None:
        counts = Counter((m.type, m.canonical) for m in mentions)
        self.types = {canonical: etype for etype, canonical in counts}
        self.descriptions = descriptions
        option_list = self.query_one("#entity-list", OptionList)
        option_list.clear_options()
        options: list[Option] = []
        for etype in TYPE_ORDER:
            rows = sorted(((c, n) for (t, c), n in counts.items() if t == etype), key=lambda r: (-r[1], r[0]))
            if not rows:
                continue
            options.append(Option(Text(f"{TYPE_LABELS[etype]} ({len(rows)})", style="bold"), disabled=True))
            for canonical, n in rows:
                options.append(Option(Text(f"{n:>4}  {canonical}"), id=f"{etype}\t{canonical}"))
        option_list.add_options(options)
        self.border_title = f"Entities ({len(self.types)})"
        self.border_subtitle = ""
        self._show_info(None)

    def _current(self) -> str | None:
        option = self.query_one("#entity-list", OptionList).highlighted_option
        return option.id.split("\t", 1)[1] if option and option.id else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_info(self._current())

    def _show_info(self, canonical: str | None) -> None:
        info = self.query_one("#entity-info", Static)
        info.update(self.info(canonical) if canonical else "")
        info.set_class(not canonical, "-empty")  # an empty box under the list cost it two rows
        # where the box is hidden (narrow terminals) the border keeps the keys
        self.border_subtitle = "enter: mentions · d: documents · t: timeline" if canonical else ""

    def info(self, canonical: str) -> Text:
        text = Text(canonical, style="bold", end="")
        text.append(f"  {self.types.get(canonical, '')}", style="dim")
        description = self.descriptions.get(canonical)
        if description:
            text.append(f"\n{description}")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        canonical = self._current()
        if canonical:
            self.post_message(self.Selected(canonical))

    def action_documents(self) -> None:
        canonical = self._current()
        if canonical:
            self.post_message(self.DocumentsRequested(canonical))

    def action_timeline(self) -> None:
        canonical = self._current()
        if canonical:
            self.post_message(self.TimelineRequested(canonical))

    def select(self, canonical: str) -> None:
        option_list = self.query_one("#entity-list", OptionList)
        for i in range(option_list.option_count):
            option = option_list.get_option_at_index(i)
            if option.id and option.id.split("\t", 1)[1] == canonical:
                option_list.highlighted = i
                return
