"""MappedText's one-piece fast path edits exactly as the general path does."""

from __future__ import annotations

from bisect import bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core.mapped import Edit, MappedText, Segment


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


# ---------------------------------------------------------------- the general edit, one pass
def _reference_edit_pieces(mapped: MappedText, ordered: list[Edit]):
    """The general edit as it was written first (a slice per kept piece, then a join): the
    one-pass ``_edit_pieces`` must give the same text, segments and position map."""
    parts: list[MappedText] = []
    old_starts: list[int] = []
    old_ends: list[int] = []
    new_starts: list[int] = []
    cursor = new_len = 0
    for ed in ordered:
        keep = mapped.slice(cursor, ed.start)
        parts.append(keep)
        new_len += len(keep)
        old_starts.append(ed.start)
        old_ends.append(ed.end)
        new_starts.append(new_len)
        if ed.replacement:
            if len(ed.replacement) == ed.end - ed.start:
                repl = MappedText(ed.replacement, mapped.slice(ed.start, ed.end).segments)
            else:
                s0, s1 = mapped.source_span(ed.start, ed.end)
                repl = MappedText(ed.replacement, (Segment(0, len(ed.replacement), s0, s1 - s0),))
            parts.append(repl)
            new_len += len(repl)
        cursor = ed.end
    parts.append(mapped.slice(cursor, len(mapped.text)))

    def position(pos: int) -> int:
        idx = bisect_right(old_starts, pos) - 1
        if idx < 0:
            return pos
        if pos < old_ends[idx]:
            return new_starts[idx]
        return new_starts[idx] + len(ordered[idx].replacement) + (pos - old_ends[idx])

    return MappedText.join(parts), position


@st.composite
def pieced_text_and_edits(draw):
    """Text of several pieces (copies from anywhere in a source, synthetic runs), and edits."""
    source = "".join(draw(st.lists(st.sampled_from("ab ¹*\n"), min_size=40, max_size=40)))
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            a = draw(st.integers(0, 39))
            pieces.append(MappedText.from_source(source, a, draw(st.integers(a, 40))))
        else:
            pieces.append(MappedText.synthetic(draw(st.sampled_from([" ", "xy", "\n\n"])), draw(st.integers(0, 40))))
    mapped = MappedText.join(pieces)
    n = len(mapped.text)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=10)))
    edits = [
        Edit(a, b, draw(st.sampled_from(["", " ", "\n", "xyz", "q" * (b - a)])))
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
    ]
    return mapped, edits


@settings(max_examples=500, deadline=None)
@given(case=pieced_text_and_edits())
def test_one_pass_general_edit_equals_the_slice_and_join_reference(case):
    mapped, edits = case
    got, got_map = mapped._edit_pieces(edits)
    want, want_map = _reference_edit_pieces(mapped, edits)
    assert got == want
    assert [got_map(i) for i in range(len(mapped.text) + 1)] == [want_map(i) for i in range(len(mapped.text) + 1)]


def test_general_edit_by_hand():
    source = "0123456789"
    mapped = MappedText.join(
        [MappedText.from_source(source, 6, 9), MappedText.synthetic("--", 9), MappedText.from_source(source, 1, 3)]
    )
    assert mapped.text == "678--12"
    edited, position = mapped.edit([Edit(1, 2), Edit(3, 5, " "), Edit(6, 7, "Z")])
    assert edited.text == "68 1Z"
    # "6" and "8" are copies of 6 and 8; the space stands for the synthetic "--" (anchored at 9);
    # "1" is source 1; "Z" replaced "2" character for character: source 2
    assert [edited.to_source(i) for i in range(5)] == [6, 8, 9, 1, 2]
    assert position(2) == 1 and position(4) == 2 and position(7) == 5
