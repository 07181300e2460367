"""A real Project Gutenberg e-text (tests/data/real/pg-17997-passamaquoddy-folk-lore.txt, the
file as Project Gutenberg published it, licence included; SOURCES.md): its header's fields as
metadata, its licence and header out of the article, its [Footnote N: …] blocks as notes, each
cited once.  The counts were taken from the file with grep and a bracket count, not with tuireader:
33 "[Footnote N:" blocks numbered 1-33, 33 in-text markers [1]-[33] outside them, and a
"Transcriber's note" block above the text."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.formats import parse_file

PG = Path(__file__).parent / "data" / "real" / "pg-17997-passamaquoddy-folk-lore.txt"


def test_the_header_gives_the_metadata():
    doc = parse_file(PG)
    assert doc.encoding == "iso8859-1"  # an "-8.txt" e-text: Latin-1, CRLF line ends
    assert doc.title == "Contribution to Passamaquoddy Folk-Lore"
    assert doc.authors == ["J. Walter Fewkes"]
    assert doc.date == "2006-03-15"  # "Release Date: March 15, 2006  [eBook #17997]"
    assert doc.language == "English"


def test_the_licence_and_the_header_are_not_article_text():
    doc = parse_file(PG)
    text = "\n".join(b.text for b in doc.blocks)
    # the START and END markers wrap onto a second line here ("…PASSAMAQUODDY" / "FOLK-LORE***")
    for gone in (
        "START OF THE PROJECT",
        "END OF THE PROJECT",
        "FULL LICENSE",
        "Release Date",
        "Title:",
        "eBook #17997",
    ):
        assert gone not in text
    assert doc.blocks[-1].text == "[Illustration]"  # the last line of the e-text before its END marker
    assert "The study of aboriginal folk-lore cannot reach" in text


def test_every_footnote_block_is_a_note_cited_once():
    doc = parse_file(PG)
    numbered = [n for n in doc.footnotes if n.key.isdigit()]
    assert [n.label for n in numbered] == [str(i) for i in range(1, 34)]
    assert all(len(n.cited_at) == 1 for n in numbered)
    assert sorted(r.key for b in doc.blocks for r in b.refs) == sorted(str(i) for i in range(1, 34))
    first = next(n for n in numbered if n.key == "1")
    assert first.content.text == (
        "This work was undertaken as a preparation for similar observation in connection with the "
        "Hemenway Archæological Expedition. I am indebted to Mrs. Mary Hemenway, of Boston, for "
        "opportunities to make these observations."
    )
    cited = doc.blocks[first.cited_at[0][0]]
    assert cited.text.startswith("In order to make experiments, with a view of employing this")
    assert "[Footnote" not in "\n".join(b.text for b in doc.blocks)


def test_the_transcribers_note_is_an_aside_not_text():
    doc = parse_file(PG)
    aside = [n for n in doc.footnotes if not n.key.isdigit()]
    assert [(n.label, n.cited_at) for n in aside] == [("TN", [])]
    assert aside[0].content.text.startswith("The symbol [=] followed by a vowel represents a macron.")
    assert not any(w.code == "uncited-note" for w in doc.warnings)


def _etext(start: str, end: str) -> str:
    return (
        "The Project Gutenberg EBook of A Test, by Ann Author\n\nTitle: A Test\n\nAuthor: Ann Author\n\n"
        f"{start}\n\nThe text of the book begins here.\n\n{end}\n\nThe licence follows here.\n"
    )


def test_a_marker_wrapped_over_two_lines_still_bounds_the_text(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text(
        _etext(
            "*** START OF THE PROJECT GUTENBERG EBOOK A TEST OF A\nVERY LONG TITLE ***",
            "*** END OF THE PROJECT GUTENBERG EBOOK A TEST OF A\nVERY LONG TITLE ***",
        ),
        encoding="utf-8",
    )
    doc = parse_file(path)
    assert [b.text for b in doc.blocks] == ["The text of the book begins here."]
    assert doc.title == "A Test" and doc.authors == ["Ann Author"]


def test_a_start_line_that_no_stars_close_is_text(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text(_etext("*** START OF THE PROJECT GUTENBERG EBOOK is what they wrote", "Nothing."), "utf-8")
    doc = parse_file(path)
    assert any("START OF THE PROJECT GUTENBERG" in b.text for b in doc.blocks)
    assert any(b.text == "The licence follows here." for b in doc.blocks)
