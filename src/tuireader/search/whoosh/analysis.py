"""Indexing text fields with character positions, in one loop instead of a chain of generators.

Whoosh indexes a word-position-and-characters field by running its analyzer
(tokenizer | lowercase | stop words | stemmer), a generator per stage passing
one Token object along, then grouping the tokens by word: ~4 µs a token, a
fifth of a writer process's time on our corpus.  :class:`FastCharacters` is
Whoosh's ``Characters`` format whose indexing recognises that chain (the
stemming analyzer with any expression, stop list and stemmer) and does the
same steps in one loop, with a plain dict in front of the stemmer; its value
encoding is its own (see the class).  Tests compare the words, counts,
weights and decoded occurrences with Whoosh's format on random text.  Any
other analyzer, or an unusual call, takes Whoosh's path.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from re import Pattern
from typing import Any

from whoosh import formats
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.system import _INT_SIZE, pack_uint

from ..folding import fold

_STEM_CACHE_MAX = 200_000  # distinct words kept per stemmer; cleared when full

# Whoosh's default word pattern, and one that matches the same words (runs of word characters
# joined by single dots) without a capturing group or backtracking: a third faster.
_SAME_MATCHES = {(r"[\w\*]+(\.?[\w\*]+)*", re.UNICODE): re.compile(r"[\w*]+(?:\.[\w*]+)*+")}


class FoldingFilter(LowercaseFilter):
    """Whoosh's lower-casing step that also folds accents and compatibility forms (see folding.py).

    A subclass, so that every Whoosh path (the query parser, highlighting) and our
    one-loop indexing below apply the same folding.
    """

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def folding_analyzer(expression: str | None = None, *, stem: bool = True) -> CompositeAnalyzer:
    """Whoosh's stemming (or, ``stem=False``, standard unstopped) analyzer with FoldingFilter for LowercaseFilter."""
    from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

    base = StemmingAnalyzer(expression=expression) if expression else StemmingAnalyzer()
    if not stem:
        base = StandardAnalyzer(stoplist=None)
    items = [FoldingFilter() if type(item) is LowercaseFilter else item for item in base.items]
    return CompositeAnalyzer(*items)


@dataclass(frozen=True, slots=True)
class _Chain:
    expression: Pattern[str]
    stops: frozenset[str]
    minsize: int
    maxsize: int | None
    renumber: bool
    ignore: frozenset[str]
    stem: Callable[[str], str]
    stemmer: tuple[Any, Any]  # (stemming function, language): what the cached stems depend on
    lower: Callable[[str], str]  # str.lower, or fold for FoldingFilter


_stem_caches: dict[tuple[Any, Any], dict[str, str]] = {}  # stemmer -> word -> stem
_token_caches: dict[_Chain, dict[str, str | None]] = {}  # chain -> token as in the text -> its word, None if removed


def _stemming_chain(analyzer: Any) -> _Chain | None:
    """The steps of Whoosh's StemmingAnalyzer, or None for any other analyzer."""
    if type(analyzer) is not CompositeAnalyzer or len(analyzer.items) != 4:
        return None
    tokenizer, lower, stop, stem = analyzer.items
    if not (
        type(tokenizer) is RegexTokenizer
        and not tokenizer.gaps
        and type(lower) in (LowercaseFilter, FoldingFilter)
        and type(stop) is StopFilter
        and type(stem) is StemFilter
    ):
        return None
    expression = tokenizer.expression
    expression = _SAME_MATCHES.get((expression.pattern, expression.flags), expression)
    return _Chain(
        expression,
        stop.stops,
        stop.min,
        stop.max,
        stop.renumber,
        stem.ignore,
        stem._stem,
        (stem.stemfn, stem.lang),
        fold if type(lower) is FoldingFilter else str.lower,
    )


class FastCharacters(formats.Characters):
    """``whoosh.formats.Characters`` with a posting value that decodes without pickle.

    Whoosh's value is a pickled list of (position, start, length) deltas:
    reading a phrase's positions in thousands of documents was mostly
    ``pickle.loads`` and a Python loop per posting.  Here the value is the
    occurrence count (as Whoosh's, so its frequency and weight readers work)
    followed by the absolute (position, start, end) of each occurrence as
    little-endian 32-bit integers: positions are one array slice.  Every
    ``decode_*`` Whoosh uses is provided for this encoding, so its matchers
    and highlighters read it too.  Indexing also recognises the stemming
    chain and runs it as one loop (see the module docstring).
    """

    def word_values(self, value, analyzer, **kwargs):
        chain = _stemming_chain(analyzer)
        # Only the plain indexing call; start offsets, kept stop words and the like go to Whoosh.
        if chain is None or not isinstance(value, str) or set(kwargs) - {"mode"} or kwargs.get("mode") != "index":
            yield from super().word_values(value, analyzer, **kwargs)  # which calls our encode()
            return
        boost = self.field_boost
        found = _occurrences(value, chain)
        for word in list(found):  # each word's array let go once packed (in Whoosh's order: first seen first)
            flat = found.pop(word)
            count = len(flat) // 3
            yield word, count, count * boost, _pack(count, flat)

    def encode(self, poslist):
        return _pack(len(poslist), [n for occurrence in poslist for n in occurrence])

    def decode_positions(self, valuestring):
        return positions_of(valuestring).tolist()

    def decode_characters(self, valuestring):
        flat = _unpack(valuestring)
        return list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))

    def combine(self, vs):
        merged = {}
        for v in vs:
            for pos, start, end in self.decode_characters(v):
                merged[pos] = (start, end)
        return self.encode([(pos, *merged[pos]) for pos in sorted(merged)])


_BIG_ENDIAN = sys.byteorder == "big"


def _pack(count: int, flat: list[int] | array) -> bytes:
    numbers = flat if isinstance(flat, array) and not _BIG_ENDIAN else array("i", flat)
    if _BIG_ENDIAN:
        numbers.byteswap()
    return pack_uint(count) + numbers.tobytes()


def _unpack(valuestring: bytes) -> array:
    numbers = array("i")
    numbers.frombytes(valuestring[_INT_SIZE:])
    if _BIG_ENDIAN:
        numbers.byteswap()
    return numbers


def characters_of(valuestring: bytes) -> array:
    """A FastCharacters value's occurrences as one flat array: position, start, end, position, ..."""
    return _unpack(valuestring)


def positions_of(valuestring: bytes) -> array:
    """The word positions in a FastCharacters value, in order."""
    return _unpack(valuestring)[0::3]


_UNSEEN: Any = object()


def _analysed(raw: str, chain: _Chain, stems: dict[str, str]) -> str | None:
    """What the chain makes of one token: its indexed word, or None when it is removed."""
    word = chain.lower(raw)
    size = len(word)
    if size < chain.minsize or (chain.maxsize is not None and size > chain.maxsize) or word in chain.stops:
        return None
    if word in chain.ignore:
        return word
    stemmed = stems.get(word)
    if stemmed is None:
        stemmed = stems[word] = chain.stem(word)
    return stemmed


def _occurrences(text: str, chain: _Chain) -> dict[str, array]:
    """word -> [position, start char, end char, position, ...], as the analyzer chain would produce them.

    Arrays of 32-bit integers, not lists: a list holds each number as an object of its
    own (~36 bytes an entry, 12 MB a megabyte of text), an array in 4 bytes; that was
    most of the memory of indexing a big document (a 50 MB one peaked at 1.06 GB).
    Each distinct token is folded, filtered and stemmed once (a dict per chain in front).
    """
    stems = _stem_caches.setdefault(chain.stemmer, {})
    tokens = _token_caches.setdefault(chain, {})
    if len(stems) > _STEM_CACHE_MAX:
        stems.clear()
    if len(tokens) > _STEM_CACHE_MAX:
        tokens.clear()
    known = tokens.get
    renumber = chain.renumber
    found: dict[str, array] = {}
    kept = None  # the position the stop filter gives the last word it kept
    for pos, match in enumerate(chain.expression.finditer(text)):
        raw = match.group()
        word = known(raw, _UNSEEN)
        if word is _UNSEEN:
            word = tokens[raw] = _analysed(raw, chain, stems)
        if word is None:
            continue  # a stop word: removed, and the words after it renumbered
        if renumber:
            kept = pos if kept is None else kept + 1
        else:
            kept = pos
        start, end = match.span()
        occurrences = found.get(word)
        if occurrences is None:
            found[word] = array("i", (kept, start, end))
        else:
            occurrences.extend((kept, start, end))
    return found
