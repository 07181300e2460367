"""Markdown: blog exports, converted pages, notes kept in a Markdown editor.

CommonMark and GFM are parsed by pulldown-cmark (through ``pyromark``), which reports a
source range for every event, inline text included.  This module turns those events
into our blocks — every character mapped back to the file — and then applies the
conventions articles use that CommonMark does not know, through the shared layer:
superscript and bracketed markers (``footnotes.find_markers``), the notes lists at the
end read by plain text's rules (``parse.end_notes``), front matter (``metadata``), title and
byline lines, paragraphs split by a page break (``clean``), stray ``**``.

What is made of each construct (the reading structure the conformance script checks):
  * a paragraph is a ``paragraph``; the first paragraph of a list item is the
    ``list_item`` (with its marker); a paragraph whose innermost container is a block
    quote is a ``quote``; headings and code blocks are themselves at any depth;
  * a pipe table is one ``table`` block whose ``rows`` are ranges of its text;
  * raw HTML is not structure: tags are dropped, their text kept (comments, scripts
    and styles dropped whole); an HTML block's text is a paragraph;
  * images read ``[image: alt]``; links keep their text and carry the URL in a span;
  * ``[^label]`` notes (several paragraphs, code, quotes) keep their blocks; pandoc's
    ``^[inline notes]`` become notes; ``2^10^`` and ``H~2~O`` become ``2¹⁰`` and
    ``H₂O`` where Unicode has the characters; kramdown ``{: …}`` lines are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any, Protocol

import pyromark

from ..clean import join_blocks, should_join
from ..collector import without_cycle_collection
from ..footnotes import (
    CARET_DEF,
    LINKREF_DEF,
    cite_notes,
    find_markers,
    find_urls,
    superscript_to_ascii,
)
from ..inline import make_displayable
from ..mapped import Edit, MappedText, Segment
from ..metadata import Metadata, MetadataError, load_yaml_metadata
from ..model import (
    CODE,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    TABLE,
    Block,
    Document,
    Footnote,
    InlineSpan,
    Link,
    ParseWarning,
    Ref,
)
from ..parse import AreaNote, ParseOptions, default_id, detect_metadata, end_notes
from . import Format, ReadRequest, document_from, read_text_source

_O = pyromark.Options
_OPTIONS = (
    _O.ENABLE_TABLES
    | _O.ENABLE_FOOTNOTES
    | _O.ENABLE_STRIKETHROUGH
    | _O.ENABLE_TASKLISTS
    | _O.ENABLE_DEFINITION_LIST
    | _O.ENABLE_SUBSCRIPT
)
# No ENABLE_SUPERSCRIPT: pulldown-cmark would take "^[^" for a superscript "[" and drop both
# carets, losing text; pandoc's 2^10^ is read by _PANDOC_SUP below, which only takes a run
# without brackets or spaces.

# Front matter: a "---" line, YAML, a "---" or "..." line — and only when it reads as
# YAML keys, so that a document opening with a thematic break is not eaten.
_FRONT = re.compile(r"\A---[ \t]*\r?\n((?:[^\r\n]*\r?\n)*?)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_YAML_KEY = re.compile(r"[ \t]*[A-Za-z_][\w .-]*:(?:[ \t]|$)")
# kramdown's attribute lists stand on their own line, before or after the block they dress
_KRAMDOWN_ATTR = re.compile(r"^\s*\{:[^}\n]*\}\s*|\s*\{:[^}\n]*\}\s*$")
_PANDOC_SUP = re.compile(r"\^([^\s^\[\]]{1,40})\^")
_PANDOC_SUB = re.compile(r"(?<!~)~([^\s~]{1,40})~(?!~)")
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0]{2,}|[\t\r\n\f\v\u00a0]")
# Without one of these (or two spaces in a row) _SPACE_RUN cannot match; searching for them
# alone does not stop at every space as _SPACE_RUN does (soft breaks are already spaces).
_OTHER_SPACE = re.compile(r"[\t\r\n\f\v\u00a0]")
# "Beijing.** Turkish": two asterisks that close nothing, glued to a word or a sentence's end
# and followed by a space; CommonMark leaves them as text, the reader drops them as debris.
_STRAY_STRONG = re.compile(r"(?<=[\w.,;:!?)\]”’\"'])(?<!\*)\*\*(?!\*)(?=\s)")
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![A-Za-z][^>]*>"
    r"|<(script|style)\b.*?(?:</\1\s*>|\Z)|</?[A-Za-z][^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ITEM_MARKER = re.compile(r"[ \t>]*(\d{1,9}[.)]|[-*+])")
_DROP_INLINE_CONTENT = re.compile(r"<(script|style)\b", re.IGNORECASE)
_DEPTH_WARNING = 200
_NESTING = {"quote": ">", "item": "-", "dd": ":"}  # the containers a block's nesting names
# What any step of _finish_block looks for; text without any of it is only trimmed.
# (two spaces in a row are looked for apart: in one pattern the search stopped at every space)
_NEEDS_CLEANING = re.compile(r"[{^~⁰¹²³⁴⁵⁶⁷⁸⁹\[<*\t\r\n\f\v\u00a0]")
_TASK_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]")
_OPEN_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})")


class _CharOffsets(Protocol):
    def char(self, byte: int) -> int: ...


class _ByteOffsets:
    """UTF-8 byte offsets (what pulldown-cmark reports) to character offsets, built once per
    document: a bisection over the runs of non-ASCII characters, so ASCII costs nothing."""

    def __init__(self, text: str) -> None:
        self.identity = text.isascii()
        self.byte_starts: list[int] = []
        self.runs: list[tuple[int, int, bytes, int]] = []  # byte start, char start, bytes, chars
        if self.identity:
            return
        extra = 0
        for m in re.finditer(r"[^\x00-\x7f]+", text):
            run = m.group().encode("utf-8", "surrogatepass")
            self.byte_starts.append(m.start() + extra)
            self.runs.append((m.start() + extra, m.start(), run, len(m.group())))
            extra += len(run) - len(m.group())

    def shifted(self, base: int) -> Callable[[int], int]:
        """``base + char(byte)`` as one function."""
        starts, runs = self.byte_starts, self.runs

        def char(byte: int) -> int:
            i = bisect_right(starts, byte) - 1
            if i < 0:
                return base + byte
            b0, c0, run, nchars = runs[i]
            if byte < b0 + len(run):
                return base + c0 + len(run[: byte - b0].decode("utf-8", "ignore"))
            return base + c0 + nchars + (byte - b0 - len(run))

        return char

    def char(self, byte: int) -> int:
        if self.identity:
            return byte
        i = bisect_right(self.byte_starts, byte) - 1
        if i < 0:
            return byte
        b0, c0, run, nchars = self.runs[i]
        if byte < b0 + len(run):
            return c0 + len(run[: byte - b0].decode("utf-8", "ignore"))
        return c0 + nchars + (byte - b0 - len(run))


@dataclass(slots=True)
class _Inline:
    """The text of one block as it is assembled from inline events."""

    texts: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # contiguous copies merged as they come
    length: int = 0
    spans: list[list] = field(default_factory=list)  # [kind, start, end, target]
    open: list[list] = field(default_factory=list)
    literal: list[tuple[int, int]] = field(default_factory=list)  # code and URLs: no markers, no cleaning
    sup_at: list[int] = field(default_factory=list)
    html_markers: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # label, start, end, src
    numeric_links: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # label, start, end, src
    skip: int = 0  # inside an inline <script>/<style>: text dropped

    def add(self, piece: MappedText, *, literal: bool = False) -> None:
        if not piece.text or self.skip:
            return
        if literal:
            self.literal.append((self.length, self.length + len(piece.text)))
        self.texts.append(piece.text)
        segs = self.segments
        for seg in piece.segments:
            t = seg.t + self.length
            if segs:
                last = segs[-1]
                if (
                    last.tlen == last.slen
                    and seg.tlen == seg.slen
                    and last.t + last.tlen == t
                    and last.s + last.slen == seg.s
                ):
                    segs[-1] = Segment(last.t, last.tlen + seg.tlen, last.s, last.slen + seg.slen)
                    continue
            segs.append(Segment(t, seg.tlen, seg.s, seg.slen))
        self.length += len(piece.text)

    def add_copy(self, text: str, s: int) -> None:
        """``add`` for text that is the file's own characters at ``s``."""
        if not text:
            return
        self.texts.append(text)
        segs = self.segments
        n = len(text)
        if segs:
            last = segs[-1]
            if last.tlen == last.slen and last.t + last.tlen == self.length and last.s + last.slen == s:
                segs[-1] = Segment(last.t, last.tlen + n, last.s, last.slen + n)
                self.length += n
                return
        segs.append(Segment(self.length, n, s, n))
        self.length += n

    def first_source(self, default: int) -> int:
        return self.segments[0].s if self.segments else default

    def tail(self, at: int) -> str:
        """The text from position ``at`` (where a tag or a link opened) to the end."""
        out: list[str] = []
        pos = self.length
        for text in reversed(self.texts):
            if pos <= at:
                break
            out.append(text)
            pos -= len(text)
        return "".join(reversed(out))[at - pos :] if out else ""

    def content(self) -> MappedText:
        return MappedText("".join(self.texts), tuple(self.segments))


@dataclass(slots=True)
class _Container:
    kind: str  # "quote" | "item" | "list" | "note" | "table" | "dd" | "html"
    start: int
    label: str = ""
    marker: str = ""
    first: bool = True  # no block of this item emitted yet
    number: int | None = None  # an ordered list's next number


@dataclass(slots=True)
class _Note:
    label: str
    start: int
    end: int
    blocks: list[Block]


class _Converter:
    def __init__(
        self, text: str, offsets: _CharOffsets, warnings: list[ParseWarning], defined: frozenset[str] = frozenset()
    ) -> None:
        self.text = text
        self.defined = defined  # the keys of the notes lists at the end: glued markers cite them
        self.offsets = offsets
        self.warnings = warnings
        self.blocks: list[Block] = []
        self.depths: list[str] = []  # each block's nesting (Block.nesting)
        self.notes: list[_Note] = []
        self.stack: list[_Container] = []
        self.inline: _Inline | None = None
        self.leaf: tuple[str, int, int] | None = None  # kind, level, source start
        # a table's cells, each finished as it ends: an _Inline is ten lists, too heavy to keep
        # for the 100,000 rows of a big table (1.8 GB for 10 MB of cells)
        self.table: _TableBuilder | None = None
        self.table_start = 0
        self.code: list[MappedText] | None = None
        self.code_start = 0
        self.fence = ""
        self.html: list[tuple[int, int]] = []  # an HTML block's lines
        self.in_html = False
        self.link_stack: list[tuple[str, int, str, str, int]] = []  # kind, start, url, id, src
        self.deep_warned = False
        self.from_html: set[int] = set()  # blocks made of an HTML block's text: never rejoined
        self.image_depth = 0

    # -- pieces ------------------------------------------------------------
    def piece(self, text: str, s: int, e: int) -> MappedText:
        if self.text[s:e] == text:
            return MappedText.from_source(self.text, s, e)
        if not text:
            return MappedText("", ())
        return MappedText(text, (Segment(0, len(text), s, e - s),))

    def _target(self) -> list[Block]:
        for c in reversed(self.stack):
            if c.kind == "note":
                return self.notes[-1].blocks
        return self.blocks

    def _innermost(self) -> _Container | None:
        for c in reversed(self.stack):
            if c.kind in ("quote", "item", "note", "dd"):
                return c
        return None

    def _nesting(self) -> str:
        return "".join(_NESTING.get(c.kind, "") for c in self.stack)

    def _emit(self, block: Block) -> None:
        target = self._target()
        target.append(block)
        if target is self.blocks:
            self.depths.append(self._nesting())
        for c in self.stack:
            if c.kind == "item":
                c.first = False

    # -- leaves ------------------------------------------------------------
    def start_leaf(self, kind: str, level: int, start: int) -> None:
        self.flush_implicit()
        self.inline = _Inline()
        self.leaf = (kind, level, start)

    def flush_implicit(self) -> None:
        """A tight list item's text comes without a paragraph: close it before a nested block."""
        if self.inline is not None and self.leaf is not None and self.leaf[0] == "implicit":
            self.end_leaf()

    def ensure_inline(self, start: int) -> _Inline:
        if self.inline is None:
            self.start_leaf("implicit", 0, start)
        assert self.inline is not None
        return self.inline

    def end_leaf(self) -> None:
        inline, leaf = self.inline, self.leaf
        self.inline = None
        self.leaf = None
        if inline is None or leaf is None:
            return
        kind, level, _ = leaf
        marker = ""
        inner = self._innermost()
        if kind in ("paragraph", "implicit"):
            kind = PARAGRAPH
            if inner is not None and inner.kind == "item" and inner.first:
                kind, marker = LIST_ITEM, inner.marker
            elif inner is not None and inner.kind == "quote":
                kind = QUOTE
        elif kind == "dt":
            kind = PARAGRAPH
            inline.spans.append(["bold", 0, inline.length, ""])
        elif kind == "dd":
            kind, marker = LIST_ITEM, "–"
        in_note = any(c.kind == "note" for c in self.stack)
        # a note's own text keeps what looks like a marker: nothing would cite from there
        block = _finish_block(
            kind, inline, self.warnings, marker=marker, level=level, detect_markers=not in_note, defined=self.defined
        )
        if block is not None:
            self._emit(block)
        elif kind == LIST_ITEM:
            pass  # an empty item: nothing to read

    # -- events ------------------------------------------------------------
    def run(self, events) -> None:
        char = self.offsets.char
        text = self.text
        # Inline text copied from the file comes as a run of Text events ("[[[[" is one event
        # a character): the run is added once, when something else comes.
        run_start = run_end = -1
        for event, rng in events:
            s = char(rng["start"])
            e = char(rng["end"])
            if event.__class__ is dict and "Text" in event:
                value = event["Text"]
                inline = self.inline
                if (
                    inline is not None
                    and not inline.skip
                    and self.code is None
                    and not self.in_html
                    and e - s == len(value)
                    and text.startswith(value, s)
                ):
                    if s != run_end:
                        if run_start >= 0:
                            inline.add_copy(text[run_start:run_end], run_start)
                        run_start = s
                    run_end = e
                    continue
            if run_start >= 0:
                assert self.inline is not None
                self.inline.add_copy(text[run_start:run_end], run_start)
                run_start = run_end = -1
            if event.__class__ is str:
                self.simple(event, s, e)
                continue
            ((what, value),) = event.items()
            if what == "Text":
                self.add_text(value, s, e)
            elif what == "Start":
                self.start(value, s, e)
            elif what == "End":
                self.end(value, s, e)
            elif what == "Code":
                inline = self.ensure_inline(s)
                src = self.text[s:e]
                ticks = len(src) - len(src.lstrip("`"))
                at = inline.length
                inline.add(self.piece(value, s + ticks, e - ticks), literal=True)
                inline.spans.append(["code", at, inline.length, ""])
            elif what in ("InlineHtml", "Html", "InlineMath", "DisplayMath"):
                if what in ("InlineMath", "DisplayMath"):
                    self.ensure_inline(s).add(self.piece(value, s, e), literal=True)
                elif self.in_html:
                    self.html.append((s, e))
                else:
                    self.inline_html(value, s, e)
            elif what == "FootnoteReference":
                inline = self.ensure_inline(s)
                inline.html_markers.append(("^" + value, inline.length, inline.length, s, e))
            elif what == "TaskListMarker":
                self.ensure_inline(s).add(MappedText.synthetic("[x] " if value else "[ ] ", s))
        if run_start >= 0 and self.inline is not None:
            self.inline.add_copy(text[run_start:run_end], run_start)

    def simple(self, event: str, s: int, e: int) -> None:
        if event in ("SoftBreak", "HardBreak"):
            if self.inline is not None:
                self.inline.add(MappedText.synthetic(" ", s) if event == "HardBreak" else self.piece(" ", s, e))
        elif event == "Rule":
            self.flush_implicit()

    def add_text(self, value: str, s: int, e: int) -> None:
        if self.code is not None:
            self.code.append(self.piece(value, s, e))
            return
        if self.in_html:
            if e > s:
                self.html.append((s, e))
            return
        self.ensure_inline(s).add(self.piece(value, s, e))

    def inline_html(self, value: str, s: int, e: int) -> None:
        inline = self.ensure_inline(s)
        low = value.lower()
        if _DROP_INLINE_CONTENT.match(value):
            if not re.search(r"</(script|style)\s*>\s*$", low):
                inline.skip += 1
            return
        if re.match(r"</(script|style)\s*>", low):
            inline.skip = max(0, inline.skip - 1)
            return
        if inline.skip:
            return
        if low.startswith("<sup"):
            inline.sup_at.append(inline.length)
        elif low.startswith("</sup") and inline.sup_at:
            at = inline.sup_at.pop()
            label = inline.tail(at).strip().strip("[]")
            if re.fullmatch(r"[\w-]{1,12}", label) and (label.isdigit() or not label.isalpha() or len(label) <= 2):
                src = inline.content().source_span(at, inline.length) if inline.length > at else (s, e)
                inline.html_markers.append((label, at, inline.length, src[0], e))
        elif low.startswith(("<br", "<p", "</p", "<div", "</div", "<li", "<tr", "</tr", "<td", "<th")):
            inline.add(MappedText.synthetic(" ", s))

    def start(self, value, s: int, e: int) -> None:
        # pyromark's event: a bare name, or {name: its argument (a dict, a label, a start number)}
        arg: Any
        name, arg = (value, None) if isinstance(value, str) else next(iter(value.items()))
        if name in ("Paragraph", "Heading", "DefinitionListTitle") or name == "TableCell":
            if name == "TableCell":
                self.inline = _Inline()
                self.leaf = ("cell", 0, s)
                return
            level = int(arg["level"][1]) if name == "Heading" else 0
            self.start_leaf(
                {"Paragraph": "paragraph", "Heading": "heading", "DefinitionListTitle": "dt"}[name], level, s
            )
            return
        self.flush_implicit()
        if len(self.stack) > _DEPTH_WARNING and not self.deep_warned:
            self.deep_warned = True
            self.warnings.append(ParseWarning("deep-nesting", f"nesting deeper than {_DEPTH_WARNING} levels", s))
        if name == "BlockQuote":
            self.stack.append(_Container("quote", s))
        elif name == "List":
            self.stack.append(_Container("list", s, number=arg))
        elif name == "Item":
            m = _ITEM_MARKER.match(self.text, s)
            marker = m.group(1) if m else "-"
            self.stack.append(_Container("item", s, marker=marker))
        elif name == "DefinitionListDefinition":
            self.stack.append(_Container("dd", s))
            self.start_leaf("dd", 0, s)
        elif name == "FootnoteDefinition":
            self.stack.append(_Container("note", s, label=arg))
            self.notes.append(_Note(arg, s, e, []))
        elif name == "CodeBlock":
            self.code = []
            self.code_start = s
            fence = _OPEN_FENCE.match(self.text, s, e)
            self.fence = fence.group(1) if fence else ""
        elif name == "Table":
            self.table = _TableBuilder(self.warnings)
            self.table_start = s
        elif name in ("TableHead", "TableRow"):
            if self.table is not None:
                self.table.new_row()
        elif name in ("Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"):
            inline = self.ensure_inline(s)
            kind = {"Emphasis": "italic", "Strong": "bold"}.get(name, name.lower())
            inline.open.append([kind, inline.length, inline.length, ""])
        elif name == "Link":
            inline = self.ensure_inline(s)
            self.link_stack.append(("link", inline.length, arg["dest_url"], arg.get("id", ""), s))
            if arg["link_type"] in ("Autolink", "Email"):
                inline.literal.append((inline.length, inline.length))  # widened at the end
        elif name == "Image":
            inline = self.ensure_inline(s)
            self.image_depth += 1
            if self.image_depth == 1:  # an image inside an image's description is its text only
                inline.add(MappedText.synthetic("[image: ", s))
            self.link_stack.append(
                ("image", inline.length - (8 if self.image_depth == 1 else 0), arg["dest_url"], "", s)
            )
        elif name == "HtmlBlock":
            self.in_html = True

    def end(self, value, s: int, e: int) -> None:
        name = value if isinstance(value, str) else next(iter(value))
        if name in ("Paragraph", "Heading", "DefinitionListTitle"):
            self.end_leaf()
        elif name == "TableCell":
            if self.table is not None and self.inline is not None:
                self.table.add(self.inline, s)
            self.inline = None
            self.leaf = None
        elif name == "Table":
            self.end_table(e)
        elif name == "CodeBlock":
            if self.fence and not _closes(self.text[s:e], self.fence):
                self.warnings.append(ParseWarning("unclosed-code", "a code fence is never closed", s))
            pieces, self.code = self.code or [], None
            content = MappedText.join(pieces)
            for ending in ("\r\n", "\n", "\r"):  # the last line's end; blank lines before it are code
                if content.text.endswith(ending):
                    content = content.slice(0, len(content.text) - len(ending))
                    break
            if content.text.strip():
                self._emit(Block(CODE, content))
        elif name in ("Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"):
            if self.inline is not None and self.inline.open:
                span = self.inline.open.pop()
                span[2] = self.inline.length
                self.inline.spans.append(span)
        elif name in ("Link", "Image"):
            if self.inline is not None and self.link_stack:
                kind, at, url, ref_id, src = self.link_stack.pop()
                inline = self.inline
                if kind == "image":
                    self.image_depth -= 1
                    if self.image_depth == 0:
                        inline.add(MappedText.synthetic("]", e))
                        if url:
                            inline.spans.append(["image", at, inline.length, url])
                    return
                if inline.literal and inline.literal[-1] == (at, at):
                    inline.literal[-1] = (at, inline.length)
                # the reference id first: the link's text is assembled only for a numbered one
                if ref_id.isdecimal() and len(ref_id) <= 4 and self.text[src] == "[" and inline.tail(at) == ref_id:
                    # "[1]" resolving to "[1]: …": a numbered source list written as link references
                    inline.numeric_links.append((str(int(ref_id)), at, inline.length, src, e))
                    return
                inline.spans.append(["link", at, inline.length, url])
        elif name in ("BlockQuote", "Item", "List", "FootnoteDefinition", "DefinitionListDefinition"):
            self.flush_implicit()
            if name == "DefinitionListDefinition" and self.inline is not None:
                self.end_leaf()
            if self.stack:
                done = self.stack.pop()
                if done.kind == "note":
                    self.notes[-1].end = e
        elif name == "HtmlBlock":
            self.in_html = False
            self.end_html()

    def end_html(self) -> None:
        if not self.html:
            return
        ranges, self.html = self.html, []
        raw = MappedText.join(MappedText.from_source(self.text, a, b) for a, b in ranges)
        rows = _simple_html_table(raw)
        if rows is not None:
            self.table = _TableBuilder(self.warnings)
            for row in rows:
                self.table.new_row()
                for cell in row:
                    self.table.add(cell, ranges[-1][1])
            self.end_table(ranges[-1][1])
            return
        inline = _Inline()
        for piece in html_text(raw):
            inline.add(piece)
        inner = self._innermost()
        kind = QUOTE if inner is not None and inner.kind == "quote" else PARAGRAPH
        marker = ""
        if inner is not None and inner.kind == "item" and inner.first:
            kind, marker = LIST_ITEM, inner.marker
        block = _finish_block(kind, inline, self.warnings, marker=marker, defined=self.defined)
        if block is not None:
            self.from_html.add(id(block))
            self._emit(block)

    def end_table(self, end: int) -> None:
        table, self.table = self.table, None
        block = table.block() if table is not None else None
        if block is not None:
            self._emit(block)

    def finish(self) -> None:
        if self.inline is not None:
            self.end_leaf()


def _closes(block: str, fence: str) -> bool:
    last = block.rstrip().rsplit("\n", 1)[-1].lstrip(" \t>")
    return last.startswith(fence[0] * len(fence)) and not last.strip(fence[0]).strip()


def html_text(raw: MappedText) -> list[MappedText]:
    """The readable text of raw HTML: tags dropped (each leaves a space), comments, scripts
    and styles dropped whole, entities decoded — every piece mapped to the file."""
    pieces: list[MappedText] = []
    text = raw.text
    pos = 0
    for m in _HTML_TOKEN.finditer(text):
        if m.start() > pos:
            pieces += _decoded(raw, pos, m.start())
        pieces.append(MappedText.synthetic(" ", raw.to_source(m.start())))
        pos = m.end()
    if pos < len(text):
        pieces += _decoded(raw, pos, len(text))
    return pieces


class _TableBuilder:
    """A table's text built cell by cell as each cell ends, so that a table of 100,000
    rows holds its text once rather than a block per cell until its end (1.37 GB peak
    for 10 MB of cells when each cell was kept as a block)."""

    _COMPACT = 4096  # small pieces joined into a chunk as they pile up

    def __init__(self, warnings: list[ParseWarning]) -> None:
        self.warnings = warnings
        self.ranges: list[list[tuple[int, int]]] = []
        self.parts: list[MappedText] = []
        self.chunks: list[MappedText] = []  # parts already joined, a few thousand at a time
        self.length = 0
        self.spans: list[InlineSpan] = []
        self.refs: list[Ref] = []

    def new_row(self) -> None:
        self.ranges.append([])

    def add(self, cell: _Inline, anchor: int) -> None:
        """One cell of the current row; an empty one's separator is anchored at ``anchor``."""
        if not self.ranges:
            self.new_row()
        row = self.ranges[-1]
        finished = _finish_block(PARAGRAPH, cell, self.warnings, keep_empty=True)
        text = finished.content if finished is not None else MappedText("", ())
        if row or len(self.ranges) > 1:
            sep = " | " if row else "\n"
            self.parts.append(MappedText.synthetic(sep, text.segments[0].s if text.segments else anchor))
            self.length += len(sep)
        self.parts.append(text)
        length = self.length
        row.append((length, length + len(text.text)))
        if finished is not None:
            self.spans += [InlineSpan(sp.kind, sp.start + length, sp.end + length, sp.target) for sp in finished.spans]
            self.refs += [Ref(x.label, x.at + length, x.source_offset, x.source_end, x.key) for x in finished.refs]
        self.length += len(text.text)
        if len(self.parts) >= self._COMPACT:
            self.chunks.append(MappedText.join(self.parts))
            self.parts = []

    def block(self) -> Block | None:
        content = MappedText.join(self.chunks + self.parts)
        # A line after the rows continues the table (GFM): a kramdown "{: .class}" under it
        # came as a last row, empty once the attribute is dropped; such rows are not the table's.
        while len(self.ranges) > 1 and all(a == b for a, b in self.ranges[-1]):
            self.ranges.pop()
            end = self.ranges[-1][-1][1] if self.ranges[-1] else 0
            content = content.slice(0, end)
            self.refs = [r for r in self.refs if r.at <= end]
            self.spans = [sp for sp in self.spans if sp.start < end]
        if not content.text.strip():
            return None
        block = Block(TABLE, content, self.refs, self.spans)
        block.rows = self.ranges
        return block


_TABLE_WHOLE = re.compile(r"\s*<table\b[^>]*>.*</table\s*>\s*", re.IGNORECASE | re.DOTALL)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w-]*)")


def _simple_html_table(raw: MappedText) -> list[list[_Inline]] | None:
    """The rows of an HTML block that is one whole table (``<table>`` … ``</table>``, no table
    inside it), each cell's text mapped; None for anything else, read as text."""
    text = raw.text
    if not _TABLE_WHOLE.fullmatch(text) or text.lower().count("<table") != 1:
        return None
    rows: list[list[_Inline]] = []
    cell: _Inline | None = None
    pos = 0
    for m in _HTML_TOKEN.finditer(text):
        if cell is not None and m.start() > pos:
            for piece in _decoded(raw, pos, m.start()):
                cell.add(piece)
        pos = m.end()
        name = _TAG_NAME.match(m.group())
        if name is None:
            continue  # a comment, a script
        closing, tag = name.group(1), name.group(2).lower()
        if tag == "tr" and not closing:
            rows.append([])
            cell = None
        elif tag in ("td", "th"):
            if closing:
                cell = None
            else:
                if not rows:
                    rows.append([])
                cell = _Inline()
                rows[-1].append(cell)
        elif cell is not None:
            cell.add(MappedText.synthetic(" ", raw.to_source(m.start())))
    rows = [r for r in rows if r]
    return rows or None


def _decoded(raw: MappedText, start: int, end: int) -> list[MappedText]:
    pieces: list[MappedText] = []
    pos = start
    for m in _ENTITY.finditer(raw.text, start, end):
        if m.start() > pos:
            pieces.append(raw.slice(pos, m.start()))
        value = make_displayable(unescape(m.group()))
        s0, s1 = raw.source_span(m.start(), m.end())
        pieces.append(MappedText(value, (Segment(0, len(value), s0, s1 - s0),)))
        pos = m.end()
    if pos < end:
        pieces.append(raw.slice(pos, end))
    return pieces


# ------------------------------------------------------------------ our conventions on a block
def _finish_block(
    kind: str,
    inline: _Inline,
    warnings: list[ParseWarning],
    *,
    marker: str = "",
    level: int = 0,
    keep_empty: bool = False,
    detect_markers: bool = True,
    defined: frozenset[str] = frozenset(),
) -> Block | None:
    """One block's assembled text with our conventions applied: kramdown attribute lines
    and pandoc super/subscripts rewritten, markers taken out, stray ``**`` dropped, white
    space collapsed, ends trimmed — spans, markers and notes carried along."""
    content = inline.content()
    text = content.text
    if not inline.html_markers and not inline.numeric_links and not _needs_cleaning(text):
        # nothing of ours to do (most table cells, many short paragraphs): trim the ends
        lead = len(text) - len(text.lstrip(" "))
        final = content.slice(lead, len(text.rstrip(" ")))
        if not final.text and not keep_empty:
            return None
        n = len(final.text)
        plain_spans = [
            InlineSpan(k, min(max(a - lead, 0), n), min(max(b - lead, 0), n), t)
            for k, a, b, t in inline.spans
            if k not in ("superscript", "subscript", "strikethrough")
        ]
        plain_spans = [sp for sp in plain_spans if sp.end > sp.start]
        plain_spans.sort(key=lambda sp: sp.start)
        return Block(kind, final, [], plain_spans, marker, level)
    literal = list(inline.literal)
    spans = [tuple(sp) for sp in inline.spans]
    edits: list[Edit] = []
    # (label or key, start, end, source start, source end): removed from the text, cited there
    cites: list[tuple[str, int, int, int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < le and ls < b for ls, le in literal)

    if "{:" in text:
        for m in _KRAMDOWN_ATTR.finditer(text):
            if free(m.start(), m.end()):
                edits.append(Edit(m.start(), m.end()))
    if "^" in text:
        for m in _PANDOC_SUP.finditer(text):
            if free(m.start(), m.end()):
                edits += _script_edits(m, _SUPERSCRIPT)
    if "~" in text:
        for m in _PANDOC_SUB.finditer(text):
            if free(m.start(), m.end()):
                edits += _script_edits(m, _SUBSCRIPT)

    def marker_edit(a: int, b: int) -> Edit:
        # "said so [1]." reads "said so¹.": the space before a marker goes when punctuation follows
        if a > 0 and text[a - 1] == " " and (b == len(text) or text[b] in ".,;:!?)]"):
            return Edit(a - 1, b)
        return Edit(a, b)

    for label, a, b, s0, s1 in inline.html_markers if detect_markers else ():
        cites.append((label, a, b, s0, s1))
        if b > a:
            edits.append(marker_edit(a, b))
    for label, a, b, s0, s1 in inline.numeric_links:
        cites.append(("#" + label, a, b, s0, s1))
        edits.append(marker_edit(a - 1 if text[a - 1 : a] == "[" else a, b + 1 if text[b : b + 1] == "]" else b))
    blocked = literal + [(a, b) for _, a, b, _, _ in cites if b > a]
    if detect_markers and kind != CODE and any(c in text for c in "⁰¹²³⁴⁵⁶⁷⁸⁹[<"):
        for mk in find_markers(text, blocked, defined=defined or None):
            if any(mk.start < b and a < mk.end for a, b in blocked):
                continue
            if mk.kind == "markdown":
                # pulldown-cmark cites every defined [^label]: one left in the text has no note,
                # and stays text (as GFM shows it), reported
                s0, _ = content.source_span(mk.start, mk.end)
                warnings.append(ParseWarning("unresolved-marker", f"marker {mk.label} has no matching note", s0))
                continue
            s0, s1 = content.source_span(mk.start, mk.end)
            for key in mk.keys:
                cites.append(("=" + key, mk.start, mk.end, s0, s1))
            edits.append(marker_edit(mk.start, mk.end))
    if "**" in text:
        for m in _STRAY_STRONG.finditer(text):
            if free(m.start(), m.end()):
                edits.append(Edit(m.start(), m.end()))
    cleaned, first = content.edit(_dedupe(edits))
    ctext = cleaned.text
    ws = (
        [Edit(m.start(), m.end(), " ") for m in _SPACE_RUN.finditer(ctext)]
        if "  " in ctext or _OTHER_SPACE.search(ctext)
        else []
    )
    collapsed, second = cleaned.edit(ws)
    lead = len(collapsed.text) - len(collapsed.text.lstrip())
    final = collapsed.slice(lead, len(collapsed.text.rstrip()))
    n = len(final.text)

    def position(p: int) -> int:
        return min(max(second(first(p)) - lead, 0), n)

    if not final.text and not keep_empty:
        return None
    out_spans = []
    for kind_, a, b, target in spans:
        if kind_ in ("superscript", "subscript", "strikethrough"):
            continue
        pa, pb = position(a), position(b)
        if pb > pa:
            out_spans.append(InlineSpan(kind_, pa, pb, target))
    out_spans.sort(key=lambda sp: sp.start)
    refs: list[Ref] = []
    seen_groups: set[tuple[int, int]] = set()
    for label, a, b, s0, s1 in sorted(cites, key=lambda c: c[1]):
        at = position(a)
        if label.startswith("^"):
            refs.append(Ref(label[1:], at, s0, s1, label))
        elif label.startswith("#"):
            refs.append(Ref(label[1:], at, s0, s1, label[1:]))
        elif label.startswith("="):
            refs.append(Ref(label[1:], at, s0, s1, label[1:]))
            seen_groups.add((a, b))
        else:
            label = superscript_to_ascii(label)
            key = str(int(label)) if label.isascii() and label.isdigit() else label
            refs.append(Ref(key, at, s0, s1, key))
    return Block(kind, final, refs, out_spans, marker, level)


def _needs_cleaning(text: str) -> bool:
    """``_NEEDS_CLEANING.search(text)`` or two spaces in a row: for ASCII text substring searches, several times
    faster than a class with non-ASCII members tested at every character."""
    if text.isascii():
        return any(c in text for c in _ASCII_CLEANING) or "  " in text
    return _NEEDS_CLEANING.search(text) is not None or "  " in text


_ASCII_CLEANING = "{^~[<*\t\r\n\f\v"


def _inline_note_ranges(text: str) -> list[tuple[int, int]]:
    """``^[…]`` with balanced brackets: pandoc's inline notes."""
    out: list[tuple[int, int]] = []
    i = text.find("^[")
    while i >= 0:
        depth = 0
        j = i + 1
        while j < len(text):
            if text[j] == "[":
                depth += 1
            elif text[j] == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(text):
            break
        out.append((i, j + 1))
        i = text.find("^[", j + 1)
    return out


def _script_edits(m: re.Match[str], table: dict[int, int]) -> list[Edit]:
    inner = m.group(1)
    mapped = inner.translate(table)
    if any(a == b for a, b in zip(inner, mapped, strict=True)):
        return [Edit(m.start(), m.start() + 1), Edit(m.end() - 1, m.end())]  # no such characters: just the text
    return [Edit(m.start(), m.end(), mapped)]


def _dedupe(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for ed in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and ed.start < out[-1].end:
            continue
        out.append(ed)
    return out


# ------------------------------------------------------------------ notes
def _note_from_blocks(text: str, key: str, label: str, blocks: list[Block], start: int, end: int) -> Footnote:
    parts: list[MappedText] = []
    for i, block in enumerate(blocks):
        if i:
            parts.append(MappedText.synthetic("\n", block.source_start))
        parts.append(block.content)
    content = MappedText.join(parts)
    note = Footnote(key, label, content, _links(text, start, end, blocks), source_start=start, source_end=end)
    note.blocks = blocks
    return note


def _links(text: str, start: int, end: int, blocks: list[Block]) -> list[Link]:
    """A note's URLs: its links' targets, and the URLs written out in its source."""
    links: list[Link] = []
    taken: list[tuple[int, int]] = []
    for block in blocks:
        for sp in block.spans:
            if sp.kind == "link" and sp.target.startswith(("http://", "https://", "www.", "mailto:")):
                s0, s1 = block.source_span(sp.start, sp.end)
                links.append(Link(sp.target, s0, s1))
                taken.append((s0, s1))
    for url, a, b in find_urls(text[start:end]):
        if not taken or not any(start + a < t1 and t0 < start + b for t0, t1 in taken):
            links.append(Link(url, start + a, start + b))
    if taken:  # find_urls gives its URLs in order: only the links' targets need sorting in
        links.sort(key=lambda link: link.source_start)
    return links


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _area_notes(
    text: str, blocks: list[Block], depths: list[str], area: list[AreaNote], headings: list[tuple[int, int]]
) -> tuple[list[Block], list[str], list[Footnote], tuple[int, int] | None]:
    """The notes lists at the end (found on the lines by plain text's rules, ``end_notes``)
    taken out of the blocks: an entry counts when it opens a top-level paragraph or an item
    of a top-level list (entries met inside a block that does not start with one, or in
    code, a quote or a nested list, stay text).  Returns the blocks left, their depths, the
    notes, and the span of the notes heading."""
    if not area:
        return blocks, depths, [], None
    firsts = [_line_start(text, b.source_start) for b in blocks]
    starts = {n.start for n in area}
    accepted: list[AreaNote] = []
    ends: dict[int, int] = {}  # a block's end, asked once: one paragraph may hold 26,000 entries
    for note in area:
        i = bisect_right(firsts, note.start) - 1
        if i < 0 or note.start >= (ends[i] if i in ends else ends.setdefault(i, blocks[i].source_end)):
            continue
        eligible = (blocks[i].kind == PARAGRAPH and not depths[i]) or (
            blocks[i].kind == LIST_ITEM and len(depths[i]) <= 1
        )
        if eligible and firsts[i] in starts:
            accepted.append(note)
    if not accepted:
        return blocks, depths, [], None
    ranges = [(n.start, n.end) for n in accepted]
    heading_starts = {h[0] for h in headings}
    kept_blocks: list[Block] = []
    kept_depths: list[str] = []
    heading_span = None
    for block, depth, first in zip(blocks, depths, firsts, strict=True):
        k = bisect_right(ranges, (first, len(text) + 1)) - 1
        if k >= 0 and ranges[k][0] <= first < ranges[k][1]:
            continue
        if block.kind in (HEADING, PARAGRAPH) and first in heading_starts:
            heading_span = heading_span or (block.source_start, block.source_end)
            continue
        kept_blocks.append(block)
        kept_depths.append(depth)
    notes: list[Footnote] = []
    for n in accepted:
        stop = n.end
        while stop > n.label_end and text[stop - 1] in " \t\r\n":
            stop -= 1
        content = _entry_content(text, n.label_end, stop)
        notes.append(
            Footnote(
                n.key, n.label, content, _links(text, n.label_end, stop, []), source_start=n.start, source_end=stop
            )
        )
    return kept_blocks, kept_depths, notes, heading_span


def _entry_content(text: str, start: int, stop: int) -> MappedText:
    """A notes-list entry's text, its paragraphs' inline Markdown parsed and cleaned, joined by "\n"."""
    if _PLAIN_ENTRY.fullmatch(text, start, stop):
        return MappedText.from_source(text, start, stop)  # one plain line (most entries): itself
    pieces: list[MappedText] = []
    pos = start
    for para in re.split(r"\n[ \t]*\r?\n", text[start:stop]):
        inl = _Inline()
        for piece in _markdown_inline(text, pos, pos + len(para)):
            inl.add(piece)
        finished = _finish_block(PARAGRAPH, inl, [], detect_markers=False)
        if finished is not None:
            if pieces:
                pieces.append(MappedText.synthetic("\n", pos))
            pieces.append(finished.content)
        pos += len(para)
        pos = _skip_blank(text, pos, stop)
    return MappedText.join(pieces)


def _not_an_entry(line: str) -> bool:
    """A link reference definition ``[1]: https://…`` (read by ``_numeric_link_notes``), a
    ``[^label]:`` definition (pulldown-cmark's) and a task ``- [x] …`` are not entries of a
    notes list."""
    return bool(LINKREF_DEF.match(line) or CARET_DEF.match(line) or _TASK_ITEM.match(line))


def _skip_blank(text: str, pos: int, stop: int) -> int:
    while pos < stop and text[pos] in " \t\r\n":
        pos += 1
    return pos


# Starts with a letter (no block: list, heading, quote, code), ends with no space (trimmed), and
# holds no character of an inline construct (`\ * _ [ ] < & ~ ^ ! |`) or a line break.
_PLAIN_ENTRY = re.compile(r"[A-Za-z][A-Za-z0-9 .,;:'\"()/?%+=@#$-]*(?<! )")


def _markdown_inline(text: str, start: int, end: int) -> list[MappedText]:
    """A notes-list entry's text as it reads: its inline Markdown parsed (links to their text)."""
    if _PLAIN_ENTRY.fullmatch(text, start, end):
        # one line of letters, digits and punctuation no Markdown construct uses: pulldown-cmark
        # gives it back as one Text event, itself (a parser run per entry cost ~60 us)
        return [MappedText.from_source(text, start, end)]
    plain = _plain_inline(text, start, end)
    if plain is not None:
        return plain
    conv = _Converter(text, _ByteOffsets(""), [])
    conv.inline = _Inline()
    conv.leaf = ("paragraph", 0, start)
    chunk = text[start:end]
    offsets = _ByteOffsets(chunk)
    for event, rng in pyromark.events_with_range(chunk, options=_OPTIONS):
        s = start + offsets.char(rng["start"])
        e = start + offsets.char(rng["end"])
        if isinstance(event, dict) and "Text" in event:
            conv.inline.add(conv.piece(event["Text"], s, e))
        elif isinstance(event, dict) and "Code" in event:
            ticks = len(text[s:e]) - len(text[s:e].lstrip("`"))
            conv.inline.add(conv.piece(event["Code"], s + ticks, e - ticks))
        elif event in ("SoftBreak", "HardBreak"):
            conv.inline.add(MappedText.synthetic(" ", s))
    return [conv.inline.content()]


# Inline syntax pulldown-cmark would read in a notes entry, and a line that would open a block
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>&~|]|\n[ \t]*(?:[#>=+*-]|\d{1,9}[.)])")
_OPENS_BLOCK = re.compile(r"[ \t]*(?:[#>=+*-]|\d{1,9}[.)])")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]+>")


def _plain_inline(text: str, start: int, end: int) -> list[MappedText] | None:
    """``_markdown_inline`` without the parser, for an entry with no Markdown in it but
    autolinks ``<https://…>`` (their brackets dropped): None when there is any.  Most
    entries are such plain text: a parser run and its set-up for each was 8 % of parsing a
    Markdown article with twenty notes.  Line breaks stay: the block's clean-up makes them spaces."""
    if _OPENS_BLOCK.match(text, start, end):
        return None
    pieces: list[MappedText] = []
    pos = start
    for m in _AUTOLINK.finditer(text, start, end):
        if _INLINE_SYNTAX.search(text, pos, m.start()):
            return None
        pieces.append(MappedText.from_source(text, pos, m.start()))
        pieces.append(MappedText.from_source(text, m.start() + 1, m.end() - 1))
        pos = m.end()
    if _INLINE_SYNTAX.search(text, pos, end):
        return None
    pieces.append(MappedText.from_source(text, pos, end))
    return [p for p in pieces if p.text]


# ------------------------------------------------------------------ the document
def _front_matter(text: str, warnings: list[ParseWarning]) -> tuple[int, Metadata, tuple[int, int] | None]:
    m = _FRONT.match(text)
    if not m or not _YAML_KEY.match(m.group(1)):
        return 0, Metadata(), None
    try:
        return m.end(), load_yaml_metadata(m.group(1)), (0, m.end())
    except MetadataError as exc:
        # Still front matter, so still not body text: skip it and say why.
        warnings.append(ParseWarning("front-matter", f"front matter ignored: {exc}", 0))
        return m.end(), Metadata(), (0, m.end())


def _rejoin(blocks: list[Block], depths: list[str], unjoinable: set[int]) -> tuple[list[Block], list[str]]:
    """Paragraphs a page break split mid-sentence, joined — paragraphs only, at one depth:
    a list item, a quote or a heading is never continued by what follows it.  A run of
    pieces is joined once (joining two at a time copies the text each time: quadratic)."""
    groups: list[list[Block]] = []
    out_depths: list[str] = []
    for block, depth in zip(blocks, depths, strict=True):
        if groups:
            last = groups[-1][-1]
            if (
                last.kind == PARAGRAPH
                and block.kind == PARAGRAPH
                and out_depths[-1] == depth
                and id(last) not in unjoinable
                and id(block) not in unjoinable
                and should_join(last if len(groups[-1]) == 1 else _words_before(groups[-1]), block)
            ):
                groups[-1].append(block)
                continue
        groups.append([block])
        out_depths.append(depth)
    return [g[0] if len(g) == 1 else _join_run(g) for g in groups], out_depths


def _words_before(run: list[Block]) -> Block:
    """The last piece of a run standing for the whole: should_join counts the words before
    the break, and a run's pieces together have enough of them."""
    last = run[-1]
    if len(last.text.split()) >= 6:
        return last
    padded = MappedText.join((MappedText.synthetic("w " * 6, 0), last.content))
    return Block(last.kind, padded)


def _join_run(run: list[Block]) -> Block:
    if len(run) == 2:
        return join_blocks(run[0], run[1])
    parts: list[MappedText] = []
    refs: list[Ref] = []
    spans: list[InlineSpan] = []
    offset = 0
    for i, block in enumerate(run):
        if i:
            parts.append(MappedText.synthetic(" ", run[i - 1].source_end))
            offset += 1
        parts.append(block.content)
        refs += [Ref(r.label, r.at + offset, r.source_offset, r.source_end, r.key) for r in block.refs]
        spans += [InlineSpan(sp.kind, sp.start + offset, sp.end + offset, sp.target) for sp in block.spans]
        offset += len(block.text)
    first = run[0]
    return Block(first.kind, MappedText.join(parts), refs, spans, first.marker, first.level)


@without_cycle_collection
def parse_markdown(
    text: str,
    *,
    path,
    doc_id: str | None = None,
    options: ParseOptions | None = None,
    sidecar: Metadata | None = None,
    encoding: str = "utf-8",
    warnings: list[ParseWarning] | None = None,
) -> Document:
    warnings = list(warnings or [])
    text = make_displayable(text)
    meta_spans: dict[str, tuple[int, int]] = {}
    body_start, front, fm_span = _front_matter(text, warnings)
    if fm_span:
        meta_spans["front_matter"] = fm_span
    body_end = _drop_boilerplate(text, body_start, options or ParseOptions())
    # the notes lists at the end first: their labels decide which glued "[16]" are markers
    area, area_headings = end_notes(text, body_start, body_end, options or ParseOptions(), skip=_not_an_entry)
    defined = frozenset(n.key for n in area)
    conv = _Converter(text, _Shifted(_ByteOffsets(text[body_start:body_end]), body_start), warnings, defined)
    body = text[body_start:body_end]
    conv.run(pyromark.events_with_range(body, options=_OPTIONS))
    conv.finish()
    blocks, depths, area_notes, heading_span = _area_notes(text, conv.blocks, conv.depths, area, area_headings)
    if heading_span:
        meta_spans["notes_heading"] = heading_span

    detected, kept = detect_metadata(list(blocks), meta_spans)
    given = (sidecar.title if sidecar else None) or front.title
    if given and blocks and (not kept or blocks[0] is not kept[0]) and "title" in meta_spans:
        # The file's metadata names the title: the first heading is text unless it repeats it.
        if " ".join(blocks[0].text.split()).casefold() != " ".join(given.split()).casefold():
            kept.insert(0, blocks[0])
            del meta_spans["title"]
    kept_ids = {id(b) for b in kept}
    depths = [d for b, d in zip(blocks, depths, strict=True) if id(b) in kept_ids]
    blocks = kept
    blocks, depths = _rejoin(blocks, depths, conv.from_html)
    for block, nesting in zip(blocks, depths, strict=True):
        block.depth = len(nesting)
        block.nesting = nesting

    notes = [_note_from_blocks(text, "^" + n.label, n.label, n.blocks, n.start, n.end) for n in conv.notes]
    notes += area_notes
    notes += _numeric_link_notes(text, body, body_start, blocks)
    notes += _inline_notes(text, blocks)
    footnotes = _link(notes, blocks, warnings)

    request = ReadRequest(path, doc_id or default_id(path), options or ParseOptions(), sidecar or Metadata(), warnings)
    return document_from(
        request,
        front.merged_over(detected),
        fmt="markdown",
        blocks=blocks,
        footnotes=footnotes,
        encoding=encoding,
        meta_spans=meta_spans,
    )


class _Shifted:
    """Byte offsets into the body (after front matter) to character offsets into the file."""

    def __init__(self, inner: _ByteOffsets, base: int) -> None:
        self.inner = inner
        self.base = base
        # ASCII: a shift, no call of ours; else one call (two calls an offset, twice an event,
        # were 3 % of a parse)
        self.char: Callable[[int], int] = base.__add__ if inner.identity else inner.shifted(base)


def _drop_boilerplate(text: str, start: int, options: ParseOptions) -> int:
    """Where the body ends once the site boilerplate lines at its end are dropped."""
    end = len(text)
    while end > start:
        line_start = max(start, text.rfind("\n", start, end) + 1)
        line = text[line_start:end]
        if line.strip() and not options.boilerplate.matches(line):
            break
        end = max(start, line_start - 1)  # the line and the newline before it
    return end if end == len(text) else min(len(text), end + 1)


# "[12]:" wherever it stands (a definition may sit in a quote or a list item): without one,
# there is no numbered link reference to read
_NUMERIC_DEFINITION = re.compile(r"\[[ \t]*\d+[ \t]*\]:")


def _numeric_link_notes(text: str, body: str, body_start: int, blocks: list[Block]) -> list[Footnote]:
    """``[1]`` cited in the text and defined as ``[1]: https://…``: a source list written as link
    references is read as notes (an ordinary ``[text][1]`` link is not a citation)."""
    wanted = {r.key for b in blocks for r in b.refs if r.key.isdigit()}
    if not wanted or _NUMERIC_DEFINITION.search(body) is None:
        return []  # (superscript markers cite digit keys too: no second parse of the body for them)
    notes: list[Footnote] = []
    offsets = _ByteOffsets(body)
    for label, d in pyromark.reference_definitions(body, options=_OPTIONS).items():
        if not label.isdigit() or str(int(label)) not in wanted:
            continue
        s = body_start + offsets.char(d["span"]["start"])
        e = body_start + offsets.char(d["span"]["end"])
        while e > s and text[e - 1] in " \t\r\n":
            e -= 1
        colon = text.find("]:", s, e) + 2
        colon = _skip_blank(text, colon, e)
        content = MappedText.from_source(text, colon, e)
        links = [Link(d["dest"], colon, colon + len(d["dest"]))] if d["dest"] else []
        notes.append(Footnote(str(int(label)), str(int(label)), content, links, source_start=s, source_end=e))
    return notes


def _inline_notes(source: str, blocks: list[Block]) -> list[Footnote]:
    """Pandoc's ``^[text]``: taken out of the text, a note numbered in order, cited where it stood."""
    notes: list[Footnote] = []
    for block in blocks:
        if block.kind == CODE or "^[" not in block.text:
            continue
        code = [(sp.start, sp.end) for sp in block.spans if sp.kind == "code"]
        found = [(a, b) for a, b in _inline_note_ranges(block.text) if not any(a < ce and cs < b for cs, ce in code)]
        if (
            not found
            or not "".join(
                block.text[b:a] for (_, b), (a, _) in zip([(0, 0), *found], [*found, (len(block.text), 0)], strict=True)
            ).strip()
        ):
            continue  # nothing else in the block: it stays as it is written
        edits = [Edit(a, b) for a, b in found]
        content, position = block.content.edit(edits)
        for a, b in found:
            n = len(notes) + 1
            inner = block.content.slice(a + 2, b - 1)
            s0, s1 = block.content.source_span(a, b)
            notes.append(
                Footnote(f"^inline-{n}", str(n), inner, _links(source, s0, s1, []), source_start=s0, source_end=s1)
            )
            block.refs.append(Ref(str(n), position(a), s0, s1, f"^inline-{n}"))
        for ref in block.refs[: -len(found)]:
            ref.at = position(ref.at)
        block.spans = [
            InlineSpan(sp.kind, position(sp.start), position(sp.end), sp.target)
            for sp in block.spans
            if not any(a <= sp.start and sp.end <= b for a, b in found)
        ]
        # a note that stood before a space or at the end leaves the space doubled or trailing
        trimmed = content.text.rstrip()
        block.content = content.slice(0, len(trimmed)) if trimmed != content.text else content
        for ref in block.refs:
            ref.at = min(ref.at, len(trimmed))
        block.spans = [
            InlineSpan(sp.kind, sp.start, min(sp.end, len(trimmed)), sp.target)
            for sp in block.spans
            if sp.start < len(trimmed)
        ]
        block.refs.sort(key=lambda r: r.at)
    return notes


def _link(notes: list[Footnote], blocks: list[Block], warnings: list[ParseWarning]) -> list[Footnote]:
    """Markers resolved to notes; a marker with no note and a note never cited, reported."""
    by_key: dict[str, Footnote] = {}
    for note in notes:
        if note.key in by_key:
            warnings.append(
                ParseWarning(
                    "duplicate-note", f"note {note.label} is defined twice; the first is used", note.source_start
                )
            )
        else:
            by_key[note.key] = note
    undefined = cite_notes(blocks, by_key, notes, warnings)
    return notes + undefined


def read(request: ReadRequest) -> Document:
    source = read_text_source(request)
    return parse_markdown(
        source.text,
        path=request.path,
        doc_id=request.doc_id,
        options=request.options,
        sidecar=request.sidecar,
        encoding=source.encoding,
        warnings=request.warnings,
    )


FORMAT = Format("markdown", frozenset({".md", ".markdown", ".mdown", ".mkd"}), read, description="Markdown")
