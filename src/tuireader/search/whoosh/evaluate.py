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
import heapq
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
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import to_sortable

from . import terms
from .analysis import FastCharacters, positions_of
from .attached import attached
from .phrase import VECTOR_FROM, FastPhrase, holders, phrase_matches
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


def evaluate_top(searcher, q, k: int, seen: PostingsSeen | None = None) -> tuple[list[tuple[int, float]], int]:
    """The ``k`` best (document, score) in Whoosh's order and the number of matching documents:
    what ``top(evaluate(searcher, q), k)`` and its length give, without scoring every match.

    A query that is a union of clauses (a word in title, body and notes; a
    prefix's or a typo's words) is evaluated MaxScore-fashion: the clauses
    in order of the highest score each can give (from the term statistics);
    once the clauses left could not together lift a document that none of
    the others matched past the k-th best score so far, they are read only
    for their documents (for the count) and scored only for the documents
    that may still reach the top.  The scores of those are then computed
    exactly as a full evaluation computes them, so the top is the same.
    """
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    best: Scores = {}
    total = 0
    for sub, offset in searcher.leaf_searchers():
        floor = _kth(best, k)
        found, matched = _Segment(sub, context, seen, offset).top(q, k, floor)
        total += matched
        if offset:
            found = {d + offset: s for d, s in found.items()}
        best.update(found)
        if len(best) > k:
            best = dict(top(best, k))
    return top(best, k), total


def _kth(scores: Scores, k: int) -> float:
    """The k-th best score (0 when there are fewer): what a document must reach to be in the top."""
    if len(scores) < k:
        return 0.0
    return heapq.nlargest(k, scores.values())[-1]


# A phrase's word in more than _DENSE times the rarest word's documents: its values are read for the candidates alone.
_DENSE = 8

# Bounds are sums of floats: a margin so that rounding can never prune a document of the top.
_MARGIN = 1e-9


class _SegmentPostings:
    """One segment's term dictionary and postings, each entry looked up once per search."""

    def __init__(self, searcher, context, seen: PostingsSeen | None = None, offset: int = 0) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.context = context
        self.weighting = context.weighting
        self.seen = seen
        self.offset = offset
        self._terms: dict[tuple[str, Any], tuple[bytes, Any] | None] = {}  # see _bytes
        self._infos: dict[tuple[str, bytes], Any] = {}  # (field, word as stored) -> its entry
        self._scorers: dict[tuple[str, bytes], Any] = {}

    def _bytes(self, fieldname: str, text: Any) -> bytes | None:
        """The word as stored, or None when this segment does not have it.

        A word's entry in the term dictionary is looked up once per search and
        segment (a prefix's 200 words in three fields asked it ~7 times each).
        """
        key = (fieldname, text)
        if key in self._terms:
            found = self._terms[key]
        else:
            found = self._terms[key] = self._look_up(fieldname, text)
            if found is not None:
                self._infos[(fieldname, found[0])] = found[1]
        return None if found is None else found[0]

    def _look_up(self, fieldname: str, text: Any) -> tuple[bytes, Any] | None:
        if fieldname not in self.searcher.schema:
            return None
        try:
            btext = self.searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        info = terms.term_info(self.reader, fieldname, btext)
        return None if info is None else (btext, info)

    def _info(self, fieldname: str, btext: bytes):
        info = self._infos.get((fieldname, btext))
        if info is None:
            info = terms.term_info(self.reader, fieldname, btext)
            if info is None:
                raise TermNotFound(f"{fieldname}:{btext!r}")
            self._infos[(fieldname, btext)] = info
        return info

    def _scorer(self, fieldname: str, btext: bytes):
        key = (fieldname, btext)
        scorer = self._scorers.get(key)
        if scorer is None:
            scorer = self._scorers[key] = self.weighting.scorer(self.searcher, fieldname, btext)
        return scorer

    def _open(self, fieldname: str, btext: bytes):
        """The postings reader of a word (under the deleted documents' filter), from its entry."""
        return terms.open_postings(self.reader, fieldname, btext, self._info(fieldname, btext))

    def _values_for(self, fieldname: str, btext: bytes, docs: list[int]) -> dict[int, Any]:
        """Document -> posting value of a word, for the documents ``docs`` (sorted, all holding it).

        Kept in ``seen`` for highlighting: the documents shown for a phrase are among these.
        """
        matcher, _ = _without_deletions(self._open(fieldname, btext))
        found = _values_for(matcher, docs)
        if self.seen is not None:
            self.seen.add(fieldname, btext, self.offset, list(found), list(found.values()))
        return found

    def _postings(
        self, fieldname: str, btext: bytes, *, values: bool, phrase: bool = False
    ) -> tuple[list[int], list[float], list[Any]]:
        """A term's documents, weights (and values), without deleted documents.

        ``phrase``: read for a phrase, which keeps the values of its candidates in ``seen``
        itself (the documents shown for a phrase are among them: see _values_for).
        """
        matcher, deleted = _without_deletions(self._open(fieldname, btext))
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
            elif not phrase:  # values are decompressed only when asked for: highlighting reads its own
                self.seen.not_read(fieldname, btext)
        return ids, weights, vals


class _Segment(_SegmentPostings):
    """A query evaluated over one segment: the tree of clauses, their scores and bounds."""

    def __init__(self, searcher, context, seen: PostingsSeen | None = None, offset: int = 0) -> None:
        super().__init__(searcher, context, seen, offset)
        # (field, word) -> (documents, weights) read while looking for the top documents
        self._read: dict[tuple[str, bytes], tuple[list[int], list[float]]] = {}
        self._done: dict[int, Scores] = {}  # id(clause) -> its scores, for clauses of the query being searched

    # -- the tree --------------------------------------------------------
    def scores(self, q, within: set[int] | None = None) -> Scores:
        """Document -> score for every document matching ``q`` (with ``within``: those among them).

        A document's score never depends on which other documents are asked
        for (sums are taken in the query's order), so a restricted evaluation
        gives exactly the scores of the full one.
        """
        kind = type(q)
        if q is query.NullQuery:
            return {}
        done = self._done.get(id(q))
        if done is not None:
            return _restricted(done, within)
        if kind is query.Term:
            return self._term(q, within)
        if kind is FastPhrase:
            return self._phrase(q, within)
        if kind is query.Or and not q.minmatch and not q.scale:
            return _boosted(_union([self.scores(s, within) for s in q.subqueries]), q.boost)
        if kind is query.And:
            positive = [s for s in q.subqueries if type(s) is not query.Not]
            negative = [s.query for s in q.subqueries if type(s) is query.Not]
            if positive:
                found = self._all_of(positive, within)
                for sub in negative:  # Whoosh scores the "not" side of an AND as 1.0
                    excluded = self.scores(sub, set(found))
                    found = {d: s + 1.0 for d, s in found.items() if d not in excluded}
                return _boosted(found, q.boost)
        if kind is query.AndNot:
            kept = self.scores(q.a, within)
            excluded = self.scores(q.b, set(kept))
            return {d: s for d, s in kept.items() if d not in excluded}
        return _restricted(self._other(q), within)

    def top(self, q, k: int, floor: float) -> tuple[Scores, int]:
        """(scores of the documents that may be among the best ``k``, number of matches);
        ``floor``: the k-th best score of the segments before (0 if none)."""
        clauses: list[tuple[Any, float]] = []
        # Only a union of words: a phrase or a nested AND left over must be evaluated whole for
        # the count anyway, and their bounds cost more than the skipping saved (measured).
        if not _flatten_or(q, 1.0, clauses) or len(clauses) < 2 or any(type(c) is not query.Term for c, _ in clauses):
            found = self.scores(q)
            return found, len(found)
        bounds = [self.bound(c) for c, _ in clauses]
        if any(b is None for b in bounds):
            found = self.scores(q)
            return found, len(found)
        order = sorted(range(len(clauses)), key=lambda i: -bounds[i] * clauses[i][1])  # type: ignore[operator]
        left = [0.0] * (len(order) + 1)  # left[j]: the bound of clauses order[j:] together
        for j in range(len(order) - 1, -1, -1):
            i = order[j]
            left[j] = left[j + 1] + bounds[i] * clauses[i][1]  # type: ignore[operator]
        partial: Scores = {}  # a lower bound of each document's score: the clauses read so far
        threshold = floor
        for j, i in enumerate(order):
            if len(partial) >= k:
                threshold = max(floor, _kth(partial, k))
            if threshold > 0 and left[j] * (1 + _MARGIN) < threshold * (1 - _MARGIN):
                break
            clause, weight = clauses[i]
            found = self._done[id(clause)] = self.scores(clause)  # not read again below
            partial = _union([partial, _boosted(found, weight)])
        else:
            found = self.scores(q)  # nothing to skip: the full evaluation, of the clauses just read
            return found, len(found)
        # The clauses order[j:] cannot lift a document they alone match into the top: read them
        # for the count, and score only the documents whose partial score leaves them a chance.
        matched = set(partial)
        for i in order[j:]:
            clause, _ = clauses[i]
            if type(clause) is query.Term:
                btext = self._bytes(clause.fieldname, clause.text)
                if btext is not None:
                    ids, weights, _ = self._postings(clause.fieldname, btext, values=False)
                    self._read[(clause.fieldname, btext)] = (ids, weights)
                    matched.update(ids)
            else:
                matched.update(self.scores(clause))
        need = threshold * (1 - _MARGIN) - left[j] * (1 + _MARGIN)
        hopeful = {d for d, s in partial.items() if s >= need}
        return self.scores(q, hopeful), len(matched)

    def _all_of(self, positive: list, within: set[int] | None) -> Scores:
        """The documents matching every clause, each clause read only for the documents the
        narrower ones left (the narrowest first, by its words' document counts)."""
        order = sorted(range(len(positive)), key=lambda i: self.estimate(positive[i]))
        parts: list[Scores | None] = [None] * len(positive)
        for i in order:
            part = parts[i] = self.scores(positive[i], within)
            if not part:
                return {}
            within = set(part)
        return _intersection(parts)  # type: ignore[arg-type]  # summed in the query's order

    def _other(self, q) -> Scores:
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
    def _term(self, q: query.Term, within: set[int] | None = None) -> Scores:
        btext = self._bytes(q.fieldname, q.text)
        if btext is None:
            return {}
        cache = _TermCache.of(self.reader)
        key = (q.fieldname, btext)
        found = cache.get(key)
        if found is not None and self.seen is not None:
            self.seen.not_read(q.fieldname, btext)
        if found is None:
            scorer = self._scorer(q.fieldname, btext)
            if not isinstance(scorer, (_TableScorer, scoring.WeightScorer)):
                return _restricted(self._whoosh(q), within)
            ids, weights = self._read.get(key) or self._postings(q.fieldname, btext, values=False)[:2]
            if within is not None and len(within) < len(ids):
                # only the documents asked for are scored (and nothing is kept: the scores are partial)
                weight_of = dict(zip(ids, weights, strict=True))
                picked = sorted(within.intersection(weight_of))
                return _boosted(_score(scorer, picked, [weight_of[d] for d in picked]), q.boost)
            found = _score(scorer, ids, weights)
            cache.put(key, found)
        return _boosted(_restricted(found, within), q.boost)

    def _phrase(self, q: FastPhrase, within: set[int] | None = None) -> Scores:
        field = self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
        if field is None or not field.format or not field.format.supports("positions"):
            return _restricted(self._whoosh(q), within)
        found_btexts = [self._bytes(q.fieldname, w) for w in q.words]
        btexts = [b for b in found_btexts if b is not None]
        if len(btexts) < len(found_btexts):  # a word not in the field: no document has the phrase
            return {}
        if len(btexts) == 1:
            return self._term(query.Term(q.fieldname, q.words[0], boost=q.boost), within)
        scorers = [self._scorer(q.fieldname, b) for b in btexts]
        if not all(isinstance(s, _TableScorer) for s in scorers):
            return _restricted(self._whoosh(q), within)
        # Kept like a term's scores: typing after a phrase searches it again at every keystroke.
        cache, key = _TermCache.of(self.reader), (q.fieldname, tuple(btexts), q.slop)
        found = cache.get(key)
        if found is None:
            found = self._phrase_scores(q, field, btexts, scorers, within)
            if within is None:
                cache.put(key, found)
        elif self.seen is not None:
            for btext in btexts:
                self.seen.not_read(q.fieldname, btext)
        return _boosted(_restricted(found, within), q.boost)

    # -- bounds, for skipping what cannot reach the top ------------------
    def estimate(self, q) -> int:
        """An upper bound on the number of documents ``q`` matches, from the term statistics."""
        kind = type(q)
        if kind is query.Term:
            btext = self._bytes(q.fieldname, q.text)
            return 0 if btext is None else self._info(q.fieldname, btext).doc_frequency()
        if kind is FastPhrase:
            return min((self.estimate(query.Term(q.fieldname, w)) for w in q.words), default=0)
        if kind is query.Or:
            return sum(self.estimate(sub) for sub in q.subqueries)
        if kind is query.And and any(type(sub) is not query.Not for sub in q.subqueries):
            return min(self.estimate(sub) for sub in q.subqueries if type(sub) is not query.Not)
        return self.reader.doc_count_all()

    def bound(self, q) -> float | None:
        """The highest score any document of this segment can have for ``q``; None when unknown."""
        kind = type(q)
        if q is query.NullQuery:
            return 0.0
        if kind is query.Term:
            btext = self._bytes(q.fieldname, q.text)
            if btext is None:
                return 0.0
            scorer = self._scorer(q.fieldname, btext)
            info = self._info(q.fieldname, btext)
            if isinstance(scorer, _TableScorer):
                return scorer.bound(info) * q.boost
            if isinstance(scorer, scoring.WeightScorer):
                return info.max_weight() * q.boost
            return None
        if kind in (FastPhrase, query.Or, query.And):
            if kind is FastPhrase:
                parts = [self.bound(query.Term(q.fieldname, w)) for w in q.words]
            elif kind is query.Or:
                if q.minmatch or q.scale:
                    return None
                parts = [self.bound(sub) for sub in q.subqueries]
            else:
                parts = [1.0 if type(sub) is query.Not else self.bound(sub) for sub in q.subqueries]
            if any(p is None for p in parts):
                return None
            return sum(parts) * q.boost  # type: ignore[arg-type]
        if getattr(q, "constantscore", False):
            return float(q.boost)
        return None

    def _phrase_scores(
        self, q: FastPhrase, field, btexts: list[bytes], scorers: list[_TableScorer], within: set[int] | None = None
    ) -> Scores:
        # A word with many more documents than the rarest is read without its values (not
        # decompressed) and then for the candidates alone, a block of postings without one
        # skipped; the others are read whole, values included, in one pass.
        counts = [self._info(q.fieldname, b).doc_frequency() for b in btexts]
        fewest = min(counts)
        sparse = [n > fewest * _DENSE for n in counts]
        words = [
            self._postings(q.fieldname, btext, values=not thin, phrase=thin)
            for btext, thin in zip(btexts, sparse, strict=True)
        ]
        # The rarest word first: its documents bound the candidates, and a document is
        # dropped as soon as two of its words fail to line up, before the rest are decoded.
        order = sorted(range(len(words)), key=lambda i: len(words[i][0]))
        candidates = set(words[order[0]][0])
        if within is not None:
            candidates &= within
        for i in order[1:]:
            candidates.intersection_update(words[i][0])
            if not candidates:
                return {}
        ordered = sorted(candidates) if any(sparse) else []
        values = [
            self._values_for(q.fieldname, btexts[i], ordered)
            if sparse[i]
            else dict(zip(words[i][0], words[i][2], strict=True))
            for i in order
        ]
        decode = _position_decoder(field.format)
        held = None
        if q.slop <= 1 and decode is positions_of and len(candidates) >= VECTOR_FROM:
            held = holders(list(zip(order, values, strict=True)), sorted(candidates))  # None without numpy
        if held is None and q.slop <= 1:
            held = _lined_up(order, values, candidates, decode)
        elif held is None:
            in_phrase_order = [values[order.index(i)] for i in range(len(order))]
            held = [doc for doc in candidates if phrase_matches([decode(v[doc]) for v in in_phrase_order], q.slop)]
        # each word's score where the phrase holds, summed as Whoosh sums a phrase's terms
        per_word = []
        for scorer, (ids, weights, _) in zip(scorers, words, strict=True):
            weight_of = dict(zip(ids, weights, strict=True))
            per_word.append(_score(scorer, held, [weight_of[doc] for doc in held]))
        return _intersection(per_word)


def _lined_up(order: list[int], values: list[dict[int, Any]], candidates: set[int], decode) -> list[int]:
    """The candidates where every word sits at its place in the phrase (slop 1), one at a time:
    word ``order[j]`` at position p means a phrase starting at p - order[j]."""
    first, first_values = order[0], values[0]
    rest = list(zip(order[1:], values[1:], strict=True))
    held = []
    for doc in candidates:
        starts = set(map(first.__rsub__, decode(first_values[doc])))
        for i, word_values in rest:
            starts.intersection_update(map(i.__rsub__, decode(word_values[doc])))
            if not starts:
                break
        else:
            held.append(doc)
    return held


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
        info = terms.term_info(reader, fieldname, btext) if local and fieldname in reader.schema else None
        if info is None:
            continue
        matcher, _ = _without_deletions(terms.open_postings(reader, fieldname, btext, info))  # never asked for
        for doc, value in _values_for(matcher, local).items():
            found[doc + offset] = value
    return found


def _values_for(matcher: Any, docs: list[int]) -> dict[int, Any]:
    """Document (in the matcher's segment) -> posting value, for those of ``docs`` (sorted) it holds.

    A block-reading matcher skips whole blocks by their headers and bisects within one;
    any other steps with skip_to.
    """
    found: dict[int, Any] = {}
    if _reads_blocks(matcher):
        for doc in docs:
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
                found[doc] = matcher._values[i]
        return found
    for doc in docs:
        if not matcher.is_active():
            break
        if matcher.id() < doc:
            matcher.skip_to(doc)
            if not matcher.is_active():
                break
        if matcher.id() == doc:
            found[doc] = matcher.value()
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


def top(scores: Scores, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (document, score) in Whoosh's order: score, then document number.

    heapq.nsmallest with a key builds a tuple per match in Python (~6 ms over
    9,000 matches); here the k-th best score is found among the bare floats
    and only the matches at least as good are sorted (~1.5 ms).
    """
    if len(scores) > k:
        last = heapq.nlargest(k, scores.values())[-1]
        held = [kv for kv in scores.items() if kv[1] >= last]
    else:
        held = list(scores.items())
    held.sort(key=_best_first)
    return held[:k]


def _best_first(kv: tuple[int, float]) -> tuple[float, int]:
    return -kv[1], kv[0]


def _boosted(found: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return found
    return {d: s * boost for d, s in found.items()}


def _union(parts: list[Scores]) -> Scores:
    """Each document's scores summed in the order of ``parts`` (the query's), whatever else is there."""
    parts = [p for p in parts if p]
    if not parts:
        return {}
    found = dict(parts[0])
    for part in parts[1:]:
        both = {d: found[d] + s for d, s in part.items() if d in found} if len(part) < len(found) else None
        if both is None:
            both = {d: found[d] + part[d] for d in found.keys() & part.keys()}
        found.update(part)
        found.update(both)
    return found


def _flatten_or(q, weight: float, out: list[tuple[Any, float]]) -> bool:
    """The clauses of a union (nested unions opened), each with the product of the boosts above
    it; False when ``q`` is not a union."""
    if type(q) is not query.Or or q.minmatch or q.scale:
        return False
    for sub in q.subqueries:
        if not _flatten_or(sub, weight * q.boost, out):
            out.append((sub, weight * q.boost))
    return True


def _restricted(found: Scores, within: set[int] | None) -> Scores:
    if within is None:
        return found
    if len(within) < len(found):
        return {d: found[d] for d in within if d in found}
    return {d: s for d, s in found.items() if d in within}


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
