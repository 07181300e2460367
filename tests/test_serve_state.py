"""State under `tuireader serve`: a session without a user name reads the shared annotations and
never writes them; a named user's annotations live in that user's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import messages

from tuireader import paths
from tuireader.annotations import AnnotationStore
from tuireader.annotations.anchor import content_hash
from tuireader.annotations.model import MOVED
from tuireader.annotations.service import new_annotation, placed_annotations
from tuireader.annotations.store import ReadOnlyStore
from tuireader.core.formats import parse_file
from tuireader.state.store import StateStore
from tuireader.ui.screens.annotate import AnnotateScreen
from tuireader.ui.widgets.annotations_panel import AnnotationsPanel

from .conftest import write
from .contrast import screen_rows
from .test_ui import ISW_ID, app_for, article, settle
from .test_ui_annotations import FIRST_WORDS, _cells_of, _plain_bg

PASSAGE = "The second sentence says something that matters."
TEXT = "A Report\n\nJanuary 5, 2022\n\nThe first paragraph opens. " + PASSAGE + " It ends.\n\nThe last one.\n"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_read_only_store_reads_the_rows_and_refuses_every_write(tmp_path):
    path = tmp_path / "shared" / "annotations.sqlite"
    doc_path = tmp_path / "lib" / "report.txt"
    write(doc_path, TEXT)
    doc = parse_file(doc_path, doc_id="report")
    start = TEXT.index(PASSAGE)
    writer = AnnotationStore(path)
    writer.add(new_annotation(doc, start, start + len(PASSAGE), note="shared note"))
    writer.close()
    before = _files(path.parent)

    store = AnnotationStore(path, read_only=True)
    [found] = store.for_document("report")
    assert found.note == "shared note"
    for write_it in (
        lambda: store.add(new_annotation(doc, start, start + 5)),
        lambda: store.update(found.edited(note="changed")),
        lambda: store.delete(found.id),
    ):
        with pytest.raises(ReadOnlyStore, match="read-only"):
            write_it()
    # The file changed underneath: the placing moves it for the view, and writes nothing back.
    edited = TEXT.replace("The first paragraph", "A paragraph added above.\n\nThe first paragraph")
    write(doc_path, edited)
    [placed] = placed_annotations(store, parse_file(doc_path, doc_id="report"))
    assert placed.placement.status == MOVED and placed.annotation.start == edited.index(PASSAGE)
    store.close()
    [kept] = AnnotationStore(path).for_document("report")
    assert kept.start == start and kept.content_hash != content_hash(doc_path)  # as it was stored
    assert {k: v for k, v in _files(path.parent).items() if not k.endswith(("-wal", "-shm"))} == {
        k: v for k, v in before.items() if not k.endswith(("-wal", "-shm"))
    }


def test_a_missing_read_only_store_is_empty_and_is_not_created(tmp_path):
    store = AnnotationStore(tmp_path / "shared" / "annotations.sqlite", read_only=True)
    assert store.all() == [] and store.count() == 0
    assert not (tmp_path / "shared").exists()


def _toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.long
async def test_a_session_without_a_user_name_cannot_annotate_and_sees_the_shared_ones(library_copy, monkeypatch):
    # The shared store has one highlight, made by a reader with its own state.
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "h")
        await settle(pilot)
    shared = paths.annotations_file()
    [made] = AnnotationStore(shared).all()
    before = shared.read_bytes()

    monkeypatch.setenv(paths.ENV_STATE_READ_ONLY, "1")  # what serve sets for a session without ?user=
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        svg = app.export_screenshot()
        assert {c.bg for c in _cells_of(svg, FIRST_WORDS)} != {_plain_bg(svg)}  # the shared highlight is shown
        await pilot.press("j", "j", "v", "w", "h")  # a highlight
        await settle(pilot)
        assert _toasts(app)[-1].startswith("Annotations are read-only in this shared session: nothing was saved")
        app.clear_notifications()
        for keys in (("escape", "m"), ("v", "a"), ("escape", "A", "", "ctrl+d")):  # a bookmark, a note, a deletion
            for key in keys:
                if key:
                    await pilot.press(key)
                await settle(pilot)
            assert [t[:34] for t in _toasts(app)] == ["Annotations are read-only in this "], keys
            app.clear_notifications()
            assert not isinstance(app.screen, AnnotateScreen)  # refused before a note is typed
        assert isinstance(app.screen, AnnotationsPanel)
        assert made.quote.exact[:30] in " ".join(screen_rows(app.export_screenshot()).values())  # still listed
    assert [a.id for a in AnnotationStore(shared).all()] == [made.id]
    assert shared.read_bytes() == before


async def test_ctrl_d_in_the_annotations_panel_deletes_while_the_filter_has_the_focus(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "h")
        await settle(pilot)
        assert AnnotationStore(paths.annotations_file()).count() == 1
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("ctrl+d")  # the filter input is focused: ctrl+d must not stay there
        await settle(pilot)
        assert AnnotationStore(paths.annotations_file()).count() == 0


def _saved_position(doc_id: str) -> int | None:
    return StateStore(paths.state_file()).position(doc_id)


async def test_the_reading_position_is_saved_when_a_browser_session_is_told_to_quit(library_copy):
    """textual-serve's web driver turns a closed browser tab into an ExitApp message: no key, no q."""
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"jjjjjjj")  # seven lines down: the visible notes need not change
        await pilot.pause()
        top = article(app).top_source_offset()
        assert top > 0
        app.post_message(messages.ExitApp())  # at once: no save timer has had its time
        await pilot.pause()
    assert _saved_position(ISW_ID) == top
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert article(app).top_source_offset() == top
        assert int(article(app).scroll_offset.y) == 7


async def test_scrolling_saves_the_position_soon_without_quitting(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        top = article(app).top_source_offset()
        for _ in range(40):  # SAVE_DELAY after the last key, then a thread writes it
            if _saved_position(ISW_ID) == top:
                break
            await pilot.pause(0.05)
        assert _saved_position(ISW_ID) == top
