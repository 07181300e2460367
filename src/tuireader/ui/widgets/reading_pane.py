"""One document being read: its article and its footnotes, where the reader has been in it, the
hits being stepped through and the entity types highlighted.

The reader screen holds one, the compare screen two. The pane keeps this state in one place
(the article and the notes only draw what it gives them) and tells its screen by message what
the screen must act on: the notes panel shown again, the visible notes changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message
from textual.reactive import var

from ...core.find import DocumentHits
from ...core.model import Document
from ...entities.extract import Mention
from ...entities.model import EntitySpan
from ...state.history import History, Location
from .article import ArticleView
from .notes import NotesPanel


@dataclass
class HitCursor:
    """The hits in order (the body's, then each note's) and the one the reader is on."""

    body: list[tuple[int, int, int]] = field(default_factory=list)
    notes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    current: int | None = None

    @property
    def count(self) -> int:
        return len(self.body) + sum(len(spans) for spans in self.notes.values())

    def place(self, index: int) -> tuple[str, int] | tuple[str, tuple[str, int]]:
        """("body", i) or ("note", (key, i)) of hit ``index``."""
        if index < len(self.body):
            return "body", index
        index -= len(self.body)
        for key, spans in self.notes.items():
            if index < len(spans):
                return "note", (key, index)
            index -= len(spans)
        raise IndexError(index)


class ReadingPane(Container):
    """An article with its notes beside (the reader) or under it (compare)."""

    document: var[Document | None] = var(None, init=False)
    entity_filter: var[frozenset[str] | None] = var(None, init=False)  # types highlighted; None: all

    class NotesShown(Message):
        """The notes panel was hidden and is shown again: the screen may have to share the width anew."""

    def __init__(self, *, article_id: str, notes_id: str, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._ids = article_id, notes_id
        self.doc_ref: str | None = None  # what reopens the document: a library id, or a path
        self.mentions: list[Mention] = []
        self.history = History()
        self.hits = HitCursor()

    def compose(self) -> ComposeResult:
        yield ArticleView(id=self._ids[0])
        yield NotesPanel(id=self._ids[1])

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def notes(self) -> NotesPanel:
        return self.query_one(NotesPanel)

    # ------------------------------------------------------------ content
    def show(
        self,
        doc: Document,
        doc_ref: str,
        *,
        mentions: list[Mention],
        spans: list[EntitySpan],
        title: str,
        offset: int | None = None,
    ) -> None:
        self.document, self.doc_ref, self.mentions = doc, doc_ref, mentions
        self.hits = HitCursor()
        self.article.show(doc, offset=offset, entities=spans)
        self.article.border_title = title  # border titles are markup: the caller escapes
        self.notes.show(doc)
        # the article announced its visible notes before the panel had this document
        self.notes.mark_visible(self.article.visible_note_keys)

    def watch_entity_filter(self, types: frozenset[str] | None) -> None:
        self.article.set_entity_filter(set(types) if types is not None else None)

    # ------------------------------------------------------------ where the reader is
    def location(self) -> Location | None:
        """The top of the article, and the current note when the notes have the focus."""
        if self.document is None or self.doc_ref is None:
            return None
        note = self.notes.current_key if self.app.focused is self.notes else None
        return Location(self.doc_ref, self.article.top_source_offset(), note, self.article.current_ref)

    def visit(self) -> None:
        """Remember here before a jump, for the history keys."""
        self.history.visit(self.location())

    def step_history(self, step: Callable[[Location], Location | None]) -> Location | None:
        """Back or forward (``History.back``/``forward``): the place to return to, or None (with a bell)."""
        here = self.location()
        target = step(here) if here is not None else None
        if target is None:
            self.app.bell()
        return target

    def restore_in_place(self, location: Location) -> None:
        """Back to a place in the document shown: its scroll position, then its note or marker."""
        self.article.scroll_to_source(location.offset, top=True)
        if location.note:
            self.notes.focus_note(location.note)
        else:
            if location.ref is not None:
                self.article.go_to_ref(location.ref, scroll=False)
            self.article.focus()

    def reveal_notes(self) -> None:
        if not self.notes.display:
            self.notes.display = True
            self.post_message(self.NotesShown())

    # ------------------------------------------------------------ hits
    def set_hits(self, hits: DocumentHits, current: int | None = None) -> None:
        """Highlight ``hits`` (the article's, the notes'); ``current`` is shown (focusing its widget)."""
        self.hits = HitCursor(sorted(hits.body), hits.notes, None)
        self.article.set_hits(hits.body, current=None)
        self.notes.set_hits(hits.notes)
        if current is not None and self.hits.count:
            self.show_hit(current)

    def place_hits(self, offsets: list[tuple[int, int]]) -> int:
        """Hits given as source offsets (a search's): placed, highlighted, the first shown; their count."""
        assert self.document is not None
        body, in_notes = self.document.place_spans(offsets)
        self.set_hits(DocumentHits(body, in_notes), current=0)
        return self.hits.count

    def show_spans(self, spans: list[tuple[int, int, int]], current: int = 0) -> None:
        """The article's spans as the hits (an entity's mentions), one of them current and in view."""
        self.hits = HitCursor(sorted(spans), {}, current if spans else None)
        self.article.set_hits(spans, current=current)
        self.notes.set_hits({})

    def first_hit_in_view(self) -> int:
        """Like less: the first hit at or below the top of the view, else (wrapping) the first."""
        top, _ = self.article.visible_line_range()
        for i, (block, start, _end) in enumerate(self.hits.body):
            if self.article.line_of_char(block, start) >= top:
                return i
        return len(self.hits.body) if self.hits.notes and not self.hits.body else 0

    def show_hit(self, index: int, *, focus: bool = True) -> None:
        self.hits.current = index
        kind, where = self.hits.place(index)
        if self.notes.current_hit is not None:
            self.notes.set_hits(self.hits.notes)
        if kind == "body":
            assert isinstance(where, int)
            self.article.go_to_hit(where)
            if focus:
                self.article.focus()
        else:
            assert isinstance(where, tuple)
            key, i = where
            self.article.clear_current_hit()
            self.reveal_notes()
            self.notes.set_hits(self.hits.notes, (key, i))
            if focus:
                self.notes.focus_note(key)
            else:
                self.notes.show_note(key)

    def step_hit(self, step: int) -> bool:
        """n/N: the next or previous hit, wrapping at either end (with a notice, as vim does).

        False (and a bell) when there is no hit to step to."""
        count = self.hits.count
        if not count:
            self.app.bell()
            return False
        if self.hits.current is None:
            target = 0 if step > 0 else count - 1
        else:
            target = self.hits.current + step
            if not 0 <= target < count:
                where = "bottom, continuing at the top" if step > 0 else "top, continuing at the bottom"
                self.notify(f"Search hit the {where}.", markup=False, timeout=3)
        self.show_hit(target % count)
        return True

    def clear_hits(self) -> None:
        self.set_hits(DocumentHits([], {}))

    # ------------------------------------------------------------ footnotes
    @on(ArticleView.NoteRequested)
    def _note_requested(self, event: ArticleView.NoteRequested) -> None:
        event.stop()
        self.visit()
        self.reveal_notes()
        if self.notes.focus_note(event.key) is None:
            self.notify(f"Note {event.key} is not in this document.", severity="warning", markup=False)

    def go_to_note(self, key: str) -> None:
        self.visit()
        self.reveal_notes()
        self.notes.focus_note(key)

    @on(NotesPanel.CitationRequested)
    def _citation_requested(self, event: NotesPanel.CitationRequested) -> None:
        event.stop()
        note = self.notes.note(event.key)
        if self.document is None or note is None or not note.cited_at:
            return
        self.visit()
        self.article.go_to_citation(*note.cited_at[event.citation % len(note.cited_at)], event.key)

    @on(ArticleView.VisibleNotesChanged)
    def _visible_notes(self, event: ArticleView.VisibleNotesChanged) -> None:
        # not stopped: the reader saves its position when the view moves
        self.notes.mark_visible(event.keys)
