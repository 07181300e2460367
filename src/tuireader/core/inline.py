"""Inline cleaning of one block: footnote markers out, emphasis debris out,
Markdown links reduced to their text, white space collapsed — with every
removed marker remembered at its position and every change traceable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .footnotes import Marker, find_markers
from .mapped import Edit, MappedText, compose
from .model import InlineSpan
from .visible import make_displayable as make_displayable  # re-exported: readers import it from here

_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_URL_PROTECT = re.compile(r"<(?:https?://|www\.)[^>\s]+>|(?:https?://|www\.)[^\s<>\"”]+")
_IMAGE_OR_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\[\]\n]*(?:\[[^\[\]\n]*\][^\[\]\n]*)*)\]"
    r"\(\s*<?(?P<url>[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
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
_PARA_BREAK = re.compile(r"[ \t\u00a0]*\r?\n(?:[ \t\u00a0]*\r?\n)+[ \t\u00a0]*")
_LINE_BREAK = re.compile(r"[ \t\u00a0]*\r?\n[ \t\u00a0]*")


@dataclass(slots=True)
class CleanResult:
    content: MappedText
    markers: list[tuple[Marker, int]] = field(default_factory=list)  # marker, position in text
    spans: list[InlineSpan] = field(default_factory=list)


def _overlaps(a: int, b: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in ranges)


def _emphasis_edits(
    text: str, token: str, blocked: list[tuple[int, int]], *, drop_strays: bool
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
        if _overlaps(s, e, blocked):
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
) -> CleanResult:
    text = content.text
    # Each scan runs only when its trigger characters occur: most blocks have none.
    has_code = "`" in text
    has_link = "](" in text
    has_url = "://" in text or "www." in text
    protected: list[tuple[int, int]] = [m.span() for m in _CODE_SPAN.finditer(text)] if has_code else []
    code_spans = list(protected)
    links = (
        [m for m in _IMAGE_OR_LINK.finditer(text) if not _overlaps(m.start(), m.end(), code_spans)] if has_link else []
    )
    link_syntax: list[tuple[int, int]] = []
    for m in links:
        link_syntax.append((m.start(), m.start("text")))
        link_syntax.append((m.end("text"), m.end()))
    if has_url:
        url_spans = [
            m.span() for m in _URL_PROTECT.finditer(text) if not _overlaps(m.start(), m.end(), code_spans + link_syntax)
        ]
        protected += url_spans
    protected += link_syntax

    edits: list[Edit] = []
    markers: list[Marker] = []
    if detect_markers and (_MARKER_CHARS.search(text) or ("<" in text and _SUP_TAG.search(text))):
        markers = find_markers(text, protected)
        edits.extend(Edit(mk.start, mk.end) for mk in markers)
    blocked = protected + [(mk.start, mk.end) for mk in markers]

    raw_spans: list[tuple[str, int, int, str]] = []
    for m in links:
        edits.append(Edit(m.start(), m.start("text")))
        edits.append(Edit(m.end("text"), m.end()))
        raw_spans.append(("link", m.start("text"), m.end("text"), m.group("url")))
    if has_code:
        for m in _CODE_SPAN.finditer(text):
            delim = len(m.group(1))
            if markdown:
                edits.append(Edit(m.start(), m.start() + delim))
                edits.append(Edit(m.end() - delim, m.end()))
            raw_spans.append(("code", m.start() + delim, m.end() - delim, ""))
    if has_url and "<" in text:
        for m in _ANGLE_URL.finditer(text):
            if not _overlaps(m.start(), m.end(), code_spans + link_syntax):
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
            blocked_words = [m.span() for m in re.finditer(r"\w_+\w", text)]
        else:
            blocked_words = []
        tok_edits, pairs = _emphasis_edits(text, token, blocked + blocked_words, drop_strays=strays)
        taken = [(e.start, e.end) for e in edits]
        tok_edits = [e for e in tok_edits if not _overlaps(e.start, e.end, taken)]
        edits.extend(tok_edits)
        raw_spans.extend((kind, a, b, "") for a, b in pairs)

    cleaned, first_map = content.edit(_dedupe(edits))

    # White space: runs become one space; paragraph breaks survive in notes.
    ws_edits: list[Edit] = []
    ctext = cleaned.text
    if "  " not in ctext and _OTHER_SPACE.search(ctext) is None:
        pass  # nothing to collapse
    elif keep_paragraphs:
        for m in _PARA_BREAK.finditer(ctext):
            ws_edits.append(Edit(m.start(), m.end(), "\n"))
        taken = [(e.start, e.end) for e in ws_edits]
        for m in _LINE_BREAK.finditer(ctext):
            if not _overlaps(m.start(), m.end(), taken):
                ws_edits.append(Edit(m.start(), m.end(), " "))
        taken = [(e.start, e.end) for e in ws_edits]
        for m in _INLINE_WS_RUN.finditer(ctext):
            if not _overlaps(m.start(), m.end(), taken):
                ws_edits.append(Edit(m.start(), m.end(), " "))
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


def _dedupe(edits: list[Edit]) -> list[Edit]:
    """Sort edits and drop any that overlap an earlier one (first claim wins)."""
    out: list[Edit] = []
    for ed in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and ed.start < out[-1].end:
            continue
        out.append(ed)
    return out
