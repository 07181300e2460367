"""Annotating in the reader, as a user does it: keys and the mouse, then what the screen shows."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import TextArea

from tuireader import paths
from tuireader.annotations import AnnotationStore
from tuireader.ui.widgets.annotations_panel import AnnotationsPanel

from .contrast import screen_rows, text_cells
from .test_ui import ISW_ID, app_for, article, settle

FIRST_WORDS = "Rapid developments in Kazakhstan"


def _cells_of(svg: str, words: str):
    """The screen cells showing the first occurrence of ``words`` (on one row)."""
    rows = screen_rows(svg)
    cells = text_cells(svg)
    for row, line in sorted(rows.items()):
        col = line.find(words)
        if col >= 0:
            wanted = range(col, col + len(words))
            return [c for c in cells if c.row == row and c.col in wanted]
    raise AssertionError(f"{words!r} is not on the screen")


def _plain_bg(svg: str) -> str:
    """The article's own background: under the date line, which nothing highlights."""
    return _cells_of(svg, "2021-12-28")[0].bg


async def test_select_by_keys_highlight_quit_restart_and_find_it_again(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")  # the first line in view: "Rapid developments …"
        await pilot.pause()
        bar = app.query_one("#selection")
        assert bar.display and "Selecting: 7 words" in str(bar.render())
        await pilot.press("w", "w")
        await pilot.pause()
        assert "Selecting: 9 words" in str(bar.render())
        await pilot.press("h")
        await settle(pilot)
        assert not bar.display
        await pilot.press("j")  # the article has the keys again: it scrolls
        await settle(pilot)
        assert article(app).scroll_offset.y == 1
        await pilot.press("k")
        await settle(pilot)
        svg = app.export_screenshot()
        assert {c.bg for c in _cells_of(svg, FIRST_WORDS)} != {_plain_bg(svg)}
    # a new reader on the same user data: the highlight is there again
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        svg = app.export_screenshot()
        highlighted = {c.bg for c in _cells_of(svg, FIRST_WORDS)}
        assert len(highlighted) == 1 and highlighted != {_plain_bg(svg)}
        [a] = AnnotationStore(paths.annotations_file()).all()
        assert a.quote.exact.startswith(FIRST_WORDS) and a.quote.exact.endswith("outpaced the")


async def test_select_by_mouse_then_annotate_with_a_multi_line_note(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = article(app)
        row = next(i for i in range(40) if view.line_text(i).startswith(FIRST_WORDS))
        x0 = view.content_region.x - view.region.x  # inside the border and padding
        y = view.content_region.y - view.region.y + row - int(view.scroll_offset.y)
        await pilot.mouse_down(view, offset=(x0, y))
        await pilot.hover(view, offset=(x0 + len("Rapid developments"), y))
        await pilot.mouse_up(view, offset=(x0 + len("Rapid developments"), y))
        await pilot.pause()
        assert app.reader.annotator.selection is not None
        await pilot.press("a")  # the bar has the keys once the mouse is done
        await settle(pilot)
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"first line", "enter", *"second line")
        await pilot.press("tab")
        await pilot.press(*"kazakhstan, crisis")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [a] = AnnotationStore(paths.annotations_file()).all()
        assert a.quote.exact == "Rapid developments"
        assert a.note == "first line\nsecond line" and a.tags == ("kazakhstan", "crisis")
        await pilot.press("A")  # the panel lists it with its note
        await settle(pilot)
        assert isinstance(app.screen, AnnotationsPanel)
        rows = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "“Rapid developments”" in rows and "first line second line" in rows and "#kazakhstan #crisis" in rows


@pytest.mark.long
async def test_an_inserted_paragraph_re_anchors_and_a_deleted_passage_is_orphaned(library_copy):
    path = library_copy / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt"
    original = path.read_text(encoding="utf-8")
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "h")
        await settle(pilot)
    # a paragraph inserted above the highlighted one
    path.write_text(
        original.replace("Rapid developments", "An added paragraph above.\n\nRapid developments", 1), encoding="utf-8"
    )
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        svg = app.export_screenshot()
        assert {c.bg for c in _cells_of(svg, "An added paragraph")} == {_plain_bg(svg)}
        assert {c.bg for c in _cells_of(svg, FIRST_WORDS)} != {_plain_bg(svg)}
        [a] = AnnotationStore(paths.annotations_file()).all()
        assert a.status == "moved" and a.start == original.index("Rapid developments") + len(
            "An added paragraph above.\n\n"
        )
    # the passage deleted: kept, listed as orphaned
    path.write_text(
        original.replace(original[original.index("Rapid developments") : original.index("Ankara’s initial")], ""),
        encoding="utf-8",
    )
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        rows = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "“Rapid developments in Kazakhstan in January 2022”  [orphaned" in rows and "1 of 1 (1 orphaned)" in rows


async def test_y_copies_the_quote_with_its_notes_and_citation(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "right_curly_bracket", "y")  # the whole first paragraph
        await settle(pilot)
        copied = app.clipboard
        assert copied.startswith("> Rapid developments in Kazakhstan")
        assert "peace.[^1]" in copied and "[^2]: The CSTO declined" in copied
        assert "— Ezgi Yazici, Fatih Cungurlu, “Kazakhstan Crisis" in copied
        assert not app.query_one("#selection").display


async def test_escape_cancels_a_selection_and_k_b_shrink_it(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "j", "j")
        await pilot.pause()
        bar = app.query_one("#selection")
        three_lines = str(bar.render())
        await pilot.press("k", "b")
        await pilot.pause()
        assert str(bar.render()) != three_lines
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.display and app.focused is article(app)
        svg = app.export_screenshot()
        assert {c.bg for c in _cells_of(svg, FIRST_WORDS)} == {_plain_bg(svg)}
    assert not paths.annotations_file().exists()  # nothing was written


async def test_two_readers_annotating_at_once_lose_nothing(library_copy):
    one, two = app_for(library_copy, doc=ISW_ID), app_for(library_copy, doc=ISW_ID)
    async with one.run_test(size=(100, 30)) as p1, two.run_test(size=(100, 30)) as p2:
        await asyncio.gather(settle(p1), settle(p2))
        await p1.press("v", "h")
        await p2.press("v", "j", "j", "2")
        await p1.press("m")  # a bookmark from the first while the second has written
        await asyncio.gather(settle(p1), settle(p2))
    kinds = sorted((a.kind, a.colour) for a in AnnotationStore(paths.annotations_file()).all())
    assert kinds == [("bookmark", "yellow"), ("highlight", "green"), ("highlight", "yellow")]


async def test_the_panel_jumps_to_an_annotation_and_back_returns(library_copy):
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("G")  # to the end
        await settle(pilot)
        view = article(app)
        await pilot.press("v", "h")
        await settle(pilot)
        at_end = int(view.scroll_offset.y)
        await pilot.press("g")
        await settle(pilot)
        assert int(view.scroll_offset.y) == 0
        await pilot.press("A", "enter")
        await settle(pilot)
        assert int(view.scroll_offset.y) > 0 and abs(int(view.scroll_offset.y) - at_end) < 30
        await pilot.press("backspace")
        await settle(pilot)
        assert int(view.scroll_offset.y) == 0


async def test_a_passage_selected_in_a_note_by_mouse_is_highlighted_and_listed(library_copy):
    from tuireader.ui.widgets.notes import GUTTER, NotesPanel

    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "enter")  # note 2 in view
        await settle(pilot)
        notes = app.query_one("#notes", NotesPanel)
        row = next(i for i in range(200) if "The CSTO declined" in notes.line_text(i))
        col = notes.line_text(row).index("The CSTO")
        x = notes.content_region.x - notes.region.x + len(GUTTER) + col
        y = notes.content_region.y - notes.region.y + row - int(notes.scroll_offset.y)
        await pilot.mouse_down(notes, offset=(x, y))
        await pilot.hover(notes, offset=(x + len("The CSTO declined"), y))
        await pilot.mouse_up(notes, offset=(x + len("The CSTO declined"), y))
        await settle(pilot)
        assert "Selecting: 3 words" in str(app.query_one("#selection").render())
        await pilot.press("3")  # blue
        await settle(pilot)
        [a] = AnnotationStore(paths.annotations_file()).all()
        assert (a.quote.exact, a.colour) == ("The CSTO declined", "blue")
        source = (library_copy / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt").read_text(encoding="utf-8")
        assert source[a.start : a.end] == "The CSTO declined"
        assert a.start > source.index("The CSTO declined Kyrgyzstan") - 1  # in the note, not elsewhere
        svg = app.export_screenshot()
        plain = {c.bg for c in _cells_of(svg, "Kyrgyzstan's request")}
        assert {c.bg for c in _cells_of(svg, "The CSTO declined")} - plain  # drawn in the panel


NOTE_2 = (
    "The CSTO declined Kyrgyzstan's request for its domestic unrest in 2010. Armenia also requested CSTO "
    "consultations during Azerbaijan's offensive into Nagorno-Karabakh in 2020. Although, Armenia did not formally "
    "invoke."
)


@pytest.mark.long
async def test_v_in_the_notes_panel_selects_in_the_current_note_by_keys(library_copy):
    from tuireader.ui.widgets.notes import NotesPanel

    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "enter")  # note 2 has the focus
        await settle(pilot)
        notes = app.query_one("#notes", NotesPanel)
        assert app.focused is notes and notes.current_key is not None
        bar = app.query_one("#selection")
        await pilot.press("v", "escape")  # cancelled: back in the notes, nothing selected
        await pilot.pause()
        assert not bar.display and app.focused is notes and notes.selection is None
        await pilot.press("v")  # the note's first line
        await pilot.pause()
        first_line = str(bar.render())
        assert bar.display and "Selecting:" in first_line
        await pilot.press("j")
        await pilot.pause()
        assert str(bar.render()) != first_line
        await pilot.press("k")
        await pilot.pause()
        assert str(bar.render()) == first_line
        await pilot.press("right_curly_bracket")  # to the end of the note
        await pilot.pause()
        assert f"Selecting: {len(NOTE_2.split())} words ({len(NOTE_2)} characters)" in str(bar.render())
        await pilot.press("b", "b")  # back to the end of "not"
        await pilot.pause()
        wanted = NOTE_2.removesuffix(" formally invoke.")
        assert f"Selecting: {len(wanted.split())} words" in str(bar.render())
        svg = app.export_screenshot()
        plain = {c.bg for c in _cells_of(svg, "↩")}
        assert {c.bg for c in _cells_of(svg, "The CSTO declined")} - plain  # the selection is drawn in the note
        await pilot.press("2")  # green
        await settle(pilot)
        [a] = AnnotationStore(paths.annotations_file()).all()
        assert (a.quote.exact, a.colour) == (wanted, "green")
        source = (library_copy / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt").read_text(encoding="utf-8")
        assert source[a.start : a.end] == wanted and a.start == source.index("The CSTO declined Kyrgyzstan")
        assert notes.selection is None and not bar.display and app.focused is notes  # the notes keep the keys


async def test_a_bookmark_is_marked_beside_its_line_and_again_after_a_restart(library_copy):
    from tuireader.ui.widgets.article import BOOKMARK_MARK

    def marked_rows(svg: str) -> list[str]:
        return [row for row in screen_rows(svg).values() if BOOKMARK_MARK in row]

    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"jjjjjj")
        await settle(pilot)
        view = article(app)
        top = int(view.scroll_offset.y)
        line = next(i for i in range(top, top + 10) if view.line_span(i) is not None)
        words = view.line_text(line)
        assert not marked_rows(app.export_screenshot())
        await pilot.press("m")
        await settle(pilot)
        [row] = marked_rows(app.export_screenshot())
        assert words in row and row.index(BOOKMARK_MARK) > row.index(words) + len(words)  # right of its text
        assert BOOKMARK_MARK not in view.line_text(line)  # not part of what is copied
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        [row] = marked_rows(app.export_screenshot())  # the reading position was kept: the line is in view
        assert words in row


async def test_the_library_wide_panel_places_annotations_in_a_worker_saying_placing(library_copy, monkeypatch):
    import threading

    from tuireader.annotations.service import new_annotation
    from tuireader.core.library import Library
    from tuireader.ui import annotating

    from .test_ui import NEO_ID

    path = library_copy / "isw-2022-01-18-kazakhstan-crisis-turkey-reach.txt"
    original = path.read_text(encoding="utf-8")
    library = Library(library_copy)
    doc = library.parse(library.find(ISW_ID))
    start = original.index(FIRST_WORDS)
    end = original.index(" outpaced the", start)  # "Rapid developments in Kazakhstan in January 2022"
    AnnotationStore(paths.annotations_file()).add(new_annotation(doc, start, end))
    path.write_text(original.replace(original[start : original.index("Ankara’s initial")], ""), encoding="utf-8")
    release = threading.Event()
    real = annotating.placed_library

    def held(*args, **kwargs):  # the placing takes as long as the test wants
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(annotating, "placed_library", held)
    app = app_for(library_copy, doc=NEO_ID)  # another document: only the listing can place this one
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("A", "ctrl+t")
        await pilot.pause()
        help_line = app.screen.query_one("#annotations-help")
        assert "placing" in str(help_line.render())
        await pilot.press(*"kaz")  # the panel takes keys while its worker places
        await pilot.pause()
        assert app.screen.query_one("#annotations-filter").value == "kaz"
        release.set()
        await settle(pilot)
        rows = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "[orphaned" in rows and "1 of 1 (1 orphaned)" in rows


async def test_a_document_opens_and_scrolls_while_its_annotations_are_placed_in_a_worker(library_copy, monkeypatch):
    import threading

    from tuireader.annotations.service import new_annotation
    from tuireader.core.library import Library
    from tuireader.ui import annotating

    library = Library(library_copy)
    doc = library.parse(library.find(ISW_ID))
    start = doc.blocks[0].source_start
    AnnotationStore(paths.annotations_file()).add(new_annotation(doc, start, start + 5))
    release = threading.Event()
    real = annotating.placed_annotations

    def held(*args, **kwargs):  # the placing takes as long as the test wants
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(annotating, "placed_annotations", held)
    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(10):
            await pilot.pause()
            if app.reader.document is not None:
                break
        await pilot.press("j")  # the reader has the keys while the placing is held
        await pilot.pause()
        assert article(app).scroll_offset.y == 1 and app.reader.annotator.placed == []
        release.set()
        await settle(pilot)
        [placed] = app.reader.annotator.placed
        assert placed.placement.status == "anchored" and article(app).annotation_spans


TWIN_NOTE = "The same words appear in both notes, as the editor said on the {} day of the long review meeting."
TWINS = (
    "# Two Notes\n\nJane Roe\n\nThe body cites a first note.[^1] Then a second one.[^2]\n\n"
    f"[^1]: {TWIN_NOTE.format('first')}\n\n[^2]: {TWIN_NOTE.format('second')}\n"
)


async def test_a_drag_in_a_note_selects_by_character_where_the_mouse_went(tmp_path):
    """Down inside a word, up inside a word on the next line, in the second of two notes that
    begin alike: the passage is those characters, of that note (not the first note's same words)."""
    from tuireader.ui.widgets.notes import GUTTER, NotesPanel

    from .conftest import write

    write(tmp_path / "lib" / "twins.md", TWINS)
    app = app_for(tmp_path / "lib", doc="twins")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notes = app.query_one("#notes", NotesPanel)
        rows = [notes.line_text(i) for i in range(notes.virtual_size.height)]
        row = next(i for i, line in enumerate(rows) if "second" in "".join(rows[i : i + 3]) and "The same" in line)
        row = max(i for i in range(row + 3) if "The same" in rows[i])  # the second note's first line
        assert rows[row + 1].strip(), "the note wraps onto a second line at this width"
        col0 = rows[row].index("The same") + len("The s")  # inside "same"
        col1 = 2  # inside the second line's first word: the cell let go on is selected too (Textual's way)
        left = notes.content_region.x - notes.region.x + len(GUTTER)
        top = notes.content_region.y - notes.region.y - int(notes.scroll_offset.y)
        await pilot.mouse_down(notes, offset=(left + col0, top + row))
        await pilot.hover(notes, offset=(left + 20, top + row + 1))
        await pilot.mouse_up(notes, offset=(left + col1, top + row + 1))
        await settle(pilot)
        second = TWIN_NOTE.format("second")
        expected = second[len("The s") : second.index(rows[row + 1].strip()) + col1 + 1]
        assert expected.startswith("ame words") and len(expected) > len(rows[row]) - col0  # runs onto line 2
        bar = str(app.query_one("#selection").render())
        assert f"({len(expected)} characters)" in bar
        await pilot.press("h")
        await settle(pilot)
        [a] = AnnotationStore(paths.annotations_file()).all()
        assert a.quote.exact == expected
        source = (tmp_path / "lib" / "twins.md").read_text(encoding="utf-8")
        assert source[a.start : a.end] == expected
        assert a.start == source.index(second) + len("The s")  # in note 2


@pytest.mark.long
async def test_a_note_written_in_the_reader_survives_a_restart_and_an_export_and_import(library_copy, tmp_path):
    """Annotate (keys, the note box), quit; a new reader finds the note in the panel; export it
    with the CLI, start over with an empty store, import: the highlight is drawn again."""
    from tuireader.cli import main

    app = app_for(library_copy, doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "a")
        await settle(pilot)
        await pilot.press(*"why it matters", "tab", *"kazakhstan")
        await pilot.press("ctrl+s")
        await settle(pilot)

    async def panel_rows() -> str:
        app = app_for(library_copy, doc=ISW_ID)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            svg = app.export_screenshot()
            drawn = {c.bg for c in _cells_of(svg, FIRST_WORDS)} != {_plain_bg(svg)}
            await pilot.press("A")
            await settle(pilot)
            return ("drawn\n" if drawn else "") + "\n".join(screen_rows(app.export_screenshot()).values())

    rows = await panel_rows()
    assert rows.startswith("drawn") and "why it matters" in rows and "#kazakhstan" in rows
    exported = tmp_path / "mine.jsonld"
    assert main(["annotations", "--export", str(exported), "--library", str(library_copy)]) == 0
    paths.annotations_file().unlink()  # a new machine: no store
    for suffix in ("-wal", "-shm"):
        paths.annotations_file().with_name(paths.annotations_file().name + suffix).unlink(missing_ok=True)
    assert not paths.annotations_file().exists()
    assert main(["annotations", "--import", str(exported), "--library", str(library_copy)]) == 0
    rows = await panel_rows()
    assert rows.startswith("drawn") and "why it matters" in rows and "#kazakhstan" in rows
