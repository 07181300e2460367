"""Traps found by running real documents through the readers (tools/realdocs_check.py),
each reproduced by a small document written for it (tests/data/traps/, see its README)."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.formats import parse_file

TRAPS = Path(__file__).parent / "data" / "traps"


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def test_a_layout_class_naming_a_sidebar_is_not_furniture():
    # Real pages wrap the whole article in "panel-two-col-sidebar-right-mix" or
    # "l-sidebar-fixed": the words say where a sidebar sits, not that this is one.
    doc = parse_file(TRAPS / "layout-classes.html")
    body = texts(doc)
    assert doc.title == "Layout classes"
    assert body == [
        "The first paragraph of the article sits in a panel whose class names the page layout.",
        "The second paragraph sits in a segment of a fixed-sidebar layout.",
    ]


def test_an_html_page_saved_as_txt_is_read_as_html():
    # tools.ietf.org's RFC pages saved as rfc2616.txt: the style sheet and script were
    # shown as the first paragraphs, the markup as text.
    doc = parse_file(TRAPS / "saved-page.txt")
    assert doc.format == "html"
    assert doc.title == "A Memo Saved as Text"
    assert [w.code for w in doc.warnings] == ["wrong-suffix"]
    text = "\n".join(texts(doc))
    assert "font-size" not in text and "function" not in text and "<a" not in text
    assert "holds HTML.  The style sheet and the script above are not its text [1]." in text


def test_text_that_only_mentions_html_stays_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("How to write <html> by hand\n\nStart the file with <!DOCTYPE html>.\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.format == "text" and not doc.warnings


def test_a_text_box_in_word_is_read_once_after_its_paragraph():
    # pandoc's text_in_shape_format.docx and image_with_textbox_caption.docx (real Word
    # files) lost all their text: it sits in text boxes, which Word writes twice (a
    # drawing in mc:Choice, VML in mc:Fallback).  text-box.docx: LibreOffice 7.4 from
    # text-box.fodt, written the same way.
    doc = parse_file(TRAPS / "text-box.docx")
    assert texts(doc) == [
        "The paragraph that anchors a text box.",
        "Inside the box: a pull quote.",
        "Its second paragraph.",
        "The paragraph after the box.",
    ]
    assert [(n.label, n.text, n.cited_at) for n in doc.footnotes] == [("1", "The only note.", [(3, 28)])]


def test_the_headline_under_a_badge_gives_the_title_without_the_site(tmp_path):
    # Wikipedia: <title> "New Zealand - Wikipedia", badges before <h1>New Zealand</h1>.
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Aotearoa - Encyclopedia</title></head><body>"
        '<p><img alt="A good article"></p><h1>Aotearoa</h1><p>An island country.</p></body></html>',
        encoding="utf-8",
    )
    doc = parse_file(path)
    assert doc.title == "Aotearoa"
    assert texts(doc) == ["[image: A good article]", "An island country."]
