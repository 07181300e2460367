"""Whoosh's segment writer with postings gathered per term instead of in a sorting pool.

Whoosh's writer turns every posting into a tuple (field, term, document, weight,
value) in a pool, sorts all of them at the end (spilling runs to temporary files
past ``limitmb``), and hands them one by one to the postings writer, which checks
and appends each to a block and asks the segment for the document's field length:
per posting ~10 Python calls, most of a writer process's time after analysis.
Here each field keeps a dict term -> (document numbers, weights, values) filled
in document order, so only the terms are sorted; a term's postings are cut into
blocks by slicing and written by the codec's own block writer.  The files are
byte for byte those Whoosh writes (a test compares them): the readers, Whoosh's
own searcher included, see no difference.

Whatever this does not handle (merging other segments into this one, spelling
words, term vectors) goes through Whoosh's pool and path unchanged.
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import emptybytes, pack_int
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .codec import LENGTH_OF_BYTE, _ArrayPostingsWriter, _pack_part, _to_bytes, length_bytes

# A term's postings while a segment is written: document numbers, weights, and the non-empty
# values end to end with their lengths (a bytes object each cost ~50 bytes more than its value:
# a worker's memory was ~12 times the text it indexed).
_Postings = tuple[array, array, bytearray, array]


class TermPostingsWriter(SegmentWriter):
    """``whoosh.writing.SegmentWriter`` gathering postings per term (see the module docstring)."""

    def __init__(self, ix, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._fields: dict[str, dict[bytes, _Postings]] = {}
        self._generic = any(f.separate_spelling() or f.vector for _, f in self.schema.items())

    def add_document(self, **fields: Any) -> None:
        if self._generic:
            super().add_document(**fields)
            return
        # Whoosh's add_document, with its pool.add replaced by the per-term lists.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    scorable = field.scorable
                    terms = self._fields.get(fieldname)
                    if terms is None:
                        terms = self._fields[fieldname] = {}
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        found = terms.get(tbytes)
                        if found is None:
                            found = terms[tbytes] = (array("I"), array("d"), bytearray(), array("I"))
                        found[0].append(docnum)
                        found[1].append(weight * fieldboost)
                        if vbytes:
                            found[2].extend(vbytes)
                            found[3].append(len(vbytes))
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        if self.pool.fieldnames or self.pool.runs or self.pool.current:
            # Other segments merged in (or Whoosh's own path used): their postings are in
            # the pool, in any document order; ours join them there and Whoosh sorts all.
            self._spill_into_pool()
            super()._flush_segment()
            return
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            fieldwriter = self.fieldwriter
            for fieldname in sorted(self._fields):
                terms = self._fields.pop(fieldname)
                if not terms:  # a field nothing was indexed in: Whoosh never starts it (nor numbers it)
                    continue
                lengths = length_bytes(pdr, fieldname) if pdr is not None else None
                field = self.schema[fieldname]
                fixed = field.format.fixed_value_size()
                fieldwriter.start_field(fieldname, field)
                for tbytes in sorted(terms):
                    _write_term(fieldwriter, tbytes, terms.pop(tbytes), lengths, fixed)
                fieldwriter.finish_field()
            fieldwriter.close()
        finally:
            if pdr is not None:
                pdr.close()

    def _spill_into_pool(self) -> None:
        add = self.pool.add
        for fieldname, terms in self._fields.items():
            for tbytes, postings in terms.items():
                values = _values(postings)
                for i, docnum in enumerate(postings[0]):
                    add((fieldname, tbytes, docnum, postings[1][i], values[i] if values else emptybytes))
        self._fields.clear()


def _write_term(fieldwriter, tbytes: bytes, postings: _Postings, lengths: bytes | None, fixed: int | None) -> None:
    """One term's postings as Whoosh's field writer would write them, added one by one."""
    docnums, weights, _, _ = postings
    fieldwriter.start_term(tbytes)
    writer = fieldwriter._postwriter
    if type(writer) is not _ArrayPostingsWriter or len(docnums) < writer._inlinelimit:
        values = _values(postings)
        for i, docnum in enumerate(docnums):  # what Whoosh's add_postings does for each
            fieldwriter.add(docnum, weights[i], values[i] if values else emptybytes, _length(lengths, docnum))
    else:
        _write_blocks(writer, postings, lengths, fixed)
    fieldwriter.finish_term()  # every block written: Whoosh records the extent and the term info


def _values(postings: _Postings) -> list[bytes]:
    """A term's values one by one ([] when it has none)."""
    docnums, _, joined, sizes = postings
    if sizes and len(sizes) != len(docnums):  # some values empty: which ones would be lost
        raise AssertionError("postings with and without values in one term")
    if not sizes:
        return []
    ends = list(accumulate(sizes))
    return [bytes(joined[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _write_blocks(writer, postings: _Postings, lengths: bytes | None, fixed) -> None:
    """The blocks ``_ArrayPostingsWriter`` writes for these postings (header, block info,
    block data: see W3PostingsWriter._write_block), with the term statistics its
    ``add_posting`` calls would gather, in one write."""
    docnums, weights, values, sizes = postings
    if sizes and len(sizes) != len(docnums):
        raise AssertionError("postings with and without values in one term")
    view, ends = memoryview(values), list(accumulate(sizes))
    limit, level, comp = writer._blocklimit, writer.part_compression, writer._compression
    terminfo = writer._terminfo
    count = len(docnums)
    out = [WHOOSH3_HEADER_MAGIC]
    blocks = 0
    for start in range(0, count, limit):
        ids = docnums[start : start + limit]
        exact = weights[start : start + limit]
        single = array("f", exact)  # the block writer keeps 32-bit weights, compares the exact ones
        n = len(ids)
        most_weight = max(0, max(exact))
        if lengths is None:
            least, most = None, 0
        else:  # length bytes order as the lengths do; 0 is "no length", which Whoosh skips
            found = bytes(map(lengths.__getitem__, ids))
            top = max(found)
            low = min(found) if top else 0
            if not low and top:
                low = min(b for b in found if b)
            least, most = LENGTH_OF_BYTE[low], LENGTH_OF_BYTE[top] or 0
        # as W3TermInfo.add_block
        terminfo._weight += sum(single)
        terminfo._df += n
        terminfo._minlength = least if terminfo._minlength is None else min(terminfo._minlength, least)
        terminfo._maxlength = max(terminfo._maxlength, most)
        terminfo._maxweight = max(terminfo._maxweight, most_weight)
        if terminfo._minid is None:
            terminfo._minid = ids[0]
        terminfo._maxid = ids[-1]
        # as _ArrayPostingsWriter's _mini_ids, _mini_weights, _mini_values
        mini_ids = _to_bytes("I", [ids[0], *(b - a for a, b in zip(ids, ids[1:], strict=False))], level)
        first = single[0]
        if single.count(first) == n:
            mini_weights = None if first == 1.0 else first
        else:
            mini_weights = _to_bytes("d", single, level)
        joined = bytes(view[ends[start - 1] if start else 0 : ends[start + n - 1]]) if sizes else b""
        if fixed is None or fixed < 0:
            mini_values: Any = (_to_bytes("I", sizes[start : start + n], level), _pack_part(joined, level))
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = joined
        data = dumps((mini_ids, mini_weights, mini_values), 2)
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((n, ids[-1], most_weight, comp, length_to_byte(least), length_to_byte(most)), 2)
        size = len(info) + len(data)
        out += [pack_int(-size if start + limit >= count else size), info, data]
        blocks += 1
    writer._postfile.write(b"".join(out))
    writer._blockcount = blocks


def _length(lengths: bytes | None, docnum: int) -> int | None:
    return 0 if lengths is None else LENGTH_OF_BYTE[lengths[docnum]]
