"""Turn an article's text into a ``Document``: blocks with footnote references,
linked footnotes, metadata, and warnings — every span traceable to the file.

The pipeline, in order:
  1. front matter, then lines (with their offsets), code fences marked;
  2. trailing site boilerplate dropped;
  3. note definitions found (Markdown/reST anywhere, numbered lists at the end);
  4. the remaining lines grouped into blocks and cleaned inline;
  5. title, byline, dateline, contributors and signature recognised;
  6. paragraphs split mid-sentence by a page break rejoined;
  7. markers resolved to notes; missing and uncited notes reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .clean import DEFAULT_BOILERPLATE, BoilerplateMatcher, rejoin_split_paragraphs
from .dates import parse_date_line
from .footnotes import (
    CARET_DEF,
    LINKREF_DEF,
    NOTES_HEADING,
    RST_DEF,
    end_area_definition,
    find_urls,
    note_key_order,
)
from .inline import clean_inline
from .mapped import Edit, MappedText
from .metadata import (
    Metadata,
    MetadataError,
    load_yaml_metadata,
    names_in,
    parse_byline,
    parse_contributors,
    parse_signature,
    split_front_matter,
)
from .model import (
    CODE,
    CONTRIBUTORS,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    SIGNATURE,
    TABLE,
    Block,
    Document,
    Footnote,
    Link,
    ParseWarning,
    Ref,
)
from .visible import make_displayable


@dataclass(frozen=True, slots=True)
class ParseOptions:
    boilerplate: BoilerplateMatcher = field(default_factory=lambda: BoilerplateMatcher(DEFAULT_BOILERPLATE))


def default_id(path: Path) -> str:
    return slugify(path.stem)


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w.-]+", "-", text.strip().lower()).strip("-.")
    return slug or "document"


# ------------------------------------------------------------------ lines
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_TABLE = re.compile(r"^[ \t]*\|")
_LIST = re.compile(
    r"^(?P<indent>[ \t]{0,8})(?:(?P<bullet>[-*+•◦▪‣])[ \t]+)?(?P<num>(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)])?[ \t]+(?=\S)"
)
_HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def _split_lines(text: str, begin: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    for m in _LINE.finditer(text, begin):
        if m.start() == m.end():
            break
        content_end = m.end()
        while content_end > m.start() and text[content_end - 1] in "\r\n":
            content_end -= 1
        lines.append((m.start(), content_end))
    return lines


def _indent(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _list_marker(line: str) -> re.Match[str] | None:
    m = _LIST.match(line)
    if not m or not (m.group("bullet") or m.group("num")):
        return None
    return m


@dataclass(slots=True)
class _RawDef:
    key: str
    label: str
    kind: str
    first_line: int
    end_line: int  # exclusive
    label_end: int  # source offset where the note's text starts


class _Parser:
    def __init__(self, text: str, fmt: str, options: ParseOptions, warnings: list[ParseWarning]) -> None:
        self.text = text
        self.markdown = fmt == "markdown"
        self.options = options
        self.warnings = warnings
        self.meta_spans: dict[str, tuple[int, int]] = {}

    # -- helpers -------------------------------------------------------
    def line(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]

    def blank(self, i: int) -> bool:
        return not self.line(i).strip()

    # -- step 1 ----------------------------------------------------------
    def split(self, begin: int) -> None:
        self.lines = _split_lines(self.text, begin)
        n = len(self.lines)
        self.code = bytearray(n)  # 1: inside a fence, 2: the fence line itself
        fence: str | None = None
        for i in range(n):
            m = _FENCE.match(self.line(i))
            if fence is None:
                if m:
                    fence = m.group(1)
                    self.code[i] = 2
            else:
                if (
                    m
                    and m.group(1)[0] == fence[0]
                    and len(m.group(1)) >= len(fence)
                    and not self.line(i)[m.end() :].strip()
                ):
                    self.code[i] = 2
                    fence = None
                else:
                    self.code[i] = 1
        if fence is not None:
            self.warnings.append(ParseWarning("unclosed-code", "a code fence is never closed"))
        self.consumed = bytearray(n)

    # -- step 2 ----------------------------------------------------------
    def drop_trailing_boilerplate(self) -> int:
        end = len(self.lines)
        dropped = 0
        while end > 0:
            i = end - 1
            if self.blank(i):
                end -= 1
                continue
            if self.code[i] or not self.options.boilerplate.matches(self.line(i)):
                break
            end -= 1
            dropped += 1
        self.end = end
        return dropped

    # -- step 3 ----------------------------------------------------------
    def _continuation_end(self, i: int, min_indent: int, lazy: bool) -> int:
        j = i + 1
        while j < self.end:
            if self.code[j] == 2:
                break
            if self.blank(j):
                k = j + 1
                while k < self.end and self.blank(k):
                    k += 1
                if k < self.end and _indent(self.line(k)) >= min_indent:
                    j = k
                    continue
                break
            s = self.line(j)
            if _indent(s) >= min_indent:
                j += 1
                continue
            if (
                lazy
                and not self.blank(j - 1)
                and not (CARET_DEF.match(s) or RST_DEF.match(s) or _ATX.match(s) or _list_marker(s))
            ):
                j += 1
                continue
            break
        return j

    def find_inline_definitions(self) -> list[_RawDef]:
        defs: list[_RawDef] = []
        i = 0
        while i < self.end:
            if self.code[i] or self.consumed[i]:
                i += 1
                continue
            s = self.line(i)
            start = self.lines[i][0]
            m = CARET_DEF.match(s)
            if m:
                j = self._continuation_end(i, 4, lazy=True)
                defs.append(_RawDef("^" + m.group(1), m.group(1), "markdown", i, j, start + m.end()))
            else:
                m = RST_DEF.match(s)
                if m:
                    j = self._continuation_end(i, 3, lazy=False)
                    label = m.group(1)
                    key = label if label.isdigit() else "rst:" + label
                    defs.append(_RawDef(key, label, "rst", i, j, start + m.end()))
                elif self.markdown and (m := LINKREF_DEF.match(s)):
                    j = i + 1
                    defs.append(_RawDef(str(int(m.group(1))), str(int(m.group(1))), "linkref", i, j, start + m.end()))
                else:
                    i += 1
                    continue
            for k in range(i, j):
                self.consumed[k] = 1
            i = j
        return defs

    def find_notes_area(self) -> list[_RawDef]:
        """The numbered notes list at the end: the longest run of entries, in order, up to the end."""
        heading = -1
        for i in range(self.end - 1, -1, -1):
            if not self.code[i] and not self.consumed[i] and NOTES_HEADING.match(self.line(i)):
                heading = i
                break
        candidates: list[tuple[int, str, int]] = []
        for i in range(self.end):
            if self.code[i] or self.consumed[i]:
                continue
            found = end_area_definition(self.line(i), under_notes_heading=heading >= 0 and i > heading)
            if found:
                candidates.append((i, found[0], self.lines[i][0] + found[1]))
        chain: list[tuple[int, str, int]] = []
        ceiling = None
        for cand in reversed(candidates):
            order = note_key_order(cand[1])
            if ceiling is not None and order > ceiling:
                break
            chain.append(cand)
            ceiling = order
        chain.reverse()
        if not chain:
            return []
        first = chain[0][0]
        # A notes heading just above the list belongs to it.
        k = first - 1
        while k >= 0 and self.blank(k):
            k -= 1
        if k >= 0 and k == heading:
            first = heading
            self.meta_spans["notes_heading"] = self.lines[heading]
        defs: list[_RawDef] = []
        for n, (line_idx, key, label_end) in enumerate(chain):
            stop = chain[n + 1][0] if n + 1 < len(chain) else self.end
            defs.append(_RawDef(key, key, "numbered", line_idx, stop, label_end))
        for k in range(first, self.end):
            self.consumed[k] = 1
        return defs

    # -- step 4 ----------------------------------------------------------
    def group_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        current: list[int] = []
        current_kind = PARAGRAPH
        i = 0
        end = self.end

        def flush() -> None:
            nonlocal current, current_kind
            if current:
                block = self._make_block(current_kind, current)
                if block is not None:
                    blocks.append(block)
            current = []
            current_kind = PARAGRAPH

        while i < end:
            if self.consumed[i]:
                flush()
                i += 1
                continue
            if self.code[i]:
                flush()
                j = i
                while j < end and self.code[j]:
                    j += 1
                code_block = self._code_block([k for k in range(i, j) if self.code[k] == 1])
                if code_block is not None:
                    blocks.append(code_block)
                i = j
                continue
            s = self.line(i)
            if not s.strip() or _HTML_COMMENT_LINE.match(s):
                flush()
                i += 1
                continue
            if _ATX.match(s):
                flush()
                current_kind, current = HEADING, [i]
                flush()
                i += 1
                continue
            if (
                self.markdown
                and current
                and current_kind == PARAGRAPH
                and i + 1 <= end
                and _SETEXT.match(s)
                and not _list_marker(s)
            ):
                # the underline of a setext heading: the lines above are the heading
                heading_lines = current
                current = []
                blocks.append(self._make_block(HEADING, heading_lines, setext="=" in s))  # type: ignore[arg-type]
                i += 1
                continue
            if _RULE.match(s):
                flush()
                i += 1
                continue
            if _QUOTE.match(s):
                if current_kind != QUOTE:
                    flush()
                    current_kind = QUOTE
                current.append(i)
                i += 1
                continue
            if _TABLE.match(s):
                if current_kind != TABLE:
                    flush()
                    current_kind = TABLE
                current.append(i)
                i += 1
                continue
            if (
                self.markdown
                and not current
                and _indent(s) >= 4
                and (i == 0 or self.blank(i - 1))
                and not (blocks and blocks[-1].kind == LIST_ITEM)
            ):
                j = i
                while j < end and (self.blank(j) or _indent(self.line(j)) >= 4) and not self.consumed[j]:
                    j += 1
                while j > i and self.blank(j - 1):
                    j -= 1
                code_block = self._code_block(list(range(i, j)), dedent=4)
                if code_block is not None:
                    blocks.append(code_block)
                i = j
                continue
            if _list_marker(s):
                flush()
                current_kind, current = LIST_ITEM, [i]
                i += 1
                continue
            if current_kind in (QUOTE, TABLE):
                flush()
            elif current and (_own_line(s) or _own_line(self.line(current[-1]))):
                flush()
            current.append(i)
            i += 1
        flush()
        return blocks

    def _code_block(self, line_idxs: list[int], dedent: int = 0) -> Block | None:
        while line_idxs and self.blank(line_idxs[0]):
            line_idxs = line_idxs[1:]
        while line_idxs and self.blank(line_idxs[-1]):
            line_idxs = line_idxs[:-1]
        if not line_idxs:
            return None
        start = self.lines[line_idxs[0]][0]
        end = self.lines[line_idxs[-1]][1]
        content = MappedText.from_source(self.text, start, end)
        if dedent:
            edits = []
            for k in line_idxs:
                ls, _ = self.lines[k]
                cut = 0
                s = self.line(k)
                while cut < len(s) and cut < dedent and s[cut] == " ":
                    cut += 1
                if cut:
                    edits.append(Edit(ls - start, ls - start + cut))
            content, _ = content.edit(edits)
        return Block(CODE, content)

    def _make_block(self, kind: str, line_idxs: list[int], setext: bool | None = None) -> Block | None:
        start = self.lines[line_idxs[0]][0]
        end = self.lines[line_idxs[-1]][1]
        raw = MappedText.from_source(self.text, start, end)
        edits: list[Edit] = []
        marker = ""
        level = 0
        first = self.line(line_idxs[0])
        if kind == HEADING:
            if setext is None:
                m = _ATX.match(first)
                assert m is not None
                level = len(m.group(1))
                edits.append(Edit(0, m.end()))
                close = _ATX_CLOSE.search(first)
                if close and close.start() >= m.end():
                    edits.append(Edit(close.start(), len(first)))
            else:
                level = 1 if setext else 2
        elif kind == LIST_ITEM:
            m = _list_marker(first)
            assert m is not None
            marker = (m.group("num") or m.group("bullet") or "").strip()
            edits.append(Edit(0, m.end()))
        elif kind == QUOTE:
            for k in line_idxs:
                ls, _ = self.lines[k]
                m = _QUOTE.match(self.line(k))
                if m:
                    edits.append(Edit(ls - start, ls - start + m.end()))
        if kind == TABLE:
            return Block(TABLE, raw)
        content, _ = raw.edit(edits)
        cleaned = clean_inline(content, markdown=self.markdown)
        if not cleaned.content.text:
            return None
        if kind == PARAGRAPH and not self.markdown and len(line_idxs) == 1 and _plain_heading(cleaned.content.text):
            kind, level = HEADING, 2
        refs: list[Ref] = []
        for mk, at in cleaned.markers:
            src_start, src_end = content.source_span(mk.start, mk.end)
            for key in mk.keys:
                label = key.split(":", 1)[-1].lstrip("^") if not key.isdigit() else key
                refs.append(Ref(label, at, src_start, src_end, key))
        return Block(kind, cleaned.content, refs, cleaned.spans, marker, level)


def _own_line(line: str) -> bool:
    """A byline, dateline or contributors line stands alone even without blank lines around it."""
    if len(line) > 160:
        return False
    return bool(parse_byline(line) or parse_contributors(line) or (len(line) < 80 and parse_date_line(line)))


def _plain_heading(text: str) -> bool:
    """A short standalone line in a plain-text file that reads as a heading."""
    words = text.split()
    if not 1 <= len(words) <= 12 or len(text) > 100:
        return False
    if text.rstrip()[-1] in ".,;:!\"”'’)" or not (text[0].isupper() or text[0].isdigit()):
        return False
    return True


# ----------------------------------------------------------------- public
def parse_text(
    text: str,
    *,
    path: Path,
    fmt: str = "text",
    doc_id: str | None = None,
    options: ParseOptions | None = None,
    sidecar: Metadata | None = None,
    encoding: str = "utf-8",
    warnings: list[ParseWarning] | None = None,
    titled: bool = False,
) -> Document:
    """``titled``: the title is known from elsewhere (an e-mail's subject), so the first
    line is text, not a title to take out."""
    options = options or ParseOptions()
    warnings = list(warnings or [])
    text = make_displayable(text)
    parser = _Parser(text, fmt, options, warnings)

    body_start, fm_yaml = split_front_matter(text)
    front = Metadata()
    if fm_yaml is not None:
        parser.meta_spans["front_matter"] = (0, body_start)
        try:
            front = load_yaml_metadata(fm_yaml)
        except MetadataError as exc:
            # Still front matter, so still not body text: skip it and say why.
            warnings.append(ParseWarning("front-matter", f"front matter ignored: {exc}", 0))
    parser.split(body_start)
    parser.drop_trailing_boilerplate()
    defs = parser.find_inline_definitions()
    defs += parser.find_notes_area()
    blocks = parser.group_blocks()

    detected, blocks = _detect_metadata(blocks, parser.meta_spans, titled=titled)
    blocks = rejoin_split_paragraphs(blocks)
    footnotes = _link_footnotes(text, parser, defs, blocks, warnings)

    meta = (sidecar or Metadata()).merged_over(front.merged_over(detected))
    title = meta.title or path.stem.replace("_", " ").replace("-", " ").strip() or "Untitled"
    # Metadata from YAML reaches the terminal too: make it displayable like the text.
    title = " ".join(make_displayable(title).split())
    meta.authors = [make_displayable(a) for a in meta.authors]
    meta.tags = [make_displayable(t) for t in meta.tags]
    meta.source = make_displayable(meta.source) if meta.source else None
    return Document(
        id=doc_id or default_id(path),
        path=path,
        format=fmt,
        title=title,
        authors=meta.authors,
        date=meta.date,
        date_end=meta.date_end,
        source=meta.source,
        url=meta.url,
        tags=meta.tags,
        blocks=blocks,
        footnotes=footnotes,
        warnings=warnings,
        encoding=encoding,
        meta_spans=parser.meta_spans,
    )


# ---------------------------------------------------------------- metadata
_HEADER_SCAN = 6
_TITLE_MAX_WORDS = 30


def _title_like(block: Block) -> bool:
    text = block.text
    if block.kind == HEADING:
        return True
    if block.kind != PARAGRAPH or len(text.split()) > _TITLE_MAX_WORDS or len(text) > 300:
        return False
    if parse_byline(text) or parse_date_line(text):
        return False
    return not text.rstrip().endswith((".", ",", ";", ":")) or len(text.split()) <= 12


def _detect_metadata(
    blocks: list[Block], spans: dict[str, tuple[int, int]], *, titled: bool = False
) -> tuple[Metadata, list[Block]]:
    meta = Metadata()
    consumed: set[int] = set()
    idx = 0
    if blocks and not titled and _title_like(blocks[0]):
        meta.title = blocks[0].text
        spans["title"] = (blocks[0].source_start, blocks[0].source_end)
        consumed.add(0)
        idx = 1
    scanned = 0
    while idx < len(blocks) and scanned < _HEADER_SCAN:
        block = blocks[idx]
        text = block.text
        words = len(text.split())
        if block.kind not in (PARAGRAPH, HEADING) or words > 40:
            break
        scanned += 1
        byline = parse_byline(text) if words <= 25 else None
        if byline and not meta.authors:
            meta.authors = byline.authors
            if byline.date and not meta.date:
                meta.date, meta.date_end = byline.date.iso, byline.date.iso_end
            spans["byline"] = (block.source_start, block.source_end)
            consumed.add(idx)
        elif (dm := parse_date_line(text)) and not meta.date:
            meta.date, meta.date_end = dm.iso, dm.iso_end
            spans["dateline"] = (block.source_start, block.source_end)
            consumed.add(idx)
        elif not meta.authors and scanned <= 2 and (names := names_in(text)):
            meta.authors = names
            spans["authors"] = (block.source_start, block.source_end)
            consumed.add(idx)
        idx += 1

    for i, block in enumerate(blocks):
        if i in consumed or block.kind not in (PARAGRAPH, HEADING):
            continue
        names = parse_contributors(block.text)
        if names:
            block.kind = CONTRIBUTORS
            meta.authors = meta.authors + [n for n in names if n not in meta.authors]
    for i in range(len(blocks) - 1, -1, -1):
        if i in consumed:
            continue
        block = blocks[i]
        if block.kind == PARAGRAPH:
            sig = parse_signature(block.text, meta.authors)
            if sig:
                block.kind = SIGNATURE
                if not meta.authors:
                    meta.authors = [sig.name]
                if sig.source and not meta.source:
                    meta.source = sig.source
        if block.kind != CONTRIBUTORS:
            break
    return meta, [b for i, b in enumerate(blocks) if i not in consumed]


# --------------------------------------------------------------- footnotes
def _link_footnotes(
    text: str, parser: _Parser, defs: list[_RawDef], blocks: list[Block], warnings: list[ParseWarning]
) -> list[Footnote]:
    cited_keys = {ref.key for b in blocks for ref in b.refs}
    notes: list[Footnote] = []
    by_key: dict[str, Footnote] = {}
    for d in sorted(defs, key=lambda d: d.first_line):
        if d.kind == "linkref" and d.key not in cited_keys:
            continue  # an ordinary Markdown link reference, not a note
        last = d.end_line - 1
        while last > d.first_line and parser.blank(last):
            last -= 1
        start = parser.lines[d.first_line][0]
        end = parser.lines[last][1]
        raw = MappedText.from_source(text, d.label_end, end)
        cleaned = clean_inline(raw, markdown=parser.markdown, detect_markers=False, keep_paragraphs=True)
        links = []
        for url, a, b in find_urls(raw.text):
            s0, s1 = raw.source_span(a, b)
            links.append(Link(url, s0, s1))
        note = Footnote(d.key, d.label, cleaned.content, links, source_start=start, source_end=end)
        if d.key in by_key:
            warnings.append(
                ParseWarning("duplicate-note", f"note {d.label} is defined twice; the first is used", start)
            )
        else:
            by_key[d.key] = note
        notes.append(note)

    undefined: list[Footnote] = []
    for bi, block in enumerate(blocks):
        for ref in block.refs:
            note = by_key.get(ref.key)
            if note is None:
                note = Footnote(
                    ref.key,
                    ref.label,
                    MappedText("", ()),
                    defined=False,
                    source_start=ref.source_offset,
                    source_end=ref.source_end,
                )
                by_key[ref.key] = note
                undefined.append(note)
            if not note.defined:
                warnings.append(
                    ParseWarning("unresolved-marker", f"marker {ref.label} has no matching note", ref.source_offset)
                )
            note.cited_at.append((bi, ref.at))
    for note in notes:
        if note.defined and not note.cited_at and by_key.get(note.key) is note:
            warnings.append(
                ParseWarning("uncited-note", f"note {note.label} is never cited in the text", note.source_start)
            )
    return notes + undefined
