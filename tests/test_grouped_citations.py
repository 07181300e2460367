"""Grouped citations shown so they cannot be misread (issue #14 item 6, issue #12 item 9):
`[2, 3]` is two markers in their order, `[3-5]` a range, and no stray space before them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.core.footnotes import marker_pieces
from tuireader.core.parse import parse_text
from tuireader.ui.app import build_app
from tuireader.ui.widgets.article import ArticleView

from .conftest import write

DOC = (
    "Grouped\n\n"
    "Talks resumed in July 2023 [2, 3]. Ankara objected [3-5]; Baku, in turn [5, 4].\n\n"
    "Earlier [1] stands alone.\n\n"
    "Notes\n\n[1] One.\n[2] Two.\n[3] Three.\n[4] Four.\n[5] Five.\n"
)


def parse(text: str):
    return parse_text(text, path=Path("doc.txt"))


def test_group_gives_one_ref_per_note_in_written_order_without_the_space():
    text = (
        "Grouped\n\nTalks resumed in July 2023 [2, 3]. Ankara objected [3-5]; Baku, in turn [5, 4].\n\n"
        "Notes\n\n[2] Two.\n[3] Three.\n[4] Four.\n[5] Five.\n"
    )
    doc = parse(text)
    (block,) = doc.blocks
    assert block.text == "Talks resumed in July 2023. Ankara objected; Baku, in turn."
    at_2023 = len("Talks resumed in July 2023")
    at_objected = len("Talks resumed in July 2023. Ankara objected")
    at_turn = len(block.text) - 1
    assert [(r.key, r.at) for r in block.refs] == [
        ("2", at_2023),
        ("3", at_2023),
        ("3", at_objected),
        ("4", at_objected),
        ("5", at_objected),
        ("5", at_turn),
        ("4", at_turn),
    ]
    # the marker's source span is the bracket, not the space before it
    first = block.refs[0]
    assert (first.source_offset, first.source_end) == (text.index("[2, 3]"), text.index("[2, 3]") + len("[2, 3]"))


def test_a_word_right_after_the_marker_keeps_its_space():
    doc = parse("T\n\nSee ¹and more.\n\n¹ One.\n")
    assert doc.blocks[0].text == "See and more."
    assert doc.blocks[0].refs[0].at == len("See ")


def test_marker_pieces_separate_ranges_and_neighbours():
    # (label, at, source_offset): [2, 3] at 10; [3-5] at 20; then [7] and [8] side by side at 30
    refs = [("2", 10, 100), ("3", 10, 100), ("3", 20, 200), ("4", 20, 200), ("5", 20, 200)]
    refs += [("7", 30, 300), ("8", 30, 305), ("6", 40, 400), ("7", 40, 400)]
    assert marker_pieces(refs) == [
        ("", "2"),
        (",", "3"),
        ("", "3"),
        ("-", ""),
        ("", "5"),
        ("", "7"),
        (",", "8"),
        ("", "6"),
        (",", "7"),  # two consecutive numbers are a pair, not a range
    ]
    # a range of six: the dash stands for the four in the middle
    six = [(str(n), 5, 50) for n in range(3, 9)]
    assert marker_pieces(six) == [("", "3"), ("-", ""), ("", ""), ("", ""), ("", ""), ("", "8")]
    assert marker_pieces([("5", 1, 1), ("4", 1, 1), ("3", 1, 1)]) == [("", "5"), (",", "4"), (",", "3")]


def test_show_prints_groups_in_order_and_ranges_as_ranges(tmp_path, capsys):
    path = write(tmp_path / "g.txt", DOC)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Talks resumed in July 2023[2,3]. Ankara objected[3-5]; Baku, in turn[5,4]." in out
    assert "Earlier[1] stands alone." in out


@pytest.mark.asyncio
async def test_reader_draws_separated_superscripts(tmp_path):
    library = tmp_path / "library"
    write(library / "g.txt", DOC)
    app = build_app(library_dir=library, open_doc="g")
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        view = app.query_one("#article", ArticleView)
        first = next(i for i in range(view.virtual_size.height) if view.line_span(i) is not None)  # block 0
        assert view.line_span(first)[0] == 0 and view.line_span(first + 1) is None  # on one line
        plain = view.line_text(first)
        assert plain == "Talks resumed in July 2023²˒³. Ankara objected³⁻⁵; Baku, in turn⁵˒⁴."
        places = [(p.key, plain[p.display_start : p.display_end]) for p in view.refs if p.block == 0]
        assert places == [("2", "²"), ("3", "³"), ("3", "³"), ("4", "⁻"), ("5", "⁵"), ("5", "⁵"), ("4", "⁴")]


# ------------------------------------------------------- markers side by side: [1][2], [a][3]
SIDE_BY_SIDE = (
    "A report\n\n"
    "The minister spoke on Monday about the crisis.[a][1] Officials disagreed.[2][3]\n\n"
    "Notes\n\n[a] The first note, from the minutes.\n\n"
    "References\n\n[1] Smith, J. (2020). A book.\n\n[2] Doe, J. (2021). Another.\n\n[3] Roe, J. (2022). A third.\n"
)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_markers_side_by_side_are_each_a_note_when_the_notes_are_defined(tmp_path, suffix):
    from tuireader.core.formats import parse_file

    doc = parse_file(write(tmp_path / f"doc{suffix}", SIDE_BY_SIDE))
    (block,) = [b for b in doc.blocks if "minister" in b.text]
    assert block.text == "The minister spoke on Monday about the crisis. Officials disagreed."
    # each run stands after its full stop, where the source has it
    crisis, disagreed = len("The minister spoke on Monday about the crisis."), len(block.text)
    assert [(r.key, r.at) for r in block.refs] == [("a", crisis), ("1", crisis), ("2", disagreed), ("3", disagreed)]
    source = (tmp_path / f"doc{suffix}").read_text()
    assert [source[r.source_offset : r.source_end] for r in block.refs] == ["[a]", "[1]", "[2]", "[3]"]
    assert {n.key: len(n.cited_at) for n in doc.footnotes} == {"a": 1, "1": 1, "2": 1, "3": 1}
    assert not doc.warnings
    # shown so that two notes at one place cannot read as one: "a,1", "2,3"
    assert [label for _, label in marker_pieces([(r.label, r.at, r.source_offset) for r in block.refs])] == [
        "a",
        "1",
        "2",
        "3",
    ]
    assert [sep for sep, _ in marker_pieces([(r.label, r.at, r.source_offset) for r in block.refs])] == [
        "",
        ",",
        "",
        ",",
    ]


def test_brackets_side_by_side_stay_text_unless_every_one_names_a_defined_note(tmp_path):
    from tuireader.core.formats import parse_file

    text = "A report\n\nThe grid m[1][4] and the pair [1][2] are read.[1]\n\nReferences\n\n[1] Smith, J. A book.\n"
    doc = parse_file(write(tmp_path / "doc.txt", text))
    (block,) = [b for b in doc.blocks if "grid" in b.text]
    assert block.text == "The grid m[1][4] and the pair [1][2] are read."  # no note 2 or 4: not markers
    assert [r.key for r in block.refs] == ["1"]
