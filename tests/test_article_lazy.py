"""The article's lazy layout (ui/widgets/article_lazy.py, no Textual): blocks wrapped as they
are asked for, in any order, give the lines of the full layout (every block wrapped at once,
``wrap_blocks``), and the line numbers stay consistent while estimated heights become exact."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuireader.core.parse import parse_text
from tuireader.ui.widgets.article_layout import Line, build_block_layouts, wrap_blocks
from tuireader.ui.widgets.article_lazy import CHUNK, BlockLayouts, LazyLines, RefPlaces

HEAD = [Line(-1, 0, 0), Line(-1, 0, 0)]  # stands for the title block's lines


def no_table(layout, block, width):
    raise AssertionError("no table with rows in these documents")


def full_layout(doc, width: int) -> tuple[list[Line], dict[int, int]]:
    layouts, _ = build_block_layouts(doc)
    lines = list(HEAD)
    first = wrap_blocks(doc, layouts, width, lines, no_table)
    lines.append(Line(-1, 0, 0))
    return lines, first


def lazy_layout(doc, width: int) -> LazyLines:
    return LazyLines(doc, BlockLayouts(doc), width, list(HEAD), no_table, exact_up_to=0)


WORD = st.sampled_from(["a", "the", "minister", "said", "internationalisation", "x" * 30, "on", "talks"])


@st.composite
def blocks(draw) -> str:
    kind = draw(st.sampled_from(["para", "para", "item", "quote", "code", "heading", "lines"]))
    words = draw(st.lists(WORD, min_size=1, max_size=60))
    note = draw(st.integers(1, 40))
    text = " ".join(words)
    if draw(st.booleans()):
        cut = len(text) // 2
        text = f"{text[:cut]}.[^{note}] {text[cut:]}"  # a marker inside the paragraph
    if kind == "item":
        return f"- {text}"
    if kind == "quote":
        return f"> {text}"
    if kind == "heading":
        return f"## {' '.join(words[:6])}"
    if kind == "lines":  # a hard line break: a block of two lines
        return f"{' '.join(words[:5])}\\\n{text}"
    code = "\n".join(" ".join(words[i : i + 9]) for i in range(0, len(words), 9))
    return f"```\n{code}\n```"


@st.composite
def documents(draw):
    body = draw(st.lists(blocks(), min_size=1, max_size=24))
    notes = "\n".join(f"[^{n}]: Note {n}." for n in range(1, 41))
    return parse_text("\n\n".join(body) + "\n\n" + notes + "\n", path=Path("gen.md"), fmt="markdown")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(20, 90), st.lists(st.integers(0, 10_000), max_size=12))
def test_lazy_lines_are_the_full_layouts_lines_whatever_the_order_they_are_made_in(doc, width, probes):
    expected, first = full_layout(doc, width)
    lazy = lazy_layout(doc, width)
    moved = []
    lazy.on_moved = lambda start, before, after: moved.append(after - before)
    estimate = len(lazy)
    for probe in probes:  # lines asked for out of order, as jumps would
        lazy[probe % len(lazy)]
    for b in range(len(doc.blocks)):
        if lazy.is_exact(b):  # a block made exact shows its full-layout lines, wherever estimates put it
            own = lazy.first_line(b)
            count = lazy.height_of(b) - 1
            assert [lazy[own + i] for i in range(count)] == expected[first[b] : first[b] + count]
    assert len(lazy) == estimate + sum(moved)  # every correction was reported
    lazy.make_exact(0, len(doc.blocks) - 1)
    assert [lazy[y] for y in range(len(lazy))] == expected
    assert len(lazy) == len(expected)
    for b, line in first.items():
        assert lazy.first_line(b) == line
        layout = BlockLayouts(doc)[b]
        for display in (0, len(layout.plain) // 2, max(0, len(layout.plain) - 1)):
            # the line showing a display position: the last of the block's lines starting at or before it
            want = line
            while want + 1 < len(expected) and expected[want + 1].block == b and expected[want + 1].start <= display:
                want += 1
            assert lazy.line_of(b, display) == want


def test_refs_are_numbered_in_reading_order_as_the_full_layout_numbers_them():
    text = "One.[^1] Two.[^2]\n\nNo marker here.\n\nThree.[^3] and four.[^4]\n\n"
    text += "\n".join(f"[^{n}]: Note {n}." for n in range(1, 5)) + "\n"
    doc = parse_text(text, path=Path("r.md"), fmt="markdown")
    _, full = build_block_layouts(doc)
    lazy = RefPlaces(BlockLayouts(doc))
    assert len(lazy) == 4
    assert [lazy[i] for i in range(4)] == full
    assert [(p.index, p.block, p.key) for p in lazy] == [(0, 0, "^1"), (1, 0, "^2"), (2, 2, "^3"), (3, 2, "^4")]
    assert lazy.in_block(1) == [] and [p.index for p in lazy.in_block(2)] == [2, 3]


def test_corrections_above_a_line_move_it_by_what_they_report():
    paragraphs = [("word " * (5 + n * 37 % 90)).strip() + "." for n in range(CHUNK * 2 + 30)]  # estimates off both ways
    doc = parse_text("\n\n".join(paragraphs) + "\n", path=Path("p.md"), fmt="markdown")
    assert len(doc.blocks) > CHUNK * 2
    lazy = lazy_layout(doc, 40)
    target = CHUNK + 40
    before = lazy.first_line(target)
    reports = []
    lazy.on_moved = lambda start, old, new: reports.append((start, old, new))
    lazy.make_exact(0, target - 1)
    assert reports and all(new != old for _, old, new in reports)
    assert lazy.first_line(target) == before + sum(new - old for _, old, new in reports)
    assert lazy.locate(lazy.first_line(target) - 1) == (target, 0)  # its blank line
    expected, first = full_layout(doc, 40)
    assert lazy.first_line(target) == first[target]  # everything above exact: the full layout's number
