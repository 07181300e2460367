"""Issue #18, item 3: inputs that made parsing super-linear, at a modest size.

Each test asserts the structure that comes out (what a quadratic rewrite could get wrong
too); speed itself is measured in benchmarks/bench_parse.py (--pathological), which
doubles the size and prints the ratio.  The sizes here took the old code from 17 s to
over a minute each, so every test also runs under a hang guard: a guard against hanging
the suite, far above what they take now (under 0.2 s each), not a timing assertion.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tuireader.core.parse import parse_text

HANG_GUARD_SECONDS = 30


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    def stop(signum, frame):  # noqa: ARG001
        raise TimeoutError(f"parsing did not finish in {HANG_GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parse(text: str, fmt: str = "text"):
    return parse_text(text, path=Path("doc.md" if fmt == "markdown" else "doc.txt"), fmt=fmt)


def all_refs(doc) -> list[str]:
    return [r.key for b in doc.blocks for r in b.refs]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_caret_bracket_repeated_is_kept_as_text(fmt):
    text = "Intro line.\n\n" + "[^" * 50_000 + "\n"
    doc = parse(text, fmt)
    assert doc.blocks[-1].text == "[^" * 50_000
    assert doc.footnotes == []


@pytest.mark.parametrize("marker", ["¹", "[1]"])
def test_url_followed_by_a_marker_keeps_both(marker):
    sentence = f"See https://example.org/report/page{marker} for details."
    doc = parse("Title\n\n" + " ".join([sentence] * 2_000) + "\n\nNotes\n\n[1] The report.\n")
    (block,) = doc.blocks
    assert all_refs(doc) == ["1"] * 2_000
    assert block.text.startswith("See https://example.org/report/page for details. See ")
    assert doc.footnote("1").cited_at[-1] == (0, block.refs[-1].at)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_backtick_runs_of_growing_length_stay_literal(fmt):
    runs = "".join("`" * k + " x " for k in range(2, 400))  # no two runs of one length
    doc = parse("Title\n\n" + runs + "and `real code` here.\n", fmt)
    (block,) = doc.blocks
    assert [block.text[s.start : s.end] for s in block.spans if s.kind == "code"] == ["real code"]
    shown = "and real code here." if fmt == "markdown" else "and `real code` here."
    assert block.text == runs.rstrip() + " " + shown


def test_code_span_closes_only_on_a_run_of_the_same_length():
    doc = parse("Title\n\nUse ``a ` b`` and `c`, not ``` d.\n", "markdown")
    (block,) = doc.blocks
    assert [block.text[s.start : s.end] for s in block.spans if s.kind == "code"] == ["a ` b", "c"]
    assert block.text == "Use a ` b and c, not ``` d."


def test_snake_case_words_in_markdown_are_not_emphasis():
    doc = parse("Title\n\n" + "a_b " * 20_000 + "end.\n", "markdown")
    (block,) = doc.blocks
    assert block.text == "a_b " * 20_000 + "end."
    assert [s for s in block.spans if s.kind == "italic"] == []


def test_mixed_emphasis_repeated():
    doc = parse("Title\n\n" + "*a* **b** _c_ __d__ " * 5_000 + "end.\n", "markdown")
    (block,) = doc.blocks
    assert block.text == "a b c d " * 5_000 + "end."
    kinds = [s.kind for s in block.spans]
    assert kinds.count("italic") == 10_000 and kinds.count("bold") == 10_000


def test_one_note_with_many_urls_keeps_them_all_in_order():
    # (a structure test only: the old pairwise check took ~6 s here, under the hang guard)
    urls = [f"https://example.org/doc/{i}" for i in range(5_000)]
    doc = parse("Title\n\nA claim.[1]\n\nNotes\n\n[1] Sources: " + " ".join(urls) + "\n")
    assert doc.footnote("1").urls == urls


def test_paragraphs_without_a_full_stop_stay_apart():
    paragraphs = [f"paragraph number {i} written without a stop" for i in range(3_000)]
    doc = parse("Title\n\n" + "\n\n".join(paragraphs) + "\n")
    assert [b.text for b in doc.blocks] == paragraphs


def test_a_split_paragraph_is_still_rejoined_among_finished_ones():
    doc = parse(
        "Title\n\nThe first paragraph ends as paragraphs do.\n\n"
        "The second one was cut by a page break in the middle of\n\n"
        "its sentence, and it goes on here.\n\nThe last paragraph ends too.\n"
    )
    assert [b.text for b in doc.blocks] == [
        "The first paragraph ends as paragraphs do.",
        "The second one was cut by a page break in the middle of its sentence, and it goes on here.",
        "The last paragraph ends too.",
    ]


def test_a_run_that_never_finishes_its_sentence_is_not_joined():
    # three pieces at most, and the last must end the sentence
    doc = parse(
        "Title\n\nA finished paragraph, as most of them are.\n\n"
        "Another finished paragraph with a stop at the end.\n\n"
        "This long heading-like line has no stop at all\n\n"
        "and this one neither has any kind of stop\n\n## Next\n\nDone here.\n"
    )
    texts = [b.text for b in doc.blocks]
    assert "This long heading-like line has no stop at all" in texts
    assert "and this one neither has any kind of stop" in texts


def test_thousands_of_numbered_notes_all_link():
    n = 3_000
    body = " ".join(f"Claim {i}.[{i}]" for i in range(1, n + 1))
    notes = "\n".join(f"[{i}] Source number {i}." for i in range(1, n + 1))
    doc = parse("Title\n\n" + body + "\n\nNotes\n\n" + notes + "\n")
    assert all_refs(doc) == [str(i) for i in range(1, n + 1)]
    assert [f.key for f in doc.footnotes] == [str(i) for i in range(1, n + 1)]
    assert doc.footnote("2500").text == "Source number 2500."
    assert [w.code for w in doc.warnings] == []
