"""The timeline over a workspace: documents from the index catalog, an entity's mentions from the
entity data stored at index time (nothing is parsed again). The reader and ``tuireader timeline``
share it; the arithmetic is in ``core/timeline.py``."""

from __future__ import annotations

from difflib import get_close_matches
from typing import TYPE_CHECKING

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
    mentions = []
    for doc_id, (body, parts) in workspace.index.stored_entity_records().items():
        doc = documents.get(doc_id)
        if doc is not None:
            mentions.extend(dated_mentions(doc, body, parts, canonical))
    return entity_timeline(canonical, etype, mentions, by=by)


def documents_mentioning(index: LibraryIndex, canonical: str) -> set[str]:
    return {e.id for e in index.catalog().values() if canonical in (e.entities or {})}
