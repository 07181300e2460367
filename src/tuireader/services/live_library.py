"""The library folder watched while the reader is open, and where a reader was in a document that changed.

The watcher reports changed paths in batches; the caller brings the index in line (an incremental
update) and refreshes what it shows.  File-system events come from ``watchfiles`` (inotify,
FSEvents, ReadDirectoryChangesW).  Network and virtual file systems (NFS, SMB, sshfs, 9p ...) do
not report changes made elsewhere, so there the watcher polls, and says so.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Document

# File systems whose changes made by another machine (or the host) raise no local events.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "virtiofs",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "davfs",
        "fuse.davfs2",
        "vboxsf",
        "prl_fs",
        "fuse.vmhgfs-fuse",
    }
)
DEBOUNCE_MS = 300  # an editor's save is several events (write, rename, chmod): one batch
POLL_DELAY_MS = 700  # polling a network folder: within the 2 s a user waits for a saved file


@dataclass
class LibraryChanges:
    added: set[Path] = field(default_factory=set)
    modified: set[Path] = field(default_factory=set)
    deleted: set[Path] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted)


def file_system_type(path: Path, mounts: str = "/proc/self/mounts") -> str | None:
    """The type of the file system ``path`` is on ("ext4", "nfs4" ...), or None where that is not known."""
    try:
        lines = Path(mounts).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None  # not Linux: the watcher trusts the platform's events
    target = os.path.realpath(path)
    best, best_type = "", None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def needs_polling(path: Path, mounts: str = "/proc/self/mounts") -> bool:
    kind = file_system_type(path, mounts)
    return kind is not None and (kind in NETWORK_FILE_SYSTEMS or kind.startswith("nfs"))


def _ignored(path: str) -> bool:
    """Hidden files and folders and editors' scratch files are not documents."""
    name = os.path.basename(path)
    return (
        any(part.startswith(".") for part in Path(path).parts)
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".part", ".crdownload"))
        or name.startswith(("#", ".#", "~$"))
    )


class LibraryWatcher:
    """Watches one library folder on the calling thread until ``stop()``; changes go to ``on_change``."""

    def __init__(self, root: Path, *, polling: bool | None = None) -> None:
        self.root = Path(root)
        self.polling = needs_polling(self.root) if polling is None else polling
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self, on_change: Callable[[LibraryChanges], None]) -> None:
        """Block, calling ``on_change`` with each batch of changes, until stopped.

        Polls where the file system reports no changes, or where the platform's watch cannot be
        set up (inotify's watch limit).
        """
        if not self.polling:
            try:
                self._watch(on_change)
                return
            except OSError:
                if self._stop.is_set():
                    return
                self.polling = True
        self._poll(on_change)

    def _watch(self, on_change: Callable[[LibraryChanges], None]) -> None:
        from watchfiles import Change, watch

        for batch in watch(
            self.root,
            watch_filter=lambda _change, path: not _ignored(os.path.relpath(path, self.root)),
            debounce=DEBOUNCE_MS,
            step=50,
            stop_event=self._stop,
            rust_timeout=1000,  # wake now and then to see the stop event
            yield_on_timeout=False,
            raise_interrupt=False,
        ):
            changes = LibraryChanges()
            for change, name in batch:
                path = Path(name)
                if change == Change.added:
                    changes.added.add(path)
                elif change == Change.modified:
                    changes.modified.add(path)
                else:
                    changes.deleted.add(path)
            # a file saved by rename is deleted and added in one batch: it was modified
            for path in changes.added & changes.deleted:
                changes.added.discard(path)
                changes.deleted.discard(path)
                changes.modified.add(path)
            if changes and not self._stop.is_set():
                on_change(changes)

    def _poll(self, on_change: Callable[[LibraryChanges], None]) -> None:
        """Compare the folder's files (modification time in nanoseconds, and size) every
        POLL_DELAY_MS.  Our own, not watchfiles' poller: that one compares whole seconds, so a
        file saved twice within a second looked unchanged the second time."""
        seen = self._snapshot()
        while not self._stop.wait(POLL_DELAY_MS / 1000):
            now = self._snapshot()
            changes = LibraryChanges(
                added={p for p in now.keys() - seen.keys()},
                modified={p for p in now.keys() & seen.keys() if now[p] != seen[p]},
                deleted={p for p in seen.keys() - now.keys()},
            )
            seen = now
            if changes and not self._stop.is_set():
                on_change(changes)

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        files: dict[Path, tuple[int, int]] = {}
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                path = os.path.join(folder, name)
                if _ignored(os.path.relpath(path, self.root)):
                    continue
                try:
                    info = os.stat(path)
                except OSError:
                    continue  # gone between the listing and the look
                files[Path(path)] = (info.st_mtime_ns, info.st_size)
        return files


def same_place(old: Document, offset: int, new: Document) -> int:
    """Where the text that was at source ``offset`` in ``old`` is in ``new`` (an edited version of it).

    The text from that place on (a few dozen characters) is looked for in the new document, the
    occurrence nearest the old offset winning; a passage that is gone leaves the reader at the same
    offset, clamped to the new text.
    """
    probe = _text_at(old, offset)
    if probe:
        best: int | None = None
        for block in new.blocks:
            text = block.content.text
            start = text.find(probe)
            while start != -1:
                at = block.content.to_source(start)
                if best is None or abs(at - offset) < abs(best - offset):
                    best = at
                start = text.find(probe, start + 1)
        if best is not None:
            return best
    end = max((b.content.to_source(len(b.content.text) - 1) for b in new.blocks if b.content.text), default=0)
    return min(offset, end)


PROBE_CHARS = 48


def _text_at(doc: Document, offset: int) -> str:
    for block in doc.blocks:
        at = block.content.text_position(offset)
        if at is None:
            continue
        text = block.content.text
        probe = text[at : at + PROBE_CHARS]
        if len(probe) < 16:  # near the end of a block: the block's last words are still telling
            probe = text[max(0, len(text) - PROBE_CHARS) :]
        return probe.strip()
    return ""
