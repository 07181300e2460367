"""A metadata guess never takes the only text a file has (issue #18 item 10's rule, issue #14):
a one-line file, a file that is one heading, a title and a byline — the title is guessed and
the text stays in the body, where the reader shows it and the index reads it."""

from __future__ import annotations

import pytest

from tuireader.cli import main
from tuireader.core.formats import parse_file

from .conftest import write


@pytest.mark.parametrize("name", ["one.txt", "one.md"])
def test_a_one_line_file_is_its_title_and_its_text(tmp_path, name):
    doc = parse_file(write(tmp_path / name, "Just one sentence here.\n"))
    assert doc.title == "Just one sentence here."
    assert [(b.kind, b.text) for b in doc.blocks] == [("paragraph", "Just one sentence here.")]


def test_a_file_that_is_one_heading_keeps_it(tmp_path):
    doc = parse_file(write(tmp_path / "h.md", "# Only a heading\n"))
    assert doc.title == "Only a heading"
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "Only a heading")]


@pytest.mark.parametrize("name", ["t.txt", "t.md"])
def test_a_title_and_a_byline_and_nothing_else_stay_text(tmp_path, name):
    doc = parse_file(write(tmp_path / name, "Title line\n\nBy Jane Doe\n"))
    assert doc.title == "Title line" and doc.authors == ["Jane Doe"]
    assert [b.text for b in doc.blocks] == ["Title line", "By Jane Doe"]


def test_with_a_body_the_title_is_still_taken_out(tmp_path):
    doc = parse_file(write(tmp_path / "a.txt", "Title line\n\nBy Jane Doe\n\nThe body has a sentence of its own.\n"))
    assert [b.text for b in doc.blocks] == ["The body has a sentence of its own."]


def test_show_prints_the_one_line(tmp_path, capsys):
    path = write(tmp_path / "one.txt", "Just one sentence here.\n")
    assert main(["show", "--json", str(path)]) == 0
    assert '"text": "Just one sentence here."' in capsys.readouterr().out
