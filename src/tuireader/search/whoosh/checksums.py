"""Per-file checksums of a Whoosh index, written at each commit and checked when it is opened.

Whoosh notices little damage by itself: a truncated postings file fails only when a query
reads its end ("Block tag error"), garbage in the term, postings or column files is read
as data.  Each file of a committed state (segment files, the table of contents) is written
once under a name that is never reused, so what was recorded for a name holds until the
file is damaged.  Opening checks the cheap part everywhere (each file's size and mtime as
recorded) and reads a file whole (CRC-32) only where its stat has changed since: a damage
that rewrote bytes in place changes the mtime, a truncation the size.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from ...catalog.store import MANIFEST, MANIFEST_LOG, NeedsRebuild, write_json_atomic

SUMS = "checksums.json"
_NOT_INDEX_FILES = {SUMS, MANIFEST, MANIFEST_LOG, "MAIN_WRITELOCK"}

# (folder, name, size, mtime_ns) whose content this process has read and found as recorded
_verified: set[tuple[str, str, int, int]] = set()


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            crc = zlib.crc32(chunk, crc)
    return crc


def _index_files(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return [e for e in entries if e.is_file() and e.name not in _NOT_INDEX_FILES and not e.name.startswith(".")]


def _recorded(folder: Path) -> dict[str, list[int]] | None:
    """name -> [size, mtime_ns, crc32]; None for an index written before checksums were."""
    try:
        data = json.loads((folder / SUMS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise NeedsRebuild(f"the index checksums are unreadable ({exc.__class__.__name__})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(v, list) and len(v) == 3 and all(type(x) is int for x in v) for v in files.values()
    ):
        raise NeedsRebuild("the index checksums are malformed")
    return files


def record(folder: Path) -> None:
    """After a commit: the checksums of every file now in ``folder``; what was recorded
    before is kept for files whose stat has not changed (a one-document update reads only
    the files it wrote)."""
    try:
        before = _recorded(folder) or {}
    except NeedsRebuild:
        before = {}
    files: dict[str, Any] = {}
    for entry in _index_files(folder):
        st = entry.stat()
        old = before.get(entry.name)
        if old is not None and old[:2] == [st.st_size, st.st_mtime_ns]:
            files[entry.name] = old
        else:
            files[entry.name] = [st.st_size, st.st_mtime_ns, _crc(Path(entry.path))]
    write_json_atomic(folder / SUMS, {"files": files})


def verify(folder: Path) -> None:
    """Raise NeedsRebuild when a recorded file of ``folder`` is not what was committed.

    Files not recorded (a commit by another process since the record was read) or gone
    (deleted by a newer commit) are passed over: Whoosh's own checks and retries see to them.
    """
    recorded = _recorded(folder)
    if recorded is None:
        return
    for entry in _index_files(folder):
        want = recorded.get(entry.name)
        if want is None:
            continue
        try:
            st = entry.stat()
        except FileNotFoundError:
            continue
        size, mtime_ns, crc = want
        if st.st_size != size:
            raise NeedsRebuild(f"the index is damaged ({entry.name}: {st.st_size} bytes, {size} were written)")
        if st.st_mtime_ns == mtime_ns:
            continue
        key = (str(folder), entry.name, st.st_size, st.st_mtime_ns)
        if key in _verified:
            continue
        try:
            found = _crc(Path(entry.path))
        except FileNotFoundError:
            continue
        if found != crc:
            raise NeedsRebuild(f"the index is damaged ({entry.name}: its checksum differs from the one written)")
        _verified.add(key)
