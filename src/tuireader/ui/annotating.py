"""What the reader does with annotations: select, highlight, annotate, bookmark, list, jump, copy.

The app holds one ``Annotator`` and calls it from one-line hooks (a binding, a message
handler), so this logic stays out of the app class.  The store is the user's
annotations database (paths.annotations_file()), opened on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import paths
from ..annotations import AnnotationStore
from ..annotations.cite import passage, quote_markdown
from ..annotations.model import BOOKMARK, ORPHANED, Annotation
from ..annotations.search import search_with_annotations
from ..annotations.service import (
    AnnotationError,
    Placed,
    edit_annotation,
    new_annotation,
    placed_annotations,
    placed_library,
)
from ..annotations.store import StoreError
from ..annotations.text import DocText
from ..core.model import Document
from .screens.annotate import AnnotateScreen, NoteInput
from .visual import (
    NoteSelection,
    VisualSelection,
    from_mouse,
    move_lines,
    move_paragraph,
    move_words,
    note_line_of,
    note_move_lines,
    note_move_paragraph,
    note_move_words,
    start_at_view,
    start_in_note,
)
from .widgets.annotations_panel import AnnotationsPanel

if TYPE_CHECKING:
    from .screens.reader import ReaderScreen


def note_range(text: DocText, notes, selection) -> tuple[int, int] | None:
    """The flat range of a mouse selection in the notes panel, by character as in the article.

    Its ends are the characters under the mouse (a link number the panel puts before a link
    counts as the link's start); a selection running into the next note stops at the end of
    the note it began in (a passage is in one note).
    """
    if selection.start is None or selection.end is None:
        return None
    (y0, x0), (y1, x1) = sorted([(selection.start.y, selection.start.x), (selection.end.y, selection.end.x)])
    start = _note_point(notes, y0, x0, step=1)
    end = _note_point(notes, y1, x1, step=-1)
    if start is None or end is None:
        return None
    a = text.flat_position(None, start[1], note=start[0])
    b = text.flat_position(None, end[1], note=start[0]) if end[0] == start[0] else None
    if b is None and a is not None:
        piece = text.piece_at(a)
        b = piece.end if piece is not None else None
    if a is None or b is None or b <= a:
        return None
    return a, b


def _note_point(notes, line: int, column: int, *, step: int) -> tuple[str, int] | None:
    """The note position at a line and column; off a note's text (a blank line) the nearest one."""
    found = notes.note_position(line, column)
    while found is None and 0 <= line + step < notes.virtual_size.height:
        line += step
        found = notes.note_position(line, 0 if step > 0 else 1 << 30)
    return found


# Said when a session that may only read the shared annotations (a browser without ?user=) tries to change them.
READ_ONLY_MESSAGE = (
    "Annotations are read-only in this shared session: nothing was saved. "
    "Open the reader with ?user=NAME to keep your own highlights, notes and bookmarks."
)


def _open_store() -> AnnotationStore:
    return AnnotationStore(paths.annotations_file(), read_only=paths.state_read_only())


Spans = list[tuple[int, int, int, str]]  # (block, start, end, component class) in the article


def annotation_spans(
    placed: list[Placed], text: DocText
) -> tuple[Spans, dict[str, list[tuple[int, int, str]]], list[tuple[int, int]]]:
    """What the views draw: highlights in the article (block, start, end, class) and in the notes
    (per note key: start, end, colour), and bookmarks as (block, char)."""
    spans: Spans = []
    in_notes: dict[str, list[tuple[int, int, str]]] = {}
    bookmarks: list[tuple[int, int]] = []
    for p in placed:
        if p.placement.flat is None:
            continue
        if p.annotation.kind == BOOKMARK:
            piece = text.piece_at(p.placement.flat[0])
            if piece is not None and piece.block is not None:
                bookmarks.append((piece.block, p.placement.flat[0] - piece.start))
            continue
        for piece, lo, hi in text.place(*p.placement.flat):
            if piece.block is not None:
                spans.append((piece.block, lo, hi, f"article--highlight-{p.annotation.colour}"))
            elif piece.note is not None:
                in_notes.setdefault(piece.note, []).append((lo, hi, p.annotation.colour))
    return spans, in_notes, bookmarks


class Annotator:
    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader
        self._store: AnnotationStore | None = None
        self.placed: list[Placed] = []
        self._text: DocText | None = None
        self.selection: VisualSelection | None = None
        self.note_range: tuple[int, int] | None = None  # a passage selected in a note: flat DocText range
        self.note_selection: NoteSelection | None = None  # the same passage while it is selected by keys

    # ------------------------------------------------------------ store
    @property
    def store(self) -> AnnotationStore | None:
        if self._store is None:
            store = _open_store()
            try:
                store.conn  # noqa: B018 - opened now, so a damaged store is reported once, here
            except (StoreError, OSError) as exc:
                self.reader.app.notify(f"Annotations are unavailable: {exc}", severity="error", markup=False)
                return None
            for message in store.messages:
                self.reader.app.notify(message, severity="warning", markup=False, timeout=10)
            self._store = store
        return self._store

    @property
    def document(self) -> Document | None:
        return self.reader.document

    @property
    def text(self) -> DocText | None:  # built when first needed, not at show (100,000 notes: ~1 s)
        if (doc := self.document) is not None and (self._text is None or self._text.doc is not doc):
            self._text = DocText(doc)
        return self._text if doc is not None else None

    def _writable(self) -> bool:
        """False, with the reason said, where annotations may be read but not changed."""
        if paths.state_read_only():
            self.reader.app.notify(READ_ONLY_MESSAGE, severity="warning", markup=False, timeout=8)
            return False
        return True

    # ------------------------------------------------------------ showing
    def document_shown(self, doc: Document) -> None:
        self.selection = self.note_range = self.note_selection = None
        self._hide_bar()
        self._text = None
        self.placed = []
        self.repaint()  # the previous document's are gone at once; this one's come from the worker
        self.place(doc, report_orphans=True)

    def place(self, doc: Document, *, report_orphans: bool = False) -> None:
        """Place the document's annotations in a worker: 2,000 on a 1 MB file take ~70 ms of CPU
        (benchmarks/bench_annotations.py), several seconds when the file changed and all move."""
        if not paths.annotations_file().exists() or self.store is None or (text := self.text) is None:
            return  # self.store: opened here first, so a damaged store is reported on this thread

        def work() -> None:
            store = _open_store()  # its own connection (WAL: same rows)
            try:
                placed = placed_annotations(store, doc, text)
            except (StoreError, OSError) as exc:
                self.reader.app.call_from_thread(
                    self.reader.app.notify, f"Annotations could not be placed: {exc}", severity="error", markup=False
                )
                return
            finally:
                store.close()
            self.reader.app.call_from_thread(self._placed_in, doc, placed, report_orphans)

        self.reader.run_worker(work, thread=True, exclusive=True, group="annotations-place", exit_on_error=False)

    def _placed_in(self, doc: Document, placed: list[Placed], report_orphans: bool) -> None:
        if doc is not self.document or self.reader.closing_down():
            return  # another document was opened meanwhile
        self.placed = placed
        orphans = sum(1 for p in placed if p.orphaned)
        if orphans and report_orphans:
            self.reader.app.notify(
                f"{orphans} annotation{'s' if orphans != 1 else ''} could not be placed in the changed file: "
                "kept, and listed as orphaned (A)",
                severity="warning",
                markup=False,
            )
        self.repaint()

    def repaint(self) -> None:
        placed, text = self.placed, self.text if self.placed else None  # no annotation: no text built
        spans, in_notes, bookmarks = annotation_spans(placed, text) if text is not None else ([], {}, [])
        notes = self.reader.pane.notes
        notes.set_highlights(in_notes)
        sel = self.note_selection
        notes.set_selection((sel.key, *sel.ordered) if sel is not None else None)
        if self.selection is not None and self.document is not None:
            spans.extend((b, s, e, "article--selection") for b, s, e in self.selection.spans(self.document))
        self.reader.pane.article.set_annotation_spans(spans)
        self.reader.pane.article.set_bookmarks(bookmarks)

    # ------------------------------------------------------------ selecting
    def start_visual(self) -> None:
        if self.document is None:
            self.reader.app.bell()
            return
        self.reader.app.screen.clear_selection()
        notes = self.reader.pane.notes
        if notes.has_focus:
            self._start_in_note()
            return
        self.selection = start_at_view(self.reader.pane.article)
        self._show_bar()

    def _start_in_note(self) -> None:
        """``v`` in the footnotes panel: the current note's first line; the bar's keys then act in the note."""
        notes = self.reader.pane.notes
        note = notes.current_note
        found = start_in_note(note.key, notes.body_lines(note.key)) if note is not None else None
        if found is None:
            self.reader.app.bell()
            return
        self.selection, self.note_selection = None, found
        self._note_selection_moved()

    def _note_selection_moved(self, line: int = 0) -> None:
        sel, text = self.note_selection, self.text
        if sel is None or text is None:
            return
        a, b = sel.ordered
        start, end = text.flat_position(None, a, note=sel.key), text.flat_position(None, b, note=sel.key)
        self.note_range = (start, end) if start is not None and end is not None else None
        self.reader.pane.notes.show_note_line(sel.key, line)
        self._show_bar()

    def mouse_selected(self) -> None:
        """The mouse let go of a selection: in the article or a note, it is the passage the bar's keys act on."""
        view = self.reader.pane.article
        if self.document is None:
            return
        if view.text_selection is None:
            self._note_selected()
            return
        found = from_mouse(view, view.text_selection)
        if found is None:
            return
        self.selection, self.note_range, self.note_selection = found, None, None
        self._show_bar()

    def _note_selected(self) -> None:
        """A drag in the notes panel: its words found in the note's text (the panel numbers links)."""
        notes = self.reader.pane.notes
        if notes.text_selection is None or self.text is None:
            return
        found = note_range(self.text, notes, notes.text_selection)
        if found is None:
            return
        self.selection, self.note_range, self.note_selection = None, found, None
        self._show_bar()

    def extend(self, unit: str, step: int) -> None:
        if self.note_selection is not None:
            self._extend_in_note(unit, step)
            return
        if self.selection is None or self.document is None:
            return
        self.reader.app.screen.clear_selection()
        if unit == "line":
            move_lines(self.selection, self.reader.pane.article, step)
        elif unit == "word":
            move_words(self.selection, self.document, step)
        else:
            move_paragraph(self.selection, self.document)
        self._show_bar()

    def _extend_in_note(self, unit: str, step: int) -> None:
        sel, notes = self.note_selection, self.reader.pane.notes
        note = notes.note(sel.key) if sel is not None else None
        if sel is None or note is None:
            return
        lines = notes.body_lines(sel.key)
        if unit == "line" and lines:
            line = note_move_lines(sel, lines, step)
        else:
            if unit == "word":
                note_move_words(sel, note.text, step)
            else:
                note_move_paragraph(sel, note.text)
            line = note_line_of(lines, sel.cursor) if lines else 0
        self._note_selection_moved(line)

    def cancel(self) -> None:
        in_note = self.note_selection is not None
        self.selection = self.note_range = self.note_selection = None
        self.reader.app.screen.clear_selection()
        self._hide_bar()
        self.repaint()
        if in_note:  # back where the selection began
            self.reader.app.screen.set_focus(self.reader.pane.notes)
        else:
            self.reader.pane.article.focus()

    def _bar(self):
        from .widgets.selection_bar import SelectionBar

        return self.reader.query_one("#selection", SelectionBar)

    def _show_bar(self, *, focus: bool = True) -> None:
        if (self.selection is None and self.note_range is None) or self.document is None:
            self.reader.app.bell()
            return
        quoted = self._selected_text()
        bar = self._bar()
        bar.say(len(quoted.split()), len(quoted))
        bar.display = True
        if focus:
            # now, not after the next refresh (as focus() does): keys typed ahead ("v" then "j"
            # at once) must reach the bar, not scroll the article
            self.reader.app.screen.set_focus(bar)
        self.repaint()

    def _hide_bar(self) -> None:
        # The article takes the focus first: a focused widget that is hidden hands the focus to
        # the next one in the chain (the notes), and j/k would then move the notes.
        if self.reader.document is not None and self.reader.query("#article"):
            self.reader.app.screen.set_focus(self.reader.pane.article)
        for bar in self.reader.query("#selection"):  # none while another screen is up
            bar.display = False

    def _selected_text(self) -> str:
        doc = self.document
        if self.note_range is not None and self.text is not None:
            return self.text.text[self.note_range[0] : self.note_range[1]]
        if doc is None or self.selection is None:
            return ""
        return "\n".join(doc.blocks[b].text[s:e] for b, s, e in self.selection.spans(doc))

    def _selected_range(self) -> tuple[int, int] | None:
        if self.note_range is not None and self.text is not None:
            return self.text.source_range(*self.note_range)
        if self.selection is None or self.document is None:
            return None
        return self.selection.source_range(self.document)

    # ------------------------------------------------------------ acting
    def highlight(self, colour: str, note: str = "", tags: str = "") -> Annotation | None:
        if not self._writable():
            return None
        doc, found, store = self.document, self._selected_range(), self.store
        if doc is None or found is None or store is None:
            self.reader.app.bell()
            return None
        try:
            annotation = new_annotation(doc, *found, colour=colour, note=note, tags=tags, text=self.text)
            store.add(annotation)
        except (AnnotationError, StoreError, OSError) as exc:
            self.reader.app.notify(f"Not saved: {exc}", severity="error", markup=False)
            return None
        self._after_change(doc, "Highlighted" if not note else "Note saved")
        return annotation

    def annotate(self, focus: str = "note") -> None:
        if self.selection is None and self.note_range is None:
            self.reader.app.bell()
            return
        if not self._writable():  # before the note is typed, not after
            return
        self.reader.app.push_screen(AnnotateScreen(self._selected_text(), focus=focus), self._note_written)

    def _note_written(self, result: NoteInput | None) -> None:
        if result is None:
            self._bar().focus()
            return
        self.highlight(result.colour, note=result.note, tags=result.tags)

    def edit(self, annotation: Annotation) -> None:
        if not self._writable():
            return

        def written(result: NoteInput | None) -> None:
            if result is not None and self.store is not None:
                edit_annotation(self.store, annotation, note=result.note, tags=result.tags, colour=result.colour)
                if self.document is not None and annotation.doc_id == self.document.id:
                    self._after_change(self.document, "Note saved")

        self.reader.app.push_screen(
            AnnotateScreen(
                annotation.quote.exact, note=annotation.note, tags=" ".join(annotation.tags), colour=annotation.colour
            ),
            written,
        )

    def _after_change(self, doc: Document, message: str) -> None:
        in_note = self.note_range is not None
        self.selection = self.note_range = self.note_selection = None
        self.reader.app.screen.clear_selection()
        self._hide_bar()
        self.repaint()  # the selection is gone now; the new highlight comes with the placing
        self.place(doc)
        if in_note:  # the reader was reading the notes: they keep the keys
            self.reader.app.screen.set_focus(self.reader.pane.notes)
        else:
            self.reader.pane.article.focus()
        self.reader.app.notify(message, markup=False, timeout=3)

    def copy_quote(self) -> None:
        doc, found = self.document, self._selected_range()
        if doc is None or found is None or self.text is None:
            self.reader.app.bell()
            return
        flat = self.text.flat_range(*found)
        if flat is None:
            self.reader.app.bell()
            return
        p = passage(doc, *flat, self.text)
        self.reader.app.copy_to_clipboard(quote_markdown(doc, p))
        cited = f", with {len(p.notes)} note{'s' if len(p.notes) != 1 else ''}" if p.notes else ""
        self.reader.app.notify(f"Copied the quote and its citation{cited}", markup=False, timeout=3)
        self.cancel()

    def bookmark(self) -> None:
        if not self._writable():
            return
        doc, store = self.document, self.store
        if doc is None or store is None:
            self.reader.app.bell()
            return
        offset = self.reader.pane.article.top_source_offset()
        try:
            store.add(new_annotation(doc, offset, offset, kind=BOOKMARK, text=self.text))
        except (AnnotationError, StoreError, OSError) as exc:
            self.reader.app.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.place(doc)
        self.reader.app.notify("Bookmarked this place (A lists it)", markup=False, timeout=3)

    # ------------------------------------------------------------ the panel
    def open_panel(self, *, library_wide: bool = False) -> None:
        doc = self.document
        self.reader.app.push_screen(
            AnnotationsPanel(
                self._listed,
                self._listed_library,
                self._delete,
                library_wide=library_wide or doc is None,
                title=doc.title if doc else "",
            ),
            self.jump,
        )

    def _listed(self) -> list[Annotation]:
        if not paths.annotations_file().exists() or self.store is None or self.document is None:
            return []
        return [p.annotation for p in self.placed] if self.placed else self.store.for_document(self.document.id)

    def _listed_library(self, cancelled: Callable[[], bool]) -> list[Annotation]:
        """In the panel's worker thread: a store of its own (SQLite in WAL mode: it and ours see the same rows)."""
        if not paths.annotations_file().exists():
            return []
        store = _open_store()
        try:
            return placed_library(store, self.reader.reader_app.library, cancelled=cancelled)
        except (StoreError, OSError) as exc:
            app = self.reader.app
            app.call_from_thread(app.notify, f"Annotations could not be listed: {exc}", severity="error", markup=False)
            return []
        finally:
            store.close()

    def _delete(self, annotation: Annotation) -> bool:
        if not self._writable() or self.store is None:
            return False
        self.store.delete(annotation.id)
        self.placed = [p for p in self.placed if p.annotation.id != annotation.id]
        self.repaint()
        return True

    def jump(self, annotation: Annotation | None) -> None:
        if annotation is None:
            return
        if annotation.status == ORPHANED:
            self.reader.app.notify("Orphaned: its text is no longer in the file; shown where it was.", markup=False)
        reader = self.reader
        if reader.document is not None and annotation.doc_id == reader.pane.doc_ref:
            reader.pane.visit()
            reader.pane.article.scroll_to_source(annotation.start)
            reader.pane.article.focus()
        else:
            reader.open_document(annotation.doc_id, offset=annotation.start)

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """For the command palette."""
        return [
            ("Annotations: this document", self.open_panel, "Your highlights, notes and bookmarks here (A)"),
            ("Annotations: the whole library", lambda: self.open_panel(library_wide=True), "With a filter"),
            ("Select a passage", self.start_visual, "To highlight, annotate or quote it (v)"),
            ("Bookmark this place", self.bookmark, "(m)"),
        ]

    # ------------------------------------------------------------ search
    def search(self, index, query: str, **options):
        store = self.store if paths.annotations_file().exists() else None
        return search_with_annotations(index, store, query, **options)
