"""Issue 12's reader items, driven by keys: the library filter's focus, a missing library, numbered
note links, in-document find, and warnings about key settings."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tuireader.ui.app import build_app
from tuireader.ui.widgets.library_list import LibraryList
from tuireader.ui.widgets.notes import NotesPanel
from tuireader.workspace import Workspace

from .conftest import LIBRARY, toasts, write

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")


ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
NEO_ID = "neo-2022-01-22-turkic-military-alliance"


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status_text(app) -> str:
    status = app.query_one("#status")
    return str(status.render()) if status.display else ""


def notifications(app) -> list[str]:
    return toasts(app)


# ------------------------------------------------------------------ item 12: the library filter
async def test_unknown_document_at_start_leaves_the_keys_to_the_reader_not_the_filter():
    app = build_app(library_dir=LIBRARY, open_doc="nosuchdoc")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("nosuchdoc" in m for m in notifications(app))
        assert not isinstance(app.focused, Input)
        await pilot.press("q")
        await pilot.pause()
        assert app.query_one("#library-filter", Input).value == ""
        assert not app.is_running  # q quits, as the footer says


async def test_l_then_down_and_enter_once_opens_a_document():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert app.focused is app.query_one("#library-list", LibraryList)
        await pilot.press("down", "enter")  # down moves in the list; one enter opens
        await settle(pilot)
        assert app.reader.document is not None and app.reader.document.id == NEO_ID


async def test_filter_escape_leaves_down_reaches_the_list_enter_opens_the_first_match():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l", "home", "up")  # from the top of the list, up reaches the filter
        await pilot.pause()
        box = app.query_one("#library-filter", Input)
        assert app.focused is box
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is not box and box.value == ""
        await pilot.press("up")
        await pilot.press(*"danilov")
        await pilot.press("down")
        await pilot.pause()
        option_list = app.query_one("#library-list", LibraryList)
        assert app.focused is option_list and option_list.option_count == 1
        await pilot.press("up")
        await pilot.pause()
        assert app.focused is box and box.value == "danilov"
        await pilot.press("enter")  # one enter in the filter opens its first match
        await settle(pilot)
        assert app.reader.document.id == NEO_ID


# ------------------------------------------------------------------ item 13: no library
def welcome_text(app) -> str:
    view = app.query_one("#article")
    return " ".join(view.line_text(i) for i in range(view.virtual_size.height))


def squeezed(text: str) -> str:
    """Without spaces: a long path is broken over lines where the wrap puts it."""
    return "".join(text.split())


@pytest.mark.no_shared_index
async def test_a_missing_library_is_explained_and_no_index_folder_is_made(tmp_path, isolated_user_dirs):
    missing = tmp_path / "nowhere" / "library"
    app = build_app(library_dir=missing)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.start_background_work()  # what the start-up timer does two seconds in
        await settle(pilot)
        text = welcome_text(app)
        assert squeezed(f"{missing} does not exist") in squeezed(text)
        assert "--library DIR" in text and "TUIREADER_LIBRARY" in text and "./library" in text
        assert ".txt" in text and ".md" in text  # what to put there
    assert not missing.exists()
    assert not list((isolated_user_dirs / "cache").glob("index/*"))  # no index for a folder that is not there


async def test_an_empty_library_says_where_it_is_and_what_to_add(tmp_path):
    empty = tmp_path / "lib"
    empty.mkdir()
    app = build_app(library_dir=empty)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = welcome_text(app)
        assert squeezed(f"{empty} holds no documents") in squeezed(text) and ".md" in text


# ------------------------------------------------------------------ item 7: numbered note links
def note_lines(app, key: str) -> str:
    notes = app.query_one("#notes", NotesPanel)
    region = notes.note_region(next(i for i, n in enumerate(notes.notes) if n.key == key))
    return "\n".join(notes.line_text(y) for y in range(region.y, region.y + region.height))


async def open_note(pilot, key: str) -> None:
    pilot.app.reader.pane.go_to_note(key)
    await pilot.pause()


async def test_every_link_in_a_note_is_numbered_and_o_digit_opens_that_one(monkeypatch):
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))  # no browser in a test
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await open_note(pilot, "4")
        shown = squeezed(note_lines(app, "4"))  # wrapping may break a line at any space
        # lynx-style numbers before each of note 4's three links, in order
        first = shown.index("[1]https://www.dailysabah.com/")
        second = shown.index("[2]https://twitter.com/iletisim/")
        third = shown.index("[3]https://www.trthaber.com/")
        assert first < second < third
        await pilot.press("o")
        await pilot.pause()
        assert "1–3" in str(app.query_one("#notes", NotesPanel).border_subtitle)  # the panel asks which one
        await pilot.press("2")
        await pilot.pause()
        assert opened == ["https://twitter.com/iletisim/status/1479108211898601475"]
        await pilot.press("y", "3")
        await pilot.pause()
        assert any(m.startswith("Copied https://www.trthaber.com/haber/gundem/") for m in notifications(app))
        # escape, or a number that is not there, opens nothing
        await pilot.press("o", "escape", "o", "7")
        await pilot.pause()
        assert len(opened) == 1 and app.is_running
        assert not app.query_one("#notes", NotesPanel).border_subtitle


async def test_a_note_with_one_link_opens_it_with_o_alone(monkeypatch):
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await open_note(pilot, "1")
        assert "[1]https://www.mfa.gov.tr/" in squeezed(note_lines(app, "1"))
        await pilot.press("o")
        await pilot.pause()
        assert opened == ["https://www.mfa.gov.tr/no_-2_-kazakistan-da-duzenlenen-protesto-gosterileri-hk.tr.mfa"]


# ------------------------------------------------------------------ item 10: key settings
OLD_README_KEYS = 'keys:\n  article.next_marker: "n,right_square_bracket"\n  app.serch: "ctrl+k"\n'


def readme_settings_example() -> str:
    readme = (LIBRARY.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\ntheme:")
    return readme[start + len("```yaml\n") : readme.index("```", start + 7)]


async def test_conflicting_and_unknown_key_settings_are_warned_at_start(isolated_user_dirs):
    write(isolated_user_dirs / "config" / "settings.yaml", OLD_README_KEYS)
    Workspace(LIBRARY).index.update()  # indexed already: no index news takes the status line meanwhile
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        said = " ".join(notifications(app))
        assert "unknown binding id 'app.serch' (did you mean app.search?)" in said
        assert "'n' is bound to article.next_marker, app.next_hit and compare.next_hit at once" in said
        assert status_text(app).startswith("settings: keys: ")  # and it stays in the status line


async def test_the_readme_settings_example_gives_no_warning(isolated_user_dirs):
    write(isolated_user_dirs / "config" / "settings.yaml", readme_settings_example())
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert app.settings.keys["article.next_marker"]  # the example was read
        assert not [m for m in notifications(app) if "keys:" in m]
        await pilot.press("n")  # n is still next hit: with no hits it rings, it does not move the marker
        await pilot.pause()
        assert app.query_one("#article").current_ref is None


def test_check_warns_about_the_key_settings(isolated_user_dirs, capsys):
    from tuireader.cli import main

    write(isolated_user_dirs / "config" / "settings.yaml", OLD_README_KEYS)
    assert main(["check", "--library", str(LIBRARY)]) == 0
    err = capsys.readouterr().err
    assert "unknown binding id 'app.serch'" in err and "'n' is bound to article.next_marker" in err


# ------------------------------------------------------------------ item 8: find in the document
def find_said(app) -> str:
    return app.query_one("#find").said


def current_hit_text(app) -> str:
    """The text of the current hit as the article shows it."""
    view = app.query_one("#article")
    block, start, end = view.hits[view.current_hit]
    return app.reader.document.blocks[block].text[start:end]


async def test_find_highlights_every_hit_while_typing_and_counts_them():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f", *"cavu")  # not a whole word yet: found as typed
        await pilot.pause()
        view = app.query_one("#article")
        assert app.focused is app.query_one("#find-input")  # typing goes on in the bar
        # counted by hand in the report: Cavusoglu 5 times in the text, twice in note 4 (its text and a URL)
        assert len(view.hits) == 5
        assert find_said(app) == "hit 1 of 7 · 7 hits in this document, 2 in the notes"
        assert current_hit_text(app) == "Cavu"
        await pilot.press(*"soglu")
        await pilot.pause()
        assert len(view.hits) == 5 and current_hit_text(app) == "Cavusoglu"
        assert app.query_one("#notes", NotesPanel).hits  # the notes' hits are highlighted too


async def test_find_folds_accents_and_is_smart_about_case(tmp_path):
    lib = tmp_path / "lib"
    write(
        lib / "a.md",
        "# Accents\n\nErdoğan met Erdogan in Türkiye at the café; ERDOGAN left.\n\nThe Cafe closed.\n",
    )
    app = build_app(library_dir=lib, open_doc="a")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.query_one("#article")
        await pilot.press("ctrl+f", *"erdogan")
        await pilot.pause()
        texts = [app.reader.document.blocks[b].text[s:e] for b, s, e in view.hits]
        assert texts == ["Erdoğan", "Erdogan", "ERDOGAN"]
        await pilot.press(*["backspace"] * 7, *"turkiye")
        await pilot.pause()
        assert [app.reader.document.blocks[b].text[s:e] for b, s, e in view.hits] == ["Türkiye"]
        await pilot.press(*["backspace"] * 7, *"Cafe")  # a capital: case matters, accents still do not
        await pilot.pause()
        assert [app.reader.document.blocks[b].text[s:e] for b, s, e in view.hits] == ["Cafe"]
        assert "case matters" in find_said(app)
        await pilot.press(*["backspace"] * 4, *"cafe")
        await pilot.pause()
        assert [app.reader.document.blocks[b].text[s:e] for b, s, e in view.hits] == ["café", "Cafe"]


async def test_find_then_n_and_N_wrap_with_a_notice_and_say_which_hit():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f", *"cavusoglu", "enter")
        await pilot.pause()
        view = app.query_one("#article")
        assert app.focused is view and not app.query_one("#find").is_open
        assert status_text(app).startswith("hit 1 of 7")
        await pilot.press("N")  # back past the first: wraps to the last, and says so
        await pilot.pause()
        assert status_text(app).startswith("hit 7 of 7")  # the last one is in note 4
        assert (
            app.focused is app.query_one("#notes", NotesPanel)
            and app.query_one("#notes", NotesPanel).current_note.label == "4"
        )
        assert any("hit the top, continuing at the bottom" in m for m in notifications(app))
        await pilot.press("n")
        await pilot.pause()
        assert view.current_hit == 0 and status_text(app).startswith("hit 1 of 7")
        assert any("hit the bottom, continuing at the top" in m for m in notifications(app))


async def test_find_reaches_the_notes_and_escape_returns_to_where_it_started():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.query_one("#article")
        top = view.scroll_offset.y
        await pilot.press("ctrl+f", *"interfax")  # only in note 2's link
        await pilot.pause()
        assert find_said(app).startswith("hit 1 of 1 · 1 hit in this document, 1 in the notes")
        assert app.query_one("#notes", NotesPanel).current_note.label == "2"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one("#find").is_open and view.hits == []
        assert app.focused is view and view.scroll_offset.y == top


async def test_a_wrongly_encoded_file_and_an_uncited_note_are_said_in_the_reader(tmp_path):
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex
    from tuireader.ui.app import build_app

    from .conftest import write
    from .contrast import screen_rows

    lib = tmp_path / "lib"
    text = "# Caf\u00e9 notes\n\nThe r\u00e9sum\u00e9 is cited.[^1]\n\n[^1]: Cited.\n\n[^2]: Never cited anywhere.\n"
    write(lib / "cafe.md", text, encoding="cp1252")
    index = LibraryIndex(Library(lib), tmp_path / "index")
    index.update()  # built before: the index's own news would take the status line
    index.close()
    app = build_app(library_dir=lib, index_dir=tmp_path / "index", open_doc="cafe")
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(5):
            await pilot.pause()
        shown = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "Article  ⚠ 2 warnings" in shown  # in the border, for as long as it is open
        assert "⚠ not valid UTF-8; decoded as" in shown
        assert "· +1 more (palette: Document warnings)" in shown
        assert "Never cited anywhere." in shown and "not cited in the text" in shown


async def test_the_palette_shows_the_keys_as_the_settings_remapped_them(isolated_user_dirs):
    from textual.command import CommandList

    write(isolated_user_dirs / "config" / "settings.yaml", 'keys:\n  app.find: "ctrl+g"\n')
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"find in this")
        await settle(pilot)
        shown = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        find = next(text for text in shown if "Find in this document" in text)
        assert "(ctrl+g)" in find and "ctrl+f" not in find  # before: "(ctrl+f)", whatever the settings said
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"search the lib")
        await settle(pilot)
        shown = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert any("Search the library" in text and "(/)" in text for text in shown)  # not remapped: its own key


async def test_a_restored_position_shows_the_notes_cited_on_screen():
    from .contrast import screen_rows

    isw = next(e for e in Workspace(LIBRARY).library.scan().documents if e.id == ISW_ID)
    doc = Workspace(LIBRARY).library.parse(isw)
    note = next(n for n in doc.footnotes if n.label == "6")
    block, at = note.cited_at[0]
    offset = doc.blocks[block].content.source_span(at - 1, at)[0]  # the sentence that cites note 6
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    app.store.remember_position(ISW_ID, offset)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(6):
            await pilot.pause()
        notes_column = [row[62:] for row in screen_rows(app.export_screenshot()).values()]
        assert any(col.lstrip("│ ▌").startswith("6 ") for col in notes_column[2:6]), notes_column[:8]
