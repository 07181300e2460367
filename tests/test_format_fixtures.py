"""One Markdown report turned by pandoc into DOCX, ODT, rST and Org (tests/data/formats/README.md):
each reader must give the same document, and every span must lead back to its source."""

from __future__ import annotations

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
