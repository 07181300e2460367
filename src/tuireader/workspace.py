"""A library with its search index and entity extractor: what the CLI and the reader work on.

The extractor is built on first use (gazetteers take a moment to load), so
opening the reader on an up-to-date index never pays for it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import paths
from .config import load_settings
from .core.library import Library
from .core.model import Document
from .entities.extract import EntityExtractor, Mention
from .entities.library import extractor_for
from .search import LibraryIndex

if TYPE_CHECKING:
    from .entities.statistical import ModelExtractor


class Workspace:
    def __init__(self, library_dir: Path, index_dir: str | Path | None = None) -> None:
        self.library = Library(library_dir)
        self.index = LibraryIndex(
            self.library, paths.index_dir(library_dir, index_dir), mentions_of=self._mentions_to_index
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

    def _mentions_to_index(self, doc: Document) -> list[Mention]:
        return self.extractor.extract_all(doc)  # title and notes too: person:lavrov finds a name cited in a note

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
                    from .entities.statistical import ModelError, ModelExtractor

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
        for span in cached:
            if span.block >= len(doc.blocks) or span.end > len(doc.blocks[span.block].text):
                return None  # the cache does not fit this parse
            content = doc.blocks[span.block].content
            s0, s1 = content.source_span(span.start, span.end)
            text = content.text[span.start : span.end]
            mentions.append(
                Mention(span.block, span.start, span.end, text, span.canonical, span.type, s0, s1, "cached")
            )
        return mentions

    def describe(self, canonical: str) -> str:
        return self.extractor.describe(canonical)
