"""Traps of issue #14's list met again on documents written here, each fixed with its test."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.parse import parse_text


def read(text: str):
    return parse_text(text, path=Path("k.md"), fmt="markdown")


def test_a_kramdown_attribute_line_under_a_table_is_not_a_row():
    doc = read("| n | name |\n|---|---|\n| 1 | Aktau |\n{: .wide}\n\nAfter.\n")
    table = doc.blocks[0]
    assert table.kind == "table"
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [["n", "name"], ["1", "Aktau"]]
    assert table.text == "n | name\n1 | Aktau"
    assert doc.blocks[1].text == "After."


def test_an_empty_row_inside_a_table_stays():
    table = read("| a | b |\n|---|---|\n| 1 | 2 |\n|  |  |\n| 3 | 4 |\n").blocks[0]
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [["a", "b"], ["1", "2"], ["", ""], ["3", "4"]]
