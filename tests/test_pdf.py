"""The PDF reader on documents typeset with reportlab (tests/pdf_fixtures.py): reading order,
notes linked to markers, furniture removed, hyphenation rejoined; and the files it refuses."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tools.pdf_typeset import typeset

from tests import pdf_fixtures as fx
from tuireader.core.formats import parse_file
from tuireader.core.textio import DocumentError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each fixture typeset once: name -> (path, the words it broke at a line end)."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name in ("one_column", "two_columns", "three_columns", "continued_note", "endnotes"):
        path = folder / f"{name}.pdf"
        out[name] = (path, typeset(getattr(fx, name)(), path))
    return out


def notes_of(doc):
    return {n.label: n.text for n in doc.footnotes if n.defined}


def markers_of(doc):
    return [r.label for b in doc.blocks for r in b.refs]


def assert_no_furniture(doc, running_head: str):
    for block in doc.blocks:
        assert running_head not in block.text, block.text[:80]
        assert not re.fullmatch(r"\d{1,3}", block.text.strip())
        assert not re.search(r"(?:^|\s)\d{1,2}$", block.text.strip()) or block.kind == "heading", block.text[-60:]


def assert_rejoined(doc, broken: list[str]):
    text = " ".join(b.text for b in doc.blocks)
    assert broken, "the fixture must break words at line ends"
    for word in broken:
        head, tail = word.split("|")  # "arrange|ments" was hyphenated, "well-|known" broke at its hyphen
        whole = (head + tail).rstrip(".,;")
        assert whole in text, whole
        assert f"{head} {tail}" not in text and f"{head}- {tail}" not in text


def test_one_column_markers_of_every_kind_and_nothing_else(made):
    path, broken = made["one_column"]
    doc = parse_file(path)
    # 1, 2 (after a closing quote), 3–5 (a range), 6,7 (a list), * † ‡, the letter a, 8
    assert markers_of(doc) == ["1", "2", "3", "4", "5", "6", "7", "*", "†", "‡", "a", "8"]
    notes = notes_of(doc)
    assert len(notes) == 12
    assert notes["2"] == "Interview with the analyst, Ankara, 4 May 2021."
    assert notes["†"] == "A second source."
    assert doc.footnote("5").urls == ["https://example.org/study-three."[:-1]]
    assert not [w for w in doc.warnings if w.code in ("unresolved-marker", "uncited-note")]
    figures = next(b for b in doc.blocks if b.text.startswith("In the 21st"))
    # ordinals, exponents, a charge and a table's letters stay text; subscripts are not raised
    assert "21st century and the 2nd half" in figures.text
    assert "E = mc² and areas grow as 10³ km²" in figures.text
    assert "H2O and sulphate SO4²⁻" in figures.text
    assert [r.label for r in figures.refs] == ["a"]
    table = next(b for b in doc.blocks if b.text.startswith("Exports"))
    assert table.text == "Exports 12.5b 14.2c 17.9 Imports 3.1b 4.4 5.0" and not table.refs
    first = doc.blocks[1]
    assert first.text.startswith("The minister said the talks had failed. Regional")
    assert first.text[first.refs[1].at - 8 : first.refs[1].at] == "point.”"[-8:].rjust(8)[-8:] or first.text[
        : first.refs[1].at
    ].endswith("point.”")
    assert "state-of-the-art" in doc.blocks[2].text and "well-known" in doc.blocks[2].text
    assert "international cooperation" in doc.blocks[2].text
    assert_rejoined(doc, broken)


def test_one_column_metadata_from_the_first_page_and_the_info_dictionary(made):
    doc = parse_file(made["one_column"][0])
    assert doc.title == "Coordination Under Strain: A Review of the Framework"
    assert doc.authors == ["Jane Analyst"]
    assert doc.date == "2021-05-05"
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "1. Background"
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["1. Background", "2. Figures that are not notes"]


def test_two_columns_reading_order_and_paragraphs_across_column_and_page(made):
    path, broken = made["two_columns"]
    doc = parse_file(path)
    assert len(doc.parts) == 2
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 12
    for i, block in enumerate(paragraphs, start=1):
        assert block.text.startswith(f"Item {i} opens this paragraph.")
        assert block.text.endswith(f"It ends here with item {i} closed.")
        assert [r.label for r in block.refs] == [str(i)]
    pages = {doc.locate(b.source_start)["page"] for b in paragraphs}
    assert pages == {1, 2}
    assert notes_of(doc) == {str(i): f"Source for item {i}: field report {100 + i}." for i in range(1, 13)}
    assert_no_furniture(doc, "Two Column Brief")
    assert_rejoined(doc, broken)


def test_three_columns(made):
    path, broken = made["three_columns"]
    doc = parse_file(path)
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert [p.text.split(".")[0] for p in paragraphs] == [f"Column item {i} starts" for i in range(1, 10)]
    assert all(p.text.endswith(f"Item {i} ends.") for i, p in enumerate(paragraphs, start=1))
    assert markers_of(doc) == [str(i) for i in range(1, 10)]
    assert len(notes_of(doc)) == 9
    assert_no_furniture(doc, "Newsletter")
    assert_rejoined(doc, broken)


def test_a_note_continues_on_the_next_pages_band(made):
    path, broken = made["continued_note"]
    doc = parse_file(path)
    notes = notes_of(doc)
    assert sorted(notes) == ["1", "2", "3"]
    long_note = notes["1"]
    assert long_note.startswith("Sentence 1 of the long note")
    assert long_note.endswith("Sentence 25 of the long note, which explains the sourcing in detail.")
    assert long_note.count("Sentence") == 25
    note = doc.footnote("1")
    assert doc.locate(note.source_start)["page"] == 1 and doc.locate(note.source_end - 1)["page"] == 2
    assert notes["2"] == "Short second note." and notes["3"] == "Short third note."
    assert markers_of(doc) == ["1", "2", "3"]
    assert not doc.warnings
    assert_no_furniture(doc, "Continued Notes")
    assert_rejoined(doc, broken)


def test_endnotes_under_a_notes_heading(made):
    path, broken = made["endnotes"]
    doc = parse_file(path)
    assert markers_of(doc) == ["1", "2", "3", "4", "5"]
    assert notes_of(doc) == {str(i): f"Endnote {i}: archive box {i * 7}, folder {i}." for i in range(1, 6)}
    assert all(b.text != "Notes" for b in doc.blocks)
    assert not any(b.text.startswith("1. Endnote") for b in doc.blocks)
    assert not doc.warnings


def test_offsets_point_into_the_page_text_and_json_carries_page_and_box(made):
    import pypdfium2 as pdfium

    path = made["two_columns"][0]
    doc = parse_file(path)
    pdf = pdfium.PdfDocument(str(path))
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    source = "".join(pages)
    assert [p.start for p in doc.parts] == [0, len(pages[0])]
    for block in doc.blocks:
        for ref in block.refs:
            assert source[ref.source_offset : ref.source_end].strip() == ref.label
        n = min(12, len(block.text))
        a, b = block.source_span(0, n)
        assert source[a:b] == block.text[:n]
    note = doc.footnote("12")
    assert source[note.source_start : note.source_end].startswith("12")
    data = doc.to_json()
    block = data["blocks"][-1]
    assert block["page"] == 2 and block["page_offset"] == block["source_start"] - len(pages[0])
    assert len(block["bbox"]) == 4 and block["bbox"][0] < block["bbox"][2] and block["bbox"][1] < block["bbox"][3]
    assert data["blocks"][-1]["refs"][0]["page"] == 2 and "bbox" in data["blocks"][-1]["refs"][0]
    assert data["footnotes"][0]["page"] == 1 and len(data["footnotes"][0]["bbox"]) == 4
    json.dumps(data)


# ------------------------------------------------------------------ files refused or warned about
def _canvas(path: Path, **kwargs):
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(str(path), **kwargs)


def test_a_table_is_one_block_of_rows_never_read_into_the_text(tmp_path):
    path = tmp_path / "table.pdf"
    c = _canvas(path)
    c.setFont("Times-Roman", 11)
    c.drawString(72, 700, "Exports rose in every quarter of the year, as the table below shows for")
    c.drawString(72, 686, "the three main partners of the region.")
    rows = [("Partner", "2020", "2021"), ("Turkey", "12.5", "14.2"), ("Russia", "3.1", "4.4")]
    for r, row in enumerate(rows):
        for x, cell in zip((72, 220, 330), row, strict=True):
            c.drawString(x, 650 - 14 * r, cell)
    c.drawString(72, 590, "The figures for the last quarter are provisional and may change.")
    c.showPage()
    c.save()
    doc = parse_file(path)
    assert [b.text for b in doc.blocks if b.kind != "table"] == [
        "Exports rose in every quarter of the year, as the table below shows for the three main partners of the region.",
        "The figures for the last quarter are provisional and may change.",
    ]
    (table,) = [b for b in doc.blocks if b.kind == "table"]
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [list(row) for row in rows]
    assert doc.blocks.index(table) == 1
    data = doc.to_json()["blocks"][1]
    assert data["rows"] == [list(row) for row in rows] and data["page"] == 1


def test_a_scan_without_text_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "scan.pdf"
    c = _canvas(path)
    for _ in range(2):
        c.rect(72, 72, 400, 600, fill=1)  # what a scanned page carries: pictures, no text
        c.showPage()
    c.save()
    with pytest.raises(DocumentError, match="no text layer.*OCR is not available") as info:
        parse_file(path)
    assert info.value.code == "no-text"


def test_owner_password_only_opens_user_password_is_refused(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    spec = fx.endnotes()
    spec.encrypt = StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)
    owner_only = tmp_path / "owner.pdf"
    typeset(spec, owner_only)
    assert b"/Encrypt" in owner_only.read_bytes()
    assert markers_of(parse_file(owner_only)) == ["1", "2", "3", "4", "5"]
    spec.encrypt = StandardEncryption("secret", ownerPassword="owner")
    locked = tmp_path / "locked.pdf"
    typeset(spec, locked)
    with pytest.raises(DocumentError, match="encrypted with a password to open it") as info:
        parse_file(locked)
    assert info.value.code == "encrypted"


def test_truncated_and_garbage_files_give_a_message(made, tmp_path):
    data = made["one_column"][0].read_bytes()
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + b"\x00nonsense" * 50)
    with pytest.raises(DocumentError, match="not a readable PDF"):
        parse_file(garbage)
    for cut in (len(data) // 3, len(data) - 200):
        truncated = tmp_path / f"cut{cut}.pdf"
        truncated.write_bytes(data[:cut])
        try:
            doc = parse_file(truncated)  # pdfium may rebuild what the cut left
        except DocumentError as exc:
            assert exc.code in ("malformed", "no-text")
        else:
            assert doc.blocks
    import random

    rnd = random.Random(16)
    for i in range(12):  # damaged bytes anywhere: a document or one DocumentError, never another exception
        damaged = bytearray(data)
        for _ in range(20):
            damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
        path = tmp_path / f"damaged{i}.pdf"
        path.write_bytes(bytes(damaged))
        try:
            parse_file(path)
        except DocumentError:
            pass


def test_junk_before_the_header_is_accepted_as_readers_do(made, tmp_path):
    data = made["one_column"][0].read_bytes()
    # a mail gateway's line, 900 bytes of padding: within the first 1024 bytes, as readers allow
    for name, junk in (("prefixed.pdf", b"X-Gateway: scanned\r\n" + b"." * 900 + b"\n"), ("saved.html", b"\r\n")):
        path = tmp_path / name
        path.write_bytes(junk + data)
        doc = parse_file(path)
        assert doc.format == "pdf"
        assert doc.title == "Coordination Under Strain: A Review of the Framework"
        assert len(doc.footnotes) == 12
        assert [w.code for w in doc.warnings] == ([] if name.endswith(".pdf") else ["wrong-suffix"])
    # a text that quotes a PDF header on a line of its own is still text (no %%EOF at its end)
    note = tmp_path / "note.txt"
    note.write_text("How to tell a PDF\n\n%PDF-1.7 is how the file starts; the trailer ends it.\n")
    assert parse_file(note).format == "text"


def test_javascript_and_embedded_files_are_reported_never_run_or_extracted(made, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(made["endnotes"][0]))
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert('hello');"))
    writer.add_attachment("payload.exe", b"MZ not really")
    path = tmp_path / "active.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    before = sorted(p.name for p in tmp_path.iterdir())
    doc = parse_file(path)
    codes = {w.code for w in doc.warnings}
    assert {"javascript", "embedded-files"} <= codes
    assert markers_of(doc) == ["1", "2", "3", "4", "5"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside it


def test_ligatures_and_soft_hyphens_are_normalised():
    from tuireader.core.formats._pdf_lines import _TextBuilder

    source = "ﬁnal e\u00adffort ﬂow"
    tb = _TextBuilder(source)
    tb.add_range(0, len(source))
    mapped = tb.mapped()
    assert mapped.text == "final effort flow"
    assert mapped.source_span(0, 5) == (0, 4)  # "final" is the 4 characters "ﬁnal"


def test_check_lists_a_scan_as_failed(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    c = _canvas(lib / "scan.pdf")
    c.rect(72, 72, 100, 100, fill=1)
    c.showPage()
    c.save()
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "check", "--library", str(lib)], capture_output=True, text=True
    )
    assert "scan\tfailed: scan.pdf has no text layer (a scanned PDF?); OCR is not available" in result.stdout
    assert "Traceback" not in result.stderr


def test_search_results_say_the_page(made, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "brief.pdf").write_bytes(made["two_columns"][0].read_bytes())
    command = [sys.executable, "-m", "tuireader", "search", "--library", str(lib), "--index-dir", str(tmp_path / "ix")]
    result = subprocess.run([*command, '"item 11"', "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    snippets = json.loads(result.stdout)["hits"][0]["snippets"]
    assert {s["page"] for s in snippets} == {2}  # item 11 is set on page 2 only
    plain = subprocess.run([*command, "field report 101"], capture_output=True, text=True)
    assert "p. 1: note: " in plain.stdout


def test_long_report_furniture_headings_lists_and_page_breaks(tmp_path):
    path = tmp_path / "long.pdf"
    broken = typeset(fx.long_report(), path)
    doc = parse_file(path)
    assert len(doc.parts) == 4  # enough pages for the running head to repeat
    assert doc.title == "A Longer Report" and doc.authors == ["Sam Author"] and doc.date == "2020-03-03"
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == [f"Section {i} findings" for i in range(1, 5)]
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 12
    for block in paragraphs:
        assert re.fullmatch(r"Paragraph \d\.\d begins\. .* The well-known result held\.", block.text), block.text[:90]
    crossing = [b for b in paragraphs if doc.locate(b.source_start)["page"] != doc.locate(b.source_end - 1)["page"]]
    assert crossing, "the fixture must set a paragraph across a page break"
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert items == ["First point of the list, short.", "Second point of the list, short as well."] * 4
    assert markers_of(doc) == [str(i) for i in range(1, 13)]
    assert notes_of(doc) == {
        str(n): f"Note {n} on paragraph {(n - 1) // 3 + 1}.{(n - 1) % 3 + 1}." for n in range(1, 13)
    }
    assert_no_furniture(doc, "A Longer Report — Draft")
    assert_rejoined(doc, broken)


def test_xmp_metadata_fills_what_the_information_dictionary_lacks(made, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(made["endnotes"][0]))  # no /Title, no /Author
    writer.xmp_metadata = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Report  with endnotes (final)</rdf:li></rdf:Alt></dc:title>'
        b"<dc:creator><rdf:Seq><rdf:li>Ann One</rdf:li><rdf:li>Bo Two</rdf:li></rdf:Seq></dc:creator>"
        b"<dc:date><rdf:Seq><rdf:li>2019-07-04</rdf:li></rdf:Seq></dc:date>"
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    path = tmp_path / "xmp.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    doc = parse_file(path)
    # the XMP title, which the first page bears out, over the page's own spelling of it
    assert (doc.title, doc.authors, doc.date) == ("Report with endnotes (final)", ["Ann One", "Bo Two"], "2019-07-04")
    plain = parse_file(made["endnotes"][0])  # without XMP: the first page's title, the file's creation date
    assert plain.title == "Report With Endnotes" and plain.authors == []


def test_note_numbering_that_restarts_in_each_chapter(tmp_path):
    path = tmp_path / "chapters.pdf"
    typeset(fx.chapters(), path)
    doc = parse_file(path)
    assert markers_of(doc) == ["1", "2", "1", "2"]
    texts = [n.text for n in doc.footnotes]
    assert texts == ["Chapter 1, note 1.", "Chapter 1, note 2.", "Chapter 2, note 1.", "Chapter 2, note 2."]
    cited = [doc.footnotes[i].cited_at[0][0] for i in range(4)]
    paragraphs = [i for i, b in enumerate(doc.blocks) if b.kind == "paragraph"]
    assert cited == paragraphs  # each marker its own chapter's note
    assert not doc.warnings


def test_show_prints_a_range_of_markers_in_order(made):
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "show", str(made["one_column"][0])], capture_output=True, text=True
    )
    # grouped as the text parser groups them: a range of three, then a list of two, in order
    assert "Earlier studies[3-5] reached the same view, as did two later surveys.[6,7]" in result.stdout


def test_documents_read_from_several_threads_at_once(made):
    from concurrent.futures import ThreadPoolExecutor

    paths = [made[name][0] for name in ("one_column", "two_columns", "three_columns", "endnotes")] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        docs = list(pool.map(parse_file, paths))
    expected = [len(markers_of(parse_file(p))) for p in paths[:4]]
    assert [len(markers_of(d)) for d in docs] == expected * 3 == [12, 12, 9, 5] * 3


DATA = Path(__file__).parent / "data" / "formats"


def test_note_keys_across_pages_in_libreoffices_pdf():
    """LibreOffice's PDF of lo-note-keys.fodt (tests/data/formats/README.md): a label is first
    the note of the marker's own page (two chapters' notes 1 on one page, in order), then a
    note the next page's own markers leave over, then the endnotes; another page's note with
    the same label is never cited (the reader linked marker 2 of page 2 to page 3's note 2
    and lost the second note 1 of page 1 and both endnotes into other notes)."""
    doc = parse_file(DATA / "lo-note-keys.pdf")
    assert len(doc.parts) == 4
    texts = {n.key: n.text for n in doc.footnotes}
    assert sorted(texts.values()) == sorted(
        [
            "Chapter one, note one: the commission's terms of reference.",
            "Chapter two, note one: hearing of 4 March.",
            "Chapter three, note one: the ministry's reply.",
            "Chapter three, note two: the unions' reply.",
            "Endnote one: the annex on method.",
            "Endnote two: the secretariat's list of submissions.",
        ]
    )
    assert len(texts) == 6 and all(n.defined for n in doc.footnotes)
    cited = [
        (doc.locate(r.source_offset)["page"], r.label, texts[r.key].split(":")[0]) for b in doc.blocks for r in b.refs
    ]
    assert cited == [
        (1, "1", "Chapter one, note one"),
        (1, "1", "Chapter two, note one"),
        (1, "1", "Endnote one"),
        (2, "2", "Endnote two"),
        (3, "1", "Chapter three, note one"),
        (3, "2", "Chapter three, note two"),
    ]
    assert all(len(n.cited_at) == 1 for n in doc.footnotes)
    assert not [w for w in doc.warnings if w.code in ("unresolved-marker", "uncited-note")]
    assert not any(re.search(r"\bPage \d\b", b.text) for b in doc.blocks)  # the footer is furniture
    assert not any("note one:" in b.text or "Endnote" in b.text for b in doc.blocks)


def test_a_numbered_list_at_the_foot_of_a_page_is_not_a_band_of_notes(tmp_path):
    """Small numbered lines at the bottom of a page that no raised marker cites stay text;
    the same lines cited by markers are notes."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    def page(c, cite: bool) -> None:
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 730, "Pump Station Procedures")
        c.setFont("Times-Roman", 11)
        y = 700
        for k in range(8):
            line = f"Body line {k} of the page, long enough to be read as the prose of it all."
            c.drawString(72, y, line)
            if cite and k in (2, 5):
                c.setFont("Times-Roman", 7)
                c.drawString(72 + stringWidth(line, "Times-Roman", 11), y + 4, "1" if k == 2 else "2")
                c.setFont("Times-Roman", 11)
            y -= 14
        c.setFont("Times-Roman", 8)
        c.drawString(72, 120, "1 Open the valve before the pump starts.")
        c.drawString(72, 110, "2 Close it when the tank is full.")
        c.showPage()

    plain, cited = tmp_path / "list.pdf", tmp_path / "notes.pdf"
    for path, cite in ((plain, False), (cited, True)):
        c = Canvas(str(path))
        page(c, cite)
        c.save()
    doc = parse_file(plain)
    assert doc.footnotes == [] and not doc.warnings
    body = " ".join(b.text for b in doc.blocks)
    assert body.endswith("all. 1 Open the valve before the pump starts. 2 Close it when the tank is full.")
    doc = parse_file(cited)
    assert notes_of(doc) == {"1": "Open the valve before the pump starts.", "2": "Close it when the tank is full."}
    assert markers_of(doc) == ["1", "2"] and not doc.warnings


REAL = Path(__file__).parent / "data" / "real"


def test_a_federal_register_excerpt_three_columns_and_notes_under_each_column():
    """Three pages of a real Federal Register document (tests/data/real/SOURCES.md): 15 notes
    set under the columns of pages 1 and 2, each cited once by a raised number set apart by
    spaces; counted and read by hand from the page images' text."""
    doc = parse_file(REAL / "fr-2020-17221-p2-4.pdf")
    assert len(doc.parts) == 3
    assert markers_of(doc) == [str(i) for i in range(1, 16)]
    notes = notes_of(doc)
    assert sorted(notes, key=int) == [str(i) for i in range(1, 16)]
    assert [doc.locate(n.source_start)["page"] for n in doc.footnotes] == [1] * 9 + [2] * 6
    assert all(len(n.cited_at) == 1 for n in doc.footnotes) and not doc.warnings
    assert notes["1"] == (
        "Preliminary KNKT.18.10.35.04 Aircraft Accident Investigation Report, dated November 2018, and Final "
        "KNKT.18.10.35.04 Aircraft Accident Investigation Report, dated October 2019, can be found in the AD docket."
    )
    assert notes["2"] == (
        "The flight control system for 737 MAX airplanes includes two flight control computers, FCC A and FCC B, "
        "which process inputs from the pilots and aircraft sensors to move the airplane’s control surfaces."
    )
    assert notes["13"] == "More than 10 degrees difference for more than 10 seconds."  # "10 seconds." continues it
    assert notes["4"].endswith("which vibrates the control column, providing tactile annunciation to the pilot.")
    # a marker cites from the word before it: "Reports¹ from", not "Reports ¹ from"
    first = next(b for b in doc.blocks if b.refs)
    at = {r.label: r.at for r in first.refs}
    assert first.text[: at["1"]].endswith("and the operator. Reports")
    assert first.text[at["1"] :].startswith(" from the accident investigation")
    assert first.text[: at["3"]].endswith("horizontal stabilizer trim")
    texts = [b.text for b in doc.blocks] + list(notes.values())
    for furniture in ("Vol. 85, No. 152", "Proposed Rules", "47699", "47700", "47701", "VerDate", "Jkt 250001"):
        assert not any(furniture in t for t in texts), furniture  # running head, page numbers, print slug
    assert not any("PROPOSALS" in t or "jbell" in t for t in texts)  # the rotated stamp in the margin
    assert not any(re.search(r"\w- [a-z]", t) or "  " in t for t in texts)
    # words broken at a line end on a real hyphen keep it
    assert "FAA-approved document" in notes["14"] and "(emergency and non-normal)" in notes["14"]
    assert sum(b.kind == "heading" for b in doc.blocks) == 4


def test_a_hyphen_before_a_capital_and_an_unspaced_en_dash_at_a_line_end_join_without_a_space(tmp_path):
    path = tmp_path / "joins.pdf"
    c = _canvas(path)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 730, "Flight Log")
    c.setFont("Times-Roman", 11)
    lines = [
        "The flight left from the main terminal of Jakarta's Soekarno-",
        "Hatta airport in the morning, as the directive AD 2018–23–",
        "51 had allowed for the type, and a crew from an inter-",
        "national carrier then flew it to the south of the island.",
    ]
    for k, line in enumerate(lines):
        c.drawString(72, 700 - 14 * k, line)
    c.showPage()
    c.save()
    (block,) = parse_file(path).blocks
    assert block.text == (
        "The flight left from the main terminal of Jakarta's Soekarno-Hatta airport in the morning, as the directive "
        "AD 2018–23–51 had allowed for the type, and a crew from an international carrier then flew it to the south "
        "of the island."
    )


def test_a_marker_whose_note_is_lost_is_reported_and_never_takes_another_pages_note(tmp_path):
    """Page 1 cites 1, 2 and 3 but its band holds notes 1 and 2 only; page 2 (a chapter that
    numbers from 1 again) cites 1, 2, 3 with its own three notes.  Marker 3 of page 1 is a
    marker with no note (a key of its own), not page 2's note 3."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "lost.pdf"
    c = Canvas(str(path))
    for page, (cited, notes) in enumerate(((("1", "2", "3"), ("1", "2")), (("1", "2", "3"), ("1", "2", "3")))):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 730, f"Chapter {page + 1}")
        y = 700
        for k in range(9):
            c.setFont("Times-Roman", 11)
            line = f"Line {k} of chapter {page + 1}, which runs on long enough to be read as a line of prose."
            c.drawString(72, y, line)
            if k in (2, 5, 8):
                c.setFont("Times-Roman", 7)
                c.drawString(72 + stringWidth(line, "Times-Roman", 11), y + 4, cited[(k - 2) // 3])
            y -= 14
        for i, label in enumerate(notes):
            c.setFont("Times-Roman", 5)
            c.drawString(72, 124 - 10 * i, label)
            c.setFont("Times-Roman", 8)
            c.drawString(76, 120 - 10 * i, f"Chapter {page + 1}, note {label}.")
        c.showPage()
    c.save()
    doc = parse_file(path)
    assert markers_of(doc) == ["1", "2", "3", "1", "2", "3"]
    texts = {n.key: n.text for n in doc.footnotes if n.defined}
    assert sorted(texts.values()) == sorted(
        ["Chapter 1, note 1.", "Chapter 1, note 2.", "Chapter 2, note 1.", "Chapter 2, note 2.", "Chapter 2, note 3."]
    )
    refs = [r for b in doc.blocks for r in b.refs]
    lost = doc.footnote(refs[2].key)
    assert lost is not None and not lost.defined and lost.cited_at
    assert texts[refs[5].key] == "Chapter 2, note 3."
    assert len({n.key for n in doc.footnotes}) == len(doc.footnotes) == 6
    assert [(w.code, w.message) for w in doc.warnings] == [("unresolved-marker", "marker 3 has no matching note")]


def test_libreoffice_two_columns_justified_and_hyphenated_with_notes_under_each_column():
    """LibreOffice's PDF of lo-two-columns.fodt (tests/data/formats/README.md); the expected
    values are the .fodt's: 14 paragraphs, notes 1-8 cited from paragraphs 2, 4, 6, 7, 8, 10,
    12 and 14; the long note 4 is set whole under page 2's first column.  Before: lines broke at the wide spaces of justified lines ("water" a paragraph
    of its own) and at the space after a marker, and no note was found (labels set against
    their text)."""
    doc = parse_file(DATA / "lo-two-columns.pdf")
    assert len(doc.parts) == 3
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert [p.text.split(".")[0] for p in paragraphs] == [f"Paragraph {i} opens here" for i in range(1, 15)]
    whole = (
        "The intergovernmental commission reviewed the administrative responsibilities of the regional water "
        "boards, whose infrastructure maintenance obligations had been renegotiated repeatedly, and its "
        "representatives documented the extraordinarily complicated authorisation procedures."
    )
    for i, p in enumerate(paragraphs, start=1):
        assert p.text.startswith(f"Paragraph {i} opens here. {whole} {whole}"), p.text[:120]
    pages = [(doc.locate(p.source_start)["page"], doc.locate(p.source_end - 1)["page"]) for p in paragraphs]
    assert pages[6] == (1, 2) and pages[11] == (2, 3)  # paragraphs 7 and 12 cross a page break
    cited = {i: [r.label for r in p.refs] for i, p in enumerate(paragraphs, start=1) if p.refs}
    assert cited == {2: ["1"], 4: ["2"], 6: ["3"], 7: ["4"], 8: ["5"], 10: ["6"], 12: ["7"], 14: ["8"]}
    notes = notes_of(doc)
    assert notes["1"] == "Minutes of the Fergana board, 3 March 2021."
    assert notes["5"] == "Annual report of the Syr Darya commission for 2020, p. 41."
    assert notes["8"] == "Press release of the energy ministry, 2 June 2021."
    assert sorted(notes) == [str(i) for i in range(1, 9)]
    long_note = doc.footnote("4")
    assert long_note.text.count("Sentence") == 30 and long_note.text.endswith(
        "Sentence 30 of the long note, which sets out the sourcing of the claim in some detail."
    )
    marker = next(r for p in paragraphs for r in p.refs if r.label == "4")
    assert doc.locate(marker.source_offset)["page"] == doc.locate(long_note.source_start)["page"] == 2
    assert not doc.warnings
    for b in doc.blocks:
        assert "Draft" not in b.text and not re.search(r"\s\d$", b.text)  # running head, page numbers
        assert not re.search(r"\w- \w", b.text)  # every word hyphenated at a line end rejoined


def test_pages_printed_from_one_template_keep_their_text(tmp_path):
    """Three pages that repeat the same lines at the same places (a form printed three times):
    text repeated on most pages is furniture only while it is not most of the page."""
    path = tmp_path / "forms.pdf"
    c = _canvas(path)
    for _ in range(3):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 730, "Inspection Certificate")
        c.setFont("Times-Roman", 11)
        for k in range(6):
            c.drawString(
                72, 700 - 14 * k, f"Clause {k + 1} of the certificate binds the holder to the terms set out here."
            )
        c.showPage()
    c.save()
    doc = parse_file(path)
    text = " ".join(b.text for b in doc.blocks)
    assert text.count("Clause 1 of the certificate binds the holder") == 3
