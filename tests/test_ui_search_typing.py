"""Search as a user types it: an unfinished last word already finds, accents do not matter."""

from __future__ import annotations

import pytest

from tuireader.ui.app import build_app

from .conftest import LIBRARY

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(("typed", "matches"), [("cav", "1 match"), ("Erdoğ", "2 matches"), ("türkiye", "2 matches")])
async def test_matches_show_while_the_word_is_typed(typed, matches):
    app = build_app(library_dir=LIBRARY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*typed)
        await settle(pilot)
        status = str(app.screen.query_one("#search-status").render())
        assert status.endswith(matches)
        assert app.screen.query_one("#search-results").option_count == int(matches.split()[0])
