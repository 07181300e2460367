"""Find in the document being read (ctrl+f), as less and vim do it: every hit highlighted while
the query is typed, the first one from the top of the view current; enter keeps the hits and
goes there (backspace returns), escape goes back to where the find started."""

from __future__ import annotations

from collections.abc import Callable

from ...core.find import find_in_document, smart_case_ignores_case
from ..widgets.findbar import FindBar
from ..widgets.reading_pane import ReadingPane


class FindSession:
    def __init__(self, pane: ReadingPane, bar: FindBar, say: Callable[[str], None]) -> None:
        self.pane, self.bar, self.say = pane, bar, say
        self.origin = pane.location()  # escape returns here
        if pane.article.selected_entity is not None:  # n/N will step through the find's hits now
            pane.article.select_entity(None)
        bar.open()

    def changed(self, query: str) -> None:
        pane, doc = self.pane, self.pane.document
        if doc is None:
            return
        if self.origin is not None:  # each new query looks from where the find started
            pane.article.scroll_to_source(self.origin.offset, top=True)  # the focus stays in the bar
        hits = find_in_document(doc, query)
        pane.set_hits(hits)
        if not query.strip():
            self.bar.say("")
        elif not hits.total:
            self.bar.say("no hits in this document")
        else:
            pane.show_hit(pane.first_hit_in_view(), focus=False)
            where = f", {hits.in_notes} in the notes" if hits.in_notes else ""
            case = "" if smart_case_ignores_case(query) else " · case matters"
            current = f"hit {(pane.hits.current or 0) + 1} of {hits.total}"
            self.bar.say(f"{current} · {hits.total} hit{'s' if hits.total != 1 else ''} in this document{where}{case}")

    def accepted(self) -> None:
        self.bar.close()
        hits = self.pane.hits
        if not hits.count or hits.current is None:
            self.pane.app.bell()
            self.cancelled()
            return
        self.pane.history.visit(self.origin)  # backspace returns to where the find started
        self.pane.show_hit(hits.current)
        self.say(f"hit {hits.current + 1} of {hits.count}: n next, N previous")

    def cancelled(self) -> None:
        self.bar.close()
        self.pane.clear_hits()
        if self.origin is not None:
            self.pane.restore_in_place(self.origin)
        else:
            self.pane.article.focus()
