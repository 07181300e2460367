"""Placing an annotation in a document, and finding it again after the file changed.

The order Hypothesis and the W3C model suggest: the stored offsets while they still
show the quoted text; else the exact quote (the occurrence whose prefix and suffix
agree best, then the one nearest the old place); else a fuzzy match within a bound;
else the annotation is orphaned (kept and listed, never dropped).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.model import Document
from .model import ANCHORED, CONTEXT, FUZZY, MOVED, ORPHANED, Annotation, TextQuote
from .text import DocText

# A fuzzy match must be this similar (difflib ratio) to the quote near its old place, more
# similar still far from it, and the quote this long: on a few words "similar" means anything.
# (Measured: "about the developments in Kazakhstan on January" is 0.83 like "Rapid developments
# in Kazakhstan in January 2022", 16,000 characters away: a different passage.)
FUZZY_RATIO = 0.85
FUZZY_RATIO_FAR = 0.93
NEAR = 2000  # characters of the flat text
FUZZY_MIN_LENGTH = 24


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes, or "" when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return "sha256:" + digest.hexdigest()


def quote_at(text: DocText, a: int, b: int) -> TextQuote:
    flat = text.text
    return TextQuote(flat[a:b], flat[max(0, a - CONTEXT) : a], flat[b : b + CONTEXT])


def selection(doc: Document, start: int, end: int, text: DocText | None = None) -> tuple[int, int, TextQuote] | None:
    """Source ``[start, end)`` trimmed to the readable text it shows, with its quote; None if it shows none."""
    text = text or DocText(doc)
    found = text.flat_range(start, end)
    if found is None:
        return None
    a, b = found
    while a < b and text.text[a].isspace():
        a += 1
    while b > a and text.text[b - 1].isspace():
        b -= 1
    if a >= b:
        return None
    s0, s1 = text.source_range(a, b)
    return s0, s1, quote_at(text, a, b)


@dataclass(frozen=True, slots=True)
class Placement:
    status: str
    start: int  # source offsets (the old ones when orphaned)
    end: int
    flat: tuple[int, int] | None  # where in the DocText; None when orphaned


def anchor(annotation: Annotation, text: DocText, current_hash: str) -> Placement:
    exact = annotation.quote.exact
    old = text.flat_range(annotation.start, annotation.end)
    if old is not None and text.text[old[0] : old[1]] == exact:
        return Placement(ANCHORED, annotation.start, annotation.end, old)
    if not exact:
        return Placement(ORPHANED, annotation.start, annotation.end, None)
    near = old[0] if old is not None else _proportional(annotation, text)
    found = _exact(text.text, annotation.quote, near)
    status = MOVED
    if found is None:
        found = _fuzzy(text.text, exact, near)
        status = FUZZY
    if found is None:
        return Placement(ORPHANED, annotation.start, annotation.end, None)
    s0, s1 = text.source_range(*found)
    return Placement(status, s0, s1, found)


def _proportional(annotation: Annotation, text: DocText) -> int:
    """A guess at where the old place is when the old offsets fall outside the text."""
    if not text.pieces:
        return 0
    last = text.pieces[-1].content
    total = max(1, last.source_span(0, len(last))[1])
    return int(len(text.text) * min(1.0, annotation.start / total))


def _context_score(flat: str, a: int, b: int, quote: TextQuote) -> int:
    """How many characters of the stored prefix (from its end) and suffix (from its start) agree."""
    score = 0
    before = flat[max(0, a - len(quote.prefix)) : a]
    for x, y in zip(reversed(before), reversed(quote.prefix), strict=False):
        if x != y:
            break
        score += 1
    for x, y in zip(flat[b : b + len(quote.suffix)], quote.suffix, strict=False):
        if x != y:
            break
        score += 1
    return score


def _exact(flat: str, quote: TextQuote, near: int) -> tuple[int, int] | None:
    best: tuple[int, int, int] | None = None  # (-context, distance, start)
    i = flat.find(quote.exact)
    while i >= 0:
        key = (-_context_score(flat, i, i + len(quote.exact), quote), abs(i - near), i)
        if best is None or key < best:
            best = key
        i = flat.find(quote.exact, i + 1)
    return (best[2], best[2] + len(quote.exact)) if best else None


def _fuzzy(flat: str, exact: str, near: int) -> tuple[int, int] | None:
    """The passage most like ``exact``, if it is at least FUZZY_RATIO alike.

    The longest run the quote shares with the text places a window of the quote's
    length (with some slack for inserted words); the alignment inside that window
    gives the passage's ends.  Runs are tried longest first, a few of them.
    """
    if len(exact) < FUZZY_MIN_LENGTH or not flat:
        return None
    slack = max(8, len(exact) // 4)
    tried: set[int] = set()
    best: tuple[float, int, int, int] | None = None  # (-ratio, distance, a, b)
    for size in (len(exact) // 2, len(exact) // 4, 12):
        for seed in range(0, max(1, len(exact) - size + 1), max(1, size)):
            piece = exact[seed : seed + size]
            if len(piece) < 8:
                continue
            i = flat.find(piece)
            while i >= 0 and len(tried) < 64:
                origin = i - seed
                if origin not in tried:
                    tried.add(origin)
                    found = _align(flat, exact, origin, slack)
                    if found is not None:
                        ratio, a, b = found
                        key = (-ratio, abs(a - near), a, b)
                        if best is None or key < best:
                            best = key
                i = flat.find(piece, i + 1)
        if best is not None and -best[0] >= 0.95:
            break
    if best is None:
        return None
    ratio, distance = -best[0], best[1]
    if ratio < (FUZZY_RATIO if distance <= max(NEAR, len(flat) // 10) else FUZZY_RATIO_FAR):
        return None
    return best[2], best[3]


def _align(flat: str, exact: str, origin: int, slack: int) -> tuple[float, int, int] | None:
    lo = max(0, origin - slack)
    window = flat[lo : origin + len(exact) + slack]
    matcher = difflib.SequenceMatcher(None, exact, window, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    if not blocks:
        return None
    # The passage grows from the longest shared run to its neighbours while the gaps agree
    # (a replaced word leaves a gap of about the same size on both sides); a stray letter
    # matched in the text around the passage is too far off to join.
    core = max(range(len(blocks)), key=lambda k: blocks[k].size)
    first = last = core
    while first > 0 and _near(blocks[first - 1], blocks[first]):
        first -= 1
    while last + 1 < len(blocks) and _near(blocks[last], blocks[last + 1]):
        last += 1
    a, b = lo + blocks[first].b, lo + blocks[last].b + blocks[last].size
    matched = sum(m.size for m in blocks[first : last + 1])
    return 2 * matched / (len(exact) + (b - a)), a, b


def _near(left: difflib.Match, right: difflib.Match) -> bool:
    quote_gap = right.a - (left.a + left.size)
    text_gap = right.b - (left.b + left.size)
    return text_gap <= 2 * quote_gap + 8 and quote_gap <= 2 * text_gap + 8
