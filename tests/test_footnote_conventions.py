"""Each footnote convention and each trap, on small documents written for them."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.parse import parse_text


def parse(text: str, fmt: str = "text"):
    name = "doc.md" if fmt == "markdown" else "doc.txt"
    return parse_text(text, path=Path(name), fmt=fmt)


def labels(doc) -> list[str]:
    return [r.label for b in doc.blocks for r in b.refs]


def codes(doc) -> list[str]:
    return [w.code for w in doc.warnings]


def test_superscripts_with_multiline_notes_and_blank_lines():
    doc = parse(
        "A Title\n\nFirst claim.¹ Second claim.¹² Third.²\n\n"
        "¹ Smith, The Book,\ncontinued on a second line.\n\nAnd a second paragraph of note one.\n\n"
        "² <https://example.org/two>\n\n"
        "¹² Twelve https://example.org/twelve.\n"
    )
    assert labels(doc) == ["1", "12", "2"]
    n1 = doc.footnote("1")
    assert n1.text == "Smith, The Book, continued on a second line.\nAnd a second paragraph of note one."
    assert doc.footnote("2").urls == ["https://example.org/two"]
    assert doc.footnote("12").urls == ["https://example.org/twelve"]  # trailing period trimmed
    assert doc.warnings == []
    assert doc.blocks[0].text == "First claim. Second claim. Third."


def test_bracket_markers_with_a_notes_list():
    doc = parse(
        "Report\n\nThe minister said so [1]. Others disagreed.[2]\n\nNotes\n\n"
        "[1] Interview, 3 May 2021.\n[2] Press release.\n"
    )
    assert labels(doc) == ["1", "2"]
    assert doc.footnote("1").text == "Interview, 3 May 2021."
    assert doc.footnote("2").text == "Press release."
    assert all("Notes" not in b.text for b in doc.blocks)


def test_numbered_notes_under_a_heading():
    doc = parse("Report\n\nA claim.¹ Another.²\n\nEndnotes:\n\n1. First source.\n2. Second source.\n")
    assert doc.footnote("1").text == "First source."
    assert doc.footnote("2").text == "Second source."


def test_numbered_list_without_notes_heading_is_not_notes():
    doc = parse("Report\n\nSteps to take:\n\n1. Do this.\n2. Do that.\n")
    assert doc.footnotes == []
    assert [b.kind for b in doc.blocks] == ["paragraph", "list_item", "list_item"]


def test_markdown_footnotes_multi_paragraph():
    doc = parse(
        "# Title\n\nText with a note[^a] and another[^long-note].\n\n"
        "[^a]: Short note.\n"
        "[^long-note]: First paragraph\n    continues here.\n\n    Second paragraph of the note.\n\n"
        "Back in the body.\n",
        fmt="markdown",
    )
    assert labels(doc) == ["a", "long-note"]
    assert doc.footnote("^a").text == "Short note."
    assert doc.footnote("^long-note").text == "First paragraph continues here.\nSecond paragraph of the note."
    assert doc.blocks[-1].text == "Back in the body."
    assert doc.warnings == []


def test_restructuredtext_footnotes():
    doc = parse(
        "Title\n\nA claim [1]_ and a named one [#src]_.\n\n"
        ".. [1] The first source,\n   indented continuation.\n.. [#src] Named source.\n"
    )
    assert labels(doc) == ["1", "#src"]
    assert doc.footnote("1").text == "The first source, indented continuation."
    assert doc.footnote("rst:#src").text == "Named source."


def test_html_sup_markers():
    doc = parse(
        'Title\n\nA claim.<sup>1</sup> Another.<sup><a href="#fn2">2</a></sup>\n\n¹ One.\n² Two.\n', fmt="markdown"
    )
    assert labels(doc) == ["1", "2"]
    assert doc.blocks[0].text == "A claim. Another."


def test_traps_are_not_markers():
    doc = parse(
        "Title\n\n"
        "He wrote it [sic] in [2021] using a[0] and b[12] and the [1](#x) link.\n\n"
        "The area is 5 km² and x² + y² = z², water is H₂O, and 10³ is a thousand.\n"
    )
    assert labels(doc) == []
    assert doc.footnotes == []
    assert "[sic]" in doc.blocks[0].text and "[2021]" in doc.blocks[0].text and "a[0]" in doc.blocks[0].text
    assert "km²" in doc.blocks[1].text and "x² + y² = z²" in doc.blocks[1].text and "10³" in doc.blocks[1].text


def test_nothing_inside_code_is_a_marker():
    doc = parse(
        "# Title\n\nUse `items[1]` and `x¹` inline.\n\n```\ncode[1] here ¹ and [^a]\n```\n\n    indented[2] code\n",
        fmt="markdown",
    )
    assert labels(doc) == []
    assert doc.footnotes == []
    assert [b.kind for b in doc.blocks] == ["paragraph", "code", "code"]
    assert doc.blocks[1].text == "code[1] here ¹ and [^a]"
    assert doc.blocks[2].text == "indented[2] code"


def test_markdown_reference_links_are_not_notes():
    doc = parse("# T\n\nSee [the site][1] for more.\n\n[1]: https://example.org\n", fmt="markdown")
    assert doc.footnotes == []
    assert doc.warnings == []
    # the [1] after a link text is a reference link, not a marker
    assert doc.blocks[0].refs == []


def test_marker_without_definition_is_kept_and_reported():
    doc = parse("Title\n\nA claim.¹ Another.²\n\n¹ Only one note.\n")
    assert labels(doc) == ["1", "2"]
    missing = doc.footnote("2")
    assert missing is not None and not missing.defined and missing.cited_at == [(0, len("A claim. Another."))]
    assert codes(doc) == ["unresolved-marker"]


def test_definition_never_cited_is_kept_and_reported():
    doc = parse("Title\n\nA claim.¹\n\n¹ One.\n² Never cited.\n")
    assert doc.footnote("2").text == "Never cited."
    assert codes(doc) == ["uncited-note"]


def test_markers_glued_and_after_quotes():
    doc = parse("Title\n\nHe said “yes.”³ Then left.⁴\n\n³ A.\n⁴ B.\n")
    assert [(r.label, r.at) for r in doc.blocks[0].refs] == [
        ("3", len("He said “yes.”")),
        ("4", len("He said “yes.” Then left.")),
    ]


def test_year_can_carry_a_note_but_other_numbers_take_exponents():
    doc = parse("Title\n\nIt began in 2020³ and grew 10³ times.\n\n³ Source.\n")
    assert labels(doc) == ["3"]
    assert "10³" in doc.blocks[0].text
