"""PDF notes: the footnote band at the foot of a page (or of each column), pages of
endnotes, and the judge that decides which raised runs are markers and which note each
cites; then the notes as the model's Footnotes, linked to their markers."""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass

from ..footnotes import find_urls
from ..mapped import MappedText
from ..model import Block, Footnote, Link, ParseWarning, Ref
from ._pdf_lines import _join_lines, _Line, _TextBuilder

_SYMBOL_LABELS = "*†‡§¶"
_NOTES_HEADING = re.compile(r"^(?:end\s*notes?|notes?|footnotes?)$", re.IGNORECASE)
_PLAIN_LABEL = re.compile(
    r"^(\d{1,3}|[*†‡§¶]{1,3}|[a-z]|(?=[ivx]{2})x{0,3}(?:ix|iv|v?i{0,3}))[.)]?\s+(?=\S)"  # roman: endnotes
)
_GLUED_LABEL = re.compile(r"^([1-9]\d{0,2})(?=[A-Z“‘\"(\[])")
_ORDINAL = frozenset({"st", "nd", "rd", "th", "er", "e", "re", "o", "a"})


def _norm_label(text: str) -> str:
    return text.strip().rstrip(".)").strip()


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


def _foot_of_columns(page_lines: list[_Line], body_size: float, rules: list[Rule] = ()) -> list[_Line]:  # type: ignore[assignment]
    """The lines in smaller type at the foot of each column, up to the column's last line of
    body type, top to bottom: a three-column page (the Federal Register's) sets its notes
    under each column, below body text that ends at a different height in each.  Where a
    short rule starts at a column's left edge (the separator Word, LibreOffice and the GPO
    set above the notes), the column's notes are the lines below it and only those: a
    caption or a table in small type just above the rule is not read into a note."""
    columns: dict[int, list[_Line]] = {}
    for ln in page_lines:
        columns.setdefault(ln.col, []).append(ln)
    small: list[_Line] = []
    ruled = {col: _column_rule(lines, rules, body_size) for col, lines in columns.items()}
    lowest = min((y for y in ruled.values() if y is not None), default=None)
    body = [ln for ln in page_lines if ln.size >= 0.92 * body_size]
    for col in sorted(columns):
        lines = columns[col]
        rule = ruled[col]
        if rule is not None:
            small.extend(ln for ln in lines if ln.top <= rule + 1.0)
            continue
        below: _Line | None = None
        for ln in sorted(lines, key=lambda ln: ln.top):
            if ln.size >= 0.92 * body_size:
                break
            if below is not None and ln.bottom - below.top > 3 * body_size:
                break  # far above the band: a caption or a source line that ends the text
            below = ln
            if lowest is not None and ln.top > lowest + 1.0:
                continue  # above the page's rule: a table's cells, a caption
            if any(b.top < ln.bottom and b.x0 < ln.x1 and ln.x0 < b.x1 for b in body):
                continue  # body type below it: a table's column in small type, not the foot of the page
            small.append(ln)
    return sorted(small, key=lambda ln: (ln.col, -ln.top, ln.x0))


# A horizontal rule on a page: its left end, right end and height (PDF points, from the bottom).
Rule = tuple[float, float, float]


def _column_rule(lines: list[_Line], rules: list[Rule], body_size: float) -> float | None:
    """The height of the separator above a column's notes: the lowest short rule that starts
    at the column's left edge, with lines in smaller type right under it and none in body
    type below it."""
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    best = None
    for x0, x1, y in rules:
        if abs(x0 - left) > 6 or x1 - x0 > 0.6 * (right - left):
            continue
        below = [ln for ln in lines if ln.top <= y + 1.0]
        if not below or any(ln.size >= 0.92 * body_size for ln in below):
            continue
        first = max(below, key=lambda ln: ln.top)
        if y - first.top > 2.5 * body_size:
            continue  # the rule is not the band's: too far above its first line
        best = y if best is None or y < best else best
    return best


def page_rules(page, width: float, height: float) -> list[Rule]:
    """The page's short horizontal rules (thin path objects, narrower than half the page),
    less those stacked in a column of parallel rules at the same x (a table's)."""
    import pypdfium2.raw as raw

    found: list[Rule] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    count = raw.FPDFPage_CountObjects(page.raw)
    for k in range(min(count, _MAX_OBJECTS)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(
            obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
        ):
            continue
        w, h = right.value - left.value, top.value - bottom.value
        if h <= 2.0 and 15.0 <= w <= 0.5 * width and bottom.value < 0.8 * height:
            found.append((left.value, right.value, (bottom.value + top.value) / 2))
    return [
        r
        for r in found
        if not any(
            o is not r and abs(o[0] - r[0]) < 2 and abs(o[1] - r[1]) < 2 and abs(o[2] - r[2]) < 40 for o in found
        )
    ]


_MAX_OBJECTS = 3000  # a chart of thousands of paths: its rules are not a note separator


def _footnote_bands(
    ordered: list[list[_Line]],
    body_size: float,
    source: str,
    raised: Counter[tuple[int, str]],
    rules: list[list[Rule]] | None = None,
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
    for pi, page_lines in enumerate(ordered):
        small = _foot_of_columns(page_lines, body_size, rules[pi] if rules else [])
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
            # E = mc², x² + y²; never after a sentence's punctuation ("(n = 46).¹⁹" is a marker)
            formula = left.endswith(tuple("=+−×·/<>≤≥")) or after_text.startswith(tuple("=+−×/"))
            if formula and prev not in '.,;:”’"':
                return None
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


def _link(
    notes: list[_Note],
    blocks: list[Block],
    markers: list[tuple[Block, Ref, _Note | None]],
    source: str,
    warnings,
    vocabulary: Counter[str],
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
