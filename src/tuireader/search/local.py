"""Find in one document without an index (a file opened from outside the library, or changed
since it was indexed): the query's words and phrases matched as the in-document find matches
(``core.find``: case and accents folded), each hit with its source offsets and a snippet."""

from __future__ import annotations

import re

from ..core.find import find_spans
from ..core.model import Document
from .results import SearchHit, SearchResults, Snippet

PLAIN = "plain find: this document is not in the library index"


def query_needles(query: str) -> list[str]:
    """The words and quoted phrases of a query, without operators, exclusions and wildcards."""
    needles = [p for p in re.findall(r'"([^"]+)"|(\S+)', query) for p in p if p]
    needles = [n for n in needles if n.upper() not in ("AND", "OR", "NOT") and not n.startswith("-")]
    return [n.rstrip("*~") for n in needles if n.rstrip("*~")]


def find_in_document(doc: Document, query: str) -> SearchResults:
    needles = sorted(query_needles(query), key=len, reverse=True)
    if not needles:
        return SearchResults(query, 0, [], ["empty query"])
    offsets: list[tuple[int, int]] = []
    snippets: list[Snippet] = []
    parts = [(b.content, "body") for b in doc.blocks] + [(n.content, "footnotes") for n in doc.footnotes]
    for content, field in parts:
        text = content.text
        spans: list[tuple[int, int]] = []
        for needle in needles:  # longest first: a phrase is kept whole over its words
            spans.extend(s for s in find_spans(text, needle, ignore_case=True) if not _overlaps(s, spans))
        for start, end in sorted(spans):
            offsets.append(content.source_span(start, end))
            if len(snippets) < 3:
                a = max(0, start - 80)
                piece = text[a : end + 80].replace("\n", " ")
                snippets.append(Snippet(piece, [(start - a, end - a)], field))
    if not offsets:
        return SearchResults(query, 0, [], [], [PLAIN])
    hit = SearchHit(
        doc.id, str(doc.path), doc.title, doc.date, 1.0, snippets, sorted(offsets), list(doc.authors), doc.date_end
    )
    return SearchResults(query, 1, [hit], [], [PLAIN])


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)
