"""OpenDocument text (.odt): ``content.xml`` read directly, as for Word.

A note (``text:note``) stands in the paragraph that cites it, with the label the
office suite shows (``text:note-citation``) and its body: the marker is the note
element, the note's text its body.  Offsets: the decoded text (see ``_xml``) of
``content.xml``, the one member in ``Document.parts``.
"""

from __future__ import annotations

import re

from ..metadata import Metadata
from ..model import CODE, HEADING, LIST_ITEM, QUOTE, TABLE, Block, Document, ParseWarning, SourcePart
from ..textio import DocumentError
from . import Format, ReadRequest
from ._assemble import Draft, NoteDraft, assemble, iso_date, split_names
from ._xml import MemberReader, Node, Text, XmlError, open_archive, parse_xml

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"

_QUOTE_STYLES = re.compile(r"^quotations?$|^quote$", re.IGNORECASE)
_CODE_STYLES = re.compile(r"preformatted|source|code", re.IGNORECASE)


class _Odt:
    def __init__(self, request: ReadRequest) -> None:
        self.request = request
        self.archive = open_archive(request.path, "an OpenDocument text")
        self.members = MemberReader(self.archive, request.path.name)
        self.list_styles: dict[
            str, dict[int, tuple[str, str, str, int]]
        ] = {}  # name -> level -> kind, fmt, suffix, start
        self.para_parent: dict[str, str] = {}  # automatic style -> the named style it is based on
        self.notes: list[NoteDraft] = []
        self.meta = Metadata()
        self.meta_spans: dict[str, tuple[int, int]] = {}

    def xml(self, name: str, *, required: bool = False) -> Node | None:
        if not self.members.has(name):
            if required:
                raise DocumentError("malformed", f"{self.request.path.name} is not an OpenDocument text (no {name})")
            return None
        try:
            return parse_xml(self.members.read(name), name)[0]
        except XmlError as exc:
            if required:
                raise DocumentError("malformed", f"{self.request.path.name}: {exc}") from None
            self.request.warnings.append(ParseWarning("malformed", f"{exc}; ignored"))
            return None

    def read(self) -> Document:
        manifest = self.xml("META-INF/manifest.xml")
        if manifest is not None and any(True for _ in manifest.iter(_MANIFEST + "encryption-data")):
            raise DocumentError("encrypted", f"{self.request.path.name} is password-protected")
        if not self.members.has("content.xml"):
            raise DocumentError("malformed", f"{self.request.path.name} is not an OpenDocument text (no content.xml)")
        data = self.members.read("content.xml")
        try:
            root, _text = parse_xml(data, "content.xml")
        except XmlError as exc:
            raise DocumentError("malformed", f"{self.request.path.name}: {exc}") from None
        for holder in (self.xml("styles.xml"), root):
            if holder is not None:
                self.load_styles(holder)
        body = root.find(_OFFICE + "body")
        office_text = body.find(_OFFICE + "text") if body is not None else None
        if office_text is None:
            raise DocumentError("malformed", f"{self.request.path.name} is not an OpenDocument text (no office:text)")
        blocks: list[Block] = []
        self.container(office_text, blocks)
        self.meta_properties()
        return assemble(
            self.request,
            FORMAT.name,
            blocks,
            self.notes,
            self.meta,
            parts=[SourcePart(0, member="content.xml")],
            meta_spans=self.meta_spans,
        )

    def load_styles(self, root: Node) -> None:
        for ls in root.iter(_TEXT + "list-style"):
            levels: dict[int, tuple[str, str, str, int]] = {}
            for lvl in ls.elements():
                level = int(lvl.get(_TEXT + "level") or 1)
                if lvl.tag == _TEXT + "list-level-style-number":
                    start = lvl.get(_TEXT + "start-value") or "1"
                    levels[level] = (
                        "number",
                        lvl.get(_STYLE + "num-format") or "1",
                        (lvl.get(_STYLE + "num-prefix") or "") + "%" + (lvl.get(_STYLE + "num-suffix") or "."),
                        int(start) if start.isdigit() else 1,
                    )
                else:
                    levels[level] = ("bullet", "", "", 1)
            self.list_styles[ls.get(_STYLE + "name") or ""] = levels
        automatic = root.find(_OFFICE + "automatic-styles")
        for st in automatic.elements() if automatic is not None else ():
            # an automatic style (P1) is a named one with local changes: the named one says what it is
            parent = st.get(_STYLE + "parent-style-name")
            if st.tag == _STYLE + "style" and parent:
                self.para_parent[st.get(_STYLE + "name") or ""] = parent

    def style_name(self, el: Node) -> str:
        name = el.get(_TEXT + "style-name") or ""
        return self.para_parent.get(name, name).replace("_20_", " ")

    def container(self, node: Node, blocks: list[Block], list_style: str = "", depth: int = 0) -> None:
        for el in node.elements():
            tag = el.tag
            if tag in (_TEXT + "p", _TEXT + "h"):
                block = self.paragraph(el)
                if block is not None:
                    blocks.append(block)
            elif tag == _TEXT + "list":
                self.list(el, blocks, el.get(_TEXT + "style-name") or list_style, depth + 1)
            elif tag == _TABLE + "table":
                block = self.table(el)
                if block is not None:
                    blocks.append(block)
            elif tag in (_TEXT + "section", _TEXT + "index-body", _TABLE + "table-header-rows"):
                self.container(el, blocks, list_style, depth)
            elif tag.endswith("-index") or tag == _TEXT + "table-of-content":
                continue  # a generated table of contents repeats the headings

    def list(self, node: Node, blocks: list[Block], style: str, depth: int) -> None:
        kind, fmt, pattern, number = self.list_styles.get(style, {}).get(depth, ("bullet", "", "", 1))
        for item in node.elements():
            if item.tag not in (_TEXT + "list-item", _TEXT + "list-header"):
                continue
            marker = "•"
            if kind == "number":
                marker = pattern.replace("%", _odf_number(number, fmt))
                number += 1
            first = True
            for child in item.elements():
                if child.tag in (_TEXT + "p", _TEXT + "h") and first:
                    draft = Draft(kind=LIST_ITEM, marker=marker)
                    self.inline(child, draft)
                    block = draft.block()
                    if block is not None:
                        blocks.append(block)
                    first = False
                elif child.tag == _TEXT + "list":
                    self.list(child, blocks, child.get(_TEXT + "style-name") or style, depth + 1)
                else:
                    holder = Node("holder", {}, child.start, child.end, [child])
                    self.container(holder, blocks, style, depth)

    def paragraph(self, el: Node) -> Block | None:
        style = self.style_name(el)
        draft = Draft()
        if el.tag == _TEXT + "h":
            level = el.get(_TEXT + "outline-level") or "1"
            draft.kind, draft.level = HEADING, int(level) if level.isdigit() else 1
        elif style.lower() in ("title", "author", "date"):
            draft.kind = style.lower()
        elif _QUOTE_STYLES.search(style):
            draft.kind = QUOTE
        elif _CODE_STYLES.search(style):
            draft.kind, draft.keep_lines = CODE, True
        self.inline(el, draft)
        if draft.kind in ("title", "author", "date"):
            done = draft.finish()
            if done is not None:
                text = done[0].text
                span = done[0].source_span(0, len(text))
                if draft.kind == "title" and not self.meta.title:
                    self.meta.title, self.meta_spans["title"] = text, span
                elif draft.kind == "author":
                    self.meta.authors.extend(split_names(text))
                    self.meta_spans.setdefault("authors", span)
                elif draft.kind == "date" and not self.meta.date:
                    self.meta.date, self.meta.date_end = iso_date(text)
                    self.meta_spans["dateline"] = span
            return None
        return draft.block()

    def table(self, tbl: Node) -> Block | None:
        draft = Draft(kind=TABLE, keep_lines=True)
        for row in tbl.iter(_TABLE + "table-row"):
            if draft.length:
                draft.synthetic("\n", row.start)
            first = True
            draft.cells.append([])
            for cell in row.elements():
                if cell.tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                    continue
                if not first:
                    draft.synthetic(" | ", cell.start)
                first = False
                one = Draft()
                for p in cell.iter():
                    if p.tag in (_TEXT + "p", _TEXT + "h"):
                        if one.length:
                            one.synthetic(" ", p.start)
                        self.inline(p, one)
                done = one.finish()
                start = draft.length
                if done is not None:
                    content, refs, _spans = done
                    draft.mapped(content)
                    draft.refs.extend((r.label, r.key, start + r.at, r.source_offset, r.source_end) for r in refs)
                draft.cells[-1].append((start, draft.length))
        return draft.block()

    def inline(self, node: Node, draft: Draft) -> None:
        for child in node.children:
            if isinstance(child, Text):
                draft.text(child.text, child.start, exact=child.exact, source_len=child.end - child.start)
                continue
            tag = child.tag
            if tag == _TEXT + "s":
                count = child.get(_TEXT + "c") or "1"
                draft.synthetic(" " * (int(count) if count.isdigit() else 1), child.start)
            elif tag == _TEXT + "tab":
                draft.synthetic("\t" if draft.keep_lines else " ", child.start)
            elif tag == _TEXT + "line-break":
                draft.synthetic("\n", child.start)
            elif tag == _TEXT + "note":
                self.note(child, draft)
            elif tag == _TEXT + "a":
                href = child.get(_XLINK + "href") or ""
                draft.open_span("link", href if re.match(r"(?i)(?:https?|mailto):", href) else "")
                self.inline(child, draft)
                draft.close_span()
            elif tag in (_OFFICE + "annotation", _TEXT + "bookmark-ref", _TEXT + "soft-page-break"):
                continue
            else:  # spans, bookmarks, fields: their text is the paragraph's
                self.inline(child, draft)

    def note(self, el: Node, draft: Draft) -> None:
        citation = el.find(_TEXT + "note-citation")
        label = citation.text_content().strip() if citation is not None else ""
        key = el.get(_TEXT + "id") or f"note-{len(self.notes) + 1}"
        label = label or str(len(self.notes) + 1)
        draft.ref(label, key, el.start, el.end)
        note = NoteDraft(key, label, el.start, el.end)
        body = el.find(_TEXT + "note-body")
        if body is not None:
            for p in body.iter():
                if p.tag in (_TEXT + "p", _TEXT + "h"):
                    para = Draft()
                    self.inline(p, para)
                    note.paragraphs.append(para)
        self.notes.append(note)

    def meta_properties(self) -> None:
        root = self.xml("meta.xml")
        office_meta = root.find(_OFFICE + "meta") if root is not None else None
        if office_meta is None:
            return

        def value(tag: str) -> str:
            el = office_meta.find(tag)
            return " ".join(el.text_content().split()) if el is not None else ""

        self.meta.title = self.meta.title or value(_DC + "title") or None
        if not self.meta.authors:
            self.meta.authors = split_names(value(_META + "initial-creator") or value(_DC + "creator"))
        if not self.meta.date:
            self.meta.date, self.meta.date_end = iso_date(value(_META + "creation-date"))
        keywords = [" ".join(k.text_content().split()) for k in office_meta.elements() if k.tag == _META + "keyword"]
        self.meta.tags = [k for k in keywords if k] or self.meta.tags


def _odf_number(n: int, fmt: str) -> str:
    from .docx import format_number

    return format_number(
        n, {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}.get(fmt, "decimal")
    )


def read(request: ReadRequest) -> Document:
    reader = _Odt(request)
    try:
        return reader.read()
    except RecursionError:
        raise DocumentError("malformed", f"{request.path.name}: elements nested too deeply to read") from None
    finally:
        reader.archive.close()


FORMAT = Format("odt", frozenset({".odt"}), read, magic=(b"PK\x03\x04", b"PK\x05\x06"), description="OpenDocument text")
