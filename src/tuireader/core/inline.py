"""Inline cleaning of one block: footnote markers out, emphasis debris out,
Markdown links reduced to their text, white space collapsed — with every
removed marker remembered at its position and every change traceable.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .footnotes import Marker, find_markers
from .mapped import Edit, MappedText, compose
from .model import InlineSpan
from .spans import SpanSet
from .visible import make_displayable as make_displayable  # re-exported: readers import it from here

_BACKTICK_RUN = re.compile(r"`+")
# Not "<", "[", "]" or superscript digits inside: a URL followed by "¹" or "[1]" keeps its marker,
# and "<http://<http://…" cannot send a scan to the end of the text from every "<".
_URL_PROTECT = re.compile(r"<(?:https?://|www\.)[^<>\s]+>|(?:https?://|www\.)[^\s<>\"”\[\]⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_IMAGE_OR_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\[\]\n]*(?:\[[^\[\]\n]*\][^\[\]\n]*)*)\]"
    r"\(\s*<?(?P<url>[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
_MARKER_CHARS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹\[]")
_SUP_TAG = re.compile(r"<sup", re.IGNORECASE)
# White-space runs other than a single plain space (the only ones that change): matching
# every gap between words made this the parser's hottest loop.
_WS_RUN = re.compile(
    r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}"
    r"|[\t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)
_INLINE_WS_RUN = re.compile(
    r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}"
    r"|[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)
# White space other than a plain space: without it (and without two spaces in a row) the
# patterns above and below cannot match, and a search for it alone is ~4x faster than
# theirs, which stop at every space.
_OTHER_SPACE = re.compile(r"[\t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_NO_SPANS = SpanSet()
_INTRAWORD_UNDERSCORE = re.compile(r"\w_+\w")
_PARA_BREAK = re.compile(r"[ \t\u00a0]*\r?\n(?:[ \t\u00a0]*\r?\n)+[ \t\u00a0]*")
_LINE_BREAK = re.compile(r"[ \t\u00a0]*\r?\n[ \t\u00a0]*")
_PARAGRAPH_WS = re.compile(
    rf"(?P<para>{_PARA_BREAK.pattern})|(?P<line>{_LINE_BREAK.pattern})|(?P<run>{_INLINE_WS_RUN.pattern})"
)


@dataclass(slots=True)
class CleanResult:
    content: MappedText
    markers: list[tuple[Marker, int]] = field(default_factory=list)  # marker, position in text
    spans: list[InlineSpan] = field(default_factory=list)


def code_spans(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, delimiter length)`` of each code span: a backtick run closed by the next
    run of the same length (CommonMark's rule). Runs are indexed by length, so text full of
    unmatched runs costs O(runs log runs), where a regex tried every run against the rest."""
    runs = [m.span() for m in _BACKTICK_RUN.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(i)
    spans: list[tuple[int, int, int]] = []
    i = 0
    while i < len(runs):
        a, b = runs[i]
        same = by_length[b - a]
        k = bisect_right(same, i)
        if k < len(same):
            j = same[k]
            spans.append((a, runs[j][1], b - a))
            i = j + 1
        else:
            i += 1
    return spans


def _emphasis_edits(
    text: str, token: str, blocked: SpanSet, *, drop_strays: bool
) -> tuple[list[Edit], list[tuple[int, int]]]:
    """Pair emphasis delimiters; return deletions and the (open_end, close_start) pairs.

    A delimiter opens when followed by a non-space and closes when preceded by
    one.  Pairs become emphasis; with ``drop_strays`` a delimiter that opens
    nothing (``Beijing.** Turkish``) is debris and is removed too.
    """
    pattern = re.compile(re.escape(token) + ("" if len(token) > 1 else r"(?!" + re.escape(token) + ")"))
    positions = []
    for m in pattern.finditer(text):
        s, e = m.start(), m.end()
        if len(token) == 1 and s > 0 and text[s - 1] == token:
            continue
        if blocked.overlaps(s, e):
            continue
        positions.append((s, e))
    edits: list[Edit] = []
    pairs: list[tuple[int, int]] = []
    open_at: tuple[int, int] | None = None
    strays: list[tuple[int, int]] = []
    for s, e in positions:
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        can_open = not after.isspace()
        can_close = not before.isspace()
        if open_at is not None and can_close:
            edits.append(Edit(*open_at))
            edits.append(Edit(s, e))
            pairs.append((open_at[1], s))
            open_at = None
        elif can_open:
            if open_at is not None:
                strays.append(open_at)
            open_at = (s, e)
        else:
            strays.append((s, e))
    if open_at is not None:
        strays.append(open_at)
    if drop_strays:
        edits.extend(Edit(s, e) for s, e in strays)
    return edits, pairs


def clean_inline(
    content: MappedText,
    *,
    markdown: bool,
    detect_markers: bool = True,
    keep_paragraphs: bool = False,
    defined: frozenset[str] | None = None,
    keep_lines: bool = False,
) -> CleanResult:
    """Clean one block. ``defined``: the note keys the document defines, when known; a
    bracketed number glued to a word (``ants[16]``) or of four digits and more is a marker
    only when it names one of them (see ``find_markers``). ``keep_lines``: line breaks stay
    (a poem, an address), as one "\n" each."""
    text = content.text
    if _plain(text, markdown=markdown, detect_markers=detect_markers):
        # nothing to take out or collapse (most notes): the ends trimmed, as below
        lead = len(text) - len(text.lstrip())
        return CleanResult(content.slice(lead, len(text.rstrip())))
    # Each scan runs only when its trigger characters occur: most blocks have none.
    has_code = "`" in text
    has_link = "](" in text
    has_url = "://" in text or "www." in text
    codes = code_spans(text) if has_code else []
    links = []
    if has_link:
        code_set = SpanSet((a, b) for a, b, _ in codes)
        links = [m for m in _IMAGE_OR_LINK.finditer(text) if not code_set.overlaps(m.start(), m.end())]
    link_syntax: list[tuple[int, int]] = []
    for m in links:
        link_syntax.append((m.start(), m.start("text")))
        link_syntax.append((m.end("text"), m.end()))
    ascii = text.isascii()  # then a scan for a character class is a few substring searches
    detect = detect_markers and (
        ("[" in text if ascii else _MARKER_CHARS.search(text)) or ("<" in text and _SUP_TAG.search(text))
    )
    emphasis = "*" in text or (markdown and "_" in text)
    protected: list[tuple[int, int]] = [(a, b) for a, b, _ in codes] + link_syntax
    code_or_link = SpanSet(protected) if has_url and protected else _NO_SPANS
    if has_url and (detect or emphasis):
        # what the URLs protect is only asked by the marker and emphasis scans
        protected += [m.span() for m in _URL_PROTECT.finditer(text) if not code_or_link.overlaps(m.start(), m.end())]

    edits: list[Edit] = []
    markers: list[Marker] = []
    if detect:
        markers = find_markers(text, protected, defined=defined)
        for mk in markers:
            edits.append(Edit(_space_before(text, mk.start, mk.end), mk.end))
    blocked = protected + [(mk.start, mk.end) for mk in markers]

    raw_spans: list[tuple[str, int, int, str]] = []
    for m in links:
        edits.append(Edit(m.start(), m.start("text")))
        edits.append(Edit(m.end("text"), m.end()))
        raw_spans.append(("link", m.start("text"), m.end("text"), m.group("url")))
    for a, b, delim in codes:
        if markdown:
            edits.append(Edit(a, a + delim))
            edits.append(Edit(b - delim, b))
        raw_spans.append(("code", a + delim, b - delim, ""))
    if has_url and "<" in text:
        for m in _ANGLE_URL.finditer(text):
            if not code_or_link.overlaps(m.start(), m.end()):
                edits.append(Edit(m.start(), m.start() + 1))
                edits.append(Edit(m.end() - 1, m.end()))

    for token, kind, strays in (
        ("**", "bold", True),
        ("__", "bold", False),
        ("*", "italic", False),
        ("_", "italic", False),
    ):
        if token not in text or (token.startswith("_") and not markdown):
            continue
        if token == "_":
            # intra-word underscores (snake_case) are not emphasis
            blocked_words = [m.span() for m in _INTRAWORD_UNDERSCORE.finditer(text)]
        else:
            blocked_words = []
        tok_edits, pairs = _emphasis_edits(text, token, SpanSet(blocked + blocked_words), drop_strays=strays)
        if tok_edits and edits:
            taken = SpanSet((e.start, e.end) for e in edits)
            tok_edits = [e for e in tok_edits if not taken.overlaps(e.start, e.end)]
        edits.extend(tok_edits)
        raw_spans.extend((kind, a, b, "") for a, b in pairs)

    cleaned, first_map = content.edit(_dedupe(edits))

    # White space: runs become one space; paragraph breaks survive in notes.
    ws_edits: list[Edit] = []
    ctext = cleaned.text
    if "  " not in ctext and not _has_other_space(ctext):
        pass  # nothing to collapse
    elif keep_lines:
        for m in _LINE_BREAK.finditer(ctext):
            ws_edits.append(Edit(m.start(), m.end(), "\n"))
        taken = SpanSet((e.start, e.end) for e in ws_edits)
        for m in _INLINE_WS_RUN.finditer(ctext):
            if not taken.overlaps(m.start(), m.end()):
                ws_edits.append(Edit(m.start(), m.end(), " "))
    elif keep_paragraphs:
        # one pass, the paragraph break tried first at each place: three passes with overlap
        # checks were a fifth of parsing a text article with twenty short notes
        for m in _PARAGRAPH_WS.finditer(ctext):
            ws_edits.append(Edit(m.start(), m.end(), "\n" if m.lastgroup == "para" else " "))
    else:
        ws_edits = [Edit(m.start(), m.end(), " ") for m in _WS_RUN.finditer(ctext)]
    collapsed, second_map = cleaned.edit(ws_edits)
    # Trim the ends.
    lead = len(collapsed.text) - len(collapsed.text.lstrip())
    trail = len(collapsed.text.rstrip())
    final = collapsed.slice(lead, trail)

    position = compose(first_map, second_map, lambda p: min(max(p - lead, 0), len(final)))
    result = CleanResult(final)
    for mk in markers:
        result.markers.append((mk, position(mk.start)))
    for kind, a, b, target in raw_spans:
        start, end = position(a), position(b)
        if end > start:
            result.spans.append(InlineSpan(kind, start, end, target))
    result.spans.sort(key=lambda s: s.start)
    return result


def _plain(text: str, *, markdown: bool, detect_markers: bool) -> bool:
    """ASCII text with nothing any step of ``clean_inline`` acts on: no code, link, marker,
    emphasis or angle-bracket character, no white space but single spaces."""
    return (
        text.isascii()
        and "`" not in text
        and "*" not in text
        and "<" not in text
        and "](" not in text
        and not (markdown and "_" in text)
        and not (detect_markers and "[" in text)
        and "  " not in text
        and not _has_other_space(text)
    )


def _has_other_space(text: str) -> bool:
    """``_OTHER_SPACE.search(text)``; for ASCII text five substring searches, several times faster."""
    if text.isascii():
        return "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text
    return _OTHER_SPACE.search(text) is not None


def _space_before(text: str, start: int, end: int) -> int:
    """Where a marker's removal starts: spaces or tabs just before it go with it, so that
    "July 2023 [1]." reads "July 2023¹." (the marker is drawn where the space was) — unless
    a word follows at once ("see [1]and"), which would then be glued to the one before."""
    if end < len(text) and text[end].isalnum():
        return start
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == 0 or text[i - 1] in "\r\n":
        return start  # at the start of a line: the indentation is not the marker's
    return i


def _dedupe(edits: list[Edit]) -> list[Edit]:
    """Sort edits and drop any that overlap an earlier one (first claim wins)."""
    out: list[Edit] = []
    for ed in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and ed.start < out[-1].end:
            continue
        out.append(ed)
    return out
