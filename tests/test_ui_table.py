"""A Markdown table in the reader: a grid that fits the column, cells wrapped, hits kept."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView
from tuireader.ui.widgets.table_layout import column_widths, table_lines, wrap_cell

from .conftest import write


def test_column_widths_fit_by_narrowing_the_widest_first():
    assert column_widths([5, 10], 20) == [5, 10]  # fits: as wide as the cells
    assert column_widths([5, 30], 20) == [5, 15]
    assert column_widths([12, 30, 3], 24) == [10, 11, 3]
    assert sum(column_widths([40, 40, 40], 30)) == 30


def test_wrap_cell_breaks_at_spaces_and_splits_a_long_word():
    assert wrap_cell("President of Turkey", 12) == [(0, 12), (13, 19)]
    assert wrap_cell("President of Turkey", 11) == [(0, 9), (10, 19)]
    text = "President of Turkey"
    assert [text[a:b] for a, b in wrap_cell(text, 12)] == ["President of", "Turkey"]
    assert [("abcdefghij"[a:b]) for a, b in wrap_cell("abcdefghij", 4)] == ["abcd", "efgh", "ij"]


def test_table_lines_draw_a_header_rule_and_wrapped_rows():
    text = Text("Name | Role\nErdogan | President of Turkey")
    rows = [[(0, 4), (7, 11)], [(12, 19), (22, 41)]]
    lines = table_lines(text, rows, lambda i: i, 24, header_style=Style(bold=True), rule_style=Style())
    assert [line.plain for line, _ in lines] == [
        "Name    │ Role",
        "────────┼───────────────",  # columns of 7 and 14 cells: 24 with the separator
        "Erdogan │ President of",
        "        │ Turkey",
    ]
    assert [start for _, start in lines] == [0, 0, 12, 12]
    assert all(line.cell_len <= 24 for line, _ in lines)


def test_table_lines_without_a_header_row_draw_no_rule():
    text = Text("Capital | Astana\nArea | 2.7M")
    rows = [[(0, 7), (10, 16)], [(17, 21), (24, 28)]]
    lines = table_lines(text, rows, lambda i: i, 24, header_style=Style(bold=True), rule_style=Style(), header=False)
    assert [line.plain for line, _ in lines] == ["Capital │ Astana", "Area    │ 2.7M"]
    assert not any(span.style == Style(bold=True) for line, _ in lines for span in line.spans)


async def test_reader_draws_a_markdown_table_in_a_narrow_column(tmp_path):
    lib = tmp_path / "lib"
    write(
        lib / "t.md",
        "# Leaders\n\nBefore the table.\n\n"
        "| Name | Role |\n|---|---|\n| Erdogan | President of the Republic of Turkey since 2014 |\n"
        "| Tokayev | President of Kazakhstan |\n\nAfter.\n",
    )
    app = build_app(library_dir=lib, open_doc="t")
    async with app.run_test(size=(60, 30)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        view = app.query_one("#article", ArticleView)
        shown = [view.line_text(i) for i in range(view.virtual_size.height)]
        width = view.wrap_width
        grid = [line for line in shown if "│" in line or "┼" in line]
        assert grid[0].startswith("Name") and "Role" in grid[0]
        assert "┼" in grid[1]
        assert grid[2].startswith("Erdogan │ President of the")
        assert any(line.strip().startswith("│") or line.startswith(" " * 8 + "│") for line in grid[3:])
        assert all(len(line) <= width for line in grid)
        assert "Tokayev │ President of Kazakhstan" in grid


async def test_reader_draws_an_html_table_as_a_grid_wrapped_at_words(tmp_path):
    """A Wikipedia-style infobox: its cells (an image's alt text among them) wrapped at words
    in a grid, not cut at the column's width in the middle of a word."""
    lib = tmp_path / "lib"
    alt = "Flag of Kazakhstan, a golden sun over a soaring steppe eagle on a sky-blue field"
    write(
        lib / "box.html",
        "<html><head><title>Kazakhstan</title></head><body><article><h1>Kazakhstan</h1><p>Before.</p>"
        '<table class="infobox"><tr><th>Flag</th><td><img src="f.svg" alt="' + alt + '"></td></tr>'
        "<tr><th>Capital</th><td>Astana<br>(Nur-Sultan 2019–2022)</td></tr></table><p>After.</p></article></body></html>",
    )
    app = build_app(library_dir=lib, open_doc="box")
    async with app.run_test(size=(60, 30)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        view = app.query_one("#article", ArticleView)
        shown = [view.line_text(i) for i in range(view.virtual_size.height)]
        grid = [line for line in shown if "│" in line]
        assert grid[0].startswith("Flag    │ [image: Flag of")
        cells = " ".join(line.split("│", 1)[1].strip() for line in grid)
        assert f"[image: {alt}]" in cells  # every word whole: the lines broke at spaces
        assert "Astana (Nur-Sultan 2019–2022)" in cells
        assert not any("┼" in line for line in shown)  # its first row is no header: no rule under it
        assert all(len(line) <= view.wrap_width for line in grid)
