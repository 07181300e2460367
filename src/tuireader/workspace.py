"""A library with its search index and entity extractor: what the CLI and the reader work on.

The extractor is built on first use (gazetteers take a moment to load), so
opening the reader on an up-to-date index never pays for it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from . import paths
from .core.library import Library
from .core.model import Document
from .entities.extract import EntityExtractor, Mention
from .entities.library import extractor_for, index_fields
from .search import LibraryIndex


class Workspace:
    def __init__(self, library_dir: Path, index_dir: str | Path | None = None) -> None:
        self.library = Library(library_dir)
        self.index = LibraryIndex(
            self.library, paths.index_dir(library_dir, index_dir), entity_fields=self._entity_fields
        )
        self._extractor: EntityExtractor | None = None
        self._lock = threading.Lock()
        self.problems: list[str] = []  # gazetteer files that could not be used

    @property
    def extractor(self) -> EntityExtractor:
        with self._lock:
            if self._extractor is None:
                self._extractor, problems = extractor_for(self.library.root, paths.user_gazetteer_file())
                self.problems.extend(problems)
            return self._extractor

    def _entity_fields(self, doc: Document) -> dict[str, Any]:
        return index_fields(self.extractor, doc)

    def mentions(self, doc: Document, doc_id: str | None = None) -> list[Mention]:
        """Entity mentions of a document: from the index when it is current, else extracted now."""
        found = self.stored_mentions(doc, doc_id)
        return found if found is not None else self.extractor.extract(doc)

    def all_mentions(self, doc: Document) -> list[Mention]:
        """Mentions in every part of the document: title, body and notes."""
        return self.extractor.extract_all(doc)

    def stored_mentions(self, doc: Document, doc_id: str | None) -> list[Mention] | None:
        """The mentions the index stored for this document, or None when they are missing or stale."""
        cached = self.index.cached_entities(doc_id, doc.path) if doc_id else None
        if cached is None:
            return None
        mentions = []
        for block, start, end, canonical, etype in cached:
            if block >= len(doc.blocks) or end > len(doc.blocks[block].text):
                return None  # the cache does not fit this parse
            content = doc.blocks[block].content
            s0, s1 = content.source_span(start, end)
            mentions.append(
                Mention(block, start, end, doc.blocks[block].text[start:end], canonical, etype, s0, s1, "cached")
            )
        return mentions

    def describe(self, canonical: str) -> str:
        return self.extractor.describe(canonical)
