"""The reader on a PDF: the page in the article's status, and "go to page N" in the palette."""

from __future__ import annotations

import pytest
from tools.pdf_typeset import typeset

from tests import pdf_fixtures as fx
from tests.conftest import toasts
from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def pdf_library(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    typeset(fx.two_columns(), lib / "brief.pdf")
    return lib


async def test_page_shown_and_go_to_page_from_the_palette(pdf_library, tmp_path):
    app = build_app(library_dir=pdf_library, open_doc="brief", index_dir=tmp_path / "index")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.query_one("#article", ArticleView)
        assert app.reader.document is not None and app.reader.document.page_count == 2
        assert str(view.border_subtitle).startswith("p. 1/2 · ")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"page 2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert str(view.border_subtitle).startswith("p. 2/2 · ")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"page 9")  # no such page: a warning, the place kept
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any("There is no page 9" in m for m in toasts(app))
        assert str(view.border_subtitle).startswith("p. 2/2 · ")


async def test_a_search_hit_in_a_note_opens_with_the_note_shown_and_the_last_marker_stays(tmp_path):
    """A word only one of the PDF's footnotes has ("council", note 1 of LibreOffice's
    lo-rule.pdf): the result says the page and that it is in a note; choosing it opens the
    document with that note shown, its hit marked, in the notes panel.  ``]`` walks the three
    markers and, from the last one, rings the bell and stays, as in any other format."""
    import shutil
    from pathlib import Path

    from tuireader.ui.widgets.notes import NotesPanel

    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "formats" / "lo-rule.pdf", lib / "boards.pdf")
    app = build_app(library_dir=lib, index_dir=tmp_path / "index")
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"council")
        await settle(pilot)
        results = app.screen.query_one("#search-results")
        assert results.option_count == 1
        assert "p. 1: note: Minutes of the council" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.document is not None and app.reader.document.title == "Water Boards and Their Records"
        notes = app.query_one("#notes", NotesPanel)
        assert app.focused is notes and notes.current_note is not None and notes.current_note.label == "1"
        assert notes.current_hit == (notes.current_note.key, 0)
        first = notes.note_region(notes.current).y
        assert notes.scroll_offset.y <= first < notes.scroll_offset.y + notes.size.height  # on screen
        assert notes.line_text(first).strip().startswith("1 Minutes of the council, 4 March")
        view = app.query_one("#article", ArticleView)
        view.focus()
        await pilot.pause()
        await pilot.press(*["right_square_bracket"] * 3)
        await pilot.pause()
        assert view.current_ref == 2 and view.refs[2].label == "3" and not bells
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.current_ref == 2 and bells == [1]  # the last marker: a bell, the marker kept
        shown = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
        assert any("words.³" in row for row in shown)  # and still on screen
