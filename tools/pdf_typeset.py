"""Typeset test PDFs with reportlab: columns, footnote bands, running heads, hyphenation.

The PDF reader's tests and benchmark generate their documents with this, so every
expected count is known from the input, not from the reader.  Markup in a paragraph:

- ``^{1}`` a superscript (a note marker, an exponent, an ordinal: the input says which);
- ``_{2}`` a subscript;
- ``|`` inside a word: a place where it may be hyphenated at a line end (drawn as ``-``);
- ``*bold*`` is not supported: headings are their own elements.

Notes are ``Note(label, text)``; a paragraph cites a note by a ``^{label}`` the caller
also lists in ``notes`` (the band of the page where the marker lands, or the endnotes).

    .venv/bin/python tools/pdf_typeset.py OUT.pdf [--pages N] [--columns 2]

writes a generated report (the benchmark's 100-page file is made this way).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

BODY_FONT, BODY_SIZE, LEADING = "Times-Roman", 10.5, 13.0
NOTE_FONT, NOTE_SIZE, NOTE_LEADING = "Times-Roman", 8.0, 9.6
SUP_SCALE, SUP_RISE = 0.62, 3.6
HEAD_FONT = "Helvetica-Bold"
MARGIN = 72.0
GUTTER = 18.0
INDENT = 18.0


@dataclass
class Heading:
    text: str
    size: float = 14.0


@dataclass
class Para:
    text: str
    indent: bool = True


@dataclass
class Note:
    label: str
    text: str


@dataclass
class Spec:
    title: str
    blocks: list[Heading | Para]
    notes: list[Note] = field(default_factory=list)
    authors: str = ""
    date: str = ""
    columns: int = 1
    running_head: str = ""
    page_numbers: bool = True
    endnotes: bool = False  # notes under a "Notes" heading at the end instead of page bands
    info_title: str | None = None  # the document information's /Title
    band_max: float = 0.35  # the largest share of the text height a page's notes may take
    info_author: str | None = None
    restart_notes: bool = False  # numbering restarts at every heading (notes listed in order)
    encrypt: object = None  # a reportlab StandardEncryption, or a password string


_TOKEN = re.compile(r"\^\{([^}]*)\}|_\{([^}]*)\}|(\s+)|([^\s^_]+|[\^_])")


def _pieces(text: str) -> list[list[tuple[str, str]]]:
    """Words as lists of (kind, text) pieces: kind is "t", "sup" or "sub"; a marker
    glued to a word is part of that word."""
    words: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        sup, sub, space, word = m.groups()
        if space is not None:
            if current:
                words.append(current)
            current = []
        elif sup is not None:
            current.append(("sup", sup))
        elif sub is not None:
            current.append(("sub", sub))
        else:
            current.append(("t", word))
    if current:
        words.append(current)
    return words


def _width(pieces: list[tuple[str, str]], font: str, size: float) -> float:
    total = 0.0
    for kind, text in pieces:
        shown = text.replace("|", "")
        total += stringWidth(shown, font, size * (SUP_SCALE if kind != "t" else 1.0))
    return total


def _split_hyphen(pieces: list[tuple[str, str]]) -> list[tuple[list, list, bool]]:
    """Every way to break a word at a ``|`` (head drawn with "-") or after a real hyphen."""
    options = []
    for pi, (kind, text) in enumerate(pieces):
        if kind != "t":
            continue
        for ci, ch in enumerate(text):
            if ch == "|":
                head = [*pieces[:pi], ("t", text[:ci] + "-")]
                tail = [("t", text[ci + 1 :]), *pieces[pi + 1 :]]
                options.append((head, tail, True))
            elif ch == "-" and 0 < ci < len(text) - 1:
                head = [*pieces[:pi], ("t", text[: ci + 1])]
                tail = [("t", text[ci + 1 :]), *pieces[pi + 1 :]]
                options.append((head, tail, False))
    return options


def wrap(
    text: str, width: float, font: str, size: float, first_indent: float = 0.0, broken: list[str] | None = None
) -> list[list[list]]:
    """Lines of words, each word a list of pieces, greedy with hyphenation at ``|``; the words
    broken at a line end are added to ``broken`` as "head|tail"."""
    space = stringWidth(" ", font, size)
    words = _pieces(text)
    lines: list[list[list]] = []
    line: list[list] = []
    used = first_indent
    while words:
        word = words.pop(0)
        w = _width(word, font, size)
        need = w + (space if line else 0)
        if used + need <= width or not line:
            line.append(word)
            used += need
            continue
        fitted = False
        for head, tail, soft in reversed(_split_hyphen(word)):
            if used + space + _width(head, font, size) <= width:
                line.append(head)
                words.insert(0, tail)
                if broken is not None:  # "pe|riod" for a hyphenation, "well-|known" for a real hyphen
                    shown = _plain(head)
                    broken.append((shown[:-1] if soft else shown) + "|" + _plain(tail))
                fitted = True
                break
        lines.append(line)
        line, used = [], 0.0
        if not fitted:
            words.insert(0, word)
    if line:
        lines.append(line)
    return lines


def _labels(raised: str) -> list[str]:
    """The note labels a raised run cites: "3–5" is 3, 4 and 5; "6,7" is 6 and 7."""
    labels: list[str] = []
    for part in raised.split(","):
        lo, _, hi = part.partition("–")
        if hi and lo.isdigit() and hi.isdigit():
            labels.extend(str(n) for n in range(int(lo), int(hi) + 1))
        else:
            labels.append(part)
    return labels


def _plain(pieces: list[tuple[str, str]]) -> str:
    return "".join(t for kind, t in pieces if kind == "t").replace("|", "")


def _draw_line(c: Canvas, x: float, y: float, words: list[list], font: str, size: float) -> None:
    space = stringWidth(" ", font, size)
    for word in words:
        for kind, text in word:
            shown = text.replace("|", "")
            if kind == "t":
                c.setFont(font, size)
                c.drawString(x, y, shown)
                x += stringWidth(shown, font, size)
            else:
                small = size * SUP_SCALE
                c.setFont(font, small)
                rise = SUP_RISE * size / BODY_SIZE if kind == "sup" else -1.6 * size / BODY_SIZE
                c.drawString(x, y + rise, shown)
                x += stringWidth(shown, font, small)
        x += space


class _Typesetter:
    def __init__(self, spec: Spec, path: Path) -> None:
        self.spec = spec
        self.c = Canvas(str(path), pagesize=letter, encrypt=spec.encrypt)
        self.c.setTitle(spec.info_title or "")
        self.c.setAuthor(spec.info_author or "")
        self.hyphenated: list[str] = []  # words broken at a line end, as "head-|tail"
        self.page_w, self.page_h = letter
        self.page = 0
        self.notes: dict[str, list[Note]] = {}
        for n in spec.notes:
            self.notes.setdefault(n.label, []).append(n)
        self.pending: list[list[list]] = []  # note lines waiting for a band (continued notes)
        self.text_w = self.page_w - 2 * MARGIN
        cols = spec.columns
        self.col_w = (self.text_w - GUTTER * (cols - 1)) / cols
        self.note_wrap: dict[str, list[list[list]]] = {}
        self.used: dict[str, int] = {}  # notes of each label set so far (numbering may restart)

    # -- pages and columns: each column has its own band of notes at its foot, as LaTeX sets them
    def new_page(self) -> None:
        if self.page:
            self.finish_page()
        self.page += 1
        self.col = 0
        self.top = self.page_h - MARGIN
        self.y = self.top
        self.band: list[list[list]] = []
        self.take_pending()
        if self.page > 1 and self.spec.running_head:
            self.c.setFont("Times-Italic", 9)
            self.c.drawCentredString(self.page_w / 2, self.page_h - MARGIN / 2, self.spec.running_head)

    def take_pending(self) -> None:
        room = int((self.top - MARGIN) * self.spec.band_max / NOTE_LEADING)
        self.band, self.pending = self.pending[:room], self.pending[room:]

    def band_height(self) -> float:
        return (len(self.band) * NOTE_LEADING + 10) if self.band else 0.0

    def bottom(self) -> float:
        return MARGIN + self.band_height()

    def finish_column(self) -> None:
        c = self.c
        if self.band:
            room = int((self.top - MARGIN) * self.spec.band_max / NOTE_LEADING)
            shown, self.pending = self.band[:room], self.band[room:] + self.pending
            y = MARGIN + len(shown) * NOTE_LEADING + 4
            c.setLineWidth(0.5)
            c.line(self.x(), y, self.x() + min(120, self.col_w / 2), y)
            y -= NOTE_LEADING
            for line in shown:
                _draw_line(c, self.x(), y, line, NOTE_FONT, NOTE_SIZE)
                y -= NOTE_LEADING
        self.band = []

    def finish_page(self) -> None:
        self.finish_column()
        if self.spec.page_numbers:
            self.c.setFont(BODY_FONT, 9)
            self.c.drawCentredString(self.page_w / 2, MARGIN / 2, str(self.page))
        self.c.showPage()

    def x(self) -> float:
        return MARGIN + self.col * (self.col_w + GUTTER)

    def next_column(self) -> None:
        if self.col + 1 < self.spec.columns:
            self.finish_column()
            self.col += 1
            self.y = self.top
            self.take_pending()
        else:
            self.new_page()

    def room_for(self, height: float) -> None:
        if self.y - height < self.bottom():
            self.next_column()

    # -- content
    def title_block(self) -> None:
        c = self.c
        c.setFont(HEAD_FONT, 20)
        for line in wrap(self.spec.title, self.text_w, HEAD_FONT, 20):
            self.y -= 24
            _draw_line(c, MARGIN, self.y, line, HEAD_FONT, 20)
        for extra in (self.spec.authors, self.spec.date):
            if extra:
                self.y -= 16
                c.setFont(BODY_FONT, 11)
                c.drawString(MARGIN, self.y, extra)
        self.y -= 18
        self.top = self.y

    def heading(self, h: Heading) -> None:
        lines = wrap(h.text, self.col_w, HEAD_FONT, h.size)
        self.room_for(h.size * 1.3 * len(lines) + 2 * LEADING)
        self.y -= h.size * 0.6
        for line in lines:
            self.y -= h.size * 1.25
            _draw_line(self.c, self.x(), self.y, line, HEAD_FONT, h.size)
        self.y -= 4

    def para(self, p: Para, font: str = BODY_FONT, size: float = BODY_SIZE, leading: float = LEADING) -> None:
        indent = INDENT if p.indent else 0.0
        lines = wrap(p.text, self.col_w, font, size, indent, self.hyphenated)
        if not p.indent:
            self.y -= leading * 0.5
        for i, line in enumerate(lines):
            cited = [k for word in line for kind, t in word if kind == "sup" for k in _labels(t) if k in self.notes]
            added = [nl for label in cited for nl in self.note_lines(label)]
            extra = len(added) * NOTE_LEADING + (10 if added and not self.band else 0)
            if self.y - leading - extra < self.bottom() and (self.y < self.top or self.col or self.page):
                self.next_column()
            self.band.extend(added)
            self.y -= leading
            _draw_line(self.c, self.x() + (indent if i == 0 else 0), self.y, line, font, size)

    def note_lines(self, label: str) -> list[list[list]]:
        if self.spec.endnotes:
            return []
        if label in self.note_wrap:
            return []  # cited again: its text is already in a band
        note = self.notes[label][self.used.get(label, 0)]
        self.used[label] = self.used.get(label, 0) + 1
        lines = wrap(f"^{{{note.label}}} {note.text}", self.col_w, NOTE_FONT, NOTE_SIZE)
        self.note_wrap[label] = lines
        return lines

    def run(self) -> None:
        self.new_page()
        self.title_block()
        for block in self.spec.blocks:
            if isinstance(block, Heading):
                if self.spec.restart_notes:
                    self.note_wrap.clear()  # each chapter numbers its notes from 1
                self.heading(block)
            else:
                self.para(block)
        if self.spec.endnotes and self.spec.notes:
            self.heading(Heading("Notes", 13))
            for note in self.spec.notes:
                self.para(Para(f"{note.label}. {note.text}", indent=False), NOTE_FONT, 9, 11)
        while self.pending:
            self.new_page()
        self.finish_page()
        self.c.save()


def typeset(spec: Spec, path: Path) -> list[str]:
    """Write the PDF; the words it broke at a line end ("inter-|national", "well-|known")."""
    setter = _Typesetter(spec, path)
    setter.run()
    return setter.hyphenated


_FILLER = (
    "The ministry's annual review describes how regional agencies coordinated their "
    "responses during the period, which partners contributed staff and equipment, and "
    "where the arrangements fell short of what the framework had promised at its launch."
)


def report(pages: int, columns: int = 1) -> Spec:
    """A long generated report: sections of paragraphs, a note every other paragraph."""
    blocks: list[Heading | Para] = []
    notes: list[Note] = []
    n = 0
    per_page = 3 if columns == 1 else 6  # about a page a section
    for section in range(1, int(pages * 1.6) + 1):
        blocks.append(Heading(f"{section}. Findings of section {section}"))
        for k in range(per_page * 2 - 1):
            text = f"Paragraph {section}.{k}: {_FILLER} {_FILLER}"
            if k % 2 == 0:
                n += 1
                text += f"^{{{n}}}"
                notes.append(Note(str(n), f"Interview with an official, {section} March 2021, on item {k}."))
            blocks.append(Para(text))
    return Spec(
        "A Generated Report on Regional Coordination",
        blocks,
        notes,
        "Jane Analyst",
        "March 2021",
        columns,
        running_head="Generated Report — Regional Coordination",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--columns", type=int, default=1)
    args = parser.parse_args()
    typeset(report(args.pages, args.columns), args.out)


if __name__ == "__main__":
    main()
