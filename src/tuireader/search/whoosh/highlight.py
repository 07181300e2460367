"""Highlighting: where a query matched in each hit, as character spans, source offsets and snippets."""

from __future__ import annotations

import functools
import heapq
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from ..results import SearchHit, Snippet
from . import terms
from .analysis import FastCharacters, characters_of
from .evaluate import values_at
from .fields import FlatMap
from .phrase import phrase_matches
from .text_column import SlicedText

TextLike = str | SlicedText  # what snippets are cut from: only its length and slices are used

SNIPPET_CHARS = 220


def positions(searcher, q, compiled, docnums: list[int], seen=None) -> dict[int, dict[str, list[tuple[int, int]]]]:
    """Character spans of every hit, for the given documents only, field by field.

    The postings values come from what the evaluation kept (``seen``), or
    else are read for these documents alone (evaluate.values_at).
    """
    spans: dict[int, dict[str, list[tuple[int, int]]]] = {d: {"body": [], "footnotes": []} for d in docnums}
    ordered = sorted(docnums)
    phrase_words = {(f, w) for f, words, _ in compiled.phrases for w in words}
    occurrences: dict[tuple[str, str], dict[int, dict[int, tuple[int, int]]]] = {}
    for fieldname, btext in sorted(expanded_terms(q, searcher.reader())):
        if fieldname not in ("body", "footnotes"):
            continue
        word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        standalone = (fieldname, word) in compiled.terms or (fieldname, word) not in phrase_words
        values = seen.values(fieldname, btext, ordered) if seen is not None else None
        if values is None:
            values = values_at(searcher, fieldname, btext, ordered)
        fmt = searcher.schema[fieldname].format
        decode, flat_values = fmt.decode_characters, isinstance(fmt, FastCharacters)
        in_phrase = (fieldname, word) in phrase_words
        for docnum, value in values.items():
            if standalone and not in_phrase and flat_values:  # the common case, without a tuple per occurrence
                flat = characters_of(value)
                spans[docnum][fieldname].extend(zip(flat[1::3], flat[2::3], strict=True))
                continue
            found = decode(value)
            if standalone:
                spans[docnum][fieldname].extend((start, end) for _, start, end in found)
            if in_phrase:
                occurrences.setdefault((fieldname, word), {})[docnum] = {p: (a, b) for p, a, b in found}
    for fieldname, words, slop in compiled.phrases:
        if fieldname not in ("body", "footnotes") or not words:
            continue
        for docnum in ordered:
            per_word = [occurrences.get((fieldname, w), {}).get(docnum) for w in words]
            if all(per_word):
                spans[docnum][fieldname].extend(_phrase_spans(per_word, slop))  # type: ignore[arg-type]
    return spans


def hit(
    stored: dict[str, Any],
    score: float,
    by_field: dict[str, list[tuple[int, int]]],
    text_of: Callable[[str], TextLike] | None = None,
) -> SearchHit:
    """``text_of(field)``: the field's text, read only where a snippet needs it (a big
    document's text is not loaded whole); without it, from ``stored``."""
    if text_of is None:
        text_of = functools.partial(_stored_text, stored)
    offsets: list[tuple[int, int]] = []
    snippets: list[Snippet] = []
    for fieldname, map_key in (("body", "body_map"), ("footnotes", "notes_map")):
        spans = _merge(sorted(by_field[fieldname]))
        if not spans:
            continue
        text = text_of(fieldname)
        mapped = FlatMap(len(text), stored.get(map_key) or b"")
        offsets.extend(mapped.source_spans(spans))
        if len(snippets) < 3:
            page_of = _page_finder(stored.get("page_starts"), mapped)
            snippets.extend(make_snippets(text, spans, 3 - len(snippets), fieldname, page_of))
    if not snippets:
        body = text_of("body")
        snippets = [Snippet(_clip(body, 0, SNIPPET_CHARS)[0], [], "body")] if len(body) else []
    return SearchHit(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title", ""),
        date=stored.get("date_start"),
        date_end=stored.get("date_end"),
        score=score,
        snippets=snippets,
        offsets=sorted(set(offsets)),
        authors=[a for a in (stored.get("authors") or "").split(", ") if a],
    )


def _stored_text(stored: dict[str, Any], fieldname: str) -> str:
    return stored.get(fieldname, "")


def expanded_terms(q, reader) -> set[tuple[str, bytes]]:
    """The (field, term) pairs of a query that occur in the index, expansions included.

    Not Query.existing_terms(): in Whoosh 2.7 its loop variable shadows the
    field argument, so after the first leaf it skips every other field's terms.
    """
    found: set[tuple[str, bytes]] = set()
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname not in reader.schema:
                continue
            try:
                btext = reader.schema[fieldname].to_bytes(text)
            except ValueError:
                continue
            if terms.holds(reader, fieldname, btext):  # `in reader`, from the kept entries
                found.add((fieldname, btext))
    return found


def _phrase_spans(per_word: list[dict[int, tuple[int, int]]], slop: int = 1) -> list[tuple[int, int]]:
    """Where the words occur one after another, as character spans (``per_word``: position -> span)."""
    found = phrase_matches([list(occ) for occ in per_word], slop)
    return [(per_word[0][first][0], per_word[-1][last][1]) for last, first in found.items()]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping (and the repeated) ones joined."""
    out: list[tuple[int, int]] = []
    for span in spans:
        if out and span[0] <= out[-1][1]:
            if span[1] > out[-1][1]:
                out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)  # the same tuple: a big document has a great many
    return out


def _clip(text: TextLike, start: int, end: int) -> tuple[str, Callable[[int], int]]:
    """``text[start:end]`` widened to word boundaries, on one line, with ellipses; returns the
    clip and where a position in ``text`` falls in it. A run of white space (the blank line
    between two paragraphs) becomes one space, so a snippet reads as a sentence.  Reads
    only the slice of ``text`` it may widen into."""
    size = len(text)
    start = max(0, start)
    end = min(size, end)
    base = max(0, min(start, end) - SNIPPET_CHARS - 21)
    piece = text[base : min(size, max(start, end) + SNIPPET_CHARS + 21)]
    # below, positions in ``piece``; the widening stops within it (see the bounds above)
    start, end = start - base, end - base
    while start > 0 and not piece[start - 1].isspace() and start > end - SNIPPET_CHARS - 20:
        start -= 1
    while end < len(piece) and not piece[end].isspace() and end < start + SNIPPET_CHARS + 20:
        end += 1
    prefix = "…" if base + start > 0 else ""
    suffix = "…" if base + end < size else ""
    window = piece[start:end]
    first, width, lead = base + start, end - start, len(prefix)

    def place(pos: int) -> int:
        # what comes before the position, made one line (a run of space the position cuts
        # counts its first space, as in the clip)
        return lead + len(_one_line(window[: min(max(pos - first, 0), width)]))

    return prefix + _one_line(window) + suffix, place


def _one_line(text: str) -> str:
    """Each run of white space (what str.isspace calls space) made one space; str.split in C
    (a regular expression took five times as long)."""
    words = text.split()
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")


def _page_finder(page_starts: list[int] | None, mapped) -> Callable[[int], int] | None:
    """For a paged document (PDF), the page (from 1) of a position in the stored text."""
    if not page_starts:
        return None
    return lambda pos: bisect_right(page_starts, mapped.source_span(pos, pos + 1)[0])


def make_snippets(
    text: TextLike,
    spans: list[tuple[int, int]],
    count: int,
    fieldname: str,
    page_of: Callable[[int], int] | None = None,
) -> list[Snippet]:
    """Up to ``count`` windows of the text with the most hits, in reading order; with
    ``page_of``, each says the page of its first hit.  Only the best ``count`` windows are
    kept while the spans are scanned, and only their text is read."""
    best: list[tuple[int, int, int, list[tuple[int, int]]]] = []  # a heap: (hits, -start, end, group)
    i = 0
    while i < len(spans):
        a = spans[i][0]
        j = i + 1
        while j < len(spans) and spans[j][1] - a <= SNIPPET_CHARS - 40:
            j += 1
        window = (j - i, -a, spans[j - 1][1], spans[i:j])
        if len(best) < count:
            heapq.heappush(best, window)
        elif window[:2] > best[0][:2]:  # more hits, or as many and earlier
            heapq.heapreplace(best, window)
        i = j
    snippets = []
    for _, minus_a, b, group in sorted(best, key=lambda w: -w[1]):
        a = -minus_a
        pad = max(0, (SNIPPET_CHARS - (b - a)) // 2)
        clip, place = _clip(text, a - pad, b + pad)
        page = page_of(group[0][0]) if page_of is not None else None
        snippets.append(Snippet(clip, [(place(s), place(e)) for s, e in group], fieldname, page))
    return snippets
