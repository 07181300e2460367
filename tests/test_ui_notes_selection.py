"""Selecting text in the footnotes panel with the mouse and copying it (ctrl+c), as a user does."""

from __future__ import annotations

import pytest

from tuireader.ui.app import build_app
from tuireader.ui.widgets.notes import NotesPanel

from .conftest import LIBRARY

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_rows(panel: NotesPanel) -> list[str]:
    """The panel's rows as drawn on screen (gutter included)."""
    return [panel.render_line(y).text for y in range(panel.scrollable_content_region.height)]


async def test_select_text_in_the_notes_with_the_mouse_and_copy_it():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        panel = app.query_one("#notes", NotesPanel)
        rows = shown_rows(panel)
        row = next(y for y, text in enumerate(rows) if "2 The CSTO declined" in text)
        column = rows[row].index("The CSTO")
        dx = panel.scrollable_content_region.x - panel.region.x
        dy = panel.scrollable_content_region.y - panel.region.y
        start = (dx + column, dy + row)
        end = (dx + column + len("The CSTO declined") - 1, dy + row)  # the cell under the pointer is selected
        await pilot.mouse_down(NotesPanel, offset=start)
        await pilot.hover(NotesPanel, offset=end)
        await pilot.mouse_up(NotesPanel, offset=end)
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.return_code is None  # still running: copying did not crash the app
        assert app.clipboard == "The CSTO declined"
