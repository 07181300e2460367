"""The catalog's files: what was indexed from which file state, and the update lock.

Layout of ``index_dir``:
  <live>/            the live index of the search backend (``whoosh/``), with
                     ``manifest.json`` inside it (schema version + what was indexed
                     from which file state) and ``manifest.log``, a journal of changes since
  <live>.new/        a full rebuild in progress (swapped in when complete)
  update.lock        held (flock) by the one process updating the index

The manifest lives in the backend's folder so that it moves with the index when a build
is swapped in: it never claims more than the index holds, and a lagging manifest only
causes documents to be indexed again.  The update lock is an flock, released by the kernel
when a process dies.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.library import LibraryDocument
from . import listing

try:  # POSIX; on other systems a second updater is not kept out, but nothing else changes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
MANIFEST_LOG = "manifest.log"  # journal of changes since the manifest was written
JOURNAL_MAX_LINES = 200  # more changes than this at once: rewrite the manifest
JOURNAL_MIN_BYTES = 256 * 1024
LOCK = "update.lock"

# Errors that mean "no room to write", whatever the file system calls it.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class IndexError_(Exception):
    """The index cannot be used (its folder is not writable, …); the message says what to do."""


class IndexBusy(IndexError_):
    pass


class IndexDiskFull(IndexError_):
    """No space left for the index; what was committed before is kept and still searched."""


class NeedsRebuild(Exception):
    """The index on disk cannot be used as it is (damaged, another version): build it anew."""


# The update lock's descriptors this process holds.  A backend's writer processes are forked
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


@dataclass(slots=True)
class FileState:
    path: str
    size: int
    mtime_ns: int
    sha256: str
    error: str | None = None
    meta: dict[str, Any] | None = None  # the catalog entry: what the library list shows


def _state_from_row(row: Any) -> FileState:
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
    return FileState(path, size, mtime_ns, sha256, error, meta)


def _row(state: FileState) -> list[Any]:
    return [state.path, state.size, state.mtime_ns, state.sha256, state.error, state.meta]


def file_sha256(path: str) -> str:
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


def _last_byte(path: Path) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1)


class CatalogStore:
    """The manifest, its journal and the update lock of one index folder."""

    def __init__(self, index_dir: Path, library_root: Path, *, live: str, version: int) -> None:
        self.dir = index_dir
        self.live_dir = index_dir / live
        self.building_dir = index_dir / f"{live}.new"
        self.retired_dir = index_dir / f"{live}.old"
        self.library_root = library_root
        self.version = version  # the backend's schema version: another one means a rebuild
        self.messages: list[str] = []
        self._manifest_cache: tuple[tuple[Any, ...], dict[str, FileState], int] | None = None
        self.journal_damage = 0  # damaged journal lines in what read() last returned
        self._base_cache: tuple[tuple[Any, ...], dict[str, FileState]] | None = None  # without the journal
        self._manifest_lock = threading.Lock()
        self._catalog_cache: tuple[tuple[Any, ...], tuple[dict[str, LibraryDocument], listing.Stats]] | None = None

    @property
    def has_index(self) -> bool:
        """Whether a built index is there to search (whether or not it can be updated)."""
        return (self.live_dir / MANIFEST).is_file()

    # -- the folder and its lock ------------------------------------------
    def ensure_dir(self) -> None:
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
    def update_lock(self) -> Iterator[bool]:
        """Yields True when this process may update the index, False when another one is."""
        self.ensure_dir()
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

    def remove_leftovers(self, *, building: bool = True) -> None:
        """What a killed build left (a full copy of the index); call with the lock held.
        ``building=False``: keep the build being written (a full build can go on with it)."""
        for leftover in (self.building_dir, self.retired_dir) if building else (self.retired_dir,):
            shutil.rmtree(leftover, ignore_errors=True)

    def swap_in(self, building: Path) -> None:
        """Make a complete build the live index: two renames, so a crash leaves one or the other."""
        shutil.rmtree(self.retired_dir, ignore_errors=True)
        if self.live_dir.exists():
            os.replace(self.live_dir, self.retired_dir)
        os.replace(building, self.live_dir)
        shutil.rmtree(self.retired_dir, ignore_errors=True)

    # -- the manifest ------------------------------------------------------
    def read(self, folder: Path | None = None) -> dict[str, FileState]:
        """The manifest with its journal applied, parsed once per version of the files.

        It is consulted when a document opens and on every find-as-you-type
        keystroke; at 10,000 documents it is megabytes of JSON.  The manifest is
        only ever replaced whole (os.replace) and the journal only appended to,
        so inode, size and mtime identify a version of each.
        """
        folder = folder or self.live_dir
        path = folder / MANIFEST
        base_identity, log_identity = self._identity(folder)
        identity = (*base_identity, *log_identity)
        cached = self._manifest_cache
        if cached is None or cached[0] != identity:
            with self._manifest_lock:  # the reader's threads ask at once on start: parse it once
                cached = self._manifest_cache
                if cached is None or cached[0] != identity:
                    base = self._base_cache
                    if base is None or base[0] != base_identity:
                        base = self._base_cache = (base_identity, self._parse(path))
                    entries = dict(base[1])
                    damaged = self._apply_journal(folder / MANIFEST_LOG, entries) if log_identity else 0
                    cached = self._manifest_cache = (identity, entries, damaged)
        self.journal_damage = cached[2]
        return dict(cached[1])

    @staticmethod
    def _identity(folder: Path) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """(manifest, journal): which version of each is on disk, from their inode, size and mtime."""
        path = folder / MANIFEST
        try:
            st = path.stat()
        except FileNotFoundError:
            raise NeedsRebuild("the index has no manifest") from None
        except OSError as exc:
            raise NeedsRebuild(f"the index manifest is unreadable ({exc.__class__.__name__})") from None
        try:
            log_st = (folder / MANIFEST_LOG).stat()
            log_identity: tuple[Any, ...] = (log_st.st_ino, log_st.st_size, log_st.st_mtime_ns)
        except OSError:
            log_identity = ()
        return (str(path), st.st_ino, st.st_size, st.st_mtime_ns), log_identity

    def _parse(self, path: Path) -> dict[str, FileState]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NeedsRebuild("the index has no manifest") from None
        except (OSError, ValueError) as exc:
            raise NeedsRebuild(f"the index manifest is unreadable ({exc.__class__.__name__})") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries", {}), dict):
            raise NeedsRebuild("the index manifest is malformed")
        if data.get("schema_version") != self.version:
            raise NeedsRebuild(
                f"the index was built by another version (schema {data.get('schema_version')}, now {self.version})"
            )
        entries = {}
        try:
            for doc_id, row in data.get("entries", {}).items():
                entries[doc_id] = _state_from_row(row)
        except (TypeError, ValueError):
            raise NeedsRebuild("the index manifest is malformed") from None
        return entries

    @staticmethod
    def _apply_journal(path: Path, entries: dict[str, FileState]) -> int:
        """Apply the journal's lines, ``[id, row]`` or ``[id, null]`` for a removal; returns
        how many lines were damaged.

        A line that does not read back is skipped: its document keeps the state the manifest
        gives it, so it looks changed and is indexed again (or, removed since, is removed
        again), which is safe.  Only the last line can be cut short by a crash (lines are
        appended whole, and after a cut one the manifest is rewritten instead: see
        record_changes): that one is not counted as damage.
        """
        try:
            data = path.read_bytes()
        except OSError:
            return 0
        lines = data.split(b"\n")
        last_cut = not data.endswith(b"\n")
        if not last_cut:
            lines.pop()  # the empty piece after the final newline
        damaged = 0
        for n, line in enumerate(lines, 1):
            try:
                doc_id, row = json.loads(line)
                if not isinstance(doc_id, str):
                    raise ValueError("an id that is not a string")
                if row is None:
                    entries.pop(doc_id, None)
                else:
                    entries[doc_id] = _state_from_row(row)
            except (TypeError, ValueError):
                if not (last_cut and n == len(lines)):
                    damaged += 1
        return damaged

    def write(self, folder: Path, entries: dict[str, FileState]) -> None:
        write_json_atomic(
            folder / MANIFEST,
            {
                "schema_version": self.version,
                "library": str(self.library_root),
                # rows, not objects: this file is read on every start
                "entries": {k: _row(v) for k, v in sorted(entries.items())},
            },
        )
        # After the replace: a crash in between leaves a journal that repeats the manifest.
        try:
            os.unlink(folder / MANIFEST_LOG)
        except FileNotFoundError:
            pass

    def record_changes(self, folder: Path, before: dict[str, FileState], after: dict[str, FileState]) -> None:
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
        cut = log_size > 0 and _last_byte(log) != b"\n"  # a line cut short by a crash: start afresh
        if cut or len(changes) > JOURNAL_MAX_LINES or log_size > max(JOURNAL_MIN_BYTES, manifest_size // 4):
            self.write(folder, after)
            return
        text = "".join(json.dumps([k, row], ensure_ascii=False) + "\n" for k, row in changes)
        with open(log, "ab") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())

    # -- what callers ask ----------------------------------------------------
    def documents(self) -> dict[str, LibraryDocument]:
        """Metadata of every indexed document (empty before the first index).

        Made once per version of the manifest, and kept for the next start in
        ``catalog.cache`` (see ``listing.py``), so that a start reads no JSON.
        """
        found = self._catalog()
        return dict(found[0]) if found is not None else {}

    def indexed_stats(self) -> listing.Stats | None:
        """doc id -> (size, mtime_ns) of each file as indexed; None before the first index."""
        found = self._catalog()
        return found[1] if found is not None else None

    def _catalog(self) -> tuple[dict[str, LibraryDocument], listing.Stats] | None:
        try:
            base, log = self._identity(self.live_dir)
        except NeedsRebuild:
            return None
        identity = (*base, *log, self.version)
        kept = self._catalog_cache
        if kept is not None and kept[0] == identity:
            return kept[1]
        cache_file = self.dir / listing.CACHE
        found = listing.load(cache_file, identity)
        if found is None:
            try:
                manifest = self.read()
                made_from = self._manifest_cache
            except NeedsRebuild:
                return None
            catalog = {
                doc_id: listing.entry(doc_id, state.path, state.error, state.meta) for doc_id, state in manifest.items()
            }
            found = catalog, {doc_id: (state.size, state.mtime_ns) for doc_id, state in manifest.items()}
            if made_from is not None and (*made_from[0], self.version) == identity:
                listing.save(cache_file, identity, *found)  # only what this version says
        self._catalog_cache = (identity, found)
        return found

    def is_current(self, doc_id: str, path: Path) -> bool:
        """True when the index holds this document as the file now is (so its offsets fit)."""
        try:
            state = self.read().get(doc_id)
        except NeedsRebuild:
            return False
        if state is None or state.error or state.path != str(path):
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (state.size, state.mtime_ns)
