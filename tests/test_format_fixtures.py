"""One Markdown report turned by pandoc into DOCX, ODT, rST and Org (tests/data/formats/README.md):
each reader must give the same document, and every span must lead back to its source."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.model import CODE, HEADING, LIST_ITEM, PARAGRAPH, QUOTE, TABLE

DATA = Path(__file__).parent / "data" / "formats"
FORMATS = ["docx", "odt", "rst", "org"]

BODY = (
    "Rapid developments in Kazakhstan in January 2022 outpaced the Organization of Turkic States. "
    "Turkish President Recep Tayyip Erdogan called Kassym-Jomart Tokayev on January 6. "
    "See the ministry’s statement."
)
NOTES = [
    ("1", "Statement of the Turkish Ministry of Foreign Affairs, https://www.mfa.gov.tr/no_-1.en.mfa."),
    ("2", "Presidency of Turkey, January 6, 2022.\n\nA second paragraph of the same note."),
    ("3", "The CSTO invoked Article 4 for the first time."),
]


def source_of(doc, fmt: str) -> str:
    """The document's source text: the file, or its members laid end to end."""
    path = DATA / f"report.{fmt}"
    if not doc.parts:
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(part.member).decode("utf-8") for part in doc.parts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_pandoc_report_reads_the_same_in_every_format(fmt):
    doc = parse_file(DATA / f"report.{fmt}")
    assert doc.format == fmt
    assert doc.title.replace("'", "’") == "Kazakhstan Crisis and Turkey’s Reach"
    assert doc.authors == ["Ezgi Yazici", "Fatih Cungurlu"]
    assert doc.date == "2022-01-18"
    shape = [(b.kind, b.level, b.marker) for b in doc.blocks]
    assert shape == [
        (HEADING, 1, ""),
        (PARAGRAPH, 0, ""),
        (HEADING, 2, ""),
        (LIST_ITEM, 0, "•"),
        (LIST_ITEM, 0, "•"),
        (LIST_ITEM, 0, "1."),
        (LIST_ITEM, 0, "2."),
        (TABLE, 0, ""),
        (QUOTE, 0, ""),
    ]
    assert doc.blocks[1].text.replace("'", "’") == BODY
    assert doc.blocks[7].text == "Country | Response\nTurkey | Support\nRussia | Troops"
    assert [(n.label, n.text) for n in doc.footnotes] == NOTES
    assert doc.footnotes[0].urls == ["https://www.mfa.gov.tr/no_-1.en.mfa"]
    # markers stand where they were: after "States." and "January 6.", and in the second item
    para = doc.blocks[1]
    assert [(r.label, para.text[: r.at][-7:]) for r in para.refs] == [("1", "States."), ("2", "uary 6.")]
    assert doc.footnote(para.refs[0].key).cited_at == [(1, para.refs[0].at)]
    assert [r.label for r in doc.blocks[4].refs] == ["3"]
    assert doc.warnings == []
    link = [s for s in para.spans if s.kind == "link"]
    assert [(para.text[s.start : s.end].replace("'", "’"), s.target) for s in link] == [
        ("the ministry’s statement", "https://www.mfa.gov.tr/statement")
    ]
    assert not any(b.kind == CODE for b in doc.blocks)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_character_maps_back_to_its_source(fmt):
    doc = parse_file(DATA / f"report.{fmt}")
    source = source_of(doc, fmt)
    checked = 0
    for item in doc.blocks + doc.footnotes:
        text = item.text
        for i, ch in enumerate(text):
            if ch.isspace() or (ch == "|" and text[i - 1 : i + 2] == " | "):
                continue  # joining spaces, line breaks and table separators are made, not copied
            at = item.content.to_source(i)
            assert source[at].replace("'", "’") == ch.replace("'", "’"), (fmt, text, i)
            checked += 1
    assert checked > 500  # 514 in each format: every character of the text and the notes


@pytest.mark.parametrize("fmt", FORMATS)
def test_markers_lead_to_the_marker_in_the_source(fmt):
    doc = parse_file(DATA / f"report.{fmt}")
    source = source_of(doc, fmt)
    written = [source[r.source_offset : r.source_end] for r in doc.blocks[1].refs]
    expected = {
        "docx": ['<w:footnoteReference w:id="20" />', '<w:footnoteReference w:id="22" />'],
        "rst": ["[1]_", "[2]_"],
        "org": ["[fn:1]", "[fn:2]"],
    }
    if fmt == "odt":
        assert all(w.startswith('<text:note text:id="ftn') and w.endswith("</text:note-body>") for w in written)
    else:
        assert written == expected[fmt]


def test_container_offsets_name_the_member():
    doc = parse_file(DATA / "report.docx")
    data = doc.to_json()
    assert data["blocks"][0]["member"] == "word/document.xml"
    assert data["footnotes"][0]["member"] == "word/footnotes.xml"
    with zipfile.ZipFile(DATA / "report.docx") as zf:
        notes_xml = zf.read("word/footnotes.xml").decode("utf-8")
    note = data["footnotes"][0]
    assert notes_xml[note["member_offset"] :].startswith('<w:footnote w:id="20">')


def test_check_json_on_a_folder_of_every_format_and_bad_files(tmp_path, capsys):
    import shutil

    from tuireader.cli import main

    lib = tmp_path / "lib"
    lib.mkdir()
    for fmt in FORMATS:
        shutil.copy(DATA / f"report.{fmt}", lib / f"report.{fmt}")
    (lib / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (lib / "fake.odt").write_text("not a zip", encoding="utf-8")
    with zipfile.ZipFile(lib / "hollow.docx", "w"):
        pass
    (lib / "broken.rst").write_text("Title\n=====\n\n.. include:: /etc/hostname\n\nText [7]_.\n", encoding="utf-8")
    before = sorted(p.name for p in lib.iterdir())
    assert main(["check", "--library", str(lib), "--json"]) == 1  # a document could not be read
    out = capsys.readouterr()
    rows = {row["id"]: row for row in map(json.loads, out.out.splitlines())}
    assert "Traceback" not in out.err
    for fmt in FORMATS:
        row = rows[f"report.{fmt}"]
        assert (row["status"], row["blocks"], row["footnotes"], row["unresolved"], row["warnings"]) == (
            "ok",
            9,
            3,
            0,
            0,
        )
    assert rows["locked"]["status"] == "failed" and "password-protected" in rows["locked"]["error"]
    assert rows["fake"]["status"] == "failed" and "not a zip archive" in rows["fake"]["error"]
    assert rows["hollow"]["status"] == "skipped" and "empty archive" in rows["hollow"]["error"]
    broken = rows["broken"]
    assert (broken["status"], broken["unresolved"], broken["warnings"]) == ("ok", 1, 2)
    assert sorted(p.name for p in lib.iterdir()) == before
