"""EPUB: chapters in spine order, notes across chapter files, OPF metadata, hostile archives."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from tuireader.core.formats import epub, parse_file
from tuireader.core.textio import DocumentError

DATA = Path(__file__).parent / "data" / "formats"

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def xhtml(body: str, title: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head><body>{body}</body></html>'
    )


def make_epub(
    path: Path,
    chapters: list[tuple[str, str]],
    *,
    metadata: str = "<dc:title>A Book</dc:title>",
    extra: dict[str, bytes | str] | None = None,
    ncx: str | None = None,
    version: str = "3.0",
) -> Path:
    items = "".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, (name, _) in enumerate(chapters)
    )
    if ncx is not None:
        items += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    opf = (
        f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>'
        f"<manifest>{items}</manifest><spine>{spine}</spine></package>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", CONTAINER)
        zf.writestr("OEBPS/content.opf", opf)
        for name, text in chapters:
            zf.writestr(f"OEBPS/{name}", text)
        if ncx is not None:
            zf.writestr("OEBPS/toc.ncx", ncx)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def test_pandoc_epub_chapters_and_notes_per_chapter():
    doc = parse_file(DATA / "pandoc-notes.epub")
    assert doc.format == "epub"
    assert (doc.title, doc.authors, doc.date) == ("Grain Routes & Black Sea Ports", ["Jane Roe"], "2024-03-05")
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == ["Background", "Outlook"]  # the title page's repeat of the OPF is gone
    assert [n.text.split()[0] for n in doc.footnotes] == ["See", "Rail", "Statement", "Danube", "Rail"]
    assert [n.label for n in doc.footnotes] == ["1", "2", "3", "4", "1"]  # pandoc numbers per chapter
    last = doc.footnotes[-1]
    assert doc.locate(last.source_start)["member"] == "EPUB/text/ch002.xhtml"
    assert last.cited_at == [(len(doc.blocks) - 1, len("Shipping insurers in London watched the corridor closely."))]
    assert doc.warnings == []


def test_notes_in_another_chapter_are_linked_and_not_body_text(tmp_path):
    ch3 = xhtml(
        '<h1>Chapter 3</h1><p>The border closed in spring.<a epub:type="noteref" href="../notes/notes.xhtml#n12">'
        '12</a> Trade moved south.<sup><a href="../notes/notes.xhtml#n13">13</a></sup></p>'
    )
    notes = xhtml(
        '<section epub:type="endnotes"><h1>Notes</h1><ol>'
        '<li id="n12"><p><a href="../text/ch3.xhtml#r12">12.</a> Customs records, 1998.</p></li>'
        '<li id="n13"><p>Interview, Almaty.</p></li></ol></section>'
    )
    path = make_epub(tmp_path / "book.epub", [("text/ch3.xhtml", ch3), ("notes/notes.xhtml", notes)])
    doc = parse_file(path)
    assert [b.text for b in doc.blocks] == ["Chapter 3", "The border closed in spring. Trade moved south."]
    assert {n.label: n.text for n in doc.footnotes} == {"12": "Customs records, 1998.", "13": "Interview, Almaty."}
    note = doc.footnote("OEBPS/notes/notes.xhtml#n12")
    assert note is not None and note.cited_at == [(1, len("The border closed in spring."))]
    where = doc.locate(note.source_start)
    assert where["member"] == "OEBPS/notes/notes.xhtml"
    member_text = notes  # the member's decoded text: offsets inside it give the note's markup back
    assert member_text[where["member_offset"] :].startswith('<li id="n12">')
    ref = doc.blocks[1].refs[0]
    ref_where = doc.locate(ref.source_offset)
    assert ref_where["member"] == "OEBPS/text/ch3.xhtml"
    assert ch3[ref_where["member_offset"] :].startswith('<a epub:type="noteref"')


def test_opf_metadata_and_ncx_titles_for_chapters_without_headings(tmp_path):
    metadata = (
        "<dc:title>Water and Power</dc:title><dc:creator>Ana Ruiz</dc:creator><dc:creator>Li Wei</dc:creator>"
        "<dc:date>2015-07</dc:date><dc:publisher>Delta Press</dc:publisher><dc:subject>hydrology</dc:subject>"
    )
    ncx = (
        '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>'
        '<navPoint id="p1"><navLabel><text>The Dams</text></navLabel><content src="one.xhtml"/></navPoint>'
        "</navMap></ncx>"
    )
    path = make_epub(
        tmp_path / "b.epub",
        [("one.xhtml", xhtml("<p>Rivers were dammed.</p>"))],
        metadata=metadata,
        ncx=ncx,
        version="2.0",
    )
    doc = parse_file(path)
    assert (doc.title, doc.authors, doc.date, doc.source) == (
        "Water and Power",
        ["Ana Ruiz", "Li Wei"],
        "2015-07",
        "Delta Press",
    )
    assert doc.tags == ["hydrology"]
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "The Dams"), ("paragraph", "Rivers were dammed.")]


def test_a_books_asides_and_sidebars_are_content(tmp_path):
    chapter = xhtml(
        '<nav epub:type="landmarks"><a href="#x">Start</a></nav><p>Main text.</p>'
        '<aside class="sidebar"><h3>Box 2.1</h3><p>Case study.</p></aside><footer><p>End of part.</p></footer>'
    )
    doc = parse_file(make_epub(tmp_path / "b.epub", [("a.xhtml", chapter)]))
    assert [b.text for b in doc.blocks] == ["Main text.", "Box 2.1", "Case study.", "End of part."]


def test_epub3_nav_titles_for_chapters_without_headings(tmp_path):
    nav = xhtml('<nav epub:type="toc"><ol><li><a href="one.xhtml#start">The Wells</a></li></ol></nav>')
    path = tmp_path / "b.epub"
    make_epub(path, [("one.xhtml", xhtml("<p>Water was scarce.</p>"))])
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    opf = (
        members["OEBPS/content.opf"]
        .decode()
        .replace(
            "<manifest>",
            '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        )
    )
    opf = opf.replace("<spine>", '<spine><itemref idref="nav"/>')
    members["OEBPS/content.opf"], members["OEBPS/nav.xhtml"] = opf.encode(), nav.encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    doc = parse_file(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "The Wells"), ("paragraph", "Water was scarce.")]


def test_table_of_contents_chapter_is_not_body_text(tmp_path):
    toc = xhtml(
        '<h1>Contents</h1><ol><li><a href="a.xhtml">Part One</a></li><li><a href="b.xhtml">Part Two</a></li></ol>'
    )
    path = make_epub(tmp_path / "b.epub", [("toc.xhtml", toc), ("a.xhtml", xhtml("<h1>Part One</h1><p>Text.</p>"))])
    assert [b.text for b in parse_file(path).blocks] == ["Part One", "Text."]


def test_drm_and_password_protected_books_are_refused(tmp_path):
    enc = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        '<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '<enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
    )
    path = make_epub(tmp_path / "drm.epub", [("a.xhtml", xhtml("<p>x</p>"))], extra={"META-INF/encryption.xml": enc})
    with pytest.raises(DocumentError, match="DRM-protected") as err:
        parse_file(path)
    assert err.value.code == "encrypted"
    fonts = enc.replace("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.idpf.org/2008/embedding")
    path = make_epub(
        tmp_path / "fonts.epub", [("a.xhtml", xhtml("<p>x</p>"))], extra={"META-INF/encryption.xml": fonts}
    )
    assert [b.text for b in parse_file(path).blocks] == ["x"]  # obfuscated fonts are not DRM

    locked = tmp_path / "locked.epub"
    make_epub(locked, [("a.xhtml", xhtml("<p>x</p>"))])
    data = bytearray(locked.read_bytes())
    # Set the "encrypted" bit of every entry, as a password-protecting zip tool does.
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        while pos >= 0:
            data[pos + flag_at] |= 1
            pos = data.find(sig, pos + 4)
    locked.write_bytes(bytes(data))
    with pytest.raises(DocumentError, match="password-protected"):
        parse_file(locked)


def test_zip_bomb_member_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(epub, "MAX_MEMBER_BYTES", 100_000)
    bomb = xhtml("<p>" + "A" * 2_000_000 + "</p>")  # deflates to a few KB
    path = make_epub(tmp_path / "bomb.epub", [("a.xhtml", bomb)])
    assert path.stat().st_size < 20_000
    with pytest.raises(DocumentError, match="inflates") as err:
        parse_file(path)
    assert err.value.code == "too-large"


def test_zip_bomb_with_a_lying_size_header_stops_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(epub, "MAX_MEMBER_BYTES", 100_000)
    path = make_epub(tmp_path / "liar.epub", [("a.xhtml", xhtml("<p>" + "A" * 2_000_000 + "</p>"))])
    data = bytearray(path.read_bytes())
    # Rewrite the chapter's declared size (central directory) to 1 KB.
    name = b"OEBPS/a.xhtml"
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_len] == name:
            data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    doc = parse_file(path)  # zipfile inflates no more than the declared size: the text is cut there
    assert sum(len(b.text) for b in doc.blocks) < 1000


def test_xml_entity_declarations_are_refused_and_never_fetched(tmp_path):
    laughs = '<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = make_epub(tmp_path / "lol.epub", [("a.xhtml", xhtml("<p>x</p>"))], metadata="<dc:title>&b;</dc:title>")
    with zipfile.ZipFile(path) as zf:
        opf = zf.read("OEBPS/content.opf").decode().replace("<package", laughs + "<package", 1)
    rebuilt = tmp_path / "lol2.epub"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, opf if info.filename.endswith(".opf") else src.read(info))
    with pytest.raises(DocumentError, match="declares XML entities"):
        parse_file(rebuilt)
    xxe = xhtml("<p>&xxe;</p>").replace(
        "<html", '<!DOCTYPE html [<!ENTITY xxe SYSTEM "http://example.invalid/x">]><html'
    )
    doc = parse_file(make_epub(tmp_path / "xxe.epub", [("a.xhtml", xxe)]))
    assert [b.text for b in doc.blocks] == ["&xxe;"]  # shown as written, never resolved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just text, not a zip", "not an EPUB \\(not a zip archive\\)"),
        (b"PK\x05\x06" + b"\x00" * 18, "empty archive"),
    ],
)
def test_not_a_zip_and_empty_archive(tmp_path, content, message):
    path = tmp_path / "x.epub"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        parse_file(path)


def test_damaged_archives_give_one_line_errors_never_a_traceback(tmp_path):
    import random

    good = (DATA / "pandoc-notes.epub").read_bytes()
    rng = random.Random(1)  # fixed: these 40 damaged copies hit bad CRCs, bad deflate data and garbled names
    outcomes = set()
    for i in range(40):
        data = bytearray(good)
        for _ in range(20):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"r{i}.epub"
        path.write_bytes(bytes(data))
        try:
            parse_file(path)
            outcomes.add("read")
        except DocumentError as exc:
            assert "\n" not in exc.message
            outcomes.add(exc.code)
    assert "malformed" in outcomes


def test_archive_without_package_or_chapters(tmp_path):
    path = tmp_path / "x.epub"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    with pytest.raises(DocumentError, match="no package document"):
        parse_file(path)
    with pytest.raises(DocumentError, match="spine is empty"):
        parse_file(make_epub(tmp_path / "y.epub", []))


def test_many_chapters_read_in_linear_time_and_too_many_are_refused(tmp_path, monkeypatch):
    chapters = [(f"c{i}.xhtml", xhtml(f"<h2>Chapter {i}</h2><p>Text {i}.</p>")) for i in range(1_000)]
    path = make_epub(tmp_path / "long.epub", chapters)
    start = time.process_time()  # CPU time: other processes on the machine do not count
    doc = parse_file(path)
    seconds = time.process_time() - start
    assert len(doc.blocks) == 2_000
    assert len(doc.parts) == 1_000
    assert doc.locate(doc.blocks[-1].source_start)["member"] == "OEBPS/c999.xhtml"
    assert seconds < 2.5, seconds  # ~0.5 s measured; 10,000 chapters take ~6 s (benchmarks/bench_parse.py)
    monkeypatch.setattr(epub, "MAX_CHAPTERS", 999)
    with pytest.raises(DocumentError, match="has 1000 chapters; more than 999 are refused"):
        parse_file(path)
