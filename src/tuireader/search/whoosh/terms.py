"""A segment's term dictionary entries, each looked up once, and what is computed from them.

Whoosh finds a word's entry in a segment's hash file with an MD5 of the key
and three small file reads (~20 µs), every time anything asks about the word:
a search of one word (three fields) looked words up 36-46 times on a 3,000-article
index -- the evaluation, each segment scorer's idf (a sum over all segments),
the highlighting's ``(field, word) in reader`` and its postings reader --
and 18 times with the answers kept.  Here each answer is kept on the segment reader
(a commit makes new readers, so none goes stale), a bounded number per
segment; a word whose letter's words a prefix or a typo already listed
(vocabulary.py) is decoded from that listing, with no look-up at all.
"""

from __future__ import annotations

from math import log
from typing import Any

from whoosh import scoring
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound

from . import vocabulary
from .attached import attached

MAX_ENTRIES = 8192  # per segment reader: a TermInfo and its key are ~250 bytes
_ATTR = "_tuireader_term_infos"


def term_info(leaf, fieldname: str, btext: bytes) -> Any | None:
    """The segment's entry for the word (Whoosh's TermInfo), or None when it has no such word."""
    cache: dict[tuple[str, bytes], Any] = attached(leaf, _ATTR, dict)
    key = (fieldname, btext)
    try:
        return cache[key]
    except KeyError:
        pass
    info = _listed(leaf, fieldname, btext)
    if info is _UNKNOWN:
        try:
            info = leaf.term_info(fieldname, btext)
        except TermNotFound:
            info = None
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    cache[key] = info
    return info


_UNKNOWN = object()


def _listed(leaf, fieldname: str, btext: bytes) -> Any:
    if getattr(getattr(leaf, "_terms", None), "term_info", None) is None:
        return _UNKNOWN
    try:
        word = btext.decode("utf-8")
    except UnicodeDecodeError:
        return _UNKNOWN
    try:
        entry = vocabulary.listed_entry(leaf, fieldname, word)
    except LookupError:
        return _UNKNOWN
    return None if entry is None else W3TermInfo.from_bytes(entry)


def doc_frequency(reader, fieldname: str, btext: bytes) -> int:
    """The number of documents holding the word over every segment of ``reader`` (deleted
    ones included, as Whoosh counts)."""
    total = 0
    for leaf, _ in _leaves(reader):
        info = term_info(leaf, fieldname, btext)
        if info is not None:
            total += info.doc_frequency()
    return total


def _leaves(reader):
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def holds(reader, fieldname: str, btext: bytes) -> bool:
    """``(fieldname, btext) in reader``, from the kept entries."""
    return any(term_info(leaf, fieldname, btext) is not None for leaf, _ in _leaves(reader))


def idf(searcher, fieldname: str, btext: bytes) -> float:
    """``searcher.idf`` (collection-wide: ``searcher`` is the top searcher), with the document
    frequency from the kept entries when the weighting computes idf as Whoosh's models do."""
    cache = getattr(searcher, "_idf_cache", None)
    weighting = getattr(searcher, "weighting", None)
    if cache is None or getattr(type(weighting), "idf", None) is not scoring.WeightingModel.idf:
        return searcher.idf(fieldname, btext)
    term = (fieldname, btext)
    found = cache.get(term)
    if found is None:
        # WeightingModel.idf, with the same numbers
        n = doc_frequency(searcher.reader(), fieldname, btext)
        found = cache[term] = log(searcher.doc_count_all() / (n + 1)) + 1
    return found


def open_postings(leaf, fieldname: str, btext: bytes, info):
    """The postings reader of a word in a segment, from its entry, under the filter of the
    segment's deleted documents (as ``leaf.postings`` gives it, without looking the word up)."""
    terms = getattr(leaf, "_terms", None)
    if terms is None or not all(hasattr(terms, a) for a in ("_codec", "_postfile")):
        return leaf.postings(fieldname, btext)
    matcher = terms._codec.postings_reader(
        terms._postfile, info, leaf.schema[fieldname].format, term=(fieldname, btext)
    )
    deleted = leaf.deleted_docs_set
    return FilterMatcher(matcher, deleted, exclude=True) if deleted else matcher
