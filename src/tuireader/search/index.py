"""The library's search index: the catalog (what was indexed from which file state) and a
search backend, kept in step by ``catalog/sync.py``; incremental, crash-safe, shared
between processes (see ``catalog/store.py`` for the files and ``catalog/sync.py`` for the
safety rules).  Callers see plain objects (``results.py``, ``core.library.LibraryDocument``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog.report import IndexReport
from ..catalog.store import CatalogStore
from ..catalog.sync import MentionsOf, Progress, Sync
from ..core.library import Library, LibraryDocument
from ..core.model import Document
from .results import SearchResults

if TYPE_CHECKING:
    from ..entities.model import EntitySpan
    from .backend import SearchBackend


class LibraryIndex:
    def __init__(
        self,
        library: Library,
        index_dir: Path,
        *,
        mentions_of: MentionsOf | None = None,
        backend: SearchBackend | None = None,
    ) -> None:
        self.library = library
        self.dir = index_dir
        self.messages: list[str] = []  # things the user should know (a rebuild and why)
        if backend is None:
            from .whoosh.backend import WhooshBackend  # Whoosh itself is imported on first use

            backend = WhooshBackend(index_dir / WhooshBackend.folder, self.messages)
        self.backend = backend
        self.store = CatalogStore(index_dir, library.root, live=backend.folder, version=backend.version)
        self.store.messages = self.messages
        self._sync = Sync(library, self.store, backend, mentions_of)

    @property
    def live_dir(self) -> Path:
        return self.store.live_dir

    @property
    def has_index(self) -> bool:
        """Whether a built index is there to search (whether or not it can be updated)."""
        return self.store.has_index

    def update(self, progress: Progress | None = None, *, rebuild: bool = False, procs: int = 1) -> IndexReport:
        """Bring the index in line with the library; a full build when needed."""
        return self._sync.update(progress, rebuild=rebuild, procs=procs)

    def unchanged(self, progress: Progress | None = None) -> bool:
        """True when nothing in the library changed since it was indexed (a stat of every
        file, no manifest read, no lock): the reader's check at start, off the UI thread."""
        return self._sync.unchanged(progress)

    def refresh(self, doc_ids: Iterable[str]) -> int:
        """Index these documents again (their mentions changed, not their files); how many were."""
        return self._sync.refresh(doc_ids)

    def search(
        self, text: str, *, limit: int = 10, doc_id: str | None = None, facets: bool = False, typing: bool = False
    ) -> SearchResults:
        """``typing``: search-as-you-type, where the last word may be unfinished (a prefix too)."""
        return self.backend.search(text, limit=limit, doc_id=doc_id, facets=facets, typing=typing)

    def find_in(self, doc: Document, query: str) -> SearchResults:
        """Find in one document: through the index when it holds the file as it now is (the
        full query language), else by plain matching of the query's words and phrases.
        The one place that falls back: the reader's compare screen and the CLI come here."""
        if self.is_current(doc.id, doc.path):
            return self.backend.search(query, doc_id=doc.id, limit=1)
        from .local import find_in_document

        return find_in_document(doc, query)

    def catalog(self) -> dict[str, LibraryDocument]:
        """Metadata of every indexed document (empty before the first index)."""
        return self.store.documents()

    def is_current(self, doc_id: str, path: Path) -> bool:
        """True when the index holds this document as the file now is (so its offsets fit)."""
        return self.store.is_current(doc_id, path)

    def cached_entities(self, doc_id: str, path: Path) -> list[EntitySpan] | None:
        """Entity mentions stored at index time, if the file has not changed since."""
        if not self.is_current(doc_id, path):
            return None
        return self.backend.stored_entities(doc_id)

    def stored_entity_records(self) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """doc id -> (body mentions, title and note mentions) as stored at index time, for every document."""
        return self.backend.stored_entity_records()

    def entity_table(self) -> list[tuple[str, str, int, int]]:
        """(entity, type, documents, mentions) over the library, most documents first."""
        table: dict[tuple[str, str], list[int]] = {}
        for entry in self.catalog().values():
            for name, (etype, count) in (entry.entities or {}).items():
                row = table.setdefault((name, etype), [0, 0])
                row[0] += 1
                row[1] += count
        return sorted(((n, t, d, m) for (n, t), (d, m) in table.items()), key=lambda r: (-r[2], -r[3], r[0]))

    def more_like(self, doc_id: str, limit: int = 10) -> list[tuple[str, float]]:
        """Documents whose bodies resemble this one's, as (id, score)."""
        return self.backend.more_like(doc_id, limit)

    def find_by_url(self, url: str) -> str | None:
        """The id of the library document whose metadata url is ``url``, if any."""
        return self.backend.find_by_url(url)

    def document_count(self) -> int:
        return self.backend.document_count()

    def warm_up(self) -> None:
        """Open the index and a searcher now (off the UI thread), so the first search or
        document opened does not pay for opening and checking them."""
        self.backend.warm_up()

    def close(self) -> None:
        self.backend.close()
