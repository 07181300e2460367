"""The reader's notes and tags searched beside the library.

Annotations change with every note written, so they stay out of the document index
(re-indexing a document for each note would be wrong and slow): they are scanned in
the annotation store and their matches put before the documents' in the same
results, as hits whose snippet says "your note on …".

``annotation:WORD`` (or ``annotation:"a phrase"``) matches a note's text or the passage
it is on; ``tag:WORD`` matches an annotation's tag (and, in the index, a document's
tag, as before).  Plain words also find notes that contain all of them.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..core.find import fold as _fold
from ..search.results import SearchHit, SearchResults, Snippet
from .model import Annotation
from .store import AnnotationStore

if TYPE_CHECKING:
    from ..search import LibraryIndex

ANNOTATION_FIELD = "annotation"
_FIELD = re.compile(r'(?i)(?<![\w:])(annotation|tag):("([^"]*)"|\S+)')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


def fold(text: str) -> str:
    """Case and accents folded, as the in-document find folds them."""
    return _fold(text)[0]


def split_query(text: str) -> tuple[str, list[str], list[str], list[str]]:
    """(what the document index searches, annotation: terms, tag: terms, plain words)."""
    notes: list[str] = []
    tags: list[str] = []

    def take(m: re.Match[str]) -> str:
        value = m.group(3) if m.group(3) is not None else m.group(2)
        if m.group(1).lower() == "tag":
            tags.append(value)
            return m.group(0)  # documents' tags are in the index
        notes.append(value)
        return " "

    rest = _FIELD.sub(take, text)
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    plain = (
        [] if any(w in _OPERATORS or w.startswith("-") or ":" in w or w.endswith(("*", "~")) for w in words) else words
    )
    return " ".join(rest.split()), notes, tags, plain


def matching(store: AnnotationStore, notes: list[str], tags: list[str], plain: list[str]) -> list[Annotation]:
    if not (notes or tags or plain):
        return []
    found = []
    for a in store.all():
        note = fold(a.note)
        if notes and not all(fold(n) in note or fold(n) in fold(a.quote.exact) for n in notes):
            continue
        if tags and not all(fold(t) in {fold(x) for x in a.tags} for t in tags):
            continue
        if not (notes or tags) and not (a.note or a.tags):
            continue  # plain words look in what the reader wrote, not in passages already indexed
        if plain and not all(fold(w) in note or fold(w) in {fold(x) for x in a.tags} for w in plain):
            continue
        found.append(a)
    found.sort(key=lambda a: a.modified, reverse=True)
    return found


def annotation_hit(a: Annotation) -> SearchHit:
    passage = " ".join(a.quote.exact.split())
    if len(passage) > 80:
        passage = passage[:79] + "…"
    head = f"your note on “{passage}”" if a.note else f"your highlight “{passage}”"
    tail = ""
    if a.note:
        tail += ": " + " ".join(a.note.split())
    if a.tags:
        tail += "  #" + " #".join(a.tags)
    text = head + tail
    return SearchHit(
        id=a.doc_id,
        path="",
        title=a.doc_title or a.doc_id,
        date=None,
        score=0.0,
        snippets=[Snippet(text, [], field=ANNOTATION_FIELD)],
        offsets=[(a.start, a.end)],
    )


def search_with_annotations(
    index: LibraryIndex, store: AnnotationStore | None, text: str, *, limit: int = 10, **options: Any
) -> SearchResults:
    """The index's results with the matching annotations first.

    A query with an ``annotation:`` term is about the reader's notes only: the index is not asked.
    """
    doc_query, notes, tags, plain = split_query(text)
    found = matching(store, notes, tags, plain) if store is not None else []
    if notes:
        results = SearchResults(text, 0, [])
    else:
        results = replace(index.search(doc_query, limit=limit, **options), query=text)
    if not found:
        return results
    hits = [annotation_hit(a) for a in found[:limit]]
    return replace(results, total=results.total + len(found), hits=[*hits, *results.hits])
