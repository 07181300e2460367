"""Word documents (.docx): read from the archive's XML directly.

python-docx reads no footnotes and mammoth goes through HTML; what a reader needs
(paragraph styles, list numbering, tables, footnotes and endnotes with the numbers
Word shows, hyperlinks, core properties) is a walk over four XML members.

Offsets: the document's source is the decoded text (see ``_xml``) of the main
document part, then ``footnotes.xml``, then ``endnotes.xml``, laid end to end;
``Document.parts`` says where each begins, so ``locate`` gives the member and the
offset of the text node (or element, for a tab or a note mark) in its XML.

Note numbers: Word numbers footnotes (and, separately, endnotes) in the order they
are referenced, in the format of ``footnotePr``/``endnotePr`` (decimal and lower
Roman by default), starting at ``numStart``; the ids in the XML are not those
numbers.  A reference with ``customMarkFollows`` shows the text of the run after
it (``*``, ``†``) instead and takes no number.  Restarting numbers per section or
page is not followed (the numbers run on through the document).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..metadata import Metadata
from ..model import (
    CODE,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    TABLE,
    Block,
    Document,
    InlineSpan,
    ParseWarning,
    SourcePart,
)
from ..scripts import lowered, raised
from ..textio import DocumentError
from . import Format, ReadRequest
from ._assemble import Draft, NoteDraft, assemble, iso_date, split_names
from ._xml import MemberReader, Node, Text, XmlError, open_archive, parse_xml

_W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_R_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"

_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_QUOTE_STYLES = frozenset({"quote", "intense quote", "block text", "block quote"})
_CODE_STYLE = re.compile(r"code|preformatted|verbatim|plain text", re.IGNORECASE)
_ON = frozenset({"1", "true", "on", ""})


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's lowerLetter: a..z, then aa..zz, aaa..
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """``n`` as Word shows it in number format ``fmt`` (ST_NumberFormat)."""
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "chicago":
        symbols = "*†‡§"
        return symbols[(n - 1) % 4] * ((n - 1) // 4 + 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass(slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None


class _Package:
    """What the Word package declares: its parts and relationships, the styles, list
    numbering and note number formats, the core properties.  _Docx reads the content
    with them."""

    def __init__(self, request: ReadRequest) -> None:
        self.request = request
        self.warnings = request.warnings
        self.archive = open_archive(request.path, "a Word document")
        self.members = MemberReader(self.archive, request.path.name)
        self.styles: dict[str, _Style] = {}
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.note_format = {"fn": ("decimal", 1), "en": ("lowerRoman", 1)}
        self.W = "{" + _W_TRANSITIONAL + "}"
        self.R = _R
        self.meta = Metadata()
        self.meta_spans: dict[str, tuple[int, int]] = {}

    # -- archive -------------------------------------------------------
    def xml(self, name: str, *, required: bool = False) -> tuple[Node, str] | None:
        if not self.members.has(name):
            if required:
                raise DocumentError("malformed", f"{self.request.path.name} is not a Word document (no {name})")
            return None
        try:
            return parse_xml(self.members.read(name), name)
        except XmlError as exc:
            if required:
                raise DocumentError("malformed", f"{self.request.path.name}: {exc}") from None
            self.warnings.append(ParseWarning("malformed", f"{exc}; ignored"))
            return None

    def relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id -> (type, target, external) for one part."""
        folder, name = posixpath.split(part)
        parsed = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        rels: dict[str, tuple[str, str, bool]] = {}
        if parsed is None:
            return rels
        for rel in parsed[0].iter(_PKG_REL + "Relationship"):
            target = rel.get("Target") or ""
            external = (rel.get("TargetMode") or "") == "External"
            if not external:
                target = posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join(folder, target))
            rels[rel.get("Id") or ""] = (rel.get("Type") or "", target, external)
        return rels

    def main_part(self) -> str:
        for rtype, target, _ext in self.relationships("").values():
            if rtype.endswith("/officeDocument"):
                return target
        return "word/document.xml"

    # -- styles and numbering -------------------------------------------
    def load_styles(self, target: str | None) -> None:
        parsed = self.xml(target) if target else None
        if parsed is None:
            return
        W = self.W
        for st in parsed[0].iter(W + "style"):
            sid = st.get(W + "styleId") or ""
            name_el, based, ppr = st.find(W + "name"), st.find(W + "basedOn"), st.find(W + "pPr")
            outline = num = None
            if ppr is not None:
                ol = ppr.find(W + "outlineLvl")
                if ol is not None and (ol.get(W + "val") or "").isdigit():
                    outline = int(ol.get(W + "val") or 9)
                num = self._num_pr(ppr)
            self.styles[sid] = _Style(
                (name_el.get(W + "val") or sid) if name_el is not None else sid,
                based.get(W + "val") if based is not None else None,
                outline,
                num,
            )

    def _num_pr(self, ppr: Node) -> tuple[str, int] | None:
        W = self.W
        np = ppr.find(W + "numPr")
        if np is None:
            return None
        nid, lvl = np.find(W + "numId"), np.find(W + "ilvl")
        num_id = nid.get(W + "val") if nid is not None else None
        level = lvl.get(W + "val") if lvl is not None else "0"
        if not num_id:
            return None
        return num_id, int(level) if level and level.isdigit() else 0

    def style_chain(self, sid: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            chain.append(self.styles[sid])
            sid = self.styles[sid].based_on
        return chain

    def load_numbering(self, target: str | None) -> None:
        parsed = self.xml(target) if target else None
        if parsed is None:
            return
        W = self.W
        for an in parsed[0].iter(W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.elements():
                if lvl.tag != W + "lvl":
                    continue
                ilvl = lvl.get(W + "ilvl") or "0"
                fmt_el, text_el, start_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                start = start_el.get(W + "val") if start_el is not None else "1"
                levels[int(ilvl) if ilvl.isdigit() else 0] = (
                    (fmt_el.get(W + "val") or "decimal") if fmt_el is not None else "decimal",
                    (text_el.get(W + "val") or "") if text_el is not None else "",
                    int(start) if (start or "").lstrip("-").isdigit() else 1,
                )
            self.abstract[an.get(W + "abstractNumId") or ""] = levels
        for num in parsed[0].iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            overrides: dict[int, int] = {}
            for ov in num.elements():
                if ov.tag == W + "lvlOverride":
                    so = ov.find(W + "startOverride")
                    lv = ov.get(W + "ilvl") or "0"
                    if so is not None and (so.get(W + "val") or "").isdigit() and lv.isdigit():
                        overrides[int(lv)] = int(so.get(W + "val") or 1)
            self.nums[num.get(W + "numId") or ""] = (ref.get(W + "val") or "" if ref is not None else "", overrides)

    def list_marker(self, num_id: str, level: int) -> str | None:
        """The marker Word shows for the next item of list ``num_id`` at ``level``, or None
        when the numbering is switched off (numId 0) or unknown."""
        if num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(num_id, [0] * 9)
        level = min(max(level, 0), 8)
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        if counters[level] == 0:
            counters[level] = overrides.get(level, levels.get(level, ("decimal", "", 1))[2])
        else:
            counters[level] += 1
        fmt, text, _start = levels.get(level, ("bullet", "", 1))
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            k_fmt = levels.get(k, ("decimal", "", 1))[0]
            return format_number(max(counters[k], 1), k_fmt)

        return re.sub(r"%([1-9])", sub, text) if text else format_number(counters[level], fmt) + "."

    def load_note_formats(self, settings: str | None, body: Node) -> None:
        W = self.W
        places: list[Node] = []
        parsed = self.xml(settings) if settings else None
        if parsed is not None:
            places.append(parsed[0])
        last_sect = body.find(W + "sectPr")
        if last_sect is not None:
            places.append(last_sect)  # a section's own settings win over the document's
        for place in places:
            for kind, tag in (("fn", "footnotePr"), ("en", "endnotePr")):
                pr = place.find(W + tag)
                if pr is None:
                    continue
                fmt, start = self.note_format[kind]
                f, s = pr.find(W + "numFmt"), pr.find(W + "numStart")
                if f is not None and f.get(W + "val"):
                    fmt = f.get(W + "val") or fmt
                if s is not None and (s.get(W + "val") or "").isdigit():
                    start = int(s.get(W + "val") or 1)
                self.note_format[kind] = (fmt, start)

    def core_properties(self) -> None:
        target = next(
            (t for rtype, t, ext in self.relationships("").values() if rtype.endswith("/core-properties")),
            "docProps/core.xml",
        )
        parsed = self.xml(target)
        if parsed is None:
            return
        root = parsed[0]

        def value(tag: str) -> str:
            el = root.find(tag)
            return " ".join(el.text_content().split()) if el is not None else ""

        if not self.meta.title and value(_DC + "title"):
            self.meta.title = value(_DC + "title")
        if not self.meta.authors:
            self.meta.authors = split_names(value(_DC + "creator"))
        if not self.meta.date:
            self.meta.date, self.meta.date_end = iso_date(value(_DCTERMS + "created"))
        keywords = value(_CP + "keywords")
        if keywords:
            self.meta.tags = [k.strip() for k in re.split(r"[,;]", keywords) if k.strip()]


class _Docx(_Package):
    """The document's body, notes and tables as blocks and note drafts."""

    def __init__(self, request: ReadRequest) -> None:
        super().__init__(request)
        self.note_count = {"fn": 0, "en": 0}
        self.note_labels: dict[str, str] = {}  # "fn:2" -> "1"
        self.note_order: list[str] = []
        self.parts: list[SourcePart] = []
        self.base = 0
        self.rels: dict[str, str] = {}
        # Text boxes met in the paragraph being read: their paragraphs follow it.
        self.text_boxes: list[Node] = []

    # -- reading ---------------------------------------------------------
    def read(self) -> Document:
        main = self.main_part()
        parsed = self.xml(main, required=True)
        assert parsed is not None
        root, text = parsed
        ns = root.tag[1 : root.tag.index("}")] if root.tag.startswith("{") else ""
        if ns and ns != _W_TRANSITIONAL:
            self.W = "{" + ns + "}"  # ISO strict: same names, another namespace
            self.R = _R_STRICT
        W = self.W
        body = root.find(W + "body")
        if body is None:
            raise DocumentError("malformed", f"{self.request.path.name}: {main} has no body")
        rels = self.relationships(main)
        by_type = {rtype.rsplit("/", 1)[-1]: target for rtype, target, ext in rels.values() if not ext}
        self.load_styles(by_type.get("styles"))
        self.load_numbering(by_type.get("numbering"))
        self.load_note_formats(by_type.get("settings"), body)
        self.parts.append(SourcePart(0, member=main))
        self.rels = {rid: target for rid, (_t, target, ext) in rels.items() if ext}
        blocks: list[Block] = []
        self.body_blocks(body, blocks)
        base = len(text)
        notes: list[NoteDraft] = []
        for kind, rtype, tag in (("fn", "footnotes", "footnote"), ("en", "endnotes", "endnote")):
            target = by_type.get(rtype)
            parsed_notes = self.xml(target) if target else None
            if target is None or parsed_notes is None:
                continue
            self.parts.append(SourcePart(base, member=target))
            self.base = base
            self.rels = {rid: t for rid, (_t, t, ext) in self.relationships(target).items() if ext}
            notes.extend(self.notes(parsed_notes[0], kind, tag))
            base += len(parsed_notes[1])
        order = {key: i for i, key in enumerate(self.note_order)}
        notes.sort(key=lambda n: order.get(n.key, len(order)))
        self.core_properties()
        return assemble(
            self.request, FORMAT.name, blocks, notes, self.meta, parts=self.parts, meta_spans=self.meta_spans
        )

    def body_blocks(self, container: Node, blocks: list[Block]) -> None:
        W = self.W
        for el in container.elements():
            if el.tag == W + "p":
                block = self.paragraph(el)
                if block is not None:
                    blocks.append(block)
            elif el.tag == W + "tbl":
                block = self.table(el)
                if block is not None:
                    blocks.append(block)
            elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
                self.body_blocks(el, blocks)
            boxes, self.text_boxes = self.text_boxes, []
            for box in boxes:
                self.body_blocks(box, blocks)

    def paragraph(self, p: Node) -> Block | None:
        W = self.W
        ppr = p.find(W + "pPr")
        style_id = None
        outline = None
        num = None
        if ppr is not None:
            ps = ppr.find(W + "pStyle")
            style_id = ps.get(W + "val") if ps is not None else None
            ol = ppr.find(W + "outlineLvl")
            if ol is not None and (ol.get(W + "val") or "").isdigit():
                outline = int(ol.get(W + "val") or 9)
            num = self._num_pr(ppr)
        chain = self.style_chain(style_id)
        name = chain[0].name.lower() if chain else (style_id or "").lower()
        draft = Draft()
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        if num is None:
            num = next((s.num for s in chain if s.num is not None), None)
        # a style based on "heading 2" is a heading 2 unless it says otherwise; a built-in id
        # ("Heading2") with no styles.xml to name it still means one
        names = [st.name for st in chain] or [re.sub(r"(\d)$", r" \1", style_id or "")]
        heading = next((m for nm in names if (m := _HEADING_NAME.match(nm))), None)
        if name in ("title", "author", "date"):
            draft.kind = name
        elif heading:
            draft.kind, draft.level = HEADING, int(heading.group(1))
        elif outline is not None and outline < 9:
            draft.kind, draft.level = HEADING, outline + 1
        elif name in _QUOTE_STYLES:
            draft.kind = QUOTE
        elif _CODE_STYLE.search(name):
            draft.kind, draft.keep_lines = CODE, True
        if num is not None and draft.kind == PARAGRAPH:
            marker = self.list_marker(*num)
            if marker is not None:
                draft.kind, draft.marker = LIST_ITEM, marker
        self.inline(p, draft)
        if draft.kind in ("title", "author", "date"):
            self.meta_paragraph(draft)
            return None
        return draft.block()

    def meta_paragraph(self, draft: Draft) -> None:
        done = draft.finish()
        if done is None:
            return None
        content = done[0]
        span = content.source_span(0, len(content.text))
        if draft.kind == "title" and not self.meta.title:
            self.meta.title = content.text
            self.meta_spans["title"] = span
        elif draft.kind == "author":
            self.meta.authors.extend(split_names(content.text))
            self.meta_spans.setdefault("authors", span)
        elif draft.kind == "date" and not self.meta.date:
            self.meta.date, self.meta.date_end = iso_date(content.text)
            self.meta_spans["dateline"] = span
        return None

    def table(self, tbl: Node) -> Block | None:
        W = self.W
        draft = Draft(kind=TABLE, keep_lines=True)
        for tr in tbl.elements():
            if tr.tag != W + "tr":
                continue
            if draft.length:
                draft.synthetic("\n", tr.start + self.base)
            first = True
            draft.cells.append([])
            for tc in tr.elements():
                if tc.tag != W + "tc":
                    continue
                if not first:
                    draft.synthetic(" | ", tc.start + self.base)
                first = False
                cell = Draft()
                for p in tc.iter(W + "p"):
                    if cell.length:
                        cell.synthetic(" ", p.start + self.base)
                    self.inline(p, cell)
                done = cell.finish()
                start = draft.length
                if done is not None:
                    _append_finished(draft, done)
                draft.cells[-1].append((start, draft.length))
        return draft.block()

    def inline(self, node: Node, draft: Draft, *, in_note: bool = False) -> None:
        W = self.W
        base = self.base
        custom: list[tuple[str, str, int]] = []  # a reference whose mark is the next text
        fields: list[list[str]] = []  # complex fields: instruction text until "separate"
        field_links: list[bool] = []

        def walk(el: Node) -> None:
            for child in el.children:
                if isinstance(child, Text):
                    continue
                tag = child.tag
                if tag == W + "r":
                    run(child)
                elif tag == W + "hyperlink":
                    rid = child.get(self.R + "id")
                    target = self.rels.get(rid or "", "")
                    if target:
                        draft.open_span("link", target)
                    walk(child)
                    if target:
                        draft.close_span()
                elif tag == W + "fldSimple":
                    target = _hyperlink_field(child.get(W + "instr") or "")
                    if target:
                        draft.open_span("link", target)
                    walk(child)
                    if target:
                        draft.close_span()
                elif tag in (W + "del", W + "moveFrom", W + "pPr", W + "rPr"):
                    continue
                else:  # ins, smartTag, sdt, customXml, bdo, math…: their runs are text
                    walk(child)

        def items(r: Node) -> Iterator[Node]:
            for item in r.elements():
                if item.tag == _MC + "AlternateContent":
                    # One of its versions only (the first choice; else the fallback):
                    # Word writes a text box twice, as a drawing and as VML.
                    choice = next((c for c in item.elements() if c.tag == _MC + "Choice"), None)
                    version = choice or next((c for c in item.elements() if c.tag == _MC + "Fallback"), None)
                    if version is not None:
                        yield from items(version)
                else:
                    yield item

        def vert_align(r: Node) -> str:
            for prop in r.elements():
                if prop.tag == W + "rPr":
                    for el in prop.elements():
                        if el.tag == W + "vertAlign":
                            return el.get(W + "val") or ""
            return ""

        def before() -> str:
            return draft.pieces[-1].text if draft.pieces else ""

        def run(r: Node) -> None:
            script = vert_align(r)
            for item in items(r):
                tag = item.tag
                if tag in (W + "drawing", W + "pict") and not in_note:
                    self.text_boxes.extend(_outermost(item, W + "txbxContent"))
                if tag in (W + "t", _M + "t"):
                    for piece in item.children:
                        if not isinstance(piece, Text):
                            continue
                        if custom:
                            kind, nid, start = custom.pop()
                            key = f"{kind}:{nid}"
                            self.note_labels[key] = piece.text.strip() or "*"
                            if key not in self.note_order:
                                self.note_order.append(key)
                            draft.ref(self.note_labels[key], key, start + base, piece.end + base)
                            continue
                        text = piece.text
                        if script in ("superscript", "subscript"):
                            # not glued to the word before: "10³", "H₂O", "1st", "Smith^a"
                            shown = raised(text, before()) if script == "superscript" else lowered(text)
                            if shown != text:
                                draft.text(shown, piece.start + base, exact=False, source_len=piece.end - piece.start)
                                continue
                        draft.text(text, piece.start + base, exact=piece.exact, source_len=piece.end - piece.start)
                elif tag == W + "instrText":
                    if fields:
                        fields[-1].append(item.text_content())
                elif tag == W + "fldChar":
                    char_type = item.get(W + "fldCharType")
                    if char_type == "begin":
                        fields.append([])
                        field_links.append(False)
                    elif char_type == "separate" and fields:
                        target = _hyperlink_field("".join(fields[-1]))
                        if target:
                            draft.open_span("link", target)
                            field_links[-1] = True
                    elif char_type == "end" and fields:
                        fields.pop()
                        if field_links.pop():
                            draft.close_span()
                elif tag in (W + "tab", W + "ptab"):
                    draft.synthetic("\t" if draft.keep_lines else " ", item.start + base)
                elif tag in (W + "br", W + "cr"):
                    draft.synthetic("\n", item.start + base)
                elif tag == W + "drawing":
                    # a picture's alternative text is what a reader of the text can have of it
                    alt = next((d.get("descr") for d in item.iter() if d.tag.endswith("}docPr") and d.get("descr")), "")
                    if alt:
                        draft.synthetic(f"[image: {' '.join(alt.split())}]", item.start + base)
                elif tag == W + "noBreakHyphen":
                    draft.synthetic("-", item.start + base)
                elif tag in (W + "footnoteReference", W + "endnoteReference") and not in_note:
                    kind = "fn" if tag == W + "footnoteReference" else "en"
                    nid = item.get(W + "id") or ""
                    if (item.get(W + "customMarkFollows") or "0").lower() in _ON - {""}:
                        custom.append((kind, nid, item.start))
                        continue
                    key = f"{kind}:{nid}"
                    if key not in self.note_labels:
                        fmt, start = self.note_format[kind]
                        self.note_labels[key] = format_number(start + self.note_count[kind], fmt)
                        self.note_count[kind] += 1
                        self.note_order.append(key)
                    draft.ref(self.note_labels[key], key, item.start + base, item.end + base)

        walk(node)

    def notes(self, root: Node, kind: str, tag: str) -> list[NoteDraft]:
        W = self.W
        out: list[NoteDraft] = []
        for note in root.elements():
            if note.tag != W + tag:
                continue
            if (note.get(W + "type") or "normal") != "normal":
                continue  # the separator lines Word draws above the notes
            nid = note.get(W + "id") or ""
            key = f"{kind}:{nid}"
            label = self.note_labels.get(key, f"{kind}{nid}")
            draft = NoteDraft(key, label, note.start + self.base, note.end + self.base)
            for el in note.iter():
                if el.tag == W + "p":
                    para = Draft()
                    self.inline(el, para, in_note=True)
                    draft.paragraphs.append(para)
            out.append(draft)
        return out


def _outermost(node: Node, tag: str) -> list[Node]:
    """The elements named ``tag`` under ``node`` that are not inside another one."""
    found: list[Node] = []
    stack = list(reversed(node.elements()))
    while stack:
        el = stack.pop()
        if el.tag == tag:
            found.append(el)
        else:
            stack.extend(reversed(el.elements()))
    return found


def _append_finished(draft: Draft, done) -> None:
    content, refs, spans = done
    base = draft.length
    draft.mapped(content)
    for ref in refs:
        draft.refs.append((ref.label, ref.key, base + ref.at, ref.source_offset, ref.source_end))
    for sp in spans:
        draft.spans.append(InlineSpan(sp.kind, sp.start + base, sp.end + base, sp.target))


_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"', re.IGNORECASE)


def _hyperlink_field(instruction: str) -> str:
    m = _HYPERLINK_FIELD.match(instruction)
    return m.group(1) if m and re.match(r"(?i)(?:https?|mailto):", m.group(1)) else ""


def read(request: ReadRequest) -> Document:
    reader = _Docx(request)
    try:
        return reader.read()
    except RecursionError:
        raise DocumentError("malformed", f"{request.path.name}: elements nested too deeply to read") from None
    finally:
        reader.archive.close()


FORMAT = Format(
    "docx",
    frozenset({".docx", ".docm", ".dotx"}),
    read,
    magic=(b"PK\x03\x04", b"PK\x05\x06"),
    description="Word document",
)
