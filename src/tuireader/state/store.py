"""Reading positions and the last open document, kept in one JSON file.

Writes are atomic (a temporary file, fsync, then rename), so a process killed
mid-write leaves the previous state intact.  A missing or damaged file means
an empty state and a message, never a crash; the damaged file is kept aside.

Two readers may run at once (two terminals, two documents): a save reads the file
again under a lock and writes back only what this process changed since it last
read or wrote it, so neither overwrites the other's reading positions.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1
MAX_POSITIONS = 5000


@dataclass(slots=True)
class ReaderState:
    last_doc: str | None = None
    # doc id -> source offset of the first line in view
    positions: dict[str, int] = field(default_factory=dict)
    library_sort: str = "date"
    # The theme picked in the reader, and what settings.yaml said then: a theme set
    # in settings.yaml after that choice wins over it.
    theme: str | None = None
    theme_setting: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "last_doc": self.last_doc,
            "positions": self.positions,
            "library_sort": self.library_sort,
            "theme": self.theme,
            "theme_setting": self.theme_setting,
        }


class StateStore:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only  # positions are remembered in memory and never written
        self.messages: list[str] = []
        self._lock = threading.Lock()
        self.state = self._load()
        self._saved = copy.deepcopy(self.state)  # as last read or written: what we changed is the difference

    def _load(self, *, quiet: bool = False) -> ReaderState:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return ReaderState()
        except (OSError, ValueError) as exc:
            if not quiet:
                self._set_aside(f"could not read {self.path.name} ({exc.__class__.__name__})")
            return ReaderState()
        if not isinstance(data, dict):
            if not quiet:
                self._set_aside(f"{self.path.name} is not a state file")
            return ReaderState()
        positions = data.get("positions") or {}
        return ReaderState(
            last_doc=data.get("last_doc") if isinstance(data.get("last_doc"), str) else None,
            positions={str(k): int(v) for k, v in positions.items() if isinstance(v, int)}
            if isinstance(positions, dict)
            else {},
            library_sort="title" if data.get("library_sort") == "title" else "date",
            theme=_text_or_none(data.get("theme")),
            theme_setting=_text_or_none(data.get("theme_setting")),
        )

    def _set_aside(self, why: str) -> None:
        backup = self.path.with_name(self.path.name + ".damaged")
        try:
            os.replace(self.path, backup)
            self.messages.append(f"{why}; started afresh (the old file is {backup.name})")
        except OSError:
            self.messages.append(f"{why}; started afresh")

    def remember_position(self, doc_id: str, offset: int) -> None:
        with self._lock:
            self.state.positions.pop(doc_id, None)
            self.state.positions[doc_id] = max(0, int(offset))
            while len(self.state.positions) > MAX_POSITIONS:  # forget the oldest
                self.state.positions.pop(next(iter(self.state.positions)))

    def position(self, doc_id: str) -> int | None:
        return self.state.positions.get(doc_id)

    def save(self) -> None:
        """Merge this process's changes into the file, atomically.  Raises OSError if it cannot be written."""
        if self.read_only:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._file_lock():
            # Taken under the file lock: of two saves in this process (a thread's and the one at
            # quitting), the later must write the newer state, not a copy taken before the other ran.
            with self._lock:
                mine = copy.deepcopy(self.state)
            merged = _merged(self._load(quiet=True), mine, self._saved)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(merged.to_json(), fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        with self._lock:
            # Another reader's positions become ours; a change made while saving is kept for the next save.
            for doc_id, offset in merged.positions.items():
                if self.state.positions.get(doc_id) == mine.positions.get(doc_id):
                    self.state.positions[doc_id] = offset
            self._saved = merged

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: last writer wins, as before
            yield
            return
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _merged(on_disk: ReaderState, mine: ReaderState, saved: ReaderState) -> ReaderState:
    """The file's state with what this process changed since ``saved`` laid over it."""
    merged = copy.deepcopy(on_disk)
    for doc_id, offset in mine.positions.items():
        if saved.positions.get(doc_id) != offset:
            merged.positions.pop(doc_id, None)  # most recent last: the oldest are forgotten first
            merged.positions[doc_id] = offset
    while len(merged.positions) > MAX_POSITIONS:
        merged.positions.pop(next(iter(merged.positions)))
    for name in ReaderState.__dataclass_fields__:
        if name != "positions" and getattr(mine, name) != getattr(saved, name):
            setattr(merged, name, getattr(mine, name))
    return merged


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
