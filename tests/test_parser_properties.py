"""Random text and marker soup: the parser never raises and keeps its invariants."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tuireader.core.parse import parse_text
from tuireader.core.visible import make_displayable

PIECES = [
    "¹",
    "²³",
    "⁰",
    "[1]",
    "[^a]",
    "[^a]: ",
    ".. [1] ",
    "[1]_",
    "[sic]",
    "[2021]",
    "a[0]",
    "[1](#x)",
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "~~~\n",
    "    ",
    "\n",
    "\n\n",
    "\r\n",
    "- ",
    "1. ",
    "# ",
    "> ",
    "|",
    "<sup>3</sup>",
    "<https://x.org/a>",
    "https://y.org/b.",
    "by Jane Doe on 5 May 2020",
    "Notes\n",
    "December 28, 2021 – January 18, 2022",
    "---\n",
    "title: x\n",
    "\x1b[31m",
    "\u00a0",
    "x²",
    "H₂O",
    "Contributors: A B",
    "Back to Top",
    "word",
    "Word",
    ".",
    ",",
    " ",
    "“",
    "”",
    # issue #14 conventions: e-texts, PDF extractions, named labels, grouped citations
    "[Footnote 1: ",
    "[Footnote A: ",
    "]",
    "[A]",
    "[*]",
    "[note 1]",
    "ants[16]",
    "[16] ",
    "[2, 3]",
    "[3-5]",
    "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n",
    "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n",
    "Title: X\n",
    "Transcriber's Note: ",
    "democ-\n",
    "racy",
    "Turkey-\n",
    "— 12 —\n",
    "Page 3 of 9\n",
    "Intro ..... 3\n",
    "a    b\n",
    "References[edit]\n",
    "a. ^ ",
    "- **URL**: https://z.org\n",
]

soup = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=soup, markdown=st.booleans())
def test_parser_never_raises_and_spans_stay_in_the_file(text, markdown):
    doc = parse_text(text, path=Path("x.md" if markdown else "x.txt"), fmt="markdown" if markdown else "text")
    source = make_displayable(text)
    for block in doc.blocks:
        if block.kind == "code":
            # blank lines opening a fenced block are its text (CommonMark example 127: "```\n\n¹")
            assert block.text.rstrip("\r\n") == block.text and block.text.strip()
        elif block.kind == "table":
            assert block.text.strip("\r\n") == block.text and block.text.strip()
        else:
            assert block.text == block.text.strip() and block.text
        assert 0 <= block.source_start <= block.source_end <= len(source)
        for ref in block.refs:
            assert 0 <= ref.at <= len(block.text)
            assert 0 <= ref.source_offset < ref.source_end <= len(source)
        for i, ch in enumerate(block.text):
            if ch != " " and block.kind not in ("code", "table"):
                mapped = block.content.to_source(i)
                assert 0 <= mapped < len(source)
                if ch.isalnum():  # a letter shown is the letter at its offset (rejoined words too)
                    assert source[mapped] == ch
    for note in doc.footnotes:
        for i, ch in enumerate(note.content.text):
            if ch.isalnum():
                assert source[note.content.to_source(i)] == ch
        for bi, at in note.cited_at:
            assert 0 <= bi < len(doc.blocks) and 0 <= at <= len(doc.blocks[bi].text)
        for link in note.links:
            assert source[link.source_start : link.source_end] == link.url or link.url.startswith("http://www.")
    assert "\x1b" not in "".join(b.text for b in doc.blocks)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_parser_never_raises_on_arbitrary_unicode(text):
    parse_text(text, path=Path("x.txt"), fmt="text")


# The patterns as first written, with the look-behind in front: the faster forms must match alike.
_OLD_BRACKET = r"(?<![\w\]\[!^\\])\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\](?![(\[:_\w])"
# (superscript digits end a URL since issue #18: "https://x.org/a¹" is a link and note 1)
_OLD_BARE_URL = r"(?<![\w/@])(?:https?://|www\.)[^\s<>\"“”‘’'`\[\]{}|\\^⁰¹²³⁴⁵⁶⁷⁸⁹]+"
URL_PIECES = [
    "[",
    "]",
    "[1]",
    "[1, 2]",
    "[3–5]",
    "a",
    "!",
    "^",
    "\\",
    "(",
    ":",
    "_",
    " ",
    "1",
    "12",
    "1234",
    "http://",
    "https://",
    "www.",
    "x.org",
    "/",
    "@",
    "hhttp://",
    "wwww.",
    "\n",
    "é",
    "¹",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(URL_PIECES), st.text(max_size=3)), max_size=30).map("".join))
@example("/http://x.org a@www.y.org (https://z.org) xhttp://w.org")
@example("a[1] ![2] ^[3] \\[4] ][5] [[6] [7] [8](x) [9]: [1, 2]_")
def test_marker_and_url_patterns_match_as_with_the_look_behind_in_front(text):
    import re

    from tuireader.core import footnotes

    for new, old in ((footnotes._BRACKET, _OLD_BRACKET), (footnotes._BARE_URL, _OLD_BARE_URL)):
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in re.compile(old).finditer(text)]
