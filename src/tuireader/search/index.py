"""The library's search index: incremental, crash-safe, shared between processes.

Layout of ``index_dir``:
  whoosh/            the live Whoosh index, with ``manifest.json`` inside it
                     (schema version + what was indexed from which file state)
                     and ``manifest.log``, a journal of changes since
  whoosh.new/        a full rebuild in progress (swapped in when complete)
  update.lock        held (flock) by the one process updating the index

Safety:
  * the user's library is only read, never written;
  * a full build happens beside the live index and is swapped in by rename, so
    a crash leaves the previous index (or none, and the next run rebuilds);
  * the manifest is written after each commit and moves with the index, so it
    never claims more than the index holds; a lagging manifest only causes
    documents to be indexed again;
  * the update lock is an flock, released by the kernel when a process dies;
  * searches use the last committed state and reopen when another process
    has committed or swapped in a new build.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import json
import os
import shutil
import threading
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..core.formats import format_for
from ..core.library import Library, LibraryDocument
from ..core.mapped import MappedText, Segment
from ..core.model import Document
from ..core.textio import DocumentError
from ..entities.model import EntitySpan
from .entity_fields import entity_fields, entity_summary, stored_spans
from .results import IndexReport, SearchHit, SearchResults, Snippet
from .schema import SCHEMA_VERSION, build_schema

if TYPE_CHECKING:
    from ..entities.extract import Mention

try:  # POSIX; on other systems a second updater is not kept out, but nothing else changes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

Progress = Callable[[int, int], None]
MentionsOf = Callable[[Document], list["Mention"]]  # a document's entity mentions, to index

LIVE = "whoosh"
BUILDING = "whoosh.new"
RETIRED = "whoosh.old"
MANIFEST = "manifest.json"
MANIFEST_LOG = "manifest.log"  # journal of changes since the manifest was written
JOURNAL_MAX_LINES = 200  # more changes than this at once: rewrite the manifest
JOURNAL_MIN_BYTES = 256 * 1024
LOCK = "update.lock"
MAX_PERIOD_DAYS = 800
SNIPPET_CHARS = 220
PARALLEL_FROM = 200  # documents; below this, starting writer processes costs more than it saves


# The update lock's descriptors this process holds.  Whoosh's writer processes are forked
# while it is held: they must neither keep it (an flock lives while any copy of its
# descriptor is open) nor outlive this process, blocked on a pipe to it.
_held_locks: set[int] = set()


def _in_forked_child() -> None:
    if not _held_locks:
        return
    for fd in _held_locks:
        try:
            os.close(fd)
        except OSError:
            pass
    _held_locks.clear()
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this (forked worker) process when its parent dies; elsewhere a no-op."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig, sigkill = 1, 9
        libc.prctl(pr_set_pdeathsig, sigkill, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux, or no prctl: the lock is still released
        pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_child)


class IndexError_(Exception):
    """The index cannot be used (its folder is not writable, …); the message says what to do."""


class IndexBusy(IndexError_):
    pass


class IndexDiskFull(IndexError_):
    """No space left for the index; what was committed before is kept and still searched."""


# Errors that mean "no room to write", whatever the file system calls it.
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class _NeedsRebuild(Exception):
    pass


@dataclass(slots=True)
class _FileState:
    path: str
    size: int
    mtime_ns: int
    sha256: str
    error: str | None = None
    meta: dict[str, Any] | None = None  # the catalog entry: what the library list shows


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


def _last_byte(path: Path) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1)


def _state_from_row(row: Any) -> _FileState:
    """A manifest row read back; ValueError unless every column has its type (a row of
    another shape would fail later, far from here: comparing sizes, listing titles)."""
    if not isinstance(row, list) or len(row) != 6:
        raise ValueError("a manifest row is not a list of six")
    path, size, mtime_ns, sha256, error, meta = row
    if not (
        isinstance(path, str)
        and type(size) is int
        and type(mtime_ns) is int
        and isinstance(sha256, str)
        and (error is None or isinstance(error, str))
        and (meta is None or isinstance(meta, dict))
    ):
        raise ValueError("a manifest row has a column of the wrong type")
    return _FileState(path, size, mtime_ns, sha256, error, meta)


def _row(state: _FileState) -> list[Any]:
    return [state.path, state.size, state.mtime_ns, state.sha256, state.error, state.meta]


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    text = json.dumps(data, ensure_ascii=False)  # dumps uses the C encoder; dump() streams in Python
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not be left fuller
        raise


# ------------------------------------------------------------ documents
def _flatten_map(parts: list[MappedText]) -> tuple[str, bytes]:
    """Join texts with blank lines; keep one flat segment table back to the source."""
    texts: list[str] = []
    flat = array("q")
    pos = 0
    for part in parts:
        if texts:
            texts.append("\n\n")
            pos += 2
        for seg in part.segments:
            flat.extend((pos + seg.t, seg.tlen, seg.s, seg.slen))
        texts.append(part.text)
        pos += len(part.text)
    return "".join(texts), flat.tobytes()


def _unflatten_map(text: str, blob: bytes) -> MappedText:
    flat = array("q")
    flat.frombytes(blob)
    segs = tuple(Segment(*flat[i : i + 4]) for i in range(0, len(flat), 4))
    return MappedText(text, segs)


def _days(start: str | None, end: str | None) -> list[dt.datetime]:
    if not start:
        return []
    try:
        if len(start) == 7:  # YYYY-MM: the whole month
            first = dt.date.fromisoformat(start + "-01")
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            first = dt.date.fromisoformat(start[:10])
            last = first
        if end:
            last = max(last, dt.date.fromisoformat(end[:10] if len(end) >= 10 else end + "-01"))
    except ValueError:
        return []
    span = min((last - first).days, MAX_PERIOD_DAYS)
    return [dt.datetime.combine(first + dt.timedelta(days=i), dt.time()) for i in range(span + 1)]


def _normalise_url(url: str) -> str:
    """A URL as compared for "is this link a document of the library?"."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def _domains(url: str) -> list[str]:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] if len(labels) >= 2 else []


def document_fields(doc: Document, state: _FileState, mentions: Sequence[Mention] | None) -> dict[str, Any]:
    body, body_map = _flatten_map([b.content for b in doc.blocks])
    notes, notes_map = _flatten_map([n.content for n in doc.footnotes if n.defined])
    urls = [u for n in doc.footnotes for u in n.urls]
    domains = sorted({d for u in urls for d in _domains(u)})
    fields: dict[str, Any] = {
        "id": doc.id,
        "path": state.path,
        "title": doc.title,
        "authors": ", ".join(doc.authors),
        "source": doc.source or "",
        "url": _normalise_url(doc.url) if doc.url else "",
        "date_start": doc.date,
        "date_end": doc.date_end,
        "body": body,
        "footnotes": notes,
        "urls": ",".join(u.replace(",", "%2C") for u in urls),
        "domain": ",".join(domains),
        "tags": ",".join(t.replace(",", " ") for t in doc.tags),
        "body_map": body_map,
        "notes_map": notes_map,
    }
    if any(p.page is not None for p in doc.parts):
        fields["page_starts"] = [p.start for p in doc.parts]
    days = _days(doc.date, doc.date_end)
    if days:
        fields["date"] = days
    if mentions is not None:
        fields.update(entity_fields(mentions))
    return fields


# ---------------------------------------------------------------- index
class LibraryIndex:
    def __init__(self, library: Library, index_dir: Path, *, mentions_of: MentionsOf | None = None) -> None:
        self.library = library
        self.dir = index_dir
        self.mentions_of = mentions_of
        self._ix = None
        self._ix_inode: int | None = None
        self._searcher = None
        self._manifest_cache: tuple[tuple[Any, ...], dict[str, _FileState]] | None = None
        self._base_cache: tuple[tuple[Any, ...], dict[str, _FileState]] | None = None  # without the journal
        self._search_lock = threading.Lock()
        self._manifest_lock = threading.Lock()
        self.messages: list[str] = []  # things the user should know (a rebuild and why)

    # Whoosh is imported on first use, not with this module: the reader draws its first
    # screen from the manifest alone, ~170 ms sooner.
    @functools.cached_property
    def schema(self):
        return build_schema()

    @functools.cached_property
    def compiler(self):
        from .query import QueryCompiler

        return QueryCompiler(self.schema)

    # -- locations -------------------------------------------------------
    @property
    def live_dir(self) -> Path:
        return self.dir / LIVE

    @property
    def has_index(self) -> bool:
        """Whether a built index is there to search (whether or not it can be updated)."""
        return (self.live_dir / MANIFEST).is_file()

    def _ensure_dir(self) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexError_(
                f"cannot create the index folder {self.dir}: {exc.strerror or exc}; "
                "choose another with --index-dir or $TUIREADER_INDEX_DIR"
            ) from None
        if not os.access(self.dir, os.W_OK):
            raise IndexError_(f"the index folder {self.dir} is not writable; choose another with --index-dir")

    @contextmanager
    def _update_lock(self) -> Iterator[bool]:
        """Yields True when this process may update the index, False when another one is."""
        self._ensure_dir()
        lock_path = self.dir / LOCK
        if lock_path.is_dir() and not lock_path.is_symlink():
            # Only our own folder: what is in it is not the user's.  flock needs a file.
            shutil.rmtree(lock_path, ignore_errors=True)
            self.messages.append("repaired the search index: its update lock was a folder")
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:  # a read-only mount says so only here (root passes os.access)
            raise IndexError_(
                f"the index folder {self.dir} is not writable ({exc.strerror or exc}); choose another with --index-dir"
            ) from None
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    yield False
                    return
            _held_locks.add(fd)
            yield True
        finally:
            _held_locks.discard(fd)
            os.close(fd)  # closing releases the flock

    # -- manifest --------------------------------------------------------
    def _read_manifest(self, folder: Path) -> dict[str, _FileState]:
        """The manifest with its journal applied, parsed once per version of the files.

        It is consulted when a document opens and on every find-as-you-type
        keystroke; at 10,000 documents it is megabytes of JSON.  The manifest is
        only ever replaced whole (os.replace) and the journal only appended to,
        so inode, size and mtime identify a version of each.
        """
        path = folder / MANIFEST
        try:
            st = path.stat()
        except FileNotFoundError:
            raise _NeedsRebuild("the index has no manifest") from None
        except OSError as exc:
            raise _NeedsRebuild(f"the index manifest is unreadable ({exc.__class__.__name__})") from None
        try:
            log_st = (folder / MANIFEST_LOG).stat()
            log_identity: tuple[Any, ...] = (log_st.st_ino, log_st.st_size, log_st.st_mtime_ns)
        except OSError:
            log_identity = ()
        base_identity = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
        identity = (*base_identity, *log_identity)
        cached = self._manifest_cache
        if cached is not None and cached[0] == identity:
            return dict(cached[1])
        with self._manifest_lock:  # the reader's threads ask at once on start: parse it once
            cached = self._manifest_cache
            if cached is not None and cached[0] == identity:
                return dict(cached[1])
            base = self._base_cache
            if base is None or base[0] != base_identity:
                base = self._base_cache = (base_identity, self._parse_manifest(path))
            entries = dict(base[1])
            if log_identity:
                self._apply_journal(folder / MANIFEST_LOG, entries)
            self._manifest_cache = (identity, entries)
            return dict(entries)

    def _parse_manifest(self, path: Path) -> dict[str, _FileState]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _NeedsRebuild("the index has no manifest") from None
        except (OSError, ValueError) as exc:
            raise _NeedsRebuild(f"the index manifest is unreadable ({exc.__class__.__name__})") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries", {}), dict):
            raise _NeedsRebuild("the index manifest is malformed")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise _NeedsRebuild(
                f"the index was built by another version (schema {data.get('schema_version')}, now {SCHEMA_VERSION})"
            )
        entries = {}
        try:
            for doc_id, row in data.get("entries", {}).items():
                entries[doc_id] = _state_from_row(row)
        except (TypeError, ValueError):
            raise _NeedsRebuild("the index manifest is malformed") from None
        return entries

    @staticmethod
    def _apply_journal(path: Path, entries: dict[str, _FileState]) -> None:
        """Apply the journal's lines, ``[id, row]`` or ``[id, null]`` for a removal.

        A line that does not parse (a write cut short by a crash) is skipped:
        its document then looks changed and is indexed again, which is safe.
        """
        try:
            lines = path.read_bytes().splitlines()
        except OSError:
            return
        for line in lines:
            try:
                doc_id, row = json.loads(line)
                if not isinstance(doc_id, str):
                    continue
                if row is None:
                    entries.pop(doc_id, None)
                else:
                    entries[doc_id] = _state_from_row(row)
            except (TypeError, ValueError):
                continue

    def _write_manifest(self, folder: Path, entries: dict[str, _FileState]) -> None:
        write_json_atomic(
            folder / MANIFEST,
            {
                "schema_version": SCHEMA_VERSION,
                "library": str(self.library.root),
                # rows, not objects: this file is read on every start
                "entries": {k: _row(v) for k, v in sorted(entries.items())},
            },
        )
        # After the replace: a crash in between leaves a journal that repeats the manifest.
        try:
            os.unlink(folder / MANIFEST_LOG)
        except FileNotFoundError:
            pass

    def _record_changes(self, folder: Path, before: dict[str, _FileState], after: dict[str, _FileState]) -> None:
        """Journal what changed, or rewrite the manifest once the journal has grown.

        Rewriting megabytes of JSON was a third of a one-document update at
        10,000 documents; a journal line is a few hundred bytes.
        """
        changes: list[tuple[str, list[Any] | None]] = [
            (k, _row(v)) for k, v in after.items() if before.get(k) is not v and before.get(k) != v
        ]
        changes += [(k, None) for k in before if k not in after]
        if not changes:
            return
        log = folder / MANIFEST_LOG
        try:
            log_size = log.stat().st_size
            manifest_size = (folder / MANIFEST).stat().st_size
        except FileNotFoundError:
            log_size, manifest_size = 0, 0
        if len(changes) > JOURNAL_MAX_LINES or log_size > max(JOURNAL_MIN_BYTES, manifest_size // 4):
            self._write_manifest(folder, after)
            return
        text = "".join(json.dumps([k, row], ensure_ascii=False) + "\n" for k, row in changes)
        with open(log, "ab") as fh:
            if fh.tell() and _last_byte(log) != b"\n":
                text = "\n" + text  # after a line cut short by a crash: keep the new lines whole
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())

    # -- opening ---------------------------------------------------------
    def _open_checked(self, folder: Path):
        """Open an index and prove it answers a query (corruption shows only at search time)."""
        try:
            from whoosh import index as whoosh_index
            from whoosh import query

            inode = os.stat(folder).st_ino
            ix = whoosh_index.open_dir(str(folder), schema=None)
            with _pinned_searcher(ix, folder, inode) as searcher:
                # touch the term index, postings and stored fields without visiting every document
                searcher.search(query.Term("id", "\x00probe"), limit=1)
                if searcher.doc_count_all():
                    searcher.stored_fields(0)
            if set(ix.schema.names()) != set(self.schema.names()):
                raise _NeedsRebuild("the index fields differ from this version's")
            return ix
        except (_NeedsRebuild, _StateMoved):
            raise
        except Exception as exc:  # any failure here means the files are damaged
            raise _NeedsRebuild(f"the index is damaged ({exc.__class__.__name__})") from None

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
                except _NeedsRebuild as exc:
                    self.messages.append(f"search index unusable: {exc}; run 'tuireader index --rebuild'")
                    return None
            else:
                self.messages.append("the search index kept changing while it was opened; try again")
                return None
            self._ix_inode = inode
        return self._ix

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        with self._search_lock:
            self._close_searcher()
            self._ix = None

    # -- updating --------------------------------------------------------
    def update(self, progress: Progress | None = None, *, rebuild: bool = False, procs: int = 1) -> IndexReport:
        """Bring the index in line with the library; a full build when needed."""
        started = time.perf_counter()
        with self._update_lock() as mine:
            if not mine:
                report = IndexReport(busy=True)
                report.seconds = time.perf_counter() - started
                return report
            try:
                report = self._update_locked(progress, rebuild=rebuild, procs=procs)
            except OSError as exc:
                if exc.errno not in _NO_SPACE:
                    raise
                raise IndexDiskFull(
                    f"disk full: no space left to update the index in {self.dir} ({exc.strerror or exc}); "
                    "the last complete index is kept and still searched; free some space and run "
                    "'tuireader index' again"
                ) from None
        report.seconds = time.perf_counter() - started
        return report

    def _update_locked(self, progress: Progress | None, *, rebuild: bool, procs: int) -> IndexReport:
        # Builds run only under the lock we hold: these are what a killed one left (a full copy).
        for leftover in (BUILDING, RETIRED):
            shutil.rmtree(self.dir / leftover, ignore_errors=True)
        scan = self.library.scan().documents
        manifest: dict[str, _FileState] = {}
        reason = "rebuild requested" if rebuild else ""
        if not rebuild:
            if not self.live_dir.exists():
                reason = "no index yet"
            else:
                try:
                    manifest = self._read_manifest(self.live_dir)
                    self._open_checked(self.live_dir)
                except _NeedsRebuild as exc:
                    reason = str(exc)
        if reason:
            report = self._full_build(scan, progress, procs=procs)
            report.rebuilt = True
            report.reason = reason
            if reason != "no index yet" and not rebuild:
                self.messages.append(f"rebuilt the search index: {reason}")
            return report
        return self._incremental(scan, manifest, progress)

    def _state_of(self, entry: LibraryDocument, previous: _FileState | None) -> tuple[_FileState, bool]:
        """(current state, changed?) comparing path, size and mtime, then the content hash."""
        path = entry.location
        st = os.stat(path)
        if previous and previous.path == path and previous.size == st.st_size and previous.mtime_ns == st.st_mtime_ns:
            return previous, False
        digest = _sha256(path)
        state = _FileState(path, st.st_size, st.st_mtime_ns, digest)
        if previous and previous.sha256 == digest and previous.path == path:
            state.error, state.meta = previous.error, previous.meta
            return state, False  # touched, not changed
        return state, True

    def _index_entry(self, entry: LibraryDocument, state: _FileState) -> dict[str, Any] | None:
        try:
            doc = self.library.parse(entry)
        except DocumentError as exc:
            state.error = exc.message
            return None
        state.error = None
        state.meta = catalog_meta(doc)
        mentions = self.mentions_of(doc) if self.mentions_of is not None else None
        fields = document_fields(doc, state, mentions)
        if mentions is not None:
            state.meta["entities"] = entity_summary(mentions)
        return fields

    def _incremental(
        self, scan: list[LibraryDocument], manifest: dict[str, _FileState], progress: Progress | None
    ) -> IndexReport:
        report = IndexReport()
        current = {e.id: e for e in scan}
        todo: list[tuple[LibraryDocument, _FileState, bool]] = []
        new_manifest: dict[str, _FileState] = {}
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
        if not todo and not removed:
            if touched or len(new_manifest) != len(manifest):
                self._record_changes(self.live_dir, manifest, new_manifest)
            return report
        from whoosh import index as whoosh_index

        ix = whoosh_index.open_dir(str(self.live_dir))
        writer = _writer(ix)
        try:
            for doc_id in removed:
                writer.delete_by_term("id", doc_id)
                report.removed += 1
            for n, (entry, state, existed) in enumerate(todo, 1):
                fields = self._index_entry(entry, state)
                if fields is None:
                    writer.delete_by_term("id", entry.id)
                    report.skipped.append((entry.id, state.error or "unreadable"))
                else:
                    writer.update_document(**fields)
                    if existed:
                        report.updated += 1
                    else:
                        report.added += 1
                new_manifest[entry.id] = state
                if progress:
                    progress(n, len(todo))
            writer.commit(mergetype=_merge_small_segments)
        except BaseException:
            _cancel(writer)
            raise
        self._record_changes(self.live_dir, manifest, new_manifest)
        return report

    def refresh(self, doc_ids: Iterable[str]) -> int:
        """Index these documents again though their files did not change, because their
        mentions did (the optional model's background pass); how many were. 0 while another
        process updates the index, or before the first index: the next update reads them."""
        ids = set(doc_ids)
        with self._update_lock() as mine:
            if not mine or not self.live_dir.exists():
                return 0
            manifest = self._read_manifest(self.live_dir)
            entries = [e for doc_id, e in self.catalog().items() if doc_id in ids and not e.error]
            if not entries:
                return 0
            from whoosh import index as whoosh_index

            writer = _writer(whoosh_index.open_dir(str(self.live_dir)))
            new_manifest = dict(manifest)
            try:
                for entry in entries:
                    state, _ = self._state_of(entry, None)
                    fields = self._index_entry(entry, state)
                    if fields is not None:
                        writer.update_document(**fields)
                        new_manifest[entry.id] = state
                writer.commit(mergetype=_merge_small_segments)
            except BaseException:
                _cancel(writer)
                raise
            self._record_changes(self.live_dir, manifest, new_manifest)
            return len(entries)

    def _full_build(self, scan: list[LibraryDocument], progress: Progress | None, *, procs: int) -> IndexReport:
        report = IndexReport()
        building = self.dir / BUILDING
        shutil.rmtree(building, ignore_errors=True)  # leftovers of a build that was killed
        building.mkdir(parents=True)
        try:
            self._build_in(building, scan, report, progress, procs=procs)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        retired = self.dir / RETIRED
        shutil.rmtree(retired, ignore_errors=True)
        if self.live_dir.exists():
            os.replace(self.live_dir, retired)
        os.replace(building, self.live_dir)
        shutil.rmtree(retired, ignore_errors=True)
        return report

    def _build_in(
        self, building: Path, scan: list[LibraryDocument], report: IndexReport, progress: Progress | None, *, procs: int
    ) -> None:
        from whoosh import index as whoosh_index

        ix = whoosh_index.create_in(str(building), self.schema)
        if procs > 1 and len(scan) >= PARALLEL_FROM:
            writer = _writer(ix, procs=procs, limitmb=256, multisegment=True)
        else:
            writer = _writer(ix, limitmb=256)
        manifest: dict[str, _FileState] = {}
        try:
            for n, entry in enumerate(scan, 1):
                try:
                    st = os.stat(entry.location)
                    state = _FileState(entry.location, st.st_size, st.st_mtime_ns, _sha256(entry.location))
                except OSError as exc:
                    report.skipped.append((entry.id, f"cannot read: {exc.strerror or exc}"))
                    continue
                fields = self._index_entry(entry, state)
                if fields is None:
                    report.skipped.append((entry.id, state.error or "unreadable"))
                else:
                    writer.add_document(**fields)
                    report.added += 1
                manifest[entry.id] = state
                if progress:
                    progress(n, len(scan))
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        self._write_manifest(building, manifest)

    # -- searching -------------------------------------------------------
    def warm_up(self) -> None:
        """Open the index and a searcher now (off the UI thread), so the first search or
        document opened does not pay for opening and checking them."""
        with self._search_lock:
            self._get_searcher()
        _ = self.compiler

    def document_count(self) -> int:
        with self._search_lock:
            ix = self._current_ix()
            return ix.doc_count() if ix is not None else 0

    def catalog(self) -> dict[str, LibraryDocument]:
        """Metadata of every indexed document (empty before the first index)."""
        try:
            manifest = self._read_manifest(self.live_dir)
        except _NeedsRebuild:
            return {}
        catalog = {}
        for doc_id, state in manifest.items():
            meta = state.meta or {}
            fmt = format_for(Path(state.path))
            catalog[doc_id] = LibraryDocument(
                id=doc_id,
                location=state.path,
                format=fmt.name if fmt else "text",
                title=meta.get("title") or Path(state.path).stem,
                date=meta.get("date"),
                date_end=meta.get("date_end"),
                authors=tuple(meta.get("authors") or ()),
                source=meta.get("source"),
                url=meta.get("url"),
                footnotes=int(meta.get("footnotes") or 0),
                error=state.error,
                entities=meta.get("entities"),
                tags=tuple(str(t) for t in meta.get("tags") or ()),
            )
        return catalog

    def is_current(self, doc_id: str, path: Path) -> bool:
        """True when the index holds this document as the file now is (so its offsets fit)."""
        try:
            state = self._read_manifest(self.live_dir).get(doc_id)
        except _NeedsRebuild:
            return False
        if state is None or state.error or state.path != str(path):
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (state.size, state.mtime_ns)

    def find_in(self, doc: Document, query: str) -> SearchResults:
        """Find in one document: through the index when it holds the file as it now is (the
        full query language), else by plain matching of the query's words and phrases."""
        if self.is_current(doc.id, doc.path):
            return self.search(query, doc_id=doc.id, limit=1)
        from .local import find_in_document

        return find_in_document(doc, query)

    def cached_entities(self, doc_id: str, path: Path) -> list[EntitySpan] | None:
        """Entity mentions stored at index time, if the file has not changed since."""
        if not self.is_current(doc_id, path):
            return None
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return None
            found = searcher.document(id=doc_id)
        if not found or found.get("entity_data") is None:
            return None
        return stored_spans(found["entity_data"])

    def stored_entity_records(self) -> dict[str, tuple[list[tuple], list[tuple]]]:
        """doc id -> (body mentions, title and note mentions) as stored at index time, for every document."""
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
        """Documents whose bodies resemble this one's (Whoosh more_like), as (id, score)."""
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return []
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            results = searcher.more_like(docnum, "body", top=limit, numterms=20)
            return [(hit["id"], float(hit.score or 0.0)) for hit in results if hit["id"] != doc_id]

    def find_by_url(self, url: str) -> str | None:
        """The id of the library document whose metadata url is ``url``, if any."""
        key = _normalise_url(url)
        if not key:
            return None
        with self._search_lock:
            searcher = self._get_searcher()
            if searcher is None:
                return None
            found = searcher.document(url=key)
            return found["id"] if found else None

    def _get_searcher(self):
        for _ in range(OPEN_ATTEMPTS):
            ix = self._current_ix()
            if ix is None:
                return None
            if self._searcher is not None and not self._searcher.up_to_date():
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

    def search(
        self, text: str, *, limit: int = 10, doc_id: str | None = None, facets: bool = False, typing: bool = False
    ) -> SearchResults:
        """``typing``: search-as-you-type, where the last word may be unfinished (a prefix too)."""
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
            positions = self._positions(searcher, q, compiled, [docnum for docnum, _ in top], seen)
            hits = [self._hit(searcher.stored_fields(docnum), score, positions[docnum]) for docnum, score in top]
            return SearchResults(text, total, hits, compiled.messages, compiled.notes, facet_counts)

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

    def _positions(
        self, searcher, q, compiled, docnums: list[int], seen=None
    ) -> dict[int, dict[str, list[tuple[int, int]]]]:
        """Character spans of every hit, for the given documents only, field by field.

        The postings values come from what the evaluation kept (``seen``), or
        else are read for these documents alone (evaluate.values_at).
        """
        from .evaluate import values_at

        spans: dict[int, dict[str, list[tuple[int, int]]]] = {d: {"body": [], "footnotes": []} for d in docnums}
        ordered = sorted(docnums)
        phrase_words = {(f, w) for f, words, _ in compiled.phrases for w in words}
        occurrences: dict[tuple[str, str], dict[int, dict[int, tuple[int, int]]]] = {}
        for fieldname, btext in sorted(_expanded_terms(q, searcher.reader())):
            if fieldname not in ("body", "footnotes"):
                continue
            word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            standalone = (fieldname, word) in compiled.terms or (fieldname, word) not in phrase_words
            values = seen.values(fieldname, btext, ordered) if seen is not None else None
            if values is None:
                values = values_at(searcher, fieldname, btext, ordered)
            decode = searcher.schema[fieldname].format.decode_characters
            for docnum, value in values.items():
                found = decode(value)
                if standalone:
                    spans[docnum][fieldname].extend((start, end) for _, start, end in found)
                if (fieldname, word) in phrase_words:
                    occurrences.setdefault((fieldname, word), {})[docnum] = {p: (a, b) for p, a, b in found}
        for fieldname, words, slop in compiled.phrases:
            if fieldname not in ("body", "footnotes") or not words:
                continue
            for docnum in ordered:
                per_word = [occurrences.get((fieldname, w), {}).get(docnum) for w in words]
                if all(per_word):
                    spans[docnum][fieldname].extend(_phrase_runs(per_word, slop))  # type: ignore[arg-type]
        return spans

    def _hit(self, stored: dict[str, Any], score: float, by_field: dict[str, list[tuple[int, int]]]) -> SearchHit:
        offsets: list[tuple[int, int]] = []
        snippets: list[Snippet] = []
        for fieldname, map_key in (("body", "body_map"), ("footnotes", "notes_map")):
            spans = _merge(sorted(set(by_field[fieldname])))
            if not spans:
                continue
            text = stored.get(fieldname, "")
            mapped = _unflatten_map(text, stored.get(map_key) or b"")
            offsets.extend(mapped.source_span(a, b) for a, b in spans)
            if len(snippets) < 3:
                page_of = _page_finder(stored.get("page_starts"), mapped)
                snippets.extend(make_snippets(text, spans, 3 - len(snippets), fieldname, page_of))
        if not snippets:
            body = stored.get("body", "")
            snippets = [Snippet(_clip(body, 0, SNIPPET_CHARS)[0], [], "body")] if body else []
        return SearchHit(
            id=stored["id"],
            path=stored["path"],
            title=stored.get("title", ""),
            date=stored.get("date_start"),
            date_end=stored.get("date_end"),
            score=score,
            snippets=snippets,
            offsets=sorted(set(offsets)),
            authors=[a for a in (stored.get("authors") or "").split(", ") if a],
        )


OPEN_ATTEMPTS = 5


class _StateMoved(Exception):
    """Another process committed or swapped in a build while a searcher was being opened."""


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
        if searcher.up_to_date() and os.stat(folder).st_ino == inode:
            return searcher
    except OSError:
        pass
    searcher.close()
    raise _StateMoved


def _writer(ix, procs: int = 1, **options):
    """A Whoosh writer that writes segments as every segment of ours is written.

    compound=False: Whoosh reads a compound segment by copying each part into memory
    (BytesIO over the mmap), so a searcher would hold the whole index in RAM.
    """
    from .codec import ArrayBlockCodec

    if procs > 1:
        from .parallel import ParallelWriter

        return ParallelWriter(ix, procs=procs, compound=False, codec=ArrayBlockCodec(), **options)
    return ix.writer(compound=False, codec=ArrayBlockCodec(), **options)


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


def _expanded_terms(q, reader) -> set[tuple[str, bytes]]:
    """The (field, term) pairs of a query that occur in the index, expansions included.

    Not Query.existing_terms(): in Whoosh 2.7 its loop variable shadows the
    field argument, so after the first leaf it skips every other field's terms.
    """
    found: set[tuple[str, bytes]] = set()
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname not in reader.schema:
                continue
            try:
                btext = reader.schema[fieldname].to_bytes(text)
            except ValueError:
                continue
            if (fieldname, btext) in reader:
                found.add((fieldname, btext))
    return found


def _phrase_runs(per_word: list[dict[int, tuple[int, int]]], slop: int = 1) -> list[tuple[int, int]]:
    """Where the words occur one after another (up to ``slop`` places apart), as character spans."""
    spans = []
    for start_pos, (start_char, end_char) in per_word[0].items():
        pos, last_char = start_pos, end_char
        for occ in per_word[1:]:
            nxt = next((p for p in range(pos + 1, pos + max(slop, 1) + 1) if p in occ), None)
            if nxt is None:
                break
            pos, last_char = nxt, occ[nxt][1]
        else:
            spans.append((start_char, last_char))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _clip(text: str, start: int, end: int) -> tuple[str, Callable[[int], int]]:
    """``text[start:end]`` widened to word boundaries, on one line, with ellipses; returns the
    clip and where a position in ``text`` falls in it. A run of white space (the blank line
    between two paragraphs) becomes one space, so a snippet reads as a sentence."""
    start = max(0, start)
    end = min(len(text), end)
    while start > 0 and not text[start - 1].isspace() and start > end - SNIPPET_CHARS - 20:
        start -= 1
    while end < len(text) and not text[end].isspace() and end < start + SNIPPET_CHARS + 20:
        end += 1
    prefix = "…" if start > 0 else ""
    out = [prefix]
    where = [0] * (end - start + 1)  # position in text (from start) -> position in the clip
    length = len(prefix)
    in_space = False
    for i in range(start, end):
        where[i - start] = length
        if text[i].isspace():
            if not in_space:
                out.append(" ")
                length += 1
            in_space = True
        else:
            out.append(text[i])
            length += 1
            in_space = False
    where[end - start] = length
    suffix = "…" if end < len(text) else ""
    return "".join(out) + suffix, lambda pos: where[min(max(pos - start, 0), end - start)]


def _page_finder(page_starts: list[int] | None, mapped) -> Callable[[int], int] | None:
    """For a paged document (PDF), the page (from 1) of a position in the stored text."""
    if not page_starts:
        return None
    return lambda pos: bisect_right(page_starts, mapped.source_span(pos, pos + 1)[0])


def make_snippets(
    text: str,
    spans: list[tuple[int, int]],
    count: int,
    fieldname: str,
    page_of: Callable[[int], int] | None = None,
) -> list[Snippet]:
    """Up to ``count`` windows of the text with the most hits, in reading order; with
    ``page_of``, each says the page of its first hit."""
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    i = 0
    while i < len(spans):
        a = spans[i][0]
        group = [spans[i]]
        j = i + 1
        while j < len(spans) and spans[j][1] - a <= SNIPPET_CHARS - 40:
            group.append(spans[j])
            j += 1
        windows.append((a, group[-1][1], group))
        i = j
    best = sorted(windows, key=lambda w: (-len(w[2]), w[0]))[:count]
    snippets = []
    for a, b, group in sorted(best, key=lambda w: w[0]):
        pad = max(0, (SNIPPET_CHARS - (b - a)) // 2)
        clip, place = _clip(text, a - pad, b + pad)
        page = page_of(group[0][0]) if page_of is not None else None
        snippets.append(Snippet(clip, [(place(s), place(e)) for s, e in group], fieldname, page))
    return snippets
