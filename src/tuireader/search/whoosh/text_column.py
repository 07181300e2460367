"""The body and notes texts kept apart from a document's stored fields, readable in slices.

Whoosh keeps a document's stored fields as one compressed pickle: showing a
hit's snippets read and unpickled the whole text of the document (a 50 MB
report: ~150 MB for every search that found it, and for every look-up of its
stored entities).  Here each text is a column value of its field, cut into
chunks of CHUNK_CHARS characters compressed one by one, after a table of where
each chunk ends; :class:`SlicedText` reads only the chunks a slice needs.

A value is ``MAGIC``, the chunk size and the text's length (characters), the
chunk count, the end of each compressed chunk (bytes after the table), then
the chunks.  Merging segments copies values as they are (Whoosh's
``add_reader``).  An index written before this module stored the texts in the
stored fields, and its segments have no such column: :func:`text_of` reads
those as they were.
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterator

from whoosh import columns, fields

from .attached import attached

MAGIC = b"TXC1"
CHUNK_CHARS = 1 << 14  # zlib looks back 32 KB at most: bigger chunks would compress hardly better
_HEAD = struct.Struct("<4sIQI")  # magic, characters a chunk, characters in all, chunks
_CACHED_CHUNKS = 4  # snippets of one hit are near each other: decoded chunks kept per text
_LEVEL = 3


def encode(text: str, chunk_chars: int = CHUNK_CHARS) -> bytes:
    """A text as a column value, compressed chunk by chunk (about a third of its UTF-8 size
    for prose; the whole text is never encoded at once)."""
    count = (len(text) + chunk_chars - 1) // chunk_chars
    chunks = [
        zlib.compress(text[i : i + chunk_chars].encode("utf-8"), _LEVEL) for i in range(0, len(text), chunk_chars)
    ]
    ends, end = [], 0
    for chunk in chunks:
        end += len(chunk)
        ends.append(end)
    return b"".join([_HEAD.pack(MAGIC, chunk_chars, len(text), count), struct.pack(f"<{count}Q", *ends), *chunks])


class TextColumn(columns.VarBytesColumn):
    """Whoosh's variable-bytes column whose reader also opens a value as a :class:`SlicedText`."""

    class Reader(columns.VarBytesColumn.Reader):
        def sliced(self, docnum: int) -> SlicedText:
            length = self._lengths[docnum]
            return SlicedText(self._dbfile, self._basepos + self._offsets[docnum] if length else 0, length)

    def reader(self, dbfile, basepos, length, doccount):
        return self.Reader(dbfile, basepos, length, doccount)


class ColumnText(fields.TEXT):
    """A TEXT field whose text is kept in its :class:`TextColumn`, not in the stored fields."""

    def __init__(self, **kwargs) -> None:
        super().__init__(stored=False, sortable=TextColumn(), **kwargs)

    def to_column_value(self, value):
        return encode(value if isinstance(value, str) else "")

    def from_column_value(self, value):
        return value  # raw: read through text_of

    def sortable_terms(self, ixreader, fieldname):  # not a field to sort by
        return iter(())


class SlicedText:
    """A stored text read by slices: ``len(t)``, ``t[a:b]`` and ``str(t)`` (all of it)."""

    def __init__(self, dbfile, pos: int, length: int) -> None:
        self._file, self._pos = dbfile, pos
        self._chunks: OrderedDict[int, str] = OrderedDict()
        self._ends: tuple[int, ...]
        if not length:
            self._size, self._chars, self._ends, self._data = CHUNK_CHARS, 0, (), pos
            return
        magic, size, chars, count = _HEAD.unpack(dbfile.get(pos, _HEAD.size))
        if magic != MAGIC or size <= 0:
            raise ValueError("not a text column value")
        table = pos + _HEAD.size
        self._size, self._chars = size, chars
        self._ends = (0, *struct.unpack(f"<{count}Q", dbfile.get(table, 8 * count)))
        self._data = table + 8 * count

    def __len__(self) -> int:
        return self._chars

    def _chunk(self, n: int) -> str:
        found = self._chunks.get(n)
        if found is None:
            start, end = self._ends[n], self._ends[n + 1]
            found = zlib.decompress(self._file.get(self._data + start, end - start)).decode("utf-8")
            self._chunks[n] = found
            if len(self._chunks) > _CACHED_CHUNKS:
                self._chunks.popitem(last=False)
        else:
            self._chunks.move_to_end(n)
        return found

    def __getitem__(self, key: slice | int) -> str:
        if isinstance(key, int):
            if key < 0:
                key += self._chars
            if not 0 <= key < self._chars:
                raise IndexError("text index out of range")
            return self._chunk(key // self._size)[key % self._size]
        start, stop, step = key.indices(self._chars)
        if step != 1:
            raise ValueError("only contiguous slices")
        if stop <= start:
            return ""
        size = self._size
        first, last = start // size, (stop - 1) // size
        if first == last:
            return self._chunk(first)[start - first * size : stop - first * size]
        parts = [self._chunk(first)[start - first * size :]]
        parts += [self._chunk(n) for n in range(first + 1, last)]
        parts.append(self._chunk(last)[: stop - last * size])
        return "".join(parts)

    def pieces(self) -> Iterator[str]:
        """The text, one chunk at a time."""
        for n in range(len(self._ends) - 1):
            yield self._chunk(n)

    def __str__(self) -> str:
        return "".join(self.pieces())


def text_of(reader, docnum: int, fieldname: str, stored: dict) -> SlicedText | str:
    """The text of ``fieldname`` of document ``docnum`` (``reader``: a searcher's reader, any
    segments; ``stored``: the document's stored fields, where an older index kept it)."""
    for leaf, base in reader.leaf_readers():
        if base <= docnum < base + leaf.doc_count_all():
            perdoc = getattr(leaf, "_perdoc", None)
            if perdoc is None or not perdoc.has_column(fieldname):
                break
            readers: dict[str, TextColumn.Reader] = attached(perdoc, "_tuireader_text_columns", dict)
            column = readers.get(fieldname)
            if column is None:
                column = readers[fieldname] = perdoc.column_reader(fieldname, TextColumn())
            text = column.sliced(docnum - base)
            if len(text) or fieldname not in stored:
                return text
            break
    return stored.get(fieldname, "")
