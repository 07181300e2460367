"""The live library in the reader (#20): a file saved into the folder is listed, the open document
edited underneath reloads at the same place, a deleted one says so."""

from __future__ import annotations

import time

import pytest

from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView

from .conftest import write

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, seconds: float = 8.0) -> bool:
    """Let the app run until ``condition()`` holds (the watcher's events take a few hundred ms)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    return condition()


def listed_titles(app) -> list[str]:
    options = app.query_one("#library-list")
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


def status_text(app) -> str:
    status = app.query_one("#status")
    return str(status.render()) if status.display else ""


def top_line(app) -> str:
    view = app.query_one("#article", ArticleView)
    first, _ = view.visible_line_range()
    return view.line_text(first)


@pytest.mark.long
async def test_saved_file_is_listed_edited_open_document_reloads_in_place_deleted_one_says_so(library_copy):
    app = build_app(library_dir=library_copy, open_doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await wait_until(pilot, lambda: app.live_library.watcher is not None)
        await pilot.pause(0.3)  # the watch is set up on its thread

        write(library_copy / "fresh-report.md", "# A Report Saved Just Now\n\nIt says little.[^1]\n\n[^1]: A source.\n")
        assert any("Kazakhstan Crisis" in t for t in listed_titles(app))
        assert await wait_until(pilot, lambda: "A Report Saved Just Now" in listed_titles(app))
        options = app.query_one("#library-list")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        fresh = next(p for p in prompts if p.startswith("A Report Saved Just Now"))
        assert "1 note" in fresh and "1 notes" not in fresh

        await pilot.press("space", "space", "space")
        await pilot.pause()
        before = top_line(app)
        assert before.strip()
        path = library_copy / f"{ISW_ID}.txt"
        text = path.read_text(encoding="utf-8")
        first_break = text.index("\n\n") + 2  # after the title line: a paragraph inserted high above
        path.write_text(
            text[:first_break] + "An editor's paragraph, inserted above.\n\n" + text[first_break:], encoding="utf-8"
        )
        assert await wait_until(pilot, lambda: "reloaded" in status_text(app))
        await settle(pilot)
        assert top_line(app) == before  # the same text at the top, not the same offset
        await pilot.press("g")
        await pilot.pause()
        view = app.query_one("#article", ArticleView)
        first, last = view.visible_line_range()
        assert any("An editor's paragraph" in view.line_text(i) for i in range(first, last))

        path.unlink()
        assert await wait_until(pilot, lambda: "deleted" in status_text(app))
        assert await wait_until(pilot, lambda: not any("Kazakhstan Crisis" in t for t in listed_titles(app)))
        assert app.reader.document is not None  # the text read stays on screen
        app.reader.open_document("neo-2022-01-22-turkic-military-alliance")
        await settle(pilot)
        assert "deleted" not in status_text(app)  # said of that document only, not of the next
