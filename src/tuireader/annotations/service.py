"""Annotations of one document: made from a selection, and placed in its current text.

What the CLI and the reader call; the store only keeps rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..core.library import Library
from ..core.model import Document
from ..core.textio import DocumentError
from .anchor import Placement, anchor, content_hash, selection
from .model import ANCHORED, BOOKMARK, HIGHLIGHT, ORPHANED, Annotation, TextQuote, clean_tags
from .store import AnnotationStore
from .text import DocText


class AnnotationError(Exception):
    """A selection that cannot be annotated (one line for the user)."""


@dataclass(frozen=True, slots=True)
class Placed:
    annotation: Annotation
    placement: Placement

    @property
    def orphaned(self) -> bool:
        return self.placement.status == ORPHANED


def new_annotation(
    doc: Document,
    start: int,
    end: int,
    *,
    kind: str = HIGHLIGHT,
    colour: str = "yellow",
    note: str = "",
    tags: Iterable[str] = (),
    text: DocText | None = None,
) -> Annotation:
    """An annotation of source ``[start, end)`` (a bookmark may be empty: it marks a place)."""
    text = text or DocText(doc)
    found = selection(doc, start, end, text)
    if found is None:
        if kind != BOOKMARK:
            raise AnnotationError(f"offsets {start}-{end} show no text of {doc.id}")
        flat = text.flat_range(start, start + 1)
        a = flat[0] if flat else 0
        s0 = text.source_range(a, a + 1)[0] if text.pieces else start
        found = (s0, s0, TextQuote("", text.text[max(0, a - 32) : a], text.text[a : a + 32]))
    s0, s1, quote = found
    return Annotation(
        doc_id=doc.id,
        start=s0,
        end=s1,
        quote=quote,
        content_hash=content_hash(doc.path),
        kind=kind,
        colour=colour,
        note=note,
        tags=clean_tags(tags),
        doc_title=doc.title,
    )


def placed_annotations(store: AnnotationStore, doc: Document, text: DocText | None = None) -> list[Placed]:
    """The document's annotations placed in its current text; those that moved are written back.

    An orphan keeps its old offsets and hash, so it is tried again when the file next changes.
    A read-only store is only read: the placing is shown, not written back.
    """
    stored = store.for_document(doc.id)
    if not stored:
        return []
    text = text or DocText(doc)
    current = content_hash(doc.path)
    out: list[Placed] = []
    for a in stored:
        if a.quote.exact == "" and a.content_hash == current:  # a bookmark: a place, not a passage
            placement = Placement(ANCHORED, a.start, a.end, text.flat_range(a.start, a.start + 1))
        elif a.quote.exact == "":
            placement = _bookmark_place(a, text)
        else:
            placement = anchor(a, text, current)
        changed = placement.status != a.status or (placement.start, placement.end) != (a.start, a.end)
        if placement.status != ORPHANED and (changed or a.content_hash != current):
            a = a.edited(start=placement.start, end=placement.end, status=placement.status, content_hash=current)
            if not store.read_only:
                store.update(a)
        elif placement.status == ORPHANED and a.status != ORPHANED:
            a = a.edited(status=ORPHANED)
            if not store.read_only:
                store.update(a)
        out.append(Placed(a, placement))
    if current and any(p.orphaned for p in out):
        store.mark_placed(doc.id, current)  # tried in this file: a listing need not read it again
    return out


def placed_library(
    store: AnnotationStore, library: Library, *, cancelled: Callable[[], bool] = lambda: False
) -> list[Annotation]:
    """Every annotation, each document's placed in its current text (the library-wide listing).

    A document is read at most once, and only when its file changed since its annotations
    were placed: an unchanged file's stored offsets are right (and its orphans were tried in
    it, the store's ``placed_in``), so a listing costs a hash of each annotated file, not a
    parse of it.  A document gone from the library keeps its
    annotations as they were stored.  ``cancelled`` is asked between documents (a worker
    whose listing is no longer wanted stops there).
    """
    stored = store.all()
    by_doc: dict[str, list[Annotation]] = {}
    for a in stored:
        by_doc.setdefault(a.doc_id, []).append(a)
    entries = {e.id: e for e in library.scan().documents} if by_doc else {}
    placed: dict[str, Annotation] = {}
    for doc_id, theirs in by_doc.items():
        if cancelled():
            break
        entry = entries.get(doc_id)
        if entry is None:
            continue
        current = content_hash(entry.path)
        if current and (all(a.content_hash == current for a in theirs) or store.placed_hash(doc_id) == current):
            continue
        try:
            doc = library.parse(entry)
        except DocumentError:
            continue  # unreadable now: listed as stored, placed when it reads again
        placed.update((p.annotation.id, p.annotation) for p in placed_annotations(store, doc))
    return [placed.get(a.id, a) for a in stored]


def _bookmark_place(a: Annotation, text: DocText) -> Placement:
    """A bookmark follows the text that came after it."""
    if a.quote.suffix:
        i = text.text.find(a.quote.suffix)
        if i >= 0:
            s0 = text.source_range(i, i + 1)[0]
            return Placement("moved", s0, s0, (i, i))
    return Placement(ORPHANED, a.start, a.end, None)


def edit_annotation(store: AnnotationStore, annotation: Annotation, **changes: Any) -> Annotation:
    if "tags" in changes:
        changes["tags"] = clean_tags(changes["tags"])
    updated = annotation.edited(**changes)
    store.update(updated)
    return updated
