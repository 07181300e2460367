"""Real public documents (tests/data/real, sources and licences in SOURCES.md): what each
reader finds in them, against counts made by hand from the files themselves."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tuireader.core.formats import parse_file
from tuireader.core.model import HEADING

REAL = Path(__file__).parent / "data" / "real"


def test_pep_515_as_restructuredtext():
    """PEP 515: the RFC 822 header as metadata, 12 headings (every title underlined with
    = or -), 12 notes in its References, 13 markers ([1]_ twice), all linked."""
    doc = parse_file(REAL / "pep-0515.rst")
    assert doc.format == "rst"
    assert doc.title == "Underscores in Numeric Literals"
    assert doc.authors == ["Georg Brandl", "Serhiy Storchaka"]
    assert doc.date == "2016-02-10"
    assert [b.text for b in doc.blocks if b.kind == HEADING] == [
        "Abstract and Rationale",
        "Specification",
        "Literal Grammar",
        "Constructors",
        "Further changes",
        "Prior Art",
        "Alternative Syntax",
        "Underscore Placement Rules",
        "Different Separators",
        "Implementation",
        "References",
        "Copyright",
    ]
    assert [n.label for n in doc.footnotes] == [str(i) for i in range(1, 13)]
    assert sum(len(b.refs) for b in doc.blocks) == 13
    assert [len(n.cited_at) for n in doc.footnotes] == [2] + [1] * 11
    assert doc.footnote(doc.footnotes[0].key).urls == [
        "http://www.open-std.org/jtc1/sc22/wg21/docs/papers/2013/n3499.html"
    ]
    ada = next(b for b in doc.blocks if b.text.startswith("Ada:"))
    assert [(r.label, ada.text[: r.at]) for r in ada.refs] == [("8", "Ada: single, only between digits")]
    assert doc.warnings == []


def test_epub3_sample_the_waste_land():
    """IDPF's Waste Land: 50 noterefs to 50 rearnotes (counted with grep in the XHTML), all
    linked; metadata from the OPF; the poem's floated line numbers are not glued to its lines."""
    doc = parse_file(REAL / "epub3-samples-wasteland.epub")
    assert (doc.format, doc.title, doc.authors, doc.date) == ("epub", "The Waste Land", ["T.S. Eliot"], "2011-09-01")
    assert [(b.level, b.text) for b in doc.blocks if b.kind == HEADING] == [
        (2, "I. THE BURIAL OF THE DEAD"),
        (2, "II. A GAME OF CHESS"),
        (2, "III. THE FIRE SERMON"),
        (2, "IV. DEATH BY WATER"),
        (2, "V. WHAT THE THUNDER SAID"),
        (2, 'NOTES ON "THE WASTE LAND"'),
        (3, "I. THE BURIAL OF THE DEAD"),
        (3, "II. A GAME OF CHESS"),
        (3, "III. THE FIRE SERMON"),
        (3, "V. WHAT THE THUNDER SAID"),
    ]
    assert len(doc.footnotes) == 50
    assert sum(len(b.refs) for b in doc.blocks) == 50
    assert all(len(n.cited_at) == 1 for n in doc.footnotes)
    assert not any(b.text.startswith("Cf. Ezekiel") for b in doc.blocks)  # the notes are notes, not body
    first, last = doc.footnotes[0], doc.footnotes[-1]
    # a stanza (<div class="linegroup">, a <div> a line) is one block, a line break a line
    (block, at), (last_block, last_at) = first.cited_at[0], last.cited_at[0]
    stanza = doc.blocks[block].text
    assert stanza.startswith("What are the roots that clutch, what branches grow\nOut of this stony")
    assert stanza[:at].endswith("\nOut of this stony rubbish? Son of man,")  # no "20" from the margin
    assert stanza[at:].startswith("\nYou cannot say, or guess, for you know only\n")
    assert first.text == "Line 20. Cf. Ezekiel 2:1."
    assert doc.blocks[last_block].text[:last_at].endswith("\nShantih shantih shantih")
    assert last.text.startswith("Shantih. Repeated as here, a formal ending to an Upanishad.")
    # offsets: the note's place in its member's text is its <div epub:type="rearnote">
    member = "EPUB/wasteland-content.xhtml"
    source = zipfile.ZipFile(REAL / "epub3-samples-wasteland.epub").read(member).decode("utf-8")
    where = doc.locate(last.source_start)
    assert where["member"] == member
    assert source[where["member_offset"] :].startswith('<div epub:type="rearnote" id="note-50">')
    assert doc.warnings == []  # XHTML's <meta ...></meta> is no stray end tag


def test_mammoth_word_files_with_footnotes_and_endnotes():
    """mammoth's own test files: "Ouch" + note, "." + note; endnotes in Word's lower-roman
    (its settings say so), a note's hyperlink kept as the note's link."""
    notes = parse_file(REAL / "mammoth-footnotes.docx")
    (block,) = notes.blocks
    assert block.text == "Ouch."
    assert [(r.label, r.at) for r in block.refs] == [("1", 4), ("2", 5)]
    assert [(n.label, n.text) for n in notes.footnotes] == [("1", "A tachyon walks into a bar."), ("2", "Fin.")]
    assert (notes.authors, notes.date) == (["Michael Williamson"], "2014-06-10")

    ends = parse_file(REAL / "mammoth-endnotes.docx")
    assert [(r.label, r.at) for r in ends.blocks[0].refs] == [("i", 4), ("ii", 5)]
    assert [(n.label, n.text) for n in ends.footnotes] == [("i", "A tachyon walks into a bar."), ("ii", "Fin.")]
    assert {p.member for p in ends.parts} == {"word/document.xml", "word/endnotes.xml"}

    linked = parse_file(REAL / "mammoth-footnote-hyperlink.docx")
    (note,) = linked.footnotes
    assert (note.label, note.text, note.urls) == ("1", "Example", ["http://www.example.com"])
    assert note.cited_at == [(0, 0)]
    for doc in (notes, ends, linked):
        assert doc.warnings == []
