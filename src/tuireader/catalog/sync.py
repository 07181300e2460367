"""Bring an index in line with the library folder: scan, compare with the manifest, parse,
extract entities, hand the documents to the search backend, record what was done.

Safety:
  * the user's library is only read, never written;
  * a full build happens beside the live index and is swapped in by rename, so
    a crash leaves the previous index (or none, and the next run rebuilds);
  * the manifest is written after each commit, so it never claims more than the
    index holds; a lagging manifest only causes documents to be indexed again.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..core.library import Library, LibraryDocument
from ..core.model import Document
from ..core.textio import DocumentError
from ..entities.model import EntityType
from . import listing
from .report import IndexReport
from .store import MANIFEST, NO_SPACE, CatalogStore, FileState, IndexDiskFull, NeedsRebuild, file_sha256

if TYPE_CHECKING:
    from pathlib import Path

    from ..entities.extract import Mention
    from ..search.backend import BackendWriter, SearchBackend

Progress = Callable[[int, int], None]
MentionsOf = Callable[[Document], list["Mention"]]  # a document's entity mentions, to index

# Files read between two commits of a full build.  An interrupted build goes on from its last
# commit; and the segment writer holds a batch's postings in memory (measured on generated
# articles: ~10 MB a MB of text, shared among the writer processes), so this bounds each
# process's memory whatever the size of the library.
BUILD_BATCH_BYTES = 48 * 1024 * 1024


def catalog_meta(doc: Document) -> dict[str, Any]:
    return {
        "title": doc.title,
        "date": doc.date,
        "date_end": doc.date_end,
        "authors": doc.authors,
        "source": doc.source,
        "url": doc.url,
        "footnotes": sum(1 for n in doc.footnotes if n.defined),
        "tags": list(doc.tags),
    }


def entity_summary(mentions: Iterable[Mention]) -> dict[str, list[Any]]:
    """canonical -> [type, mentions] for the catalog, the title's and notes' mentions counted
    with the body's; dates left out (they are not things to navigate by); most mentioned first."""
    counts: dict[tuple[str, str], int] = {}
    for m in mentions:
        if m.type != EntityType.DATE:
            counts[(m.canonical, m.type)] = counts.get((m.canonical, m.type), 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return {name: [str(etype), n] for (name, etype), n in ordered}


SCAN_CACHE = "scan.cache"
CHECK_PROGRESS_EVERY = 2000  # files stat'ed between two progress reports


class Sync:
    def __init__(
        self, library: Library, store: CatalogStore, backend: SearchBackend, mentions_of: MentionsOf | None
    ) -> None:
        self.library = library
        self.store = store
        self.backend = backend
        self.mentions_of = mentions_of
        self._scan_adopted = False

    def _scan(self) -> list[LibraryDocument]:
        """The library's documents; the folder walk of an earlier process is reused while no
        folder changed (adding, removing or renaming a file changes its folder's mtime)."""
        library = self.library
        cache = self.store.dir / SCAN_CACHE
        key = (str(library.root),)
        if not self._scan_adopted:
            self._scan_adopted = True
            kept = listing.load_blob(cache, key)
            if kept is not None:
                library.adopt_scan(kept)
        walks = library.walks
        documents = library.scan().documents
        if library.walks != walks and self.store.dir.is_dir():
            listing.save_blob(cache, key, library.scan_snapshot())
        return documents

    def unchanged(self, progress: Progress | None = None) -> bool:
        """True when the index holds every document of the library as its file now is: the
        same files (the folder walk, reused while no folder changed) with the size and mtime
        they were indexed at (a stat of each: a file edited in place changes no folder).
        Reads no manifest and takes no lock; False means "run ``update``", which looks again."""
        catalog, stats = self.store.documents(), self.store.indexed_stats()
        if stats is None or not self.library.root.is_dir():
            return False
        try:
            scan = self._scan()
        except OSError:
            return False
        if len(scan) != len(stats):
            return False
        total = len(scan)
        for n, entry in enumerate(scan, 1):
            known, listed = stats.get(entry.id), catalog.get(entry.id)
            if known is None or listed is None or listed.location != entry.location:
                return False
            try:
                st = os.stat(entry.location)
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) != known:
                return False
            if progress is not None and (n % CHECK_PROGRESS_EVERY == 0 or n == total):
                progress(n, total)
        return True

    def update(self, progress: Progress | None = None, *, rebuild: bool = False, procs: int = 1) -> IndexReport:
        """Bring the index in line with the library; a full build when needed."""
        started = time.perf_counter()
        with self.store.update_lock() as mine:
            if not mine:
                report = IndexReport(busy=True)
                report.seconds = time.perf_counter() - started
                return report
            try:
                report = self._update_locked(progress, rebuild=rebuild, procs=procs)
            except OSError as exc:
                if exc.errno not in NO_SPACE:
                    raise
                raise IndexDiskFull(
                    f"disk full: no space left to update the index in {self.store.dir} ({exc.strerror or exc}); "
                    "the last complete index is kept and still searched; free some space and run "
                    "'tuireader index' again"
                ) from None
        report.seconds = time.perf_counter() - started
        return report

    def _update_locked(self, progress: Progress | None, *, rebuild: bool, procs: int) -> IndexReport:
        # Builds run only under the lock we hold: this is what a killed one left (a full copy).
        # A build killed before its swap is gone on with if a full build is what is needed now.
        self.store.remove_leftovers(building=False)
        scan = self._scan()
        manifest: dict[str, FileState] = {}
        journal_damage = 0
        live = self.store.live_dir
        reason = "rebuild requested" if rebuild else ""
        if not rebuild:
            if not live.exists():
                reason = "no index yet"
            else:
                try:
                    manifest = self.store.read(live)
                    journal_damage = self.store.journal_damage
                    self.backend.check(live)
                except NeedsRebuild as exc:
                    reason = str(exc)
        if reason:
            report = self._full_build(scan, progress, procs=procs)
            report.rebuilt = True
            report.reason = reason
            if reason != "no index yet" and not rebuild:
                self.store.messages.append(f"rebuilt the search index: {reason}")
            return report
        self.store.remove_leftovers()  # a full build was interrupted, but the live index is usable
        report = self._incremental(scan, manifest, progress)
        if journal_damage:
            # what those lines said is lost: the manifest is written anew from what was just checked
            self.store.write(live, self.store.read(live))
            lines = "line" if journal_damage == 1 else "lines"
            self.store.messages.append(
                f"repaired the search index: {journal_damage} damaged {lines} in its journal "
                "(their documents were checked against the files again)"
            )
        return report

    def refresh(self, doc_ids: Iterable[str]) -> int:
        """Index these documents again though their files did not change, because their
        mentions did (the optional model's background pass); how many were. 0 while another
        process updates the index, or before the first index: the next update reads them."""
        ids = set(doc_ids)
        with self.store.update_lock() as mine:
            live = self.store.live_dir
            if not mine or not live.exists():
                return 0
            manifest = self.store.read(live)
            entries = [e for doc_id, e in self.store.documents().items() if doc_id in ids and not e.error]
            if not entries:
                return 0
            writer = self.backend.writer(live)
            new_manifest = dict(manifest)
            try:
                for entry in entries:
                    state, _ = self._state_of(entry, None)
                    parsed = self._parse(entry, state)
                    if parsed is not None:
                        writer.replace(parsed[0], state.path, parsed[1])
                        new_manifest[entry.id] = state
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            self.store.record_changes(live, manifest, new_manifest)
            return len(entries)

    @staticmethod
    def _state_of(entry: LibraryDocument, previous: FileState | None) -> tuple[FileState, bool]:
        """(current state, changed?) comparing path, size and mtime, then the content hash."""
        path = entry.location
        st = os.stat(path)
        if previous and previous.path == path and previous.size == st.st_size and previous.mtime_ns == st.st_mtime_ns:
            return previous, False
        digest = file_sha256(path)
        state = FileState(path, st.st_size, st.st_mtime_ns, digest)
        if previous and previous.sha256 == digest and previous.path == path:
            state.error, state.meta = previous.error, previous.meta
            return state, False  # touched, not changed
        return state, True

    def _parse(self, entry: LibraryDocument, state: FileState) -> tuple[Document, list[Mention] | None] | None:
        """The document and its mentions, with its catalog entry recorded in ``state``; None if unreadable."""
        try:
            doc = self.library.parse(entry)
        except DocumentError as exc:
            state.error = exc.message
            return None
        state.error = None
        state.meta = catalog_meta(doc)
        mentions = self.mentions_of(doc) if self.mentions_of is not None else None
        if mentions is not None:
            state.meta["entities"] = entity_summary(mentions)
        return doc, mentions

    def _incremental(
        self, scan: list[LibraryDocument], manifest: dict[str, FileState], progress: Progress | None
    ) -> IndexReport:
        report = IndexReport()
        current = {e.id: e for e in scan}
        todo: list[tuple[LibraryDocument, FileState, bool]] = []
        new_manifest: dict[str, FileState] = {}
        touched = False  # a file with a new mtime but the same content
        for entry in scan:
            previous = manifest.get(entry.id)
            try:
                state, changed = self._state_of(entry, previous)
            except OSError as exc:
                report.skipped.append((entry.id, f"cannot read: {exc.strerror or exc}"))
                continue
            if changed:
                todo.append((entry, state, previous is not None))
            else:
                new_manifest[entry.id] = state
                report.unchanged += 1
                touched = touched or state is not previous
        removed = [doc_id for doc_id in manifest if doc_id not in current]
        live = self.store.live_dir
        if not todo and not removed:
            if touched or len(new_manifest) != len(manifest):
                self.store.record_changes(live, manifest, new_manifest)
            return report
        writer = self.backend.writer(live)
        try:
            for doc_id in removed:
                writer.remove(doc_id)
                report.removed += 1
            for n, (entry, state, existed) in enumerate(todo, 1):
                parsed = self._parse(entry, state)
                if parsed is None:
                    writer.remove(entry.id)
                    report.skipped.append((entry.id, state.error or "unreadable"))
                else:
                    writer.replace(parsed[0], state.path, parsed[1])
                    if existed:
                        report.updated += 1
                    else:
                        report.added += 1
                new_manifest[entry.id] = state
                if progress:
                    progress(n, len(todo))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self.store.record_changes(live, manifest, new_manifest)
        return report

    def _full_build(self, scan: list[LibraryDocument], progress: Progress | None, *, procs: int) -> IndexReport:
        report = IndexReport()
        building = self.store.building_dir
        committed = self._committed(building)
        if committed is None:
            shutil.rmtree(building, ignore_errors=True)  # leftovers of a build that cannot go on
            building.mkdir(parents=True)
            committed = {}
        try:
            self._build_in(building, scan, committed, report, progress, procs)
        except BaseException as exc:
            # What was committed stays for the next run to go on from, unless the disk is full:
            # then those files are the space the user needs.
            if isinstance(exc, OSError) and exc.errno in NO_SPACE or not (building / MANIFEST).exists():
                shutil.rmtree(building, ignore_errors=True)
            raise
        self.store.swap_in(building)
        return report

    def _add(
        self, writer: BackendWriter, entry: LibraryDocument, manifest: dict[str, FileState], report: IndexReport
    ) -> int:
        """Index one document of a full build; the bytes of its file that were read."""
        try:
            st = os.stat(entry.location)
            state = FileState(entry.location, st.st_size, st.st_mtime_ns, file_sha256(entry.location))
        except OSError as exc:
            report.skipped.append((entry.id, f"cannot read: {exc.strerror or exc}"))
            return 0
        parsed = self._parse(entry, state)
        if parsed is None:
            report.skipped.append((entry.id, state.error or "unreadable"))
        else:
            writer.add(parsed[0], state.path, parsed[1])
            report.added += 1
        manifest[entry.id] = state
        return state.size

    def _committed(self, building: Path) -> dict[str, FileState] | None:
        """What the batches of an interrupted full build committed in ``building``, if usable."""
        if not (building / MANIFEST).is_file():
            return None
        try:
            committed = self.store.read(building)
            self.backend.check(building)
        except NeedsRebuild:
            return None
        return committed

    def _build_in(
        self,
        building: Path,
        scan: list[LibraryDocument],
        committed: dict[str, FileState],
        report: IndexReport,
        progress: Progress | None,
        procs: int,
    ) -> None:
        """Index ``scan`` in ``building``, committing every BUILD_BATCH_BYTES of files read, each
        commit followed by the manifest of what is committed; documents ``committed`` by an
        earlier run are kept when their files did not change since."""
        manifest: dict[str, FileState] = {}
        todo: list[LibraryDocument] = []
        stale: set[str] = set()
        if committed:
            current = {e.id for e in scan}
            # a commit whose manifest was not written (killed in between) left documents it lists not
            stale = {doc_id for doc_id in self.backend.ids_in(building) if doc_id not in committed}
            stale |= {doc_id for doc_id in committed if doc_id not in current}
        for entry in scan:
            previous = committed.get(entry.id)
            if previous is not None:
                try:
                    state, changed = self._state_of(entry, previous)
                except OSError:
                    changed = True
                if not changed:
                    manifest[entry.id] = state
                    continue
                stale.add(entry.id)
            todo.append(entry)
        report.resumed = len(manifest)
        if manifest:
            self.store.messages.append(
                f"went on with an interrupted build of the index: {len(manifest)} of {len(scan)} documents "
                "were indexed already"
            )
        done, total = len(manifest), len(scan)
        writer: BackendWriter | None = None
        batch_bytes = 0
        try:
            for k, entry in enumerate(todo):
                if writer is None:
                    writer = self.backend.create(building, procs=procs, documents=len(todo) - k)
                    for doc_id in sorted(stale):
                        writer.remove(doc_id)
                    stale = set()
                done += 1
                batch_bytes += self._add(writer, entry, manifest, report)
                if progress:
                    progress(done, total)
                if batch_bytes >= BUILD_BATCH_BYTES and k + 1 < len(todo):
                    writer.commit()
                    writer = None
                    self.store.write(building, manifest)
                    batch_bytes = 0
            if writer is None and (stale or not todo):  # nothing left to add: the removals, or an empty index
                writer = self.backend.create(building, procs=1, documents=0)
                for doc_id in sorted(stale):
                    writer.remove(doc_id)
            if writer is not None:
                writer.commit()
                writer = None
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        self.store.write(building, manifest)
