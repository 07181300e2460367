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

import ctypes
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..clean import ends_mid_sentence
from ..footnotes import find_urls
from ..inline import make_displayable
from ..mapped import MappedText, Segment
from ..metadata import Metadata
from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE, Block, Document, Footnote, Link, ParseWarning, Ref, SourcePart
from ..parse import detect_metadata
from ..textio import MAX_DOCUMENT_BYTES, DocumentError
from . import Format, ReadRequest, document_from

# A 2,000-page file reads in well under a minute; beyond this many pages the rest
# is not read (with a warning) so a pathological file cannot hold the library scan.
MAX_PAGES = 5000

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SOFT_HYPHEN = "\u00ad"
_PDFIUM_HYPHEN = "\ufffe"  # pdfium's mark for a hyphen at a line end (it joins the lines itself)
_DROPPED = frozenset({_SOFT_HYPHEN, _PDFIUM_HYPHEN, "\r", "\n"})
_SYMBOL_LABELS = "*†‡§¶"
_SUPERSCRIPTS = "0123456789+−-=()n"
_SUPERSCRIPT_TABLE = str.maketrans(_SUPERSCRIPTS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_NOTES_HEADING = re.compile(r"^(?:end\s*notes?|notes?|footnotes?)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_LIST_START = re.compile(r"^(?:[•◦▪‣·●○■–—\ue000-\uf8ff-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+\S")
_PLAIN_LABEL = re.compile(
    r"^(\d{1,3}|[*†‡§¶]{1,3}|[a-z]|(?=[ivx]{2})x{0,3}(?:ix|iv|v?i{0,3}))[.)]?\s+(?=\S)"  # roman: endnotes
)
_GLUED_LABEL = re.compile(r"^([1-9]\d{0,2})(?=[A-Z“‘\"(\[])")
_ORDINAL = frozenset({"st", "nd", "rd", "th", "er", "e", "re", "o", "a"})


def _norm_label(text: str) -> str:
    return text.strip().rstrip(".)").strip()


# ------------------------------------------------------------------ characters and lines
@dataclass(slots=True)
class _Line:
    page: int  # from 1
    start: int  # source offset of the first character
    end: int  # past the last character
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the height of its body characters (loose boxes: font size times the font's extent)
    font_size: float
    bold: bool
    sups: list[tuple[int, int]] = field(default_factory=list)  # raised small runs, as source ranges
    text: str = ""
    spaced: frozenset[int] = frozenset()  # pdfium line breaks inside the line that stand for a space
    col: int = 0
    hang: float = 0.0  # after a label set apart by a tab: where the text begins (an item's indent)


def _page_lines(textpage, page_no: int, base: int, text: str) -> list[_Line]:
    """The page's characters grouped into lines: a line ends at pdfium's line break, where the
    baseline moves, or at a gap wider than an em (a column or table gutter)."""
    import pypdfium2.raw as raw

    rect = raw.FS_RECTF()
    pr = ctypes.byref(rect)
    loose = _loose_char_box()
    tp = ctypes.cast(textpage.raw, ctypes.c_void_p)
    # One ctypes call a character is most of the time spent: keep the loop bare.  pdfium's own
    # line breaks are not used: it breaks before a raised note label, and not at a column gutter.
    idx: list[int] = []
    boxes: list[tuple[float, float, float, float]] = []
    for i, ch in enumerate(text):
        if ch == " " or ch == "\n" or ch == "\r":
            continue
        if loose(tp, i, pr):
            idx.append(i)
            boxes.append((rect.left, rect.right, rect.bottom, rect.top))
    lines: list[_Line] = []
    first = 0
    pr_ = pb = pt = 0.0
    em = 1.0  # the tallest character of the line so far: a gap after a raised marker is measured in body ems
    for k in range(len(idx)):
        left, right, bottom, top = boxes[k]
        if k > first:
            h = pt - pb
            h = h if h > 1.0 else 1.0
            em = h if h > em else em
            if (
                left < pr_ - h
                or top < pb + 0.2 * h
                or bottom > pt - 0.2 * h
                or (left - pr_ > 1.2 * em and not _justified_space(text, idx[k - 1], idx[k], left - pr_, em))
            ):
                line = _make_line(textpage, page_no, base, text, idx, boxes, first, k)
                if line is not None:
                    lines.append(line)
                first = k
                em = 1.0
        pr_, pb, pt = right, bottom, top
    if len(idx) > first:
        line = _make_line(textpage, page_no, base, text, idx, boxes, first, len(idx))
        if line is not None:
            lines.append(line)
    return lines


def _justified_space(text: str, a: int, b: int, gap: float, h: float) -> bool:
    """A wide gap that is one word space of a justified line in a narrow column (LibreOffice
    spreads "gional   water   boards,   whose" over a column): a space between the two
    characters in the text, no line break, and under three ems; a gutter or a table's cells
    are wider, or pdfium breaks the line there."""
    between = text[a + 1 : b]
    return gap < 3.0 * h and " " in between and "\n" not in between and "\r" not in between


# A note's number or a bullet set apart from its text by a tab: pdfium (and the gap rule of
# _page_lines) makes it a line of its own.
_HANGING = re.compile(r"(?:\d{1,3}|[*†‡§¶]{1,3}|[a-z]|[ivx]{1,5}|[•◦▪‣·●○■–—\ue000-\uf8ff])[.)]?")


def _hanging_labels(lines: list[_Line], text: str, base: int) -> list[_Line]:
    """Each label line joined to the line that follows it on the same baseline, just to its
    right: "2" + "Minutes of the council…" is one note line, "•" + "Seasonal…" one item."""
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        label = lines[i]
        line = lines[i + 1] if i + 1 < len(lines) else None
        if (
            line is not None
            and _HANGING.fullmatch(label.text.strip())
            and 0 < line.x0 - label.x1 <= 4 * line.size
            and min(label.top, line.top) - max(label.bottom, line.bottom)
            >= 0.5 * min(label.top - label.bottom, line.top - line.bottom)
        ):
            spaced = set(label.spaced | line.spaced)
            gap = text[label.end - base : line.start - base]
            if "\n" in gap and " " not in gap:
                spaced.add(label.end + gap.index("\n"))  # the break pdfium made stands for a space
            out.append(
                _Line(
                    label.page,
                    label.start,
                    line.end,
                    label.x0,
                    line.x1,
                    max(label.top, line.top),
                    min(label.bottom, line.bottom),
                    line.size,
                    line.font_size,
                    line.bold,
                    label.sups + line.sups,
                    text[label.start - base : line.end - base],
                    frozenset(spaced),
                    hang=line.x0,
                )
            )
            i += 2
            continue
        out.append(label)
        i += 1
    return out


@cache
def _loose_char_box():
    """pdfium's FPDFText_GetLooseCharBox called through plain pointer types: the binding's
    typed pointers cost more to check than the call itself (2 µs against 3.5 µs a character)."""
    import pypdfium2.raw as raw

    address = ctypes.cast(raw.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
    assert address is not None, "a loaded pdfium exports FPDFText_GetLooseCharBox"
    prototype = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
    return prototype(address)


def _make_line(
    textpage, page_no: int, base: int, text: str, idx: list[int], boxes: list, a: int, b: int
) -> _Line | None:
    import pypdfium2.raw as raw

    line_boxes = boxes[a:b]
    heights = [box[3] - box[2] for box in line_boxes]
    # The typical character, not the tallest: pdfium's loose boxes are one height for every
    # character of a font in most files, but follow each glyph in others (LibreOffice's PDFs:
    # "p" reaches lower than "o"), where the tallest box is a descender's and the lowest
    # bottom is not the baseline.
    floor = 0.85 * statistics.median_low(heights)
    body = [box for box, h in zip(line_boxes, heights, strict=True) if h >= floor]
    size = statistics.median_low([box[3] - box[2] for box in body])
    bottom = min(box[2] for box in body)
    top = max(box[3] for box in body)
    x0 = min(box[0] for box in line_boxes)
    x1 = max(box[1] for box in line_boxes)
    first_body = idx[a + next(k for k, h in enumerate(heights) if h >= floor)]
    small = 0.8 * size
    raised = statistics.median_low([box[2] for box in body]) + 0.2 * size
    sups: list[tuple[int, int]] = []
    for k, (box, h) in enumerate(zip(line_boxes, heights, strict=True)):
        if h <= small and box[2] >= raised:
            i = idx[a + k]
            if sups and sups[-1][1] == base + i:
                sups[-1] = (sups[-1][0], base + i + 1)
            elif sups and i - (sups[-1][1] - base) <= 2 and text[sups[-1][1] - base : i].strip() in ("", ",", "–", "-"):
                sups[-1] = (sups[-1][0], base + i + 1)  # "2,3" and "3–5": the comma may not be raised
            else:
                sups.append((base + i, base + i + 1))
    spaced: set[int] = set()
    if "\n" in text[idx[a] : idx[b - 1]]:
        for k in range(a + 1, b):
            gap_start, gap_end = idx[k - 1] + 1, idx[k]
            if gap_end > gap_start and "\n" in text[gap_start:gap_end] and " " not in text[gap_start:gap_end]:
                if boxes[k][0] - boxes[k - 1][1] > 0.12 * size:
                    spaced.add(base + text.index("\n", gap_start, gap_end))
    font_size = raw.FPDFText_GetFontSize(textpage.raw, first_body)
    weight = raw.FPDFText_GetFontWeight(textpage.raw, first_body)
    bold = weight >= 600 or _bold_name(textpage, first_body)
    start, end = idx[a], idx[b - 1] + 1
    line_text = text[start:end]
    if not line_text.strip():
        return None
    return _Line(
        page_no,
        base + start,
        base + end,
        x0,
        x1,
        top,
        bottom,
        size,
        font_size,
        bold,
        sups,
        line_text,
        frozenset(spaced),
    )


def _bold_name(textpage, index: int) -> bool:
    import pypdfium2.raw as raw

    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    n = raw.FPDFText_GetFontInfo(textpage.raw, index, buf, 128, ctypes.byref(flags))
    name = buf.raw[: max(n - 1, 0)].decode("latin-1", "replace").lower()
    return "bold" in name or "black" in name or "heavy" in name or "semibold" in name


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
        offset = 0
        for i in range(count):
            try:
                page = pdf[i]
            except Exception:  # noqa: BLE001 - pdfium raises its own error types for a broken page
                warnings.append(ParseWarning("page", f"page {i + 1} could not be read; skipped"))
                page = None
            text = ""
            page_lines: list[_Line] = []
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
                    if not text.strip() and _has_image(page):
                        empty.append(i + 1)  # a picture of text; a blank page is not worth a warning
                finally:
                    page.close()
            texts.append(text)
            starts.append(offset)
            lines.append(page_lines)
            widths.append(w)
            heights.append(h)
            offset += len(text)
    finally:
        pdf.close()
    return _Pages(texts, starts, lines, widths, heights, metadata, empty)


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


# ------------------------------------------------------------------ notes
@dataclass(slots=True)
class _Note:
    label: str
    page: int
    pieces: list[tuple[int, int, frozenset[int]]]  # its text line by line: source range, the line's spaced breaks
    start: int
    end: int
    box: tuple[float, float, float, float]
    endnote_section: int = -1  # which Notes section (-1: a page's band; _NOTES_PAGES: pages of notes alone)
    key: str = ""
    cited: bool = False


_NOTES_PAGES = 1 << 20


def _line_label(line: _Line, source: str, glued: bool = False) -> tuple[str, int] | None:
    """A note's label at the start of a line: a raised run or a plain number/symbol; with the
    source offset where its text begins.  ``glued``: also a number set against its text
    ("1Source for…", LibreOffice's note label in a column), for a page's band, where a plain
    label must also be cited and in sequence (see _opens_note)."""
    if line.sups and line.sups[0][0] == line.start:
        a, b = line.sups[0]
        label = _norm_label(source[a:b])
        if label and (label.isdigit() or label.isalpha() or all(c in _SYMBOL_LABELS for c in label)):
            rest = b
            while rest < line.end and source[rest] in " \r\n":
                rest += 1
            return label, rest
    m = _PLAIN_LABEL.match(line.text)
    if m:
        return m.group(1), line.start + m.end()
    m = _GLUED_LABEL.match(line.text) if glued else None
    if m:
        return m.group(1), line.start + m.end()
    return None


def _next_numbers(last: int) -> range:
    return range(last + 1, last + 4)


def _raised_labels(ordered: list[list[_Line]], source: str) -> Counter[tuple[int, str]]:
    """How many raised runs inside a line (not opening it) cite each label on each page: the
    evidence that a number at the foot of a page is a note and not a list item or a table row."""
    raised: Counter[tuple[int, str]] = Counter()
    for page_lines in ordered:
        for ln in page_lines:
            for a, b in ln.sups:
                if a == ln.start:
                    continue
                for key in _marker_keys(source[a:b].strip()) or ():
                    raised[(ln.page, key)] += 1
    return raised


def _opens_note(
    ln: _Line, label: str, raised: Counter[tuple[int, str]], *, alone: bool, first: bool, last: int
) -> bool:
    """Whether a label at the start of a small line at the foot of a page opens a note."""
    if ln.sups and ln.sups[0][0] == ln.start:
        return True
    in_sequence = label.isdigit() and (int(label) in _next_numbers(last) or label == "1")
    if label.isdigit() and not in_sequence and not (alone and first):
        return False  # "More than 10 degrees difference for more than / 10 seconds."
    if raised[(ln.page, label)] or raised[(ln.page - 1, label)]:
        return True
    # on a page of notes alone: a plain number that follows the last note's, or the first
    # note of a page that continues none
    return alone and (not label.isdigit() or in_sequence or first)


def _foot_of_columns(page_lines: list[_Line], body_size: float) -> list[_Line]:
    """The lines in smaller type at the foot of each column, up to the column's last line of
    body type, top to bottom: a three-column page (the Federal Register's) sets its notes
    under each column, below body text that ends at a different height in each."""
    columns: dict[int, list[_Line]] = {}
    for ln in page_lines:
        columns.setdefault(ln.col, []).append(ln)
    small: list[_Line] = []
    for col in sorted(columns):
        for ln in sorted(columns[col], key=lambda ln: ln.top):
            if ln.size >= 0.92 * body_size:
                break
            small.append(ln)
    return sorted(small, key=lambda ln: (ln.col, -ln.top, ln.x0))


def _footnote_bands(
    pages: _Pages, ordered: list[list[_Line]], body_size: float, source: str, raised: Counter[tuple[int, str]]
) -> tuple[list[_Note], set[int]]:
    """Each page's band of notes: the run of lines in smaller type at the bottom of the page
    whose first line begins with a label; lines of the band without a label continue the note
    before them, on this page or the last one.

    A label in raised type opens a note.  A plain one (a number, a letter, a symbol) opens a
    note only when a raised marker on this page or the one before cites it, or on a page of
    notes alone (endnotes), in sequence: a numbered list, a table's numbered rows or numbered
    code lines in small type at the foot of a page are none of them notes."""
    notes: list[_Note] = []
    in_band: set[int] = set()
    last_number = 0
    body_seen = False
    for page_lines in ordered:
        small = _foot_of_columns(page_lines, body_size)
        # a page of notes alone (endnotes): all its type small, two or more lines opening with a label
        notes_page = (
            body_seen
            and len(small) == len(page_lines)
            and sum(_line_label(ln, source) is not None for ln in small) >= 2
        )
        body_seen = body_seen or len(small) < len(page_lines)
        if not small:
            continue
        page = small[0].page
        continuing = bool(notes) and notes[-1].page == page - 1

        band_start = None
        for i, ln in enumerate(small):
            found = _line_label(ln, source, glued=True)
            if found is not None and _opens_note(
                ln, found[0], raised, alone=notes_page, first=not continuing, last=last_number
            ):
                band_start = i
                break
        if band_start is None:
            if not continuing:
                continue
            band_start = 0
        band = _band_order(small if continuing else small[band_start:])
        for k, ln in enumerate(band):
            found = _line_label(ln, source, glued=True)
            if found is not None and not _opens_note(
                ln, found[0], raised, alone=notes_page, first=k == 0 and not continuing, last=last_number
            ):
                found = None  # a continuation line that happens to start with a number
            if found is not None:
                label, text_start = found
                if label.isdigit():
                    last_number = int(label)
                notes.append(_Note(label, ln.page, [(text_start, ln.end, ln.spaced)], ln.start, ln.end, _box(ln)))
            elif notes:
                note = notes[-1]
                note.pieces.append((ln.start, ln.end, ln.spaced))
                note.end = ln.end
            in_band.add(id(ln))
        if notes_page:
            for note in notes:
                if note.page == page:
                    note.endnote_section = _NOTES_PAGES  # a page of notes alone: the document's endnotes
    return notes, in_band


def _band_order(lines: list[_Line]) -> list[_Line]:
    # Bands of two columns of notes exist; lines already are in reading order per page.
    return sorted(lines, key=lambda ln: (ln.col, -ln.top, ln.x0))


def _box(ln: _Line) -> tuple[float, float, float, float]:
    return (round(ln.x0, 1), round(ln.bottom, 1), round(ln.x1, 1), round(ln.top, 1))


def _sup_box(ln: _Line) -> tuple[float, float, float, float]:
    return _box(ln)  # the marker's line: pdfium's boxes of single characters are not kept


# ------------------------------------------------------------------ text of lines
class _TextBuilder:
    """A block's text from source ranges: ligatures spelled out, soft hyphens dropped,
    markers taken out as refs, lines joined by a space or rejoined at a hyphen."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.spaced: frozenset[int] = frozenset()
        self.parts: list[MappedText] = []
        self.length = 0
        self.refs: list[Ref] = []

    def add_range(self, a: int, b: int) -> None:
        run = a
        for i in range(a, b):
            ch = self.source[i]
            if ch in _LIGATURES or ch in _DROPPED:
                self._plain(run, i)
                if ch in _LIGATURES:
                    self._synthetic(_LIGATURES[ch], i, 1)
                elif ch == _PDFIUM_HYPHEN:
                    self._synthetic("-", i, 1)
                elif i in self.spaced:
                    self._synthetic(" ", i, 1)  # pdfium broke the line before a raised label
                run = i + 1
        self._plain(run, b)

    def _plain(self, a: int, b: int) -> None:
        if b > a:
            self.parts.append(MappedText.from_source(self.source, a, b))
            self.length += b - a

    def _synthetic(self, text: str, at: int, slen: int) -> None:
        self.parts.append(MappedText(text, (Segment(0, len(text), at, slen),)))
        self.length += len(text)

    def space(self, anchor: int) -> None:
        self.parts.append(MappedText.synthetic(" ", anchor))
        self.length += 1

    def tail(self, n: int) -> str:
        """The last ``n`` characters or so (enough for the word before a line end)."""
        taken: list[str] = []
        size = 0
        for p in reversed(self.parts):
            taken.append(p.text)
            size += len(p.text)
            if size >= n:
                break
        return "".join(reversed(taken))

    def last_char(self) -> str:
        for p in reversed(self.parts):
            if p.text:
                return p.text[-1]
        return ""

    def drop_last(self) -> None:
        """Remove the last character (a line-end hyphen that only split a word)."""
        last = self.parts.pop()
        if len(last.text) > 1:
            self.parts.append(last.slice(0, len(last.text) - 1))
        self.length -= 1

    def mapped(self) -> MappedText:
        return MappedText.join(self.parts)


def _marker_keys(label: str) -> list[str] | None:
    label = label.replace(" ", "")
    if all(c in _SYMBOL_LABELS for c in label):
        return [label]
    if label.isalpha() and len(label) <= 2 and label.islower():
        return [label]
    if not re.fullmatch(r"\d{1,3}(?:[,–-]\d{1,3})*", label):
        return None
    keys: list[str] = []
    for part in label.split(","):
        bounds = re.split(r"[–-]", part)
        if len(bounds) == 1:
            keys.append(str(int(bounds[0])))
        else:
            lo, hi = int(bounds[0]), int(bounds[1])
            if not 0 < lo < hi <= lo + 20:
                return None
            keys.extend(str(n) for n in range(lo, hi + 1))
    return keys if "0" not in keys else None


class _NoteIndex:
    """Which note a marker with a label cites, from where the marker stands:

    1. a note with that label in its page's band, not yet cited (several chapters on one
       page may each number a note 1: the k-th marker 1 of the page cites its k-th note 1);
    2. one in the next page's band that the next page's own markers do not account for (a
       note the band had no room for);
    3. one in a Notes section (or on pages of notes alone), the first after the marker;
    4. a band note anywhere after the marker whose label no other note has and no marker on
       its own page cites;
    then, for a note cited a second time, the same steps allowing a note already cited.
    A label that is only another page's note (numbering per page or per chapter) cites nothing."""

    def __init__(self, notes: list[_Note], raised: Counter[tuple[int, str]]) -> None:
        self.band: dict[tuple[int, str], list[_Note]] = {}
        for note in notes:
            if note.endnote_section < 0:
                self.band.setdefault((note.page, note.label), []).append(note)
        self.endnotes: dict[str, list[_Note]] = {}
        for note in notes:
            if note.endnote_section >= 0:
                self.endnotes.setdefault(note.label, []).append(note)
        self.labels = Counter(n.label for n in notes)
        self.only = {n.label: n for n in notes if self.labels[n.label] == 1}
        self.raised = raised
        self.cites: Counter[int] = Counter()

    def find(self, page: int, label: str, offset: int) -> _Note | None:
        local = self.band.get((page, label), [])
        following = self.band.get((page + 1, label), [])
        spare = following[: max(0, len(following) - self.raised[(page + 1, label)])]
        ends = self.endnotes.get(label, [])
        after = [n for n in ends if n.start > offset]
        only = self.only.get(label)
        unique = (
            [only]
            if only is not None
            and only.endnote_section < 0
            and only.page > page + 1
            and only.start > offset
            and not self.raised[(only.page, label)]
            else []
        )
        for candidates in (local, spare, after, ends, unique):
            for note in candidates:
                if not self.cites[id(note)]:
                    return note
        for candidates in (local, spare, after, ends, unique):
            if candidates:
                return candidates[-1] if candidates is local else candidates[0]
        return None

    def cited(self, note: _Note) -> bool:
        return self.cites[id(note)] > 0

    def cite(self, note: _Note) -> None:
        self.cites[id(note)] += 1


class _MarkerJudge:
    """Whether a raised run is a note marker: its label must be a note it can cite (see
    _NoteIndex); ordinals, charges and exponents (in a formula, after a digit, or repeating a
    number already cited out of sequence) never are.  Asked in reading order."""

    def __init__(self, source: str, index: _NoteIndex) -> None:
        self.source = source
        self.index = index
        self.last = 0  # the highest numeric label cited so far

    def keys(self, line: _Line, a: int, b: int) -> list[tuple[str, _Note | None]] | None:
        label = self.source[a:b].strip()
        before = self.source[line.start : a].rstrip(" ")
        prev = before[-1:]
        if not prev:
            return None  # a raised label opening a line starts a note, it does not cite one
        if label.casefold() in _ORDINAL and prev.isdigit():
            return None
        if any(c in label for c in "+−=()^/"):
            return None  # a charge (SO₄²⁻) or an expression
        keys = _marker_keys(label)
        if not keys:
            return None
        notes: list[_Note | None] = [self.index.find(line.page, k, a) for k in keys]
        if None in notes:
            # the next number of a sequence already cited, with no note found: a marker whose
            # note was lost (reported), not an exponent
            if not (len(keys) == 1 and keys[0].isdigit() and self.last and int(keys[0]) == self.last + 1):
                return None
        if keys[0].isdigit():
            word_start = max(before.rfind(" "), before.rfind("\n")) + 1
            left = before[:word_start].rstrip()
            after_text = self.source[b : line.end].lstrip(" ")
            if left.endswith(tuple("=+−×·/<>≤≥")) or after_text.startswith(tuple("=+−×/")):
                return None  # E = mc², x² + y²
            expected = int(keys[0]) == self.last + 1
            # numbering may restart in a chapter: a note with this label not cited yet
            fresh = any(n is not None and not self.index.cited(n) for n in notes)
            if not expected and (prev.isdigit() or not fresh):
                return None  # 10³, or km² after note 2 was cited
            if None in notes and prev.isdigit():
                return None
            self.last = max(int(k) for k in keys) if expected or fresh else self.last
        for note in notes:
            if note is not None:
                self.index.cite(note)
        return list(zip(keys, notes, strict=True))


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
        if _is_heading(ln, body_size, body_font):
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
                new = gap > leading + 0.4 * ln.size or 0.8 * ln.size < indent < 10 * ln.size or short
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


_WORD_BEFORE = re.compile(r"(\w+)-$")
_WORD_AFTER = re.compile(r"^(\w+)")


def _vocabulary(source: str) -> set[str]:
    return set(re.findall(r"\w+(?:-\w+)*", source.casefold()))


def _build_table(
    draft: _Draft,
    source: str,
    judge: _MarkerJudge,
    vocabulary: set[str],
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
    vocabulary: set[str],
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


def _join_lines(tb: _TextBuilder, source: str, ln: _Line, vocabulary: set[str]) -> None:
    """Between two lines of a block: a space, or nothing where a hyphen at the line end only
    split a word (the hyphen stays when the hyphenated form is the document's spelling)."""
    before = tb.tail(60)
    after = source[ln.start : ln.end]
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].islower():
        head = _WORD_BEFORE.search(before)
        tail = _WORD_AFTER.match(after)
        if head and tail:
            joined = (head.group(1) + tail.group(1)).casefold()
            hyphenated = f"{head.group(1)}-{tail.group(1)}".casefold()
            if hyphenated in vocabulary and joined not in vocabulary:
                return  # a real compound: keep "well-" + "known"
            tb.drop_last()
            return
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].isupper():
        return  # "Soekarno-" + "Hatta": a hyphen before a capital joins a compound
    if before.endswith("–") and len(before) > 1 and before[-2].isalnum() and after[:1].isalnum():
        return  # "AD 2018–23–" + "51": an unspaced en dash joins what it stands between
    if not before.endswith(" "):
        tb.space(ln.start)


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
    title_line = _first_page_title(pages.lines[0]) if pages.lines else None
    _remove_furniture(pages, body_size)

    ordered = [_reading_order(pl, w) for pl, w in zip(pages.lines, pages.widths, strict=True)]
    raised = _raised_labels(ordered, source)
    notes, in_band = _footnote_bands(pages, ordered, body_size, source, raised)
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
    blocks: list[Block] = []
    markers: list[tuple[Block, Ref, _Note | None]] = []
    title_block = -1
    for draft in drafts:
        block = _build_block(draft, source, judge, vocabulary, markers)
        if block is None:
            continue
        if title_line is not None and title_line in draft.lines and title_block < 0:
            title_block = len(blocks)
            block.kind = HEADING
        block.bbox = _union(draft.lines)
        blocks.append(block)
    if title_block > 0 and title_block < 4:
        # the first page's largest type is the title, whatever precedes it (a report number, a series name)
        blocks.insert(0, blocks.pop(title_block))

    footnotes = _link(notes, blocks, markers, source, warnings)
    spans: dict[str, tuple[int, int]] = {}
    detected, kept = detect_metadata(blocks, spans)
    info = _info_metadata(pages.metadata, request.path)
    created, info.date = info.date, None  # when the file was made, not the report's date
    info = info.merged_over(_xmp_metadata(request.path))  # XMP's dc:date is the document's
    if info.title and _junk_title(info.title, request.path):
        info.title = None
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


def _first_page_title(lines: list[_Line]) -> _Line | None:
    candidates = [ln for ln in lines if any(c.isalpha() for c in ln.text)]
    if not candidates:
        return None
    biggest = max(ln.font_size for ln in candidates)
    others = [ln.font_size for ln in candidates if ln.font_size < biggest - 0.5]
    if not others:
        return None
    top = max((ln for ln in candidates if ln.font_size >= biggest - 0.5), key=lambda ln: ln.top)
    return top


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


def _link(
    notes: list[_Note], blocks: list[Block], markers: list[tuple[Block, Ref, _Note | None]], source: str, warnings
) -> list[Footnote]:
    """Each marker to the note the judge found for it (_NoteIndex says which); keys are the
    labels, made unique when labels repeat (numbering per page or per chapter)."""
    used: Counter[str] = Counter()
    for note in notes:
        used[note.label] += 1
        note.key = note.label if used[note.label] == 1 else f"{note.label}~{used[note.label]}"
    footnotes: list[Footnote] = []
    made: dict[int, Footnote] = {}
    for note in notes:
        tb = _TextBuilder(source)
        vocabulary: set[str] = set()
        for i, (a, b, spaced) in enumerate(note.pieces):
            if i:
                _join_lines(tb, source, _Line(note.page, a, b, 0, 0, 0, 0, 0, 0, False), vocabulary)
            tb.spaced = spaced
            tb.add_range(a, b)
        content = tb.mapped()
        text = content.text
        lead = len(text) - len(text.lstrip())
        content = content.slice(lead, len(text.rstrip()))
        links = []
        for url, x, y in find_urls(content.text):
            s0, s1 = content.source_span(x, y)
            links.append(Link(url, s0, s1))
        fn = Footnote(note.key, note.label, content, links, source_start=note.start, source_end=note.end, bbox=note.box)
        made[id(note)] = fn
        footnotes.append(fn)
    index = {id(b): i for i, b in enumerate(blocks)}
    lost: dict[str, Footnote] = {}
    for owner, ref, cites in markers:
        bi = index.get(id(owner))
        if bi is None:
            continue
        if cites is None:
            if ref.label not in lost:  # a key of its own: another page's note may have this label
                used[ref.label] += 1
                key = ref.label if used[ref.label] == 1 else f"{ref.label}~{used[ref.label]}"
                lost[ref.label] = Footnote(
                    key,
                    ref.label,
                    MappedText("", ()),
                    defined=False,
                    source_start=ref.source_offset,
                    source_end=ref.source_end,
                )
            missing = lost[ref.label]
            warnings.append(
                ParseWarning("unresolved-marker", f"marker {ref.label} has no matching note", ref.source_offset)
            )
            ref.key = missing.key
            missing.cited_at.append((bi, ref.at))
            continue
        ref.key = cites.key
        made[id(cites)].cited_at.append((bi, ref.at))
    for fn in footnotes:
        if not fn.cited_at:
            warnings.append(
                ParseWarning("uncited-note", f"note {fn.label} is never cited in the text", fn.source_start)
            )
    return footnotes + list(lost.values())


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
