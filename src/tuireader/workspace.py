"""A library with its search index and entity extractor: what the CLI and the reader work on.

The extractor is built on first use (gazetteers take a moment to load), so
opening the reader on an up-to-date index never pays for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
    from .entities.background import ModelMentionStore, PassReport, Progress
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
        self._model_name: str | None | Literal[False] = False  # False: settings not read yet
        self._model_store: ModelMentionStore | None = None

    @property
    def extractor(self) -> EntityExtractor:
        with self._lock:
            if self._extractor is None:
                self._extractor, problems = extractor_for(self.library.root, paths.user_gazetteer_file())
                self.problems.extend(problems)
            return self._extractor

    def _mentions_to_index(self, doc: Document) -> list[Mention]:
        store = self.model_store
        if store is not None:  # what the model's background pass found in this file, if it has read it
            from .entities.background import file_sha256

            try:
                found = store.get(doc.id, file_sha256(doc.path))
            except OSError:
                found = None
            if found is not None:
                return found
        return self.extractor.extract_all(doc)  # title and notes too: person:lavrov finds a name cited in a note

    @property
    def model_name(self) -> str | None:
        """``entities.model`` from the settings, or None."""
        if self._model_name is False:
            self._model_name = load_settings(paths.user_settings_file()).entities_model or None
        return self._model_name

    def use_model(self, name: str) -> None:
        """Use this spaCy pipeline instead of ``entities.model`` (``tuireader index --entities-model``)."""
        with self._lock:
            if name != self._model_name:
                self._model_name, self._model, self._model_store = name, None, None

    @property
    def model_store(self) -> ModelMentionStore | None:
        """Where the model's background pass keeps each document's mentions (None without a model)."""
        name = self.model_name
        if name is None:
            return None
        if self._model_store is None:
            from .entities.background import ModelMentionStore

            folder = paths.cache_dir() / "model-entities" / paths.library_key(self.library.root)
            self._model_store = ModelMentionStore(folder, name)
        return self._model_store

    def run_model_pass(
        self,
        *,
        first: str | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        on_stored: Callable[[list[str]], object] | None = None,
    ) -> PassReport | None:
        """The optional model over every indexed document not done yet (``first`` before the
        others), each re-indexed with the merged mentions a few at a time (then ``on_stored``
        is told their ids). None without a model or when it cannot be loaded (``problems``
        says why)."""
        model, store = self.model_extractor, self.model_store
        if model is None or store is None:
            return None
        from .entities.background import PassItem, run_model_pass

        def stored(doc_ids: list[str]) -> None:
            self.index.refresh(doc_ids)
            if on_stored is not None:
                on_stored(doc_ids)

        catalog = self.index.catalog()
        items = [PassItem(doc_id, entry.location) for doc_id, entry in catalog.items() if not entry.error]
        return run_model_pass(
            items,
            store,
            parse=lambda item: self.library.parse(catalog[item.doc_id]),
            extract_all=model.extract_all,
            stored=stored,
            first=first,
            progress=progress,
            cancelled=cancelled,
        )

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
                name = self.model_name
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
