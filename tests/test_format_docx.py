"""Word and OpenDocument readers: note numbering, styles, lists, links, entities, bad archives."""

from __future__ import annotations

import socket
import zipfile

import pytest

from tuireader.core.formats import _xml, parse_file
from tuireader.core.formats.docx import format_number
from tuireader.core.model import CODE, HEADING, LIST_ITEM, PARAGRAPH, QUOTE, TABLE
from tuireader.core.textio import DocumentError

from .office import core_xml, docx, en_ref, fn_ref, note_p, notes_xml, odt, p, styles_xml, t


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Reading a document never opens a connection (an external entity would)."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a document reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_notes_are_numbered_in_reference_order_not_by_id(tmp_path):
    body = p(runs=t("First claim.") + fn_ref(7) + t(" Second claim.") + fn_ref(3) + t(" Starred.") + fn_ref(9, "*"))
    notes = notes_xml(
        "footnote", {3: note_p("Three, cited second."), 7: note_p("Seven, cited first."), 9: note_p("Star.")}
    )
    doc = parse_file(docx(tmp_path / "a.docx", body, parts={"footnotes": notes}))
    assert doc.blocks[0].text == "First claim. Second claim. Starred."  # the custom mark is the marker, not text
    assert [(n.label, n.text) for n in doc.footnotes] == [
        ("1", "Seven, cited first."),
        ("2", "Three, cited second."),
        ("*", "Star."),
    ]
    assert [r.label for r in doc.blocks[0].refs] == ["1", "2", "*"]
    assert doc.warnings == []  # the two separator "notes" are not notes


def test_endnotes_are_lower_roman_by_default_and_counted_apart(tmp_path):
    body = p(runs=t("A") + fn_ref(2) + t(" B") + en_ref(2) + t(" C") + en_ref(3) + t(" D") + fn_ref(4))
    parts = {
        "footnotes": notes_xml("footnote", {2: note_p("fn two"), 4: note_p("fn four")}),
        "endnotes": notes_xml("endnote", {2: note_p("en two"), 3: note_p("en three")}),
    }
    doc = parse_file(docx(tmp_path / "a.docx", body, parts=parts))
    assert [r.label for r in doc.blocks[0].refs] == ["1", "i", "ii", "2"]
    assert [(n.label, n.text) for n in doc.footnotes] == [
        ("1", "fn two"),
        ("i", "en two"),
        ("ii", "en three"),
        ("2", "fn four"),
    ]
    assert {p.member for p in doc.parts} == {"word/document.xml", "word/footnotes.xml", "word/endnotes.xml"}
    en = doc.to_json()["footnotes"][1]
    assert en["member"] == "word/endnotes.xml"


def test_note_number_format_and_start_from_settings(tmp_path):
    settings = (
        f'<w:settings xmlns:w="{"http://schemas.openxmlformats.org/wordprocessingml/2006/main"}">'
        '<w:footnotePr><w:numFmt w:val="upperLetter"/><w:numStart w:val="3"/></w:footnotePr></w:settings>'
    )
    body = p(runs=t("A") + fn_ref(1) + t(" B") + fn_ref(2))
    parts = {"footnotes": notes_xml("footnote", {1: note_p("x"), 2: note_p("y")}), "settings": settings}
    doc = parse_file(docx(tmp_path / "a.docx", body, parts=parts))
    assert [n.label for n in doc.footnotes] == ["C", "D"]


def test_number_formats_by_hand():
    assert [format_number(n, "lowerRoman") for n in (1, 4, 9, 14, 40)] == ["i", "iv", "ix", "xiv", "xl"]
    assert [format_number(n, "upperLetter") for n in (1, 26, 27)] == ["A", "Z", "AA"]
    assert [format_number(n, "chicago") for n in (1, 2, 5)] == ["*", "†", "**"]


def test_heading_styles_by_name_outline_level_and_inheritance(tmp_path):
    styles = styles_xml(
        '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="Chapter"/><w:basedOn w:val="berschrift1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="Custom"/>'
        '<w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Zitat"><w:name w:val="Quote"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Code"><w:name w:val="Source Code"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text"/></w:style>'
    )
    body = (
        p("German id, English name", "berschrift1")
        + p("Based on a heading", "Chapter")
        + p("Outline level 2 is a third level", "Custom")
        + p("Quoted", "Zitat")
        + p(runs=t("line one") + "<w:r><w:br/></w:r>" + t("  line two"), style="Code")
        + p("Body text", "Body")
        + p("Heading with no styles part", "Heading4")
        + p("Outline level on the paragraph", extra='<w:outlineLvl w:val="1"/>')
    )
    doc = parse_file(docx(tmp_path / "a.docx", body, parts={"styles": styles}))
    assert [(b.kind, b.level) for b in doc.blocks] == [
        (HEADING, 1),
        (HEADING, 1),
        (HEADING, 3),
        (QUOTE, 0),
        (CODE, 0),
        (PARAGRAPH, 0),
        (HEADING, 4),
        (HEADING, 2),
    ]
    assert doc.blocks[4].text == "line one\n  line two"  # code keeps its lines and spaces


def _numbering(levels: str, num_id: int = 5, abstract_id: int = 1) -> str:
    return (
        f'<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:abstractNum w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        f'<w:num w:numId="6"><w:abstractNumId w:val="{abstract_id}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>'
        "</w:numbering>"
    )


def _lvl(ilvl: int, fmt: str, text: str) -> str:
    return f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'


def _item(text: str, num_id: int, ilvl: int = 0) -> str:
    return p(text, extra=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def test_list_markers_follow_numbering_levels(tmp_path):
    numbering = _numbering(_lvl(0, "decimal", "%1.") + _lvl(1, "lowerLetter", "%1.%2)") + _lvl(2, "bullet", "\uf0b7"))
    body = (
        _item("one", 5)
        + _item("one a", 5, 1)
        + _item("one b", 5, 1)
        + _item("bullet", 5, 2)
        + _item("two", 5)
        + _item("two a", 5, 1)  # a deeper level starts again under a new item
        + _item("restarted at four", 6)
        + _item("numbering switched off", 0)
    )
    doc = parse_file(docx(tmp_path / "a.docx", body, parts={"numbering": numbering}))
    assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
        (LIST_ITEM, "1.", "one"),
        (LIST_ITEM, "1.a)", "one a"),
        (LIST_ITEM, "1.b)", "one b"),
        (LIST_ITEM, "•", "bullet"),
        (LIST_ITEM, "2.", "two"),
        (LIST_ITEM, "2.a)", "two a"),
        (LIST_ITEM, "4.", "restarted at four"),
        (PARAGRAPH, "", "numbering switched off"),
    ]


def test_tables_hyperlinks_and_notes_in_cells(tmp_path):
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r>{}</w:p></w:tc>"
    table = (
        "<w:tbl><w:tr>" + cell.format("Name", "") + cell.format("Role", "") + "</w:tr>"
        "<w:tr>" + cell.format("Tokayev", "") + cell.format("President", fn_ref(1)) + "</w:tr></w:tbl>"
    )
    link = '<w:hyperlink r:id="rId9"><w:r><w:t>the statement</w:t></w:r></w:hyperlink>'
    note = '<w:p><w:r><w:t>See </w:t></w:r><w:hyperlink r:id="rId3"><w:r><w:t>Reuters</w:t></w:r></w:hyperlink></w:p>'
    doc = parse_file(
        docx(
            tmp_path / "a.docx",
            p(runs=t("Read ") + link + t(".")) + table,
            parts={"footnotes": notes_xml("footnote", {1: note})},
            links={"rId9": "https://example.org/statement"},
            note_links={"rId3": "https://reuters.com/story"},
        )
    )
    para, tbl = doc.blocks
    assert [(para.text[s.start : s.end], s.target) for s in para.spans] == [
        ("the statement", "https://example.org/statement")
    ]
    assert tbl.kind == TABLE and tbl.text == "Name | Role\nTokayev | President"
    assert [[tbl.text[a:b] for a, b in row] for row in tbl.rows] == [["Name", "Role"], ["Tokayev", "President"]]
    assert [(r.label, tbl.text[: r.at]) for r in tbl.refs] == [("1", "Name | Role\nTokayev | President")]
    assert doc.footnotes[0].text == "See Reuters" and doc.footnotes[0].urls == ["https://reuters.com/story"]


def test_entities_and_non_ascii_map_to_the_xml_text(tmp_path):
    body = p(runs=t("Erdoğan &amp; Tokayev &lt;met&gt; in Астана"))
    path = docx(tmp_path / "a.docx", body)
    doc = parse_file(path)
    block = doc.blocks[0]
    assert block.text == "Erdoğan & Tokayev <met> in Астана"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    amp = block.text.index("&")
    start, end = block.source_span(amp, amp + 1)
    assert xml[start:end] == "&amp;"
    a = block.text.index("Астана")
    assert xml[slice(*block.source_span(a, a + 6))] == "Астана"  # character offsets, not bytes
    assert xml[slice(*block.source_span(0, 7))] == "Erdoğan"


def test_core_properties_are_the_metadata(tmp_path):
    core = core_xml("The Report", "Jane Doe; John Roe", "2021-12-28T09:00:00Z", "turkey, central-asia")
    doc = parse_file(docx(tmp_path / "a.docx", p("Body."), core=core))
    assert (doc.title, doc.authors, doc.date, doc.tags) == (
        "The Report",
        ["Jane Doe", "John Roe"],
        "2021-12-28",
        ["turkey", "central-asia"],
    )


def test_deleted_text_and_field_codes_are_not_text(tmp_path):
    runs = (
        t("Kept")
        + '<w:del w:id="1" w:author="x"><w:r><w:delText>deleted</w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve"> inserted </w:t></w:r></w:ins>'
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://example.org/f" </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + t("field link")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    doc = parse_file(docx(tmp_path / "a.docx", p(runs=runs)))
    block = doc.blocks[0]
    assert block.text == "Kept inserted field link"
    assert [(block.text[s.start : s.end], s.target) for s in block.spans] == [("field link", "https://example.org/f")]


# -- bad input ------------------------------------------------------------------
def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("name", "make", "code", "message"),
    [
        (
            "enc.docx",
            lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "encrypted",
            "password-protected",
        ),
        ("text.docx", lambda path: path.write_text("just text, named .docx"), "malformed", "not a zip archive"),
        ("empty.docx", lambda path: zipfile.ZipFile(path, "w").close(), "empty", "empty archive"),
        ("nil.docx", lambda path: path.write_bytes(b""), "empty", "is empty"),
        (
            "other.docx",
            lambda path: zipfile.ZipFile(path, "w").writestr("readme.txt", "hello"),
            "malformed",
            "not a Word document (no word/document.xml)",
        ),
        (
            "bad.docx",
            lambda path: docx(path, "", document="<w:document><w:body><w:p></w:body>"),
            "malformed",
            "not well-formed",
        ),
        ("cut.docx", lambda path: path.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "malformed", "damaged zip"),
    ],
)
def test_bad_archives_are_one_line_errors(tmp_path, name, make, code, message):
    path = tmp_path / name
    make(path)
    before = _listing(tmp_path)
    with pytest.raises(DocumentError) as err:
        parse_file(path)
    assert err.value.code == code and message in err.value.message and "\n" not in err.value.message
    assert _listing(tmp_path) == before  # nothing written beside the file


_BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    "<w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)
_EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM '
    '"http://example.org/x">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&secret;&web;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("xml", [_BILLION_LAUGHS, _EXTERNAL])
def test_entity_declarations_are_refused_not_expanded(tmp_path, xml):
    with pytest.raises(DocumentError, match="declares a document type") as err:
        parse_file(docx(tmp_path / "a.docx", "", document=xml))
    assert "lol" not in err.value.message and "root:" not in err.value.message


def test_an_undeclared_entity_is_malformed_not_looked_up(tmp_path):
    with pytest.raises(DocumentError, match="undefined entity"):
        parse_file(docx(tmp_path / "a.docx", p(runs=t("&nbsp;"))))


def test_a_zip_bomb_stops_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(_xml, "MAX_MEMBER_BYTES", 1 << 20)
    filler = "<w:p/>" * 400_000  # 2.4 MB of XML that deflates to a few kilobytes
    path = docx(tmp_path / "bomb.docx", p("start") + filler)
    assert path.stat().st_size < 50_000
    with pytest.raises(DocumentError, match="inflates past 1 MB; refused") as err:
        parse_file(path)
    assert err.value.code == "too-large"


def test_a_member_that_lies_about_its_size_is_still_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(_xml, "MAX_MEMBER_BYTES", 1 << 20)
    path = docx(tmp_path / "bomb.docx", p("start") + "<w:p/>" * 400_000)
    # Rewrite the sizes the archive declares for document.xml to a small number.
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    real = info.file_size.to_bytes(4, "little")
    data = data.replace(real, (1000).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as err:
        parse_file(path)
    assert err.value.code in ("too-large", "malformed")  # zipfile stops at the declared size and the CRC fails


def test_a_broken_notes_part_is_a_warning_and_the_text_still_reads(tmp_path):
    body = p(runs=t("Claim.") + fn_ref(1))
    doc = parse_file(docx(tmp_path / "a.docx", body, parts={"footnotes": "<w:footnotes><w:footnote>"}))
    assert doc.blocks[0].text == "Claim."
    codes = [w.code for w in doc.warnings]
    assert codes == ["malformed", "unresolved-marker"]
    assert "word/footnotes.xml is not well-formed XML" in doc.warnings[0].message


def test_a_pdf_named_docx_is_not_read_as_word(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(DocumentError):
        parse_file(path)


# -- OpenDocument -----------------------------------------------------------------
def test_odt_notes_keep_the_label_shown_and_spaces_are_expanded(tmp_path):
    note = (
        '<text:note text:id="ftn7" text:note-class="{cls}"><text:note-citation>{label}</text:note-citation>'
        "<text:note-body><text:p>{body}</text:p></text:note-body></text:note>"
    )
    body = (
        '<text:h text:outline-level="2">Head</text:h>'
        '<text:p>Two<text:s text:c="3"/>spaces are one'
        + note.format(cls="footnote", label="1", body="A footnote.")
        + " and an endnote"
        + note.format(cls="endnote", label="i", body='See <text:a xlink:href="https://example.org/e">this</text:a>.')
        + "</text:p>"
    )
    doc = parse_file(odt(tmp_path / "a.odt", body))
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        (HEADING, 2, "Head"),
        (PARAGRAPH, 0, "Two spaces are one and an endnote"),
    ]
    assert [(n.label, n.text, n.urls) for n in doc.footnotes] == [
        ("1", "A footnote.", []),
        ("i", "See this.", ["https://example.org/e"]),
    ]
    assert doc.blocks[1].refs[1].at == len(doc.blocks[1].text)


def test_odt_numbered_lists_follow_their_list_style(tmp_path):
    styles = (
        '<text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-format="a" '
        'style:num-suffix=")" text:start-value="3"/><text:list-level-style-bullet text:level="2"/></text:list-style>'
    )
    body = (
        '<text:list text:style-name="L1"><text:list-item><text:p>c item</text:p>'
        "<text:list><text:list-item><text:p>nested</text:p></text:list-item></text:list></text:list-item>"
        "<text:list-item><text:p>d item</text:p></text:list-item></text:list>"
    )
    doc = parse_file(odt(tmp_path / "a.odt", body, styles=styles))
    assert [(b.marker, b.text) for b in doc.blocks] == [("c)", "c item"), ("•", "nested"), ("d)", "d item")]


def test_odt_encrypted_and_malformed(tmp_path):
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        "</manifest:manifest>"
    )
    with pytest.raises(DocumentError, match="password-protected"):
        parse_file(odt(tmp_path / "enc.odt", "<text:p>x</text:p>", manifest=manifest))
    with pytest.raises(DocumentError, match="not well-formed"):
        parse_file(odt(tmp_path / "bad.odt", "", content="<office:document-content><unclosed>"))


def test_elements_nested_past_reason_are_one_line(tmp_path):
    nested = "<w:p>" + "<w:ins>" * 5000 + t("deep") + "</w:ins>" * 5000 + "</w:p>"
    with pytest.raises(DocumentError, match="nested too deeply"):
        parse_file(docx(tmp_path / "a.docx", nested))


def test_a_picture_shows_its_alternative_text_and_the_sidecar_wins(tmp_path):
    drawing = (
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:docPr id="1" name="Picture 1" descr="Map of the CSTO deployment"/></wp:inline></w:drawing></w:r>'
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:docPr id="2" name="Picture 2"/></wp:inline></w:drawing></w:r>'
    )
    path = docx(
        tmp_path / "a.docx", p(runs=t("See ") + drawing + t(" above.")), core=core_xml("Core title", "Core Author")
    )
    (tmp_path / "a.yaml").write_text("title: Sidecar title\nauthors: [Side Car]\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.blocks[0].text == "See [image: Map of the CSTO deployment] above."
    assert (doc.title, doc.authors) == ("Sidecar title", ["Side Car"])


def _script(text: str, align: str) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="{align}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_superscripts_and_subscripts_are_not_glued_to_their_word(tmp_path):
    """Word's raised runs that are not note references: an exponent that Unicode can raise
    is raised ("10³", not "103"), an ordinal's ending stays on its number, other text
    follows a caret; the note reference beside them stays a marker."""
    runs = (
        t("About 10")
        + _script("3", "superscript")
        + t(" cases on the 1")
        + _script("st", "superscript")
        + t(" day, in H")
        + _script("2", "subscript")
        + t("O, by Smith")
        + _script("a", "superscript")
        + t(", at x")
        + _script("-1", "superscript")
        + t(" and e")
        + _script("i x", "superscript")
        + t(".")
        + fn_ref(1)
    )
    doc = parse_file(
        docx(tmp_path / "a.docx", p(runs=runs), parts={"footnotes": notes_xml("footnote", {1: note_p("N")})})
    )
    block = doc.blocks[0]
    assert block.text == "About 10³ cases on the 1st day, in H₂O, by Smith^a, at x⁻¹ and e^(i x)."
    assert [(r.label, block.text[: r.at][-3:]) for r in block.refs] == [("1", "x).")]
    # the raised "³" stands for the source's "3": its offset is the run text's
    three = block.text.index("³")
    source = zipfile.ZipFile(tmp_path / "a.docx").read("word/document.xml").decode()
    assert source[block.content.to_source(three)] == "3"
