"""reStructuredText (.rst): parsed by docutils, which resolves every kind of note
reference itself ([1]_, [#]_, [#name]_, [*]_, citations [CIT2002]_).

docutils is asked never to read another file or run raw markup (include, raw,
csv-table's file and url options are refused: a directive so refused is shown
as its text), never to read a configuration file, and to report to us, not to
stderr.  Directives it does not know are shown as their text too, never as markup.

Offsets: character offsets in the decoded file.  docutils gives a block's line
but not its column, and its text nodes have escapes and indentation removed, so
each word of a text node is found in the source after the previous one, starting
from the block's line; a word not found there (text a substitution brought in)
is placed at the last found position.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from types import ModuleType

from ..metadata import Metadata
from ..model import CODE, HEADING, LIST_ITEM, PARAGRAPH, QUOTE, TABLE, Block, Document, ParseWarning
from ..textio import DocumentError
from . import Format, ReadRequest, read_text_source
from ._assemble import Draft, NoteDraft, assemble, iso_date, split_names

_WORD = re.compile(r"\S+")
_MARKER = re.compile(r"\[[^\]\s]+\]_")
_FIRST_WINDOW = 4000
_NEXT_WINDOW = 600
_PEP_HEADER = re.compile(r"(?P<key>[A-Za-z][A-Za-z-]*):[ \t]*(?P<value>.*)")
_ADMONITIONS = frozenset(
    {"attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning", "seealso"}
)


class _Locator:
    """Finds docutils' text in the source, always moving forward."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]
        self.cursor = 0

    def at_line(self, line: int | None) -> None:
        """Move to (a little before) a block's line, if that is ahead."""
        if line:
            # docutils gives some blocks the line of their underline or of the next line
            idx = max(0, min(line - 3, len(self.line_starts) - 1))
            self.cursor = max(self.cursor, self.line_starts[idx])

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def place(self, text: str, draft: Draft) -> None:
        source = self.text
        run_start = run_end = -1  # words found one after another in the source, copied as one piece
        last = 0
        first = True
        for m in _WORD.finditer(text):
            gap = text[last : m.start()]
            word = m.group()
            window = _FIRST_WINDOW if first else _NEXT_WINDOW
            found = source.find(word, self.cursor, self.cursor + window + len(word))
            if found >= 0 and run_end >= 0 and source[run_end:found] == gap:
                run_end = found + len(word)
            else:
                if run_end >= 0:
                    draft.text(source[run_start:run_end], run_start)
                    run_start = run_end = -1
                if gap:
                    draft.synthetic(gap, self.cursor)
                if found >= 0:
                    run_start, run_end = found, found + len(word)
                else:
                    draft.synthetic(word, self.cursor)
            if found >= 0:
                self.cursor = found + len(word)
            first = False
            last = m.end()
        if run_end >= 0:
            draft.text(source[run_start:run_end], run_start)
        if last < len(text):
            draft.synthetic(text[last:], self.cursor)

    def marker(self) -> tuple[int, int]:
        m = _MARKER.search(self.text, self.cursor, self.cursor + _FIRST_WINDOW)
        if m is None:
            return self.cursor, self.cursor
        self.cursor = m.end()
        return m.start(), m.end()


def _pep_header(text: str) -> tuple[dict[str, str], int]:
    """The RFC 822 header of a PEP (``PEP: 8`` first): fields and where it ends."""
    fields: dict[str, str] = {}
    pos = 0
    key = None
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if not stripped.strip():
            break
        m = _PEP_HEADER.fullmatch(stripped)
        if m and not line[0].isspace():
            key = m.group("key").lower()
            fields[key] = m.group("value").strip()
        elif key and line[0].isspace():
            fields[key] += " " + stripped.strip()
        else:
            return {}, 0
        pos += len(line)
    if not fields or next(iter(fields)) not in ("pep", "title") or len(fields) < 2:
        return {}, 0
    return fields, pos


def _blank_out(text: str, end: int) -> str:
    # Same length and the same line breaks, so docutils' lines and our offsets still agree.
    return re.sub(r"[^\r\n]", " ", text[:end]) + text[end:]


class _Rst:
    def __init__(self, request: ReadRequest, text: str, nodes: ModuleType) -> None:
        self.request = request
        self.warnings = request.warnings
        self.loc = _Locator(text)
        self.blocks: list[Block] = []
        self.notes: list[NoteDraft] = []
        self.meta = Metadata()
        self.meta_spans: dict[str, tuple[int, int]] = {}
        # docutils.nodes, imported by read() only when a .rst is read
        self.nodes = nodes

    # -- blocks -------------------------------------------------------------
    def walk(self, node, depth: int = 0) -> None:
        n = self.nodes
        for child in node.children:
            name = child.tagname
            # a system message's own line is past the text it quotes; its "line" attribute is where that starts
            line = child.get("line") if isinstance(child, n.system_message) else getattr(child, "line", None)
            self.loc.at_line(line)
            if name == "meta" or (isinstance(child, n.topic) and "contents" in child.get("classes", ())):
                continue  # a generated table of contents repeats the headings (and would pull the cursor past them)
            if isinstance(child, n.section):
                self.walk(child, depth + 1)
            elif isinstance(child, n.title):
                self.block(child, HEADING, level=max(depth, 1))
            elif isinstance(child, (n.paragraph, n.subtitle, n.rubric, n.caption, n.attribution, n.term)):
                self.block(child, PARAGRAPH)
            elif isinstance(child, (n.bullet_list, n.enumerated_list)):
                self.list(child)
            elif isinstance(child, (n.literal_block, n.doctest_block, n.math_block)):
                self.block(child, CODE)
            elif isinstance(child, n.line_block):
                draft = Draft(kind=PARAGRAPH)
                for ln in child.findall(n.line):
                    if draft.length:
                        draft.synthetic("\n", self.loc.cursor)
                    self.inline(ln, draft)
                self.finish(draft)
            elif isinstance(child, n.block_quote):
                self.quoted(child)
            elif name in _ADMONITIONS or isinstance(child, n.admonition):
                self.quoted(child, prefix=name.capitalize() + ": " if name in _ADMONITIONS else "")
            elif isinstance(child, n.table):
                self.table(child)
            elif isinstance(child, n.field_list):
                self.fields(child)
            elif isinstance(child, (n.footnote, n.citation)):
                self.note(child)
            elif isinstance(child, n.system_message):
                self.system_message(child)
            elif isinstance(child, n.image):
                self.image(child)
            elif isinstance(child, n.docinfo):
                self.docinfo(child)
            elif isinstance(
                child, (n.target, n.substitution_definition, n.comment, n.pending, n.raw, n.transition, n.label)
            ):
                continue
            elif isinstance(child, n.TextElement):
                self.block(child, PARAGRAPH)
            elif isinstance(child, n.Element):
                self.walk(child, depth)  # lists of definitions, options, figures, topics, containers

    def finish(self, draft: Draft) -> None:
        block = draft.block()
        if block is not None:
            self.blocks.append(block)

    def block(self, node, kind: str, *, level: int = 0, marker: str = "", prefix: str = "") -> None:
        draft = Draft(kind=kind, level=level, marker=marker, keep_lines=kind == CODE)
        if prefix:
            draft.synthetic(prefix, self.loc.cursor)
        self.inline(node, draft)
        self.finish(draft)

    def list(self, node) -> None:
        n = self.nodes
        enumerated = isinstance(node, n.enumerated_list)
        number = int(node.get("start", 1))
        for item in node.children:
            if not isinstance(item, n.list_item):
                continue
            self.loc.at_line(getattr(item, "line", None))
            if enumerated:
                marker = (
                    node.get("prefix", "")
                    + _enumerator(number, node.get("enumtype", "arabic"))
                    + node.get("suffix", ".")
                )
                number += 1
            else:
                marker = "•"
            first, rest = (item.children[0], item.children[1:]) if item.children else (None, [])
            if first is not None and isinstance(first, n.paragraph):
                self.block(first, LIST_ITEM, marker=marker)
                holder = n.Element()
                holder.children = list(rest)
                self.walk(holder)
            else:
                self.finish(Draft(kind=LIST_ITEM, marker=marker))
                self.walk(item)

    def quoted(self, node, prefix: str = "") -> None:
        n = self.nodes
        for child in node.children:
            self.loc.at_line(getattr(child, "line", None))
            if isinstance(child, n.title):
                prefix = child.astext() + ": "
                continue
            if isinstance(child, (n.paragraph, n.attribution)):
                self.block(child, QUOTE, prefix=prefix)
                prefix = ""
            else:
                holder = n.Element()
                holder.children = [child]
                self.walk(holder)

    def table(self, node) -> None:
        n = self.nodes
        draft = Draft(kind=TABLE, keep_lines=True)
        for row in node.findall(n.row):
            self.loc.at_line(getattr(row, "line", None))
            if draft.length:
                draft.synthetic("\n", self.loc.cursor)
            draft.cells.append([])
            for i, entry in enumerate(e for e in row.children if isinstance(e, n.entry)):
                if i:
                    draft.synthetic(" | ", self.loc.cursor)
                cell = Draft()
                self.inline(entry, cell)
                done = cell.finish()
                base = draft.length
                if done is not None:
                    content, refs, spans = done
                    draft.mapped(content)
                    draft.refs.extend((r.label, r.key, base + r.at, r.source_offset, r.source_end) for r in refs)
                draft.cells[-1].append((base, draft.length))
        self.finish(draft)

    def fields(self, node) -> None:
        n = self.nodes
        for field in node.findall(n.field):
            draft = Draft(kind=PARAGRAPH)
            for part in field.children:
                self.inline(part, draft)
                if isinstance(part, n.field_name):
                    draft.synthetic(": ", self.loc.cursor)
            self.finish(draft)

    def image(self, node) -> None:
        alt = node.get("alt") or node.get("uri", "")
        draft = Draft(kind=PARAGRAPH)
        draft.synthetic(f"[image: {alt}]", self.loc.cursor)
        self.finish(draft)

    def system_message(self, node) -> None:
        n = self.nodes
        level = int(node.get("level", 0))
        if level < 2:
            return
        text = " ".join(p.astext() for p in node.children if isinstance(p, n.paragraph))
        line = node.get("line")
        offset = self.loc.line_starts[min(max(line - 1, 0), len(self.loc.line_starts) - 1)] if line else None
        self.warnings.append(ParseWarning("rst", " ".join(text.split())[:200], offset))
        for child in node.children:
            if isinstance(child, n.literal_block):
                # What docutils did not render (an unknown or refused directive): its text, as written.
                self.block(child, CODE)

    # -- inline ---------------------------------------------------------
    def inline(self, node, draft: Draft) -> None:
        n = self.nodes
        for child in node.children:
            if isinstance(child, n.Text):
                self.loc.place(str(child), draft)
            elif isinstance(child, (n.footnote_reference, n.citation_reference)):
                start, end = self.loc.marker()
                label = child.astext()
                key = child.get("refid") or "name:" + child.get("refname", label)
                draft.ref(label, key, start, end, attach=True)
            elif isinstance(child, n.problematic):
                text = child.astext()
                m = re.fullmatch(r"\[([^\]\s]+)\]_", text)
                if m:
                    start, end = self.loc.marker()
                    draft.ref(m.group(1), "unresolved:" + m.group(1), start, end, attach=True)
                else:
                    self.loc.place(text, draft)
            elif isinstance(child, (n.target, n.system_message, n.raw, n.comment)):
                if isinstance(child, n.target) and child.children:
                    self.inline(child, draft)
            elif isinstance(child, n.image):
                draft.synthetic(f"[image: {child.get('alt') or child.get('uri', '')}]", self.loc.cursor)
            elif isinstance(child, (n.emphasis, n.strong, n.literal, n.reference, n.title_reference)):
                kind = {
                    n.emphasis: "italic",
                    n.title_reference: "italic",
                    n.strong: "bold",
                    n.literal: "code",
                }.get(type(child), "link")
                target = child.get("refuri", "") if kind == "link" else ""
                draft.open_span(kind, target)
                self.inline(child, draft)
                draft.close_span()
            elif isinstance(child, n.Element):
                self.inline(child, draft)

    # -- notes and metadata ----------------------------------------------
    def note(self, node) -> None:
        n = self.nodes
        label_node = next((c for c in node.children if isinstance(c, n.label)), None)
        label = label_node.astext() if label_node is not None else "?"
        key = node["ids"][0] if node.get("ids") else "name:" + label
        m = re.compile(r"\.\.[ \t]+\[").search(self.loc.text, self.loc.cursor, self.loc.cursor + _FIRST_WINDOW)
        start = m.start() if m else self.loc.cursor
        if m:
            self.loc.cursor = m.end()
        draft = NoteDraft(key, label, start, start)
        for child in node.children:
            if isinstance(child, n.label):
                continue
            self.loc.at_line(getattr(child, "line", None))
            para = Draft()
            if isinstance(child, n.TextElement):
                self.inline(child, para)
            else:
                for sub in child.findall(n.TextElement):
                    if not isinstance(sub.parent, n.TextElement):
                        if para.length:
                            para.synthetic(" ", self.loc.cursor)
                        self.inline(sub, para)
            draft.paragraphs.append(para)
        draft.source_end = max(self.loc.cursor, start)
        for ref in node.findall(n.reference):
            if ref.get("refuri"):
                draft.urls.append((ref["refuri"], start, draft.source_end))
        self.notes.append(draft)

    def docinfo(self, node) -> None:
        n = self.nodes
        for item in node.children:
            name = item.tagname
            value = " ".join(item.astext().split())
            if isinstance(item, n.field):
                fname = item.children[0].astext().strip().lower()
                value = " ".join(item.children[1].astext().split()) if len(item.children) > 1 else ""
                name = fname
            if name in ("author", "authors"):
                names = [name for a in item.findall(n.author) for name in split_names(a.astext())] or split_names(value)
                self.meta.authors.extend(names)
            elif name == "date" and not self.meta.date:
                self.meta.date, self.meta.date_end = iso_date(value)
            elif name in ("organization", "source", "publisher") and not self.meta.source:
                self.meta.source = value
            elif name == "url" and not self.meta.url:
                self.meta.url = value
            elif name in ("tags", "keywords"):
                self.meta.tags = [t.strip() for t in re.split(r"[,;]", value) if t.strip()]


def _enumerator(n: int, kind: str) -> str:
    if kind in ("loweralpha", "upperalpha"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if kind == "upperalpha" else s
    if kind in ("lowerroman", "upperroman"):
        from .docx import format_number

        s = format_number(n, "lowerRoman")
        return s.upper() if kind == "upperroman" else s
    return str(n)


_SETTINGS = {
    "file_insertion_enabled": False,  # include, csv-table :file:/:url:, raw :file:/:url:
    "raw_enabled": False,
    "_disable_config": True,  # never a docutils.conf from the working or home folder
    "report_level": 5,
    "halt_level": 5,
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "syntax_highlight": "none",
    "traceback": True,
}


def read(request: ReadRequest) -> Document:
    try:
        from docutils import nodes
        from docutils.core import publish_doctree
    except ImportError:  # pragma: no cover - a dependency of the package
        raise DocumentError("unsupported", "reading .rst needs docutils (pip install docutils)") from None
    source = read_text_source(request)
    text = source.text
    header, header_end = _pep_header(text)
    parse_input = _blank_out(text, header_end) if header_end else text
    stream = io.StringIO()
    try:
        tree = publish_doctree(
            parse_input,
            settings_overrides={
                **_SETTINGS,
                "warning_stream": stream,
                "doctitle_xform": not header,
            },  # a PEP's title is in its header
        )
    except Exception as exc:  # docutils on untrusted text: any failure is this file's, told in one line
        raise DocumentError(
            "malformed", f"{request.path.name}: docutils could not parse it ({exc})".split("\n")[0]
        ) from None
    reader = _Rst(request, text, nodes)
    meta = reader.meta
    if header:
        meta.title = header.get("title")
        meta.authors = split_names(re.sub(r"\s*<[^>]*>", "", header.get("author", "")))
        meta.date, meta.date_end = iso_date(header.get("created"))
        if header.get("pep"):
            meta.source = "PEP " + header["pep"]
        reader.meta_spans["front_matter"] = (0, header_end)
    reader.loc.cursor = header_end
    first_title = next((c for c in tree.children if isinstance(c, nodes.title)), None)
    if first_title is not None:
        # docutils promoted a lone top section's title to the document's title
        tree.children.remove(first_title)
        start = reader.loc.cursor
        probe = Draft()
        reader.loc.at_line(first_title.line)
        reader.inline(first_title, probe)
        done = probe.finish()
        if done is not None:
            meta.title = meta.title or done[0].text
            reader.meta_spans["title"] = done[0].source_span(0, len(done[0].text))
        reader.loc.cursor = max(reader.loc.cursor, start)
    try:
        reader.walk(tree)
    except RecursionError:
        raise DocumentError("malformed", f"{request.path.name}: blocks nested too deeply to read") from None
    return assemble(
        request, FORMAT.name, reader.blocks, reader.notes, meta, encoding=source.encoding, meta_spans=reader.meta_spans
    )


FORMAT = Format("rst", frozenset({".rst", ".rest"}), read, description="reStructuredText")
