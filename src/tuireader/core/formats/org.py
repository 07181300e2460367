"""Org mode (.org): headings by ``*`` depth, ``#+TITLE:``/``#+AUTHOR:``/``#+DATE:``,
footnotes ``[fn:name]`` (defined at the start of a line, usually under a
``* Footnotes`` heading), inline ``[fn:: text]`` and ``[fn:name: text]``, blocks
(``#+BEGIN_QUOTE``, ``SRC``, ``EXAMPLE``, …), tables, lists and ``[[url][text]]``.

Notes are numbered as Org's exporters number them: in the order they are first
cited, whatever their names.  Offsets are character offsets in the decoded file.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left

from ..metadata import Metadata
from ..model import CODE, HEADING, LIST_ITEM, PARAGRAPH, QUOTE, TABLE, Block, Document, ParseWarning
from ..textio import DocumentError
from . import Format, ReadRequest, read_text_source
from ._assemble import Draft, NoteDraft, assemble, iso_date, split_names

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_HEADING = re.compile(r"(\*+)[ \t]+")
_TODO = re.compile(r"(?:TODO|DONE|NEXT|WAITING|CANCELL?ED)[ \t]+")
_PRIORITY = re.compile(r"\[#[A-Z0-9]\][ \t]+")
_TAGS = re.compile(r"[ \t]+:[\w@#%:]+:[ \t]*$")
_KEYWORD = re.compile(r"[ \t]*#\+(\w+):[ \t]*(.*)")
_BEGIN = re.compile(r"[ \t]*#\+BEGIN_(\w+)", re.IGNORECASE)
_DEFINITION = re.compile(r"\[fn:([\w-]+)\][ \t]*")
_LIST = re.compile(r"([ \t]*)(?:[-+]|[ \t]+\*|\d{1,3}[.)])[ \t]+(?:\[[ xX-]\][ \t]+)?")
_TABLE = re.compile(r"[ \t]*\|")
_HLINE = re.compile(r"[ \t]*\|-")
_FIXED = re.compile(r"[ \t]*:(?: |$)")
_RULE = re.compile(r"[ \t]*-{5,}[ \t]*$")
_COMMENT = re.compile(r"[ \t]*#(?: |$)")
_DRAWER = re.compile(r"[ \t]*:([\w-]+):[ \t]*$")
_MAX_NESTING = 8  # emphasis in a link in a note…: deeper than this, marks are text
# A link to a local picture, which Org shows inline: [[file:map.png]], [[./map.png][Map]]
_IMAGE_LINK = re.compile(
    r"(?i)^(?:file:|attachment:)?((?![a-z][a-z0-9+.-]*:)[^\n]*\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?))$"
)
_LINK = re.compile(r"\[\[([^\[\]]+)\](?:\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\])?\]")
_INLINE = re.compile(r"\[fn:|\[\[|[*/=~]")
_EMPHASIS_POST = " \t\r\n-.,:!?;'\")}[\\"
_EMPHASIS_PRE = " \t\r\n-({'\""
_VERBATIM_BLOCKS = frozenset({"SRC", "EXAMPLE", "EXPORT", "LATEX", "HTML"})
_QUOTE_BLOCKS = frozenset({"QUOTE", "VERSE"})


class _Org:
    def __init__(self, request: ReadRequest, text: str) -> None:
        self.request = request
        self.text = text
        self.lines: list[tuple[int, int]] = []
        for m in _LINE.finditer(text):
            if m.start() == m.end():
                break
            end = m.end()
            while end > m.start() and text[end - 1] in "\r\n":
                end -= 1
            self.lines.append((m.start(), end))
        self.blocks: list[Block] = []
        self.notes: dict[str, NoteDraft] = {}
        self.anonymous = 0
        self.meta = Metadata()
        self.meta_spans: dict[str, tuple[int, int]] = {}

    def line(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]

    def blank(self, i: int) -> bool:
        return not self.line(i).strip()

    # -- blocks ----------------------------------------------------------
    def read(self) -> None:
        i, count = 0, len(self.lines)
        while i < count:
            s = self.line(i)
            if not s.strip() or _RULE.match(s):
                i += 1
            elif m := _HEADING.match(s):
                self.heading(i, m)
                i += 1
            elif m := _DEFINITION.match(s):
                i = self.definition(i, m)
            elif m := _BEGIN.match(s):
                i = self.special_block(i, m.group(1).upper())
            elif m := _KEYWORD.match(s):
                self.keyword(i, m)
                i += 1
            elif _COMMENT.match(s):
                i += 1
            elif (m := _DRAWER.match(s)) and m.group(1).upper() != "END":
                j = i + 1
                while j < count and not re.match(r"[ \t]*:END:[ \t]*$", self.line(j), re.IGNORECASE):
                    j += 1
                i = j + 1
            elif _TABLE.match(s):
                j = i
                while j < count and _TABLE.match(self.line(j)):
                    j += 1
                self.table(i, j)
                i = j
            elif _FIXED.match(s):
                j = i
                while j < count and _FIXED.match(self.line(j)):
                    j += 1
                self.fixed(i, j)
                i = j
            elif m := _LIST.match(s):
                i = self.list_item(i, m)
            else:
                j = i + 1
                while j < count and self.paragraph_continues(j):
                    j += 1
                self.paragraph(i, j, PARAGRAPH)
                i = j

    def paragraph_continues(self, j: int) -> bool:
        s = self.line(j)
        if not s.strip():
            return False
        return not any(
            p.match(s) for p in (_HEADING, _DEFINITION, _BEGIN, _KEYWORD, _TABLE, _LIST, _FIXED, _COMMENT, _RULE)
        )

    def heading(self, i: int, m: re.Match[str]) -> None:
        start, end = self.lines[i]
        s = self.line(i)
        pos = m.end()
        for pattern in (_TODO, _PRIORITY):
            if p := pattern.match(s, pos):
                pos = p.end()
        tags = _TAGS.search(s, pos)
        stop = tags.start() if tags else len(s)
        if s[pos:stop].strip().lower() == "footnotes":
            return  # the section Org keeps note definitions under: they are notes, not text
        draft = Draft(kind=HEADING, level=len(m.group(1)))
        self.inline(start + pos, start + stop, draft)
        self.add(draft)

    def keyword(self, i: int, m: re.Match[str]) -> None:
        start, end = self.lines[i]
        key, value = m.group(1).upper(), m.group(2).strip()
        span = (start, end)
        if key == "TITLE" and value:
            self.meta.title = f"{self.meta.title} {value}" if self.meta.title else value
            self.meta_spans["title"] = span
        elif key == "AUTHOR" and value:
            self.meta.authors.extend(split_names(value))
            self.meta_spans["authors"] = span
        elif key == "DATE" and value:
            self.meta.date, self.meta.date_end = iso_date(value)
            self.meta_spans["dateline"] = span
        elif key == "FILETAGS":
            self.meta.tags = [t for t in re.split(r"[:\s]+", value) if t]
        elif key in ("URL", "SOURCE") and value:
            if key == "URL":
                self.meta.url = value
            else:
                self.meta.source = value

    def special_block(self, i: int, kind: str) -> int:
        count = len(self.lines)
        end_re = re.compile(r"[ \t]*#\+END_" + re.escape(kind) + r"\b", re.IGNORECASE)
        j = i + 1
        while j < count and not end_re.match(self.line(j)):
            j += 1
        if j >= count:
            self.request.warnings.append(
                ParseWarning("unclosed-block", f"#+BEGIN_{kind} is never closed; read to the end", self.lines[i][0])
            )
        if kind in _VERBATIM_BLOCKS:
            self.fixed(i + 1, j, strip=None)
        else:
            k = i + 1
            block_kind = QUOTE if kind in _QUOTE_BLOCKS else PARAGRAPH
            while k < j:
                if self.blank(k):
                    k += 1
                    continue
                e = k + 1
                while e < j and not self.blank(e):
                    e += 1
                self.paragraph(k, e, block_kind)
                k = e
        return j + 1

    def fixed(self, i: int, j: int, strip: re.Pattern[str] | None = _FIXED) -> None:
        draft = Draft(kind=CODE, keep_lines=True)
        for k in range(i, j):
            start, end = self.lines[k]
            s = self.line(k)
            m = strip.match(s) if strip is not None else None
            cut = m.end() if m else 0
            if draft.length:
                draft.synthetic("\n", start)
            draft.text(s[cut:], start + cut)
        self.add(draft)

    def table(self, i: int, j: int) -> None:
        draft = Draft(kind=TABLE, keep_lines=True)
        for k in range(i, j):
            if _HLINE.match(self.line(k)):
                continue
            start, end = self.lines[k]
            if draft.length:
                draft.synthetic("\n", start)
            s = self.line(k).rstrip()
            first = s.index("|") + 1
            last = s.rindex("|") if s.rindex("|") >= first else len(s)
            cells = s[first:last].split("|")
            pos = start + first
            draft.cells.append([])
            for c, cell in enumerate(cells):
                if c:
                    draft.synthetic(" | ", pos)
                lead = len(cell) - len(cell.lstrip())
                one = Draft()
                self.inline(pos + lead, pos + len(cell.rstrip()), one)
                done = one.finish()
                base = draft.length
                if done is not None:
                    content, refs, _spans = done
                    draft.mapped(content)
                    draft.refs.extend((r.label, r.key, base + r.at, r.source_offset, r.source_end) for r in refs)
                draft.cells[-1].append((base, draft.length))
                pos += len(cell) + 1
        self.add(draft)

    def list_item(self, i: int, m: re.Match[str]) -> int:
        indent = len(m.group(1).expandtabs())
        marker = self.line(i)[m.start() : m.end()].strip()
        marker = "•" if marker[:1] in "-+*" else marker.split()[0]
        j = i + 1
        count = len(self.lines)
        while j < count and self.paragraph_continues(j):
            s = self.line(j)
            if len(s.expandtabs()) - len(s.expandtabs().lstrip()) <= indent:
                break  # a line back at the bullet's column ends the item
            j += 1
        start = self.lines[i][0]
        draft = Draft(kind=LIST_ITEM, marker=marker)
        self.inline(start + m.end(), self.lines[j - 1][1], draft)
        self.add(draft)
        return j

    def paragraph(self, i: int, j: int, kind: str) -> None:
        draft = Draft(kind=kind)
        self.inline(self.lines[i][0], self.lines[j - 1][1], draft)
        self.add(draft)

    def definition(self, i: int, m: re.Match[str]) -> int:
        name = m.group(1)
        count = len(self.lines)
        j = i + 1
        blanks = 0
        while j < count:
            s = self.line(j)
            if _HEADING.match(s) or _DEFINITION.match(s):
                break
            blanks = blanks + 1 if not s.strip() else 0
            if blanks >= 2:
                break
            j += 1
        last = j - 1
        while last > i and self.blank(last):
            last -= 1
        start, end = self.lines[i][0], self.lines[last][1]
        note = NoteDraft(name, name, start, end)
        k = i
        para_start = start + m.end()
        while k <= last:
            e = k
            while e + 1 <= last and not self.blank(e + 1):
                e += 1
            para = Draft()
            self.inline(para_start, self.lines[e][1], para, in_note=True)
            note.paragraphs.append(para)
            k = e + 1
            while k <= last and self.blank(k):
                k += 1
            if k <= last:
                para_start = self.lines[k][0]
        self.define(note)
        return j

    def define(self, note: NoteDraft) -> None:
        if note.key in self.notes:
            self.request.warnings.append(
                ParseWarning(
                    "duplicate-note", f"note {note.key} is defined twice; the first is used", note.source_start
                )
            )
            return
        self.notes[note.key] = note

    def add(self, draft: Draft) -> None:
        block = draft.block()
        if block is not None:
            self.blocks.append(block)

    # -- inline ------------------------------------------------------------
    def inline(self, start: int, end: int, draft: Draft, *, in_note: bool = False, depth: int = 0) -> None:
        text = self.text
        pos = start  # text before pos is in the draft
        scan = start  # where to look for the next construct
        closers: dict[str, list[int]] | None = None  # where each emphasis mark may close, found once
        brackets: dict[int, int] | None = None
        while scan < end and depth < _MAX_NESTING:
            m = _INLINE.search(text, scan, end)
            if m is None:
                break
            at = m.start()
            token = m.group()
            if token == "[fn:":
                if brackets is None:
                    brackets = _bracket_pairs(text, start, end)
                close = brackets.get(at, -1)
                inner = text[at + 4 : close] if close >= 0 else ""
                name_m = re.match(r"([\w-]*)(?::|$)", inner) if close >= 0 else None
                if name_m is None or (not name_m.group(1) and ":" not in inner) or in_note:
                    scan = at + 1
                    continue
                draft.text(text[pos:at], pos)
                name = name_m.group(1)
                body_start = at + 4 + name_m.end()
                if ":" in inner[: name_m.end()]:  # an inline definition: [fn:: text] or [fn:name: text]
                    if not name:
                        self.anonymous += 1
                        name = f"anonymous-{self.anonymous}"
                    note = NoteDraft(name, name, at, close + 1)
                    para = Draft()
                    self.inline(body_start, close, para, in_note=True, depth=depth + 1)
                    note.paragraphs.append(para)
                    self.define(note)
                draft.ref(name, name, at, close + 1)
                pos = scan = close + 1
                continue
            if token == "[[":
                link = _LINK.match(text, at, end)
                if link is None:
                    scan = at + 2
                    continue
                draft.text(text[pos:at], pos)
                target = link.group(1)
                image = _IMAGE_LINK.match(target)
                if image:
                    # a picture: what a reader of the text can have of it, as in the other formats
                    desc = link.group(2)
                    alt = " ".join(desc.split()) if desc and desc.strip() else posixpath.basename(image.group(1))
                    draft.text(f"[image: {alt}]", at, exact=False, source_len=link.end() - at)
                    pos = scan = link.end()
                    continue
                draft.open_span("link", target if re.match(r"(?i)(?:https?|mailto):", target) else "")
                if link.group(2) is not None:
                    self.inline(link.start(2), link.end(2), draft, in_note=in_note, depth=depth + 1)
                else:
                    draft.text(target, link.start(1))
                draft.close_span()
                pos = scan = link.end()
                continue
            # emphasis: *bold* /italic/ =verbatim= ~code~, with Org's rules for what may border them
            if (at > start and text[at - 1] not in _EMPHASIS_PRE) or at + 1 >= end or text[at + 1].isspace():
                scan = at + 1
                continue
            # as in Org, emphasis spans two lines at most
            first_break = text.find("\n", at, end)
            second_break = text.find("\n", first_break + 1, end) if first_break >= 0 else -1
            limit = second_break if second_break >= 0 else end
            if closers is None:
                closers = _closers(text, start, end)
            candidates = closers[token]
            k = bisect_left(candidates, at + 2)
            close = candidates[k] if k < len(candidates) and candidates[k] < limit else -1
            if close < 0 or (token == "*" and text[at + 1] == "*"):
                scan = at + 1
                continue
            draft.text(text[pos:at], pos)
            kind = {"*": "bold", "/": "italic"}.get(token, "code")
            draft.open_span(kind)
            if kind == "code":
                draft.text(text[at + 1 : close], at + 1)
            else:
                self.inline(at + 1, close, draft, in_note=in_note, depth=depth + 1)
            draft.close_span()
            pos = scan = close + 1
        draft.text(text[pos:end], pos)


_CLOSER = re.compile(r"(?<=\S)[*/=~](?=[" + re.escape(_EMPHASIS_POST) + r"]|$)")


def _closers(text: str, start: int, end: int) -> dict[str, list[int]]:
    """Positions of the marks that may end emphasis (after a non-space, before a space or
    punctuation), by mark: one pass instead of a search from every opening mark."""
    found: dict[str, list[int]] = {"*": [], "/": [], "=": [], "~": []}
    for m in _CLOSER.finditer(text, start, end):
        found[m.group()].append(m.start())
    return found


def _bracket_pairs(text: str, start: int, end: int) -> dict[int, int]:
    """Each "[" in the range -> its matching "]" (one pass with a stack)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in re.finditer(r"[\[\]]", text[start:end]):
        if m.group() == "[":
            stack.append(start + m.start())
        elif stack:
            pairs[stack.pop()] = start + m.start()
    return pairs


def read(request: ReadRequest) -> Document:
    source = read_text_source(request)
    org = _Org(request, source.text)
    try:
        org.read()
    except RecursionError:
        raise DocumentError("malformed", f"{request.path.name}: markup nested too deeply to read") from None
    # Org's exporters number notes in the order they are first cited, whatever their names.
    numbers: dict[str, str] = {}
    for block in org.blocks:
        for ref in block.refs:
            ref.label = numbers.setdefault(ref.key, str(len(numbers) + 1))
    for key in org.notes:
        numbers.setdefault(key, str(len(numbers) + 1))
    notes = sorted(org.notes.values(), key=lambda n: int(numbers[n.key]))
    for note in notes:
        note.label = numbers[note.key]
    return assemble(
        request, FORMAT.name, org.blocks, notes, org.meta, encoding=source.encoding, meta_spans=org.meta_spans
    )


FORMAT = Format("org", frozenset({".org"}), read, description="Org mode")
