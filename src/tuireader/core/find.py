"""Find a string in one document as less and vim do: literal, smart case, accents folded.

The text and the query are folded the same way -- compatibility decomposition (NFKD), combining
marks dropped, and case folded unless the query has a capital letter -- so ``erdogan`` finds
"Erdoğan", ``cafe`` finds "café" and ``ﬁnd`` finds "find".  Every folded character remembers
the original character it came from, so a hit is a span of the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .model import Document


def fold(text: str, *, ignore_case: bool = True) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():  # the common case, without the Unicode tables
            piece = ch.lower() if ignore_case else ch
        else:
            piece = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            if ignore_case:
                piece = piece.casefold()
        if piece.isspace():
            piece = " "  # a line break in a note matches the space typed in the query
        out.append(piece)
        origin.extend([i] * len(piece))
    return "".join(out), origin


def smart_case_ignores_case(query: str) -> bool:
    """Case matters only when the query has a capital letter (vim's smartcase)."""
    return not any(ch.isupper() for ch in query)


def find_spans(text: str, query: str, *, ignore_case: bool | None = None) -> list[tuple[int, int]]:
    """(start, end) of every non-overlapping occurrence of ``query`` in ``text``, folded
    (case too unless ``ignore_case`` is False, or None and the query has a capital)."""
    if ignore_case is None:
        ignore_case = smart_case_ignores_case(query)
    needle, _ = fold(query, ignore_case=ignore_case)
    if not needle.strip():
        return []
    haystack, origin = fold(text, ignore_case=ignore_case)
    spans = []
    at = haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        spans.append((origin[at], origin[end - 1] + 1))
        at = haystack.find(needle, end)
    return spans


@dataclass(slots=True)
class DocumentHits:
    """Where a query occurs in a document: in its text blocks, then in its notes."""

    body: list[tuple[int, int, int]]  # (block, start, end) in the block's text
    notes: dict[str, list[tuple[int, int]]]  # note key -> spans of the note's text

    @property
    def total(self) -> int:
        return len(self.body) + sum(len(v) for v in self.notes.values())

    @property
    def in_notes(self) -> int:
        return sum(len(v) for v in self.notes.values())


def find_in_document(doc: Document, query: str) -> DocumentHits:
    body = [(bi, a, b) for bi, block in enumerate(doc.blocks) for a, b in find_spans(block.text, query)]
    notes: dict[str, list[tuple[int, int]]] = {}
    for note in doc.footnotes:
        if note.defined:
            spans = find_spans(note.text, query)
            if spans:
                notes.setdefault(note.key, []).extend(spans)
    return DocumentHits(body, notes)
