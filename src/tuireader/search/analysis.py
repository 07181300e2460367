"""Indexing text fields with character positions, in one loop instead of a chain of generators.

Whoosh indexes a word-position-and-characters field by running its analyzer
(tokenizer | lowercase | stop words | stemmer), a generator per stage passing
one Token object along, then grouping the tokens by word: ~4 µs a token, a
fifth of a writer process's time on our corpus.  :class:`FastCharacters` is
Whoosh's ``Characters`` format whose indexing recognises that chain (the
stemming analyzer with any expression, stop list and stemmer) and does the
same steps in one loop, with a plain dict in front of the stemmer.  What it
writes is byte for byte what Whoosh writes (a test compares them on random
text); searching, reading positions and highlighting are Whoosh's own.  Any
other analyzer, or an unusual call, takes Whoosh's path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pickle import dumps
from re import Pattern
from typing import Any

from whoosh import formats
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.system import pack_uint

_STEM_CACHE_MAX = 200_000  # distinct words kept per stemmer; cleared when full

# Whoosh's default word pattern, and one that matches the same words (runs of word characters
# joined by single dots) without a capturing group or backtracking: a third faster.
_SAME_MATCHES = {(r"[\w\*]+(\.?[\w\*]+)*", re.UNICODE): re.compile(r"[\w*]+(?:\.[\w*]+)*+")}


@dataclass(frozen=True, slots=True)
class _Chain:
    expression: Pattern[str]
    stops: frozenset[str]
    minsize: int
    maxsize: int | None
    renumber: bool
    ignore: frozenset[str]
    stem: Callable[[str], str]


_stem_caches: dict[int, dict[str, str]] = {}  # id(stem filter) -> word -> stem


def _stemming_chain(analyzer: Any) -> _Chain | None:
    """The steps of Whoosh's StemmingAnalyzer, or None for any other analyzer."""
    if type(analyzer) is not CompositeAnalyzer or len(analyzer.items) != 4:
        return None
    tokenizer, lower, stop, stem = analyzer.items
    if not (type(tokenizer) is RegexTokenizer and not tokenizer.gaps and type(lower) is LowercaseFilter
            and type(stop) is StopFilter and type(stem) is StemFilter):
        return None
    expression = tokenizer.expression
    expression = _SAME_MATCHES.get((expression.pattern, expression.flags), expression)
    return _Chain(expression, stop.stops, stop.min, stop.max, stop.renumber, stem.ignore, stem._stem)


class FastCharacters(formats.Characters):
    """``whoosh.formats.Characters``, indexed faster when the analyzer is the stemming chain."""

    def word_values(self, value, analyzer, **kwargs):
        chain = _stemming_chain(analyzer)
        # Only the plain indexing call; start offsets, kept stop words and the like go to Whoosh.
        if chain is None or not isinstance(value, str) or set(kwargs) - {"mode"} or kwargs.get("mode") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for word, occurrences in _occurrences(value, chain).items():
            yield word, len(occurrences), len(occurrences) * boost, _encode(occurrences)


def _occurrences(text: str, chain: _Chain) -> dict[str, list[tuple[int, int, int]]]:
    """word -> [(position, start char, end char)], as the analyzer chain would produce them."""
    stops, minsize, maxsize, ignore, renumber = chain.stops, chain.minsize, chain.maxsize, chain.ignore, chain.renumber
    cache = _stem_caches.setdefault(id(chain.stem), {})
    if len(cache) > _STEM_CACHE_MAX:
        cache.clear()
    stem = chain.stem
    found: dict[str, list[tuple[int, int, int]]] = {}
    kept = None  # the position the stop filter gives the last word it kept
    for pos, match in enumerate(chain.expression.finditer(text)):
        word = match.group(0).lower()
        size = len(word)
        if size < minsize or (maxsize is not None and size > maxsize) or word in stops:
            continue  # a stop word: removed, and the words after it renumbered
        if renumber:
            kept = pos if kept is None else kept + 1
        else:
            kept = pos
        if word not in ignore:
            stemmed = cache.get(word)
            if stemmed is None:
                stemmed = cache[word] = stem(word)
            word = stemmed
        start, end = match.span()
        occurrences = found.get(word)
        if occurrences is None:
            found[word] = [(kept, start, end)]
        else:
            occurrences.append((kept, start, end))
    return found


def _encode(occurrences: list[tuple[int, int, int]]) -> bytes:
    """Whoosh's Characters.encode: (position delta, start - previous end, length) per occurrence."""
    deltas = []
    last_pos = last_end = 0
    for pos, start, end in occurrences:
        deltas.append((pos - last_pos, start - last_end, end - start))
        last_pos, last_end = pos, end
    return pack_uint(len(deltas)) + dumps(deltas, 2)

