"""Find in one document without an index (a file opened from outside the library):
plain, case-insensitive matching of the query's words and phrases."""

from __future__ import annotations

import re

from ..core.model import Document
from .results import SearchHit, SearchResults, Snippet


def find_in_document(doc: Document, query: str) -> SearchResults:
    needles = [p for p in re.findall(r'"([^"]+)"|(\S+)', query) for p in p if p]
    needles = [n for n in needles if n.upper() not in ("AND", "OR", "NOT") and not n.startswith("-")]
    needles = [n.rstrip("*~") for n in needles if n.rstrip("*~")]
    if not needles:
        return SearchResults(query, 0, [], ["empty query"])
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.IGNORECASE)
    offsets: list[tuple[int, int]] = []
    snippets: list[Snippet] = []
    parts = [(b.content, "body") for b in doc.blocks] + [(n.content, "footnotes") for n in doc.footnotes]
    for content, field in parts:
        for m in pattern.finditer(content.text):
            offsets.append(content.source_span(m.start(), m.end()))
            if len(snippets) < 3:
                a = max(0, m.start() - 80)
                piece = content.text[a : m.end() + 80].replace("\n", " ")
                snippets.append(Snippet(piece, [(m.start() - a, m.end() - a)], field))
    if not offsets:
        return SearchResults(query, 0, [], [], ["plain find: this document is not in the library index"])
    hit = SearchHit(
        doc.id, str(doc.path), doc.title, doc.date, 1.0, snippets, sorted(offsets), list(doc.authors), doc.date_end
    )
    return SearchResults(query, 1, [hit], [], ["plain find: this document is not in the library index"])
