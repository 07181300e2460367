"""The notes panel's lines, made note by note when first needed (no Textual here).

A document with 100,000 notes cannot be wrapped at each open and each resize on the UI
thread (it took seconds, twice).  Here a note's text and lines are made the first time the
panel draws, scrolls to or asks about that note; every other note counts with an estimate
of its height.  Heights become exact as notes are seen, so line numbers below a note that
was just made exact move; the panel keeps the note at its top where it was (see
``NotesPanel._settle``).  Per-chunk sums keep "which note is on line y" and "where does note
i start" fast without a 100,000-entry prefix list rebuilt at each change.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from ...core.model import Footnote
from .article_layout import marker_label
from .wrap import word_wrap

UNDEFINED = "(no definition found in the document)"
CHUNK = 256  # notes per partial sum
WRAPPED_NOTES_KEPT = 4096  # notes whose lines are kept; others are wrapped again when next needed


@dataclass(slots=True)
class NoteLine:
    note: int  # index into the notes; -1 for the "no footnotes" line
    start: int  # the line is [start, end) of its note's plain text (NoteText.plain)
    end: int
    blank: bool = False  # the blank line after a note


@dataclass(slots=True)
class NoteText:
    """A note's text as the panel shows it, before styling: wrapping needs only this, so a
    document with 100,000 notes is laid out without building 100,000 styled texts."""

    plain: str
    body_start: int  # where the note's own text begins in ``plain``
    inserts: list[tuple[int, str]]  # (position in the note's text, "[n] ") link numbers put before links
    back_start: int  # where the "↩ …" / "not cited" line begins

    def shift(self, pos: int) -> int:
        """Where position ``pos`` of the note's text is in ``plain``."""
        return self.body_start + pos + sum(len(label) for at, label in self.inserts if at <= pos)

    def unshift(self, plain_pos: int) -> int:
        """The position of the note's text shown at ``plain_pos`` (a link number maps to its link)."""
        shown = plain_pos - self.body_start
        before = 0  # link-number cells inserted before this point
        for at, label in self.inserts:
            if shown < at + before:
                break
            if shown < at + before + len(label):
                return at
            before += len(label)
        return max(0, shown - before)


def citation_labels(note: Footnote) -> list[str]:
    """The labels of a note's citations in its "↩" line: ¹, or ¹a ¹b … when cited more than once."""
    many = len(note.cited_at) > 1
    return [marker_label(note.label) + (chr(0x61 + c) if many and c < 26 else "") for c in range(len(note.cited_at))]


def note_text(note: Footnote) -> NoteText:
    head = f"{note.label:>3} "
    inserts: list[tuple[int, str]] = []
    if not note.defined:
        body = UNDEFINED
    else:
        for n, link in enumerate(note.links):
            start = note.content.text_position(link.source_start)
            last = note.content.text_position(link.source_end - 1)
            if start is not None and last is not None:
                inserts.append((start, f"[{n + 1}] "))  # as lynx and newsboat number theirs
        inserts.sort()
        body, last_at = "", 0
        for at, label in inserts:
            body += note.text[last_at:at] + label
            last_at = at
        body += note.text[last_at:]
    if note.cited_at:
        labels = citation_labels(note)
        said = "cited in the text" if len(note.cited_at) == 1 else f"cited {len(note.cited_at)} times"
        back = "\n    ↩ " + "".join(f"{label} " for label in labels) + said
    else:  # a note no marker points to: say so, rather than offer a way back that is not there
        back = "\n    not cited in the text"
    plain = head + body + back
    return NoteText(plain, len(head), inserts, len(head) + len(body))


def wrap_note(i: int, text: NoteText, width: int) -> list[NoteLine]:
    """Note ``i``'s lines at ``width``, ending with the blank line after it."""
    lines: list[NoteLine] = []
    pos = 0
    for piece in text.plain.split("\n"):
        for a, b in word_wrap(piece, width, 0):
            while b > a + 1 and piece[b - 1] == " ":  # the space a line broke at is not shown
                b -= 1
            lines.append(NoteLine(i, pos + a, pos + b))
        pos += len(piece) + 1
    lines.append(NoteLine(i, 0, 0, blank=True))
    return lines


def estimated_height(note: Footnote, width: int) -> int:
    """About how many lines note ``note`` takes at ``width``: its text (with the "[n] " before
    each link) filled to ~90 % of the width, the "↩" line and the blank line after it."""
    chars = 4 + (len(note.text) + 4 * len(note.links) if note.defined else len(UNDEFINED))
    fill = max(1, width * 9 // 10)
    return -(-chars // fill) + 2


class NotesLayout:
    """All notes' lines at one width: exact for the notes made so far, estimated for the rest."""

    def __init__(self, notes: list[Footnote], width: int, *, empty_line: int | None = None) -> None:
        self.notes = notes
        self.width = width
        self.empty_line = empty_line  # the length of the "no footnotes" line, when there are none
        self._texts: list[NoteText | None] = [None] * len(notes)
        self._wrapped: OrderedDict[int, list[NoteLine]] = OrderedDict()
        self._heights = [estimated_height(note, width) for note in notes]
        self._exact = bytearray(len(notes))
        self._chunk_sums = [sum(self._heights[c : c + CHUNK]) for c in range(0, len(notes), CHUNK)]
        self._chunk_starts: list[int] | None = None  # first line of each chunk, made when asked

    # ------------------------------------------------------------ per note
    def text(self, i: int) -> NoteText:
        text = self._texts[i]
        if text is None:
            text = self._texts[i] = note_text(self.notes[i])
        return text

    def lines_of(self, i: int) -> list[NoteLine]:
        """Note ``i``'s lines (its height is exact from now on)."""
        lines = self._wrapped.get(i)
        if lines is not None:
            self._wrapped.move_to_end(i)
            return lines
        lines = self._wrapped[i] = wrap_note(i, self.text(i), self.width)
        if len(self._wrapped) > WRAPPED_NOTES_KEPT:
            self._wrapped.popitem(last=False)
        self._set_height(i, len(lines))
        return lines

    def height_of(self, i: int) -> int:
        return self._heights[i]

    def is_exact(self, i: int) -> bool:
        return bool(self._exact[i])

    def _set_height(self, i: int, height: int) -> None:
        self._exact[i] = 1
        change = height - self._heights[i]
        if change:
            self._heights[i] = height
            self._chunk_sums[i // CHUNK] += change
            self._chunk_starts = None

    # ------------------------------------------------------------ the whole
    @property
    def height(self) -> int:
        if not self.notes:
            return 1 if self.empty_line is not None else 0
        return sum(self._chunk_sums)

    def _starts(self) -> list[int]:
        if self._chunk_starts is None:
            starts, total = [], 0
            for s in self._chunk_sums:
                starts.append(total)
                total += s
            self._chunk_starts = starts
        return self._chunk_starts

    def first_line(self, i: int) -> int:
        """The line note ``i`` starts on (exact once the notes above it are)."""
        c = i // CHUNK
        return self._starts()[c] + sum(self._heights[c * CHUNK : i])

    def locate(self, y: int) -> tuple[int, int] | None:
        """(note, row in the note) of line ``y``; None past the end or with no notes."""
        if not self.notes or y < 0:
            return None
        starts = self._starts()
        c = bisect_right(starts, y) - 1
        y -= starts[c]
        for i in range(c * CHUNK, min(len(self.notes), (c + 1) * CHUNK)):
            h = self._heights[i]
            if y < h:
                return i, y
            y -= h
        return None

    def line(self, y: int) -> NoteLine | None:
        """Line ``y``, its note made exact first (so the line shown is the note's own)."""
        if not self.notes:
            return NoteLine(-1, 0, self.empty_line) if y == 0 and self.empty_line is not None else None
        found = self.locate(y)
        if found is None:
            return None
        i, row = found
        lines = self.lines_of(i)
        return lines[min(row, len(lines) - 1)]

    def make_exact(self, first: int, last: int) -> int:
        """Make notes ``first``..``last`` exact; how much the lines above ``last`` moved down."""
        moved = 0
        for i in range(max(0, first), min(len(self.notes), last + 1)):
            if not self._exact[i]:
                before = self._heights[i]
                self.lines_of(i)
                moved += self._heights[i] - before
        return moved
