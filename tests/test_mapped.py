"""MappedText's one-piece fast path edits exactly as the general path does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core.mapped import Edit, MappedText


@st.composite
def text_and_edits(draw):
    text = draw(st.text(alphabet="ab \n¹*", min_size=0, max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        edits.append(Edit(start, end, draw(st.sampled_from(["", " ", "\n", "xy", "z" * (end - start)]))))
    return text, draw(st.integers(0, 50)), draw(st.permutations(edits))


@settings(max_examples=400, deadline=None)
@given(case=text_and_edits())
def test_one_piece_edit_equals_the_general_edit(case):
    text, offset, edits = case
    source = "#" * offset + text
    mapped = MappedText.from_source(source, offset, offset + len(text))
    if not text:
        return
    fast, fast_map = mapped.edit(edits)
    general, general_map = mapped._edit_pieces(sorted(edits, key=lambda e: (e.start, e.end)))
    assert fast == general  # text and segments
    assert [fast_map(i) for i in range(len(text) + 1)] == [general_map(i) for i in range(len(text) + 1)]
    for i in range(len(fast.text)):
        assert offset <= fast.to_source(i) <= offset + len(text)


def test_one_piece_edit_by_hand():
    source = "xxHello¹ world"
    mapped = MappedText.from_source(source, 2, len(source))
    cleaned, position = mapped.edit([Edit(5, 6), Edit(6, 7, "  ")])  # drop "¹", widen the space
    assert cleaned.text == "Hello  world"
    assert cleaned.source_span(7, 12) == (9, 14) and source[9:14] == "world"
    assert cleaned.to_source(5) == 8  # the synthesised spaces point at the space they replaced
    assert position(5) == 5 and position(7) == 7 and position(8) == 8
