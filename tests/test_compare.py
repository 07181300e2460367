"""Compare: the comparison and related documents (unit), and the compare screen (Pilot)."""

from __future__ import annotations

import json

import pytest

from tuireader.cli import main
from tuireader.compare import compare_entities, related_documents, shared_terms
from tuireader.core.parse import parse_text
from tuireader.entities.extract import Mention
from tuireader.ui.app import build_app
from tuireader.ui.screens.compare import CompareScreen
from tuireader.ui.widgets.article import ArticleView
from tuireader.workspace import Workspace

from .conftest import LIBRARY, write
from .contrast import screen_rows
from .test_ui import ISW_ID, NEO_ID, settle

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")


def m(canonical: str, etype: str = "PLACE") -> Mention:
    return Mention(0, 0, 1, canonical, canonical, etype, 0, 1, "test")


def test_compare_entities_counts_and_order():
    a = [m("Turkey"), m("Turkey"), m("Russia"), m("CSTO", "ORG"), m("2022", "DATE")]
    b = [m("Turkey"), m("Russia"), m("Russia"), m("Russia"), m("Iran")]
    c = compare_entities(a, b)
    assert [(e.name, e.a, e.b) for e in c.shared] == [("Russia", 1, 3), ("Turkey", 2, 1)]
    assert [(e.name, e.count) for e in c.only_a] == [("CSTO", 1)]  # dates are not compared
    assert [(e.name, e.count) for e in c.only_b] == [("Iran", 1)]


def test_shared_terms_are_content_words_in_both():
    a = parse_text(
        "T\n\nThe pipeline talks stalled. Pipeline talks resume when the ministers meet.\n", path=LIBRARY / "a.txt"
    )
    b = parse_text(
        "T\n\nPipeline talks, again: the pipeline matters and talks go on without ministers.\n", path=LIBRARY / "b.txt"
    )
    assert shared_terms(a, b) == ["pipeline", "talks"]  # "ministers" once in b; stop words never


def test_related_documents_rank_by_text_and_entities(tmp_path):
    lib = tmp_path / "lib"
    write(
        lib / "a.txt",
        "Pipeline deal\n\nTurkey and Russia signed the pipeline deal in Ankara. The pipeline carries gas "
        "from Russia through Turkey. Pipeline talks in Ankara went on.\n",
    )
    write(
        lib / "b.txt",
        "Gas route\n\nRussia and Turkey agreed the gas pipeline route in Ankara; the pipeline opens soon "
        "and more pipeline talks are planned.\n",
    )
    write(lib / "c.txt", "Cricket\n\nThe cricket match in Melbourne ended in a draw after rain delayed play.\n")
    ws = Workspace(lib, tmp_path / "index")
    ws.index.update()
    doc = ws.library.parse(ws.library.find("a"))
    related = related_documents(ws, doc)
    assert [r.id for r in related][0] == "b"
    assert all(r.id != "c" or r.score < related[0].score for r in related)
    best = related[0]
    assert "pipeline" in best.shared_terms and {"Turkey", "Russia", "Ankara"} <= set(best.shared_entities)
    ws.index.close()


def test_cli_compare_json(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TUIREADER_INDEX_DIR", str(tmp_path / "idx"))
    assert main(["compare", "--library", str(LIBRARY), ISW_ID, NEO_ID, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"a", "b", "shared", "only_a", "only_b", "shared_terms"}
    shared = {e["entity"]: (e["a"], e["b"]) for e in data["shared"]}
    assert shared["Collective Security Treaty Organization"] == (14, 7)  # hand counts in the two texts
    assert {"Recep Tayyip Erdogan", "Kazakhstan", "Organization of Turkic States"} <= set(shared)
    assert "Washington" in {e["entity"] for e in data["only_b"]}
    assert "kazakhstan" in data["shared_terms"]


def sides(app):
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen, screen.left, screen.right


def highlighted(pane, name: str) -> bool:
    """True when ``name`` is highlighted in its type's colour (not dimmed) on this side."""
    return any(sp.canonical == name and not sp.dimmed for sp in pane.article.entity_spans)


async def open_compare(pilot):
    await settle(pilot)
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("enter")  # the only other document
    for _ in range(100):  # the comparison is prepared in a worker: wait for the screen, not a fixed time
        await settle(pilot)
        screen = pilot.app.screen
        if isinstance(screen, CompareScreen) and screen.query("#side-right") and screen.right.document is not None:
            break
    await pilot.pause()


@pytest.mark.long
async def test_compare_shows_shared_entities_on_both_sides():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        assert (left.document.id, right.document.id) == (ISW_ID, NEO_ID)
        for name in (
            "Recep Tayyip Erdogan",
            "Collective Security Treaty Organization",
            "Kazakhstan",
            "Organization of Turkic States",
        ):
            assert highlighted(left, name) and highlighted(right, name), name
        assert any(sp.canonical == "Washington" and sp.dimmed for sp in right.article.entity_spans)  # only right
        strip = screen.query_one("#strip-shared")
        assert str(strip.border_title).startswith("Shared (24)")
        # the three lists stand side by side, not stacked in one column
        columns = [screen.query_one(f"#strip-{c}") for c in ("shared", "left", "right")]
        assert len({c.region.y for c in columns}) == 1
        assert columns[0].region.right <= columns[1].region.x < columns[2].region.x
        assert str(columns[1].border_title).startswith("Only left (")
        right_only = [columns[2].get_option_at_index(i).id for i in range(columns[2].option_count)]
        assert "right\tWashington" in right_only
        await pilot.press("t")  # the strip by keys: t, then left/right between its columns
        assert app.focused is columns[0]
        await pilot.press("right", "right")
        assert app.focused is columns[2]
        await pilot.press("left")
        assert app.focused is columns[1]
        # selecting an entity in the strip scrolls each side to its next mention
        index = next(
            i
            for i in range(strip.option_count)
            if (strip.get_option_at_index(i).id or "").endswith("\tRecep Tayyip Erdogan")
        )
        strip.highlighted = index
        strip.focus()
        await pilot.press("enter")
        await pilot.pause()
        for pane in (left, right):
            b, s, e = pane.article.hits[pane.article.current_hit]
            assert "Erdogan" in pane.document.blocks[b].text[s:e]


@pytest.mark.long
async def test_footnote_on_the_right_and_back_leaves_the_left_alone():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        await pilot.press("x")  # swap: the footnoted report goes right
        for _ in range(100):  # the swap re-renders both sides: wait for its result, not a fixed time
            await settle(pilot)
            if right.document.id == ISW_ID and right.notes.notes:
                break
        assert right.document.id == ISW_ID
        left.article.scroll_to(y=7, animate=False, immediate=True)
        await pilot.pause()
        left_before = (left.article.scroll_offset.y, left.article.current_ref)
        await pilot.press("tab")
        assert app.focused is right.article
        await pilot.press("right_square_bracket", "right_square_bracket", "enter")
        await pilot.pause()
        assert app.focused is right.notes and right.notes.current_note.label == "2"
        await pilot.press("backspace")
        await pilot.pause()
        assert app.focused is right.article and right.article.current_ref == 1
        assert (left.article.scroll_offset.y, left.article.current_ref) == left_before


@pytest.mark.long
async def test_each_side_finds_on_its_own():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        await pilot.press("tab")  # the right side: the NEO article
        await pilot.press("ctrl+f", *"Davutoglu")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        b, s, e = right.article.hits[right.article.current_hit]
        assert right.document.blocks[b].text[s:e] == "Davutoglu"
        assert left.article.hits == []  # the other side is untouched


async def test_synchronised_scrolling_toggle():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        left.article.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert left.article.scroll_offset.y > 0 and right.article.scroll_offset.y == 0  # independent
        await pilot.press("s")
        await pilot.press("pagedown")

        def apart() -> float:
            fraction = left.article.scroll_offset.y / left.article.max_scroll_y
            return abs(right.article.scroll_offset.y / right.article.max_scroll_y - fraction)

        for _ in range(50):  # the other side follows over the next refreshes: wait for it, not a fixed time
            await pilot.pause()
            if right.article.scroll_offset.y > 0 and apart() < 0.05:
                break
        assert right.article.scroll_offset.y > 0
        assert apart() < 0.05  # the same place in proportion, not the same line


async def test_compare_at_80_columns_uses_tabs_and_w_keeps_one_side():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        assert screen.query_one("#compare-tabs").display
        assert left.display and not right.display
        await pilot.press("tab")
        await pilot.pause()
        assert right.display and not left.display and app.focused is right.article
        await pilot.press("w")  # close this side: keep reading the other one alone
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen) and app.reader.document.id == ISW_ID


def test_compare_snapshot_160x48(snap_compare):
    from tuireader import paths
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    index = LibraryIndex(Library(LIBRARY), paths.index_dir(LIBRARY))
    index.update()
    index.close()
    assert snap_compare(
        build_app(library_dir=LIBRARY, open_doc=ISW_ID), terminal_size=(160, 48), run_before=open_compare
    )


def footer_row(app) -> str:
    rows = screen_rows(app.export_screenshot())
    return rows[max(rows)]


async def test_compare_at_100x30_gives_each_article_more_than_12_lines():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        for pane in (left, right):
            first, last = pane.article.visible_line_range()
            assert last - first >= 15  # before: 12


async def test_compare_keys_that_do_nothing_there_are_off_and_unlisted():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_compare(pilot)
        footer = footer_row(app)
        assert "Close compare" in footer and "Sync scroll" in footer
        for label in ("l Library", "f Notes", "e Entities", "c Compare"):
            assert label not in footer
        stack = len(app.screen_stack)
        await pilot.press("c")  # before: a second compare (a picker) over the first
        await settle(pilot)
        assert len(app.screen_stack) == stack and isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "l Library" in footer_row(app)  # back in the reader, its keys are back


async def test_compare_titles_use_the_room_they_have():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_compare(pilot)
        rows = screen_rows(app.export_screenshot())
        borders = "\n".join(row for row in rows.values() if "╭" in row)  # the panes' top edges, titled
        title_bar = rows[0]
        for doc in (sides(app)[1].document, sides(app)[2].document):
            assert doc.title in borders  # each title whole (before: cut at 47 characters and "…")
            assert doc.title in title_bar  # (before: cut at 60)


async def test_compare_tabs_are_named_after_their_documents_at_80x24():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_compare(pilot)
        rows = screen_rows(app.export_screenshot())
        tab_row = next(row for row in rows.values() if "Kazakhstan Crisis" in row and "Turkic" in row)
        assert "Left" not in tab_row and "Right" not in tab_row


async def test_w_keeps_reading_the_other_side_where_it_was():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_compare(pilot)
        screen, left, right = sides(app)
        await pilot.press("tab", "pagedown", "pagedown")  # read on in the right side (NEO)
        await settle(pilot)
        where = right.article.top_source_offset()
        assert where > 0
        await pilot.press("tab", "w")  # close the left side
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)
        assert app.reader.document.id == NEO_ID
        assert (
            app.query_one("#article", ArticleView).top_source_offset() == where
        )  # before: reopened at its saved position (0)


def test_cli_compare_table_keeps_names_whole_and_columns_aligned(capsys):
    assert main(["compare", "--library", str(LIBRARY), ISW_ID, NEO_ID]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("Shared entities"))
    row = next(line for line in lines if "Collective Security Treaty Organization" in line)
    assert row.split()[-3:] == ["ORG", "14", "7"]  # hand count: 14 in ISW, 7 in NEO (the name was cut before)
    # the header's columns sit over the row's: "type" over the type, "A" and "B" over the counts
    assert header.index("type") == row.index("ORG")
    assert header.index(" A ") == row.index("14")  # right-aligned: "A" stands over the "4" of "14"
    assert header.rstrip().endswith("B")
    assert len(header.rstrip()) == len(row.rstrip())


async def test_related_dialog_keeps_its_keys_when_the_title_is_cut():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        for _ in range(50):  # related documents are ranked in a worker
            await settle(pilot)
            if app.screen.query("#picker-dialog"):
                break
        text = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "Related to: Kazakhstan Crisis" in text
        assert "enter: compare · esc: close" in text
