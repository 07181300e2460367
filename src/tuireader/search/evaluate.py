"""Every matching document of a query with its score, computed with sets and dicts.

Whoosh finds matches by stepping a tree of matcher objects through the
postings one document at a time, several Python calls per document and per
clause; a two-word query over title, body and notes at 10,000 documents took
~100 ms.  Here each term's postings are read a block at a time into a dict
{document: score}, and the query tree is evaluated with dict and set
operations, which run in C.  Scores are the ones Whoosh computes for the same
query (BM25F through our table scorer; a NOT clause inside AND adds 1.0 and a
constant-score range adds its boost once), so the ranking is the same; a test
compares both on many queries.

Query types not handled here are evaluated by Whoosh's own matcher for that
sub-query, so any query is answered correctly; the common ones are fast.
"""

from __future__ import annotations

import functools
import pickle
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from itertools import accumulate
from operator import itemgetter
from typing import Any

from whoosh import fields, formats, query, scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import to_sortable

from .analysis import FastCharacters, positions_of
from .attached import attached
from .phrase import FastPhrase, phrase_starts
from .scoring import _TableScorer

Scores = dict[int, float]


class PostingsSeen:
    """The postings an evaluation read, kept for the length of one search.

    Highlighting the top documents needs the character positions of each
    query word in them; a phrase read them all while matching, so they are
    kept here instead of read again.  A word read without its values (a
    plain term: see codec.py), or served from the term cache, in any segment,
    is left to the caller to read for the few documents it shows.
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[str, bytes], list[tuple[int, list[int], list[Any]]]] = {}
        self._unread: set[tuple[str, bytes]] = set()
        self.complete = True  # False once Whoosh's own matcher read postings not kept here

    def add(self, fieldname: str, btext: bytes, offset: int, ids: list[int], values: list[Any]) -> None:
        self._parts.setdefault((fieldname, btext), []).append((offset, ids, values))

    def not_read(self, fieldname: str, btext: bytes) -> None:
        self._unread.add((fieldname, btext))

    def values(self, fieldname: str, btext: bytes, docnums: list[int]) -> dict[int, Any] | None:
        """Global document number -> posting value, for those of ``docnums`` holding the word;
        None when the word's postings were not all read."""
        parts = self._parts.get((fieldname, btext))
        if parts is None or (fieldname, btext) in self._unread or not self.complete:
            return None
        found = {}
        for offset, ids, values in parts:
            for doc in docnums:
                i = bisect_left(ids, doc - offset)
                if i < len(ids) and ids[i] == doc - offset:
                    found[doc] = values[i]
        return found


def evaluate(searcher, q, seen: PostingsSeen | None = None) -> Scores:
    """Global document number -> score for every document matching ``q``.

    With ``seen``, the postings read on the way are kept there (see PostingsSeen).
    """
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    found: Scores = {}
    for sub, offset in searcher.leaf_searchers():
        scores = _Segment(sub, context, seen, offset).scores(q)
        if offset:
            found.update({d + offset: s for d, s in scores.items()})
        else:
            found.update(scores)
    return found


class _Segment:
    def __init__(self, searcher, context, seen: PostingsSeen | None = None, offset: int = 0) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.context = context
        self.weighting = context.weighting
        self.seen = seen
        self.offset = offset

    # -- the tree --------------------------------------------------------
    def scores(self, q) -> Scores:
        kind = type(q)
        if q is query.NullQuery:
            return {}
        if kind is query.Term:
            return self._term(q)
        if kind is FastPhrase:
            return self._phrase(q)
        if kind is query.Or and not q.minmatch and not q.scale:
            return _boosted(_union([self.scores(s) for s in q.subqueries]), q.boost)
        if kind is query.And:
            positive = [s for s in q.subqueries if type(s) is not query.Not]
            negative = [s.query for s in q.subqueries if type(s) is query.Not]
            if positive:
                found = _intersection([self.scores(s) for s in positive])
                for sub in negative:  # Whoosh scores the "not" side of an AND as 1.0
                    excluded = self.scores(sub)
                    found = {d: s + 1.0 for d, s in found.items() if d not in excluded}
                return _boosted(found, q.boost)
        if kind is query.AndNot:
            excluded = self.scores(q.b)
            return {d: s for d, s in self.scores(q.a).items() if d not in excluded}
        if isinstance(q, query.NumericRange) and q.constantscore:
            in_range = self._numeric_range(q)
            if in_range is not None:
                return dict.fromkeys(in_range, float(q.boost))
        if getattr(q, "constantscore", False):
            # Date ranges and the like.  A document spanning several days matches several
            # terms; Whoosh sums them or not depending on the matcher it picks: here the
            # constant it promises, once.
            return dict.fromkeys(self._docs(q), float(q.boost))
        return self._whoosh(q)

    def _docs(self, q) -> set[int]:
        """The documents a constant-score query matches: the union of its terms' postings."""
        try:
            simple = q.simplify(self.reader)  # a range becomes the terms it covers in the index
        except Exception:  # noqa: BLE001 - any query type Whoosh cannot simplify
            simple = None
        leaves = (
            []
            if simple is None or simple is query.NullQuery
            else ([simple] if simple.is_leaf() else list(simple.leaves()))
        )
        if simple is None or not all(isinstance(leaf, (query.Term, query.MultiTerm)) for leaf in leaves):
            return set(q.matcher(self.searcher, self.searcher.boolean_context()).all_ids())
        found: set[int] = set()
        for leaf in leaves:
            for fieldname, text in leaf.expanded_terms(self.reader):  # a range: the terms it covers
                btext = self._bytes(fieldname, text)
                if btext is not None:
                    found.update(self._postings(fieldname, btext, values=False)[0])
        return found

    def _numeric_range(self, q: query.NumericRange) -> set[int] | None:
        """The documents with a value of a numeric field (a day of ``date``) in the range.

        Whoosh splits a range into terms of its trie levels, and finding
        them took ~6 ms for a three-month date range; here the segment's
        values are listed once (see _NumericTerms) and the range is a bisection.
        """
        field = self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
        if not isinstance(field, fields.NUMERIC):
            return None

        def term(number) -> bytes:  # the full-precision term, as Whoosh's NumericRange makes it
            return field.sortable_to_bytes(
                to_sortable(field.numtype, field.bits, field.signed, field.prepare_number(number))
            )

        try:
            start = None if q.start is None else term(q.start)
            end = None if q.end is None else term(q.end)
        except (ValueError, TypeError, OverflowError):
            return None  # Whoosh's own way says what is wrong with the range
        terms = _NumericTerms.of(self.reader, q.fieldname)
        if terms is None:
            return None
        # full-precision terms sort as their numbers do
        low = 0 if start is None else (bisect_right if q.startexcl else bisect_left)(terms.values, start)
        high = len(terms.values) if end is None else (bisect_left if q.endexcl else bisect_right)(terms.values, end)
        found: set[int] = set()
        for docs in terms.docs(low, high):
            found.update(docs)
        return found

    def _whoosh(self, q) -> Scores:
        """Whoosh's own matcher for a query type not handled above: always right, slower."""
        if self.seen is not None:
            self.seen.complete = False
        matcher = q.matcher(self.searcher, self.context)
        found = {}
        while matcher.is_active():
            found[matcher.id()] = matcher.score()
            matcher.next()
        return found

    # -- leaves ----------------------------------------------------------
    def _scorer(self, fieldname: str, btext: bytes):
        return self.weighting.scorer(self.searcher, fieldname, btext)

    def _term(self, q: query.Term) -> Scores:
        btext = self._bytes(q.fieldname, q.text)
        if btext is None:
            return {}
        cache = _TermCache.of(self.reader)
        found = cache.get((q.fieldname, btext))
        if found is not None and self.seen is not None:
            self.seen.not_read(q.fieldname, btext)
        if found is None:
            scorer = self._scorer(q.fieldname, btext)
            if not isinstance(scorer, (_TableScorer, scoring.WeightScorer)):
                return self._whoosh(q)
            ids, weights, _ = self._postings(q.fieldname, btext, values=False)
            found = _score(scorer, ids, weights)
            cache.put((q.fieldname, btext), found)
        return _boosted(found, q.boost)

    def _phrase(self, q: FastPhrase) -> Scores:
        field = self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
        if field is None or not field.format or not field.format.supports("positions"):
            return self._whoosh(q)
        found_btexts = [self._bytes(q.fieldname, w) for w in q.words]
        btexts = [b for b in found_btexts if b is not None]
        if len(btexts) < len(found_btexts):  # a word not in the field: no document has the phrase
            return {}
        if len(btexts) == 1:
            return self._term(query.Term(q.fieldname, q.words[0], boost=q.boost))
        scorers = [self._scorer(q.fieldname, b) for b in btexts]
        if not all(isinstance(s, _TableScorer) for s in scorers):
            return self._whoosh(q)
        # Kept like a term's scores: typing after a phrase searches it again at every keystroke.
        cache, key = _TermCache.of(self.reader), (q.fieldname, tuple(btexts), q.slop)
        found = cache.get(key)
        if found is None:
            found = self._phrase_scores(q, field, btexts, scorers)
            cache.put(key, found)
        elif self.seen is not None:
            for btext in btexts:
                self.seen.not_read(q.fieldname, btext)
        return _boosted(found, q.boost)

    def _phrase_scores(self, q: FastPhrase, field, btexts: list[bytes], scorers: list[_TableScorer]) -> Scores:
        words = [self._postings(q.fieldname, btext, values=True) for btext in btexts]
        # The rarest word first: its documents bound the candidates, and a document is
        # dropped as soon as two of its words fail to line up, before the rest are decoded.
        order = sorted(range(len(words)), key=lambda i: len(words[i][0]))
        candidates = set(words[order[0]][0])
        for i in order[1:]:
            candidates.intersection_update(words[i][0])
            if not candidates:
                return {}
        values = [{d: v for d, v in zip(words[i][0], words[i][2], strict=True) if d in candidates} for i in order]
        decode = _position_decoder(field.format)
        if q.slop <= 1:
            # word i of the phrase at position p means a phrase starting at p - i
            first, first_values = order[0], values[0]
            rest = list(zip(order[1:], values[1:], strict=True))
            held = []
            for doc in candidates:
                starts = {p - first for p in decode(first_values[doc])}
                for i, word_values in rest:
                    starts = {p - i for p in decode(word_values[doc]) if p - i in starts}
                    if not starts:
                        break
                else:
                    held.append(doc)
        else:
            in_phrase_order = [values[order.index(i)] for i in range(len(order))]
            held = [doc for doc in candidates if phrase_starts([decode(v[doc]) for v in in_phrase_order], q.slop)]
        # each word's score where the phrase holds, summed as Whoosh sums a phrase's terms
        per_word = []
        for scorer, (ids, weights, _) in zip(scorers, words, strict=True):
            weight_of = dict(zip(ids, weights, strict=True))
            per_word.append(_score(scorer, held, [weight_of[doc] for doc in held]))
        return _intersection(per_word)

    def _bytes(self, fieldname: str, text: Any) -> bytes | None:
        if fieldname not in self.searcher.schema:
            return None
        try:
            btext = self.searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        return btext if (fieldname, btext) in self.reader else None

    def _postings(self, fieldname: str, btext: bytes, *, values: bool) -> tuple[list[int], list[float], list[Any]]:
        """A term's documents, weights (and values), without deleted documents."""
        matcher, deleted = _without_deletions(self.reader.postings(fieldname, btext))
        ids: list[int] = []
        weights: list[float] = []
        vals: list[Any] = []
        if _reads_blocks(matcher):
            # Whoosh 2.7's block reader: a block's ids, weights and values are decoded together.
            while not matcher._atend:
                matcher._read_ids()
                matcher._read_weights()
                ids.extend(matcher._ids[matcher._i :])
                weights.extend(matcher._weights[matcher._i :])
                if values:
                    matcher._read_values()
                    vals.extend(matcher._values[matcher._i :])
                matcher._next_block()
        else:
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                if values:
                    vals.append(matcher.value())
                matcher.next()
        if deleted:
            keep = [i for i, d in enumerate(ids) if d not in deleted]
            ids = [ids[i] for i in keep]
            weights = [weights[i] for i in keep]
            vals = [vals[i] for i in keep] if values else vals
        if self.seen is not None:
            if values:
                self.seen.add(fieldname, btext, self.offset, ids, vals)
            else:  # values are decompressed only when asked for: highlighting reads its own
                self.seen.not_read(fieldname, btext)
        return ids, weights, vals


_CACHE_ATTR = "_tuireader_term_scores"
CACHE_POSTINGS = 400_000  # per segment; a posting costs ~100 bytes in a dict


class _TermCache:
    """The scores of recently used terms and phrases, per segment reader (so a new commit
    starts afresh).

    Typing a query searches again at every keystroke, and a common word's
    postings (every document) are the slow part: kept, "security b" reuses
    what "security" read.  Entries are never changed by the evaluation.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[Any, ...], Scores] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # a searcher serves one thread at a time, but be safe

    @staticmethod
    def of(reader) -> _TermCache:
        return attached(reader, _CACHE_ATTR, _TermCache)

    def get(self, key: tuple[Any, ...]) -> Scores | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], scores: Scores) -> None:
        if len(scores) > CACHE_POSTINGS // 4:
            return
        with self._lock:
            self._entries[key] = scores
            self._size += len(scores)
            while self._size > CACHE_POSTINGS:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)


def values_at(searcher, fieldname: str, btext: bytes, docnums: list[int]) -> dict[int, Any]:
    """Global document number -> posting value of a word, for those of ``docnums`` (sorted) holding it.

    For highlighting the few documents shown.  Whoosh's skip_to steps through
    a block one posting at a time; here a block is skipped by its header and
    searched by bisection (ten documents of a word in every document: 2.2 ms
    before, 1.7 after; decompressing the blocks is most of what is left).
    """
    found: dict[int, Any] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        local = [d - offset for d in docnums if offset <= d < offset + reader.doc_count_all()]
        if not local or (fieldname, btext) not in reader:
            continue
        matcher, _ = _without_deletions(reader.postings(fieldname, btext))  # never among those asked for
        if _reads_blocks(matcher):
            for doc in local:
                while not matcher._atend and matcher.block_max_id() < doc:
                    matcher._next_block()
                if matcher._atend:
                    break
                if matcher._ids is None:
                    matcher._read_ids()
                i = bisect_left(matcher._ids, doc)
                if i < len(matcher._ids) and matcher._ids[i] == doc:
                    if matcher._values is None:
                        matcher._read_values()
                    found[doc + offset] = matcher._values[i]
            continue
        for doc in local:
            if not matcher.is_active():
                break
            if matcher.id() < doc:
                matcher.skip_to(doc)
                if not matcher.is_active():
                    break
            if matcher.id() == doc:
                found[doc + offset] = matcher.value()
    return found


class _NumericTerms:
    """A numeric field's full-precision terms in one segment, in order; each one's documents
    read the first time a range covers it.

    The terms are listed once per segment reader in one pass over the term
    dictionary (~5 ms for ``date`` at 10,000 documents); reading each term's
    postings up front would be ~25 ms more.  A new commit has new readers, so
    nothing here goes stale.
    """

    def __init__(self, reader, fieldname: str) -> None:
        terms = reader._terms
        self._open = functools.partial(
            terms._codec.postings_reader, terms._postfile, format_=reader.schema[fieldname].format
        )
        self._deleted = reader.deleted_docs_set
        self.values: list[bytes] = []
        self._infos = []
        for (name, btext), info in terms.items_from(fieldname, b"\x00"):
            if name != fieldname or btext[:1] != b"\x00":  # past the full-precision terms (shift 0)
                break
            self.values.append(btext)
            self._infos.append(info)
        self._docs: list[list[int] | None] = [None] * len(self.values)

    @staticmethod
    def of(reader, fieldname: str) -> _NumericTerms | None:
        cache: dict[str, _NumericTerms | None] = attached(reader, "_tuireader_numeric_terms", dict)
        if fieldname not in cache:
            terms = getattr(reader, "_terms", None)
            readable = all(hasattr(terms, a) for a in ("items_from", "_codec", "_postfile"))
            cache[fieldname] = _NumericTerms(reader, fieldname) if readable else None
        return cache[fieldname]

    def docs(self, low: int, high: int) -> Iterable[list[int]]:
        for i in range(low, high):
            found = self._docs[i]
            if found is None:
                matcher = self._open(self._infos[i])
                found = self._docs[i] = [d for d in matcher.all_ids() if d not in self._deleted]
            yield found


def _without_deletions(matcher):
    """(the postings reader under the filter of a segment's deleted documents, those documents or None)."""
    if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
        return matcher.child, matcher._ids
    return matcher, None


def _reads_blocks(matcher) -> bool:
    return isinstance(matcher, W3LeafMatcher) and all(
        hasattr(matcher, a) for a in ("_atend", "_read_ids", "_read_weights", "_read_values", "_next_block", "_i")
    )


def _score(scorer, ids: list[int], weights: list[float]) -> Scores:
    if isinstance(scorer, _TableScorer):
        factor, norm, lengths = scorer.factor, scorer.norm, scorer.lengths
        return {d: factor * w / (w + norm[lengths[d]]) for d, w in zip(ids, weights, strict=True)}
    return dict(zip(ids, weights, strict=True))  # WeightScorer: the weight is the score


_first = itemgetter(0)


def _position_decoder(fmt):
    """Positions from a posting value, without Whoosh's Python loop over pickled deltas."""
    if isinstance(fmt, FastCharacters):
        return positions_of
    if isinstance(fmt, formats.Characters):

        def decode(value: bytes) -> Iterable[int]:
            if not value.endswith(b"."):  # as Characters.decode_positions does
                value += b"."
            codes = pickle.loads(value[_INT_SIZE:])  # noqa: S301 - our own index's data
            return accumulate(map(_first, codes))

        return decode
    return fmt.decode_positions


def _boosted(found: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return found
    return {d: s * boost for d, s in found.items()}


def _union(parts: list[Scores]) -> Scores:
    parts = [p for p in parts if p]
    if not parts:
        return {}
    parts.sort(key=len, reverse=True)
    found = dict(parts[0])
    for part in parts[1:]:
        for d, s in part.items():
            found[d] = found[d] + s if d in found else s
    return found


def _intersection(parts: list[Scores]) -> Scores:
    if not parts or not all(parts):
        return {}
    ordered = sorted(parts, key=len)
    common = set(ordered[0])
    for part in ordered[1:]:
        common.intersection_update(part.keys())
        if not common:
            return {}
    if len(parts) == 2:  # the common case, without a generator per document
        first, second = parts
        return {d: first[d] + second[d] for d in common}
    return {d: sum(p[d] for p in parts) for d in common}
