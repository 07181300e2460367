"""The words of a field, for expanding ``word~`` (typos) and ``word*`` (prefixes).

Whoosh 2.7 answers ``terms_within`` on a multi-segment index by merging every
segment's term list in Python and running a Python edit-distance loop on
each word sharing the first letter: ~12 ms a field on a 6,000-word corpus,
and it grows with the vocabulary.  Here a segment's words with a given first
letter (for a typo; for a prefix, those with the prefix) are read once per
reader in one piece (a new commit reads afresh) and the distances
are computed by rapidfuzz's optimal-string-alignment distance, which is the
restricted Damerau-Levenshtein distance Whoosh uses, so the same words are
found.
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left

from .attached import attached

_AFTER_ANY = "\U0010ffff"  # sorts after any character a word continues with


class _Listing:
    """A segment's words of a field with one first letter, sorted, and where each one's term
    dictionary entry lies in the piece of the term file they were read from."""

    __slots__ = ("blob", "ends", "starts", "words")

    def __init__(self, words: list[str], blob: bytes = b"", starts: array | None = None, ends: array | None = None):
        # where each word's entry starts and ends in ``blob``: arrays, 8 bytes a word
        self.words, self.blob, self.starts, self.ends = words, blob, starts, ends

    def entry(self, word: str) -> bytes | None:
        """The word's entry as stored (what Whoosh's TermInfo is decoded from); None when the
        segment has no such word."""
        if self.starts is None or self.ends is None:
            raise LookupError("this listing did not keep its entries")
        i = bisect_left(self.words, word)
        if i == len(self.words) or self.words[i] != word:
            return None
        return self.blob[self.starts[i] : self.ends[i]]


def _listing(reader, fieldname: str, prefix: str) -> _Listing:
    """A segment's words of the field starting with ``prefix`` (and maybe others around them:
    the listing of a shorter prefix of it already read is used as it is)."""
    cache: dict[tuple[str, str], _Listing] = attached(reader, "_tuireader_vocabulary", dict)
    for n in range(len(prefix), -1, -1):
        found = cache.get((fieldname, prefix[:n]))
        if found is not None:
            return found
    found = _read_listing(reader, fieldname, prefix)
    if found is None:
        field = reader.schema[fieldname]
        found = _Listing(sorted(field.from_bytes(b) for b in reader.expand_prefix(fieldname, prefix)))
    cache[(fieldname, prefix)] = found
    return found


def _segment_words(reader, fieldname: str, first: str) -> list[str]:
    """The field's words starting with ``first`` (one letter, or "" for all) in one segment, sorted."""
    return _listing(reader, fieldname, first).words


def listed_entry(reader, fieldname: str, word: str) -> bytes | None:
    """The term dictionary entry of a word that a listing of this segment covers already (a
    prefix or a typo expanded to it); None when the segment has no such word.  LookupError
    when no listing covers the word (or the one that does kept no entries)."""
    listings: dict[tuple[str, str], _Listing] = attached(reader, "_tuireader_vocabulary", dict)
    for n in range(len(word) + 1):
        listing = listings.get((fieldname, word[:n]))
        if listing is not None:
            return listing.entry(word)
    raise LookupError(word)


_RECORD_LENGTHS = struct.Struct("!ii")  # Whoosh's hash file: key length, value length, then both


def _read_listing(reader, fieldname: str, first: str) -> _Listing | None:
    """The field's words starting with ``first`` in one segment, in order, read in one piece.

    Whoosh reads the term dictionary a word at a time, three small file reads
    each: one letter of the notes' 30,000 words (URLs split) at 3,000
    documents took ~5 ms, the body's 6,000 words 25 ms.  A field's entries
    lie side by side in order (keyed by the field's number, then the word),
    so one read and a loop over the record lengths give the same words,
    ~3.5 times faster.  None when the reader is not Whoosh 2.7's term file
    or the field's words are not plain text (then Whoosh's own way is taken).
    """
    from whoosh.fields import FieldType

    terms = getattr(reader, "_terms", None)
    tindex, fieldmap = getattr(terms, "_tindex", None), getattr(terms, "_fieldmap", None)
    if (
        not isinstance(fieldmap, dict)
        or fieldname not in fieldmap
        or type(reader.schema[fieldname]).from_bytes is not FieldType.from_bytes  # numbers, dates
        or tindex is None
        or not all(hasattr(tindex, a) for a in ("closest_key_pos", "dbfile", "endofdata"))
    ):
        return None
    number = struct.pack("!H", fieldmap[fieldname])
    low = number + first.encode("utf-8")
    start = tindex.closest_key_pos(low)
    if start is None:
        return _Listing([], b"", array("Q"), array("Q"))
    # The first key past the prefix: the key with its last byte raised (UTF-8 has no 0xFF byte),
    # which for no prefix is the next field's number.
    high = low[:-1] + bytes([low[-1] + 1]) if first or fieldmap[fieldname] < 65535 else None
    if not first and high is not None:
        high = struct.pack("!H", fieldmap[fieldname] + 1)
    end = tindex.closest_key_pos(high) if high is not None else None
    blob = bytes(tindex.dbfile.get(start, (tindex.endofdata if end is None else end) - start))
    unpack, size = _RECORD_LENGTHS.unpack_from, _RECORD_LENGTHS.size
    words, starts, ends = [], array("Q"), array("Q")
    pos, stop = 0, len(blob)
    while pos < stop:
        keylen, datalen = unpack(blob, pos)
        pos += size
        words.append(blob[pos + 2 : pos + keylen].decode("utf-8"))
        pos += keylen
        starts.append(pos)
        pos += datalen
        ends.append(pos)
    return _Listing(words, blob, starts, ends)


def _words_from(reader, fieldname: str, first: str) -> list[str] | None:
    """The words of _read_listing (None when Whoosh's own way must be taken)."""
    listing = _read_listing(reader, fieldname, first)
    return None if listing is None else listing.words


def _starting_with(reader, fieldname: str, prefix: str) -> list[list[str]]:
    """Per segment, the field's words that start with ``prefix`` (sorted)."""
    found = []
    for leaf, _ in reader.leaf_readers():
        # A prefix's own words are read (a few hundred: a first letter's were 30 times as many),
        # unless the listing of a shorter prefix, which has them, was read before (while typing).
        words = _listing(leaf, fieldname, prefix).words
        found.append(words[bisect_left(words, prefix) : bisect_left(words, prefix + _AFTER_ANY)] if prefix else words)
    return found


def with_prefix(reader, fieldname: str, prefix: str) -> set[str]:
    """Every word of the field that starts with ``prefix``, over all segments."""
    if fieldname not in reader.schema:
        return set()
    return {word for words in _starting_with(reader, fieldname, prefix) for word in words}


def within(reader, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> set[str]:
    """The field's words at most ``maxdist`` edits from ``text`` that share its first ``prefix`` letters."""
    from rapidfuzz import process  # imported here: only a fuzzy query needs it
    from rapidfuzz.distance import OSA

    if fieldname not in reader.schema:
        return set()
    found: set[str] = set()
    for candidates in _starting_with(reader, fieldname, text[:prefix]):
        matches = process.extract(text, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
        found.update(word for word, _, _ in matches)
    return found
