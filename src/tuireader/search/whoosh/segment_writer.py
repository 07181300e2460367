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

from array import array
from typing import Any

from whoosh.system import emptybytes
from whoosh.writing import SegmentWriter

from .codec import LENGTH_OF_BYTE, length_bytes

# A term's postings while a segment is written: document numbers, weights (as the block
# writer keeps them: 32-bit floats) and the non-empty values.
_Postings = tuple[array, array, list[bytes]]


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
                            found = terms[tbytes] = (array("I"), array("f"), [])
                        found[0].append(docnum)
                        found[1].append(weight * fieldboost)
                        if vbytes:
                            found[2].append(vbytes)
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
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                for tbytes in sorted(terms):
                    _write_term(fieldwriter, tbytes, terms.pop(tbytes), lengths)
                fieldwriter.finish_field()
            fieldwriter.close()
        finally:
            if pdr is not None:
                pdr.close()

    def _spill_into_pool(self) -> None:
        add = self.pool.add
        for fieldname, terms in self._fields.items():
            for tbytes, (docnums, weights, values) in terms.items():
                if len(values) not in (0, len(docnums)):  # some values empty: which ones is lost
                    raise AssertionError("postings with and without values in one term")
                for i, docnum in enumerate(docnums):
                    add((fieldname, tbytes, docnum, weights[i], values[i] if values else emptybytes))
        self._fields.clear()


def _write_term(fieldwriter, tbytes: bytes, postings: _Postings, lengths: bytes | None) -> None:
    """One term's postings as Whoosh's field writer writes them: blocks of ``blocklimit``,
    each with the same statistics its ``add_posting`` would have gathered."""
    docnums, weights, values = postings
    if values and len(values) != len(docnums):
        raise AssertionError("postings with and without values in one term")
    fieldwriter.start_term(tbytes)
    writer = fieldwriter._postwriter
    limit = writer._blocklimit
    count = len(docnums)
    if count < writer._inlinelimit:  # Whoosh keeps such a term's postings in its term info
        for i in range(count):
            fieldwriter.add(docnums[i], weights[i], values[i] if values else emptybytes, _length(lengths, docnums[i]))
        fieldwriter.finish_term()
        return
    for start in range(0, count, limit):
        ids = docnums[start : start + limit]
        block_weights = weights[start : start + limit]
        writer._ids = ids
        writer._weights = block_weights
        writer._values = values[start : start + limit]
        writer._maxweight = max(0, max(block_weights))
        if lengths is None:
            writer._minlength, writer._maxlength = None, 0
        else:
            # Length bytes order as the lengths do.  0 is "no length": Whoosh skips those.
            found = bytes(map(lengths.__getitem__, ids))
            most = max(found)
            least = min(found) if most else 0
            if not least and most:
                least = min(b for b in found if b)
            writer._minlength = LENGTH_OF_BYTE[least]
            writer._maxlength = LENGTH_OF_BYTE[most] or 0
        writer._write_block(last=start + limit >= count)
    fieldwriter.finish_term()  # every block written: Whoosh records the extent and the term info


def _length(lengths: bytes | None, docnum: int) -> int | None:
    return 0 if lengths is None else LENGTH_OF_BYTE[lengths[docnum]]
