"""Text cleaning between blocks: site boilerplate at the end, and paragraphs that a
page break split mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def rejoin_split_paragraphs(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if out and should_join(out[-1], block):
            out[-1] = join_blocks(out[-1], block)
        else:
            out.append(block)
    return out
