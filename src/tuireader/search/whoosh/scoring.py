"""BM25F as Whoosh computes it, with the per-document work made cheap.

Whoosh's BM25F scorer looks up each matched document's field length through
several layers of Python calls (reader → column reader → unpack → byte →
length), which was a third of the time of a typical query here.  This scorer
reads a segment's length column once into a bytes object and precomputes
the length normalisation for each of the 256 possible length bytes, so a
score is one index and one division.  Scores are the same as Whoosh's
``scoring.BM25F`` (a test compares them).
"""

from __future__ import annotations

import functools

from whoosh import scoring
from whoosh.util.numeric import byte_to_length, length_to_byte

from . import terms
from .attached import attached
from .codec import length_bytes


class TableBM25F(scoring.BM25F):
    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable or not hasattr(searcher.reader(), "_perdoc"):
            return super().scorer(searcher, fieldname, text, qf=qf)
        return _TableScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1)


@functools.lru_cache(maxsize=256)
def _norm_table(B: float, K1: float, avgfl: float) -> tuple[float, ...]:
    """BM25's length normalisation for each of the 256 length bytes (one table per field and index)."""
    # A length byte of 0 reads as no length in Whoosh, which scores it as length 0.
    return tuple(K1 * ((1 - B) + B * (byte_to_length(b) if b else 0) / avgfl) for b in range(256))


class _TableScorer(scoring.BaseScorer):
    def __init__(self, searcher, fieldname: str, text: bytes, B: float, K1: float) -> None:
        parent = searcher.get_parent()  # idf and average length are collection-wide
        idf = terms.idf(parent, fieldname, text)  # parent.idf, from the kept term entries
        # a sum over the segments at every call: kept for the searcher (a prefix makes 600 scorers)
        averages: dict[str, float] = attached(parent, "_tuireader_average_lengths", dict)
        avgfl = averages.get(fieldname)
        if avgfl is None:
            avgfl = averages[fieldname] = parent.avg_field_length(fieldname) or 1
        reader = searcher.reader()
        self.lengths = length_bytes(reader._perdoc, fieldname) or bytes(reader.doc_count_all())
        self.norm = _norm_table(B, K1, avgfl)
        self.factor = idf * (K1 + 1)
        self._term = (searcher, fieldname, text)
        self._max_quality: float | None = None  # only block-skipping collectors ask: found when asked

    def _bound(self, weight: float, min_length: int) -> float:
        return self.factor * weight / (weight + self.norm[length_to_byte(min_length)])

    def supports_block_quality(self) -> bool:
        return True

    def score(self, matcher) -> float:
        tf = matcher.weight()
        return self.factor * tf / (tf + self.norm[self.lengths[matcher.id()]])

    def max_quality(self) -> float:
        if self._max_quality is None:
            searcher, fieldname, text = self._term
            info = searcher.term_info(fieldname, text)
            self._max_quality = self._bound(info.max_weight(), info.min_length())
        return self._max_quality

    def bound(self, info) -> float:
        """The highest score of the word in any document, from its term dictionary entry ``info``."""
        return self._bound(info.max_weight(), info.min_length())

    def block_quality(self, matcher) -> float:
        return self._bound(matcher.block_max_weight(), matcher.block_min_length())
