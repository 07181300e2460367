"""Text cleaning between blocks: site boilerplate at the end, and paragraphs that a
page break split mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from typing import Any

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
    """Boilerplate lines by phrase or by "re:" pattern.

    Patterns come from a settings file that may sit in a shared library folder, so
    they run on RE2, whose matching time is linear in the line: ``(a+)+$`` cannot
    stall a parse (with Python's engine 28 characters took 47 s).  RE2 has no
    back-references or look-arounds, and its ``\\w`` and ``\\b`` are ASCII; a pattern
    it cannot compile is left out with a message in ``problems``.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self._phrases: set[str] = set()
        self._patterns: list[Any] = []
        self.problems: list[str] = []
        for entry in entries:
            if entry.startswith("re:"):
                try:
                    self._patterns.append(_linear_pattern(entry[3:]))
                except ValueError as exc:
                    self.problems.append(f"boilerplate pattern {entry!r}: {exc}; ignored")
            else:
                self._phrases.add(_normalise(entry))

    def matches(self, line: str) -> bool:
        stripped = line.strip()
        if not stripped:
            return False
        if _normalise(stripped) in self._phrases:
            return True
        return any(p.search(stripped) for p in self._patterns)


def _linear_pattern(pattern: str) -> Any:
    import re2  # google-re2: only where a library has patterns

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # it would write to the terminal under the reader
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(reason) from None


def _normalise(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line).split()).casefold()


# ------------------------------------------------------------- hyphens
# A word broken at a line end ("democ-" / "racy"), between letters.
LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_])")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Prefixes that keep their hyphen ("self-evident", "anti-corruption", "well-known").
_HYPHEN_PREFIXES = frozenset(
    "self well non ex anti pro co cross half quasi all semi multi inter intra counter neo pan post pre".split()
)


def document_words(text: str) -> frozenset[str]:
    """Every word of the text, lowercased, hyphenated compounds whole: the vocabulary that
    decides whether a word broken at a line end had a hyphen of its own."""
    words: set[str] = set()
    for m in _WORD.finditer(text):  # not findall: a list of every word of a 50 MB file
        words.add(m.group().lower())
    return frozenset(words)


class DocumentWords(Container[str]):
    """``document_words`` of a text, collected on the first question: most documents have no
    word broken at a line end in their prose, and need not pay a pass over the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = document_words(self._text)
        return word in self._words


def _word_before(text: str, end: int) -> str:
    i = end
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return text[i:end]


def _word_after(text: str, start: int) -> str:
    i = start
    while i < len(text) and text[i].isalpha():
        i += 1
    return text[start:i]


def keeps_hyphen(left: str, right: str, vocabulary: Container[str] = frozenset()) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line are a hyphenated
    compound ("Turkey-led") rather than one word broken in two ("democ-racy").

    The document's own words decide first (the joined word, or the compound, written
    elsewhere in it); then a capital on either side or a prefix that takes a hyphen keeps it.
    """
    joined, compound = (left + right).lower(), f"{left}-{right}".lower()
    if joined in vocabulary and compound not in vocabulary:
        return False
    if compound in vocabulary and joined not in vocabulary:
        return True
    if left[:1].isupper() and len(left) > 1 and not left.isupper() or right[:1].isupper():
        return True
    return left.lower() in _HYPHEN_PREFIXES


def line_end_hyphen_edits(text: str, vocabulary: Container[str]) -> list[tuple[int, int]]:
    """``(start, end)`` to delete for each word broken at a line end in ``text``: the hyphen
    and the line break of a broken word, only the line break of a compound."""
    cuts = []
    for m in LINE_END_HYPHEN.finditer(text):
        left, right = _word_before(text, m.start()), _word_after(text, m.end())
        cuts.append((m.start() + 1 if keeps_hyphen(left, right, vocabulary) else m.start(), m.end()))
    return cuts


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
    if "\n" in prev.text or "\n" in nxt.text:
        return False  # lines kept as laid out (a poem, an index) are not prose split by a page
    if len(prev.text.split()) < _MIN_WORDS_BEFORE_JOIN:
        return False
    if not ends_mid_sentence(prev.text):
        return False
    first = nxt.text.lstrip()[:1]
    return bool(first) and (first.isalnum() or first in "\"'“‘(")


def join_blocks(prev: Block, nxt: Block, vocabulary: Container[str] | None = None) -> Block:
    """``prev`` and ``nxt`` as one block, joined by a space; given the document's
    ``vocabulary``, a word broken over the page break ("democ-" / "racy…") is one word again."""
    anchor = prev.content.source_span(0, len(prev.content))[1]
    head, joint = prev.content, MappedText.synthetic(" ", anchor)
    if vocabulary is not None and len(prev.text) > 1 and prev.text[-1] == "-" and prev.text[-2].isalpha():
        left, right = _word_before(prev.text, len(prev.text) - 1), _word_after(nxt.text, 0)
        if left and right:
            joint = MappedText("", ())
            if not keeps_hyphen(left, right, vocabulary):
                head = prev.content.slice(0, len(prev.content) - 1)
    offset = len(head) + len(joint)
    content = MappedText.join((head, joint, nxt.content))
    refs = [Ref(r.label, min(r.at, len(head)), r.source_offset, r.source_end, r.key) for r in prev.refs]
    refs += [Ref(r.label, r.at + offset, r.source_offset, r.source_end, r.key) for r in nxt.refs]
    spans = list(prev.spans)
    for sp in nxt.spans:
        spans.append(type(sp)(sp.kind, sp.start + offset, sp.end + offset, sp.target))
    return Block(prev.kind, content, refs, spans, prev.marker, prev.level)


# A paragraph split by page breaks comes in at most this many pieces (two page breaks).
_MAX_PIECES = 3


def rejoin_split_paragraphs(blocks: list[Block], vocabulary: Container[str] | None = None) -> list[Block]:
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
            joined = join_blocks(joined, piece, vocabulary)
        out.append(joined)
        i += len(run)
    return out


def _mostly_unfinished(blocks: list[Block]) -> bool:
    long_paragraphs = [b for b in blocks if b.kind == PARAGRAPH and len(b.text.split()) >= _MIN_WORDS_BEFORE_JOIN]
    unfinished = sum(1 for b in long_paragraphs if ends_mid_sentence(b.text))
    return unfinished >= 4 and unfinished * 2 > len(long_paragraphs)
