"""The reader screen's entities: the mentions found for the open document drawn in the text,
the list and the legend, the highlighting cycled by type, one entity selected and stepped
through.  The screen keeps the key bindings, the events and the worker that finds them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.model import Document
from ..widgets.entities import TYPE_ORDER, EntitiesPanel
from ..widgets.legend import EntityLegend, filter_name
from .reader_documents import Entities, Opened, entity_spans

if TYPE_CHECKING:
    from .reader import ReaderScreen


class ReaderEntities:
    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.pending: str | None = None  # an entity to select once the document's mentions are found

    def changed(self, doc_ids: list[str]) -> None:
        """The index holds new mentions for these documents (the model's background pass):
        the open one among them is highlighted again from the index."""
        doc = self.screen.document
        if doc is not None and doc.id in doc_ids:
            self.screen._find_entities(Opened(doc, doc.id, None))

    def show(self, doc: Document, found: Entities) -> None:
        screen = self.screen
        pane, mentions = screen.pane, found.mentions
        if doc is not pane.document or screen.closing_down():
            return  # another document was opened meanwhile
        app = screen.reader_app
        for problem in app.workspace.problems:
            app.problem(problem, title="Gazetteer")
        app.workspace.problems.clear()
        pane.article.entity_info = {m.canonical: (m.type, found.descriptions.get(m.canonical, "")) for m in mentions}
        for spans in found.in_header.values():  # the title's and byline's, hovered as the body's are
            pane.article.entity_info.update({c: (t, found.descriptions.get(c, "")) for _, _, t, c in spans})
        if mentions is not pane.mentions or found.in_header:  # not laid out with the text: restyle now
            pane.mentions = mentions
            pane.article.set_entities(entity_spans(mentions), found.in_header)
        screen.query_one("#entities", EntitiesPanel).show(mentions, found.descriptions)
        if found.in_notes:
            pane.notes.set_entities(found.in_notes)
        legend = screen.query_one("#legend", EntityLegend)
        legend.redraw()
        legend.set_class(True, "-on")
        if self.pending:
            self.select(self.pending)
            self.pending = None

    def cycle_highlighting(self) -> None:
        """All entities, then each type alone, then none."""
        screen = self.screen
        order: list[frozenset[str] | None] = [None, *(frozenset({t}) for t in TYPE_ORDER), frozenset()]
        current = order.index(screen.entity_filter) if screen.entity_filter in order else 0
        screen.entity_filter = order[(current + 1) % len(order)]
        mode = filter_name(screen.entity_filter).replace("only", "entities only")
        mode = {"all": "all entities", "off": "no entities"}.get(mode, mode)
        screen.say(f"highlighting {mode} (e to change)", passing=True)

    def toggle_panel(self) -> None:
        screen = self.screen
        if screen.panes.toggle_entity_panel():
            screen.query_one("#entity-list").focus()
        elif screen.document is not None:
            screen.pane.article.focus()

    def select(self, canonical: str) -> None:
        screen = self.screen
        pane = screen.pane
        spans = [(m.block, m.start, m.end) for m in pane.mentions if m.canonical == canonical]
        if not spans:
            screen.notify(f"{canonical} is not mentioned in this document.", severity="warning", markup=False)
            return
        pane.article.select_entity(canonical)
        screen.query_one("#entities", EntitiesPanel).select(canonical)
        pane.show_spans(spans)
        etype, description = pane.article.entity_info.get(canonical, ("", ""))
        screen.say(
            f"{canonical} · {etype}{' — ' + description if description else ''} · "
            f"{len(spans)} mentions: n next, N previous",
            passing=True,
        )

    def picked(self, canonical: str) -> None:
        """Chosen in the list: a place in the history, then its mentions, the text focused."""
        self.screen.pane.visit()
        self.select(canonical)
        self.screen.pane.article.focus()
