"""The footnotes panel: every note with its label, full text, links and the
places it is cited; notes cited in the visible part of the article are marked."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ...core.model import Document, Footnote
from .article import marker_label


class NoteCard(Static, can_focus=True):
    """One footnote.  Enter/r jumps back to where it is cited (each citation in turn)."""

    BINDINGS = [
        Binding("enter,r", "back_to_citation", "Back to text", id="note.back_to_citation",
                tooltip="Jump to the marker citing this note (again for the next citation)"),
        Binding("o", "open_link", "Open link", id="note.open_link"),
        Binding("y", "copy_link", "Copy link", id="note.copy_link"),
        Binding("down,j", "next_note", "Next", show=False, id="note.next"),
        Binding("up,k", "previous_note", "Previous", show=False, id="note.previous"),
    ]

    class CitationRequested(Message):
        def __init__(self, key: str, citation: int) -> None:
            super().__init__()
            self.key = key
            self.citation = citation

    class LinkRequested(Message):
        def __init__(self, url: str, copy: bool = False) -> None:
            super().__init__()
            self.url = url
            self.copy = copy

    def __init__(self, note: Footnote, index: int) -> None:
        self.note = note
        self.index = index
        self.next_citation = 0
        self.hits: list[tuple[int, int]] = []
        self.current_hit: int | None = None
        super().__init__(self._content(), classes="note", markup=False)

    def _content(self) -> Text:
        note = self.note
        text = Text(end="")
        text.append(f"{note.label:>3} ", style="bold")
        if not note.defined:
            text.append("(no definition found in the document)", style="italic")
        else:
            body = Text(note.text, end="")
            for i, link in enumerate(note.links):
                start = note.content.text_position(link.source_start)
                last = note.content.text_position(link.source_end - 1)
                if start is not None and last is not None:
                    body.stylize(Style(underline=True, meta={"link": i}), start, max(last + 1, start + 1))
            for n, (a, b) in enumerate(self.hits):
                style = "reverse bold" if n == self.current_hit else "reverse"
                body.stylize(style, a, b)
            text.append_text(body)
        if note.cited_at:
            text.append("\n    ↩ ", style="dim")
            for i, _ in enumerate(note.cited_at):
                label = marker_label(note.label) + (chr(0x61 + i) if len(note.cited_at) > 1 and i < 26 else "")
                text.append(label, style=Style(bold=True, meta={"cite": i}))
                text.append(" ")
            text.append("cited in the text" if len(note.cited_at) == 1 else f"cited {len(note.cited_at)} times",
                        style="dim")
        return text

    def set_hits(self, hits: list[tuple[int, int]], current: int | None) -> None:
        self.hits, self.current_hit = hits, current
        self.update(self._content())

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "link" in meta:
            self.post_message(self.LinkRequested(self.note.links[int(meta["link"])].url))
            event.stop()
        elif "cite" in meta:
            self.post_message(self.CitationRequested(self.note.key, int(meta["cite"])))
            event.stop()

    def action_back_to_citation(self) -> None:
        if not self.note.cited_at:
            self.app.bell()
            return
        citation = self.next_citation % len(self.note.cited_at)
        self.next_citation = citation + 1
        self.post_message(self.CitationRequested(self.note.key, citation))

    def action_open_link(self) -> None:
        if self.note.links:
            self.post_message(self.LinkRequested(self.note.links[0].url))
        else:
            self.notify("This note has no link.", severity="warning")

    def action_copy_link(self) -> None:
        if self.note.links:
            self.post_message(self.LinkRequested(self.note.links[0].url, copy=True))
        else:
            self.notify("This note has no link.", severity="warning")

    def action_next_note(self) -> None:
        self.screen.focus_next(NoteCard)

    def action_previous_note(self) -> None:
        self.screen.focus_previous(NoteCard)

    def flash(self) -> None:
        self.add_class("-flash")
        self.set_timer(1.2, lambda: self.remove_class("-flash"))


class NotesPanel(VerticalScroll):
    """All notes of the open document."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cards: dict[str, NoteCard] = {}
        self.border_title = "Notes"

    async def show(self, document: Document) -> None:
        await self.remove_children()
        self.cards = {}
        cards = [NoteCard(note, i) for i, note in enumerate(document.footnotes)]
        for card in cards:
            self.cards.setdefault(card.note.key, card)
        if cards:
            await self.mount_all(cards)
        else:
            await self.mount(Static("This document has no footnotes.", classes="empty", markup=False))
        self.border_title = f"Notes ({len(cards)})" if cards else "Notes"
        self.scroll_home(animate=False)

    def mark_visible(self, keys: list[str]) -> None:
        visible = set(keys)
        for key, card in self.cards.items():
            card.set_class(key in visible, "-visible")
        if keys and keys[0] in self.cards and not self.has_focus_within:
            self.scroll_to_widget(self.cards[keys[0]], animate=False, top=True)

    def focus_note(self, key: str) -> NoteCard | None:
        card = self.cards.get(key)
        if card is None:
            return None
        self.scroll_to_widget(card, animate=False, top=True)
        card.focus(scroll_visible=False)
        card.flash()
        return card

    @property
    def has_focus_within(self) -> bool:
        focused = self.app.focused
        return focused is not None and focused in self.cards.values()
