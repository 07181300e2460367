"""Offsets of Markdown documents: every character of every block, table cell and note maps to
the file characters it came from, modulo the documented transformations (README, Offsets):
white space shown as one space, entities decoded, pandoc super/subscripts, tabs in code,
and text of our own (separators, ``[image: …]``, task boxes) anchored where it stands."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tuireader.core.footnotes import superscript_to_ascii
from tuireader.core.inline import make_displayable
from tuireader.core.parse import parse_text

PIECES = [
    "# ",
    "## ",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "```\n",
    "~~~\n",
    "*",
    "**",
    "_",
    "`",
    "\\",
    "\\*",
    "&amp;",
    "&#42;",
    "&copy;",
    "<b>",
    "</b>",
    "<sup>1</sup>",
    "<!-- c -->",
    "<div>\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "[x][r]",
    "\n[r]: /url\n",
    "[1]",
    "\n[1]: https://x.org/1\n",
    "[^a]",
    "\n[^a]: note\n",
    "![img](p.png)",
    "<https://x.org/a>",
    "^[inline]",
    "2^10^",
    "H~2~O",
    "~~del~~",
    "\n{: .c}\n",
    "Term\n: def\n",
    "¹",
    "\n¹ Note text.\n",
    "Notes\n",
    "---\n",
    "title: x\n",
    "é",
    "日本",
    "🙂",
    "\u00a0",
    "word",
    "Word",
    ".",
    " ",
]

soup = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=50).map("".join)

_WHITE = " \t\r\n\f\v\u00a0"
# What a piece of text of ours may stand for when it is not a character-for-character copy.
_TRANSFORMED = re.compile(
    r"(?:[\s\u00a0]|<[^>]*>|\\(?=\n))*"  # white space shown as one space (soft and hard breaks, a
    # backslash break's backslash among them), raw tags dropped
    r"|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # an entity
    r"|[\^~][^\s]+[\^~]"  # pandoc super/subscript
    r"|\\?[\s\S]",  # one character rewritten (a tab in code, a backslash break)
)


def check_mapped(content, source: str, markers: list[tuple[int, int]] = ()) -> None:
    """``markers``: the source ranges of note markers taken out of this text (a white-space
    run that closed over one stands for it too)."""
    text = content.text
    for seg in content.segments:
        assert 0 <= seg.s <= seg.s + seg.slen <= len(source)
        piece = text[seg.t : seg.t + seg.tlen]
        original = "".join(source[i] for i in range(seg.s, seg.s + seg.slen) if not any(a <= i < b for a, b in markers))
        if seg.tlen == seg.slen and len(original) == seg.slen:
            for a, b in zip(piece, original, strict=True):
                assert a == b or (a == " " and b in _WHITE) or (a in "\t " and b in "\t "), (piece, original)
        elif seg.slen:
            assert _TRANSFORMED.fullmatch(original) or "\t" in original or "\r" in original, (piece, original)


def check_document(text: str) -> None:
    doc = parse_text(text, path=Path("x.md"), fmt="markdown")
    source = make_displayable(text)
    for block in doc.blocks:
        check_mapped(block.content, source, [(r.source_offset, r.source_end) for r in block.refs])
        for row in block.rows:
            for a, b in row:
                s0, s1 = block.source_span(a, b) if b > a else (0, 0)
                assert 0 <= s0 <= s1 <= len(source)
        for sp in block.spans:
            assert 0 <= sp.start <= sp.end <= len(block.text)
        for ref in block.refs:
            marker = source[ref.source_offset : ref.source_end]
            assert 0 <= ref.at <= len(block.text)
            if ref.key.startswith("^inline-"):
                assert marker.startswith("^[") and marker.endswith("]")
            else:
                assert ref.label in superscript_to_ascii(marker), (ref, marker)
    for note in doc.footnotes:
        check_mapped(note.content, source)
        for nb in note.blocks:
            check_mapped(nb.content, source)
        for link in note.links:
            assert source[link.source_start : link.source_end] in (link.url, link.url.removeprefix("http://"))
        for bi, at in note.cited_at:
            assert 0 <= bi < len(doc.blocks) and 0 <= at <= len(doc.blocks[bi].text)


DOCUMENTS = [
    "# Título *em*\n\nPara [link][r] and ![alt](i.png) text[^1] \\* &amp; <b>bold</b> 2^10^ H~2~O.\n"
    "<!-- c -->\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n> - item\n\n[^1]: Note *x*.\n\n    more\n\n"
    "Term\n: def\n\n[r]: http://x.org\n",
    "Title\r\n\r\nA claim.¹ More^[inline *n*].\r\n\r\n¹ https://example.org/one\r\n",
    "- a\n\n      code\n\n  > q\n\n1. x\n2. y\n\n## Notes\n\n1. One https://x.org/1.\n",
    "日本語の文。[^a]\n\n[^a]: 注 https://例え.jp/x\n\n🙂 café\ttab\n\n```\n\tcode\ttab\n```\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=soup)
@example(text=DOCUMENTS[0])
@example(text=DOCUMENTS[1])
@example(text=DOCUMENTS[2])
@example(text=DOCUMENTS[3])
@example(text="**\n\n**\n¹ Note text.\n")  # a marker taken out of a line break
@example(text="\n[^a]: note\n<b>\n[r]: /url\n")  # a tag between two line breaks
@example(text="x[^a]\n\n[^a]: note **\n¹ Note text.\n")  # what looks like a marker, in a note
@example(text="²`# `# ")  # code in an entry of a notes list
@example(text="\n[^a]: note\n*# <sup>1</sup><div>\n**")  # <sup>1</sup> in a note stays text
@example(text="# # <div>\n# # ^[inline]")  # an inline note ending a heading
@example(text="Notes\n\\\n¹ Note text.\n")  # a backslash break between two line breaks
def test_every_character_maps_to_its_source(text):
    check_document(text)
