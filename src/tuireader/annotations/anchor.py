"""Placing an annotation in a document, and finding it again after the file changed.

The order Hypothesis and the W3C model suggest: the stored offsets while they still
show the quoted text; else the quote found again (exactly, then fuzzily); else the
annotation is orphaned (kept and listed, never dropped, tried again when the file
next changes).

**The bound.**  Every candidate place is scored the way diff-match-patch's ``match_main``
scores one (errors relative to the pattern's length plus distance from the expected
place over a match distance) with Hypothesis's ``match-quote`` refinement that the
stored prefix and suffix vouch for a candidate:

    score = errors / len(quote) + distance / MATCH_DISTANCE * (1 - context)

``errors`` are the edits between the quote and the candidate (0 for an exact match);
``distance`` is how far, in characters of the readable text, the candidate is from
where the old offsets point; ``context`` (0 to 1) is how much of the stored 32
characters before and after the quote are found again around the candidate (runs of
at least CONTEXT_RUN characters; unrelated text shares hardly any).  A candidate is
taken when ``errors / len(quote) <= MAX_ERRORS`` and ``score <= MATCH_THRESHOLD``;
the lowest score wins.  So a passage with a typo fixed is found where it is, even
after 50,000 characters were inserted above it (its context came along); a passage
deleted is not replaced by a weak look-alike 1,500 characters away (its context is
someone else's); a quote of fewer than SHORT_QUOTE characters is found fuzzily only
where its context agrees, and exactly only near its place or where its context
agrees (on three words "the same" means anything).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.model import Document
from .model import ANCHORED, CONTEXT, FUZZY, MOVED, ORPHANED, Annotation, TextQuote
from .text import DocText

MAX_ERRORS = 0.25  # edits per character of the quote: beyond a quarter it is another passage
MATCH_THRESHOLD = 0.3
MATCH_DISTANCE = 1000  # characters away that cost as much as 100% errors (diff-match-patch's default)
SHORT_QUOTE = 24
SHORT_CONTEXT = 0.5  # how much context a short quote's fuzzy match needs
CONTEXT_RUN = 4  # shared runs shorter than this are chance ("the ", "ing ")
MAX_EXACT = 200  # occurrences of an exact quote scored (the nearest); a short word can occur 10,000 times
MAX_FUZZY = 64  # candidate places aligned for a fuzzy match


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
        found = _fuzzy(text.text, annotation.quote, near)
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


def context_agreement(flat: str, a: int, b: int, quote: TextQuote) -> float:
    """How much of the stored prefix and suffix is found again around flat ``[a, b)``, 0 to 1.

    Runs shorter than CONTEXT_RUN characters do not count: two unrelated English phrases
    share many letters and short words, and that is no evidence.
    """
    stored = len(quote.prefix) + len(quote.suffix)
    if not stored:
        return 0.0
    agreed = _shared(quote.prefix, flat[max(0, a - len(quote.prefix)) : a])
    agreed += _shared(quote.suffix, flat[b : b + len(quote.suffix)])
    return agreed / stored


def _shared(stored: str, found: str) -> int:
    if not stored or not found:
        return 0
    blocks = difflib.SequenceMatcher(None, stored, found, autojunk=False).get_matching_blocks()
    return sum(m.size for m in blocks if m.size >= CONTEXT_RUN)


def score(errors: int, length: int, distance: int, context: float) -> float | None:
    """The candidate's score (lower is better), or None when it is out of bounds (module docstring)."""
    rate = errors / max(1, length)
    if rate > MAX_ERRORS:
        return None
    if errors and length < SHORT_QUOTE and context < SHORT_CONTEXT:
        return None
    value = rate + distance / MATCH_DISTANCE * (1.0 - context)
    return value if value <= MATCH_THRESHOLD else None


def _exact(flat: str, quote: TextQuote, near: int) -> tuple[int, int] | None:
    """The best occurrence of the exact quote: any for a long quote, a bounded one for a short quote."""
    n = len(quote.exact)
    found: list[int] = []
    i = flat.find(quote.exact)
    while i >= 0:
        found.append(i)
        i = flat.find(quote.exact, i + 1)
    found = sorted(found, key=lambda i: abs(i - near))[:MAX_EXACT]
    best: tuple[float, int, int] | None = None  # (score, distance, start)
    for i in found:
        context = context_agreement(flat, i, i + n, quote)
        distance = abs(i - near)
        if n < SHORT_QUOTE:
            value = score(0, n, distance, context)
            if value is None:
                continue
        else:  # long words found exactly are the passage wherever they are: context only chooses
            value = -context
        key = (value, distance, i)
        if best is None or key < best:
            best = key
    return (best[2], best[2] + n) if best else None


def _fuzzy(flat: str, quote: TextQuote, near: int) -> tuple[int, int] | None:
    """The passage most like the quote within the bound, or None.

    Candidate places come from runs the quote shares with the text (halves, quarters,
    12-character pieces of it), and from where its stored prefix ends or its suffix
    begins (a short quote's words may all have changed, its context not); an
    alignment in a window of the quote's length (with slack for inserted words)
    gives each candidate's ends and its errors.
    """
    exact = quote.exact
    n = len(exact)
    if not flat or n < 2:
        return None
    slack = max(8, n // 4)
    origins: list[int] = []
    for size in (n // 2, n // 4, 12):
        if size < 8:
            continue
        for seed in range(0, max(1, n - size + 1), size):
            piece = exact[seed : seed + size]
            if len(piece) < 8:
                continue
            i = flat.find(piece)
            while i >= 0 and len(origins) < 4 * MAX_FUZZY:
                origins.append(i - seed)
                i = flat.find(piece, i + 1)
    tail, head = quote.prefix[-16:], quote.suffix[:16]
    if len(tail) >= 8:
        i = flat.find(tail)
        while i >= 0 and len(origins) < 5 * MAX_FUZZY:
            origins.append(i + len(tail))
            i = flat.find(tail, i + 1)
    if len(head) >= 8:
        i = flat.find(head)
        while i >= 0 and len(origins) < 6 * MAX_FUZZY:
            origins.append(i - n)
            i = flat.find(head, i + 1)
    # the nearest first: a common piece can occur far more often than can be aligned
    tried = sorted(set(origins), key=lambda o: abs(o - near))[:MAX_FUZZY]
    best: tuple[float, int, int, int] | None = None  # (score, distance, a, b)
    for origin in tried:
        aligned = _align(flat, exact, origin, slack)
        if aligned is None:
            continue
        errors, a, b = aligned
        distance = abs(a - near)
        value = score(errors, n, distance, context_agreement(flat, a, b, quote))
        if value is None:
            continue
        key = (value, distance, a, b)
        if best is None or key < best:
            best = key
    return (best[2], best[3]) if best else None


def _align(flat: str, exact: str, origin: int, slack: int) -> tuple[int, int, int] | None:
    """(errors, a, b): the passage of flat text around ``origin`` aligned with ``exact``."""
    lo = max(0, origin - slack)
    window = flat[lo : max(lo, origin + len(exact) + slack)]
    if not window:
        return None
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
    # quote characters before the first run and after the last were replaced ("Grain" by
    # "grain"): the passage takes as many of the text's characters there
    a -= min(blocks[first].a, blocks[first].b)
    b += min(len(exact) - (blocks[last].a + blocks[last].size), len(window) - (b - lo))
    matched = sum(m.size for m in blocks[first : last + 1])
    # each quote character not matched was replaced or deleted, each extra passage character inserted
    return max(len(exact), b - a) - matched, a, b


def _near(left: difflib.Match, right: difflib.Match) -> bool:
    quote_gap = right.a - (left.a + left.size)
    text_gap = right.b - (left.b + left.size)
    return text_gap <= 2 * quote_gap + 8 and quote_gap <= 2 * text_gap + 8
