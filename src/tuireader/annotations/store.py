"""Annotations kept in one SQLite database in the user data folder.

Why SQLite (stdlib ``sqlite3``) and not a JSON file per document: every change is its
own atomic transaction, and with write-ahead logging two readers running at once
each add and edit rows without rewriting the other's (a JSON file would need the
read-merge-write dance of state/store.py for every note).  A crash mid-write loses
at most that one transaction.  A database that cannot be read is moved aside
(``annotations.sqlite.damaged``) with a message, and a fresh one is used.

An orphaned annotation keeps the hash of the file it was last anchored in (its offsets are
in that file); the ``placed_in`` table says which file version each document's annotations
were last all tried in, so a library listing reads a document with an orphan once per
change of its file, not on every listing.

Notes and tags are searched by a plain scan of this table: a user writes hundreds or
thousands of notes, not millions, and a scan needs no second index to keep in step.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .model import Annotation, TextQuote

SCHEMA_VERSION = 1
BUSY_MS = 10_000  # how long a write waits for another process's transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS annotations (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    exact TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    colour TEXT NOT NULL,
    note TEXT NOT NULL,
    tags TEXT NOT NULL,
    status TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    doc_title TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS annotations_doc ON annotations (doc_id, start);
CREATE TABLE IF NOT EXISTS placed_in (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL
);
"""
_COLUMNS = (
    "id",
    "doc_id",
    "kind",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "content_hash",
    "colour",
    "note",
    "tags",
    "status",
    "created",
    "modified",
    "doc_title",
)


class StoreError(Exception):
    """The annotation store cannot be used (one line for the user)."""


class ReadOnlyStore(StoreError):
    """A write to a store opened read-only (a shared store a browser session may read, not change)."""


class AnnotationStore:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        # Read-only: opened with SQLite's mode=ro, never created, never set aside, never written.
        self.read_only = read_only
        self.messages: list[str] = []
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    # ------------------------------------------------------------ opening
    @property
    def conn(self) -> sqlite3.Connection:
        """Opened on first use: reading a document must not create the user data folder."""
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            return self._conn

    def _open(self) -> sqlite3.Connection:
        if self.read_only:
            return self._connect_read_only()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            self._set_aside(str(exc))
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {check[0] if check else 'no answer'}")
            conn.executescript(_SCHEMA)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path.name} was written by a newer tuireader (schema {version}); it was not changed"
                )
            columns = {row[1] for row in conn.execute("PRAGMA table_info(annotations)")}
            if not set(_COLUMNS) <= columns:
                raise sqlite3.DatabaseError("the annotations table lacks columns")
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        if not self.path.exists():
            # An empty database in memory: nothing to read, and nothing is created on disk.
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.executescript(_SCHEMA)
            return conn
        try:
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=BUSY_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            columns = {row[1] for row in conn.execute("PRAGMA table_info(annotations)")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path.name} cannot be read ({exc})") from None
        if not set(_COLUMNS) <= columns:
            conn.close()
            raise StoreError(f"{self.path.name} cannot be read (the annotations table lacks columns)")
        return conn

    def _set_aside(self, why: str) -> None:
        backup = self.path.with_name(self.path.name + ".damaged")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                try:
                    os.replace(source, Path(str(backup) + suffix))
                except OSError as exc:
                    raise StoreError(f"{self.path} cannot be read ({why}) nor moved aside ({exc})") from None
        self.messages.append(
            f"the annotations store could not be read ({why}); it was kept as {backup.name} and a new one started"
        )

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: BEGIN IMMEDIATE takes the write lock first, so two processes queue."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.path.name} is read-only here: nothing was changed")
        conn = self.conn
        with self._lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ------------------------------------------------------------ writing
    def add(self, annotation: Annotation) -> Annotation:
        self.add_all([annotation])
        return annotation

    def add_all(self, annotations: Iterable[Annotation]) -> int:
        """Insert or replace them all in one transaction (an import is all or nothing)."""
        rows = [_row(a) for a in annotations]
        with self.transaction() as conn:
            conn.executemany(
                f"INSERT OR REPLACE INTO annotations ({', '.join(_quoted(c) for c in _COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
            # a new annotation (an imported quote to place) has not been tried in its file yet
            conn.executemany("DELETE FROM placed_in WHERE doc_id = ?", [(d,) for d in {r[1] for r in rows}])
        return len(rows)

    def mark_placed(self, doc_id: str, content_hash: str) -> None:
        """Every annotation of ``doc_id`` was placed (or found orphaned) in the file with this hash."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO placed_in (doc_id, content_hash) VALUES (?, ?)", (doc_id, content_hash)
            )

    def placed_hash(self, doc_id: str) -> str:
        """The file hash ``doc_id``'s annotations were last all placed in ("" if never, or added to since)."""
        row = self.conn.execute("SELECT content_hash FROM placed_in WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def update(self, annotation: Annotation) -> None:
        with self.transaction() as conn:
            sets = ", ".join(f"{_quoted(c)} = ?" for c in _COLUMNS[1:])
            conn.execute(f"UPDATE annotations SET {sets} WHERE id = ?", [*_row(annotation)[1:], annotation.id])

    def delete(self, annotation_id: str) -> bool:
        with self.transaction() as conn:
            return conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,)).rowcount > 0

    # ------------------------------------------------------------ reading
    def get(self, annotation_id: str) -> Annotation | None:
        row = self.conn.execute(_select("WHERE id = ?"), (annotation_id,)).fetchone()
        return _annotation(row) if row else None

    def for_document(self, doc_id: str) -> list[Annotation]:
        rows = self.conn.execute(_select("WHERE doc_id = ? ORDER BY start, created"), (doc_id,))
        return [_annotation(r) for r in rows]

    def all(self) -> list[Annotation]:
        rows = self.conn.execute(_select("ORDER BY doc_id, start, created"))
        return [_annotation(r) for r in rows]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]


def _quoted(column: str) -> str:
    return f'"{column}"'


def _select(where: str) -> str:
    return f"SELECT {', '.join(_quoted(c) for c in _COLUMNS)} FROM annotations {where}"


def _row(a: Annotation) -> tuple:
    return (
        a.id,
        a.doc_id,
        a.kind,
        a.start,
        a.end,
        a.quote.exact,
        a.quote.prefix,
        a.quote.suffix,
        a.content_hash,
        a.colour,
        a.note,
        json.dumps(list(a.tags), ensure_ascii=False),
        a.status,
        a.created,
        a.modified,
        a.doc_title,
    )


def _annotation(row: tuple) -> Annotation:
    values = dict(zip(_COLUMNS, row, strict=True))
    try:
        tags = tuple(str(t) for t in json.loads(values["tags"]))
    except (ValueError, TypeError):
        tags = ()
    return Annotation(
        doc_id=values["doc_id"],
        start=int(values["start"]),
        end=int(values["end"]),
        quote=TextQuote(values["exact"], values["prefix"], values["suffix"]),
        content_hash=values["content_hash"],
        kind=values["kind"],
        colour=values["colour"],
        note=values["note"],
        tags=tags,
        id=values["id"],
        created=values["created"],
        modified=values["modified"],
        status=values["status"],
        doc_title=values["doc_title"],
    )
