"""Building a ``Document`` from a structured reader's output (DOCX, ODT, rST, Org).

Those readers know where blocks, markers and notes are; what they share is turning
pieces of text with source offsets into blocks (white space collapsed, control
characters made visible, every marker and link kept at its place), and linking
markers to notes with the same warnings the text parser gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..footnotes import cite_notes, find_urls
from ..inline import make_displayable
from ..mapped import Edit, MappedText, Segment
from ..metadata import Metadata
from ..model import Block, Document, Footnote, InlineSpan, Link, ParseWarning, Ref, SourcePart
from . import ReadRequest, document_from

_SPACES = r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_SPACE_RUN = re.compile(_SPACES + "+")
_TRAILING_SPACE = re.compile(_SPACES + r"+\Z")
_CHANGED_SPACE = re.compile(_SPACES + "{2,}|[\t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_PARAGRAPH_BREAK = "\n\n"


@dataclass(slots=True)
class Draft:
    """A block (or one paragraph of a note) being built: text pieces in order, markers
    and inline spans at positions in the text so far."""

    kind: str = "paragraph"
    level: int = 0
    marker: str = ""
    pieces: list[MappedText] = field(default_factory=list)
    length: int = 0
    refs: list[tuple[str, str, int, int, int]] = field(default_factory=list)  # label, key, at, start, end
    spans: list[InlineSpan] = field(default_factory=list)
    open_spans: list[tuple[str, int, str]] = field(default_factory=list)
    keep_lines: bool = False  # code and tables: line breaks and spaces are content
    cells: list[list[tuple[int, int]]] = field(default_factory=list)  # a table's rows of cell ranges
    rows: list[list[tuple[int, int]]] = field(default_factory=list)  # the same, in the finished text

    def text(self, text: str, start: int, *, exact: bool = True, source_len: int | None = None) -> None:
        """``text`` taken from the source at ``start`` (exact: character for character;
        otherwise it stands for ``source_len`` characters there, e.g. an entity)."""
        if not text:
            return
        if exact:
            piece = MappedText(text, (Segment(0, len(text), start, len(text)),))
        else:
            piece = MappedText(text, (Segment(0, len(text), start, source_len or 0),))
        self.pieces.append(piece)
        self.length += len(text)

    def mapped(self, piece: MappedText) -> None:
        if piece.text:
            self.pieces.append(piece)
            self.length += len(piece.text)

    def synthetic(self, text: str, anchor: int) -> None:
        """Text the source implies but does not spell (a tab, a separator, a label)."""
        self.text(text, anchor, exact=False, source_len=0)

    def ref(self, label: str, key: str, start: int, end: int, *, attach: bool = False) -> None:
        """A marker here; ``attach``: the white space before it was only syntax (rST's
        ``word [1]_``), so the marker stands right after the word."""
        if attach:
            while self.pieces and not self.pieces[-1].text.rstrip():
                self.length -= len(self.pieces.pop().text)
            if self.pieces:
                last = self.pieces[-1]
                kept = len(last.text.rstrip())
                if kept < len(last.text):
                    self.pieces[-1] = last.slice(0, kept)
                    self.length -= len(last.text) - kept
        self.refs.append((label, key, self.length, start, end))

    def open_span(self, kind: str, target: str = "") -> None:
        self.open_spans.append((kind, self.length, target))

    def close_span(self) -> None:
        if self.open_spans:
            kind, start, target = self.open_spans.pop()
            if self.length > start:
                self.spans.append(InlineSpan(kind, start, self.length, target))

    def extend(self, other: Draft) -> None:
        """Append another draft's text, markers and spans (a table cell into its row)."""
        base = self.length
        for piece in other.pieces:
            self.mapped(piece)
        self.refs.extend((lb, k, at + base, s, e) for lb, k, at, s, e in other.refs)
        self.spans.extend(InlineSpan(sp.kind, sp.start + base, sp.end + base, sp.target) for sp in other.spans)

    def finish(self) -> tuple[MappedText, list[Ref], list[InlineSpan]] | None:
        """The cleaned text with markers and spans moved to match, or None when empty."""
        while self.open_spans:
            self.close_span()
        content = MappedText.join(self.pieces)
        if not content.text.strip():
            if not self.refs:
                return None
        edits: list[Edit] = []
        text = content.text
        if self.keep_lines:
            stripped_start = len(text) - len(text.lstrip("\n"))
            stripped_end = len(text.rstrip())
            if stripped_start:
                edits.append(Edit(0, stripped_start))
            if stripped_end < len(text):
                edits.append(Edit(max(stripped_end, stripped_start), len(text)))
        else:
            lead = _SPACE_RUN.match(text)
            begin = lead.end() if lead else 0
            trail = _TRAILING_SPACE.search(text, begin)
            finish = trail.start() if trail else len(text)
            if begin:
                edits.append(Edit(0, begin))
            # only runs that change: two or more, or one that is not a plain space
            edits.extend(Edit(m.start(), m.end(), " ") for m in _CHANGED_SPACE.finditer(text, begin, finish))
            if finish < len(text):
                edits.append(Edit(finish, len(text)))
        content, moved = content.edit(edits)
        content = MappedText(make_displayable(content.text), content.segments)
        refs = [Ref(label, min(moved(at), len(content.text)), s, e, key) for label, key, at, s, e in self.refs]
        spans = []
        for sp in self.spans:
            a, b = moved(sp.start), moved(sp.end)
            if b > a:
                spans.append(InlineSpan(sp.kind, a, min(b, len(content.text)), sp.target))
        n = len(content.text)
        self.rows = [[(min(moved(a), n), min(moved(b), n)) for a, b in row] for row in self.cells if row]
        return content, refs, spans

    def block(self) -> Block | None:
        done = self.finish()
        if done is None:
            return None
        content, refs, spans = done
        block = Block(self.kind, content, refs, spans, self.marker, self.level)
        # cell ranges let the reader draw a grid wrapped at words in each cell
        block.rows = self.rows
        return block


@dataclass(slots=True)
class NoteDraft:
    key: str
    label: str
    source_start: int
    source_end: int
    paragraphs: list[Draft] = field(default_factory=list)
    urls: list[tuple[str, int, int]] = field(default_factory=list)  # link targets the source gave


def build_note(note: NoteDraft) -> Footnote:
    parts: list[MappedText] = []
    targets: list[tuple[int, str, int, int]] = []  # text position, url, source span
    for para in note.paragraphs:
        done = para.finish()
        if done is None:
            continue
        content, _refs, spans = done
        if parts:
            parts.append(MappedText.synthetic(_PARAGRAPH_BREAK, content.source_span(0, 0)[0]))
        base = sum(len(p.text) for p in parts)
        parts.append(content)
        for sp in spans:
            if sp.kind == "link" and sp.target:
                targets.append((base + sp.start, sp.target, *content.source_span(sp.start, sp.end)))
    content = MappedText.join(parts)
    in_text = [(a, url, *content.source_span(a, b)) for url, a, b in find_urls(content.text)]
    # A link's target and a URL written in the note are usually the same; a parser that cut
    # a written URL short (docutils stops a bare URL at "no_") must not make two of it.
    targets = [t for t in targets if not any(u[1] != t[1] and u[1].startswith(t[1]) for u in in_text)]
    links: list[Link] = []
    seen: set[str] = set()
    for _pos, url, s0, s1 in sorted(targets + in_text):
        if url not in seen:
            links.append(Link(url, s0, s1))
            seen.add(url)
    for url, s0, s1 in note.urls:
        if url not in seen and not any(u.startswith(url) for u in seen):
            links.append(Link(url, s0, s1))
            seen.add(url)
    return Footnote(note.key, note.label, content, links, source_start=note.source_start, source_end=note.source_end)


def assemble(
    request: ReadRequest,
    fmt: str,
    blocks: list[Block],
    notes: list[NoteDraft],
    meta: Metadata,
    *,
    parts: list[SourcePart] | None = None,
    encoding: str = "utf-8",
    meta_spans: dict[str, tuple[int, int]] | None = None,
) -> Document:
    """The document: notes linked to their markers (in the order given), missing and
    uncited notes reported, the sidecar's metadata over what the file said."""
    warnings = request.warnings
    footnotes: list[Footnote] = []
    by_key: dict[str, Footnote] = {}
    for draft in notes:
        note = build_note(draft)
        if draft.key in by_key:
            warnings.append(
                ParseWarning(
                    "duplicate-note", f"note {draft.label} is defined twice; the first is used", note.source_start
                )
            )
        else:
            by_key[draft.key] = note
        footnotes.append(note)
    undefined = cite_notes(blocks, by_key, footnotes, warnings)

    return document_from(
        request,
        meta,
        fmt=fmt,
        blocks=blocks,
        footnotes=footnotes + undefined,
        encoding=encoding,
        meta_spans=meta_spans,
        parts=parts,
    )


def iso_date(value: str | None) -> tuple[str | None, str | None]:
    """An ISO date (and end) from a metadata value in any form the date grammar knows."""
    if not value:
        return None, None
    from ..dates import find_dates

    value = re.sub(r"\b(\d{1,2})-([A-Za-z]{3,9})-(\d{4})\b", r"\1 \2 \3", value)  # PEPs: 29-May-2001
    for dm in find_dates(value):
        if dm.iso:
            return dm.iso, dm.iso_end
    return None, None


def split_names(value: str | None) -> list[str]:
    """Authors from one metadata string ("A; B", "A and B", "A, B")."""
    if not value:
        return []
    parts = re.split(r"\s*(?:;|\band\b|&|\n)\s*", value)
    if len(parts) == 1 and "," in value:
        # "Jane Doe, John Roe" is two people; "Doe, Jane" is one
        by_comma = [p.strip() for p in value.split(",")]
        if all(len(p.split()) >= 2 for p in by_comma):
            parts = by_comma
    return [p.strip() for p in parts if p.strip()]
