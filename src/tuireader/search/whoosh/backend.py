"""The Whoosh backend: opening the index safely while other processes write it, writers, queries.

Searches use the last committed state and reopen when another process has committed or
swapped in a new build.  Whoosh itself is imported on first use, not with this module:
the reader draws its first screen from the catalog alone, ~170 ms sooner.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...catalog.store import NeedsRebuild
from ..results import SearchResults
from . import checksums
from .entity_fields import stored_spans
from .fields import document_fields, normalise_url
from .schema import SCHEMA_VERSION, build_schema

if TYPE_CHECKING:
    from ...core.model import Document
    from ...entities.extract import Mention
    from ...entities.model import EntitySpan

OPEN_ATTEMPTS = 5
PARALLEL_FROM = 200  # documents; below this, starting writer processes costs more than it saves


class _StateMoved(Exception):
    """Another process committed or swapped in a build while a searcher was being opened."""


def _is_latest(ix, searcher) -> bool:
    """``searcher.up_to_date()``, also for an index that holds no documents.

    Whoosh reads an index without segments through an ``EmptyReader``, whose generation is
    None, so ``up_to_date()`` is never true for it: every search of an empty library would
    retry, give up and call the index unstable.  Such a searcher is current while the
    latest commit still has nothing in it.
    """
    if searcher.reader().generation() is not None:
        return bool(searcher.up_to_date())
    return ix.doc_count_all() == 0


def _pinned_searcher(ix, folder: Path, inode: int | None, **options):
    """A searcher that holds every file of one committed state open, so the whole search
    reads that state even if another process commits, merges or swaps a build meanwhile.

    Whoosh opens the term and postings files with the searcher but each column
    (stored fields, field lengths) on first use: by then a commit elsewhere may
    have deleted it.  Once everything is open, the state must still be the latest
    (files are only deleted after a newer table of contents is written): else
    some file may have gone between reading the table and opening it.
    """
    try:
        searcher = ix.searcher(**options)
    except OSError:  # Whoosh's own retries gave up: files went while it opened them
        raise _StateMoved from None
    try:
        names = ix.storage.list()
        for leaf, _ in searcher.reader().leaf_readers():
            pin = getattr(getattr(leaf, "_perdoc", None), "pin_columns", None)
            if pin is not None:
                pin(names)
        if _is_latest(ix, searcher) and os.stat(folder).st_ino == inode:
            return searcher
    except OSError:
        pass
    searcher.close()
    raise _StateMoved


def _open_for_searching(searcher) -> None:
    """What the first search would open or read once per segment: the field lengths the scorer
    keeps, the stored fields' and texts' columns (~10 ms at 3,000 documents); and numpy."""
    from .analysis import _pack
    from .codec import length_bytes
    from .phrase import holders
    from .query import DEFAULT_FIELDS
    from .text_column import text_of

    reader = searcher.reader()
    for leaf, base in reader.leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if perdoc is None or not leaf.doc_count_all():
            continue
        for fieldname in DEFAULT_FIELDS:
            if fieldname in leaf.schema and leaf.schema[fieldname].scorable:
                length_bytes(perdoc, fieldname)
        stored = leaf.stored_fields(0)
        for fieldname in ("body", "footnotes"):
            text_of(reader, base, fieldname, stored)
    # numpy's import and the first use of its set operations (~40 ms): the first phrase with
    # many candidates needs them
    holders([(0, {0: _pack(1, [0, 0, 1])}), (1, {0: _pack(1, [1, 2, 3])})], [0])  # a phrase that holds


def _cancel(writer) -> None:
    """Cancel a failed write and take back what it wrote: on a full disk, its files are the
    space the user needs.  If cancelling fails too (the disk still full), still release
    Whoosh's write lock, or this process could never update the index again."""
    try:
        writer.cancel()
    except Exception:
        lock, temp = getattr(writer, "writelock", None), getattr(writer, "_tempstorage", None)
        try:
            if lock is not None:
                lock.release()
        finally:
            if temp is not None:
                temp.destroy()  # Whoosh's scratch folder, as its own _finish would
    storage, segment = getattr(writer, "storage", None), getattr(writer, "newsegment", None)
    if storage is None or segment is None:
        return
    try:
        if storage.file_exists(f"_{writer.indexname}_{writer.generation}.toc"):
            return  # it was committed after all
        for name in segment.list_files(storage):
            storage.delete_file(name)
    except OSError:
        pass  # the next commit deletes files no table of contents names


def _merge_small_segments(writer, segments):
    """Whoosh's MERGE_SMALL policy, after dropping the segments none of whose documents is left.

    Each update writes a segment, and editing a document again deletes its
    previous one; Whoosh keeps an emptied segment until a merge takes it, and
    every query pays a lookup per term and segment.
    """
    from whoosh.writing import MERGE_SMALL

    return MERGE_SMALL(writer, [s for s in segments if s.doc_count() > 0])


class WhooshWriter:
    """A Whoosh writer that writes segments as every segment of ours is written.

    compound=False: Whoosh reads a compound segment by copying each part into memory
    (BytesIO over the mmap), so a searcher would hold the whole index in RAM.
    """

    def __init__(self, ix, *, procs: int = 1, merge: bool = True, **options: Any) -> None:
        from .codec import ArrayBlockCodec
        from .segment_writer import TermPostingsWriter

        self._folder = Path(ix.storage.folder)
        if procs > 1:
            from .parallel import ParallelWriter

            self._w = ParallelWriter(ix, procs=procs, compound=False, codec=ArrayBlockCodec(), **options)
        else:
            self._w = TermPostingsWriter(ix, compound=False, codec=ArrayBlockCodec(), **options)
        self._merge = merge

    def add(self, doc: Document, path: str, mentions: Sequence[Mention] | None) -> None:
        self._w.add_document(**document_fields(doc, path, mentions))

    def replace(self, doc: Document, path: str, mentions: Sequence[Mention] | None) -> None:
        self._w.update_document(**document_fields(doc, path, mentions))

    def remove(self, doc_id: str) -> None:
        self._w.delete_by_term("id", doc_id)

    def commit(self) -> None:
        if self._merge:
            self._w.commit(mergetype=_merge_small_segments)
        else:
            self._w.commit(merge=False)  # a full build: its batches stay as written
        checksums.record(self._folder)

    def cancel(self) -> None:
        _cancel(self._w)


class WhooshBackend:
    """``search.backend.SearchBackend`` over a Whoosh index in ``index_dir/whoosh``."""

    folder = "whoosh"
    version = SCHEMA_VERSION

    def __init__(self, live_dir: Path, messages: list[str]) -> None:
        self.live_dir = live_dir
        self.messages = messages  # shared with the library index: what the user should know
        self._ix = None
        self._ix_inode: int | None = None
        self._searcher = None
        self._search_lock = threading.Lock()

    @functools.cached_property
    def schema(self):
        return build_schema()

    @functools.cached_property
    def compiler(self):
        from .query import QueryCompiler

        return QueryCompiler(self.schema)

    # -- opening ---------------------------------------------------------
    def check(self, folder: Path) -> None:
        """(Called by the updater, under the update lock.)  An index written before checksums
        were has them recorded now, once it is proved to answer."""
        try:
            self._open_checked(folder)
        except _StateMoved:
            # Under the update lock no other process commits or swaps: the state did not
            # move, one of its files is gone (a searcher, without the lock, retries instead).
            raise NeedsRebuild("the index is damaged (a file of it is missing)") from None
        if not (folder / checksums.SUMS).exists():
            checksums.record(folder)

    def _open_checked(self, folder: Path):
        """Open an index and prove it answers a query (corruption shows only at search time)."""
        try:
            from whoosh import index as whoosh_index
            from whoosh import query

            inode = os.stat(folder).st_ino
            checksums.verify(folder)  # what Whoosh would read as data, or find only in a query
            ix = whoosh_index.open_dir(str(folder), schema=None)
            with _pinned_searcher(ix, folder, inode) as searcher:
                # touch the term index, postings and stored fields without visiting every document
                searcher.search(query.Term("id", "\x00probe"), limit=1)
                if searcher.doc_count_all():
                    searcher.stored_fields(0)
            if set(ix.schema.names()) != set(self.schema.names()):
                raise NeedsRebuild("the index fields differ from this version's")
            return ix
        except (NeedsRebuild, _StateMoved):
            raise
        except Exception as exc:  # any failure here means the files are damaged
            raise NeedsRebuild(f"the index is damaged ({exc.__class__.__name__})") from None

    def _current_ix(self):
        """The live index, reopened if another process swapped in a new build."""
        try:
            inode = os.stat(self.live_dir).st_ino
        except FileNotFoundError:
            inode = None
        if self._ix is None or inode != self._ix_inode:
            self._close_searcher()
            self._ix = None
            if inode is None:
                return None
            for _ in range(OPEN_ATTEMPTS):
                try:
                    self._ix = self._open_checked(self.live_dir)
                    break
                except _StateMoved:  # a commit or a swap while it was checked: not damage
                    try:
                        inode = os.stat(self.live_dir).st_ino
                    except FileNotFoundError:
                        return None
                except NeedsRebuild as exc:
                    self.messages.append(f"search index unusable: {exc}; run 'tuireader index --rebuild'")
                    return None
            else:
                self.messages.append("the search index kept changing while it was opened; try again")
                return None
            self._ix_inode = inode
        return self._ix

    def _get_searcher(self):
        for _ in range(OPEN_ATTEMPTS):
            ix = self._current_ix()
            if ix is None:
                return None
            if self._searcher is not None and not _is_latest(ix, self._searcher):
                # A new commit: open afresh.  Searcher.refresh() reuses segment readers,
                # which miscounted while another process merged segments (seen in tests).
                self._close_searcher()
            if self._searcher is not None:
                return self._searcher
            from .scoring import TableBM25F

            try:
                self._searcher = _pinned_searcher(ix, self.live_dir, self._ix_inode, weighting=TableBM25F())
                return self._searcher
            except _StateMoved:
                self._ix = None  # reopened by _current_ix, in case a build was swapped in
        self.messages.append("the search index kept changing while it was opened; try again")
        return None

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        with self._search_lock:
            self._close_searcher()
            self._ix = None

    def warm_up(self) -> None:
        """Open the index and a searcher now (off the UI thread), so the first search or
        document opened does not pay for opening and checking them."""
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is not None:
                _open_for_searching(searcher)
        _ = self.compiler

    # -- writing ---------------------------------------------------------
    def create(self, folder: Path, *, procs: int, documents: int) -> WhooshWriter:
        from whoosh import index as whoosh_index

        if whoosh_index.exists_in(str(folder)):  # a batch of this build was committed
            ix = whoosh_index.open_dir(str(folder))
        else:
            ix = whoosh_index.create_in(str(folder), self.schema)
        if procs > 1 and documents >= PARALLEL_FROM:
            return WhooshWriter(ix, procs=procs, merge=False, limitmb=256, multisegment=True)
        return WhooshWriter(ix, merge=False, limitmb=256)

    def ids_in(self, folder: Path) -> set[str]:
        from whoosh import index as whoosh_index

        ix = whoosh_index.open_dir(str(folder))
        with ix.reader() as reader:  # the id terms, not every document's stored fields
            return {term.decode("utf-8") for term in reader.lexicon("id")}

    def writer(self, folder: Path) -> WhooshWriter:
        from whoosh import index as whoosh_index

        return WhooshWriter(whoosh_index.open_dir(str(folder)))

    # -- searching -------------------------------------------------------
    def document_count(self) -> int:
        with self._search_lock:
            ix = self._current_ix()
            return ix.doc_count() if ix is not None else 0

    def search(
        self, text: str, *, limit: int = 10, doc_id: str | None = None, facets: bool = False, typing: bool = False
    ) -> SearchResults:
        """``typing``: search-as-you-type, where the last word may be unfinished (a prefix too)."""
        from . import highlight

        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                messages = self.messages[-1:] or ["the library has not been indexed yet: run 'tuireader index'"]
                return SearchResults(text, 0, [], [], messages)
            compiled = self.compiler.compile(text, searcher.reader(), typing=typing)
            if compiled.query is None:
                return SearchResults(text, 0, [], compiled.messages, compiled.notes)
            q = compiled.query
            if doc_id is not None:
                from whoosh import query

                q = query.And([q, query.Term("id", doc_id)])
            facet_counts: dict[str, list[tuple[str, int]]] = {}
            seen = None
            if facets:
                results = self._run(searcher, q, max(1, limit), facets)
                top = [(hit.docnum, float(hit.score or 0.0)) for hit in results]
                total = len(results)
                groups = results.groups("entity")
                facet_counts["entity"] = sorted(
                    ((k if isinstance(k, str) else k.decode("utf-8"), v) for k, v in groups.items() if k),
                    key=lambda kv: (-kv[1], kv[0]),
                )[:20]
            else:
                from .evaluate import PostingsSeen, evaluate_top

                seen = PostingsSeen()
                top, total = evaluate_top(searcher, q, max(1, limit), seen)  # Whoosh's order
            positions = highlight.positions(searcher, q, compiled, [docnum for docnum, _ in top], seen)
            hits = [self._hit(searcher, docnum, score, positions[docnum]) for docnum, score in top]
            return SearchResults(text, total, hits, compiled.messages, compiled.notes, facet_counts)

    @staticmethod
    def _hit(searcher, docnum: int, score: float, positions):
        from . import highlight
        from .text_column import text_of

        stored = searcher.stored_fields(docnum)
        reader = searcher.reader()
        return highlight.hit(stored, score, positions, lambda field: text_of(reader, docnum, field, stored))

    @staticmethod
    def _run(searcher, q, limit: int, facets: bool):
        """With entity facets: Whoosh's own collector, top ``limit`` and an exact total in one pass.

        (Searches without facets go through evaluate.py.)  Whoosh's count
        without block skipping is wrong unless its matcher replacement, which
        also prunes, is turned off: replace=0.
        """
        from whoosh import collectors, sorting

        collector = collectors.TopCollector(limit, usequality=False, replace=0)
        if facets:
            collector = collectors.FacetCollector(
                collector, {"entity": sorting.FieldFacet("entity_keys", allow_overlap=True)}, sorting.Count
            )
        searcher.search_with_collector(q, collector)
        return collector.results()

    def stored_entities(self, doc_id: str) -> list[EntitySpan] | None:
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return None
            found = searcher.document(id=doc_id)
        if not found or found.get("entity_data") is None:
            return None
        return stored_spans(found["entity_data"])

    def stored_entity_records(self) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return {}
            records = {}
            reader = searcher.reader()
            for docnum in reader.all_doc_ids():
                stored = reader.stored_fields(docnum)
                records[stored["id"]] = (
                    [tuple(m) for m in stored.get("entity_data") or []],
                    [tuple(m) for m in stored.get("entity_parts") or []],
                )
            return records

    def more_like(self, doc_id: str, limit: int = 10) -> list[tuple[str, float]]:
        """Documents whose bodies resemble this one's (Whoosh more_like), as (id, score)."""
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return []
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            from .text_column import text_of

            stored = searcher.stored_fields(docnum)
            text = str(text_of(searcher.reader(), docnum, "body", stored))
            if not text:  # no words to compare (and Whoosh, given none, would look for stored ones)
                return []
            results = searcher.more_like(docnum, "body", text=text, top=limit, numterms=20)
            return [(hit["id"], float(hit.score or 0.0)) for hit in results if hit["id"] != doc_id]

    def find_by_url(self, url: str) -> str | None:
        key = normalise_url(url)
        if not key:
            return None
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return None
            found = searcher.document(url=key)
            return found["id"] if found else None
