"""Text cleaning between blocks: site boilerplate at the end, and paragraphs that a
page break split mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .mapped import MappedText
from .model import LIST_ITEM, PARAGRAPH, PROSE_KINDS, Block, Ref

# Lines that sites append to articles.  A line is boilerplate when, ignoring
# case, surrounding white space and punctuation, it equals one of these; an
# entry starting with "re:" is a regular expression matched against the whole
# line.  Libraries extend the list in their settings file (see README).
DEFAULT_BOILERPLATE: tuple[str, ...] = (
    "User Comments Post a Comment",
    "Post a Comment",
    "Back to Top",
    "Leave a comment",
    "Leave a Reply",
    "Comments are closed",
    "Share this article",
    "Share this",
    "Print this article",
    "Subscribe to our newsletter",
    "Sign up for our newsletter",
    "Related articles",
    "Related posts",
    "Advertisement",
    r"re:^\d+\s+comments?$",
    r"re:^(?:©|\(c\)|copyright\b).{0,120}all rights reserved\.?$",
)


class BoilerplateMatcher:
    def __init__(self, entries: Iterable[str]) -> None:
        self._phrases: set[str] = set()
        self._patterns: list[re.Pattern[str]] = []
        for entry in entries:
            if entry.startswith("re:"):
                self._patterns.append(re.compile(entry[3:], re.IGNORECASE))
            else:
                self._phrases.add(_normalise(entry))

    def matches(self, line: str) -> bool:
        stripped = line.strip()
        if not stripped:
            return False
        if _normalise(stripped) in self._phrases:
            return True
        return any(p.search(stripped) for p in self._patterns)


def _normalise(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line).split()).casefold()


# ---------------------------------------------------------------- rejoin
_TERMINAL = set(".!?:;…")
_CLOSERS = set("\"'”’»)]*_")
_MIN_WORDS_BEFORE_JOIN = 6


def ends_mid_sentence(text: str) -> bool:
    """True when a paragraph stops where a sentence cannot end."""
    stripped = text.rstrip()
    if not stripped:
        return False
    last_word = stripped.split()[-1]
    if re.match(r"(?:https?://|www\.)", last_word):
        return False
    i = len(stripped) - 1
    while i >= 0 and stripped[i] in _CLOSERS:
        i -= 1
    if i < 0:
        return False
    return stripped[i] not in _TERMINAL


def should_join(prev: Block, nxt: Block) -> bool:
    """A prose block split mid-sentence by a blank line (a page break), continued by ``nxt``.

    The second half may start with a capital ("…relations with Moscow, Turkish" /
    "Cumhuriyet wrote…"), so the test is where the first half stops: a long
    prose block that ends without closing its sentence.  Headings, list items,
    title and byline lines never start a continuation.
    """
    if prev.kind not in PROSE_KINDS or nxt.kind != PARAGRAPH:
        return False
    if prev.kind != nxt.kind and prev.kind != LIST_ITEM:
        return False
    if len(prev.text.split()) < _MIN_WORDS_BEFORE_JOIN:
        return False
    if not ends_mid_sentence(prev.text):
        return False
    first = nxt.text.lstrip()[:1]
    return bool(first) and (first.isalnum() or first in "\"'“‘(")


def join_blocks(prev: Block, nxt: Block) -> Block:
    anchor = prev.content.source_span(0, len(prev.content))[1]
    space = MappedText.synthetic(" ", anchor)
    offset = len(prev.content) + 1
    content = MappedText.join((prev.content, space, nxt.content))
    refs = list(prev.refs) + [Ref(r.label, r.at + offset, r.source_offset, r.source_end, r.key) for r in nxt.refs]
    spans = list(prev.spans)
    for sp in nxt.spans:
        spans.append(type(sp)(sp.kind, sp.start + offset, sp.end + offset, sp.target))
    return Block(prev.kind, content, refs, spans, prev.marker, prev.level)


# A paragraph split by page breaks comes in at most this many pieces (two page breaks).
_MAX_PIECES = 3


def rejoin_split_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join the pieces of paragraphs that page breaks split, in one pass over the blocks.

    A run of pieces is joined only when its last piece ends its sentence: paragraphs that
    never end with a full stop (chat logs, notes, lists written as paragraphs) are not split
    paragraphs, and chaining them joined a whole document into one block, in quadratic time.
    For the same reason a document where most long paragraphs stop mid-sentence is left as
    it is: there, stopping mid-sentence is the writer's style, not a page break.
    """
    if _mostly_unfinished(blocks):
        return list(blocks)
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        run = [blocks[i]]
        while len(run) < _MAX_PIECES and i + len(run) < len(blocks) and should_join(run[-1], blocks[i + len(run)]):
            run.append(blocks[i + len(run)])
        while len(run) > 1 and ends_mid_sentence(run[-1].text):
            run.pop()
        joined = run[0]
        for piece in run[1:]:
            joined = join_blocks(joined, piece)
        out.append(joined)
        i += len(run)
    return out


def _mostly_unfinished(blocks: list[Block]) -> bool:
    long_paragraphs = [b for b in blocks if b.kind == PARAGRAPH and len(b.text.split()) >= _MIN_WORDS_BEFORE_JOIN]
    unfinished = sum(1 for b in long_paragraphs if ends_mid_sentence(b.text))
    return unfinished >= 4 and unfinished * 2 > len(long_paragraphs)
