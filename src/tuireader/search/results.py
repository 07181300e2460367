"""What a search returns: plain objects, no Whoosh types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    hits: list[tuple[int, int]]  # spans of ``text`` to emphasise
    field: str = "body"  # "body" or "footnotes"
    page: int | None = None  # in a paged document (PDF): the page of its first hit

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "hits": [list(h) for h in self.hits], "field": self.field}
        if self.page is not None:
            data["page"] = self.page
        return data


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    path: str
    title: str
    date: str | None
    score: float
    snippets: list[Snippet]
    # Every hit in the document, as character offsets into the source file (see README: Offsets).
    offsets: list[tuple[int, int]]
    authors: list[str] = field(default_factory=list)
    date_end: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "date_end": self.date_end,
            "authors": list(self.authors),
            "score": round(self.score, 4),
            "snippets": [s.to_json() for s in self.snippets],
            "offsets": [list(o) for o in self.offsets],
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit]
    messages: list[str] = field(default_factory=list)  # problems with the query, one line each
    notes: list[str] = field(default_factory=list)  # what was done about a broad query
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "messages": list(self.messages),
            "notes": list(self.notes),
            "facets": {k: [list(x) for x in v] for k, v in self.facets.items()},
        }
