"""A library with its search index and entity extractor: what the CLI and the reader work on.

The extractor is built on first use (gazetteers take a moment to load), so
opening the reader on an up-to-date index never pays for it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import paths
from .config import load_settings
from .core.library import Library
from .core.model import Document
from .entities.extract import EntityExtractor, Mention
from .entities.library import extractor_for, index_fields
from .search import LibraryIndex

if TYPE_CHECKING:
    from .entities.model import ModelExtractor


class Workspace:
    def __init__(self, library_dir: Path, index_dir: str | Path | None = None) -> None:
        self.library = Library(library_dir)
        self.index = LibraryIndex(
            self.library, paths.index_dir(library_dir, index_dir), entity_fields=self._entity_fields
        )
        self._extractor: EntityExtractor | None = None
        self._lock = threading.Lock()
        self._model: ModelExtractor | Literal[False] | None = (
            None  # the optional spaCy extractor: None not looked at yet, False not in use
        )
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
        """Mentions in every part of the document: title, body and notes; with the spaCy
        pipeline's merged in when ``entities.model`` is set (for one document at a time: the
        index keeps to the fast rules)."""
        model = self.model_extractor
        return model.extract_all(doc) if model is not None else self.extractor.extract_all(doc)

    @property
    def model_extractor(self) -> ModelExtractor | None:
        base = self.extractor  # before the lock: it takes the lock itself
        with self._lock:
            if self._model is None:
                self._model = False
                name = load_settings(paths.user_settings_file()).entities_model
                if name:
                    from .entities.model import ModelError, ModelExtractor

                    try:
                        self._model = ModelExtractor(base, name)
                    except ModelError as exc:
                        self.problems.append(str(exc))
            return self._model or None

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
