"""An annotation, shaped as the W3C Web Annotation model describes one.

Its target is the document (``doc_id``) with two selectors: the source offsets
(a TextPositionSelector, offsets as in ``show --json``) and a TextQuoteSelector (the
exact text with some text before and after it), so that an edited file can be
re-anchored by its words.  ``content_hash`` is the file's hash when it was anchored:
while it is unchanged, the offsets hold.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

HIGHLIGHT = "highlight"
BOOKMARK = "bookmark"
KINDS = (HIGHLIGHT, BOOKMARK)
COLOURS = ("yellow", "green", "blue", "pink")

# Anchoring states
ANCHORED = "anchored"  # the offsets show the quoted text
MOVED = "moved"  # found again by its exact words elsewhere
FUZZY = "fuzzy"  # found again by similar words
ORPHANED = "orphaned"  # not found: kept, listed, and tried again when the file changes
STATUSES = (ANCHORED, MOVED, FUZZY, ORPHANED)

CONTEXT = 32  # characters of prefix and suffix kept with a quote


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class TextQuote:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Annotation:
    doc_id: str
    start: int
    end: int
    quote: TextQuote
    content_hash: str
    kind: str = HIGHLIGHT
    colour: str = COLOURS[0]
    note: str = ""
    tags: tuple[str, ...] = ()
    id: str = field(default_factory=lambda: f"urn:uuid:{uuid.uuid4()}")
    created: str = field(default_factory=now_iso)
    modified: str = ""
    status: str = ANCHORED
    doc_title: str = ""  # for listing the library's annotations without parsing every document

    def __post_init__(self) -> None:
        if not self.modified:
            object.__setattr__(self, "modified", self.created)

    def edited(self, **changes: Any) -> Annotation:
        return replace(self, modified=now_iso(), **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "exact": self.quote.exact,
            "prefix": self.quote.prefix,
            "suffix": self.quote.suffix,
            "content_hash": self.content_hash,
            "colour": self.colour,
            "note": self.note,
            "tags": list(self.tags),
            "status": self.status,
            "created": self.created,
            "modified": self.modified,
            "doc_title": self.doc_title,
        }


def clean_tags(tags: Any) -> tuple[str, ...]:
    """Tags as given ("a, b" or a list): trimmed, without '#', duplicates dropped, order kept."""
    items = tags.replace(",", " ").split() if isinstance(tags, str) else list(tags)
    out: list[str] = []
    for tag in items:
        t = str(tag).strip().lstrip("#").strip()
        if t and t not in out:
            out.append(t)
    return tuple(out)
