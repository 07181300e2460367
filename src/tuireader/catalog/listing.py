"""The catalog as the reader lists it, cached beside the index for a quick start.

The manifest (JSON, with every file's hash and entity summary) is the record; reading it
and making an entry per document took ~0.45 CPU-s at 10,000 documents, ~4.5 s at 100,000.
This cache holds the same entries as plain tuples in ``marshal`` form (what Python's own
``.pyc`` files use: loads in C, ~60 ms for 100,000 rows) and says which version of the
manifest and journal it was made from (inode, size and mtime of each, as ``read`` checks);
any other version, a damaged file or another layout and it is simply made again from the
manifest.  A CRC over the rows catches a file damaged on disk.
"""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path
from typing import Any

from ..core.formats import format_for_name
from ..core.library import LibraryDocument
from ..core.visible import visible_name

CACHE = "catalog.cache"
LAYOUT = 1  # of the rows below: another one is made again
Identity = tuple[Any, ...]


def _row(doc: LibraryDocument) -> tuple[Any, ...]:
    return (
        doc.id,
        doc.location,
        doc.format,
        doc.title,
        doc.date,
        doc.date_end,
        doc.authors,
        doc.source,
        doc.url,
        doc.footnotes,
        doc.error,
        doc.entities,
        doc.tags,
    )


def entry(doc_id: str, path: str, error: str | None, meta: dict[str, Any] | None) -> LibraryDocument:
    """A manifest row's catalog entry."""
    meta = meta or {}
    fmt = format_for_name(path)
    return LibraryDocument(
        doc_id,
        path,
        fmt.name if fmt else "text",
        # a parsed title is already made visible; a file name (of a file that failed) is not
        meta.get("title") or visible_name(Path(path).stem),
        meta.get("date"),
        meta.get("date_end"),
        tuple(meta.get("authors") or ()),
        meta.get("source"),
        meta.get("url"),
        int(meta.get("footnotes") or 0),
        error,
        meta.get("entities"),
        tuple(str(t) for t in meta.get("tags") or ()),
    )


def load_blob(path: Path, identity: Identity) -> Any:
    """What ``save_blob`` kept in ``path`` for this identity, or None (another identity, damaged, absent)."""
    try:
        layout, made_from, crc, payload = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if layout != LAYOUT or tuple(made_from) != identity or not isinstance(payload, bytes):
        return None
    if zlib.crc32(payload) != crc:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def save_blob(path: Path, identity: Identity, data: Any) -> None:
    """Keep ``data`` (tuples, lists, strings, numbers) for the next start; a folder that
    cannot be written only costs that."""
    payload = marshal.dumps(data)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps((LAYOUT, list(identity), zlib.crc32(payload), payload)))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


Stats = dict[str, tuple[int, int]]  # doc id -> (size, mtime_ns) as indexed


def load(path: Path, identity: Identity) -> tuple[dict[str, LibraryDocument], Stats] | None:
    """The cached catalog and file states if made from this version of the manifest, else None."""
    data = load_blob(path, identity)
    if data is None:
        return None
    try:
        rows, stats = data
        catalog = {row[0]: LibraryDocument(*row) for row in rows}
        return catalog, {doc_id: (size, mtime) for doc_id, size, mtime in stats}
    except (TypeError, ValueError):
        return None


def save(path: Path, identity: Identity, catalog: dict[str, LibraryDocument], stats: Stats) -> None:
    save_blob(path, identity, ([_row(doc) for doc in catalog.values()], [(k, *v) for k, v in stats.items()]))
