"""Traps found by running real documents through the readers (tools/realdocs_check.py),
each reproduced by a small document written for it (tests/data/traps/, see its README)."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.formats import parse_file

TRAPS = Path(__file__).parent / "data" / "traps"


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def test_a_layout_class_naming_a_sidebar_is_not_furniture():
    # Real pages wrap the whole article in "panel-two-col-sidebar-right-mix" or
    # "l-sidebar-fixed": the words say where a sidebar sits, not that this is one.
    doc = parse_file(TRAPS / "layout-classes.html")
    body = texts(doc)
    assert doc.title == "Layout classes"
    assert body == [
        "The first paragraph of the article sits in a panel whose class names the page layout.",
        "The second paragraph sits in a segment of a fixed-sidebar layout.",
    ]
