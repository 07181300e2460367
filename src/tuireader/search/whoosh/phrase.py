"""Phrase queries checked with sets of word positions.

Whoosh 2.7 matches a phrase through its span machinery: a Span object per
occurrence of every word in every candidate document, compared pair by pair.
For a phrase whose words all occur in most documents ("Recep Tayyip Erdogan"
in two thirds of a 10,000-article corpus) that took over 2 seconds.  Here a
candidate document (one holding every word) is checked with set operations
on the words' positions: the phrase occurs where word i sits i places after
word 0 (with slop s, up to s places after the previous word).
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh import matching, query
from whoosh.query import qcore


class FastPhrase(query.Phrase):
    """A ``whoosh.query.Phrase`` that matches with :class:`PhraseMatcher`; same results."""

    def matcher(self, searcher, context=None):
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[self.fieldname]
        if not field.format or not field.format.supports("positions"):
            raise qcore.QueryError(f"Phrase search: {self.fieldname!r} field has no positions")
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()  # a missing word: no document can hold the phrase
            terms.append(query.Term(self.fieldname, btext))
        leaves = [t.matcher(searcher, context) for t in terms]
        if len(leaves) == 1:
            found = leaves[0]
            return matching.WrappingMatcher(found, boost=self.boost) if self.boost != 1.0 else found
        return PhraseMatcher(leaves, self.slop, boost=self.boost)


def phrase_matches(positions: Sequence[Sequence[int]], slop: int = 1) -> dict[int, int]:
    """Every occurrence of a phrase in one document: the position of its last word -> that of its first.

    ``positions[i]`` are the positions of word i; word i+1 must come 1 to ``slop`` places
    after word i.  The one phrase matcher: the evaluation asks whether a document holds
    the phrase, the highlighting where.  Where several starts reach one end (a slop over
    1), the nearest is kept: the shortest span is the one to show.
    """
    current = {p: p for p in positions[0]}
    reach = max(slop, 1)
    for pos in positions[1:]:
        if reach == 1:
            current = {p: current[p - 1] for p in pos if p - 1 in current}
        else:
            found: dict[int, int] = {}
            for p in pos:
                starts = [current[p - d] for d in range(1, reach + 1) if p - d in current]
                if starts:
                    found[p] = max(starts)
            current = found
        if not current:
            break
    return current


class PhraseMatcher(matching.WrappingMatcher):
    """The documents holding every word (an intersection), kept only where the words line up."""

    def __init__(self, leaves, slop: int = 1, boost: float = 1.0) -> None:
        self.leaves = leaves
        self.slop = slop
        child = leaves[0]
        for leaf in leaves[1:]:
            child = matching.IntersectionMatcher(child, leaf)
        super().__init__(child, boost=boost)
        self._settle()

    def _holds_phrase(self) -> bool:
        return bool(phrase_matches([leaf.value_as("positions") for leaf in self.leaves], self.slop))

    def _settle(self) -> None:
        child = self.child
        while child.is_active() and not self._holds_phrase():
            child.next()

    def copy(self):
        return PhraseMatcher([leaf.copy() for leaf in self.leaves], self.slop, boost=self.boost)

    def replace(self, minquality=0):
        # The leaves must stay the ones the intersection moves: never swap the child.
        return self if self.is_active() else matching.NullMatcher()

    def reset(self) -> None:
        self.child.reset()
        self._settle()

    def next(self):
        self.child.next()
        self._settle()

    def skip_to(self, id):
        self.child.skip_to(id)
        self._settle()

    def skip_to_quality(self, minquality):
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._settle()
        return skipped

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def spans(self):
        raise NotImplementedError("PhraseMatcher does not produce spans")


# Fewer candidates than this are checked one by one: numpy's set-up (~0.3 ms) costs more than
# it saves (one by one: ~5 us a candidate).
VECTOR_FROM = 64


def holders(words: Sequence[tuple[int, dict[int, bytes]]], docs: Sequence[int]) -> list[int] | None:
    """The documents of ``docs`` where every word sits at its place in the phrase (slop 1),
    all checked at once with numpy; None when numpy is not installed (check them one by one).

    ``words``: (the word's place in the phrase, document -> its FastCharacters value: a
    4-byte count, then position, start, end as little-endian 32-bit integers).  A common
    phrase has thousands of candidates; one at a time, decoding and comparing their
    positions in Python was most of its time.  Here each word's positions in every candidate
    become one array of keys (candidate, position - place), and the phrase holds in a
    candidate where every word has a key in common.
    """
    try:
        import numpy as np
    except ImportError:
        return None
    common = None
    for place, values in words:
        found = [values[doc] for doc in docs]
        ints = np.frombuffer(b"".join(found), dtype="<i4")
        sizes = np.fromiter(map(len, found), dtype=np.int64, count=len(found)) // 4  # integers a value
        counts = (sizes - 1) // 3  # occurrences a value
        firsts = np.cumsum(sizes) - sizes + 1  # where each value's first position is
        before = np.cumsum(counts) - counts  # occurrences in the values before
        at = np.repeat(firsts - 3 * before, counts) + 3 * np.arange(int(counts.sum()))
        keys = (np.repeat(np.arange(len(docs), dtype=np.int64), counts) << 33) + (ints[at].astype(np.int64) - place)
        common = keys if common is None else np.intersect1d(common, keys, assume_unique=True)
        if not len(common):
            return []
    assert common is not None
    return [docs[i] for i in np.unique(common >> 33).tolist()]
