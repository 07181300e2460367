"""PDF lines: a page's characters grouped into lines (with their raised runs, size and
weight) by pypdfium2, and the text of a run of lines rebuilt from its source ranges
(ligatures spelled out, soft hyphens dropped, hyphenated words rejoined)."""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from ..mapped import MappedText, Segment
from ..model import Ref

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SOFT_HYPHEN = "\u00ad"
_PDFIUM_HYPHEN = "\ufffe"  # pdfium's mark for a hyphen at a line end (it joins the lines itself)
_DROPPED = frozenset({_SOFT_HYPHEN, _PDFIUM_HYPHEN, "\r", "\n"})


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
    pl = pr_ = pb = pt = 0.0
    em = 1.0  # the tallest character of the line so far: a gap after a raised marker is measured in body ems
    for k in range(len(idx)):
        left, right, bottom, top = boxes[k]
        if k > first:
            h = pt - pb
            h = h if h > 1.0 else 1.0
            em = h if h > em else em
            if not (left == pl and right == pr_) and (  # one glyph's characters ("ﬃ" as f, f, i) share its box
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
        pl, pr_, pb, pt = left, right, bottom, top
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


_WORD_BEFORE = re.compile(r"([^\W\d_]+)-$")
_WORD_AFTER = re.compile(r"^([^\W\d_]+)")  # letters: "degree-" + "granting⁹" (a marker)


def _join_lines(tb: _TextBuilder, source: str, ln: _Line, vocabulary: Counter[str]) -> None:
    """Between two lines of a block: a space, or nothing where a hyphen at the line end only
    split a word (the hyphen stays when the hyphenated form is the document's spelling, or when
    neither form is and both halves are words the document uses elsewhere: "full-" + "range")."""
    before = tb.tail(60)
    after = source[ln.start : ln.end]
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].islower():
        head = _WORD_BEFORE.search(before)
        tail = _WORD_AFTER.match(after)
        if head and tail:
            h, t = head.group(1).casefold(), tail.group(1).casefold()
            joined, hyphenated = h + t, f"{h}-{t}"
            if hyphenated in vocabulary and joined not in vocabulary:
                return  # a real compound: keep "well-" + "known"
            compound = len(h) >= 3 and len(t) >= 3 and vocabulary[h] >= 1 and vocabulary[t] >= 1
            if compound and joined not in vocabulary and hyphenated not in vocabulary:
                return
            tb.drop_last()
            return
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].isupper():
        return  # "Soekarno-" + "Hatta": a hyphen before a capital joins a compound
    if before.endswith("–") and len(before) > 1 and before[-2].isalnum() and after[:1].isalnum():
        return  # "AD 2018–23–" + "51": an unspaced en dash joins what it stands between
    if not before.endswith(" "):
        tb.space(ln.start)
