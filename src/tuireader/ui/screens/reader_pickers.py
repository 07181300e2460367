"""What the reader asks through a document picker: a document to compare with, related documents,
the documents that mention an entity. Each prepares its list (in a worker when it reads the
library) and acts on the choice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ...core.model import Document
from ...core.textio import DocumentError
from ...state.history import Location
from ..widgets.library import LibraryPane
from .compare import CompareScreen
from .picker import DocumentPicker

if TYPE_CHECKING:
    from .reader import ReaderScreen


def compare_with(screen: ReaderScreen) -> None:
    doc, doc_ref = screen.document, screen.pane.doc_ref
    if doc is None:
        screen.notify("Open a document first.", severity="warning")
        return
    items = [(item.id, LibraryPane.prompt(item)) for item in screen.library_items if item.id != doc_ref]
    if not items:
        screen.notify("The library has no other document to compare with.", severity="warning")
        return
    screen.app.push_screen(
        DocumentPicker(f"Compare with: {doc.title}", items, hint="enter: compare"), lambda c: compare_picked(screen, c)
    )


def related(screen: ReaderScreen) -> None:
    doc = screen.document
    if doc is None:
        screen.notify("Open a document first.", severity="warning")
        return

    def find() -> None:
        from ...compare import related_documents

        found = related_documents(screen.reader_app.workspace, doc)
        screen.app.call_from_thread(_show_related, screen, doc, found)

    screen.run_worker(find, thread=True, exclusive=True, group="related", exit_on_error=False)


def _show_related(screen: ReaderScreen, doc: Document, found) -> None:
    if not found:
        screen.notify("No related documents in the library.", severity="warning")
        return
    items = []
    for r in found:
        prompt = Text(r.title, style="bold", end="")
        prompt.append(f"  {r.score:.2f}", style="dim")
        prompt.append(
            f"\n  shares: {', '.join(r.shared_entities) or '-'}; terms: {', '.join(r.shared_terms) or '-'}",
            style="dim",
        )
        items.append((r.id, prompt))
    screen.app.push_screen(
        DocumentPicker(f"Related to: {doc.title}", items, hint="enter: compare"), lambda c: compare_picked(screen, c)
    )


def compare_picked(screen: ReaderScreen, other_id: str | None) -> None:
    doc, doc_ref = screen.document, screen.pane.doc_ref
    if other_id is None or doc is None:
        return
    if other_id == doc_ref:
        screen.notify("That is the document already open.", severity="warning")
        return

    def prepare() -> None:
        from ...compare import compare_entities, shared_terms

        app = screen.reader_app
        entry = app.library.find(other_id)
        if entry is None:
            app.call_from_thread(
                app.notify, f"No document '{other_id}' in the library.", severity="error", markup=False
            )
            return
        try:
            other = app.library.parse(entry)
        except DocumentError as exc:
            app.call_from_thread(app.notify, exc.message, title="Cannot open", severity="error", markup=False)
            return
        left = app.workspace.mentions(doc, doc_ref if doc_ref == doc.id else None)
        right = app.workspace.mentions(other, entry.id)
        comparison = compare_entities(left, right)
        comparison.shared_terms = shared_terms(doc, other)
        compare = CompareScreen((doc, left), (other, right), comparison, app.index)
        app.call_from_thread(app.push_screen, compare, lambda keep: _compare_closed(screen, keep))

    screen.run_worker(prepare, thread=True, exclusive=True, group="compare", exit_on_error=False)


def _compare_closed(screen: ReaderScreen, keep: Location | None) -> None:
    if keep is not None:  # "w": read that side on, from where it was
        screen.pane.visit()
        screen.restore(keep)


def documents_mentioning(screen: ReaderScreen, canonical: str) -> None:
    catalog = screen.reader_app.index.catalog()
    rows = []
    for doc_id, entry in catalog.items():
        found = (entry.entities or {}).get(canonical)
        if found:
            rows.append((found[1], entry.title, entry.date, doc_id))
    doc, doc_ref = screen.document, screen.pane.doc_ref
    if doc is not None and all(r[3] != doc_ref for r in rows):
        count = sum(1 for m in screen.pane.mentions if m.canonical == canonical)
        rows.append((count, doc.title, doc.date, doc_ref or ""))
    rows.sort(key=lambda r: (-r[0], r[1]))
    items = []
    for count, title, date, doc_id in rows:
        prompt = Text(title or doc_id, style="bold", end="")
        prompt.append(f"\n  {count} mention{'s' if count != 1 else ''}" + (f" · {date}" if date else ""), style="dim")
        items.append((doc_id, prompt))

    def chosen(doc_id: str | None) -> None:
        if doc_id is None:
            return
        if doc_id == screen.pane.doc_ref:
            screen.select_entity(canonical)
        else:
            screen.open_document(doc_id, entity=canonical)

    screen.app.push_screen(DocumentPicker(f"Documents mentioning {canonical} ({len(items)})", items), chosen)
