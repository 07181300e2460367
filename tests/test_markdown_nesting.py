"""Block quotes and lists inside each other keep their nesting: in the model (``Block.nesting``,
outermost container first) and in the reader, which draws a bar for each quote and two columns
for each list item around a block, on every line of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.parse import parse_text
from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView
from tuireader.ui.widgets.article_layout import nesting_prefix

from .conftest import write

QUOTE_IN_QUOTE = "> The minister said:\n>\n> > We will not send troops.\n>\n> He then left.\n"
QUOTE_IN_ITEM = "- First point.\n\n  > Quoted inside the first point.\n\n- Second point.\n"
LIST_IN_QUOTE = "> The report lists:\n>\n> - roads\n> - ports\n>   - Aktau\n"


def shape(text: str) -> list[tuple[str, str, str, int]]:
    doc = parse_text(text, path=Path("n.md"), fmt="markdown")
    return [(b.kind, b.text, b.nesting, b.depth) for b in doc.blocks]


def test_a_quote_inside_a_quote_is_one_level_deeper():
    assert shape(QUOTE_IN_QUOTE) == [
        ("quote", "The minister said:", ">", 1),
        ("quote", "We will not send troops.", ">>", 2),
        ("quote", "He then left.", ">", 1),
    ]


def test_a_quote_inside_a_list_item_is_inside_the_item():
    assert shape(QUOTE_IN_ITEM) == [
        ("list_item", "First point.", "-", 1),
        ("quote", "Quoted inside the first point.", "->", 2),
        ("list_item", "Second point.", "-", 1),
    ]


def test_a_list_inside_a_quote_keeps_both_and_its_own_nesting():
    assert shape(LIST_IN_QUOTE) == [
        ("quote", "The report lists:", ">", 1),
        ("list_item", "roads", ">-", 2),
        ("list_item", "ports", ">-", 2),
        ("list_item", "Aktau", ">--", 3),
    ]


def test_show_json_gives_the_nesting():
    doc = parse_text(QUOTE_IN_ITEM, path=Path("n.md"), fmt="markdown")
    assert doc.blocks[1].to_json()["nesting"] == "->"
    plain = parse_text("# Title\n\nPlain text.\n", path=Path("p.md"), fmt="markdown")
    assert "nesting" not in plain.blocks[0].to_json()


def test_the_prefix_draws_each_container():
    doc = parse_text(
        QUOTE_IN_QUOTE + "\n\n" + QUOTE_IN_ITEM + "\n\n" + LIST_IN_QUOTE, path=Path("n.md"), fmt="markdown"
    )
    prefixes = {b.text: nesting_prefix(b) for b in doc.blocks}
    assert prefixes["The minister said:"] == ("│ ", "│ ")
    assert prefixes["We will not send troops."] == ("│ │ ", "│ │ ")
    assert prefixes["First point."] == ("• ", "  ")
    assert prefixes["Quoted inside the first point."] == ("  │ ", "  │ ")
    assert prefixes["ports"] == ("│ • ", "│   ")
    assert prefixes["Aktau"] == ("│   • ", "│     ")


@pytest.mark.asyncio
async def test_the_reader_draws_the_nesting_on_every_line(tmp_path):
    long_inner = "We will not send troops, and we will not send advisers either, whatever the others decide."
    text = f"# Nesting\n\n> The minister said:\n>\n> > {long_inner}\n\n- First point.\n\n  > Quoted in the point.\n"
    library = tmp_path / "library"
    write(library / "n.md", text)
    app = build_app(library_dir=library, open_doc="n")
    async with app.run_test(size=(70, 30)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        view = app.query_one("#article", ArticleView)
        rows = [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]
        inner = [r.strip() for r in rows if r.strip().startswith("│ │ ")]
        # the inner quote wraps: each of its lines has both bars, its words in order
        assert len(inner) >= 2
        assert " ".join(r.removeprefix("│ │ ") for r in inner) == long_inner
        assert any(r.strip() == "│ The minister said:" for r in rows)
        assert any(r.strip() == "• First point." for r in rows)
        quoted = next(r for r in rows if "Quoted in the point." in r)
        assert quoted.endswith("  │ Quoted in the point.")
        bullet = next(r for r in rows if "First point." in r)
        # the quote in the item starts two columns right of the bullet, under the item's text
        assert quoted.index("│") == bullet.index("•") + 2
