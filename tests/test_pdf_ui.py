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
