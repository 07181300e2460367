"""One document written by hand as flat ODF (tests/data/formats/lo-report.fodt) and saved by
LibreOffice as Word, ODF, HTML and EPUB (tests/data/formats/README.md): what users get when
they export from LibreOffice, with footnotes and endnotes (roman numbered) side by side."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.model import LIST_ITEM, PARAGRAPH, TABLE

DATA = Path(__file__).parent / "data" / "formats"
FORMATS = ["docx", "odt", "html", "epub"]

# Counted from lo-report.fodt by hand: three footnotes (1-3) and two endnotes (i, ii).
NOTES = {
    "1": "Ministry of Energy, annual report for 2021, p. 14.",
    "2": "Minutes of the council, 2 and 9 June 2021. A second paragraph of the same note.",
    "3": "Interview with a basin official, Tashkent, April 2022.",
    "i": "See the text of the agreement, https://example.org/syr-darya-1998.",
    "ii": "The barter ended in 2009.",
}
FIRST = (
    "The upstream reservoirs were filled in the spring of 2021. Downstream farmers reported "
    "shortfalls within weeks, and the regional council met twice."
)
SECOND = "The 1998 framework agreement was never ratified by all parties. Later accords covered only the summer months."


def _source(doc, fmt: str) -> str:
    path = DATA / f"lo-report.{fmt}"
    if not doc.parts:
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(part.member).decode("utf-8") for part in doc.parts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_exports_read_the_same(fmt):
    doc = parse_file(DATA / f"lo-report.{fmt}")
    assert doc.title == "Water Rights Along the Syr Darya"
    assert doc.authors == ["Amina Sultanova"]
    if fmt != "epub":  # LibreOffice's EPUB carries no date
        assert doc.date == "2023-03-14"
    assert doc.warnings == []
    texts = [b.text for b in doc.blocks]
    first, second = texts.index(FIRST), texts.index(SECOND)
    # no note's paragraph is left in the body: the second paragraph of note 2 was (HTML)
    assert not any("second paragraph of the same note" in t for t in texts)
    assert "The council’s next meeting is set for the autumn." == texts[-1]
    (table,) = [b for b in doc.blocks if b.kind == TABLE]
    assert table.text == "Year | Flow\n2020 | Normal\n2021 | Low"
    # its cells as ranges, from every format, so that the reader draws it as a grid
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [
        ["Year", "Flow"],
        ["2020", "Normal"],
        ["2021", "Low"],
    ]
    items = [b for b in doc.blocks if b.text.startswith(("Seasonal", "Compensation"))]
    assert [b.kind for b in items] == ([PARAGRAPH, PARAGRAPH] if fmt == "epub" else [LIST_ITEM, LIST_ITEM])
    assert {n.label: " ".join(n.text.split()) for n in doc.footnotes} == NOTES
    # each marker where it was written, cited from its own block
    cited = {}
    for bi, block in enumerate(doc.blocks):
        for ref in block.refs:
            cited[ref.label] = (bi, block.text[: ref.at][-6:])
            assert doc.footnote(ref.key).cited_at == [(bi, ref.at)]
    assert cited == {
        "1": (first, " 2021."),
        "2": (first, "twice."),
        "i": (second, "rties."),
        "3": (second, "onths."),
        "ii": (texts.index("Compensation in electricity."), "icity."),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_exports_map_every_character_back(fmt):
    doc = parse_file(DATA / f"lo-report.{fmt}")
    source = _source(doc, fmt)
    checked = 0
    for item in doc.blocks + doc.footnotes:
        text = item.text
        for i, ch in enumerate(text):
            if ch.isspace() or (ch == "|" and text[i - 1 : i + 2] == " | "):
                continue  # joining spaces, line breaks and table separators are made, not copied
            assert source[item.content.to_source(i)] == ch, (fmt, text, i)
            checked += 1
    assert checked > 550  # 589 in HTML (its h1 is the title), more elsewhere


def test_libreoffice_pdf_notes_markers_and_items():
    """LibreOffice's PDF (Writer's own typesetting): glyph-shaped character boxes, note labels
    and bullets set apart from their text by a tab, endnotes numbered i, ii on the last page."""
    doc = parse_file(DATA / "lo-report.pdf")
    assert doc.format == "pdf"
    assert doc.title == "Water Rights Along the Syr Darya"
    assert doc.authors == ["Amina Sultanova"]
    assert {n.label: " ".join(n.text.split()) for n in doc.footnotes} == NOTES
    assert not [w for w in doc.warnings if w.code in ("unresolved-marker", "uncited-note")]
    texts = [b.text for b in doc.blocks]
    first, second = texts.index(FIRST), texts.index(SECOND)
    assert [(r.label, texts[first][: r.at][-6:]) for r in doc.blocks[first].refs] == [("1", " 2021."), ("2", "twice.")]
    assert [(r.label, texts[second][: r.at][-6:]) for r in doc.blocks[second].refs] == [
        ("i", "rties."),
        ("3", "onths."),
    ]
    items = [b for b in doc.blocks if b.kind == LIST_ITEM]
    assert [b.text.split(".")[0] for b in items] == [
        "Seasonal releases from the reservoirs",
        "Compensation in electricity",
    ]
    assert [r.label for r in items[1].refs] == ["ii"]
    assert [b.marker for b in items] == ["•", "•"]  # Writer's bullet is U+F095 of OpenSymbol
    assert not any("Ministry of Energy" in t or "second paragraph" in t for t in texts)  # notes are not body
    # the table is one block of rows and cells, in reading order, not a paragraph per cell
    (table,) = [b for b in doc.blocks if b.kind == TABLE]
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [
        ["Year", "Flow"],
        ["2020", "Normal"],
        ["2021", "Low"],
    ]
    assert texts.index(table.text) == texts.index("Compensation in electricity.") + 1
    assert texts[-1] == "The council’s next meeting is set for the autumn."
