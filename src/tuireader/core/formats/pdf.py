"""PDF: reports, studies and filings, read the way the page lays them out.

A PDF has no paragraphs and no footnotes, only characters placed on pages.  This
module reads the characters with pypdfium2 (their text, loose box and font size),
rebuilds lines, reading order (columns), paragraphs and headings, removes page
furniture (running heads and footers, page numbers), and recovers the notes: the
band of smaller type at the bottom of a page and Notes/Endnotes sections, linked to
the raised small markers in the text.

Offsets: the document's source is the text pdfium extracts for each page
(``PdfTextPage.get_text_range()``, control characters shown as symbols, same
length) laid end to end; ``Document.parts`` has one ``SourcePart(start, page=N)``
per page, so ``Document.locate`` gives page and page offset.
"""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..clean import ends_mid_sentence
from ..inline import make_displayable
from ..mapped import MappedText, Segment
from ..metadata import Metadata
from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE, Block, Document, ParseWarning, Ref, SourcePart
from ..parse import detect_metadata
from ..textio import MAX_DOCUMENT_BYTES, DocumentError
from . import Format, ReadRequest, document_from
from ._pdf_lines import _hanging_labels, _join_lines, _Line, _page_lines, _TextBuilder
from ._pdf_notes import (
    _NOTES_HEADING,
    Rule,
    _box,
    _footnote_bands,
    _line_label,
    _link,
    _MarkerJudge,
    _Note,
    _NoteIndex,
    _raised_labels,
    _sup_box,
    page_rules,
)

# A 2,000-page file reads in well under a minute; beyond this many pages the rest
# is not read (with a warning) so a pathological file cannot hold the library scan.
MAX_PAGES = 5000

_SUPERSCRIPTS = "0123456789+−-=()n"
_SUPERSCRIPT_TABLE = str.maketrans(_SUPERSCRIPTS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_LIST_START = re.compile(r"^(?:[•◦▪‣·●○■–—\ue000-\uf8ff-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+\S")


# ------------------------------------------------------------------ reading the file
@dataclass(slots=True)
class _Pages:
    texts: list[str]
    starts: list[int]
    lines: list[list[_Line]]
    widths: list[float]
    heights: list[float]
    metadata: dict[str, str]
    empty_pages: list[int]
    rules: list[list[Rule]]


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError("too-large", f"{path.name} is {size // (1024 * 1024)} MB; documents that large are skipped")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise DocumentError(
                "encrypted", f"{path.name} is encrypted with a password to open it; tuireader cannot read it"
            ) from None
        raise DocumentError("malformed", f"{path.name} is not a readable PDF (damaged or truncated)") from None
    except OSError as exc:
        raise DocumentError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from None


def _has_image(page) -> bool:
    import pypdfium2.raw as raw

    count = raw.FPDFPage_CountObjects(page.raw)
    return any(
        raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, k)) == raw.FPDF_PAGEOBJ_IMAGE
        for k in range(min(count, 500))
    )


def _read_pages(path: Path, warnings: list[ParseWarning]) -> _Pages:
    import pypdfium2.raw as raw

    pdf = _open(path)
    try:
        count = len(pdf)
        if count == 0:
            raise DocumentError("empty", f"{path.name} has no pages")
        if count > MAX_PAGES:
            warnings.append(ParseWarning("truncated", f"{count} pages; only the first {MAX_PAGES} are read"))
            count = MAX_PAGES
        if raw.FPDFDoc_GetAttachmentCount(pdf.raw) > 0:
            warnings.append(ParseWarning("embedded-files", "the PDF carries embedded files; they are not extracted"))
        if raw.FPDFDoc_GetJavaScriptActionCount(pdf.raw) > 0:
            warnings.append(ParseWarning("javascript", "the PDF carries JavaScript; it is never run"))
        metadata = {}
        try:
            metadata = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        except Exception:  # noqa: BLE001 - a damaged info dictionary loses the metadata, not the document
            metadata = {}
        texts: list[str] = []
        starts: list[int] = []
        lines: list[list[_Line]] = []
        widths: list[float] = []
        heights: list[float] = []
        empty: list[int] = []
        rules: list[list[Rule]] = []
        offset = 0
        for i in range(count):
            try:
                page = pdf[i]
            except Exception:  # noqa: BLE001 - pdfium raises its own error types for a broken page
                warnings.append(ParseWarning("page", f"page {i + 1} could not be read; skipped"))
                page = None
            text = ""
            page_lines: list[_Line] = []
            page_rules_: list[Rule] = []
            w = h = 0.0
            if page is not None:
                # closed here, under the lock: a finaliser could run on another thread
                try:
                    w, h = page.get_size()
                    textpage = page.get_textpage()
                    try:
                        text = make_displayable(textpage.get_text_range())
                        if textpage.count_chars() == len(text):
                            page_lines = _hanging_labels(_page_lines(textpage, i + 1, offset, text), text, offset)
                    finally:
                        textpage.close()
                    if page_lines:
                        page_rules_ = page_rules(page, w, h)
                    if not text.strip() and _has_image(page):
                        empty.append(i + 1)  # a picture of text; a blank page is not worth a warning
                finally:
                    page.close()
            texts.append(text)
            starts.append(offset)
            lines.append(page_lines)
            widths.append(w)
            heights.append(h)
            rules.append(page_rules_)
            offset += len(text)
    finally:
        pdf.close()
    return _Pages(texts, starts, lines, widths, heights, metadata, empty, rules)


# ------------------------------------------------------------------ page furniture
def _furniture_key(line: _Line) -> str:
    text = " ".join(line.text.split()).casefold()
    return re.sub(r"\d+", "#", text)  # page and chapter numbers change from page to page


def _remove_furniture(pages: _Pages, body_size: float) -> int:
    """Drop running heads, footers and page numbers: from the top and from the bottom of a
    page, lines that are a page number or that repeat (page number aside) at the same height
    on many pages, up to the first line that is neither.  In a document too short to repeat
    anything, a small line alone at the top of a later page, far above the text, is a head."""
    seen: Counter[tuple[str, int]] = Counter()
    for page_lines in pages.lines:
        ordered = sorted(page_lines, key=lambda ln: -ln.top)
        edge = ordered[:3] + ordered[-3:] if len(ordered) > 6 else ordered
        for key in {(_furniture_key(ln), round(ln.bottom / 4)) for ln in edge}:
            seen[key] += 1
    # the same text (numbers aside) at the same place, wherever on the page: body text never is
    placed: Counter[tuple[str, int, int]] = Counter()
    for page_lines in pages.lines:
        placed.update({_placed_key(ln) for ln in page_lines})
    n = len(pages.lines)
    repeat = max(3, int(0.4 * n)) if n >= 3 else 2  # one page has no furniture to tell apart

    def furniture(ln: _Line) -> bool:
        if ln.sups and ln.sups[0][0] == ln.start:
            return False  # a note opening with its raised label, however formulaic
        key, y = _furniture_key(ln), round(ln.bottom / 4)
        if max(seen[(key, y - 1)], seen[(key, y)], seen[(key, y + 1)]) >= repeat:
            return True
        return bool(_PAGE_NUMBER.match(ln.text.strip()))

    removed = 0
    for pi, page_lines in enumerate(pages.lines):
        ordered = sorted(page_lines, key=lambda ln: -ln.top)
        drop: set[int] = set()
        for run in (ordered, ordered[::-1]):
            for ln in run[:3]:
                if not furniture(ln):
                    break
                drop.add(id(ln))
        numbers = [ln for ln in ordered if id(ln) in drop and _PAGE_NUMBER.match(ln.text.strip())]
        for ln in ordered:  # the rest of a header or footer row that carries the page number
            if any(abs(ln.bottom - num.bottom) < 2 for num in numbers):
                drop.add(id(ln))
        if n < 3 and pi > 0 and len(ordered) > 1 and id(ordered[0]) not in drop:
            head, below = ordered[0], ordered[1]
            if head.size <= body_size and head.bottom - below.top > 2.5 * body_size:
                drop.add(id(head))
        if n >= 3:
            # a stamp in the margin, a ruled footer row: anywhere on the page
            anywhere = [
                ln
                for ln in page_lines
                if placed[_placed_key(ln)] >= max(repeat, 3) and not (ln.sups and ln.sups[0][0] == ln.start)
            ]
            drop.update(id(ln) for ln in anywhere)
        # text repeated on most pages that is much of the page is the page itself (one template
        # printed again and again): only page numbers and single glyphs (a stamp's rotated
        # letters) go then
        repeated = [
            ln
            for ln in page_lines
            if id(ln) in drop and len(ln.text.strip()) > 2 and not _PAGE_NUMBER.match(ln.text.strip())
        ]
        if len(repeated) > 0.5 * len(page_lines):
            drop.difference_update(id(ln) for ln in repeated)
        if drop:
            removed += len(drop)
            pages.lines[pi] = [ln for ln in page_lines if id(ln) not in drop]
    return removed


def _placed_key(ln: _Line) -> tuple[str, int, int]:
    return (_furniture_key(ln), round(ln.bottom / 3), round(ln.x0 / 3))


# ------------------------------------------------------------------ reading order
def _reading_order(lines: list[_Line], page_width: float) -> list[_Line]:
    """Lines top to bottom, a column at a time: gutters are vertical strips (almost) no narrow
    line crosses; a line that crosses one (a title, a wide heading) separates the bands above
    and below it."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    narrow = [ln for ln in lines if ln.x1 - ln.x0 < 0.6 * width]
    gutters: list[tuple[float, float]] = []
    if width > 0 and len(narrow) >= 6 and len(narrow) >= 0.5 * len(lines):  # columns: most lines are narrow
        bins = [0] * (int(width) + 2)
        for ln in narrow:
            for b in range(int(ln.x0 - left), int(ln.x1 - left) + 1):
                bins[b] += 1
        run = None
        allowed = len(narrow) // 20  # a centred running head or caption may cross a gutter
        for b, c in enumerate(bins):
            if c <= allowed and 0.1 * width < b < 0.9 * width:
                run = b if run is None else run
            else:
                if run is not None and b - run >= 6:
                    a_x, b_x = left + run, left + b
                    need = max(3, len(narrow) // 5)  # a column on each side, not a stray short line
                    # of prose: lines that fill a good part of their side, not a table's short cells
                    left_full = sum(ln.x1 <= b_x and ln.x1 - ln.x0 >= 0.3 * (a_x - left) for ln in narrow)
                    right_full = sum(ln.x0 >= a_x and ln.x1 - ln.x0 >= 0.3 * (right - b_x) for ln in narrow)
                    if left_full >= need and right_full >= need:
                        gutters.append((a_x, b_x))
                run = None
    bounds = [left] + [(a + b) / 2 for a, b in gutters] + [right + 1]

    def column(ln: _Line) -> int | None:
        for ci in range(len(bounds) - 1):
            if bounds[ci] - 1 <= ln.x0 and ln.x1 <= bounds[ci + 1] + 1:
                return ci
        return None

    ordered: list[_Line] = []
    band: list[_Line] = []

    def flush() -> None:
        band.sort(key=lambda ln: (ln.col, -ln.top, ln.x0))
        ordered.extend(_rows_left_to_right(band))
        band.clear()

    for ln in sorted(lines, key=lambda ln: (-ln.top, ln.x0)):
        col = column(ln) if gutters else 0
        if col is None:
            flush()
            ln.col = -1  # across the columns: measured on its own
            ordered.append(ln)
        else:
            ln.col = col
            band.append(ln)
    flush()
    return ordered


def _same_row(a: _Line, b: _Line) -> bool:
    """Two lines side by side on one baseline (a table's cells, a label and its text)."""
    if a.page != b.page or a.col != b.col:
        return False
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    return overlap >= 0.5 * min(a.top - a.bottom, b.top - b.bottom) and (a.x1 <= b.x0 or b.x1 <= a.x0)


def _rows_left_to_right(lines: list[_Line]) -> list[_Line]:
    """Lines sorted top down, with the lines of one row left to right: a taller glyph makes
    a cell's top a little higher than its left neighbour's ("Flow" above "Year")."""
    out: list[_Line] = []
    row: list[_Line] = []
    for ln in lines:
        if row and not _same_row(row[0], ln):
            out.extend(sorted(row, key=lambda r: r.x0))
            row = []
        row.append(ln)
    out.extend(sorted(row, key=lambda r: r.x0))
    return out


def _table_runs(lines: list[_Line]) -> dict[int, list[int]]:
    """Where a table starts in the lines (reading order): index -> the number of cells in each
    of its rows.  A table is two or more consecutive rows of two or more lines side by side."""
    rows: list[tuple[int, int]] = []  # (first index, cells)
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and _same_row(lines[i], lines[j]):
            j += 1
        rows.append((i, j - i))
        i = j
    runs: dict[int, list[int]] = {}
    k = 0
    while k < len(rows):
        m = k
        while m < len(rows) and rows[m][1] >= 2:
            m += 1
        if m - k >= 2:
            runs[rows[k][0]] = [cells for _, cells in rows[k:m]]
            k = m
        else:
            k = max(m, k + 1)
    return runs


# ------------------------------------------------------------------ blocks
def _is_heading(line: _Line, body_size: float, body_font: float) -> bool:
    text = line.text.strip()
    if len(text) > 150 or not any(c.isalpha() for c in text):
        return False
    bigger = line.font_size >= body_font * 1.12 or line.size >= body_size * 1.12
    if bigger:
        return True
    # bold at body size: a short line that does not run on like a sentence
    return line.bold and len(text) <= 80 and len(text.split()) <= 12 and not text.endswith((".", ",", ";"))


@dataclass(slots=True)
class _Draft:
    kind: str
    lines: list[_Line]
    level: int = 0
    marker: str = ""
    cells: list[int] = field(default_factory=list)  # a table's: the number of lines in each row


def _group(lines: list[_Line], body_size: float, body_font: float, leading: float) -> list[_Draft]:
    """Lines in reading order into headings, paragraphs and list items: a paragraph starts
    after a heading, at a first-line indent, after a gap, or at a list marker; it continues
    across a column or page break when the new column does not indent it."""
    drafts: list[_Draft] = []
    col_left: dict[tuple[int, int], float] = {}
    col_right: dict[tuple[int, int], float] = {}
    for ln in lines:
        key = (ln.page, ln.col)
        col_left[key] = min(col_left.get(key, ln.x0), ln.x0)
        col_right[key] = max(col_right.get(key, ln.x1), ln.x1)
    heading_sizes = sorted({round(ln.font_size) for ln in lines if _is_heading(ln, body_size, body_font)}, reverse=True)
    prev: _Line | None = None
    tables = _table_runs(lines)
    skip_to = 0
    for at, ln in enumerate(lines):
        if at < skip_to:
            continue
        if at in tables:
            # a table is its own block, never read into the paragraphs around it
            cells = tables[at]
            skip_to = at + sum(cells)
            drafts.append(_Draft(TABLE, lines[at:skip_to], cells=cells))
            prev = None
            continue
        indent = ln.x0 - col_left[(ln.page, ln.col)]
        heading = _is_heading(ln, body_size, body_font)
        if heading and ln.font_size < body_font * 1.12 and ln.size < body_size * 1.12:
            # bold at body size: a line of a bold paragraph (a call-out) runs on into the next
            nxt = lines[at + 1] if at + 1 < len(lines) else None
            continued = prev is not None and prev.bold and bool(drafts) and drafts[-1].kind == PARAGRAPH
            runs_on = (
                nxt is not None
                and nxt.bold
                and nxt.page == ln.page
                and abs(nxt.font_size - ln.font_size) < 0.5
                and 0 <= ln.bottom - nxt.top < ln.size
                and nxt.text.lstrip()[:1].islower()
            )
            heading = not ((continued and ln.text.lstrip()[:1].islower()) or runs_on)
        if heading:
            level = min(heading_sizes.index(round(ln.font_size)) + 1, 6) if heading_sizes else 1
            last = drafts[-1] if drafts else None
            if (
                last is not None
                and last.kind == HEADING
                and prev is not None
                and prev.page == ln.page
                and abs(prev.font_size - ln.font_size) < 0.5
                and prev.bottom - ln.top < ln.size
            ):
                last.lines.append(ln)
            else:
                drafts.append(_Draft(HEADING, [ln], level))
            prev = ln
            continue
        text = ln.text.strip()
        new = True
        if drafts and drafts[-1].kind not in (HEADING, TABLE) and prev is not None:
            same_column = prev.page == ln.page and prev.col == ln.col and prev.bottom > ln.top - 2 * ln.size
            if same_column:
                gap = prev.bottom - ln.top
                key = (ln.page, ln.col)
                short = prev.x1 - col_left[key] < 0.6 * (col_right[key] - col_left[key])
                # a first-line indent; but the lines of an indented bold call-out, each as far in as
                # the one before, are one paragraph (a table of contents' or a definition list's
                # lines indented alike stay apart)
                callout = prev.bold and ln.bold and abs(ln.x0 - prev.x0) <= 0.8 * ln.size
                indented = 0.8 * ln.size < indent < 10 * ln.size and not callout
                new = gap > leading + 0.4 * ln.size or indented or short
                if drafts[-1].kind == LIST_ITEM and not _LIST_START.match(text) and gap <= leading + 0.4 * ln.size:
                    # an item's next line, unless the item hangs from a tab and this line starts left of its text
                    hang = drafts[-1].lines[0].hang
                    new = bool(hang) and ln.x0 < hang - 0.5 * ln.size
            else:
                new = indent > 0.8 * ln.size and not ends_mid_sentence(_plain_text(drafts[-1]))
                if not new and drafts[-1].kind == LIST_ITEM:
                    new = bool(_LIST_START.match(text))
        bullet = _LIST_START.match(text) and (prev is None or not ends_mid_sentence(_unraised_end(prev)))
        if new or bullet:
            m = _LIST_START.match(text)
            if m and (new or indent <= 0.8 * ln.size):
                marker = text.split()[0]
                # a bullet from a symbol font's private-use area has no meaning outside that font
                drafts.append(_Draft(LIST_ITEM, [ln], marker="•" if "\ue000" <= marker <= "\uf8ff" else marker))
            else:
                drafts.append(_Draft(PARAGRAPH, [ln]))
        else:
            drafts[-1].lines.append(ln)
        prev = ln
    return drafts


def _plain_text(draft: _Draft) -> str:
    return _unraised_end(draft.lines[-1])


def _unraised_end(line: _Line) -> str:
    """A line's text without a raised run at its end (a marker after the full stop)."""
    end = line.end
    for a, b in reversed(line.sups):
        if b >= end - 1:
            end = a
    return line.text[: end - line.start]


_TOKEN = re.compile(r"\w+(?:-\w+)*")
_SPLIT_AFTER = re.compile(r"[-\ufffe][\r\n]")  # a word's head, hyphenated at a line end
_SPLIT_BEFORE = re.compile(r"(?:\ufffe|-[\r\n]+)$")  # a word's tail, after the line end


def _vocabulary(source: str) -> Counter[str]:
    """The document's words and hyphenated forms, each counted where it stands whole: the two
    pieces of a word hyphenated at a line end are in it, but counted 0."""
    text = source.casefold()
    words: Counter[str] = Counter()
    for m in _TOKEN.finditer(text):
        a, b = m.span()
        piece = _SPLIT_AFTER.match(text, b) is not None or _SPLIT_BEFORE.search(text, max(0, a - 3), a) is not None
        words[m.group()] += 0 if piece else 1
    return words


def _build_table(
    draft: _Draft,
    source: str,
    judge: _MarkerJudge,
    vocabulary: Counter[str],
    markers: list[tuple[Block, Ref, _Note | None]],
) -> Block | None:
    """A table: each line a cell, ``" | "`` between cells and a line break between rows, as
    every format's tables read; markers in a cell cite from the table."""
    parts: list[MappedText] = []
    rows: list[list[tuple[int, int]]] = []
    refs: list[Ref] = []
    cited: list[tuple[Ref, _Note | None]] = []
    length = 0
    k = 0
    for cells in draft.cells:
        row: list[tuple[int, int]] = []
        for c in range(cells):
            ln = draft.lines[k]
            k += 1
            if parts:
                sep = " | " if c else "\n"
                parts.append(MappedText.synthetic(sep, ln.start))
                length += len(sep)
            found: list[tuple[Block, Ref, _Note | None]] = []
            cell = _build_block(_Draft(PARAGRAPH, [ln]), source, judge, vocabulary, found)
            content = cell.content if cell is not None else MappedText("", ())
            for ref in cell.refs if cell is not None else []:
                ref.at += length
                refs.append(ref)
            cited += [(ref, note) for _, ref, note in found]
            parts.append(content)
            row.append((length, length + len(content.text)))
            length += len(content.text)
        rows.append(row)
    content = MappedText.join(parts)
    if not content.text.strip():
        return None
    block = Block(TABLE, content, refs)
    block.rows = rows
    markers.extend((block, ref, note) for ref, note in cited)
    return block


def _build_block(
    draft: _Draft,
    source: str,
    judge: _MarkerJudge,
    vocabulary: Counter[str],
    markers: list[tuple[Block, Ref, _Note | None]],
) -> Block | None:
    if draft.kind == TABLE:
        return _build_table(draft, source, judge, vocabulary, markers)
    tb = _TextBuilder(source)
    cited: list[tuple[Ref, _Note | None]] = []
    for li, ln in enumerate(draft.lines):
        start = ln.start
        if draft.kind == LIST_ITEM and li == 0:
            start += len(ln.text) - len(ln.text.lstrip()) + len(draft.marker)
            while start < ln.end and source[start] == " ":
                start += 1
        if li > 0:
            _join_lines(tb, source, ln, vocabulary)
        tb.spaced = ln.spaced
        pos = start
        for a, b in ln.sups:
            if a < start:
                continue
            keys = judge.keys(ln, a, b)
            if not keys:
                raised = source[a:b]
                if all(c in _SUPERSCRIPTS for c in raised):
                    tb.add_range(pos, a)  # an exponent or a charge: shown raised, as in the file
                    tb.parts.append(MappedText(raised.translate(_SUPERSCRIPT_TABLE), (Segment(0, b - a, a, b - a),)))
                    tb.length += b - a
                    pos = b
                continue
            # "Reports ¹ from" (a marker set apart by spaces) cites from the word before it
            spaced = a - 1 >= pos and source[a - 1] == " " and b < ln.end and source[b] == " "
            tb.add_range(pos, a - 1 if spaced else a)
            for key, note in keys:
                ref = Ref(key, tb.length, a, b, key, bbox=_sup_box(ln))
                tb.refs.append(ref)
                cited.append((ref, note))
            pos = b
        tb.add_range(pos, ln.end)
    content = tb.mapped()
    # trim outer white space, moving refs with the text
    text = content.text
    lead = len(text) - len(text.lstrip())
    content = content.slice(lead, len(text.rstrip()))
    if not content.text:
        return None
    for ref in tb.refs:
        ref.at = max(0, min(ref.at - lead, len(content.text)))
    heading_level = draft.level if draft.kind == HEADING else 0
    block = Block(draft.kind, content, tb.refs, [], draft.marker if draft.kind == LIST_ITEM else "", heading_level)
    markers.extend((block, ref, note) for ref, note in cited)
    return block


# ------------------------------------------------------------------ the reader
# pdfium may not be called from two threads at once, even on different documents (pypdfium2's
# documentation: it crashes or corrupts the process); the reader opens documents in a worker
# while the indexer parses others in its own thread.
_PDFIUM = threading.Lock()


def read(request: ReadRequest) -> Document:
    warnings = request.warnings
    with _PDFIUM:
        pages = _read_pages(request.path, warnings)
    source = "".join(pages.texts)
    if not any(pages.lines):
        raise DocumentError("no-text", f"{request.path.name} has no text layer (a scanned PDF?); OCR is not available")
    if pages.empty_pages:
        warnings.append(
            ParseWarning("no-text-pages", f"pages with images and no text (scanned?): {_ranges(pages.empty_pages)}")
        )

    all_lines = [ln for page in pages.lines for ln in page]
    sizes: Counter[float] = Counter()
    fonts: Counter[float] = Counter()
    for ln in all_lines:
        sizes[round(ln.size * 2) / 2] += ln.end - ln.start
        fonts[round(ln.font_size * 2) / 2] += ln.end - ln.start
    body_size = sizes.most_common(1)[0][0]
    body_font = fonts.most_common(1)[0][0]
    _remove_furniture(pages, body_size)

    ordered = [_reading_order(pl, w) for pl, w in zip(pages.lines, pages.widths, strict=True)]
    raised = _raised_labels(ordered, source)
    notes, in_band = _footnote_bands(ordered, body_size, source, raised, pages.rules)
    body = [ln for page in ordered for ln in page if id(ln) not in in_band]
    body_lines = [ln for ln in body if abs(ln.size - body_size) < 0.5]
    gaps = [
        a.bottom - b.top
        for a, b in zip(body_lines, body_lines[1:], strict=False)
        if a.page == b.page and a.col == b.col
    ]
    leading_gaps = [g for g in gaps if 0 <= g < 2 * body_size]
    leading = statistics.median(leading_gaps) if leading_gaps else body_size * 0.3

    drafts = _group(body, body_size, body_font, leading)
    drafts, endnotes = _take_endnotes(drafts, source)
    notes.extend(endnotes)

    judge = _MarkerJudge(source, _NoteIndex(notes, raised))
    vocabulary = _vocabulary(source)
    info = _info_metadata(pages.metadata, request.path)
    created, info.date = info.date, None  # when the file was made, not the report's date
    info = info.merged_over(_xmp_metadata(request.path))  # XMP's dc:date is the document's
    if info.title and (
        _junk_title(info.title, request.path) or not _plausible_title(info.title, "".join(pages.texts[:2]))
    ):
        info.title = None
    # The title: the information's or XMP's when the first page bears it out (a masthead in
    # larger type is then text), else the first page's largest type when that is a short block.
    title_at = _title_draft(drafts, source, info.title) if info.title else -1
    if title_at < 0 and not info.title and pages.lines:
        title_line = _first_page_title(pages.lines[0], body_size, body_font)
        title_at = next((i for i, d in enumerate(drafts) if title_line in d.lines), -1) if title_line else -1
        if title_at >= 0 and sum(len(source[ln.start : ln.end].split()) for ln in drafts[title_at].lines) > 40:
            title_at = -1  # a paragraph in larger type, not a title
    blocks: list[Block] = []
    markers: list[tuple[Block, Ref, _Note | None]] = []
    title_block = -1
    block_pages: list[int] = []
    for at, draft in enumerate(drafts):
        block = _build_block(draft, source, judge, vocabulary, markers)
        if block is None:
            continue
        if at == title_at:
            title_block = len(blocks)
            block.kind = HEADING
            block.level = 1
        block.bbox = _union(draft.lines)
        blocks.append(block)
        block_pages.append(draft.lines[0].page)
    footnotes = _link(notes, blocks, markers, source, warnings, vocabulary)
    spans: dict[str, tuple[int, int]] = {}
    # the first block is the title only when it is the one found above, never a paragraph
    # Title, byline and date are on the first page, from the title on: what precedes the title
    # (a masthead, a series name, a report number) and a "Source: …" caption further on are text.
    head = title_block if 0 <= title_block < 4 else 0
    known = blocks[head].text if title_block >= 0 else (info.title or "")
    first_page = next((i for i, at in enumerate(block_pages) if at > 1), len(blocks))
    detected, kept = detect_metadata(blocks[head:first_page], spans, known_title=known)
    kept = blocks[:head] + kept + blocks[first_page:]
    if known and not detected.title:
        detected.title = known
    meta = info.merged_over(detected)
    if meta.date is None and created:
        meta.date = created  # the file's creation date only when the first page gives none
    if len(kept) != len(blocks):
        index = {id(b): i for i, b in enumerate(blocks)}
        remap = {index[id(b)]: j for j, b in enumerate(kept)}
        for fn in footnotes:
            fn.cited_at = [(remap[bi], at) for bi, at in fn.cited_at if bi in remap]
    return document_from(
        request,
        meta,
        fmt=FORMAT.name,
        blocks=kept,
        footnotes=footnotes,
        encoding="pdf",
        meta_spans=spans,
        parts=[SourcePart(start, page=i + 1) for i, start in enumerate(pages.starts)],
    )


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def _union(lines: list[_Line]) -> tuple[float, float, float, float]:
    page = lines[0].page
    same = [ln for ln in lines if ln.page == page]
    return (
        round(min(ln.x0 for ln in same), 1),
        round(min(ln.bottom for ln in same), 1),
        round(max(ln.x1 for ln in same), 1),
        round(max(ln.top for ln in same), 1),
    )


def _first_page_title(lines: list[_Line], body_size: float, body_font: float) -> _Line | None:
    """The first page's largest type, when it is larger than the body's: page furniture is
    gone by now, so a running head or a footer in large type is never the title."""

    def scale(ln: _Line) -> float:
        return max(ln.font_size / body_font if body_font else 0.0, ln.size / body_size if body_size else 0.0)

    candidates = [ln for ln in lines if any(c.isalpha() for c in ln.text) and scale(ln) >= 1.12]
    if not candidates:
        return None
    # the font size first (a bold italic's loose box is taller at the same size), then the box
    biggest = max((round(ln.font_size * 2), round(ln.size * 2)) for ln in candidates)[0]
    return max((ln for ln in candidates if round(ln.font_size * 2) == biggest), key=lambda ln: ln.top)


_WORD = re.compile(r"\w+")


def _plausible_title(title: str, first_pages: str) -> bool:
    """A title from the document information or XMP that the document bears out: most of its
    words are on its first pages (a template's or an earlier draft's title is not)."""
    words = [w for w in _WORD.findall(title.casefold()) if len(w) > 2 or w.isdigit()]
    if not words:
        return False
    present = set(_WORD.findall(first_pages.casefold()))
    return sum(w in present for w in words) >= 0.6 * len(words)


def _title_draft(drafts: list[_Draft], source: str, title: str) -> int:
    """The draft on the first page that sets the given title (all or much of it: the page may
    leave out a report number the information dictionary adds), or -1.  A heading of the same
    size run into it (GAO's "Cybersecurity: …" title and the "Threats Highlight …" heading
    after it) is split off."""
    wanted = set(_WORD.findall(title.casefold()))
    for i, draft in enumerate(drafts[:12]):
        if draft.lines[0].page != 1 or draft.kind == TABLE or len(draft.lines) > 8:
            continue
        k, seen = 0, set()
        for ln in draft.lines:  # the leading lines whose words are the title's
            words = _WORD.findall(source[ln.start : ln.end].casefold())
            if not words or sum(w in wanted for w in words) < 0.8 * len(words):
                break
            seen.update(words)
            k += 1
        if k and len(seen & wanted) >= 0.5 * len(wanted):
            if k < len(draft.lines):
                drafts[i : i + 1] = [
                    _Draft(draft.kind, draft.lines[:k], draft.level),
                    _Draft(draft.kind, draft.lines[k:], draft.level),
                ]
            return i
    return -1


def _take_endnotes(drafts: list[_Draft], source: str) -> tuple[list[_Draft], list[_Note]]:
    """Blocks under a Notes/Endnotes heading are notes: each starts at its label; lines
    without one continue the note before."""
    kept: list[_Draft] = []
    notes: list[_Note] = []
    section = -1
    level = 0
    for draft in drafts:
        if draft.kind == HEADING:
            text = " ".join(source[ln.start : ln.end] for ln in draft.lines).strip()
            if _NOTES_HEADING.match(text):
                section += 1
                level = draft.level
                continue
            if section >= 0 and level and draft.level <= level:
                level = 0
        if level:
            for ln in draft.lines:
                found = _line_label(ln, source)
                if found is not None:
                    label, text_start = found
                    notes.append(
                        _Note(label, ln.page, [(text_start, ln.end, ln.spaced)], ln.start, ln.end, _box(ln), section)
                    )
                elif notes and notes[-1].endnote_section == section:
                    notes[-1].pieces.append((ln.start, ln.end, ln.spaced))
                    notes[-1].end = ln.end
            continue
        kept.append(draft)
    return kept, notes


def _info_metadata(info: dict[str, str], path: Path) -> Metadata:
    meta = Metadata()
    title = " ".join(info.get("Title", "").split())
    if title and not _junk_title(title, path):
        meta.title = title
    author = info.get("Author", "").strip()
    if author:
        names = [a.strip() for a in re.split(r"\s*(?:;|,| and | & )\s*", author) if a.strip()]
        meta.authors = names
    date = info.get("CreationDate", "")
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", date)
    if m:
        meta.date = "-".join(g for g in m.groups() if g)
        if len(meta.date) == 4:
            meta.date = None
    return meta


_XMP_SCAN = 64 * 1024 * 1024  # bytes of the file searched for an uncompressed XMP packet
_XMP_MAX = 1024 * 1024
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _xmp_metadata(path: Path) -> Metadata:
    """Title, creators and date from the file's XMP packet, when it is stored uncompressed
    (as the XMP specification recommends, so that tools can find it without a PDF parser)."""
    import mmap
    import xml.etree.ElementTree as ET

    meta = Metadata()
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            limit = min(len(data), _XMP_SCAN)
            start = data.find(b"<x:xmpmeta", 0, limit)
            while start >= 0:
                end = data.find(b"</x:xmpmeta>", start, min(limit, start + _XMP_MAX))
                if end < 0:
                    break
                packet = bytes(data[start : end + len(b"</x:xmpmeta>")])
                if b"dc:title" in packet or b"dc:creator" in packet:
                    root = ET.fromstring(packet)
                    break
                start = data.find(b"<x:xmpmeta", end, limit)
            else:
                return meta
            if start < 0 or end < 0:
                return meta
    except (OSError, ValueError, ET.ParseError):
        return meta  # no packet, an empty file for mmap, or a packet that is not XML
    titles = [li.text for li in root.iter(f"{_DC}title") for li in li.iter(f"{_RDF}li") if li.text]
    if titles:
        meta.title = " ".join(titles[0].split())
    meta.authors = [
        " ".join(li.text.split()) for c in root.iter(f"{_DC}creator") for li in c.iter(f"{_RDF}li") if li.text
    ]
    dates = [li.text for d in root.iter(f"{_DC}date") for li in d.iter(f"{_RDF}li") if li.text]
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", dates[0]) if dates else None
    if m:
        meta.date = "-".join(g for g in m.groups() if g)
    return meta


def _junk_title(title: str, path: Path) -> bool:
    lowered = title.casefold()
    return (
        lowered in {"untitled", "title", "document", "microsoft word"}
        or lowered.startswith("microsoft word -")
        or lowered.endswith((".doc", ".docx", ".pdf", ".indd", ".tex", ".dvi"))
        or lowered == path.stem.casefold()
    )


_HEADER = re.compile(rb"(?:\A|[\r\n])%PDF-\d")


def _sniff(head: bytes, path: Path) -> bool:
    """A PDF whose header follows junk (a mail gateway's or a download script's prefix):
    readers accept the header anywhere in the first 1024 bytes.  It must start a line, and
    the file must end as a PDF does (``%%EOF`` near the end), so that a text file that
    quotes a PDF header is still text."""
    if _HEADER.search(head) is None:
        return False
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 1024))
            return b"%%EOF" in fh.read()
    except OSError:
        return False


FORMAT = Format("pdf", frozenset({".pdf"}), read, magic=(b"%PDF-",), description="PDF (text layer)", sniff=_sniff)
