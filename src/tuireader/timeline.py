"""The timeline over a workspace: documents from the index catalog, an entity's mentions from the
entity data stored at index time. The reader and ``tuireader timeline`` share it; the arithmetic
is in ``core/timeline.py``.

A document is parsed again only when a paragraph that mentions the entity names more than one
day: then its sentences decide which day the mention takes (the index keeps no sentences).
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import get_close_matches
from typing import TYPE_CHECKING

from .core.library import LibraryDocument
from .core.model import Document
from .core.textio import DocumentError
from .core.timeline import (
    DatedDocument,
    DocumentTimeline,
    EntityTimeline,
    dated_mentions,
    document_timeline,
    entity_timeline,
)

if TYPE_CHECKING:
    from .search import LibraryIndex
    from .workspace import Workspace


class UnknownEntity(LookupError):
    def __init__(self, name: str, close: list[str]) -> None:
        hint = f" (did you mean {', '.join(close)}?)" if close else " ('tuireader entities --library' lists them)"
        super().__init__(f"no entity '{name}' in the library{hint}")
        self.close = close


def dated_documents(index: LibraryIndex) -> list[DatedDocument]:
    return [
        DatedDocument(e.id, e.listed_title, e.date, e.date_end, e.source, tuple(e.tags))
        for e in index.catalog().values()
        if not e.error
    ]


def library_timeline(
    index: LibraryIndex, *, group_by: str = "source", only: set[str] | None = None
) -> DocumentTimeline:
    return document_timeline(dated_documents(index), group_by=group_by, only=only)


def resolve_entity(workspace: Workspace, name: str) -> tuple[str, str]:
    """(canonical name, type) of an entity the library mentions: by its name, any case, or by an alias."""
    table = {n: t for n, t, _docs, _count in workspace.index.entity_table()}
    by_fold = {n.casefold(): n for n in table}
    found = by_fold.get(name.strip().casefold())
    if found is None:
        entry = workspace.extractor.gazetteer.lookup(name.strip())
        if entry is not None and entry.name in table:
            found = entry.name
    if found is None:
        raise UnknownEntity(name, get_close_matches(name, list(table), n=3, cutoff=0.6))
    return found, table[found]


def entity_in_time(workspace: Workspace, canonical: str, etype: str, *, by: str = "auto") -> EntityTimeline:
    documents = {d.id: d for d in dated_documents(workspace.index)}
    entries: dict[str, LibraryDocument] = {}
    mentions = []
    for doc_id, (body, parts) in workspace.index.stored_entity_records().items():
        doc = documents.get(doc_id)
        if doc is not None:
            mentions.extend(dated_mentions(doc, body, parts, canonical, _paragraphs(workspace, doc_id, entries)))
    return entity_timeline(canonical, etype, mentions, by=by)


def _paragraphs(workspace: Workspace, doc_id: str, entries: dict[str, LibraryDocument]) -> Callable[[int], str | None]:
    """A block's text, the document parsed on the first question (None when it cannot be read)."""
    parsed: list[Document | None] = []

    def block_text(block: int) -> str | None:
        if not parsed:
            if not entries:
                entries.update((e.id, e) for e in workspace.library.scan().documents)
            entry = entries.get(doc_id)
            try:
                parsed.append(workspace.library.parse(entry) if entry is not None else None)
            except DocumentError:
                parsed.append(None)
        doc = parsed[0]
        return doc.blocks[block].text if doc is not None and 0 <= block < len(doc.blocks) else None

    return block_text


def documents_mentioning(index: LibraryIndex, canonical: str) -> set[str]:
    return {e.id for e in index.catalog().values() if canonical in (e.entities or {})}
