"""The PDF reader on PDFs made by real tools (tests/data/formats/README.md): pdflatex's
ligatures and hyphenation, LibreOffice's footnote separator rule (with and without), and the
title rule (a masthead above the title, a running head in large type)."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.formats import parse_file

FORMATS = Path(__file__).parent / "data" / "formats"


def test_pdflatex_ligatures_and_hyphenation_read_as_words():
    """pandoc + pdflatex set "fi", "ff", "ffi", "fl", "ffl" as one glyph each; pdfium gives a
    ligature's letters one shared box, which must not break the line (it read "Ef f iciency")."""
    doc = parse_file(FORMATS / "latex-ligatures.pdf")
    assert doc.title == "Efficient Offices and Their Difficult Workflows"
    assert doc.authors == ["Jane Analyst"] and doc.date == "2021-05-05"
    assert [r.label for b in doc.blocks for r in b.refs] == ["1", "2", "3"]
    notes = {n.label: n.text for n in doc.footnotes}
    assert notes == {
        "1": "Office of the Inspector General, Efficiency Review, 2020, p. 4.",  # italic "ffi"
        "2": "The fluctuation reflects the office’s official reshuffle.",
        "3": "Interview with the chief financial officer, 3 May 2021.",
    }
    text = " ".join(b.text for b in doc.blocks)
    for word in (
        "official figures",
        "efficient workflow",
        "influx of difficult",
        "the reflow",
        "affluent",
        "indifference",
        "unaffiliated field",
        "flourished",
        "fifty-five affiliated",
        "shuffled files",
    ):
        assert word in text, word
    # TeX hyphenated these at line ends (pdfium's U+FFFE); read whole, without the hyphen
    for word in ("incomprehensible", "recommendations", "professionalisation programme"):
        assert word in text, word
    assert "\ufffe" not in text and "\u00ad" not in text and "ﬁ" not in text and "f f" not in text
    assert not doc.warnings


def _read_both():
    return parse_file(FORMATS / "lo-rule.pdf"), parse_file(FORMATS / "lo-no-rule.pdf")


def test_libreoffice_notes_under_a_separator_rule_and_without_one():
    """One text, exported with Writer's footnote separator (a 25% rule) and without it: the
    band is placed from the rule where there is one, and from type size and labels where not.
    Page 3 ends with a small "Source: …" line just above its band, the page after a page of
    notes: it is text, never the continuation of note 2; nor is it a metadata field."""
    import pypdfium2 as pdfium

    from tuireader.core.formats._pdf_notes import page_rules

    for name, expected in (("lo-rule.pdf", 1), ("lo-no-rule.pdf", 0)):
        pdf = pdfium.PdfDocument(str(FORMATS / name))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                rules = page_rules(page, *page.get_size())
                assert len(rules) == expected, (name, i)
                for x0, x1, _ in rules:  # at the left margin (2 cm), a quarter of the text width
                    assert abs(x0 - 56.7) < 1 and abs((x1 - x0) - 0.25 * (420.9 - 2 * 56.7)) < 2
                page.close()
        finally:
            pdf.close()
    for doc in _read_both():
        assert len(doc.parts) == 3
        assert [r.label for b in doc.blocks for r in b.refs] == ["1", "2", "3"]
        notes = {n.label: n.text for n in doc.footnotes}
        assert notes["1"] == "Minutes of the council, 4 March 2019."
        assert notes["2"].startswith("Sentence 1 of the long note on the boards' records.")
        assert notes["2"].endswith("Sentence 30 of the long note on the boards' records.")
        assert notes["3"] == "Annual report of the boards, 2020."
        assert doc.blocks[-1].text == "Source: regional ministry records, 2019; figures rounded."
        assert doc.source is None and not doc.warnings
        assert doc.title == "Water Boards and Their Records"


def test_title_from_the_information_over_a_masthead_in_larger_type():
    """A 24-point agency masthead above a 17-point title; the file's title (Writer's
    dc:title) says "Water Boards Review: Findings of 2021", which the page bears out."""
    doc = parse_file(FORMATS / "lo-masthead.pdf")
    assert doc.title == "Water Boards Review: Findings of 2021"
    assert doc.authors == []  # the masthead is not a byline
    assert doc.blocks[0].text == "AGENCY FOR WATER REVIEWS"  # kept as text, where the page has it
    # the page's title is the title (not shown twice); the heading set like it under it stays
    assert (doc.blocks[1].kind, doc.blocks[1].text) == ("heading", "Threats to the Regional Boards")
    assert doc.blocks[2].text.startswith("Paragraph 1. The regional water boards")


def test_title_from_the_largest_type_that_is_not_a_running_head():
    """No title in the file; a 22-point running head on each of the five pages is larger
    than the 17-point title: it is furniture, the title is the largest type left."""
    doc = parse_file(FORMATS / "lo-large-head.pdf")
    assert len(doc.parts) == 5
    assert doc.title == "Water Boards Review: Findings"
    assert not any("QUARTERLY" in b.text for b in doc.blocks)
    assert doc.blocks[0].text.startswith("Paragraph 1. The regional water boards")
    assert sum(b.text.startswith("Paragraph ") for b in doc.blocks) == 20


def test_libreoffice_soft_hyphens_rejoin_where_they_broke_a_line():
    """Writer's soft hyphens (U+00AD in the .fodt, in every long word) reach the PDF's text
    layer only where a line broke at one, as pdfium's U+FFFE (15 times on page 1): each word is
    whole again, and no hyphen, soft hyphen or U+FFFE is left."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(FORMATS / "lo-soft-hyphens.pdf"))
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        raw = textpage.get_text_range()
        textpage.close()
        page.close()
    finally:
        pdf.close()
    assert raw.count("\ufffe") == 15 and "\u00ad" not in raw
    doc = parse_file(FORMATS / "lo-soft-hyphens.pdf")
    words = " ".join(b.text for b in doc.blocks).split()
    assert len(words) == 3 * 4 * 11  # three paragraphs of four sentences of 11 words
    assert set(w.strip(".") for w in words) == {
        "The", "intergovernmental", "commission", "reviewed", "the", "administrative",
        "responsibilities", "of", "regional", "boards",
    }  # fmt: skip
