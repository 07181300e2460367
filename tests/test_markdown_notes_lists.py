"""The notes lists at the end of a Markdown file read by the same rules as plain text's
(issue #14, item 4): headings as people write them, a note ending at the next heading or
page furniture, back-links, named labels, lists that restart at 1, glued markers decided by
the definitions.  Each document written for its case; expected values worked out by hand."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.parse import parse_text


def parse(text: str, name: str = "doc.md"):
    return parse_text(text, path=Path(name), fmt="markdown" if name.endswith(".md") else "text")


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def notes(doc) -> list[tuple[str, str, str]]:
    return [(n.key, n.label, n.text) for n in doc.footnotes]


def codes(doc) -> list[str]:
    return [w.code for w in doc.warnings]


TWO_CLAIMS = "# Article\n\nClaim one.[1] Claim two.[2]\n\n"


def test_last_note_ends_at_the_next_heading():
    doc = parse(TWO_CLAIMS + "## Works cited\n\n1. Source one.\n2. Source two.\n\n## Next\n\nText after.\n")
    assert texts(doc) == ["Claim one. Claim two.", "Next", "Text after."]
    assert notes(doc) == [("1", "1", "Source one."), ("2", "2", "Source two.")]
    assert codes(doc) == []


def test_bold_line_as_notes_heading():
    doc = parse(TWO_CLAIMS + "**Works cited**\n\n1. Source one.\n2. Source two.\n")
    assert texts(doc) == ["Claim one. Claim two."]
    assert [n.text for n in doc.footnotes] == ["Source one.", "Source two."]


def test_last_note_ends_at_page_furniture():
    doc = parse(TWO_CLAIMS + "## Notes\n\n[1] First.\n\n[2] Second.\n\nAbout the author\n\nJane writes.\n")
    assert [n.text for n in doc.footnotes] == ["First.", "Second."]
    assert texts(doc) == ["Claim one. Claim two.", "About the author", "Jane writes."]


def test_superscript_notes_end_at_a_heading():
    doc = parse("# Article\n\nOne.¹ Two.²\n\n¹ First.\n\n² Second.\n\n## About the author\n\nJane.\n")
    assert [n.text for n in doc.footnotes] == ["First.", "Second."]
    assert texts(doc) == ["One. Two.", "About the author", "Jane."]
    assert codes(doc) == []


def test_wikipedia_back_links_and_edit_links():
    doc = parse(
        TWO_CLAIMS + "## Notes [edit]\n\n1. ^ First note.\n2. ^ Jump up to: a b Second note.\n\n"
        "## References [edit]\n\n1. Ref one.\n2. Ref two.\n"
    )
    assert texts(doc) == ["Claim one. Claim two."]
    # the first list is what plain markers cite; the second is keyed by its heading, without "[edit]"
    assert notes(doc) == [
        ("1", "1", "First note."),
        ("2", "2", "Second note."),
        ("reference:1", "References 1", "Ref one."),
        ("reference:2", "References 2", "Ref two."),
    ]


def test_edit_link_not_in_a_plain_text_list_label():
    doc = parse(
        "Article\n\nClaim.[1]\n\nNotes [edit]\n\n1. ^ A note.\n\nReferences [edit]\n\n1. A ref.\n", name="doc.txt"
    )
    assert [(n.key, n.label) for n in doc.footnotes] == [("1", "1"), ("reference:1", "References 1")]


def test_named_and_lettered_labels():
    doc = parse("# A\n\nOne[note 1] and two.[note 2]\n\n## Notes\n\n[note 1] Named.\n\n[note 2] Second.\n")
    assert texts(doc) == ["One and two."]
    assert [(n.key, n.text, n.cited_at) for n in doc.footnotes] == [
        ("note:1", "Named.", [(0, 3)]),
        ("note:2", "Second.", [(0, 12)]),
    ]
    doc = parse("# A\n\nA letter.[a] Another.[b]\n\n## Notes\n\na. Letter a.\nb. Letter b.\n")
    assert [(n.key, n.text) for n in doc.footnotes] == [("a", "Letter a."), ("b", "Letter b.")]
    doc = parse("# A\n\nSaid.[Tn 1] So.[Tn 2]\n\n**Notes**\n\nTn 1. First.\n\nTn 2. Second.\n")
    assert [(n.key, n.label, n.text) for n in doc.footnotes] == [
        ("tn:1", "Tn 1", "First."),
        ("tn:2", "Tn 2", "Second."),
    ]
    assert codes(doc) == []


def test_glued_markers_cite_defined_notes_and_indexing_stays():
    doc = parse(
        "# A\n\nThe ants[16] march; a[0] and x[1] stay, as Nadaillac[17] said.\n\n## Notes\n\n16. Ants.\n17. Him.\n"
    )
    assert texts(doc) == ["The ants march; a[0] and x[1] stay, as Nadaillac said."]
    assert [(n.key, n.cited_at) for n in doc.footnotes] == [("16", [(0, 8)]), ("17", [(0, 48)])]
    # without the definitions the same text is indexing
    doc = parse("# A\n\nThe ants[16] march.\n")
    assert texts(doc) == ["The ants[16] march."] and doc.footnotes == []


def test_entries_in_code_quotes_and_tasks_are_not_notes():
    doc = parse("# A\n\nSee [1].\n\n## Notes\n\n```\n1. code\n```\n\n- [x] done\n- [ ] to do\n")
    assert texts(doc) == ["See.", "Notes", "1. code", "[x] done", "[ ] to do"]
    assert [n.key for n in doc.footnotes if n.defined] == []
    assert codes(doc) == ["unresolved-marker"]


def test_a_note_inside_a_paragraph_that_is_not_a_list_stays_text():
    # the entry-like line is the second line of an ordinary paragraph: not a notes list
    doc = parse("# A\n\nSee [1] here.\nand then\n¹ not a note list\n")
    assert texts(doc)[0].endswith("not a note list")
    assert [n.text for n in doc.footnotes if n.defined] == []


def test_caret_definitions_after_the_list_end_its_last_note():
    doc = parse(
        "# A\n\nOne [1] two [2] three.[^x]\n\n## Notes\n\n1. First.\n2. Second.\n\n[^x]: The caret note.\n\n"
        "    Its second paragraph.\n"
    )
    assert [(n.key, n.text) for n in doc.footnotes] == [
        ("^x", "The caret note.\nIts second paragraph."),
        ("1", "First."),
        ("2", "Second."),
    ]
    assert codes(doc) == []
