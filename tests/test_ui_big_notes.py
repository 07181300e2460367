"""A document with very many footnotes: the article's and the notes' fast paths give the
same lines as the slow ones, and a reader on 5,000 notes opens and answers keys.
(How fast is benchmarks/bench_big_notes.py's job: no timings here.)"""

from __future__ import annotations

import random

from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView, _word_wrap, _word_wrap_cells
from tuireader.ui.widgets.notes import NotesPanel


def test_narrow_wrap_breaks_where_words_end_and_splits_long_words():
    # checked by hand: width 10, continuation lines 2 cells narrower
    assert _word_wrap("the cat sat on “the” mat", 10, 2) == [(0, 8), (8, 15), (15, 21), (21, 24)]
    assert _word_wrap("abcdefghijklmnop", 6, 0) == [(0, 6), (6, 12), (12, 16)]
    assert _word_wrap("", 10, 0) == [(0, 0)]


def test_wrap_fast_path_gives_the_lines_measured_cell_by_cell():
    # wide, combining, joining and control characters must fall back to measuring
    pieces = ["a", "bb", " ", "  ", "x" * 15, "é", "“", "—", "¹", "↩", "漢字", "e\u0301", "\u200d", "👍", "\ufe0f"]
    pieces += ["\U0001f1e9\U0001f1ea", "\t", "ก", "\u0e31"]
    rng = random.Random(18)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        width = rng.randint(2, 30)
        indent = rng.randint(0, min(width - 1, 4))
        assert _word_wrap(text, width, indent) == _word_wrap_cells(text, width, indent), (text, width, indent)


def many_notes(path, count: int):
    out = []
    for p in range(0, count, 5):
        out.append(" ".join(f"Sentence {n} of the report.[^{n}]" for n in range(p + 1, min(p + 6, count + 1))))
        out.append("")
    out += [f"[^{n}]: Statement {n} quoted by the agency, https://example.org/{n}" for n in range(1, count + 1)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


async def test_a_document_with_5000_notes_opens_and_answers_keys(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    doc = many_notes(library / "notes.md", 5_000)
    app = build_app(library_dir=library, index_dir=tmp_path / "index", open_doc=str(doc))
    async with app.run_test(size=(120, 30)) as pilot:
        while app.reader.document is None:
            await pilot.pause(0.05)
        await pilot.pause()
        article = app.query_one(ArticleView)
        notes = app.query_one(NotesPanel)
        assert notes.border_title == "Notes (5000)"
        assert len(article.refs) == 5_000
        await pilot.press("G")
        await pilot.press("right_square_bracket")
        assert article.current_ref is not None
        label = article.refs[article.current_ref].label
        assert int(label) > 4_900  # the first marker on the last screen
        notes.focus()
        await pilot.press("end")
        assert notes.current_key == notes.notes[-1].key
        assert "5000" in notes.render_line(notes.note_region(len(notes.notes) - 1).y - int(notes.scroll_y)).text
        await pilot.press("home")  # back to the first note, then to where it is cited
        await pilot.press("enter")
        await pilot.pause()
        assert article.refs[article.current_ref].label == "1"
        await pilot.press("q")
    assert app.return_code is not None or not app.is_running
