"""The protocol every search backend implements; ``search/whoosh/`` is the one there is.

A backend owns one folder of the index directory (its ``folder`` name) and what is inside
it, except the catalog's manifest and journal, which ``catalog/store.py`` keeps beside its
files so that they move together when a full build is swapped in.  ``catalog/sync.py``
decides what to index and hands documents to a writer; the library index
(``search/index.py``) asks the backend for everything else.  A second backend (a shared
library on a server, say) is one more folder beside ``whoosh/`` implementing this.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .results import SearchResults

if TYPE_CHECKING:
    from ..core.model import Document
    from ..entities.extract import Mention
    from ..entities.model import EntitySpan


class BackendWriter(Protocol):
    """One batch of changes, all visible to searches at ``commit`` or none of them."""

    def add(self, doc: Document, path: str, mentions: Sequence[Mention] | None) -> None:
        """Index a document the index does not hold yet (a full build)."""

    def replace(self, doc: Document, path: str, mentions: Sequence[Mention] | None) -> None:
        """Index a document, in place of what was indexed under its id."""

    def remove(self, doc_id: str) -> None: ...

    def commit(self) -> None: ...

    def cancel(self) -> None:
        """Take back what was written since the writer was opened (a failure, a full disk)."""


class SearchBackend(Protocol):
    folder: str  # its folder's name in the index directory
    version: int  # written into the manifest: an index of another version is rebuilt

    def check(self, folder: Path) -> None:
        """Raise ``catalog.store.NeedsRebuild`` unless the index in ``folder`` is usable."""

    def create(self, folder: Path, *, procs: int, documents: int) -> BackendWriter:
        """A writer for a full build in ``folder`` that adds about ``documents``: a new, empty
        index, or the one an earlier batch of the same build committed there."""

    def ids_in(self, folder: Path) -> set[str]:
        """The ids of the documents the index in ``folder`` holds, and perhaps of some it deleted
        (a build being resumed: which to take out again)."""

    def writer(self, folder: Path) -> BackendWriter:
        """A writer that changes the index in ``folder``."""

    def search(
        self, text: str, *, limit: int = 10, doc_id: str | None = None, facets: bool = False, typing: bool = False
    ) -> SearchResults:
        """The query language over the live index, with highlighting: each hit's snippets
        and its every match as source offsets.  ``doc_id`` finds in that one document."""

    def more_like(self, doc_id: str, limit: int = 10) -> list[tuple[str, float]]: ...

    def find_by_url(self, url: str) -> str | None:
        """The id of the library document whose metadata url is ``url`` (compared normalised)."""

    def stored_entities(self, doc_id: str) -> list[EntitySpan] | None: ...

    def stored_entity_records(self) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]: ...

    def document_count(self) -> int: ...

    def warm_up(self) -> None: ...

    def close(self) -> None: ...
