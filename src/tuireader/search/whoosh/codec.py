"""Whoosh 2.7's codec, with posting blocks that decode without a Python loop.

Whoosh stores a block of up to 128 postings as one compressed pickle of three
tuples: document-number deltas, weights and values.  Reading a block's
document numbers decompresses its values too (for title, body and notes the
bulk: every occurrence's position and characters), builds ~400 Python
objects and re-adds the deltas in a Python generator; for a word in every
document that was most of a query's time.  :class:`ArrayBlockCodec` writes
the same tuple shape, uncompressed, whose parts are compressed separately
(those under SMALL_PART bytes are not): the deltas and weights as arrays,
the values joined with an array of their lengths.  A query reading document
numbers and weights never decompresses the values, and nothing is unpickled
per posting.  Block headers, skipping,
term statistics, segments and merging are Whoosh's own; a segment remembers
its codec, so an index written by plain Whoosh still reads.

Field lengths are read from memory (:func:`length_bytes`): writing a segment
asks the length of every posting's field, for the block headers, and Whoosh
answered each with a seek and a one-byte read.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from itertools import accumulate

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3PerDocReader, W3PostingsWriter
from whoosh.columns import NumericColumn
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length

from .attached import attached

_BIG_ENDIAN = sys.byteorder == "big"


# A part's first byte says how the rest is stored.
_RAW, _ZLIB = b"\x00", b"\x01"
# Below this a part is stored as it is: most words are in a few documents, and for their
# blocks zlib's header and checksum made the parts bigger (611 KB became 1.07 MB over 600
# articles) for a third of the compression time.
SMALL_PART = 64


def _pack_part(data: bytes, level: int) -> bytes:
    if level and len(data) >= SMALL_PART:
        compressed = zlib.compress(data, level)
        if len(compressed) < len(data):
            return _ZLIB + compressed
    return _RAW + data


def _unpack_part(part: bytes) -> bytes:
    return zlib.decompress(memoryview(part)[1:]) if part[:1] == _ZLIB else part[1:]


def _to_bytes(typecode: str, numbers, level: int) -> bytes:
    packed = array(typecode, numbers)
    if _BIG_ENDIAN:  # stored little-endian, so an index can move between machines
        packed.byteswap()
    return _pack_part(packed.tobytes(), level)


def _from_bytes(typecode: str, part: bytes) -> array:
    numbers = array(typecode)
    numbers.frombytes(_unpack_part(part))
    if _BIG_ENDIAN:
        numbers.byteswap()
    return numbers


# What Whoosh's doc_field_length returns for each length byte (0: no length, None).
LENGTH_OF_BYTE = (None, *(byte_to_length(b) for b in range(1, 256)))


def length_bytes(perdoc, fieldname: str) -> bytes | None:
    """One byte per document of a segment: Whoosh's encoded length of the field, read once.

    ``perdoc`` is the segment's per-document reader (any W3 one); None when
    the field has no lengths.
    """
    cache: dict[str, bytes | None] = attached(perdoc, "_tuireader_length_bytes", dict)
    if fieldname not in cache:
        count = perdoc.doc_count_all()
        column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        found = column_bytes(column) if column is not None else None
        # the column stops at the last document with a non-zero length
        cache[fieldname] = None if found is None else found[:count] + bytes(max(0, count - len(found)))
    return cache[fieldname]


def column_bytes(column) -> bytes:
    """The length bytes as stored; Whoosh's load() reads them one seek and unpack per document
    (~25 ms a field of a 5,000-document segment)."""
    if (
        isinstance(column, NumericColumn.Reader)
        and column._typecode == "B"
        and all(hasattr(column, a) for a in ("_dbfile", "_basepos", "_count"))
    ):
        return bytes(column._dbfile.get(column._basepos, column._count))
    return bytes(column.load())


class _PerDocReader(W3PerDocReader):
    def pin_columns(self, names: list[str]) -> None:
        """Open every column file of the segment now (``names``: the index folder's files).

        Whoosh opens a column on first use and asks first whether its file
        exists: once another process's commit had merged the segment away, the
        stored fields came back None ("'NoneType' object is not subscriptable")
        and field lengths silently missing.  An open file outlives its unlinking.
        """
        prefix = self._segment.make_filename(".")
        ext = W3Codec.COLUMN_EXT
        for name in names:
            if name.startswith(prefix) and name.endswith(ext):
                column = name[len(prefix) : -len(ext)]
                if column not in self._colfiles:
                    self._colfiles[column] = self._get_column_file(column)
        if self._doccount and "_stored" not in self._colfiles:
            raise FileNotFoundError(f"segment {self._segment.segment_id()} has no stored fields (merged away?)")

    def has_column(self, fieldname):
        return fieldname in self._colfiles or super().has_column(fieldname)

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:  # as Whoosh's
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        lengths = length_bytes(self, fieldname)
        if lengths is None:
            return default
        return LENGTH_OF_BYTE[lengths[docnum]] if docnum < len(lengths) else None


class ArrayBlockCodec(W3Codec):
    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors keep Whoosh's format: its vector reader is not codec-aware
            return super().postings_writer(dbfile, byteids=True)
        # The block as a whole uncompressed (its header says so); its parts compressed on their own.
        writer = _ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=0, inlinelimit=self._inlinelimit)
        writer.part_compression = self._compression
        return writer

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():  # a word in one document: kept in the term dictionary, as Whoosh does
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class _ArrayPostingsWriter(W3PostingsWriter):
    part_compression = 3

    def _mini_ids(self):
        ids = self._ids
        return _to_bytes("I", [b - a for a, b in zip([0, *ids[:-1]], ids, strict=True)], self.part_compression)

    def _mini_weights(self):
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            return None if first == 1.0 else first  # as Whoosh: none, or one for all
        return _to_bytes("d", weights, self.part_compression)

    def _mini_values(self):
        fixedsize = self._format.fixed_value_size()
        if fixedsize is not None and fixedsize >= 0:
            return super()._mini_values()
        values = self._values
        joined = b"".join(values)
        level = self.part_compression
        return _to_bytes("I", [len(v) for v in values], level), _pack_part(joined, level)


class ArrayLeafMatcher(W3LeafMatcher):
    """Whoosh's block reader for blocks written by :class:`ArrayBlockCodec`."""

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(_from_bytes("I", self._data[0])))

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if weights is None or isinstance(weights, (int, float)):
            self._weights = array("d", [1.0 if weights is None else weights]) * self._blocklength
        else:
            self._weights = _from_bytes("d", weights)

    def _read_values(self):
        if self._data is None:
            self._read_data()
        fixedsize = self._fixedsize
        if fixedsize is not None and fixedsize >= 0:
            super()._read_values()
            return
        lengths, joined = self._data[2]
        joined = _unpack_part(joined)
        ends = list(accumulate(_from_bytes("I", lengths)))
        self._values = tuple(map(joined.__getitem__, map(slice, [0, *ends[:-1]], ends)))
