"""The notes panel's lazy layout (ui/widgets/notes_layout.py, no Textual): notes wrapped
as they are asked for give the same lines as notes all wrapped at once, and the line
numbers stay consistent while estimated heights become exact."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.parse import parse_text
from tuireader.ui.widgets.notes_layout import CHUNK, NotesLayout, estimated_height


def notes_doc(count: int):
    body = " ".join(f"Sentence {n}.[^{n}]" for n in range(1, count + 1))
    # notes of different lengths, so that estimates are wrong in both directions
    defs = [
        f"[^{n}]: Note {n} " + "word " * (n * 7 % 23) + ("https://example.org/" + "x" * (n % 9) if n % 3 == 0 else "")
        for n in range(1, count + 1)
    ]
    return parse_text(body + "\n\n" + "\n".join(defs) + "\n", path=Path("notes.md"), fmt="markdown")


def all_lines(layout: NotesLayout) -> list[tuple[int, str]]:
    out = []
    y = 0
    while (line := layout.line(y)) is not None:
        out.append((line.note, "" if line.blank else layout.text(line.note).plain[line.start : line.end]))
        y += 1
    return out


def test_lazily_wrapped_notes_are_the_notes_wrapped_at_once():
    doc = notes_doc(CHUNK * 2 + 40)  # more than one chunk of partial sums
    exact = NotesLayout(doc.footnotes, 30)
    exact.make_exact(0, len(doc.footnotes) - 1)
    expected = all_lines(exact)
    lazy = NotesLayout(doc.footnotes, 30)
    assert not lazy.is_exact(5)
    # jump around first (the end, the middle), then read from the top: the same lines
    lazy.lines_of(len(doc.footnotes) - 1)
    lazy.line(lazy.first_line(CHUNK + 3))
    assert all_lines(lazy) == expected
    assert lazy.height == exact.height == len(expected)


def test_first_line_and_locate_agree_with_estimates_and_after():
    doc = notes_doc(CHUNK + 10)
    layout = NotesLayout(doc.footnotes, 25)
    for i in (0, 1, CHUNK - 1, CHUNK, CHUNK + 9):
        assert layout.locate(layout.first_line(i)) == (i, 0)
    before = layout.first_line(CHUNK + 5)
    moved = layout.make_exact(0, CHUNK + 4)  # everything above note CHUNK+5 made exact
    assert layout.first_line(CHUNK + 5) == before + moved
    assert layout.locate(layout.first_line(CHUNK + 5)) == (CHUNK + 5, 0)
    assert layout.locate(layout.height) is None and layout.line(layout.height) is None


def test_estimate_is_near_the_wrapped_height():
    doc = notes_doc(60)
    layout = NotesLayout(doc.footnotes, 30)
    for i, note in enumerate(doc.footnotes):
        exact = len(layout.lines_of(i))
        assert abs(estimated_height(note, 30) - exact) <= 2, (note.text, exact)


def test_no_notes_is_one_line_saying_so_or_nothing():
    assert NotesLayout([], 30, empty_line=12).height == 1
    assert NotesLayout([], 30, empty_line=12).line(0).note == -1
    assert NotesLayout([], 30).height == 0 and NotesLayout([], 30).line(0) is None
