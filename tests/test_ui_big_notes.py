"""A document with very many footnotes: the article's and the notes' fast paths give the
same lines as the slow ones, and a reader on 5,000 notes opens and answers keys.
(How fast is benchmarks/bench_big_notes.py's job: no timings here.)"""

from __future__ import annotations

import random

import pytest

from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView
from tuireader.ui.widgets.notes import NotesPanel
from tuireader.ui.widgets.wrap import word_wrap, word_wrap_cells


def test_narrow_wrap_breaks_where_words_end_and_splits_long_words():
    # checked by hand: width 10, continuation lines 2 cells narrower
    assert word_wrap("the cat sat on “the” mat", 10, 2) == [(0, 8), (8, 15), (15, 21), (21, 24)]
    assert word_wrap("abcdefghijklmnop", 6, 0) == [(0, 6), (6, 12), (12, 16)]
    assert word_wrap("", 10, 0) == [(0, 0)]


def test_wrap_fast_path_gives_the_lines_measured_cell_by_cell():
    # wide, combining, joining and control characters must fall back to measuring
    pieces = ["a", "bb", " ", "  ", "x" * 15, "é", "“", "—", "¹", "↩", "漢字", "e\u0301", "\u200d", "👍", "\ufe0f"]
    pieces += ["\U0001f1e9\U0001f1ea", "\t", "ก", "\u0e31"]
    rng = random.Random(18)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        width = rng.randint(2, 30)
        indent = rng.randint(0, min(width - 1, 4))
        assert word_wrap(text, width, indent) == word_wrap_cells(text, width, indent), (text, width, indent)


def many_notes(path, count: int):
    out = []
    for p in range(0, count, 5):
        out.append(" ".join(f"Sentence {n} of the report.[^{n}]" for n in range(p + 1, min(p + 6, count + 1))))
        out.append("")
    out += [f"[^{n}]: Statement {n} quoted by the agency, https://example.org/{n}" for n in range(1, count + 1)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.long
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


async def test_keys_are_handled_while_the_notes_are_still_being_prepared(tmp_path, monkeypatch):
    """j and q answer at once on 3,000 notes: the notes are wrapped as they come into view (most
    are not yet), and their entities, found by a worker held back here, have not arrived."""
    import threading

    from tuireader.ui.screens import reader as reader_screen

    gate = threading.Event()
    find = reader_screen.find_entities

    def held_back(workspace, opened):
        gate.wait(10)
        return find(workspace, opened)

    monkeypatch.setattr(reader_screen, "find_entities", held_back)
    library = tmp_path / "library"
    library.mkdir()
    doc = many_notes(library / "notes.md", 3_000)
    app = build_app(library_dir=library, index_dir=tmp_path / "index", open_doc=str(doc))
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            while app.reader.document is None:
                await pilot.pause(0.05)
            await pilot.pause()
            article, notes = app.query_one(ArticleView), app.query_one(NotesPanel)
            assert notes.border_title == "Notes (3000)" and notes.entities == {}  # still being prepared
            assert (
                notes.render_line(0).text.removeprefix("▌").strip().startswith("1 Statement 1 quoted")
            )  # note 1 cited on screen
            rows = range(article.scrollable_content_region.height)
            before = [article.render_line(y).text for y in rows]
            await pilot.press("j")
            after = [article.render_line(y).text for y in rows]
            assert article.scroll_offset.y == 1 and after[:-1] == before[1:]  # one line down
            assert not gate.is_set() and notes.entities == {}  # the notes' entities have not come yet
            await pilot.press("q")
            assert not app.is_running or app.return_code is not None
    finally:
        gate.set()
