"""Entities in the reader: highlighting by type, the list, stepping through mentions,
other documents mentioning an entity, and what hovering shows."""

from __future__ import annotations

import pytest

from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView
from tuireader.ui.widgets.status import StatusLine

from .conftest import LIBRARY
from .test_ui import ISW_ID, NEO_ID, app_for, settle

# the bundled library already indexed, as after a first session (built once: conftest.py)
pytestmark = pytest.mark.usefixtures("indexed_library")


def entity_styles_in_block(view: ArticleView, block: int) -> set[str]:
    """The entity keys carried by the rendered segments of a block's lines on screen."""
    top = int(view.scroll_offset.y)
    rows = [y for y in range(view.scrollable_content_region.height) if (view.line_span(top + y) or (-1,))[0] == block]
    assert rows, f"block {block} is not on screen"
    return {
        seg.style.meta["entity"]
        for y in rows
        for seg in view.render_line(y)
        if seg.style and "entity" in seg.style.meta
    }


async def test_entities_highlighted_and_filtered_by_type():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(ArticleView)
        keys = entity_styles_in_block(view, 0)
        assert {"Kazakhstan", "Turkey", "Organization of Turkic States"} <= keys
        legend = app.query_one("#legend")
        assert legend.display and "person" in str(legend.render()) and "(all;" in str(legend.render())
        await pilot.press("e")  # people only
        assert app.reader.entity_filter == {"PERSON"}
        assert entity_styles_in_block(view, 0) == set()
        await pilot.press("e", "e", "e", "e", "e")  # org, place, group, date, then off
        assert app.reader.entity_filter == set()
        await pilot.press("e")
        assert app.reader.entity_filter is None
        assert "Kazakhstan" in entity_styles_in_block(view, 0)


async def test_entity_list_select_and_step_through_mentions():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        listing = app.query_one("#entity-list")
        assert app.focused is listing
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts[0].startswith("People (")
        people = prompts[1 : prompts.index(next(p for p in prompts[1:] if not p.startswith(" ")))]
        counts = [int(p.split()[0]) for p in people]
        assert counts == sorted(counts, reverse=True)  # most mentioned first
        assert any(p.endswith("Recep Tayyip Erdogan") for p in people)
        app.query_one("#entities").select("Collective Security Treaty Organization")
        await pilot.press("enter")
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert app.focused is view and view.selected_entity == "Collective Security Treaty Organization"
        assert len(view.hits) == 14  # hand count: 14 CSTO mentions in the ISW text
        b, s, e = view.hits[0]
        assert app.reader.document.blocks[b].text[s:e] == "Collective Security Treaty Organization"
        await pilot.press("n")
        b, s, e = view.hits[view.current_hit]
        assert app.reader.document.blocks[b].text[s:e] == "CSTO"
        assert "14 mentions" in str(app.query_one("#status").render())


@pytest.mark.long
async def test_documents_mentioning_an_entity_open_at_its_first_mention():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        app.query_one("#entities").select("Recep Tayyip Erdogan")
        await pilot.press("d")
        await settle(pilot)
        listing = app.screen.query_one("#picker-list")
        assert listing.option_count == 2  # both documents mention him, with how often
        prompts = {
            listing.get_option_at_index(i).id: str(listing.get_option_at_index(i).prompt)
            for i in range(listing.option_count)
        }
        assert "8 mentions" in prompts[ISW_ID] and "2 mentions" in prompts[NEO_ID]  # hand counts: 6 + 2 in note 4
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        await pilot.press(*["down"] * ids.index(NEO_ID), "enter")
        await settle(pilot)
        assert app.reader.document.id == NEO_ID
        view = app.query_one(ArticleView)
        assert view.selected_entity == "Recep Tayyip Erdogan"
        b, s, e = view.hits[0]
        assert app.reader.document.blocks[b].text[s:e] == "Erdogan"  # NEO calls him only "Erdogan"
        await pilot.press("backspace")
        await settle(pilot)
        assert app.reader.document.id == ISW_ID


async def test_hovering_an_entity_shows_name_type_and_description():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(ArticleView)
        line_no = next(
            i
            for i in range(view.virtual_size.height)
            if view.line_span(i) is not None and "Kazakhstan" in view.line_text(i)
        )
        text = view.line_text(line_no)
        col = text.index("Kazakhstan")
        x = view.content_region.x - view.region.x + col + 1
        y = view.content_region.y - view.region.y + line_no - int(view.scroll_offset.y)
        await pilot.hover(ArticleView, offset=(x, y))
        await pilot.pause()
        assert view.tooltip is not None
        assert str(view.tooltip).startswith("Kazakhstan  PLACE") and "Country (KZ)" in str(view.tooltip)


async def test_status_line_does_not_outlive_its_message():
    app = app_for(doc=ISW_ID)
    app.STATUS_SECONDS = 60.0  # shown until looked at, however loaded the machine
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = app.query_one("#status")
        await pilot.press("e")  # entity highlighting: one type only
        assert status.display and "highlighting" in str(status.render())
        app.query_one("#status", StatusLine).seconds = 0.3
        await pilot.press("e")  # the next type: a new passing message, on the short clock
        for _ in range(60):  # the message is passing: it goes by itself (before: never)
            await pilot.pause(0.05)
            if not status.display:
                break
        assert not status.display

        app.query_one("#status", StatusLine).seconds = 60.0  # from here on only a document switch may clear it
        await pilot.press("E", "down", "enter")  # the entity list: the first entity's mentions
        await settle(pilot)
        assert status.display and "mentions" in str(status.render())
        await pilot.press("ctrl+p", *"Open: The Turkic")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.document is not None and app.reader.document.id == NEO_ID
        assert not status.display  # the other document's entity is no news here


async def test_entities_are_highlighted_in_the_notes_panel():
    from tuireader.ui.widgets.notes import NotesPanel

    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        notes = app.query_one(NotesPanel)
        note = notes.note("4")
        spans = {note.text[a:b]: etype for a, b, etype in notes.entities["4"]}
        assert spans["Sergey Lavrov"] == "PERSON" and spans["Turkmenistan"] == "PLACE"
        # the rendered line with the name: "Sergey Lavrov" in another colour than the words around it
        region = notes.note_region(notes.notes.index(note))
        row = next(i for i in range(region.y, region.bottom) if "Sergey Lavrov" in notes.line_text(i))
        notes.scroll_to(y=row, animate=False, immediate=True)
        await pilot.pause()
        segments = list(notes.render_line(row - int(notes.scroll_offset.y)))
        name = next(s for s in segments if "Lavrov" in s.text)
        plain = next(s for s in segments if s.text.strip() and "Lavrov" not in s.text and s.style.color is not None)
        assert name.text.strip() in ("Sergey Lavrov", "Lavrov") and name.style.color != plain.style.color
        person = notes.get_component_rich_style("notes--entity-person", partial=True)
        assert name.style.color == person.color, "Lavrov is not drawn in the person colour in note 4"


async def test_the_entity_list_at_80x24_gives_its_rows_to_entities():
    from tuireader.ui.app import build_app

    from .conftest import LIBRARY
    from .contrast import screen_rows
    from .test_ui import ISW_ID, settle

    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        shown = "\n".join(screen_rows(app.export_screenshot()).values())
        # the five people listed first in the ISW report (as a 200-column list shows them): under
        # 100 columns the info box under the list is hidden, so all five fit
        for name in ("Recep Tayyip Erdogan", "Isaac Herzog", "Kassym-Jomart Tokayev", "Mevlut Cavusoglu", "Wang Yi"):
            assert name in shown, name
        await pilot.press("down")
        shown = "\n".join(screen_rows(app.export_screenshot()).values())
        assert "enter: mentions · d: documents · t: timeline" in shown


async def test_the_title_and_byline_are_highlighted_and_filtered_like_the_body():
    app = build_app(library_dir=LIBRARY, open_doc=ISW_ID)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(ArticleView)
        view.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        byline = "Ezgi Yazici, Fatih Cungurlu"

        def header_entities() -> tuple[set[str], set[str]]:
            """The entities styled in the title's rows (it may wrap) and in the byline's row."""
            title: set[str] = set()
            for y in range(6):
                segments = list(view.render_line(y))
                keys = {s.style.meta["entity"] for s in segments if s.style and "entity" in s.style.meta}
                if "".join(s.text for s in segments).strip() == byline:
                    return title, keys
                title |= keys
            raise AssertionError("no byline row in the header")

        title, names = header_entities()
        assert {"Kazakhstan", "Turkey", "Central Asia"} <= title
        assert names == {"Ezgi Yazici", "Fatih Cungurlu"}
        await pilot.press("e")  # people only: the byline's names stay, the title's places go
        await pilot.pause()
        assert header_entities() == (set(), {"Ezgi Yazici", "Fatih Cungurlu"})
