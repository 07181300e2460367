"""The timeline screen (T) and an entity's chart (t in the entity list), driven by keys."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from textual.widgets import OptionList

from tuireader.ui.app import build_app
from tuireader.ui.screens.timeline import EntityChartScreen, TimelineScreen
from tuireader.ui.widgets.timeline_bars import DayScale, count_bar

from .conftest import LIBRARY
from .contrast import poor_contrast, text_cells
from .test_ui import ISW_ID, NEO_ID, settle
from .timeline_library import PERSON


def test_count_bar_is_exact_to_an_eighth_and_a_period_covers_its_days():
    assert count_bar(10, 10, 5) == "█████"
    assert count_bar(1, 10, 5) == "▌"  # 4 eighths of a cell
    assert count_bar(3, 8, 4) == "█▌"  # 12 eighths
    assert count_bar(0, 8, 4) == "" and count_bar(1, 1000, 4) == "▏"  # a mention is never invisible
    scale = DayScale(dt.date(2022, 1, 1), dt.date(2022, 1, 10), 20)  # two cells a day
    assert scale.span(dt.date(2022, 1, 1), dt.date(2022, 1, 1)) == (0, 2)
    assert scale.span(dt.date(2022, 1, 4), dt.date(2022, 1, 10)) == (6, 20)


def highlighted(screen) -> str | None:
    return screen.highlighted_document()


async def test_cursor_steps_through_fifty_documents_in_date_order_and_enter_opens(generated_timeline):
    base, docs, _workspace = generated_timeline
    app = build_app(library_dir=base / "library", index_dir=base / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await pilot.press("g", "g")  # source → tag → not grouped
        await settle(pilot)
        assert screen.group_by == "none"
        seen = [highlighted(screen)]
        for key in ("down", "j", "down", "j"):  # the keys
            await pilot.press(key)
            seen.append(highlighted(screen))
        # The rest through the same action the keys run: a key press repaints the screen (~0.1 s here).
        for _ in range(len(docs) - 5):
            screen.action_cursor(1)
            seen.append(highlighted(screen))
        expected = [d.id for d in sorted(docs, key=lambda d: (d.start, d.title))]
        assert seen == expected
        await pilot.press("k")  # back one
        assert highlighted(screen) == expected[-2]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not screen and app.reader.document.id == expected[-2]


async def test_grouped_by_source_each_group_in_date_order(generated_timeline):
    base, docs, _workspace = generated_timeline
    app = build_app(library_dir=base / "library", index_dir=base / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        option_list = app.screen.query_one("#timeline-list", OptionList)
        rows = [option_list.get_option_at_index(i) for i in range(option_list.option_count)]
        headers = [str(o.prompt) for o in rows if o.disabled]
        assert headers == ["Bellmouth Review (17)", "Institute of Calder Studies (17)", "Northgate Wire (16)"]
        by_id = {d.id: d for d in docs}
        groups: dict[str, list] = {}
        current = None
        for o in rows:
            if o.disabled:
                current = str(o.prompt)
            else:
                groups.setdefault(current, []).append(by_id[o.id.split("\t")[1]])
        for members in groups.values():
            assert [d.start for d in members] == sorted(d.start for d in members)
            assert len({d.source for d in members}) == 1
        # Every row of a period is wider than a single day's (the generated periods are 7 days).
        text = str(rows[1].prompt)
        assert "█" in text


async def test_entity_chart_from_the_entity_list_counts_match_the_generated_text(generated_timeline):
    base, docs, _workspace = generated_timeline
    app = build_app(library_dir=base / "library", index_dir=base / "index", open_doc="report-03")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        app.query_one("#entities").select(PERSON)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntityChartScreen)
        chart = screen.chart
        assert chart.by == "month"  # the mentions span about eight months
        expected = Counter(day.replace(day=1) for d in docs for day in d.mention_days)
        assert {b.start: b.mentions for b in chart.bins if b.mentions} == dict(expected)
        option_list = screen.query_one("#chart-list", OptionList)
        rows = [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]
        for b, row in zip(chart.bins, rows, strict=True):
            assert row.startswith(b.start.strftime("%b %Y")) and f"{b.mentions:>4}" in row
        await pilot.press("w")  # per week now
        await settle(pilot)
        weekly = Counter(day - dt.timedelta(days=day.weekday()) for d in docs for day in d.mention_days)
        assert screen.chart.by == "week"
        assert {b.start: b.mentions for b in screen.chart.bins if b.mentions} == dict(weekly)
        # enter on a bin lists its documents; picking one opens it at the entity
        busiest = option_list.highlighted
        b = screen.chart.bins[busiest]
        assert b.mentions == max(weekly.values())
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen.query_one("#picker-list", OptionList)
        assert picker.option_count == len(b.documents)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.document.id == b.documents[0]


async def test_timeline_narrowed_to_the_selected_entity_and_a_search_and_readable(tmp_path):
    app = build_app(library_dir=LIBRARY, index_dir=tmp_path / "index", open_doc=NEO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        option_list = screen.query_one("#timeline-list", OptionList)
        ids = [o.id.split("\t")[1] for o in option_list._options if o.id]
        assert sorted(ids) == sorted([ISW_ID, NEO_ID])
        svg = app.export_screenshot()
        assert "2021-12-28 – 2022-01-18" in svg or "2022-01-22" in svg  # the detail line of the cursor's row
        assert poor_contrast(text_cells(svg)) == []
        await pilot.press("slash", *"toothless", "enter")  # a word only the ISW report has
        await settle(pilot)
        ids = [o.id.split("\t")[1] for o in option_list._options if o.id]
        assert ids == [ISW_ID] and "matching “toothless”" in str(screen.query_one("#timeline-title").render())
        await pilot.press("x")
        await settle(pilot)
        assert len([o for o in option_list._options if o.id]) == 2
        await pilot.press("escape")
        await pilot.pause()
        # With the CSTO selected in the reader, the timeline holds only the documents naming it.
        app.reader.select_entity("Collective Security Treaty Organization")
        await pilot.press("T")
        await settle(pilot)
        title = str(app.screen.query_one("#timeline-title").render())
        assert "mentioning Collective Security Treaty Organization" in title
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, EntityChartScreen)
        assert app.screen.chart.total >= 1
        assert poor_contrast(text_cells(app.export_screenshot())) == []
        assert ISW_ID


def test_timeline_keys_are_known_ids_and_a_clash_is_reported():
    from tuireader.ui.keycheck import binding_ids, check_keymap

    assert {"app.timeline", "entities.timeline", "timeline.group", "timeline.narrow", "chart.bins"} <= binding_ids()
    assert check_keymap({}) == []
    problems = check_keymap({"timeline.group": "t"})
    assert len(problems) == 1 and "'t' is bound to timeline.group and timeline.mentions" in problems[0]
