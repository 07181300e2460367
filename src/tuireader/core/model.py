"""The document model: what a parsed article is, independent of any UI.

Offsets: every ``source_*`` field is a character offset into the document's source
text.  For a text format (plain text, Markdown, HTML, …) that is the decoded file
(byte-order mark removed, line endings exactly as in the file), so
``read_source(path).text[start:end]`` gives back the original characters.  A
container (an EPUB's or DOCX's XML members) or a paged file (PDF) has ``parts``:
its source is the parts' decoded texts laid end to end, and ``Document.locate``
turns an offset into the member (or page) and the offset inside it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .mapped import MappedText
from .visible import visible_name

# Block kinds.  Title, byline and date lines are consumed into metadata and
# kept in ``Document.meta_spans``; everything a reader reads is a block.
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
QUOTE = "quote"
CODE = "code"
TABLE = "table"
CONTRIBUTORS = "contributors"
SIGNATURE = "signature"

PROSE_KINDS = frozenset({PARAGRAPH, LIST_ITEM, QUOTE})


@dataclass(slots=True)
class Ref:
    """A footnote marker taken out of a block's text.

    ``at`` is the position in the block text where the marker stood (it is
    shown just before the character at ``at``); ``source_offset`` and
    ``source_end`` delimit the marker itself in the file.
    """

    label: str
    at: int
    source_offset: int
    source_end: int
    key: str = ""  # the footnote key this marker resolves to
    bbox: tuple[float, float, float, float] | None = None  # on its page (x0, y0, x1, y1, PDF points), paged files

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "label": self.label,
            "at": self.at,
            "source_offset": self.source_offset,
            "source_end": self.source_end,
        }
        if self.bbox is not None:
            data["bbox"] = list(self.bbox)
        return data


@dataclass(slots=True)
class InlineSpan:
    """Emphasis, code or a link inside a block's text."""

    kind: str  # "bold" | "italic" | "code" | "math" | "link"
    start: int
    end: int
    target: str = ""


@dataclass(slots=True)
class Block:
    kind: str
    content: MappedText
    refs: list[Ref] = field(default_factory=list)
    spans: list[InlineSpan] = field(default_factory=list)
    marker: str = ""  # list item marker as written ("1.", "-")
    level: int = 0  # heading level
    bbox: tuple[float, float, float, float] | None = None  # where it starts: its box on that page (paged files)
    # A table's cells: each row a list of (start, end) ranges of ``text``; the first row is
    # the header when the table has one (a Markdown pipe table always does).
    rows: list[list[tuple[int, int]]] = field(default_factory=list)
    depth: int = 0  # how many list items and block quotes contain the block (Markdown)
    # what contains it, outermost first: ">" a block quote, "-" a list item, ":" a definition
    # ("->" a quote in a list item); ``depth`` is its length
    nesting: str = ""
    header: bool = True  # a table's first row is its header (an HTML table says so with <th>)

    @property
    def text(self) -> str:
        return self.content.text

    @property
    def source_start(self) -> int:
        return self.content.source_span(0, len(self.content))[0]

    @property
    def source_end(self) -> int:
        return self.content.source_span(0, len(self.content))[1]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.content.source_span(start, end)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "refs": [r.to_json() for r in self.refs],
            "source_start": self.source_start,
            "source_end": self.source_end,
        }
        if self.marker:
            data["marker"] = self.marker
        if self.level:
            data["level"] = self.level
        if self.bbox is not None:
            data["bbox"] = list(self.bbox)
        if self.rows:
            data["rows"] = [[self.text[a:b] for a, b in row] for row in self.rows]
            if not self.header:
                data["header"] = False
        if self.depth:
            data["depth"] = self.depth
        if self.nesting:
            data["nesting"] = self.nesting
        links = [sp for sp in self.spans if sp.kind in ("link", "image") and sp.target]
        if links:
            data["links"] = [
                {"text": self.text[sp.start : sp.end], "url": sp.target, "start": sp.start, "end": sp.end}
                for sp in links
            ]
        return data


@dataclass(slots=True)
class Link:
    url: str
    source_start: int
    source_end: int


@dataclass(slots=True)
class Footnote:
    key: str  # normalised label used for resolution ("13", "note-a")
    label: str  # as shown to the reader
    content: MappedText
    links: list[Link] = field(default_factory=list)
    cited_at: list[tuple[int, int]] = field(default_factory=list)  # (block index, at)
    defined: bool = True
    source_start: int = 0
    source_end: int = 0
    bbox: tuple[float, float, float, float] | None = None  # where it starts: its box on that page (paged files)
    # The note's own blocks when it has structure (a Markdown note's paragraphs, code,
    # quotes); ``content`` is their texts joined by newlines.
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.content.text

    @property
    def urls(self) -> list[str]:
        return [link.url for link in self.links]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "label": self.label,
            "text": self.text,
            "urls": self.urls,
            "cited_at": [list(c) for c in self.cited_at],
            "defined": self.defined,
            "source_start": self.source_start,
            "source_end": self.source_end,
            **({"blocks": [b.to_json() for b in self.blocks]} if len(self.blocks) > 1 else {}),
        }
        if self.bbox is not None:
            data["bbox"] = list(self.bbox)
        return data


@dataclass(slots=True)
class ParseWarning:
    code: str
    message: str
    source_offset: int | None = None

    def __post_init__(self) -> None:
        self.message = visible_name(self.message)  # messages quote file names and document text

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "source_offset": self.source_offset}

    def __str__(self) -> str:
        where = f" (at offset {self.source_offset})" if self.source_offset is not None else ""
        return f"{self.code}: {self.message}{where}"


@dataclass(frozen=True, slots=True)
class SourcePart:
    """Where one member of a container (``member``, its path in the archive) or one page
    of a paged file (``page``, from 1) begins in the document's source offsets."""

    start: int
    member: str | None = None
    page: int | None = None


@dataclass(slots=True, repr=False)
class Document:
    id: str
    path: Path
    format: str  # "text" | "markdown"
    title: str
    authors: list[str]
    date: str | None  # ISO 8601 date
    date_end: str | None
    source: str | None
    url: str | None
    tags: list[str]
    blocks: list[Block]
    footnotes: list[Footnote]
    warnings: list[ParseWarning]
    encoding: str = "utf-8"
    meta_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    parts: list[SourcePart] = field(default_factory=list)  # in start order; empty for a one-piece text
    language: str | None = None  # as the document states it ("English", "en")

    def __repr__(self) -> str:
        # short: Textual's @work puts each argument's repr in the worker's description, and the
        # full repr of a document with 100,000 notes took seconds on the UI thread at each open
        return f"Document({self.id!r}, {self.format}, {len(self.blocks)} blocks, {len(self.footnotes)} notes)"

    def locate(self, offset: int) -> dict[str, Any]:
        """The member or page an offset falls in and the offset inside it ({} for a one-piece text)."""
        if not self.parts:
            return {}
        i = bisect_right([p.start for p in self.parts], offset) - 1
        part = self.parts[max(i, 0)]
        where: dict[str, Any] = {}
        if part.member is not None:
            where["member"] = part.member
            where["member_offset"] = offset - part.start
        if part.page is not None:
            where["page"] = part.page
            where["page_offset"] = offset - part.start
        return where

    @property
    def page_count(self) -> int:
        """Pages of a paged file (PDF); 0 for any other document."""
        return sum(1 for p in self.parts if p.page is not None)

    def page_start(self, page: int) -> int | None:
        """The source offset where page ``page`` (from 1) begins, or None if there is no such page."""
        for part in self.parts:
            if part.page == page:
                return part.start
        return None

    def footnote(self, key: str) -> Footnote | None:
        for note in self.footnotes:
            if note.key == key:
                return note
        return None

    def place_spans(
        self, offsets: list[tuple[int, int]]
    ) -> tuple[list[tuple[int, int, int]], dict[str, list[tuple[int, int]]]]:
        """Source spans (search hits) as (block, start, end) in the text and, for those in
        notes, note key -> [(start, end)] in the note's text; spans in neither are dropped."""
        body: list[tuple[int, int, int]] = []
        in_notes: dict[str, list[tuple[int, int]]] = {}
        for start, end in offsets:
            near: tuple[int, tuple[int, int]] | None = None  # a block that holds only the next character
            for bi, block in enumerate(self.blocks):
                if block.source_start <= start < block.source_end:
                    placed = _place(block.content, start, end)
                    if placed and _shows(block.content, start):
                        body.append((bi, *placed))
                        break
                    if placed and near is None:
                        near = (bi, placed)
            else:
                # not shown by a block: a note's (a PDF paragraph across a page break spans the
                # page's footnote band, which lies between the two pages' text in the source),
                # else the block's next character (a marker's offset: removed from the text)
                for note in self.footnotes:
                    if note.defined and note.source_start <= start < note.source_end:
                        placed = _place(note.content, start, end)
                        if placed:
                            in_notes.setdefault(note.key, []).append(placed)
                            break
                else:
                    if near is not None:
                        body.append((near[0], *near[1]))
        return body, in_notes

    @property
    def unresolved_markers(self) -> int:
        return sum(len(n.cited_at) for n in self.footnotes if not n.defined)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": str(self.path),
            "format": self.format,
            "title": self.title,
            "authors": list(self.authors),
            "date": self.date,
            "date_end": self.date_end,
            "source": self.source,
            "url": self.url,
            "tags": list(self.tags),
            "language": self.language,
            "encoding": self.encoding,
            "blocks": [self._located(b.to_json(), b.source_start, b.refs) for b in self.blocks],
            "footnotes": [self._located(n.to_json(), n.source_start, []) for n in self.footnotes],
            "warnings": [w.to_json() for w in self.warnings],
        }

    def _located(self, data: dict[str, Any], start: int, refs: list[Ref]) -> dict[str, Any]:
        if self.parts:
            data.update(self.locate(start))
            for ref_data, ref in zip(data.get("refs", []), refs, strict=True):
                ref_data.update(self.locate(ref.source_offset))
        return data


def _shows(content: MappedText, source_offset: int) -> bool:
    """Whether the text shows that very source character (not only a character after it)."""
    return any(seg.tlen == seg.slen and seg.s <= source_offset < seg.s + seg.slen for seg in content.segments)


def _place(content: MappedText, start: int, end: int) -> tuple[int, int] | None:
    a = content.text_position(start)
    b = content.text_position(max(start, end - 1))
    return (a, b + 1) if a is not None and b is not None else None
