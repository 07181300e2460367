"""The reader driven as a user drives it: keys, clicks, resizes — and what the widgets then show."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.content import Content

from tuireader.ui.app import ReaderApp, build_app
from tuireader.ui.commands import highlight
from tuireader.ui.literal import literal_markup
from tuireader.ui.widgets.article import ArticleView
from tuireader.ui.widgets.notes import GUTTER, NotesPanel

from .conftest import LIBRARY, toasts, write

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
NEO_ID = "neo-2022-01-22-turkic-military-alliance"


async def settle(pilot) -> None:
    """Let workers (open, index, search) finish and the screen catch up."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def focused_note(app):
    """The note the user is on, when the footnotes panel has the focus."""
    focused = app.focused
    return focused.current_note if isinstance(focused, NotesPanel) else None


def app_for(library=LIBRARY, doc: str | None = None) -> ReaderApp:
    return build_app(library_dir=library, open_doc=doc)


def article(app) -> ArticleView:
    return app.query_one("#article", ArticleView)


def visible_text(app) -> str:
    view = article(app)
    first, last = view.visible_line_range()
    return "\n".join(view.line_text(i) for i in range(first, last))


def click_offset(view: ArticleView, marker: str) -> tuple[int, int]:
    """Where ``marker`` (a superscript label, once on screen) is drawn, relative to the article widget."""
    rows = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
    found = [(y, row.index(marker)) for y, row in enumerate(rows) if marker in row]
    assert len(found) == 1, f"{marker} is shown {len(found)} times"
    y, column = found[0]
    region = view.content_region
    return region.x - view.region.x + column, region.y - view.region.y + y


async def test_open_a_document_from_the_library():
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.reader.document is None
        assert app.focused.id == "library-list"
        await pilot.press("down", "enter")  # newest first: the ISW report sorts after NEO's Jan 22
        await settle(pilot)
        assert app.reader.document is not None and app.reader.document.id in (ISW_ID, NEO_ID)
        assert app.focused is article(app)
        assert app.reader.document.title in str(app.query_one("#titlebar").render())


async def test_with_nothing_open_the_welcome_has_the_rows_not_an_empty_notes_box():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.reader.document is None
        shown = visible_text(app)
        # at 80x24 an empty notes box under it had cut the welcome after its second line
        assert "No document open yet." in shown and "? lists every key." in shown, shown
        assert app.query_one("#notes", NotesPanel).region.height == 0
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.reader.document is not None
        assert app.query_one("#notes", NotesPanel).region.height >= 3  # back, once a document is open


async def test_title_block_and_markers_shown():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        text = visible_text(app).replace("\n", " ")
        assert text.startswith("Kazakhstan Crisis Exposes Limits of Turkey’s Reach in Central Asia")
        assert "Ezgi Yazici, Fatih Cungurlu" in text
        assert "2021-12-28 – 2022-01-18" in text
        assert "stability and peace.¹ Turkey" in text


async def test_jump_to_footnote_13_and_back(monkeypatch):
    from tuireader.ui.widgets import notes as notes_module

    # the flash lasts 1.2 s: on a loaded machine the check below came after it (failed on main too)
    monkeypatch.setattr(notes_module, "FLASH_SECONDS", 60.0)
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = article(app)
        await pilot.press(*["right_square_bracket"] * 13)
        assert view.current_ref == 12 and view.refs[12].label == "13"
        top_before = view.scroll_offset.y
        await pilot.press("enter")
        await pilot.pause()
        note = focused_note(app)
        assert note is not None and note.label == "13"
        assert app.query_one("#notes", NotesPanel).flashing == app.query_one("#notes", NotesPanel).current
        assert note.text.startswith('"In the Second Attack of its Kind')
        first = (
            app.query_one("#notes", NotesPanel).note_region(app.query_one("#notes", NotesPanel).current).y
        )  # the note is in view
        assert (
            app.query_one("#notes", NotesPanel).scroll_offset.y
            <= first
            < app.query_one("#notes", NotesPanel).scroll_offset.y + app.query_one("#notes", NotesPanel).size.height
        )
        assert app.query_one("#notes", NotesPanel).line_text(first).strip().startswith('13 "In the Second Attack')
        # back with the history key: the article again, at the same place and marker
        await pilot.press("backspace")
        await pilot.pause()
        assert app.focused is view and view.current_ref == 12
        assert view.scroll_offset.y == top_before
        # forward returns to the note; its back-link key jumps to the marker
        await pilot.press("alt+right")
        await pilot.pause()
        assert focused_note(app).label == "13"
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.press("r")
        await pilot.pause()
        assert app.focused is view and view.current_ref == 12
        shown = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
        assert any("¹³" in row for row in shown)  # the marker is on screen again


async def test_click_a_marker_then_its_back_link():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = article(app)
        x, y = click_offset(view, "²")  # note 2's marker, on the first screen
        await pilot.click(ArticleView, offset=(x, y))
        await pilot.pause()
        assert focused_note(app).label == "2"
        notes = app.query_one("#notes", NotesPanel)
        # click the ↩ back-link: the line of the current note that holds it
        region = notes.note_region(notes.current)
        line = next(i for i in range(region.y, region.bottom) if "↩" in notes.line_text(i))
        col = len(GUTTER) + notes.line_text(line).index("²")
        content = notes.content_region
        await pilot.click(
            NotesPanel,
            offset=(content.x - notes.region.x + col, content.y - notes.region.y + line - notes.scroll_offset.y),
        )
        await pilot.pause()
        assert app.focused is view and view.current_ref == 1


async def test_follow_a_footnote_link_to_another_library_document_and_back(tmp_path):
    lib = tmp_path / "lib"
    write(lib / "alpha.md", "# Alpha\n\nThe claim is sourced.[^1]\n\n[^1]: See https://example.org/beta for it.\n")
    write(lib / "beta.md", "# Beta\n\nThe source itself.\n")
    write(lib / "beta.yaml", "url: https://www.example.org/beta/\n")
    app = app_for(lib, doc="alpha")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.index.find_by_url("https://example.org/beta") == "beta"
        await pilot.press("right_square_bracket", "enter")
        await pilot.pause()
        assert focused_note(app) is not None
        await pilot.press("o")  # open the note's link: it is a document of the library
        await settle(pilot)
        assert app.reader.document.id == "beta"
        await pilot.press("backspace")
        await settle(pilot)
        assert app.reader.document.id == "alpha"
        assert focused_note(app).label == "1"
        await pilot.press("alt+right")
        await settle(pilot)
        assert app.reader.document.id == "beta"


async def test_external_links_only_http(tmp_path, monkeypatch):
    opened = []
    lib = tmp_path / "lib"
    write(lib / "a.md", "# A\n\nText.[^1] More.[^2]\n\n[^1]: https://example.com/x\n[^2]: file:///etc/passwd\n")
    app = app_for(lib, doc="a")
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.reader.follow_link("https://example.com/x")
        app.reader.follow_link("file:///etc/passwd")
        app.reader.follow_link("javascript:alert(1)")
        await pilot.pause()
        assert opened == ["https://example.com/x"]


async def test_search_cavusoglu_open_and_step_through_hits():
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"Cavusoglu")
        await settle(pilot)
        results = app.screen.query_one("#search-results")
        assert results.option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.document.id == ISW_ID
        view = article(app)
        assert len(view.hits) == 5 and app.reader.pane.hits.count == 7  # 5 in the text, 2 in note 4
        assert view.current_hit == 0
        b, s, e = view.hits[0]
        assert app.reader.document.blocks[b].text[s:e] == "Cavusoglu"
        await pilot.press("n")
        assert view.current_hit == 1 and app.focused is view
        await pilot.press("N", "N")  # back to the first hit, then round to the last: in note 4
        await pilot.pause()
        assert view.current_hit is None
        note = focused_note(app)
        assert note is not None and note.label == "4"
        assert app.query_one("#notes", NotesPanel).current_hit == (note.key, 1)
        await pilot.press("n")  # and round again to the first hit in the text
        await pilot.pause()
        assert view.current_hit == 0 and app.focused is view


async def test_find_in_document_reaches_footnote_text():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await pilot.press(*"Kalbajar")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert article(app).hits == []  # only in note 17
        note = focused_note(app)
        assert note is not None and note.label == "17"
        assert app.query_one("#notes", NotesPanel).hits[note.key]


async def test_malformed_query_shows_inline_error():
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*'title: "unclosed')
        await settle(pilot)
        status = str(app.screen.query_one("#search-status").render())
        assert "needs a value" in status and "unclosed quote" in status
        assert app.is_running


async def test_notes_wrap_beside_their_scroll_bar_when_started_narrow():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = app.query_one("#notes", NotesPanel)
        assert notes.show_vertical_scrollbar
        # nothing is cut off: every wrapped line fits beside the bar (note 1 is a long URL)
        widest = max(len(notes.line_text(i)) for i in range(notes.virtual_size.height))
        assert widest + len(GUTTER) <= notes.scrollable_content_region.width


async def test_narrow_terminal_keeps_footnotes_reachable():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        view, notes = article(app), app.query_one("#notes")
        assert notes.region.y >= view.region.y + view.region.height  # below the article, not beside
        assert notes.region.width <= 80 and view.region.width <= 80
        await pilot.press("right_square_bracket", "enter")
        await pilot.pause()
        assert focused_note(app).label == "1"
        assert notes.size.height > 0

        first = notes.note_region(notes.current).y  # the note's first line is on screen
        assert notes.scroll_offset.y <= first < notes.scroll_offset.y + notes.size.height


async def test_reading_position_and_last_document_restored():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await pilot.pause()
        offset = article(app).top_source_offset()
        assert offset > 1000
        await pilot.press("q")
    app2 = app_for()  # no document named: the last one reopens, where it was left
    async with app2.run_test(size=(120, 40)) as pilot:
        for _ in range(50):  # reopening and restoring the place happen in steps: wait for the restored place
            await settle(pilot)
            if app2.reader.document is not None and article(app2)._pending_offset is None:
                break
        assert app2.reader.document.id == ISW_ID
        assert article(app2).top_source_offset() == offset


async def test_markup_and_escape_sequences_in_a_document_stay_text(tmp_path):
    lib = tmp_path / "lib"
    evil = "[bold]Bold?[/bold] [@click=app.quit]Click me[/] [link=https://evil.example]x[/link]"
    write(lib / "evil.txt", f"{evil}\n\nBody with {evil} and \x1b[31mred\x1b[0m and a bell\x07.¹\n\n¹ Note {evil}\n")
    app = app_for(lib, doc="evil")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        text = visible_text(app).replace("\n", " ")
        assert evil in text  # the title and the body show the markup literally
        assert "\x1b" not in text and "\x07" not in text and "␛[31mred" in text
        view = article(app)
        # clicking on the would-be action does nothing but select text
        line_no = next(
            i
            for i in range(view.virtual_size.height)
            if "[@click=app.quit]Click me" in view.line_text(i) and view.line_span(i) is not None  # the body
        )
        col = view.line_text(line_no).index("Click me")
        await pilot.click(
            ArticleView,
            offset=(view.content_region.x - view.region.x + col + 2, view.content_region.y - view.region.y + line_no),
        )
        await pilot.pause()
        assert app.is_running and app.return_code is None
        notes = app.query_one("#notes", NotesPanel)
        region = notes.note_region(0)
        shown = " ".join(notes.line_text(i) for i in range(region.y, region.bottom))
        assert evil in shown.replace("[1] ", "")  # the link inside is numbered
        assert view.virtual_size.height <= view.scrollable_content_region.height  # every line is on screen
        for y in range(view.scrollable_content_region.height):
            for segment in view.render_line(y):
                assert "\x1b" not in segment.text
        items = app.query_one("#library-list")
        assert evil in str(items.get_option_at_index(0).prompt)
        # find takes markup-like text as text: it is found where the document has it, and does nothing
        await pilot.press("ctrl+f", *"[@click=app.quit]")
        await pilot.pause()
        assert app.is_running and app.query_one("#find").said.startswith("hit 1 of ")
        await pilot.press("escape")
        # the palette shows titles as plain text, never as markup
        prompt = highlight("click", f"Open: {evil}")
        assert isinstance(prompt, Text) and prompt.plain == f"Open: {evil}"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("[]\\/@=a é…x")) | st.characters(blacklist_categories=("Cc", "Cs")), max_size=40
    )
)
def test_literal_markup_round_trips_any_text(text):
    # control characters never get this far: the core shows them as visible symbols
    assert Content.from_markup(literal_markup(text)).plain == text


async def test_help_screen_lists_keys_with_ids():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = str(app.screen.query_one("Static").render())
        assert "article.next_marker" in shown and "app.search" in shown and "note.back_to_citation" in shown
        await pilot.press("escape")
        assert not app.screen.query("#help-dialog")


async def test_keys_remapped_from_settings(tmp_path, isolated_user_dirs):
    write(isolated_user_dirs / "config" / "settings.yaml", 'keys:\n  article.next_marker: "x"\n')
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert article(app).current_ref == 0


async def test_unreadable_document_gives_a_notification_not_a_crash(tmp_path):
    lib = tmp_path / "lib"
    write(lib / "good.txt", "Good\n\nBody.\n")
    (lib / "bad.txt").write_bytes(b"\x00\x01" * 50)
    app = app_for(lib, doc="bad")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.is_running and app.reader.document is None
        assert any("binary" in m for m in toasts(app))


async def test_library_shows_catalog_after_indexing_and_filters():
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        option_list = app.query_one("#library-list")
        prompts = [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]
        assert any("33 notes" in p and "Ezgi Yazici" in p for p in prompts)
        await pilot.click("#library-filter")
        await pilot.press(*"danilov")
        await pilot.pause()
        assert option_list.option_count == 1
        assert "Turkic military alliance" in str(option_list.get_option_at_index(0).prompt)


@pytest.mark.parametrize("key", ["j", "space", "G"])
async def test_vim_and_less_keys_scroll(key):
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert article(app).scroll_offset.y > 0


async def test_library_list_comes_from_the_index_then_follows_the_folder(tmp_path):
    from tuireader import paths
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib = tmp_path / "lib"
    count = 75  # more rows than the pane has lines
    for i in range(count):
        write(lib / f"doc{i:03d}.md", f"# Document {i}\n\nBody {i}.\n")
    LibraryIndex(Library(lib), paths.index_dir(lib)).update()
    write(lib / "late.md", "# Added after indexing\n\nNew.\n")
    app = app_for(lib)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        options = app.query_one("#library-list")
        titles = [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]
        assert options.option_count == count + 1  # every document, and the new file too
        assert "Added after indexing" in titles and "Document 0" in titles


async def test_notes_panel_is_empty_until_a_document_is_open(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIREADER_DATA_DIR", str(tmp_path / "data"))  # no last document to reopen
    app = app_for()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.reader.document is None
        assert not any(
            "No footnotes" in app.query_one("#notes", NotesPanel).line_text(i)
            for i in range(app.query_one("#notes", NotesPanel).virtual_size.height)
        )
        app.reader.open_document(NEO_ID)
        await settle(pilot)
        notes = app.query_one("#notes", NotesPanel)
        # drawn whole in the small empty panel (the longer message was cut at "This document has no")
        assert "No footnotes." in notes.render_line(0).text


async def test_note_keys_in_a_document_without_notes_do_nothing():
    app = app_for(doc=NEO_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.query_one("#notes", NotesPanel).focus()
        await pilot.press("down", "j", "end", "home", "enter", "o")
        await pilot.pause()
        assert app.is_running and app.query_one("#notes", NotesPanel).current_note is None


async def test_select_text_in_the_notes_and_copy_it():
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        notes = app.query_one("#notes", NotesPanel)
        # note 2's first line, as the panel shows it: the text starts after the gutter
        line = next(i for i in range(notes.virtual_size.height) if "The CSTO declined" in notes.line_text(i))
        notes.scroll_to(y=line, animate=False, immediate=True)
        await pilot.pause()
        shown = notes.line_text(line)
        assert shown.startswith("  2 The CSTO declined")
        top = notes.content_region.y - notes.region.y
        left = notes.content_region.x - notes.region.x
        # drag from "T" to "d" of "The CSTO declined" (columns 4 and 20 of the text, after the 2-cell gutter)
        await pilot.mouse_down(notes, offset=(left + 2 + 4, top))
        await pilot.hover(notes, offset=(left + 2 + 20, top))
        await pilot.mouse_up(notes, offset=(left + 2 + 20, top))
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert app.clipboard == "The CSTO declined"


async def toggle_library_from_palette(pilot) -> None:
    await pilot.press("ctrl+p", *"toggle library")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("width", [100, 120, 149])
async def test_the_article_keeps_a_readable_measure_when_the_library_opens(width):
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        assert not app.reader.library_pane.display and app.query_one("#notes", NotesPanel).display
        await pilot.press("l")
        await settle(pilot)
        assert app.reader.library_pane.display
        # ~50 columns of text whatever else is open (before: 24-26 at 100-149 columns)
        assert article(app).wrap_width >= 49
        assert app.query_one("#notes", NotesPanel).display == (width >= 120)  # at 100 the notes give way to the library
        await toggle_library_from_palette(pilot)
        assert (
            not app.reader.library_pane.display and app.query_one("#notes", NotesPanel).display
        )  # and come back when it goes


async def test_an_empty_notes_panel_is_small():
    async def widths(doc: str) -> tuple[int, int]:
        app = app_for(doc=doc)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            assert app.query_one("#notes", NotesPanel).display
            return app.query_one("#notes", NotesPanel).outer_size.width, app.query_one(
                "#article", ArticleView
            ).outer_size.width

    notes_isw, article_isw = await widths(ISW_ID)
    notes_neo, article_neo = await widths(NEO_ID)  # NEO's article has no footnotes
    assert notes_isw == 45  # 38 % of 120
    assert notes_neo == 26 and article_neo == 120 - 26


async def test_lines_fit_beside_the_scroll_bar_after_resizing_and_back():
    # Issue 12 item 6 ("Recep Tayyip Erdoga" under the scroll bar): not reproduced in this build,
    # here or in tmux; this pins the sequence the report gave.
    app = app_for(doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for size in ((160, 40), (100, 30)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
        for view, gutter in ((article(app), 0), (app.query_one("#notes", NotesPanel), len(GUTTER))):
            room = view.scrollable_content_region.width
            longest = max(gutter + len(view.line_text(i)) for i in range(view.virtual_size.height))
            assert longest <= room, view.id
